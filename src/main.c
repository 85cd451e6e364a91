// SPDX-License-Identifier: GPL-2.0
/*
 * cputop: options -> source -> loop -> view (batch text, or the interactive view on a terminal).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "source/bpf/bpf_source.h"
#include "lib/clock.h"
#include "view/tui/rc.h"
#include "sink/exitlog.h"
#include "model/history.h"
#include "model/model.h"
#include "opts.h"
#include "lib/privs.h"
#include "source/procfs/procfs.h"
#include "source/procfs/metrics.h"
#include "lib/users.h"
#include "sink/batch.h"
#include "view/tui/tui.h"

#define CPUTOP_VERSION "0.1.0"

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

/* The signal mask outside the waits: the stop signals are let in only inside ppoll(). */
static sigset_t wait_mask;

static int signals_setup(void)
{
	struct sigaction sa = { .sa_handler = on_stop };
	int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	sigset_t block;
	size_t i;

	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], &sa, NULL))
			return -errno;
		sigaddset(&block, sigs[i]);
	}
	/*
	 * Blocked except while waiting: a signal that comes during a refresh is held until the
	 * wait, which it then ends at once, instead of being noticed one delay later.
	 */
	if (sigprocmask(SIG_BLOCK, &block, &wait_mask))
		return -errno;
	/* A closed pipe (cputop -b | head) is an EPIPE from the write, not a death. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/*
 * The eBPF hooks' run time is counted only over the end of each interval, its last
 * 1/COST_SHARE and at most COST_WINDOW_NS: the counting costs the traced tasks two clock
 * reads per hook run, about as much as the hooks.
 */
#define COST_SHARE 20
#define COST_WINDOW_NS 20000000ull

static uint64_t cost_window(uint64_t delay_ns)
{
	return delay_ns / COST_SHARE < COST_WINDOW_NS ? delay_ns / COST_SHARE : COST_WINDOW_NS;
}

/*
 * Sleep until @deadline_ns (CLOCK_MONOTONIC), draining exit records as the ring asks, and
 * measuring the hooks' cost over the last @window_ns. Returns 0 at the deadline, 1 as soon as
 * @fd (the terminal, or -1) has input, -EINTR on a signal.
 */
static int wait_until(struct bpf_source *bpf, uint64_t deadline_ns, uint64_t window_ns, int fd)
{
	struct pollfd p[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = bpf ? bpf_source_fd(bpf) : -1, .events = POLLIN },
	};
	uint64_t window = bpf && window_ns ? deadline_ns - window_ns : UINT64_MAX;
	int err;

	for (;;) {
		uint64_t now = clock_ns(CLOCK_MONOTONIC), left = deadline_ns > now ? deadline_ns - now : 0;
		struct timespec ts;

		/* Where the kernel will not count, the figure stays unavailable. */
		if (now >= window) {
			bpf_source_cost_start(bpf);
			window = UINT64_MAX;
		}
		if (window != UINT64_MAX && window - now < left)
			left = window - now;
		ts.tv_sec = left / NSEC_PER_SEC;
		ts.tv_nsec = left % NSEC_PER_SEC;

		/* Even when late, one ppoll(): it is where held signals come in. */
		if (ppoll(p, 2, &ts, &wait_mask) < 0)
			return -errno;
		if (p[1].revents & POLLIN) {
			err = bpf_source_drain(bpf);
			if (err)
				return err;
		}
		/* A hung-up terminal polls readable for ever: that is the end, not input. */
		if (p[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			return -EIO;
		if (p[0].revents & POLLIN)
			return 1;
		if (now >= deadline_ns)
			return 0;
	}
}

static bool snapshot_has(const struct snapshot *s, uint32_t tgid)
{
	size_t i;

	for (i = 0; i < s->nr_tasks; i++) {
		if (s->tasks[i].tgid == tgid)
			return true;
	}
	return false;
}

/* The system metrics are read only when a view shows them (@metrics): they cost syscalls. */
static int snapshot_read(struct procfs *proc, int sys_fd, bool metrics, struct bpf_source *bpf,
			 struct snapshot *s)
{
	int err;

	/* Each source fills the counters it has: none is left from the last use of @s. */
	s->nr_ctrs = 0;
	s->ctr_have = 0;
	err = bpf ? bpf_source_read(bpf, s) : procfs_read_tasks(proc, s);
	if (err)
		return err;
	/*
	 * Seen on 6.18 in a container: the task iterator never returns PID 1 (asked for all
	 * tasks or for that PID alone). Its figures then come from /proc; its start time counts
	 * from boot, as the monotonic clock does while the machine has not been suspended.
	 */
	if (bpf && !snapshot_has(s, 1)) {
		err = procfs_read_pid(proc, 1, s);
		if (err && err != -ENOENT)
			s->task_errors++;
	}
	err = procfs_read_system(proc, s);
	if (!err)
		err = procfs_read_irqs(proc, s);
	/* Each collector fails alone, into its status; only memory exhaustion is an error. */
	if (!err && metrics)
		err = metrics_read(&s->sys, proc->root_fd, sys_fd);
	for (int k = 0; !metrics && k < MET_NR; k++) {
		s->sys.st[k].ok = false;
		snprintf(s->sys.st[k].why, sizeof(s->sys.st[k].why), "not shown, not read");
	}
	if (err)
		return err;
	s->self_cpu_ns = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	snapshot_prepare(s);
	return 0;
}

/* The loop's state: two snapshots taking turns, the rows of the latest pair, their history. */
struct loop {
	struct cputop_opts *o;
	struct procfs *proc;
	int sys_fd;			/* --sys-root, or -1 */
	struct bpf_source *bpf;
	const char *note;
	const char *ipc_why;
	struct snapshot snaps[2];
	struct snapshot *prev, *cur;
	unsigned long reads;
	struct model model;
	struct users users;
	struct history hist;
	struct exitlog log;		/* --exit-log, when log.f */
	bool tui;
	const char *what;		/* the step loop_fresh() failed in, for the message */
};

/* A new snapshot into the older slot: the latest becomes the previous one. */
static int loop_read(struct loop *l)
{
	struct snapshot *s = &l->snaps[l->reads & 1];
	int err;

	s->source = l->bpf ? SNAP_SRC_BPF : SNAP_SRC_PROC;
	s->source_note = l->note;
	s->ipc_why = l->ipc_why;
	err = snapshot_read(l->proc, l->sys_fd,
			    l->o->format == FORMAT_JSON || (l->tui && !l->o->no_metrics), l->bpf, s);
	if (err)
		return err;
	l->prev = l->reads ? l->cur : NULL;
	l->cur = s;
	l->reads++;
	return 0;
}

/* The rows of the latest pair under the current settings (which the TUI's keys change). */
static int loop_model(struct loop *l)
{
	const struct cputop_opts *o = l->o;
	struct model_opts mo = {
		.threads = o->threads, .sort = o->sort, .descending = o->descending,
		.pids = o->pids, .nr_pids = o->nr_pids, .uid_set = o->uid_set, .uid = o->uid,
		.comm_filter = o->filter, .top_n = o->top_n, .user_name = users_name,
		.user_ctx = &l->users, .group = o->group, .tree = o->tree,
		.collapsed = o->collapsed, .nr_collapsed = o->nr_collapsed,
	};

	return model_update(&l->model, l->prev, l->cur, &mo);
}

/* The rows of a new snapshot, and its exits into the log; l->what names a failing step. */
static int loop_fresh(struct loop *l)
{
	int err = loop_model(l);

	l->what = "";
	if (!err && l->log.f) {
		err = exitlog_write(&l->log, l->cur, &l->model, &l->users);
		if (err)
			l->what = "the exit log: ";
	}
	return err;
}

static void loop_free(struct loop *l)
{
	model_free(&l->model);
	users_free(&l->users);
	history_free(&l->hist);
	snapshot_free(&l->snaps[0]);
	snapshot_free(&l->snaps[1]);
	exitlog_close(&l->log);
}

/* The latest rows in the format asked for; CSV's header goes before the @first rows. */
static int batch_out(struct loop *l, bool first)
{
	switch (l->o->format) {
	case FORMAT_JSON:
		return json_print(stdout, l->cur, &l->model, l->o, &l->users);
	case FORMAT_CSV:
		return csv_print(stdout, l->cur, &l->model, l->o, &l->users, first);
	default:
		return batch_print(stdout, l->cur, &l->model, l->o, &l->users);
	}
}

static int run_batch(struct loop *l)
{
	const struct cputop_opts *o = l->o;
	uint64_t delay_ns = o->delay_s * NSEC_PER_SEC, next = clock_ns(CLOCK_MONOTONIC);
	unsigned long i;
	int err = 0;

	for (i = 0; !o->iterations || i < o->iterations; i++) {
		if (i) {
			next += delay_ns;
			err = wait_until(l->bpf, next, cost_window(delay_ns), -1);
			if (err && err != -EINTR)
				break;
		}
		if (stop_signal)
			break;
		err = loop_read(l);
		if (err) {
			fprintf(stderr, "cputop: reading a snapshot: %s\n", strerror(-err));
			return err;
		}
		err = loop_fresh(l);
		if (!err)
			err = batch_out(l, !i);
		if (err == -EPIPE)
			return 0;	/* the reader has gone (| head): a normal end */
		if (err) {
			fprintf(stderr, "cputop: %s%s\n", l->what, strerror(-err));
			return err;
		}
	}
	return err == -EINTR ? 0 : err;
}

/*
 * The interactive loop: a snapshot every delay (or at once on space), the rows again whenever
 * a key changes the settings, and keys handled the moment they arrive. -n ends it after that
 * many refreshes, as in top. Errors are told once the terminal is back.
 */
static int run_tui(struct loop *l, const char *rc_path, const char *rc_err)
{
	struct tui_ctl ctl = { .refresh = true };
	const char *what = "";
	uint64_t last = 0;
	struct tui *tui;
	int err;

	err = tui_open(&tui, l->o, &l->users, rc_path);
	if (err) {
		fprintf(stderr, "cputop: cannot start the interactive view: %s\n", strerror(-err));
		return err;
	}
	if (rc_err)
		tui_status(tui, true, "%s: %s", rc_path, rc_err);
	while (!stop_signal && !ctl.quit) {
		uint64_t now = clock_ns(CLOCK_MONOTONIC), delay = l->o->delay_s * NSEC_PER_SEC;
		bool fresh = ctl.refresh || (!ctl.paused && now >= last + delay);

		if (fresh && l->o->iterations && l->reads == l->o->iterations)
			break;
		if (fresh) {
			what = "reading a snapshot: ";
			err = loop_read(l);
			if (err)
				break;
			/* On time, the next deadline follows this one: no drift. */
			last = !ctl.refresh && now - last < 2 * delay ? last + delay : now;
			ctl.refresh = false;
		}
		if (fresh || ctl.remodel) {
			struct tui_frame f = { l->prev, l->cur, &l->model, &l->hist };

			ctl.remodel = false;
			what = "";
			err = fresh ? loop_fresh(l) : loop_model(l);
			if (err) {
				what = fresh ? l->what : "";
				break;
			}
			/* Averages since start are no interval: they stay out of the history. */
			if (fresh && !l->model.sum.since_start &&
			    history_update(&l->hist, l->model.rows, l->model.nr_rows))
				tui_status(tui, true, "Out of memory for the CPU history");
			tui_draw(tui, &f, fresh);
		}
		/* Paused, nothing is due: wake now and then to drain the exit ring. */
		what = "the terminal: ";
		err = wait_until(l->bpf, ctl.paused ? now + NSEC_PER_SEC : last + delay,
				 ctl.paused ? 0 : cost_window(delay), STDIN_FILENO);
		if (err < 0 && err != -EINTR)
			break;
		err = 0;
		tui_input(tui, &ctl);
	}
	tui_close(tui);
	if (err)
		fprintf(stderr, "cputop: %s%s\n", what, strerror(-err));
	return err;
}

int main(int argc, char **argv)
{
	char rc_path[4096], rc_err[256] = "";
	struct bpf_source *bpf = NULL;
	struct cputop_opts o;
	struct procfs proc;
	struct loop l = { .sys_fd = -1, .what = "" };
	bool tui;
	int err;

	if (opts_parse(&o, argc, argv)) {
		fprintf(stderr, "cputop: %s (see cputop --help)\n", o.err);
		return 2;
	}
	if (o.action == OPTS_HELP) {
		opts_usage(stdout);
		return 0;
	}
	if (o.action == OPTS_VERSION) {
		puts("cputop " CPUTOP_VERSION);
		return 0;
	}
	/*
	 * Not on a terminal (a pipe, a file), the view is batch text, as if -b were given; JSON
	 * and CSV are batch output by nature.
	 */
	tui = !o.batch && o.format == FORMAT_TEXT && isatty(STDIN_FILENO) &&
	      isatty(STDOUT_FILENO);
	if (tui && o.exit_log && !strcmp(o.exit_log, "-")) {
		fputs("cputop: --exit-log -: standard output is the interactive view; give a file "
		      "(see cputop --help)\n", stderr);
		return 2;
	}
	/* The rc file is the interactive view's: batch output stays what the flags say. */
	if (tui && !config_path(rc_path, sizeof(rc_path))) {
		err = config_load(&o, rc_path, rc_err, sizeof(rc_err));
		if (err && !rc_err[0])
			snprintf(rc_err, sizeof(rc_err), "%s", strerror(-err));
	} else {
		rc_path[0] = '\0';
	}
	err = procfs_open(&proc, o.proc_root);
	if (err) {
		fprintf(stderr, "cputop: %s: %s\n", o.proc_root, strerror(-err));
		return 1;
	}
	err = signals_setup();
	if (err)
		goto cleanup;
	if (o.no_bpf)
		l.note = strcmp(o.proc_root, "/proc") ? "--proc-root given" : "--no-bpf given";
	else if (!bpf_source_open(&bpf, &o.bpf, &l.note))
		l.note = bpf_source_note(bpf);
	/* Exits are seen by the eBPF program alone: a log of some of them would mislead. */
	if (o.exit_log && !bpf) {
		fprintf(stderr, "cputop: --exit-log needs the eBPF source, which is off: %s\n",
			l.note);
		err = -ENOTSUP;
		goto cleanup;
	}
	if (o.exit_log) {
		err = exitlog_open(&l.log, o.exit_log);
		if (err) {
			fprintf(stderr, "cputop: --exit-log %s: %s\n", o.exit_log, strerror(-err));
			goto cleanup;
		}
	}
	l.o = &o;
	l.proc = &proc;
	l.bpf = bpf;
	l.tui = tui;
	l.ipc_why = bpf ? bpf_source_ipc(bpf) : "hardware counters are read by the eBPF source";
	/*
	 * Without /sys the collectors that need it say so and cputop goes on; a --sys-root that
	 * cannot be opened is a mistake to tell at once.
	 */
	l.sys_fd = open(o.sys_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (l.sys_fd < 0 && strcmp(o.sys_root, "/sys")) {
		err = -errno;
		fprintf(stderr, "cputop: --sys-root %s: %s\n", o.sys_root, strerror(-err));
		goto cleanup;
	}
	/* Everything privileged is open and attached: keep only what the loop still uses. */
	err = privs_drop(bpf, tui && !o.readonly);
	if (err) {
		fprintf(stderr, "cputop: cannot drop privileges: %s\n", strerror(-err));
		goto cleanup;
	}
	err = tui ? run_tui(&l, rc_path[0] ? rc_path : NULL, rc_err[0] ? rc_err : NULL) :
		    run_batch(&l);
	/*
	 * Exits drained since the last refresh are in no snapshot yet: one more, for the log
	 * alone, so that stopping cputop loses none of them (unless the log is what failed).
	 */
	if (l.log.f && l.reads && !*l.what && !loop_read(&l)) {
		int end = loop_fresh(&l);

		if (end && end != -EPIPE)
			fprintf(stderr, "cputop: %s%s\n", l.what, strerror(-end));
		err = err ?: end == -EPIPE ? 0 : end;
	}
cleanup:
	if (l.sys_fd >= 0)
		close(l.sys_fd);
	loop_free(&l);
	bpf_source_close(bpf);
	procfs_close(&proc);
	return err ? 1 : 0;
}
