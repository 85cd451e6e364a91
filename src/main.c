// SPDX-License-Identifier: GPL-2.0
/*
 * cputop: options -> source -> loop -> view.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bpf_source.h"
#include "model.h"
#include "opts.h"
#include "procfs.h"
#include "users.h"
#include "view_batch.h"

#define CPUTOP_VERSION "0.1.0"
#define NSEC_PER_SEC 1000000000ull

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static int signals_setup(void)
{
	struct sigaction sa = { .sa_handler = on_stop };
	int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	size_t i;

	/* No SA_RESTART: a signal cuts the wait short, and the loop ends at once. */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], &sa, NULL))
			return -errno;
	}
	/* A closed pipe (cputop -b | head) is an EPIPE from the write, not a death. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static int wait_until(struct bpf_source *bpf, uint64_t deadline_ns)
{
	struct timespec ts = { deadline_ns / NSEC_PER_SEC, deadline_ns % NSEC_PER_SEC };
	int err;

	if (bpf)
		return bpf_source_wait(bpf, deadline_ns);
	err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	return -err;
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

static int snapshot_read(struct procfs *proc, struct bpf_source *bpf, struct snapshot *s)
{
	struct timespec wall;
	int err;

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
	if (err)
		return err;
	clock_gettime(CLOCK_REALTIME, &wall);
	s->wall_s = wall.tv_sec;
	snapshot_prepare(s);
	return 0;
}

static int run(const struct cputop_opts *o, struct procfs *proc, struct bpf_source *bpf,
	       const char *note)
{
	struct snapshot snaps[2] = {};
	struct model model = {};
	struct users users = {};
	struct model_opts mo = {
		.threads = o->threads, .sort = o->sort, .descending = o->descending,
		.pids = o->pids, .nr_pids = o->nr_pids, .uid_set = o->uid_set, .uid = o->uid,
		.top_n = o->top_n, .user_name = users_name, .user_ctx = &users,
	};
	uint64_t delay_ns = o->delay_s * NSEC_PER_SEC, next = monotonic_ns();
	unsigned long i;
	int err = 0;

	for (i = 0; !o->iterations || i < o->iterations; i++) {
		struct snapshot *cur = &snaps[i & 1], *prev = i ? &snaps[!(i & 1)] : NULL;

		if (i) {
			next += delay_ns;
			err = wait_until(bpf, next);
			if (err && err != -EINTR)
				break;
		}
		if (stop_signal)
			break;
		cur->source = bpf ? SNAP_SRC_BPF : SNAP_SRC_PROC;
		cur->source_note = note;
		err = snapshot_read(proc, bpf, cur);
		if (err) {
			fprintf(stderr, "cputop: reading a snapshot: %s\n", strerror(-err));
			break;
		}
		err = model_update(&model, prev, cur, &mo);
		if (!err)
			err = batch_print(stdout, cur, &model, o->threads, &users);
		if (err == -EPIPE) {
			err = 0;	/* the reader has gone (| head): a normal end */
			break;
		}
		if (err) {
			fprintf(stderr, "cputop: %s\n", strerror(-err));
			break;
		}
	}
	model_free(&model);
	users_free(&users);
	snapshot_free(&snaps[0]);
	snapshot_free(&snaps[1]);
	return err == -EINTR ? 0 : err;
}

int main(int argc, char **argv)
{
	struct bpf_source *bpf = NULL;
	struct cputop_opts o;
	struct procfs proc;
	const char *note;
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
	err = procfs_open(&proc, o.proc_root);
	if (err) {
		fprintf(stderr, "cputop: %s: %s\n", o.proc_root, strerror(-err));
		return 1;
	}
	err = signals_setup();
	if (err)
		goto cleanup;
	if (o.no_bpf)
		note = strcmp(o.proc_root, "/proc") ? "--proc-root given" : "--no-bpf given";
	else if (!bpf_source_open(&bpf, &note))
		note = "exact user/sys ns from sched_switch and syscalls";
	err = run(&o, &proc, bpf, note);
cleanup:
	bpf_source_close(bpf);
	procfs_close(&proc);
	return err ? 1 : 0;
}
