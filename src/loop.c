// SPDX-License-Identifier: GPL-2.0
/*
 * The refresh loop: source -> snapshot -> model -> sinks and the interactive view. It names no
 * source and no sink: main.c wires them.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/clock.h"
#include "loop.h"

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

/* The signal mask outside the waits: the stop signals are let in only inside ppoll(). */
static sigset_t wait_mask;

int loop_signals(void)
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
 * A source's hooks' run time is counted only over the end of an interval, its last
 * 1/COST_SHARE and at most COST_WINDOW_NS: the counting costs the traced tasks two clock
 * reads per hook run, about as much as the hooks. And once every COST_PERIOD_NS, not every
 * interval: turning the counting on and off patches the kernel's code on every CPU (a static
 * key), which costs cputop milliseconds a time on a virtual machine; the last window's figure
 * stands between.
 */
#define COST_SHARE 20
#define COST_WINDOW_NS 20000000ull
#define COST_PERIOD_NS (5 * NSEC_PER_SEC)

/* The window before @deadline_ns, an interval of @delay_ns; 0 when none is due. */
static uint64_t cost_window(const struct loop *l, uint64_t deadline_ns, uint64_t delay_ns)
{
	if (l->cost_at && deadline_ns - l->cost_at < COST_PERIOD_NS)
		return 0;
	return delay_ns / COST_SHARE < COST_WINDOW_NS ? delay_ns / COST_SHARE : COST_WINDOW_NS;
}

/* The descriptors to poll: what the source and each sink ask for, and the terminal's. */
#define WAIT_MAX_FDS 16

struct wait_fd {
	struct sink *sink;		/* the sink that asked, or NULL for the source */
	bool term;			/* the terminal */
};

static size_t wait_fds(const struct loop *l, struct pollfd *p, struct wait_fd *w, int term)
{
	int fds[WAIT_MAX_FDS];
	size_t n = 0, i, k, got;

	if (term >= 0) {
		p[n] = (struct pollfd){ .fd = term, .events = POLLIN };
		w[n++] = (struct wait_fd){ .term = true };
	}
	got = l->src->ops->fds ? l->src->ops->fds(l->src, fds, WAIT_MAX_FDS - n) : 0;
	for (i = 0; i < got; i++) {
		p[n] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
		w[n++] = (struct wait_fd){};
	}
	for (k = 0; k < l->nr_sinks; k++) {
		struct sink *s = l->sinks[k];

		got = s->ops->fds && !l->sink_err[k] ? s->ops->fds(s, fds, WAIT_MAX_FDS - n) : 0;
		for (i = 0; i < got; i++) {
			p[n] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
			w[n++] = (struct wait_fd){ .sink = s };
		}
	}
	return n;
}

/*
 * Sleep until @deadline_ns (CLOCK_MONOTONIC), serving the source's and the sinks' descriptors
 * as they poll ready, and counting the source's cost over the last @window_ns. Returns 0 at the
 * deadline, 1 as soon as @term (the terminal, or -1) has input, -EINTR on a signal.
 */
static int wait_until(struct loop *l, uint64_t deadline_ns, uint64_t window_ns, int term)
{
	struct pollfd p[WAIT_MAX_FDS];
	struct wait_fd w[WAIT_MAX_FDS];
	size_t n = wait_fds(l, p, w, term), i;
	uint64_t window = l->src->ops->cost_start && window_ns ? deadline_ns - window_ns :
			  UINT64_MAX;
	int err;

	for (;;) {
		uint64_t now = clock_ns(CLOCK_MONOTONIC);
		uint64_t left = deadline_ns > now ? deadline_ns - now : 0;
		struct timespec ts;

		/* Where the kernel will not count, the figure stays unavailable. */
		if (now >= window) {
			l->src->ops->cost_start(l->src);
			l->cost_at = now;
			window = UINT64_MAX;
		}
		if (window != UINT64_MAX && window - now < left)
			left = window - now;
		ts.tv_sec = left / NSEC_PER_SEC;
		ts.tv_nsec = left % NSEC_PER_SEC;

		/* Even when late, one ppoll(): it is where held signals come in. */
		if (ppoll(p, n, &ts, &wait_mask) < 0)
			return -errno;
		for (i = 0; i < n; i++) {
			if (w[i].term) {
				/* A hung-up terminal polls readable for ever: the end. */
				if (p[i].revents & (POLLHUP | POLLERR | POLLNVAL))
					return -EIO;
				if (p[i].revents & POLLIN)
					return 1;
				continue;
			}
			if (!(p[i].revents & POLLIN))
				continue;
			err = w[i].sink ? w[i].sink->ops->ready(w[i].sink, p[i].fd) :
			      l->src->ops->drain(l->src, p[i].fd);
			if (err)
				return err;
		}
		if (now >= deadline_ns)
			return 0;
	}
}

/* No snapshot before the next one, no history: as at the start. */
static void loop_restart(struct loop *l)
{
	model_free(&l->model);
	history_free(&l->hist);
	l->reads = 0;
	l->prev = l->cur = NULL;
}

/* A new snapshot into the older slot, ingested: the latest becomes the previous one. */
static int loop_read(struct loop *l)
{
	struct snapshot *s = l->cur == &l->snaps[0] ? &l->snaps[1] : &l->snaps[0];
	/* The system metrics and the cgroups cost syscalls: read only where they are shown. */
	struct source_want want = { .metrics = l->interactive && !l->set->no_metrics,
				    .cgroups = settings_cgroups(l->set) };
	int err;

	for (size_t k = 0; k < l->nr_sinks; k++) {
		want.metrics |= l->sinks[k]->metrics;
		want.cgroups |= l->sinks[k]->cgroups;
	}
	snapshot_begin(s);
	err = l->src->ops->read(l->src, s, &want);
	if (err < 0)
		return err;
	/* A run of its own: as that run showed it, with nothing from before (a recording's). */
	if (err == 1)
		loop_restart(l);
	l->src->ops->describe(l->src, s);
	snapshot_prepare(s);
	l->prev = l->reads ? l->cur : NULL;
	l->cur = s;
	l->reads++;
	return model_ingest(&l->model, l->prev, l->cur);
}

/*
 * A recording's sample at Unix time @wall_ns, after the one before it, its change: the model
 * and history start again there, as nothing from where the replay was belongs to it.
 */
static int loop_seek(struct loop *l, int64_t wall_ns, bool before)
{
	int n = l->src->ops->seek(l->src, wall_ns, before), err = 0;

	if (n < 0)
		return n;
	loop_restart(l);
	while (n-- && !err)
		err = loop_read(l);
	return err;
}

/* The rows of the latest pair under the current settings (which the TUI's keys change). */
static int loop_present(struct loop *l)
{
	const struct settings *set = l->set;
	struct model_opts mo = {
		.threads = set->threads, .sort = set->sort, .descending = set->descending,
		.pids = l->cli->pids, .nr_pids = l->cli->nr_pids, .uid_set = set->uid_set,
		.uid = set->uid, .comm_filter = set->filter, .top_n = l->cli->top_n,
		.user_name = users_name, .user_ctx = &l->users, .group = set->group,
		.cgroup_depth = set->cgroup_depth, .tree = set->tree,
	};

	if (l->tui)
		mo.nr_collapsed = tui_folded(l->tui, &mo.collapsed);
	return model_present(&l->model, &mo);
}

/*
 * The latest frame to every sink still working (only to those that ask for the @last one).
 * A sink that fails gets no more; its reader gone (-EPIPE) ends the run normally, as
 * `cputop -b | head` should. Returns 0, or the first error with *@what naming its sink.
 */
static int loop_deliver(struct loop *l, bool last, const char **what)
{
	const struct frame f = { l->prev, l->cur, &l->model, l->set, &l->users };
	int ret = 0;

	for (size_t k = 0; k < l->nr_sinks; k++) {
		struct sink *s = l->sinks[k];

		if (l->sink_err[k] || (last && !s->last))
			continue;
		l->sink_err[k] = s->ops->write(s, &f);
		if (l->sink_err[k] && !ret) {
			ret = l->sink_err[k];
			*what = s->what;
		}
	}
	return ret;
}

/* An error to tell, once the terminal is back: not a reader that has gone. */
static int loop_fail(const char *what, int err)
{
	if (err && err != -EPIPE)
		fprintf(stderr, "cputop: %s%s\n", what, strerror(-err));
	return err;
}

/* A new snapshot, its rows, and the frame to the sinks. */
static int loop_refresh(struct loop *l)
{
	const char *what = "";
	int err = loop_read(l);

	if (err == -ENODATA && l->src->recorded)
		return err;
	if (err)
		return loop_fail("reading a snapshot: ", err);
	err = loop_present(l) ?: loop_deliver(l, false, &what);
	return loop_fail(what, err);
}

/*
 * A recording is read from --begin: the sample there, after the one before it, whose change
 * it is, so that its first rows are of an interval as they were live. The sample is read next.
 */
static int loop_begin(struct loop *l)
{
	int n = l->src->ops->seek(l->src, l->cli->src.begin_ns, false), err = 0;

	if (n == -ENODATA) {
		fputs("cputop: --replay: no sample between --begin and --end\n", stderr);
		return n;
	}
	if (n < 0)
		return loop_fail("--replay: ", n);
	while (--n > 0 && !err)
		err = loop_read(l);
	return loop_fail("--replay: ", err);
}

static int run_batch(struct loop *l)
{
	uint64_t delay_ns = l->set->delay_s * NSEC_PER_SEC, next = clock_ns(CLOCK_MONOTONIC);
	unsigned long i;
	int err = 0;

	for (i = 0; !l->cli->iterations || i < l->cli->iterations; i++) {
		/* The past is read as fast as it is written out: its intervals are recorded. */
		if (i && !l->src->recorded) {
			next += delay_ns;
			err = wait_until(l, next, cost_window(l, next, delay_ns), -1);
			if (err && err != -EINTR)
				return loop_fail("", err);
		}
		if (stop_signal)
			break;
		err = loop_refresh(l);
		/* The end of a recording (or of --end) is the end of its replay. */
		if (err == -ENODATA && l->src->recorded)
			return 0;
		if (err)
			return err;
	}
	return 0;
}

/*
 * The interactive loop: a snapshot every delay (or at once on space), the rows again whenever
 * a key changes the settings, and keys handled the moment they arrive. -n ends it after that
 * many refreshes, as in top. Errors are told once the terminal is back.
 */
static int run_tui(struct loop *l)
{
	/* A replay opens paused on its first sample: the keys move in time. */
	struct tui_ctl ctl = { .refresh = true, .paused = l->src->recorded };
	const char *what = "";
	uint64_t last = 0;
	int err;

	err = tui_open(&l->tui, l->set, l->cli->readonly, l->src->recorded, &l->users,
		       l->rc_path);
	if (err) {
		fprintf(stderr, "cputop: cannot start the interactive view: %s\n", strerror(-err));
		return err;
	}
	if (l->rc_err)
		tui_status(l->tui, true, "%s: %s", l->rc_path, l->rc_err);
	else if (l->src->recorded)
		tui_status(l->tui, false, "Paused (space plays, t and T step, b jumps)");
	while (!stop_signal && !ctl.quit) {
		uint64_t now = clock_ns(CLOCK_MONOTONIC), delay = l->set->delay_s * NSEC_PER_SEC;
		bool fresh = ctl.refresh || ctl.step > 0 || (!ctl.paused && now >= last + delay);
		bool moved = ctl.step < 0 || ctl.jump;
		/* One sample a step, each drawn: the next at once. */
		int steps = ctl.step > 0 ? ctl.step - 1 : ctl.step < 0 ? ctl.step + 1 : 0;

		if (fresh && l->cli->iterations && l->reads == l->cli->iterations)
			break;
		if (moved) {
			what = "--replay: ";
			err = ctl.jump ? loop_seek(l, ctl.jump_ns, false) :
			      loop_seek(l, l->cur->wall_ns, true);
			/* Nowhere to go: back where it was, which the search moved from. */
			if (err == -ENODATA) {
				tui_status(l->tui, true, ctl.jump ? "No sample there" :
					   "No sample before this one: the first of the recording");
				err = loop_seek(l, l->cur->wall_ns, false);
			}
			if (err)
				break;
			fresh = false;
			last = now;
		} else if (fresh) {
			what = "reading a snapshot: ";
			err = loop_read(l);
			if (err == -ENODATA && l->src->recorded) {
				/* The end of a recording: its last sample stays, paused. */
				ctl.paused = true;
				fresh = false;
				ctl.remodel = true;	/* drawn, the message with it */
				tui_status(l->tui, false, "The end of the recording (T steps back, "
					   "b jumps)");
			} else if (err) {
				break;
			}
			/* On time, the next deadline follows this one: no drift. */
			last = !ctl.refresh && now - last < 2 * delay ? last + delay : now;
		}
		ctl.refresh = false;
		ctl.step = moved && ctl.jump ? 0 : steps;
		ctl.jump = false;
		if (fresh || moved || ctl.remodel) {
			struct tui_frame f = { l->prev, l->cur, &l->model, &l->hist, l->reads };

			ctl.remodel = false;
			what = "";
			err = loop_present(l);
			/* The sinks get the samples as they come, not again on a move back. */
			if (!err && fresh)
				err = loop_deliver(l, false, &what);
			if (err)
				break;
			/* Averages since start are no interval: they stay out of the history. */
			if ((fresh || moved) && !l->model.sum.since_start &&
			    history_update(&l->hist, l->model.rows, l->model.nr_rows))
				tui_status(l->tui, true, "Out of memory for the CPU history");
			tui_draw(l->tui, &f, fresh || moved);
		}
		/* Paused, nothing is due: wake now and then to serve the descriptors. */
		what = "the terminal: ";
		err = wait_until(l, ctl.step ? now : ctl.paused ? now + NSEC_PER_SEC : last + delay,
				 ctl.paused || ctl.step ? 0 : cost_window(l, last + delay, delay),
				 STDIN_FILENO);
		if (err < 0 && err != -EINTR)
			break;
		err = 0;
		tui_input(l->tui, &ctl);
	}
	tui_close(l->tui);
	l->tui = NULL;
	return loop_fail(what, err);
}

int loop_run(struct loop *l)
{
	int err = l->src->recorded ? loop_begin(l) : 0, end = 0;
	const char *what = "";
	bool any = false;

	if (!err)
		err = l->interactive ? run_tui(l) : run_batch(l);
	/*
	 * What came after the last refresh (exits drained since) is in no frame yet: one more,
	 * for the sinks that ask, so that stopping cputop loses none of it. A recording has no
	 * after.
	 */
	for (size_t k = 0; k < l->nr_sinks && !l->src->recorded; k++)
		any |= l->sinks[k]->last && !l->sink_err[k];
	if (any && l->reads && !loop_read(l)) {
		end = loop_present(l) ?: loop_deliver(l, true, &what);
		loop_fail(what, end);
	}
	err = err ?: end;
	return err == -EPIPE ? 0 : err;
}

void loop_free(struct loop *l)
{
	for (size_t k = 0; k < l->nr_sinks; k++)
		l->sinks[k]->ops->close(l->sinks[k]);
	l->nr_sinks = 0;
	model_free(&l->model);
	users_free(&l->users);
	history_free(&l->hist);
	snapshot_free(&l->snaps[0]);
	snapshot_free(&l->snaps[1]);
}
