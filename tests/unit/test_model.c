// SPDX-License-Identifier: GPL-2.0
/*
 * The pure model on hand-made snapshots. Every expected figure is worked out by hand in the
 * comments from the task records, never taken from the model itself.
 */
#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/model.h"
#include "lib/users.h"

#define SEC 1000000000ull
#define MS 1000000ull

/*
 * realloc() for the whole test program that always moves the block and zeroes the old one,
 * kept out of reuse for a while: a pointer kept across a realloc then reads an empty string,
 * instead of stale bytes that happen to be right (valgrind would call it a use after free).
 */
#define QUARANTINE 64

void *realloc(void *old, size_t size)
{
	static void *quarantine[QUARANTINE];
	static size_t next;
	size_t old_size = old ? malloc_usable_size(old) : 0;
	void *p;

	if (!size) {
		free(old);
		return NULL;
	}
	p = malloc(size);
	if (!p)
		return NULL;
	if (old) {
		memcpy(p, old, old_size < size ? old_size : size);
		memset(old, 0, old_size);
		free(quarantine[next]);
		quarantine[next] = old;
		next = (next + 1) % QUARANTINE;
	}
	return p;
}


/* A snapshot pair as the loop has it: ingested once, then shown as @o asks. */
static int update(struct model *m, const struct snapshot *prev, const struct snapshot *cur,
		  const struct model_opts *o)
{
	return model_ingest(m, prev, cur) ?: model_present(m, o);
}

static void add(struct snapshot *s, struct snap_task t)
{
	struct snap_task *n = snapshot_add_task(s);

	assert_non_null(n);
	*n = t;
}

/* A snapshot at @ts_ns; the caller adds tasks, then prepare() sorts them as a source does. */
static void snap_init(struct snapshot *s, uint64_t ts_ns)
{
	memset(s, 0, sizeof(*s));
	s->ts_ns = ts_ns;
	s->hz = 100;
}

static void prepare(struct snapshot *prev, struct snapshot *cur)
{
	if (prev)
		snapshot_prepare(prev);
	snapshot_prepare(cur);
}

/* The row of process (or thread) @pid in state @state, or any state when @state is 0. */
static const struct row *row_find(const struct model *m, uint32_t pid, char state)
{
	size_t i;

	for (i = 0; i < m->nr_rows; i++) {
		if (m->rows[i].pid == pid && (!state || m->rows[i].state == state))
			return &m->rows[i];
	}
	fail_msg("no row for pid %u state %c", pid, state ? state : '*');
	return NULL;
}

static void done(struct model *m, struct snapshot *prev, struct snapshot *cur)
{
	model_free(m);
	if (prev)
		snapshot_free(prev);
	snapshot_free(cur);
}

/* ---- per-interval rates ---- */

static void test_interval_rates(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};
	const struct row *r;

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	add(&prev, (struct snap_task){ .tid = 100, .tgid = 100, .ppid = 1, .uid = 1000,
		.start_ns = SEC, .leader_start_ns = SEC, .cpu_ns = 3 * SEC,
		.user_ns = 2 * SEC, .sys_ns = SEC, .state = 'S', .comm = "app" });
	add(&cur, (struct snap_task){ .tid = 100, .tgid = 100, .ppid = 1, .uid = 1000,
		.start_ns = SEC, .leader_start_ns = SEC, .cpu_ns = 4 * SEC,
		.user_ns = 2750 * MS, .sys_ns = 1250 * MS, .state = 'S', .comm = "app" });
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);

	/* 1 s on the CPU in 2 s, split 0.75 : 0.25 by the user/sys deltas. */
	assert_int_equal(m.nr_rows, 1);
	r = row_find(&m, 100, 0);
	assert_int_equal(r->tgid, 100);
	assert_int_equal(r->ppid, 1);
	assert_int_equal(r->uid, 1000);
	assert_int_equal(r->nr_threads, 1);
	assert_int_equal(r->state, 'S');
	assert_string_equal(r->comm, "app");
	assert_int_equal(r->cpu_ns, SEC);
	assert_int_equal(r->user_ns, 750 * MS);
	assert_int_equal(r->sys_ns, 250 * MS);
	assert_int_equal(r->time_ns, 4 * SEC);
	assert_float_equal(r->cpu_pct, 50.0, 1e-9);
	assert_float_equal(r->usr_pct, 37.5, 1e-9);
	assert_float_equal(r->sys_pct, 12.5, 1e-9);
	assert_false(m.sum.since_start);
	assert_int_equal(m.sum.interval_ns, 2 * SEC);
	done(&m, &prev, &cur);
}

/* A task cannot run longer than it existed in the interval. */
static void test_delta_clamped(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	add(&prev, (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = SEC,
		.leader_start_ns = SEC, .cpu_ns = SEC, .user_ns = SEC, .state = 'R' });
	/* 9 s more in a 2 s interval: a torn read. */
	add(&cur, (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = SEC,
		.leader_start_ns = SEC, .cpu_ns = 10 * SEC, .user_ns = 10 * SEC, .state = 'R' });
	/* Born 0.5 s before the end, claims 3 s. */
	add(&cur, (struct snap_task){ .tid = 200, .tgid = 200, .start_ns = 11500 * MS,
		.leader_start_ns = 11500 * MS, .cpu_ns = 3 * SEC, .user_ns = 3 * SEC,
		.state = 'R' });
	/* Lived 10.5 s .. 11 s, claims 2 s. */
	add(&cur, (struct snap_task){ .tid = 300, .tgid = 300, .start_ns = 10500 * MS,
		.leader_start_ns = 10500 * MS, .exit_ns = 11 * SEC, .cpu_ns = 2 * SEC,
		.sys_ns = 2 * SEC, .state = 'R' });
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 3);
	assert_int_equal(row_find(&m, 100, 0)->cpu_ns, 2 * SEC);
	assert_float_equal(row_find(&m, 100, 0)->cpu_pct, 100.0, 1e-9);
	assert_int_equal(row_find(&m, 200, 0)->cpu_ns, 500 * MS);
	assert_float_equal(row_find(&m, 200, 0)->cpu_pct, 25.0, 1e-9);
	assert_int_equal(row_find(&m, 300, 0)->cpu_ns, 500 * MS);
	assert_int_equal(row_find(&m, 300, 0)->sys_ns, 500 * MS);
	assert_float_equal(row_find(&m, 300, 0)->sys_pct, 25.0, 1e-9);
	done(&m, &prev, &cur);
}

/* ---- threads ---- */

/*
 * Process 100: leader 100 (S), threads 50 (a TID below the TGID after PID wrap, D) and 101 (R).
 * Deltas over 2 s: 100 +0.2 s (user), 50 +0.1 s (sys), 101 +1 s (half and half).
 */
static void threads_fixture(struct snapshot *prev, struct snapshot *cur)
{
	snap_init(prev, 10 * SEC);
	snap_init(cur, 12 * SEC);
	add(prev, (struct snap_task){ .tid = 100, .tgid = 100, .ppid = 7, .uid = 42,
		.start_ns = SEC, .leader_start_ns = SEC, .cpu_ns = SEC, .user_ns = 600 * MS,
		.sys_ns = 400 * MS, .dead_ns = 700 * MS, .state = 'S', .comm = "leader" });
	add(prev, (struct snap_task){ .tid = 50, .tgid = 100, .ppid = 7, .uid = 42,
		.start_ns = 2 * SEC, .leader_start_ns = SEC, .cpu_ns = 500 * MS,
		.sys_ns = 500 * MS, .state = 'D', .comm = "io" });
	add(prev, (struct snap_task){ .tid = 101, .tgid = 100, .ppid = 7, .uid = 42,
		.start_ns = 3 * SEC, .leader_start_ns = SEC, .cpu_ns = 2 * SEC,
		.user_ns = 2 * SEC, .state = 'S', .comm = "worker" });

	add(cur, (struct snap_task){ .tid = 101, .tgid = 100, .ppid = 7, .uid = 42,
		.start_ns = 3 * SEC, .leader_start_ns = SEC, .cpu_ns = 3 * SEC,
		.user_ns = 2500 * MS, .sys_ns = 500 * MS, .state = 'R', .comm = "worker" });
	add(cur, (struct snap_task){ .tid = 100, .tgid = 100, .ppid = 7, .uid = 42,
		.start_ns = SEC, .leader_start_ns = SEC, .cpu_ns = 1200 * MS, .user_ns = 800 * MS,
		.sys_ns = 400 * MS, .dead_ns = 700 * MS, .state = 'S', .comm = "leader" });
	add(cur, (struct snap_task){ .tid = 50, .tgid = 100, .ppid = 7, .uid = 42,
		.start_ns = 2 * SEC, .leader_start_ns = SEC, .cpu_ns = 600 * MS,
		.sys_ns = 600 * MS, .state = 'D', .comm = "io" });
	prepare(prev, cur);
}

static void test_threads_folded(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};
	const struct row *r;

	(void)state;
	threads_fixture(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	r = row_find(&m, 100, 0);
	assert_int_equal(r->tgid, 100);
	assert_int_equal(r->nr_threads, 3);
	assert_int_equal(r->state, 'R');	/* one thread runs */
	assert_string_equal(r->comm, "leader");
	assert_int_equal(r->ppid, 7);
	assert_int_equal(r->uid, 42);
	/* 0.2 + 0.1 + 1 = 1.3 s; user 0.2 + 0.5, sys 0.1 + 0.5. */
	assert_int_equal(r->cpu_ns, 1300 * MS);
	assert_int_equal(r->user_ns, 700 * MS);
	assert_int_equal(r->sys_ns, 600 * MS);
	assert_float_equal(r->cpu_pct, 65.0, 1e-9);
	assert_float_equal(r->usr_pct, 35.0, 1e-9);
	assert_float_equal(r->sys_pct, 30.0, 1e-9);
	/* TIME+: live totals 1.2 + 0.6 + 3 plus the group's dead 0.7. */
	assert_int_equal(r->time_ns, 5500 * MS);
	assert_int_equal(m.sum.tasks.total, 1);
	assert_int_equal(m.sum.tasks.running, 1);
	assert_int_equal(m.sum.tasks_ns, 1300 * MS);
	done(&m, &prev, &cur);
}

/* Without a running thread, a blocked (D) one tells more than the sleeping leader. */
static void test_threads_state_merge(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot cur;
	struct model m = {};

	(void)state;
	snap_init(&cur, 12 * SEC);
	add(&cur, (struct snap_task){ .tid = 100, .tgid = 100, .leader_start_ns = SEC,
		.start_ns = SEC, .state = 'S' });
	add(&cur, (struct snap_task){ .tid = 101, .tgid = 100, .leader_start_ns = SEC,
		.start_ns = SEC, .state = 'D' });
	add(&cur, (struct snap_task){ .tid = 102, .tgid = 100, .leader_start_ns = SEC,
		.start_ns = SEC, .state = 'S' });
	add(&cur, (struct snap_task){ .tid = 200, .tgid = 200, .leader_start_ns = SEC,
		.start_ns = SEC, .state = 'S' });
	add(&cur, (struct snap_task){ .tid = 201, .tgid = 200, .leader_start_ns = SEC,
		.start_ns = SEC, .state = 'S' });
	prepare(NULL, &cur);
	assert_int_equal(update(&m, NULL, &cur, &o), 0);
	assert_int_equal(row_find(&m, 100, 0)->state, 'D');
	assert_int_equal(row_find(&m, 200, 0)->state, 'S');
	assert_int_equal(m.sum.tasks.sleeping, 2);
	assert_int_equal(m.sum.tasks.running, 0);
	done(&m, NULL, &cur);
}

static void test_thread_rows(void **state)
{
	struct model_opts o = { .threads = true, .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};
	const struct row *r;

	(void)state;
	threads_fixture(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 3);

	r = row_find(&m, 100, 0);
	assert_int_equal(r->tgid, 100);
	assert_int_equal(r->nr_threads, 1);
	assert_int_equal(r->state, 'S');
	assert_string_equal(r->comm, "leader");
	assert_int_equal(r->cpu_ns, 200 * MS);
	assert_int_equal(r->user_ns, 200 * MS);
	assert_int_equal(r->time_ns, 1200 * MS);
	assert_float_equal(r->cpu_pct, 10.0, 1e-9);

	r = row_find(&m, 50, 0);
	assert_int_equal(r->tgid, 100);
	assert_int_equal(r->state, 'D');
	assert_string_equal(r->comm, "io");
	assert_int_equal(r->sys_ns, 100 * MS);
	assert_float_equal(r->sys_pct, 5.0, 1e-9);
	assert_float_equal(r->usr_pct, 0.0, 1e-9);

	r = row_find(&m, 101, 0);
	assert_int_equal(r->tgid, 100);
	assert_int_equal(r->state, 'R');
	assert_string_equal(r->comm, "worker");
	assert_int_equal(r->cpu_ns, SEC);
	assert_float_equal(r->cpu_pct, 50.0, 1e-9);
	assert_float_equal(r->usr_pct, 25.0, 1e-9);
	assert_float_equal(r->sys_pct, 25.0, 1e-9);
	assert_int_equal(r->time_ns, 3 * SEC);

	/* The Threads line counts threads. */
	assert_int_equal(m.sum.tasks.total, 3);
	assert_int_equal(m.sum.tasks.running, 1);
	assert_int_equal(m.sum.tasks.sleeping, 2);
	assert_int_equal(m.sum.tasks_ns, 1300 * MS);
	done(&m, &prev, &cur);
}

/* ---- exits ---- */

/* A thread born and gone within the interval still adds its CPU to its live process. */
static void test_exited_thread_new(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};
	const struct row *r;

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	add(&prev, (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = SEC,
		.leader_start_ns = SEC, .cpu_ns = SEC, .user_ns = SEC, .state = 'S' });
	add(&cur, (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = SEC,
		.leader_start_ns = SEC, .cpu_ns = 1500 * MS, .user_ns = 1500 * MS, .state = 'S' });
	add(&cur, (struct snap_task){ .tid = 101, .tgid = 100, .start_ns = 10500 * MS,
		.leader_start_ns = SEC, .exit_ns = 11500 * MS, .cpu_ns = 300 * MS,
		.user_ns = 300 * MS, .state = 'X' });
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	r = row_find(&m, 100, 0);
	assert_int_equal(r->state, 'S');	/* the process lives on */
	assert_int_equal(r->nr_threads, 1);	/* only live threads */
	assert_int_equal(r->cpu_ns, 800 * MS);
	assert_float_equal(r->cpu_pct, 40.0, 1e-9);
	assert_int_equal(m.sum.tasks.exited, 0);
	assert_int_equal(m.sum.tasks.total, 1);
	done(&m, &prev, &cur);
}

/* A thread seen live last time and gone now: only what it ran since then counts. */
static void test_exited_thread_old(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};
	const struct row *r;

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	add(&prev, (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = SEC,
		.leader_start_ns = SEC, .cpu_ns = SEC, .user_ns = SEC, .state = 'S' });
	add(&prev, (struct snap_task){ .tid = 101, .tgid = 100, .start_ns = 2 * SEC,
		.leader_start_ns = SEC, .cpu_ns = 2 * SEC, .user_ns = 2 * SEC, .state = 'R' });
	add(&cur, (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = SEC,
		.leader_start_ns = SEC, .cpu_ns = 1500 * MS, .user_ns = 1500 * MS, .state = 'S' });
	/* Exited at 11 s with 2.4 s in all: 0.4 s of it in this interval. */
	add(&cur, (struct snap_task){ .tid = 101, .tgid = 100, .start_ns = 2 * SEC,
		.leader_start_ns = SEC, .exit_ns = 11 * SEC, .cpu_ns = 2400 * MS,
		.user_ns = 2400 * MS, .state = 'X' });
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	r = row_find(&m, 100, 0);
	assert_int_equal(r->state, 'S');
	assert_int_equal(r->nr_threads, 1);
	assert_int_equal(r->cpu_ns, 900 * MS);	/* 0.5 + 0.4 */
	assert_float_equal(r->cpu_pct, 45.0, 1e-9);
	done(&m, &prev, &cur);
}

/* A process that exited during the interval: one row, state X, its CPU since the last one. */
static void test_exited_process(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};
	const struct row *r;

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	add(&prev, (struct snap_task){ .tid = 200, .tgid = 200, .ppid = 1, .uid = 5,
		.start_ns = SEC, .leader_start_ns = SEC, .cpu_ns = 5 * SEC, .user_ns = 4 * SEC,
		.sys_ns = SEC, .state = 'R', .comm = "gone" });
	add(&prev, (struct snap_task){ .tid = 300, .tgid = 300, .start_ns = SEC,
		.leader_start_ns = SEC, .state = 'S', .comm = "stays" });
	add(&cur, (struct snap_task){ .tid = 300, .tgid = 300, .start_ns = SEC,
		.leader_start_ns = SEC, .state = 'S', .comm = "stays" });
	/* Exited at 11 s with 5.3 s in all, 0.3 s of it (0.2 user, 0.1 sys) in the interval. */
	add(&cur, (struct snap_task){ .tid = 200, .tgid = 200, .ppid = 1, .uid = 5,
		.start_ns = SEC, .leader_start_ns = SEC, .exit_ns = 11 * SEC, .cpu_ns = 5300 * MS,
		.user_ns = 4200 * MS, .sys_ns = 1100 * MS, .state = 'Z', .comm = "gone" });
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 2);
	r = row_find(&m, 200, 0);
	assert_int_equal(r->state, 'X');
	assert_int_equal(r->nr_threads, 0);
	assert_int_equal(r->uid, 5);
	assert_int_equal(r->ppid, 1);
	assert_string_equal(r->comm, "gone");
	assert_int_equal(r->time_ns, 5300 * MS);
	assert_int_equal(r->cpu_ns, 300 * MS);
	assert_int_equal(r->user_ns, 200 * MS);
	assert_int_equal(r->sys_ns, 100 * MS);
	assert_float_equal(r->cpu_pct, 15.0, 1e-9);
	assert_int_equal(m.sum.tasks.exited, 1);
	assert_int_equal(m.sum.tasks.total, 1);	/* the exited one is no longer there */
	assert_int_equal(m.sum.tasks_ns, 300 * MS);
	done(&m, &prev, &cur);
}

/* Born and dead within the interval: all its CPU is in the interval. */
static void test_born_and_dead(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};
	const struct row *r;

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	add(&cur, (struct snap_task){ .tid = 300, .tgid = 300, .start_ns = 10500 * MS,
		.leader_start_ns = 10500 * MS, .exit_ns = 11 * SEC, .cpu_ns = 200 * MS,
		.user_ns = 150 * MS, .sys_ns = 50 * MS, .state = 'X', .comm = "brief" });
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	r = row_find(&m, 300, 0);
	assert_int_equal(r->state, 'X');
	assert_int_equal(r->cpu_ns, 200 * MS);
	assert_int_equal(r->user_ns, 150 * MS);
	assert_int_equal(r->sys_ns, 50 * MS);
	assert_float_equal(r->cpu_pct, 10.0, 1e-9);
	assert_float_equal(r->usr_pct, 7.5, 1e-9);
	assert_float_equal(r->sys_pct, 2.5, 1e-9);
	assert_int_equal(r->time_ns, 200 * MS);
	assert_int_equal(m.sum.tasks.exited, 1);
	assert_int_equal(m.sum.tasks.total, 0);
	done(&m, &prev, &cur);
}

/* A reused PID (same TGID, later leader start) is a new process, not the old one's delta. */
static void test_pid_reuse(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};
	const struct row *r;

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	add(&prev, (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = SEC,
		.leader_start_ns = SEC, .cpu_ns = 5 * SEC, .user_ns = 5 * SEC, .state = 'R',
		.comm = "old" });
	add(&cur, (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = 11 * SEC,
		.leader_start_ns = 11 * SEC, .cpu_ns = 500 * MS, .user_ns = 500 * MS,
		.state = 'R', .comm = "new" });
	/* The same for a thread: TID 201 of a live process, reused within it. */
	add(&prev, (struct snap_task){ .tid = 200, .tgid = 200, .start_ns = SEC,
		.leader_start_ns = SEC, .state = 'S' });
	add(&prev, (struct snap_task){ .tid = 201, .tgid = 200, .start_ns = 2 * SEC,
		.leader_start_ns = SEC, .cpu_ns = 3 * SEC, .user_ns = 3 * SEC, .state = 'S' });
	add(&cur, (struct snap_task){ .tid = 200, .tgid = 200, .start_ns = SEC,
		.leader_start_ns = SEC, .state = 'S' });
	add(&cur, (struct snap_task){ .tid = 201, .tgid = 200, .start_ns = 11 * SEC,
		.leader_start_ns = SEC, .cpu_ns = 200 * MS, .user_ns = 200 * MS, .state = 'S' });
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 2);
	r = row_find(&m, 100, 0);
	assert_string_equal(r->comm, "new");
	assert_int_equal(r->cpu_ns, 500 * MS);
	assert_float_equal(r->cpu_pct, 25.0, 1e-9);
	assert_int_equal(r->time_ns, 500 * MS);
	r = row_find(&m, 200, 0);
	assert_int_equal(r->cpu_ns, 200 * MS);
	assert_int_equal(r->nr_threads, 2);
	done(&m, &prev, &cur);
}

/* The old process's exit record and the new process under the same PID are two rows. */
static void test_pid_reuse_two_rows(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot cur;
	struct model m = {};

	(void)state;
	snap_init(&cur, 12 * SEC);
	add(&cur, (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = 11 * SEC,
		.leader_start_ns = 11 * SEC, .cpu_ns = 500 * MS, .state = 'R', .comm = "new" });
	add(&cur, (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = SEC,
		.leader_start_ns = SEC, .exit_ns = 10500 * MS, .cpu_ns = 5 * SEC, .state = 'X',
		.comm = "old" });
	prepare(NULL, &cur);
	assert_int_equal(update(&m, NULL, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 2);
	assert_string_equal(row_find(&m, 100, 'X')->comm, "old");
	assert_string_equal(row_find(&m, 100, 'R')->comm, "new");
	/* Same PID: the live row sorts before the exited one. */
	assert_int_equal(m.rows[0].state, 'R');
	assert_int_equal(m.rows[1].state, 'X');
	assert_int_equal(m.sum.tasks.exited, 1);
	assert_int_equal(m.sum.tasks.running, 1);
	done(&m, NULL, &cur);
}

/* ---- snapshot_prepare ---- */

static void test_prepare_sorts_and_merges(void **state)
{
	struct snapshot s;

	(void)state;
	snap_init(&s, 12 * SEC);
	add(&s, (struct snap_task){ .tid = 301, .tgid = 300, .start_ns = 2 * SEC,
		.leader_start_ns = SEC, .cpu_ns = 7 });
	/* Task 100 twice: seen live by the iterator (2 s) and by its exit record (1.9 s). */
	add(&s, (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = SEC,
		.leader_start_ns = SEC, .cpu_ns = 2 * SEC, .user_ns = 1500 * MS,
		.sys_ns = 500 * MS, .state = 'Z' });
	add(&s, (struct snap_task){ .tid = 300, .tgid = 300, .start_ns = SEC,
		.leader_start_ns = SEC, .cpu_ns = 5 });
	add(&s, (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = SEC,
		.leader_start_ns = SEC, .exit_ns = 11 * SEC, .cpu_ns = 1900 * MS,
		.user_ns = 1400 * MS, .sys_ns = 500 * MS, .state = 'X' });
	/* Task 200 twice, the exit record with the larger total this time. */
	add(&s, (struct snap_task){ .tid = 200, .tgid = 200, .start_ns = SEC,
		.leader_start_ns = SEC, .exit_ns = 11 * SEC, .cpu_ns = 3 * SEC,
		.user_ns = 3 * SEC });
	add(&s, (struct snap_task){ .tid = 200, .tgid = 200, .start_ns = SEC,
		.leader_start_ns = SEC, .cpu_ns = 2 * SEC, .sys_ns = 2 * SEC });
	/* Same TID as 100 but another start: a different task, kept. */
	add(&s, (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = 11500 * MS,
		.leader_start_ns = 11500 * MS, .cpu_ns = 1 });
	snapshot_prepare(&s);

	assert_int_equal(s.nr_tasks, 5);
	assert_int_equal(s.tasks[0].tid, 100);
	assert_int_equal(s.tasks[0].exit_ns, 11 * SEC);	/* the exit record wins */
	assert_int_equal(s.tasks[0].cpu_ns, 2 * SEC);		/* with the larger totals */
	assert_int_equal(s.tasks[0].user_ns, 1500 * MS);
	assert_int_equal(s.tasks[1].tid, 100);
	assert_int_equal(s.tasks[1].start_ns, 11500 * MS);
	assert_int_equal(s.tasks[2].tid, 200);
	assert_int_equal(s.tasks[2].exit_ns, 11 * SEC);
	assert_int_equal(s.tasks[2].cpu_ns, 3 * SEC);
	assert_int_equal(s.tasks[2].user_ns, 3 * SEC);
	assert_int_equal(s.tasks[2].sys_ns, 0);
	assert_int_equal(s.tasks[3].tid, 300);
	assert_int_equal(s.tasks[4].tid, 301);
	snapshot_free(&s);
}

/* After the merge the model sees one exited task, not a live one and an exited one. */
static void test_prepare_duplicate_one_row(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot cur;
	struct model m = {};

	(void)state;
	snap_init(&cur, 12 * SEC);
	add(&cur, (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = 11 * SEC,
		.leader_start_ns = 11 * SEC, .cpu_ns = 400 * MS, .state = 'Z' });
	add(&cur, (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = 11 * SEC,
		.leader_start_ns = 11 * SEC, .exit_ns = 11500 * MS, .cpu_ns = 300 * MS,
		.state = 'X' });
	prepare(NULL, &cur);
	assert_int_equal(update(&m, NULL, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	assert_int_equal(m.rows[0].state, 'X');
	assert_int_equal(m.rows[0].cpu_ns, 400 * MS);
	assert_int_equal(m.sum.tasks.exited, 1);
	assert_int_equal(m.sum.tasks.zombie, 0);
	done(&m, NULL, &cur);
}

/* ---- the first snapshot ---- */

static void test_first_snapshot(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot cur;
	struct model m = {};
	const struct row *r;

	(void)state;
	snap_init(&cur, 100 * SEC);
	cur.cpu_total.t[CPU_USER] = 300;
	cur.cpu_total.t[CPU_SYSTEM] = 100;
	cur.cpu_total.t[CPU_IDLE] = 600;
	/* Process 100 started at 50 s; its threads ran 20 s and 5 s: 25 s in 50 s. */
	add(&cur, (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = 50 * SEC,
		.leader_start_ns = 50 * SEC, .cpu_ns = 20 * SEC, .user_ns = 15 * SEC,
		.sys_ns = 5 * SEC, .state = 'S' });
	add(&cur, (struct snap_task){ .tid = 101, .tgid = 100, .start_ns = 90 * SEC,
		.leader_start_ns = 50 * SEC, .cpu_ns = 5 * SEC, .user_ns = 5 * SEC,
		.state = 'S' });
	/* The leader has gone; thread 301 (since 90 s) ran 5 s in the process's 50 s. */
	add(&cur, (struct snap_task){ .tid = 301, .tgid = 300, .start_ns = 90 * SEC,
		.leader_start_ns = 50 * SEC, .cpu_ns = 5 * SEC, .user_ns = 5 * SEC,
		.state = 'S' });
	/* Started 1 s ago, claims 3 s. */
	add(&cur, (struct snap_task){ .tid = 200, .tgid = 200, .start_ns = 99 * SEC,
		.leader_start_ns = 99 * SEC, .cpu_ns = 3 * SEC, .user_ns = 3 * SEC,
		.state = 'R' });
	prepare(NULL, &cur);
	assert_int_equal(update(&m, NULL, &cur, &o), 0);
	assert_true(m.sum.since_start);
	assert_int_equal(m.sum.interval_ns, 0);
	assert_int_equal(m.nr_rows, 3);
	r = row_find(&m, 100, 0);
	assert_int_equal(r->cpu_ns, 25 * SEC);
	assert_float_equal(r->cpu_pct, 50.0, 1e-9);
	assert_float_equal(r->usr_pct, 40.0, 1e-9);
	assert_float_equal(r->sys_pct, 10.0, 1e-9);
	assert_int_equal(r->time_ns, 25 * SEC);
	r = row_find(&m, 200, 0);
	assert_int_equal(r->cpu_ns, SEC);
	assert_float_equal(r->cpu_pct, 100.0, 1e-9);
	r = row_find(&m, 300, 0);
	assert_int_equal(r->nr_threads, 1);
	assert_float_equal(r->cpu_pct, 10.0, 1e-9);
	/* The CPU line: ticks since boot. */
	assert_float_equal(m.sum.all.pct[CPU_USER], 30.0, 1e-9);
	assert_float_equal(m.sum.all.pct[CPU_SYSTEM], 10.0, 1e-9);
	assert_float_equal(m.sum.all.pct[CPU_IDLE], 60.0, 1e-9);
	model_free(&m);

	/* Thread rows: each thread's average since it started (101: 5 s in 10 s). */
	o.threads = true;
	assert_int_equal(update(&m, NULL, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 4);
	assert_float_equal(row_find(&m, 101, 0)->cpu_pct, 50.0, 1e-9);
	assert_float_equal(row_find(&m, 100, 0)->cpu_pct, 40.0, 1e-9);
	done(&m, NULL, &cur);
}

/* ---- summary ---- */

static void test_summary_counts(void **state)
{
	static const char states[] = "RSDITtZ";
	struct model_opts o = { .sort = FIELD_PID };
	const uint32_t only[] = { 1 };
	struct snapshot prev, cur;
	struct model m = {};
	size_t i;

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	for (i = 0; i < sizeof(states) - 1; i++)
		add(&cur, (struct snap_task){ .tid = i + 1, .tgid = i + 1, .start_ns = SEC,
			.leader_start_ns = SEC, .state = states[i] });
	add(&cur, (struct snap_task){ .tid = 99, .tgid = 99, .start_ns = 11 * SEC,
		.leader_start_ns = 11 * SEC, .exit_ns = 11500 * MS, .state = 'X' });
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 8);
	assert_int_equal(m.sum.tasks.running, 1);
	assert_int_equal(m.sum.tasks.sleeping, 3);
	assert_int_equal(m.sum.tasks.stopped, 2);
	assert_int_equal(m.sum.tasks.zombie, 1);
	assert_int_equal(m.sum.tasks.exited, 1);
	assert_int_equal(m.sum.tasks.total, 7);

	/* The Tasks line is the system's, whatever the filter shows. */
	o.pids = only;
	o.nr_pids = 1;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	assert_int_equal(m.sum.tasks.total, 7);
	assert_int_equal(m.sum.tasks.exited, 1);
	done(&m, &prev, &cur);
}

static void test_summary_cpu(void **state)
{
	static const uint64_t before[CPU_NR_FIELDS] = { 100, 10, 50, 800, 10, 5, 5, 20, 30, 4 };
	static const uint64_t after[CPU_NR_FIELDS] = { 200, 20, 100, 1000, 20, 10, 15, 35, 60, 6 };
	struct model_opts o = { .sort = FIELD_PID };
	const uint32_t only[] = { 200 };
	struct snapshot prev, cur;
	struct model m = {};

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 11 * SEC);
	prev.hz = cur.hz = 250;
	memcpy(prev.cpu_total.t, before, sizeof(before));
	memcpy(cur.cpu_total.t, after, sizeof(after));
	add(&prev, (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = SEC,
		.leader_start_ns = SEC, .cpu_ns = SEC, .user_ns = SEC, .state = 'R' });
	add(&cur, (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = SEC,
		.leader_start_ns = SEC, .cpu_ns = 1500 * MS, .user_ns = 1500 * MS, .state = 'R' });
	add(&cur, (struct snap_task){ .tid = 200, .tgid = 200, .start_ns = 10500 * MS,
		.leader_start_ns = 10500 * MS, .exit_ns = 10800 * MS, .cpu_ns = 250 * MS,
		.user_ns = 250 * MS, .state = 'X' });
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);

	/*
	 * Deltas: us 100 ni 10 sy 50 id 200 wa 10 hi 5 si 10 st 15 (guest 30, guest_nice 2 are
	 * inside us and ni): 400 ticks in all.
	 */
	assert_float_equal(m.sum.all.pct[CPU_USER], 25.0, 1e-9);
	assert_float_equal(m.sum.all.pct[CPU_NICE], 2.5, 1e-9);
	assert_float_equal(m.sum.all.pct[CPU_SYSTEM], 12.5, 1e-9);
	assert_float_equal(m.sum.all.pct[CPU_IDLE], 50.0, 1e-9);
	assert_float_equal(m.sum.all.pct[CPU_IOWAIT], 2.5, 1e-9);
	assert_float_equal(m.sum.all.pct[CPU_IRQ], 1.25, 1e-9);
	assert_float_equal(m.sum.all.pct[CPU_SOFTIRQ], 2.5, 1e-9);
	assert_float_equal(m.sum.all.pct[CPU_STEAL], 3.75, 1e-9);
	assert_float_equal(m.sum.all.pct[CPU_GUEST], 7.5, 1e-9);
	assert_float_equal(m.sum.all.pct[CPU_GUEST_NICE], 0.5, 1e-9);
	/* Busy: us + ni + sy + hi + si = 175 ticks of 4 ms. */
	assert_int_equal(m.sum.busy_ns, 700 * MS);
	/* Tasks: 0.5 s live + 0.25 s exited, filter or not. */
	assert_int_equal(m.sum.tasks_ns, 750 * MS);
	o.pids = only;
	o.nr_pids = 1;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	assert_int_equal(m.sum.tasks_ns, 750 * MS);
	done(&m, &prev, &cur);
}

/* No tick elapsed: every share is zero, not a division by zero. */
static void test_summary_cpu_idle_interval(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};
	int i;

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 11 * SEC);
	prev.cpu_total.t[CPU_USER] = cur.cpu_total.t[CPU_USER] = 50;
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	for (i = 0; i < CPU_NR_FIELDS; i++)
		assert_float_equal(m.sum.all.pct[i], 0.0, 0.0);
	assert_int_equal(m.sum.busy_ns, 0);
	assert_int_equal(m.nr_rows, 0);
	done(&m, &prev, &cur);
}

/* What watching costs: cputop's CPU over the interval; the hooks' as the source sampled it. */
static void test_summary_cost(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};

	(void)state;
	snap_init(&prev, 10 * SEC);
	prev.self_cpu_ns = 900 * MS;
	assert_int_equal(update(&m, NULL, &prev, &o), 0);
	assert_true(m.sum.self_pct < 0);	/* no interval yet */
	assert_true(m.sum.hooks_pct < 0);

	snap_init(&cur, 12 * SEC);
	cur.self_cpu_ns = 910 * MS;
	cur.have_bpf_cost = true;
	cur.bpf_cost = 0.0025;
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_float_equal(m.sum.self_pct, 0.5, 1e-9);	/* 10 ms in 2 s */
	assert_float_equal(m.sum.hooks_pct, 0.25, 1e-9);

	/* A clock that went back is no negative cost. */
	cur.self_cpu_ns = 800 * MS;
	cur.have_bpf_cost = false;
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_float_equal(m.sum.self_pct, 0.0, 0.0);
	assert_true(m.sum.hooks_pct < 0);
	done(&m, &prev, &cur);
}

/* ---- filters ---- */

static void filter_fixture(struct snapshot *cur)
{
	snap_init(cur, 12 * SEC);
	add(cur, (struct snap_task){ .tid = 100, .tgid = 100, .uid = 1000, .start_ns = SEC,
		.leader_start_ns = SEC, .state = 'S' });
	add(cur, (struct snap_task){ .tid = 101, .tgid = 100, .uid = 1000, .start_ns = SEC,
		.leader_start_ns = SEC, .state = 'S' });
	add(cur, (struct snap_task){ .tid = 200, .tgid = 200, .uid = 0, .start_ns = SEC,
		.leader_start_ns = SEC, .state = 'S' });
	add(cur, (struct snap_task){ .tid = 300, .tgid = 300, .uid = 1000, .start_ns = SEC,
		.leader_start_ns = SEC, .state = 'S' });
	prepare(NULL, cur);
}

static void test_filter_pids(void **state)
{
	const uint32_t pids[] = { 300, 100 }, tid[] = { 101 };
	struct model_opts o = { .sort = FIELD_PID, .pids = pids, .nr_pids = 2 };
	struct snapshot cur;
	struct model m = {};

	(void)state;
	filter_fixture(&cur);
	assert_int_equal(update(&m, NULL, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 2);
	assert_int_equal(m.rows[0].pid, 100);
	assert_int_equal(m.rows[1].pid, 300);

	/* -p names processes: in thread mode it keeps all threads of the process. */
	o.threads = true;
	o.nr_pids = 1;
	o.pids = &pids[1];
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 2);
	assert_int_equal(m.rows[0].pid, 100);
	assert_int_equal(m.rows[1].pid, 101);

	/* A TID is not a process. */
	o.threads = false;
	o.pids = tid;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 0);
	done(&m, NULL, &cur);
}

static void test_filter_uid(void **state)
{
	const uint32_t pids[] = { 200, 300 };
	struct model_opts o = { .sort = FIELD_PID, .uid_set = true, .uid = 1000 };
	struct snapshot cur;
	struct model m = {};

	(void)state;
	filter_fixture(&cur);
	assert_int_equal(update(&m, NULL, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 2);
	assert_int_equal(m.rows[0].pid, 100);
	assert_int_equal(m.rows[1].pid, 300);

	o.uid = 0;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	assert_int_equal(m.rows[0].pid, 200);

	/* -u and -p together: both must hold. */
	o.uid = 1000;
	o.pids = pids;
	o.nr_pids = 2;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	assert_int_equal(m.rows[0].pid, 300);
	done(&m, NULL, &cur);
}

/* ---- task counters ---- */

/* Every task_have bit, as the eBPF source with schedstats gives them. */
#define HAVE_ALL (1u << TASK_SYSC | 1u << TASK_VCSW | 1u << TASK_ICSW | 1u << TASK_MIGR | \
		  1u << TASK_WAIT_NS | 1u << TASK_IOW_NS | TASK_HAVE_MAXW)

/* @got is @want within a relative 1e-12: assert_float_equal() compares floats. */
static void expect_near(double got, double want, const char *what)
{
	if (fabs(got - want) > 1e-12 * (fabs(want) > 1 ? fabs(want) : 1))
		fail_msg("%s: %.17g, want %.17g", what, got, want);
}

/* Task counters in enum task_ctr order, SYSC VCSW ICSW MIGR WAIT_NS IOW_NS; the rest zero. */
#define CTRS(...) ((const uint64_t[TASK_NR_CTRS]){ __VA_ARGS__ })

/* A sleeping task of a process started at 1 s, with counters @ctr. */
static struct snap_task ctr_task(uint32_t tid, uint32_t tgid, uint64_t start_ns,
				 const uint64_t ctr[TASK_NR_CTRS], uint64_t max_wait_ns)
{
	struct snap_task t = { .tid = tid, .tgid = tgid, .start_ns = start_ns,
			       .leader_start_ns = SEC, .state = 'S', .max_wait_ns = max_wait_ns };

	memcpy(t.ctr, ctr, sizeof(t.ctr));
	return t;
}

/*
 * Over 10 s .. 12 s, all counters available:
 *	process 100: leader 100, thread 101 (exits at 11 s: an exit record and, merged into it,
 *		     a zombie's live record with smaller counters), thread 102 (born at 11 s)
 *	process 200: one task, 500 system calls
 */
static void ctrs_fixture(struct snapshot *prev, struct snapshot *cur)
{
	struct snap_task t;

	snap_init(prev, 10 * SEC);
	snap_init(cur, 12 * SEC);
	prev->task_have = cur->task_have = HAVE_ALL;
	/* The longest wait is the interval's: the previous snapshot's 7 ms is over. */
	add(prev, ctr_task(100, 100, SEC, CTRS(1000, 10, 4, 2, 100 * MS, 50 * MS), 7 * MS));
	add(cur, ctr_task(100, 100, SEC, CTRS(3000, 30, 8, 6, 300 * MS, 250 * MS), 5 * MS));
	add(prev, ctr_task(101, 100, 2 * SEC, CTRS(500, 5, 1, 0, 10 * MS, 0), MS));
	t = ctr_task(101, 100, 2 * SEC, CTRS(700, 9, 3, 1, 60 * MS, 20 * MS), 9 * MS);
	t.exit_ns = 11 * SEC;
	t.state = 'X';
	add(cur, t);
	t = ctr_task(101, 100, 2 * SEC, CTRS(650, 8, 2, 1, 55 * MS, 10 * MS), 8 * MS);
	t.state = 'Z';
	add(cur, t);
	add(cur, ctr_task(102, 100, 11 * SEC, CTRS(100, 3, 2, 1, 20 * MS, 0), 2 * MS));
	t = ctr_task(200, 200, SEC, CTRS(4000), 0);
	add(prev, t);
	t.ctr[TASK_SYSC] = 4500;
	add(cur, t);
	prepare(prev, cur);
}

/* The interval's counters @want (SYSC VCSW ICSW MIGR WAIT_NS IOW_NS) of row @r. */
static void expect_ctrs(const struct row *r, const uint64_t want[TASK_NR_CTRS])
{
	int k;

	for (k = 0; k < TASK_NR_CTRS; k++) {
		if (r->ctr[k] != want[k])
			fail_msg("PID %u counter %d: %llu, want %llu", r->pid, k,
				 (unsigned long long)r->ctr[k], (unsigned long long)want[k]);
	}
}

static void test_task_ctrs_folded(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	const uint32_t only[] = { 200 };
	struct snapshot prev, cur;
	struct model m = {};
	const struct row *r;

	(void)state;
	ctrs_fixture(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 2);
	r = row_find(&m, 100, 0);
	/*
	 * 100: +2000 +20 +4 +4 +200 ms +200 ms; 101 (its exit record, once): +200 +4 +2 +1
	 * +50 ms +20 ms; 102 (from zero): 100 3 2 1 20 ms 0.
	 */
	expect_ctrs(r, CTRS(2300, 27, 8, 6, 270 * MS, 220 * MS));
	/* Per second over 2 s; the times in percent of the 2 s. */
	expect_near(r->rate[TASK_SYSC], 1150, "SYSC/s");
	expect_near(r->rate[TASK_VCSW], 13.5, "VCSW/s");
	expect_near(r->rate[TASK_ICSW], 4, "ICSW/s");
	expect_near(r->rate[TASK_MIGR], 3, "MIGR/s");
	expect_near(r->rate[TASK_WAIT_NS], 13.5, "WAIT%");
	expect_near(r->rate[TASK_IOW_NS], 11, "IOW%");
	/* The longest wait of any task: 101's 9 ms, not a sum. */
	assert_int_equal(r->max_wait_ns, 9 * MS);
	assert_int_equal(r->have, HAVE_ALL);
	r = row_find(&m, 200, 0);
	expect_ctrs(r, CTRS(500, 0, 0, 0, 0, 0));
	expect_near(r->rate[TASK_SYSC], 250, "SYSC/s");
	/* Every task's system calls, shown or not: 2300 + 500. */
	assert_int_equal(m.sum.tasks_sysc, 2800);
	o.pids = only;
	o.nr_pids = 1;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	assert_int_equal(m.sum.tasks_sysc, 2800);
	done(&m, &prev, &cur);
}

static void test_task_ctrs_threads(void **state)
{
	struct model_opts o = { .threads = true, .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};
	const struct row *r;

	(void)state;
	ctrs_fixture(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 4);
	r = row_find(&m, 100, 0);
	expect_ctrs(r, CTRS(2000, 20, 4, 4, 200 * MS, 200 * MS));
	expect_near(r->rate[TASK_SYSC], 1000, "100 SYSC/s");
	expect_near(r->rate[TASK_VCSW], 10, "100 VCSW/s");
	expect_near(r->rate[TASK_WAIT_NS], 10, "100 WAIT%");
	expect_near(r->rate[TASK_IOW_NS], 10, "100 IOW%");
	assert_int_equal(r->max_wait_ns, 5 * MS);
	/* The exited thread: its share over the whole interval, as its %CPU is. */
	r = row_find(&m, 101, 'X');
	expect_ctrs(r, CTRS(200, 4, 2, 1, 50 * MS, 20 * MS));
	expect_near(r->rate[TASK_SYSC], 100, "101 SYSC/s");
	expect_near(r->rate[TASK_ICSW], 1, "101 ICSW/s");
	expect_near(r->rate[TASK_MIGR], 0.5, "101 MIGR/s");
	expect_near(r->rate[TASK_WAIT_NS], 2.5, "101 WAIT%");
	expect_near(r->rate[TASK_IOW_NS], 1, "101 IOW%");
	assert_int_equal(r->max_wait_ns, 9 * MS);
	r = row_find(&m, 102, 0);
	expect_ctrs(r, CTRS(100, 3, 2, 1, 20 * MS, 0));
	expect_near(r->rate[TASK_SYSC], 50, "102 SYSC/s");
	expect_near(r->rate[TASK_VCSW], 1.5, "102 VCSW/s");
	expect_near(r->rate[TASK_WAIT_NS], 1, "102 WAIT%");
	assert_int_equal(r->max_wait_ns, 2 * MS);
	assert_int_equal(r->have, HAVE_ALL);
	assert_int_equal(m.sum.tasks_sysc, 2800);
	done(&m, &prev, &cur);
}

/* Waiting and sleeping are bounded by the task's time in the interval; counts are not. */
static void test_task_wait_clamped(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};
	struct snap_task t;
	const struct row *r;

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	prev.task_have = cur.task_have = HAVE_ALL;
	/* 100: waited 5 s and slept 3 s in 2 s (torn reads); 5e6 system calls stay. */
	add(&prev, ctr_task(100, 100, SEC, CTRS(0, 0, 0, 0, SEC, 0), 0));
	add(&cur, ctr_task(100, 100, SEC, CTRS(5000000, 0, 0, 100000, 6 * SEC, 3 * SEC), 0));
	/* 200: born at 11.5 s, claims 2 s of waiting and 1 s of sleep: 0.5 s each. */
	t = ctr_task(200, 200, 11500 * MS, CTRS(0, 0, 0, 0, 2 * SEC, SEC), 0);
	t.leader_start_ns = 11500 * MS;
	add(&cur, t);
	/* 300: lived 10.5 s .. 11 s, claims 3 s asleep: 0.5 s; its 100 ms of waiting stand. */
	t = ctr_task(300, 300, 10500 * MS, CTRS(0, 0, 0, 0, 100 * MS, 3 * SEC), 0);
	t.leader_start_ns = 10500 * MS;
	t.exit_ns = 11 * SEC;
	t.state = 'X';
	add(&cur, t);
	/* 400: two threads waiting 1.5 s each: the bound is per task, the row has 3 s. */
	t = ctr_task(400, 400, SEC, CTRS(0), 0);
	add(&prev, t);
	t.ctr[TASK_WAIT_NS] = 1500 * MS;
	add(&cur, t);
	t = ctr_task(401, 400, SEC, CTRS(0), 0);
	add(&prev, t);
	t.ctr[TASK_WAIT_NS] = 1500 * MS;
	add(&cur, t);
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 4);

	r = row_find(&m, 100, 0);
	expect_ctrs(r, CTRS(5000000, 0, 0, 100000, 2 * SEC, 2 * SEC));
	expect_near(r->rate[TASK_WAIT_NS], 100, "100 WAIT%");
	expect_near(r->rate[TASK_IOW_NS], 100, "100 IOW%");
	expect_near(r->rate[TASK_SYSC], 2500000, "100 SYSC/s");
	expect_near(r->rate[TASK_MIGR], 50000, "100 MIGR/s");
	/* A process row's rates are over the interval, 2 s, whenever its tasks were born. */
	r = row_find(&m, 200, 0);
	expect_ctrs(r, CTRS(0, 0, 0, 0, 500 * MS, 500 * MS));
	expect_near(r->rate[TASK_WAIT_NS], 25, "200 WAIT%");
	expect_near(r->rate[TASK_IOW_NS], 25, "200 IOW%");
	r = row_find(&m, 300, 'X');
	expect_ctrs(r, CTRS(0, 0, 0, 0, 100 * MS, 500 * MS));
	expect_near(r->rate[TASK_WAIT_NS], 5, "300 WAIT%");
	expect_near(r->rate[TASK_IOW_NS], 25, "300 IOW%");
	/* Like %CPU, of one CPU: two waiting threads make more than 100. */
	r = row_find(&m, 400, 0);
	expect_ctrs(r, CTRS(0, 0, 0, 0, 3 * SEC, 0));
	expect_near(r->rate[TASK_WAIT_NS], 150, "400 WAIT%");

	/* Thread rows: 200 alone is the same 0.5 s over the 2 s interval. */
	o.threads = true;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 5);
	expect_near(row_find(&m, 200, 0)->rate[TASK_WAIT_NS], 25, "thread 200 WAIT%");
	expect_near(row_find(&m, 401, 0)->rate[TASK_WAIT_NS], 75, "thread 401 WAIT%");
	done(&m, &prev, &cur);
}

/*
 * The first snapshot: counters averaged over each process's life (thread rows: each thread's),
 * and the waits bounded by it.
 */
static void test_task_ctrs_first(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot cur;
	struct model m = {};
	struct snap_task t;
	const struct row *r;

	(void)state;
	snap_init(&cur, 100 * SEC);
	cur.task_have = HAVE_ALL;
	/* Process 100 since 50 s: the leader, and thread 101 since 90 s, claiming 20 s waiting. */
	t = ctr_task(100, 100, 50 * SEC, CTRS(1000, 500, 50, 25, 5 * SEC, SEC), 3 * MS);
	t.leader_start_ns = 50 * SEC;
	add(&cur, t);
	t = ctr_task(101, 100, 90 * SEC, CTRS(0, 100, 0, 0, 20 * SEC, 0), 0);
	t.leader_start_ns = 50 * SEC;
	add(&cur, t);
	prepare(NULL, &cur);
	assert_int_equal(update(&m, NULL, &cur, &o), 0);
	r = row_find(&m, 100, 0);
	/* 101's wait bounded by its 10 s: 15 s in all over 50 s. */
	expect_ctrs(r, CTRS(1000, 600, 50, 25, 15 * SEC, SEC));
	expect_near(r->rate[TASK_VCSW], 12, "VCSW/s");
	expect_near(r->rate[TASK_ICSW], 1, "ICSW/s");
	expect_near(r->rate[TASK_MIGR], 0.5, "MIGR/s");
	expect_near(r->rate[TASK_WAIT_NS], 30, "WAIT%");

	o.threads = true;
	assert_int_equal(model_present(&m, &o), 0);
	r = row_find(&m, 100, 0);
	expect_near(r->rate[TASK_VCSW], 10, "100 VCSW/s");
	expect_near(r->rate[TASK_WAIT_NS], 10, "100 WAIT%");
	r = row_find(&m, 101, 0);
	expect_near(r->rate[TASK_VCSW], 10, "101 VCSW/s");
	expect_near(r->rate[TASK_WAIT_NS], 100, "101 WAIT%");
	done(&m, NULL, &cur);
}

/* The counters a row has: both snapshots' task_have, less what any of its tasks lacks. */
static void test_task_have(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};
	struct snap_task t;
	const struct row *r;

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	prev.task_have = HAVE_ALL;
	cur.task_have = HAVE_ALL & ~(1u << TASK_MIGR);
	add(&prev, ctr_task(100, 100, SEC, CTRS(0), 0));
	add(&cur, ctr_task(100, 100, SEC, CTRS(0), 0));
	/* A task's lacks are its own (/proc's tasks beside eBPF's): 101 lacks IOW%, 102 not. */
	t = ctr_task(101, 100, SEC, CTRS(0), 0);
	t.lacks = 1u << TASK_IOW_NS;
	add(&prev, t);
	add(&cur, t);
	add(&prev, ctr_task(102, 100, SEC, CTRS(0), 0));
	add(&cur, ctr_task(102, 100, SEC, CTRS(0), 0));
	add(&prev, ctr_task(200, 200, SEC, CTRS(0), 0));
	add(&cur, ctr_task(200, 200, SEC, CTRS(0), 0));
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	r = row_find(&m, 100, 0);
	assert_int_equal(r->have, HAVE_ALL & ~(1u << TASK_MIGR | 1u << TASK_IOW_NS));
	assert_false(field_available(FIELD_MIGR, r->have));
	assert_false(field_available(FIELD_IOW, r->have));
	assert_true(field_available(FIELD_WAIT, r->have));
	assert_true(field_available(FIELD_MAXW, r->have));
	assert_int_equal(row_find(&m, 200, 0)->have, HAVE_ALL & ~(1u << TASK_MIGR));
	o.threads = true;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(row_find(&m, 100, 0)->have, HAVE_ALL & ~(1u << TASK_MIGR));
	assert_int_equal(row_find(&m, 101, 0)->have,
			 HAVE_ALL & ~(1u << TASK_MIGR | 1u << TASK_IOW_NS));
	assert_int_equal(row_find(&m, 102, 0)->have, HAVE_ALL & ~(1u << TASK_MIGR));

	/* A counter the previous snapshot had not (the source changed) has no interval. */
	prev.task_have = 1u << TASK_WAIT_NS;
	cur.task_have = HAVE_ALL;
	o.threads = false;
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(row_find(&m, 200, 0)->have, 1u << TASK_WAIT_NS);

	/*
	 * The first snapshot: SYSC, IOW% and MAXW count from when the source first saw the task,
	 * so they have no average since it started.
	 */
	assert_int_equal(update(&m, NULL, &cur, &o), 0);
	r = row_find(&m, 200, 0);
	assert_int_equal(r->have, 1u << TASK_VCSW | 1u << TASK_ICSW | 1u << TASK_MIGR |
			 1u << TASK_WAIT_NS);
	assert_false(field_available(FIELD_SYSC, r->have));
	assert_false(field_available(FIELD_IOW, r->have));
	assert_false(field_available(FIELD_MAXW, r->have));
	assert_true(field_available(FIELD_VCSW, r->have));
	assert_true(field_available(FIELD_CPU, r->have));
	assert_int_equal(row_find(&m, 100, 0)->have, 1u << TASK_VCSW | 1u << TASK_ICSW |
			 1u << TASK_MIGR | 1u << TASK_WAIT_NS);
	done(&m, &prev, &cur);
}

/* /proc alone: run-queue wait and nothing else, first snapshot or not. */
static void test_task_have_procfs(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};
	struct snap_task t;

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	prev.task_have = cur.task_have = 1u << TASK_WAIT_NS;
	t = ctr_task(100, 100, SEC, CTRS(0, 0, 0, 0, 300 * MS), 0);
	t.lacks = ~(1u << TASK_WAIT_NS);
	add(&prev, t);
	t.ctr[TASK_WAIT_NS] = 800 * MS;
	add(&cur, t);
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.rows[0].have, 1u << TASK_WAIT_NS);
	expect_near(m.rows[0].rate[TASK_WAIT_NS], 25, "WAIT%");
	assert_int_equal(update(&m, NULL, &cur, &o), 0);
	assert_int_equal(m.rows[0].have, 1u << TASK_WAIT_NS);
	done(&m, &prev, &cur);
}

/* A task both live and exited: each counter the larger of the two reads, in the exit record. */
static void test_prepare_merges_ctrs(void **state)
{
	const uint64_t exit_ctr[TASK_NR_CTRS] = { 500, 20, 3, 7, 40 * MS, 9 * MS };
	const uint64_t live_ctr[TASK_NR_CTRS] = { 520, 18, 5, 7, 35 * MS, 10 * MS };
	const uint64_t want[TASK_NR_CTRS] = { 520, 20, 5, 7, 40 * MS, 10 * MS };
	struct snapshot s;
	struct snap_task t;
	int order, k;

	(void)state;
	/* Either order of arrival. */
	for (order = 0; order < 2; order++) {
		struct snap_task exited = ctr_task(100, 100, SEC, exit_ctr, 3 * MS);
		struct snap_task live = ctr_task(100, 100, SEC, live_ctr, 4 * MS);

		exited.exit_ns = 11 * SEC;
		exited.state = 'X';
		live.state = 'Z';
		snap_init(&s, 12 * SEC);
		add(&s, order ? live : exited);
		add(&s, order ? exited : live);
		snapshot_prepare(&s);
		assert_int_equal(s.nr_tasks, 1);
		t = s.tasks[0];
		assert_int_equal(t.exit_ns, 11 * SEC);
		for (k = 0; k < TASK_NR_CTRS; k++)
			assert_int_equal(t.ctr[k], want[k]);
		assert_int_equal(t.max_wait_ns, 4 * MS);
		snapshot_free(&s);
	}

	/* And the other way round for the longest wait. */
	snap_init(&s, 12 * SEC);
	t = ctr_task(100, 100, SEC, exit_ctr, 6 * MS);
	t.exit_ns = 11 * SEC;
	add(&s, t);
	add(&s, ctr_task(100, 100, SEC, live_ctr, 4 * MS));
	snapshot_prepare(&s);
	assert_int_equal(s.nr_tasks, 1);
	assert_int_equal(s.tasks[0].max_wait_ns, 6 * MS);
	snapshot_free(&s);
}

/* ---- sorting ---- */

/*
 * Five processes over a 1 s interval (ties on purpose, to see the PID tiebreak):
 *
 *	PID UID S THR %CPU %USR %SYS TIME+ COMMAND
 *	 10   2 S   1   20   10   10    5s beta
 *	 20   0 R   3   50   50    0    1s alpha
 *	 30   1 S   2   20    5   15    9s Zed
 *	 40   0 D   1    5    0    5    5s beta
 *	 50   1 R   1    0    0    0    0s gamma
 */
static void sort_fixture(struct snapshot *prev, struct snapshot *cur)
{
	static const struct {
		uint32_t pid, uid, thr;
		char state;
		uint64_t usr, sys, time;	/* ms: the interval's split, TIME+ */
		const char *comm;
	} p[] = {
		{ 10, 2, 1, 'S', 100, 100, 5000, "beta" },
		{ 20, 0, 3, 'R', 500, 0, 1000, "alpha" },
		{ 30, 1, 2, 'S', 50, 150, 9000, "Zed" },
		{ 40, 0, 1, 'D', 0, 50, 5000, "beta" },
		{ 50, 1, 1, 'R', 0, 0, 0, "gamma" },
	};
	size_t i;
	uint32_t k;

	snap_init(prev, 10 * SEC);
	snap_init(cur, 11 * SEC);
	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		struct snap_task t = { .tid = p[i].pid, .tgid = p[i].pid, .uid = p[i].uid,
			.start_ns = SEC, .leader_start_ns = SEC, .state = p[i].state };
		uint64_t run = (p[i].usr + p[i].sys) * MS;

		snprintf(t.comm, sizeof(t.comm), "%s", p[i].comm);
		t.cpu_ns = p[i].time * MS;
		t.user_ns = SEC + p[i].usr * MS;
		t.sys_ns = SEC + p[i].sys * MS;
		add(cur, t);
		t.cpu_ns -= run;
		t.user_ns = SEC;
		t.sys_ns = SEC;
		add(prev, t);
		/* Idle threads: they count for THR, not for the figures. */
		for (k = 1; k < p[i].thr; k++) {
			struct snap_task th = { .tid = p[i].pid + k, .tgid = p[i].pid,
				.uid = p[i].uid, .start_ns = SEC, .leader_start_ns = SEC,
				.state = 'S' };

			add(prev, th);
			add(cur, th);
		}
	}
	prepare(prev, cur);
}

static void expect_order(enum field f, bool descending, const uint32_t *pids,
			 const char *(*user_name)(uint32_t, void *))
{
	struct model_opts o = { .sort = f, .descending = descending, .user_name = user_name };
	struct snapshot prev, cur;
	struct model m = {};
	size_t i;

	sort_fixture(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 5);
	for (i = 0; i < 5; i++) {
		if (m.rows[i].pid != pids[i])
			fail_msg("sort %s %s: row %zu is PID %u, want %u", field_table[f].name,
				 descending ? "descending" : "ascending", i, m.rows[i].pid,
				 pids[i]);
	}
	done(&m, &prev, &cur);
}

static void test_sort_pid(void **state)
{
	(void)state;
	expect_order(FIELD_PID, false, (const uint32_t[]){ 10, 20, 30, 40, 50 }, NULL);
	expect_order(FIELD_PID, true, (const uint32_t[]){ 50, 40, 30, 20, 10 }, NULL);
}

static void test_sort_user_uid(void **state)
{
	(void)state;
	/* Without a name resolver: by uid. */
	expect_order(FIELD_USER, false, (const uint32_t[]){ 20, 40, 30, 50, 10 }, NULL);
	expect_order(FIELD_USER, true, (const uint32_t[]){ 10, 30, 50, 20, 40 }, NULL);
}

static const char *test_names(uint32_t uid, void *ctx)
{
	(void)ctx;
	return uid == 0 ? "root" : uid == 1 ? "adm" : "mail";
}

static void test_sort_user_name(void **state)
{
	(void)state;
	/* By name: adm (30 50) < mail (10) < root (20 40). */
	expect_order(FIELD_USER, false, (const uint32_t[]){ 30, 50, 10, 20, 40 }, test_names);
	expect_order(FIELD_USER, true, (const uint32_t[]){ 20, 40, 10, 30, 50 }, test_names);
}

static void test_sort_state(void **state)
{
	(void)state;
	expect_order(FIELD_STATE, false, (const uint32_t[]){ 40, 20, 50, 10, 30 }, NULL);
	expect_order(FIELD_STATE, true, (const uint32_t[]){ 10, 30, 20, 50, 40 }, NULL);
}

static void test_sort_thr(void **state)
{
	(void)state;
	expect_order(FIELD_THR, false, (const uint32_t[]){ 10, 40, 50, 30, 20 }, NULL);
	expect_order(FIELD_THR, true, (const uint32_t[]){ 20, 30, 10, 40, 50 }, NULL);
}

static void test_sort_cpu(void **state)
{
	(void)state;
	expect_order(FIELD_CPU, false, (const uint32_t[]){ 50, 40, 10, 30, 20 }, NULL);
	expect_order(FIELD_CPU, true, (const uint32_t[]){ 20, 10, 30, 40, 50 }, NULL);
}

static void test_sort_usr(void **state)
{
	(void)state;
	expect_order(FIELD_USR, false, (const uint32_t[]){ 40, 50, 30, 10, 20 }, NULL);
	expect_order(FIELD_USR, true, (const uint32_t[]){ 20, 10, 30, 40, 50 }, NULL);
}

static void test_sort_sys(void **state)
{
	(void)state;
	expect_order(FIELD_SYS, false, (const uint32_t[]){ 20, 50, 40, 10, 30 }, NULL);
	expect_order(FIELD_SYS, true, (const uint32_t[]){ 30, 10, 40, 20, 50 }, NULL);
}

static void test_sort_time(void **state)
{
	(void)state;
	expect_order(FIELD_TIME, false, (const uint32_t[]){ 50, 20, 10, 40, 30 }, NULL);
	expect_order(FIELD_TIME, true, (const uint32_t[]){ 30, 10, 40, 20, 50 }, NULL);
}

static void test_sort_command(void **state)
{
	(void)state;
	/* Byte order: "Zed" < "alpha" < "beta" (10 40) < "gamma". */
	expect_order(FIELD_COMMAND, false, (const uint32_t[]){ 30, 20, 10, 40, 50 }, NULL);
	expect_order(FIELD_COMMAND, true, (const uint32_t[]){ 50, 10, 40, 20, 30 }, NULL);
}

/*
 * Five processes over a 1 s interval, for the counter columns (ties on purpose):
 *
 *	PID	SYSC	WAIT%	MAXW
 *	 10	 300	   10	 4 ms
 *	 20	 900	    5	 9 ms
 *	 30	 300	   20	 4 ms	(two threads: 1 ms and 4 ms)
 *	 40	   0	   10	 6 ms	(two threads: 6 ms and 5 ms; their sum would be the largest)
 *	 50	1000	    0	 0
 */
static void ctr_sort_fixture(struct snapshot *prev, struct snapshot *cur)
{
	static const struct {
		uint32_t tid, tgid;
		uint64_t sysc, wait_ms, maxw_ms;
	} p[] = {
		{ 10, 10, 300, 100, 4 }, { 20, 20, 900, 50, 9 }, { 30, 30, 200, 150, 1 },
		{ 31, 30, 100, 50, 4 }, { 40, 40, 0, 60, 6 }, { 41, 40, 0, 40, 5 },
		{ 50, 50, 1000, 0, 0 },
	};
	size_t i;

	snap_init(prev, 10 * SEC);
	snap_init(cur, 11 * SEC);
	prev->task_have = cur->task_have = HAVE_ALL;
	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		add(prev, ctr_task(p[i].tid, p[i].tgid, SEC, CTRS(7, 0, 0, 0, SEC), 0));
		add(cur, ctr_task(p[i].tid, p[i].tgid, SEC,
				  CTRS(7 + p[i].sysc, 0, 0, 0, SEC + p[i].wait_ms * MS),
				  p[i].maxw_ms * MS));
	}
	prepare(prev, cur);
}

static void expect_ctr_order(enum field f, bool descending, const uint32_t *pids)
{
	struct model_opts o = { .sort = f, .descending = descending };
	struct snapshot prev, cur;
	struct model m = {};
	size_t i;

	ctr_sort_fixture(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 5);
	for (i = 0; i < 5; i++) {
		if (m.rows[i].pid != pids[i])
			fail_msg("sort %s %s: row %zu is PID %u, want %u", field_table[f].name,
				 descending ? "descending" : "ascending", i, m.rows[i].pid,
				 pids[i]);
	}
	done(&m, &prev, &cur);
}

static void test_sort_sysc(void **state)
{
	(void)state;
	expect_ctr_order(FIELD_SYSC, true, (const uint32_t[]){ 50, 20, 10, 30, 40 });
	expect_ctr_order(FIELD_SYSC, false, (const uint32_t[]){ 40, 10, 30, 20, 50 });
}

static void test_sort_wait(void **state)
{
	(void)state;
	expect_ctr_order(FIELD_WAIT, true, (const uint32_t[]){ 30, 10, 40, 20, 50 });
	expect_ctr_order(FIELD_WAIT, false, (const uint32_t[]){ 50, 20, 10, 40, 30 });
}

static void test_sort_maxw(void **state)
{
	(void)state;
	expect_ctr_order(FIELD_MAXW, true, (const uint32_t[]){ 20, 40, 10, 30, 50 });
	expect_ctr_order(FIELD_MAXW, false, (const uint32_t[]){ 50, 10, 30, 40, 20 });
}

/*
 * On the first snapshot counters sort by rate: 100 switched 100 times in its 10 s (10/s), 200
 * 50 times in its 1 s (50/s).
 */
static void test_sort_ctr_first(void **state)
{
	struct model_opts o = { .sort = FIELD_VCSW, .descending = true };
	struct snapshot cur;
	struct model m = {};
	struct snap_task t;

	(void)state;
	snap_init(&cur, 100 * SEC);
	cur.task_have = HAVE_ALL;
	t = ctr_task(100, 100, 90 * SEC, CTRS(0, 100), 0);
	t.leader_start_ns = 90 * SEC;
	add(&cur, t);
	t = ctr_task(200, 200, 99 * SEC, CTRS(0, 50), 0);
	t.leader_start_ns = 99 * SEC;
	add(&cur, t);
	prepare(NULL, &cur);
	assert_int_equal(update(&m, NULL, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 2);
	assert_int_equal(m.rows[0].pid, 200);
	assert_int_equal(m.rows[1].pid, 100);
	done(&m, NULL, &cur);
}

/*
 * main.c passes users_name() as the resolver. Its cache grows with realloc(), so a name it
 * returned is only valid until it looks up a new uid. This resolver has the same contract in
 * its plainest form: one buffer, rewritten by every call. Sorting by USER must still work.
 */
static const char *one_buffer_names(uint32_t uid, void *ctx)
{
	static char buf[16];

	(void)ctx;
	snprintf(buf, sizeof(buf), "%s", test_names(uid, NULL));
	return buf;
}

static void test_sort_user_name_lifetime(void **state)
{
	(void)state;
	expect_order(FIELD_USER, false, (const uint32_t[]){ 30, 50, 10, 20, 40 },
		     one_buffer_names);
}

/*
 * The real resolver with more uids than its first cache holds (16): see above. Whether a
 * stale name changes the result depends on the order of comparisons, so try a few input
 * orders (multipliers prime to 40 permute the PIDs).
 */
static void test_sort_user_users_cache(void **state)
{
	static const uint32_t perms[] = { 1, 3, 7, 9, 11, 13, 17, 39 };
	const uint32_t n = 40;
	char want[16], got[16];
	size_t k;
	uint32_t i;

	(void)state;
	for (k = 0; k < sizeof(perms) / sizeof(perms[0]); k++) {
		struct users users = {};
		struct model_opts o = { .sort = FIELD_USER, .user_name = users_name,
					.user_ctx = &users };
		struct snapshot cur;
		struct model m = {};

		snap_init(&cur, 12 * SEC);
		/* Unlikely uids, so that the names are their decimal numbers. */
		for (i = 0; i < n; i++) {
			uint32_t pid = 1000 + i * perms[k] % n;

			add(&cur, (struct snap_task){ .tid = pid, .tgid = pid,
				.uid = 3000000000u + i, .start_ns = SEC,
				.leader_start_ns = SEC, .state = 'S' });
		}
		prepare(NULL, &cur);
		assert_int_equal(update(&m, NULL, &cur, &o), 0);
		assert_int_equal(m.nr_rows, n);
		for (i = 0; i < n; i++) {
			snprintf(want, sizeof(want), "%u", 3000000000u + i);
			snprintf(got, sizeof(got), "%u", m.rows[i].uid);
			if (strcmp(got, want))
				fail_msg("PIDs permuted by %u: row %u has uid %s, want %s",
					 perms[k], i, got, want);
		}
		users_free(&users);
		done(&m, NULL, &cur);
	}
}

static void test_top_n(void **state)
{
	struct model_opts o = { .sort = FIELD_CPU, .descending = true, .top_n = 2 };
	struct snapshot prev, cur;
	struct model m = {};

	(void)state;
	sort_fixture(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 2);
	assert_int_equal(m.rows[0].pid, 20);
	assert_int_equal(m.rows[1].pid, 10);
	/* The summary still covers all. */
	assert_int_equal(m.sum.tasks.total, 5);

	o.top_n = 10;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 5);
	o.top_n = 0;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 5);
	done(&m, &prev, &cur);
}

/* ---- fields ---- */

static void test_field_parse(void **state)
{
	static const struct {
		const char *name;
		enum field f;
	} ok[] = {
		{ "PID", FIELD_PID }, { "pid", FIELD_PID }, { "User", FIELD_USER },
		{ "s", FIELD_STATE }, { "THR", FIELD_THR }, { "%cpu", FIELD_CPU },
		{ "%Usr", FIELD_USR }, { "%SYS", FIELD_SYS }, { "time+", FIELD_TIME },
		{ "Command", FIELD_COMMAND },
	};
	static const char *const bad[] = { "BOGUS", "", "CPU", "TIME", "%CPU ", "PIDX" };
	enum field f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		f = FIELD_NR;
		assert_int_equal(field_parse(ok[i].name, &f), 0);
		assert_int_equal(f, ok[i].f);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(field_parse(bad[i], &f), -EINVAL);

	/* Numbers sort high to low by default, names and PIDs low to high. */
	assert_false(field_table[FIELD_PID].descends);
	assert_false(field_table[FIELD_USER].descends);
	assert_false(field_table[FIELD_STATE].descends);
	assert_false(field_table[FIELD_COMMAND].descends);
	assert_true(field_table[FIELD_THR].descends);
	assert_true(field_table[FIELD_CPU].descends);
	assert_true(field_table[FIELD_USR].descends);
	assert_true(field_table[FIELD_SYS].descends);
	assert_true(field_table[FIELD_TIME].descends);
}

/* The counter columns: their names, the counter each needs, and when a row has a value. */
static void test_field_ctrs(void **state)
{
	static const struct {
		const char *name;
		enum field f;
		int ctr;
	} ctrs[] = {
		{ "sysc", FIELD_SYSC, TASK_SYSC }, { "Vcsw", FIELD_VCSW, TASK_VCSW },
		{ "ICSW", FIELD_ICSW, TASK_ICSW }, { "wait%", FIELD_WAIT, TASK_WAIT_NS },
		{ "maxw", FIELD_MAXW, -1 }, { "IOW%", FIELD_IOW, TASK_IOW_NS },
		{ "migr", FIELD_MIGR, TASK_MIGR },
	};
	enum field f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ctrs) / sizeof(ctrs[0]); i++) {
		f = FIELD_NR;
		assert_int_equal(field_parse(ctrs[i].name, &f), 0);
		assert_int_equal(f, ctrs[i].f);
		assert_int_equal(field_table[f].needs, ctrs[i].ctr < 0 ? TASK_HAVE_MAXW :
				 1u << ctrs[i].ctr);
		assert_true(field_table[f].descends);
		/* Each needs its own bit: all the others are not enough. */
		assert_true(field_available(f, HAVE_ALL));
		assert_false(field_available(f, HAVE_ALL & ~(ctrs[i].ctr < 0 ? TASK_HAVE_MAXW :
								1u << ctrs[i].ctr)));
	}
	assert_int_equal(field_parse("WAIT", &f), -EINVAL);
	assert_int_equal(field_parse("IOW", &f), -EINVAL);
	/* The other columns never lack a value, but IPC's and the cgroups' have bits of their own. */
	for (f = 0; f < FIELD_COLUMNS; f++) {
		if (field_table[f].needs == TASK_HAVE_CGROUP) {
			assert_true(f >= FIELD_CGROUP && f <= FIELD_PSI);
			assert_false(field_available(f, HAVE_ALL & ~TASK_HAVE_CGROUP));
		} else if ((f < FIELD_SYSC || f > FIELD_MIGR) && f != FIELD_IPC) {
			assert_int_equal(field_table[f].needs, 0);
			assert_true(field_available(f, 0));
		}
	}
	/* IPC needs both hardware counters. */	assert_false(field_available(FIELD_IPC, HAVE_ALL));
	assert_false(field_available(FIELD_IPC, 1u << TASK_CYCLES));
	assert_false(field_available(FIELD_IPC, 1u << TASK_INSNS));
	assert_true(field_available(FIELD_IPC, 1u << TASK_CYCLES | 1u << TASK_INSNS));
	/* /proc: run-queue wait only. */
	assert_true(field_available(FIELD_WAIT, 1u << TASK_WAIT_NS));
	assert_false(field_available(FIELD_MAXW, 1u << TASK_WAIT_NS));
	assert_false(field_available(FIELD_SYSC, 1u << TASK_WAIT_NS));
}

/* ---- command filter ---- */

/*
 * Four processes: 100 "Firefox" with a thread "Web Content", 200 "firewalld", 300 "bash" and
 * 400 "FIREFOX-bin" of another user.
 */
static void comm_fixture(struct snapshot *cur)
{
	snap_init(cur, 12 * SEC);
	add(cur, (struct snap_task){ .tid = 100, .tgid = 100, .uid = 1000, .start_ns = SEC,
		.leader_start_ns = SEC, .state = 'S', .comm = "Firefox" });
	add(cur, (struct snap_task){ .tid = 101, .tgid = 100, .uid = 1000, .start_ns = SEC,
		.leader_start_ns = SEC, .state = 'S', .comm = "Web Content" });
	add(cur, (struct snap_task){ .tid = 200, .tgid = 200, .uid = 0, .start_ns = SEC,
		.leader_start_ns = SEC, .state = 'S', .comm = "firewalld" });
	add(cur, (struct snap_task){ .tid = 300, .tgid = 300, .uid = 1000, .start_ns = SEC,
		.leader_start_ns = SEC, .state = 'S', .comm = "bash" });
	add(cur, (struct snap_task){ .tid = 400, .tgid = 400, .uid = 0, .start_ns = SEC,
		.leader_start_ns = SEC, .state = 'S', .comm = "FIREFOX-bin" });
	prepare(NULL, cur);
}

/* The rows of @cur under @o are the PIDs of @want (n of them), in PID order. */
static void expect_pids(const struct snapshot *cur, const struct model_opts *o,
			const uint32_t *want, size_t n)
{
	struct model m = {};
	size_t i;

	assert_int_equal(update(&m, NULL, cur, o), 0);
	if (m.nr_rows != n)
		fail_msg("filter \"%s\"%s: %zu rows, want %zu", o->comm_filter ?: "(null)",
			 o->threads ? " (threads)" : "", m.nr_rows, n);
	for (i = 0; i < n; i++)
		assert_int_equal(m.rows[i].pid, want[i]);
	/* The Tasks line is the system's, whatever the filter shows. */
	assert_int_equal(m.sum.tasks.total, o->threads ? 5 : 4);
	model_free(&m);
}

static void test_filter_comm(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot cur;

	(void)state;
	comm_fixture(&cur);
	/* Any case, anywhere in the name. */
	o.comm_filter = "FIRE";
	expect_pids(&cur, &o, (const uint32_t[]){ 100, 200, 400 }, 3);
	o.comm_filter = "fox";
	expect_pids(&cur, &o, (const uint32_t[]){ 100, 400 }, 2);
	o.comm_filter = "Bash";
	expect_pids(&cur, &o, (const uint32_t[]){ 300 }, 1);
	o.comm_filter = "x-B";
	expect_pids(&cur, &o, (const uint32_t[]){ 400 }, 1);
	o.comm_filter = "firewalld";
	expect_pids(&cur, &o, (const uint32_t[]){ 200 }, 1);
	o.comm_filter = "firewalldd";
	expect_pids(&cur, &o, NULL, 0);
	o.comm_filter = "zzz";
	expect_pids(&cur, &o, NULL, 0);
	/* No filter: NULL or empty. */
	o.comm_filter = "";
	expect_pids(&cur, &o, (const uint32_t[]){ 100, 200, 300, 400 }, 4);
	o.comm_filter = NULL;
	expect_pids(&cur, &o, (const uint32_t[]){ 100, 200, 300, 400 }, 4);
	/* With -u: both must hold. */
	o.comm_filter = "fire";
	o.uid_set = true;
	o.uid = 0;
	expect_pids(&cur, &o, (const uint32_t[]){ 200, 400 }, 2);
	snapshot_free(&cur);
}

/* A process row shows (and is filtered by) its leader's name; a thread row by its own. */
static void test_filter_comm_threads(void **state)
{
	struct model_opts o = { .sort = FIELD_PID, .comm_filter = "content" };
	struct snapshot cur;

	(void)state;
	comm_fixture(&cur);
	expect_pids(&cur, &o, NULL, 0);
	o.threads = true;
	expect_pids(&cur, &o, (const uint32_t[]){ 101 }, 1);
	o.comm_filter = "FIREFOX";
	expect_pids(&cur, &o, (const uint32_t[]){ 100, 400 }, 2);
	o.comm_filter = "";
	expect_pids(&cur, &o, (const uint32_t[]){ 100, 101, 200, 300, 400 }, 5);
	snapshot_free(&cur);
}

/* ---- per-CPU shares ---- */

/* @s's per-CPU counters: @n CPUs, given as USER NICE SYSTEM IDLE IOWAIT ... rows. */
static void cpus_set(struct snapshot *s, uint32_t n, const uint64_t (*t)[CPU_NR_FIELDS])
{
	uint32_t i;

	free(s->cpus);
	s->cpus = calloc(n ? n : 1, sizeof(*s->cpus));
	assert_non_null(s->cpus);
	for (i = 0; i < n; i++)
		memcpy(s->cpus[i].t, t[i], sizeof(s->cpus[i].t));
	s->nr_cpus = s->cap_cpus = n;
}

/* CPU @cpu's share of field @f is @want percent. */
static void expect_cpu(const struct model *m, uint32_t cpu, enum cpu_field f, double want)
{
	assert_true(cpu < m->nr_cpus);
	if (fabs(m->cpus[cpu].pct[f] - want) > 1e-9)
		fail_msg("CPU %u field %d: %g%%, want %g%%", cpu, f, m->cpus[cpu].pct[f], want);
}

/*
 * Two CPUs, then a third brought online. Over the interval (ticks):
 *	cpu0: user +50 system +25 idle +25		-> 50 / 25 / 25
 *	cpu1: user +10 (guest +4 inside it) idle +80 iowait +5 steal +5
 *	cpu2: new, counts from boot: user 30 softirq 10 idle 60
 */
static const uint64_t cpus_before[2][CPU_NR_FIELDS] = {
	{ [CPU_USER] = 100, [CPU_SYSTEM] = 50, [CPU_IDLE] = 750 },
	{ [CPU_USER] = 20, [CPU_IDLE] = 900, [CPU_GUEST] = 6 },
};
static const uint64_t cpus_after[3][CPU_NR_FIELDS] = {
	{ [CPU_USER] = 150, [CPU_SYSTEM] = 75, [CPU_IDLE] = 775 },
	{ [CPU_USER] = 30, [CPU_IDLE] = 980, [CPU_IOWAIT] = 5, [CPU_STEAL] = 5, [CPU_GUEST] = 10 },
	{ [CPU_USER] = 30, [CPU_SOFTIRQ] = 10, [CPU_IDLE] = 60 },
};

static void test_cpus_interval(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 11 * SEC);
	cpus_set(&prev, 2, cpus_before);
	cpus_set(&cur, 3, cpus_after);
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_cpus, 3);
	expect_cpu(&m, 0, CPU_USER, 50);
	expect_cpu(&m, 0, CPU_SYSTEM, 25);
	expect_cpu(&m, 0, CPU_IDLE, 25);
	expect_cpu(&m, 0, CPU_NICE, 0);
	/* Guest time is inside user time: not counted twice in the whole. */
	expect_cpu(&m, 1, CPU_USER, 10);
	expect_cpu(&m, 1, CPU_IDLE, 80);
	expect_cpu(&m, 1, CPU_IOWAIT, 5);
	expect_cpu(&m, 1, CPU_STEAL, 5);
	expect_cpu(&m, 1, CPU_GUEST, 4);
	expect_cpu(&m, 2, CPU_USER, 30);
	expect_cpu(&m, 2, CPU_SOFTIRQ, 10);
	expect_cpu(&m, 2, CPU_IDLE, 60);
	done(&m, &prev, &cur);
}

/* The first snapshot: every CPU's shares since boot. */
static void test_cpus_first(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot cur;
	struct model m = {};

	(void)state;
	snap_init(&cur, 11 * SEC);
	cpus_set(&cur, 3, cpus_after);
	prepare(NULL, &cur);
	assert_int_equal(update(&m, NULL, &cur, &o), 0);
	assert_int_equal(m.nr_cpus, 3);
	/* cpu0: 150 + 75 + 775 = 1000 ticks. */
	expect_cpu(&m, 0, CPU_USER, 15);
	expect_cpu(&m, 0, CPU_SYSTEM, 7.5);
	expect_cpu(&m, 0, CPU_IDLE, 77.5);
	/* cpu1: 30 + 980 + 5 + 5 = 1020 ticks. */
	expect_cpu(&m, 1, CPU_USER, 100.0 * 30 / 1020);
	expect_cpu(&m, 1, CPU_IDLE, 100.0 * 980 / 1020);
	expect_cpu(&m, 2, CPU_USER, 30);
	done(&m, NULL, &cur);
}

/* CPUs going offline and more coming back: the table follows, each CPU with its own shares. */
static void test_cpus_count_changes(void **state)
{
	static const uint64_t one[1][CPU_NR_FIELDS] = {
		{ [CPU_USER] = 200, [CPU_IDLE] = 800 },
	};
	uint64_t many[6][CPU_NR_FIELDS] = {};
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot a, b, c, d;
	struct model m = {};
	uint32_t i;

	(void)state;
	snap_init(&a, 10 * SEC);
	snap_init(&b, 11 * SEC);
	snap_init(&c, 12 * SEC);
	snap_init(&d, 13 * SEC);
	cpus_set(&a, 3, cpus_after);
	cpus_set(&b, 1, one);
	/* cpu i: user 10 * (i + 1) of 100 ticks (from boot for CPUs 1..5, new since b). */
	for (i = 0; i < 6; i++) {
		many[i][CPU_USER] = 10 * (i + 1) + (i ? 0 : 200);
		many[i][CPU_IDLE] = 100 - 10 * (i + 1) + (i ? 0 : 800);
	}
	cpus_set(&c, 6, (const uint64_t (*)[CPU_NR_FIELDS])many);
	prepare(&a, &b);
	prepare(NULL, &c);

	assert_int_equal(update(&m, &a, &b, &o), 0);
	assert_int_equal(m.nr_cpus, 1);
	/* cpu0 from a to b: user +50, idle +25: 2/3 and 1/3. */
	expect_cpu(&m, 0, CPU_USER, 100.0 * 50 / 75);
	expect_cpu(&m, 0, CPU_IDLE, 100.0 * 25 / 75);

	assert_int_equal(update(&m, &b, &c, &o), 0);
	assert_int_equal(m.nr_cpus, 6);
	for (i = 0; i < 6; i++)
		expect_cpu(&m, i, CPU_USER, 10.0 * (i + 1));

	/* Counters that went backwards (a CPU reset): nothing, not a huge share. */
	cpus_set(&d, 1, one);
	prepare(NULL, &d);
	assert_int_equal(update(&m, &c, &d, &o), 0);
	assert_int_equal(m.nr_cpus, 1);
	expect_cpu(&m, 0, CPU_USER, 0);
	expect_cpu(&m, 0, CPU_IDLE, 0);

	/* No CPU lines at all. */
	snapshot_free(&d);
	snap_init(&d, 14 * SEC);
	assert_int_equal(update(&m, &c, &d, &o), 0);
	assert_int_equal(m.nr_cpus, 0);
	model_free(&m);
	snapshot_free(&a);
	snapshot_free(&b);
	snapshot_free(&c);
	snapshot_free(&d);
}

/* ---- per-CPU counters ---- */

static const uint64_t no_ticks[3][CPU_NR_FIELDS];

static void ctrs_set(struct snapshot *s, uint32_t cpu, struct cpu_ctrs c)
{
	struct cpu_ctrs *p = snapshot_cpu_ctrs(s, cpu);

	assert_non_null(p);
	*p = c;
}

/* Counter @k of row @r (a CPU, or @what "all") is @want. */
static void expect_ctr(const struct cpu_row *r, const char *what, enum cpu_ctr k, double want)
{
	char name[32];

	snprintf(name, sizeof(name), "%s counter %d", what, k);
	expect_near(r->rate[k], want, name);
}

#define TIMER (CTR_SOFTIRQ + 1)

/*
 * Over 10 s .. 12 s. CPU 2 came online since: it counts from zero. LOC is in the current
 * snapshot only and YLD in the previous one only: neither has an interval.
 *
 *		CSW	PRE	SYSC	BUSY	IDLE	IRQ	TIMER
 *	cpu0	+2000	+200	+40000	+0.5 s	+1.5 s	+400	+400
 *	cpu1	+400	+40	0	+1.6 s	+0.4 s	+10	+200
 *	cpu2	100	10	2000	0.3 s	0.1 s	4	6
 */
static void test_cpu_ctrs_interval(void **state)
{
	const uint64_t have = 1ull << CTR_CSW | 1ull << CTR_PRE | 1ull << CTR_SYSC |
			      1ull << CTR_BUSY_NS | 1ull << CTR_IDLE_NS | 1ull << CTR_IRQ |
			      1ull << TIMER;
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};
	int k;

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	cpus_set(&prev, 2, no_ticks);
	cpus_set(&cur, 3, no_ticks);
	prev.ctr_have = have | 1ull << CTR_YLD;
	cur.ctr_have = have | 1ull << CTR_LOC;
	prev.ctxt = 1000000;
	cur.ctxt = 1004200;
	ctrs_set(&prev, 0, (struct cpu_ctrs){ .v = { [CTR_CSW] = 1000, [CTR_PRE] = 100,
		[CTR_SYSC] = 50000, [CTR_BUSY_NS] = 3 * SEC, [CTR_IDLE_NS] = SEC,
		[CTR_IRQ] = 200, [CTR_LOC] = 1000, [TIMER] = 300, [CTR_YLD] = 10 } });
	ctrs_set(&cur, 0, (struct cpu_ctrs){ .v = { [CTR_CSW] = 3000, [CTR_PRE] = 300,
		[CTR_SYSC] = 90000, [CTR_BUSY_NS] = 3500 * MS, [CTR_IDLE_NS] = 2500 * MS,
		[CTR_IRQ] = 600, [CTR_LOC] = 3000, [TIMER] = 700, [CTR_YLD] = 30 } });
	ctrs_set(&prev, 1, (struct cpu_ctrs){ .v = { [CTR_CSW] = 500, [CTR_SYSC] = 10000,
		[CTR_BUSY_NS] = SEC, [CTR_IDLE_NS] = SEC, [TIMER] = 100 } });
	ctrs_set(&cur, 1, (struct cpu_ctrs){ .v = { [CTR_CSW] = 900, [CTR_PRE] = 40,
		[CTR_SYSC] = 10000, [CTR_BUSY_NS] = 2600 * MS, [CTR_IDLE_NS] = 1400 * MS,
		[CTR_IRQ] = 10, [TIMER] = 300 } });
	ctrs_set(&cur, 2, (struct cpu_ctrs){ .v = { [CTR_CSW] = 100, [CTR_PRE] = 10,
		[CTR_SYSC] = 2000, [CTR_BUSY_NS] = 300 * MS, [CTR_IDLE_NS] = 100 * MS,
		[CTR_IRQ] = 4, [TIMER] = 6 } });
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.sum.ctr_have, have);
	assert_int_equal(m.nr_cpus, 3);
	/* 4200 switches in 2 s. */
	expect_near(m.sum.ctxt_rate, 2100, "ctxt/s");

	expect_ctr(&m.cpus[0], "cpu0", CTR_CSW, 1000);
	expect_ctr(&m.cpus[0], "cpu0", CTR_PRE, 100);
	expect_ctr(&m.cpus[0], "cpu0", CTR_SYSC, 20000);
	expect_ctr(&m.cpus[0], "cpu0", CTR_IRQ, 200);
	expect_ctr(&m.cpus[0], "cpu0", TIMER, 200);
	/* Busy 0.5 s of 2 s measured. */
	expect_ctr(&m.cpus[0], "cpu0", CTR_BUSY_NS, 25);
	expect_ctr(&m.cpus[0], "cpu0", CTR_IDLE_NS, 75);
	expect_ctr(&m.cpus[0], "cpu0", CTR_LOC, 0);
	expect_ctr(&m.cpus[0], "cpu0", CTR_YLD, 0);

	expect_ctr(&m.cpus[1], "cpu1", CTR_CSW, 200);
	expect_ctr(&m.cpus[1], "cpu1", CTR_PRE, 20);
	expect_ctr(&m.cpus[1], "cpu1", CTR_SYSC, 0);
	expect_ctr(&m.cpus[1], "cpu1", CTR_IRQ, 5);
	expect_ctr(&m.cpus[1], "cpu1", TIMER, 100);
	expect_ctr(&m.cpus[1], "cpu1", CTR_BUSY_NS, 80);
	expect_ctr(&m.cpus[1], "cpu1", CTR_IDLE_NS, 20);

	expect_ctr(&m.cpus[2], "cpu2", CTR_CSW, 50);
	expect_ctr(&m.cpus[2], "cpu2", CTR_PRE, 5);
	expect_ctr(&m.cpus[2], "cpu2", CTR_SYSC, 1000);
	expect_ctr(&m.cpus[2], "cpu2", CTR_IRQ, 2);
	expect_ctr(&m.cpus[2], "cpu2", TIMER, 3);
	expect_ctr(&m.cpus[2], "cpu2", CTR_BUSY_NS, 75);
	expect_ctr(&m.cpus[2], "cpu2", CTR_IDLE_NS, 25);

	/* All: the deltas summed, then per second; busy 2.4 s of 2.4 + 2 s. */
	expect_ctr(&m.sum.all, "all", CTR_CSW, 1250);
	expect_ctr(&m.sum.all, "all", CTR_PRE, 125);
	expect_ctr(&m.sum.all, "all", CTR_SYSC, 21000);
	expect_ctr(&m.sum.all, "all", CTR_IRQ, 207);
	expect_ctr(&m.sum.all, "all", TIMER, 303);
	expect_ctr(&m.sum.all, "all", CTR_BUSY_NS, 100.0 * 24 / 44);
	expect_ctr(&m.sum.all, "all", CTR_IDLE_NS, 100.0 * 20 / 44);
	expect_ctr(&m.sum.all, "all", CTR_LOC, 0);
	for (k = 0; k < CTR_NR; k++) {
		if (!(have & 1ull << k))
			expect_ctr(&m.sum.all, "all", k, 0);
	}
	done(&m, &prev, &cur);
}

/*
 * /proc/stat failed at either end of the interval: its figures are unavailable, not zeros
 * or counts from boot; the CPUs' rows still carry the eBPF counters.
 */
static void test_cpu_ticks_unavailable(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	cpus_set(&prev, 2, no_ticks);
	cpus_set(&cur, 2, no_ticks);
	prev.hz = cur.hz = 100;
	prev.cpu_total.t[CPU_USER] = 100;
	cur.cpu_total.t[CPU_USER] = 300;
	prev.ctxt = 1000;
	cur.ctxt = 3000;
	prev.ctr_have = cur.ctr_have = 1ull << CTR_CSW;
	ctrs_set(&prev, 1, (struct cpu_ctrs){ .v = { [CTR_CSW] = 100 } });
	ctrs_set(&cur, 1, (struct cpu_ctrs){ .v = { [CTR_CSW] = 500 } });
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.sum.ticks_err, 0);
	assert_int_equal(m.sum.busy_ns, 2 * SEC);
	expect_near(m.sum.ctxt_rate, 1000, "ctxt/s");

	/* Now: no CPU lines, no total; the counters' two CPUs stay. */
	cur.stat_err = -EINVAL;
	cur.nr_cpus = 0;
	memset(&cur.cpu_total, 0, sizeof(cur.cpu_total));
	cur.ctxt = 0;
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.sum.ticks_err, -EINVAL);
	assert_int_equal(m.sum.busy_ns, 0);
	assert_float_equal(m.sum.ctxt_rate, 0, 0);
	assert_int_equal(m.nr_cpus, 2);
	expect_ctr(&m.cpus[1], "cpu1", CTR_CSW, 200);
	expect_ctr(&m.sum.all, "all", CTR_CSW, 200);

	/* Back, after a failure: still unavailable, not 300 ticks since boot. */
	prev.stat_err = -EIO;
	prev.nr_cpus = 0;
	memset(&prev.cpu_total, 0, sizeof(prev.cpu_total));
	prev.ctxt = 0;
	cur.stat_err = 0;
	cur.nr_cpus = 2;
	cur.cpu_total.t[CPU_USER] = 300;
	cur.ctxt = 3000;
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.sum.ticks_err, -EIO);
	assert_int_equal(m.sum.busy_ns, 0);
	assert_float_equal(m.sum.ctxt_rate, 0, 0);
	done(&m, &prev, &cur);
}

/*
 * The first snapshot: the counters kept since cputop attached are left out; those since boot
 * (/proc/interrupts, /proc/softirqs, /proc/stat ctxt) are averaged over the uptime, 100 s.
 */
static void test_cpu_ctrs_first(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot cur;
	struct model m = {};
	int k;

	(void)state;
	snap_init(&cur, 12 * SEC);
	cur.uptime_s = 100;
	cur.ctxt = 250000;
	cpus_set(&cur, 3, no_ticks);
	cur.ctr_have = 1ull << CTR_CSW | 1ull << CTR_PRE | 1ull << CTR_SYSC | 1ull << CTR_YLD |
		       1ull << CTR_BUSY_NS | 1ull << CTR_IDLE_NS | 1ull << CTR_IRQ |
		       1ull << CTR_LOC | 1ull << CTR_SOFTIRQ;
	ctrs_set(&cur, 0, (struct cpu_ctrs){ .v = { [CTR_CSW] = 12345, [CTR_SYSC] = 999,
		[CTR_BUSY_NS] = SEC, [CTR_IRQ] = 5000, [CTR_LOC] = 20000,
		[CTR_SOFTIRQ] = 100 } });
	ctrs_set(&cur, 1, (struct cpu_ctrs){ .v = { [CTR_CSW] = 777, [CTR_IRQ] = 1000,
		[CTR_LOC] = 30000 } });
	/* cpu2 has no counters at all (nr_ctrs is 2): zeros. */
	prepare(NULL, &cur);
	assert_int_equal(update(&m, NULL, &cur, &o), 0);
	assert_true(m.sum.since_start);
	assert_int_equal(m.sum.ctr_have, 1ull << CTR_IRQ | 1ull << CTR_LOC | 1ull << CTR_SOFTIRQ);
	expect_near(m.sum.ctxt_rate, 2500, "ctxt/s");
	expect_ctr(&m.cpus[0], "cpu0", CTR_IRQ, 50);
	expect_ctr(&m.cpus[0], "cpu0", CTR_LOC, 200);
	expect_ctr(&m.cpus[0], "cpu0", CTR_SOFTIRQ, 1);
	expect_ctr(&m.cpus[0], "cpu0", CTR_CSW, 0);
	expect_ctr(&m.cpus[0], "cpu0", CTR_SYSC, 0);
	expect_ctr(&m.cpus[1], "cpu1", CTR_IRQ, 10);
	expect_ctr(&m.cpus[1], "cpu1", CTR_LOC, 300);
	expect_ctr(&m.cpus[1], "cpu1", CTR_CSW, 0);
	for (k = 0; k < CTR_NR; k++)
		expect_ctr(&m.cpus[2], "cpu2", k, 0);
	expect_ctr(&m.sum.all, "all", CTR_IRQ, 60);
	expect_ctr(&m.sum.all, "all", CTR_LOC, 500);
	expect_ctr(&m.sum.all, "all", CTR_SOFTIRQ, 1);
	expect_ctr(&m.sum.all, "all", CTR_CSW, 0);

	/* No uptime: nothing to average over, zeros rather than infinities. */
	cur.uptime_s = 0;
	assert_int_equal(update(&m, NULL, &cur, &o), 0);
	assert_true(m.sum.ctxt_rate == 0);
	for (k = 0; k < CTR_NR; k++) {
		if (k != CTR_BUSY_NS && k != CTR_IDLE_NS)
			expect_ctr(&m.cpus[0], "cpu0", k, 0);
	}
	done(&m, NULL, &cur);
}

/* Without counters (/proc/stat only), but for ctxt: no rate, and no counter bit. */
static void test_cpu_ctrs_none(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};
	int k;

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 14 * SEC);
	cpus_set(&prev, 2, no_ticks);
	cpus_set(&cur, 2, no_ticks);
	prev.ctxt = 5000;
	cur.ctxt = 7000;
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.sum.ctr_have, 0);
	expect_near(m.sum.ctxt_rate, 500, "ctxt/s");
	for (k = 0; k < CTR_NR; k++) {
		expect_ctr(&m.cpus[0], "cpu0", k, 0);
		expect_ctr(&m.cpus[1], "cpu1", k, 0);
		expect_ctr(&m.sum.all, "all", k, 0);
	}
	/* ctxt that went backwards: 0. */
	cur.ctxt = 4000;
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_true(m.sum.ctxt_rate == 0);
	done(&m, &prev, &cur);
}

/* A counter that went backwards (a CPU's counters reset): nothing, not a huge rate. */
static void test_cpu_ctrs_reset(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	cpus_set(&prev, 2, no_ticks);
	cpus_set(&cur, 2, no_ticks);
	prev.ctr_have = cur.ctr_have = 1ull << CTR_CSW;
	ctrs_set(&prev, 0, (struct cpu_ctrs){ .v = { [CTR_CSW] = 5000 } });
	ctrs_set(&cur, 0, (struct cpu_ctrs){ .v = { [CTR_CSW] = 3000 } });
	ctrs_set(&prev, 1, (struct cpu_ctrs){ .v = { [CTR_CSW] = 100 } });
	ctrs_set(&cur, 1, (struct cpu_ctrs){ .v = { [CTR_CSW] = 300 } });
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	expect_ctr(&m.cpus[0], "cpu0", CTR_CSW, 0);
	expect_ctr(&m.cpus[1], "cpu1", CTR_CSW, 100);
	/* The all row adds what each CPU counted: one going back does not cancel the others. */
	expect_ctr(&m.sum.all, "all", CTR_CSW, 100);
	done(&m, &prev, &cur);
}

/* /proc/interrupts counts per CPU in 32 bits: a count that went back wrapped around. */
static void test_cpu_ctrs_wrap(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	cpus_set(&prev, 2, no_ticks);
	cpus_set(&cur, 2, no_ticks);
	prev.ctr_have = cur.ctr_have = 1ull << CTR_LOC;
	ctrs_set(&prev, 0, (struct cpu_ctrs){ .v = { [CTR_LOC] = 4294967290ull } });
	ctrs_set(&cur, 0, (struct cpu_ctrs){ .v = { [CTR_LOC] = 10 } });
	ctrs_set(&prev, 1, (struct cpu_ctrs){ .v = { [CTR_LOC] = 1000 } });
	ctrs_set(&cur, 1, (struct cpu_ctrs){ .v = { [CTR_LOC] = 3000 } });
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	expect_ctr(&m.cpus[0], "cpu0", CTR_LOC, 8);	/* 16 in 2 s */
	expect_ctr(&m.cpus[1], "cpu1", CTR_LOC, 1000);
	expect_ctr(&m.sum.all, "all", CTR_LOC, 1008);
	done(&m, &prev, &cur);
}

/* ---- row identity ---- */

/*
 * A row's start_ns is the identity the history keys on: the process's (its leader's start)
 * in process mode, the thread's own in thread mode. Process 300's leader has gone.
 */
static void test_row_start_ns(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};

	(void)state;
	threads_fixture(&prev, &cur);
	add(&cur, (struct snap_task){ .tid = 301, .tgid = 300, .start_ns = 5 * SEC,
		.leader_start_ns = 4 * SEC, .state = 'S' });
	add(&cur, (struct snap_task){ .tid = 400, .tgid = 400, .start_ns = 6 * SEC,
		.leader_start_ns = 6 * SEC, .exit_ns = 11 * SEC, .state = 'X' });
	snapshot_prepare(&cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 3);
	assert_int_equal(row_find(&m, 100, 0)->start_ns, SEC);
	assert_int_equal(row_find(&m, 300, 0)->start_ns, 4 * SEC);
	assert_int_equal(row_find(&m, 400, 'X')->start_ns, 6 * SEC);

	o.threads = true;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 5);
	assert_int_equal(row_find(&m, 100, 0)->start_ns, SEC);
	assert_int_equal(row_find(&m, 50, 0)->start_ns, 2 * SEC);
	assert_int_equal(row_find(&m, 101, 0)->start_ns, 3 * SEC);
	assert_int_equal(row_find(&m, 301, 0)->start_ns, 5 * SEC);
	assert_int_equal(row_find(&m, 400, 'X')->start_ns, 6 * SEC);
	done(&m, &prev, &cur);
}

/* ---- per-program groups ---- */

/* A single-threaded process: one task @pid, started at @start_ns, all its time user time. */
static struct snap_task proc(uint32_t pid, uint32_t ppid, uint32_t uid, const char *comm,
			     uint64_t start_ns, uint64_t cpu_ns, char state)
{
	struct snap_task t = { .tid = pid, .tgid = pid, .ppid = ppid, .uid = uid,
		.start_ns = start_ns, .leader_start_ns = start_ns, .cpu_ns = cpu_ns,
		.user_ns = cpu_ns, .state = state };

	memcpy(t.comm, comm, strnlen(comm, sizeof(t.comm)));
	return t;
}

/* The exit record of that process: gone at @exit_ns, with @cpu_ns on the CPU in all. */
static struct snap_task gone(uint32_t pid, uint32_t ppid, uint32_t uid, const char *comm,
			     uint64_t start_ns, uint64_t exit_ns, uint64_t cpu_ns)
{
	struct snap_task t = proc(pid, ppid, uid, comm, start_ns, cpu_ns, 'X');

	t.exit_ns = exit_ns;
	return t;
}

/*
 * The row of group @comm (GROUP_COMM: @uid ignored) or of owner @uid (GROUP_USER: @comm
 * NULL). A group row has no PID.
 */
static const struct row *group_row(const struct model *m, const char *comm, uint32_t uid)
{
	size_t i;

	for (i = 0; i < m->nr_rows; i++) {
		const struct row *r = &m->rows[i];

		if (comm ? !strncmp(r->comm, comm, sizeof(r->comm)) : r->uid == uid) {
			assert_int_equal(r->pid, 0);
			return r;
		}
	}
	fail_msg("no group row for %s %u", comm ? comm : "uid", comm ? 0 : uid);
	return NULL;
}

static bool group_shown(const struct model *m, const char *comm)
{
	size_t i;

	for (i = 0; i < m->nr_rows; i++) {
		if (!strncmp(m->rows[i].comm, comm, sizeof(m->rows[i].comm)))
			return true;
	}
	return false;
}

/*
 * Two programs over 10 s .. 12 s, every figure user time:
 *   make 100 (uid 1000, started 1 s)  1 s -> 1.5 s, S    +0.5 s = 25%
 *   make 101 (uid 1000, started 2 s)  2 s -> 2.2 s, R    +0.2 s = 10%
 *   make 102 (uid 1000, started 3 s)  3 s, exits at 11 s with 3.1 s: +0.1 s = 5%
 *   sh   200 (uid 0, started 1 s)     0.5 s -> 0.9 s, S  +0.4 s = 20%
 */
static void groups_fixture(struct snapshot *prev, struct snapshot *cur)
{
	snap_init(prev, 10 * SEC);
	snap_init(cur, 12 * SEC);
	add(prev, proc(100, 1, 1000, "make", SEC, SEC, 'S'));
	add(prev, proc(101, 1, 1000, "make", 2 * SEC, 2 * SEC, 'S'));
	add(prev, proc(102, 1, 1000, "make", 3 * SEC, 3 * SEC, 'R'));
	add(prev, proc(200, 1, 0, "sh", SEC, 500 * MS, 'S'));
	add(cur, proc(200, 1, 0, "sh", SEC, 900 * MS, 'S'));
	add(cur, gone(102, 1, 1000, "make", 3 * SEC, 11 * SEC, 3100 * MS));
	add(cur, proc(101, 1, 1000, "make", 2 * SEC, 2200 * MS, 'R'));
	add(cur, proc(100, 1, 1000, "make", SEC, 1500 * MS, 'S'));
	prepare(prev, cur);
}

/* make's row over 10 s .. 12 s: what groups_fixture() works out. */
static void expect_make(const struct row *r)
{
	assert_string_equal(r->comm, "make");
	assert_int_equal(r->uid, 1000);
	assert_false(r->many_users);
	/* Interval CPU of the live and the exited: 0.5 + 0.2 + 0.1 s, 25 + 10 + 5%. */
	assert_int_equal(r->cpu_ns, 800 * MS);
	assert_int_equal(r->user_ns, 800 * MS);
	assert_int_equal(r->sys_ns, 0);
	assert_float_equal(r->cpu_pct, 40.0, 1e-9);
	assert_float_equal(r->usr_pct, 40.0, 1e-9);
	assert_float_equal(r->sys_pct, 0.0, 1e-9);
	/* CNT: 2 live and 1 exited; TIME+: 1.5 + 2.2 live, 3.1 final of 102. */
	assert_int_equal(r->count, 3);
	assert_int_equal(r->live, 2);
	assert_int_equal(r->nr_threads, 2);
	assert_int_equal(r->time_ns, 6800 * MS);
	assert_int_equal(r->state, 'R');	/* 101 runs */
}

static void test_group_comm(void **state)
{
	struct model_opts o = { .sort = FIELD_CPU, .descending = true, .group = GROUP_COMM };
	struct snapshot prev, cur;
	struct model m = {};
	const struct row *r;

	(void)state;
	groups_fixture(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 2);
	/* 40% before 20%. */
	assert_string_equal(m.rows[0].comm, "make");
	assert_string_equal(m.rows[1].comm, "sh");
	expect_make(group_row(&m, "make", 0));
	r = group_row(&m, "sh", 0);
	assert_int_equal(r->uid, 0);
	assert_int_equal(r->cpu_ns, 400 * MS);
	assert_float_equal(r->cpu_pct, 20.0, 1e-9);
	assert_int_equal(r->count, 1);
	assert_int_equal(r->live, 1);
	assert_int_equal(r->nr_threads, 1);
	assert_int_equal(r->time_ns, 900 * MS);
	assert_int_equal(r->state, 'S');
	/* The exit and the summary are the processes', whatever the view. */
	assert_int_equal(m.nr_exits, 1);
	assert_int_equal(m.exits[0].pid, 102);
	assert_int_equal(m.sum.tasks.total, 3);
	assert_int_equal(m.sum.tasks.exited, 1);
	assert_int_equal(m.sum.tasks_ns, 1200 * MS);
	done(&m, &prev, &cur);
}

static void test_group_user(void **state)
{
	struct model_opts o = { .sort = FIELD_CPU, .descending = true, .group = GROUP_USER };
	struct snapshot prev, cur;
	struct model m = {};
	const struct row *r;

	(void)state;
	groups_fixture(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 2);
	assert_int_equal(m.rows[0].uid, 1000);
	assert_int_equal(m.rows[1].uid, 0);
	/* uid 1000 runs only make: the same sums as make's row, and no command. */
	r = group_row(&m, NULL, 1000);
	assert_int_equal(r->comm[0], '\0');
	assert_false(r->many_users);
	assert_int_equal(r->cpu_ns, 800 * MS);
	assert_float_equal(r->cpu_pct, 40.0, 1e-9);
	assert_int_equal(r->count, 3);
	assert_int_equal(r->live, 2);
	assert_int_equal(r->nr_threads, 2);
	assert_int_equal(r->time_ns, 6800 * MS);
	assert_int_equal(r->state, 'R');
	r = group_row(&m, NULL, 0);
	assert_int_equal(r->comm[0], '\0');
	assert_int_equal(r->cpu_ns, 400 * MS);
	assert_int_equal(r->count, 1);
	assert_int_equal(r->time_ns, 900 * MS);
	done(&m, &prev, &cur);
}

/*
 * The TUI presents the same ingested pair again on a key press, in whatever view: the exits
 * of a snapshot went into the histories once, at its ingest. The next interval keeps them.
 */
static void test_group_history_once(void **state)
{
	struct model_opts o = { .sort = FIELD_CPU, .descending = true };
	struct snapshot prev, cur, next;
	struct model m = {};
	const struct row *r;
	int i;

	(void)state;
	groups_fixture(&prev, &cur);
	/* First the process view: the histories fill all the same. */
	assert_int_equal(update(&m, NULL, &prev, &o), 0);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 4);
	for (i = 0; i < 3; i++) {
		o.group = GROUP_COMM;
		assert_int_equal(model_present(&m, &o), 0);
		assert_int_equal(m.nr_rows, 2);
		expect_make(group_row(&m, "make", 0));
		o.group = GROUP_USER;
		assert_int_equal(model_present(&m, &o), 0);
		assert_int_equal(m.nr_rows, 2);
		r = group_row(&m, NULL, 1000);
		assert_int_equal(r->count, 3);
		assert_int_equal(r->time_ns, 6800 * MS);
		/* The exit list is remade each time, never doubled. */
		assert_int_equal(m.nr_exits, 1);
		o.group = GROUP_NONE;
		assert_int_equal(model_present(&m, &o), 0);
	}

	/* 12 s .. 14 s: 100 and 101 ran 0.1 s each (5% + 5%); 102 is in the past only. */
	snap_init(&next, 14 * SEC);
	add(&next, proc(100, 1, 1000, "make", SEC, 1600 * MS, 'S'));
	add(&next, proc(101, 1, 1000, "make", 2 * SEC, 2300 * MS, 'S'));
	add(&next, proc(200, 1, 0, "sh", SEC, 900 * MS, 'S'));
	snapshot_prepare(&next);
	o.group = GROUP_COMM;
	assert_int_equal(model_ingest(&m, &cur, &next), 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(model_present(&m, &o), 0);
		assert_int_equal(m.nr_exits, 0);
		r = group_row(&m, "make", 0);
		assert_int_equal(r->cpu_ns, 200 * MS);
		assert_float_equal(r->cpu_pct, 10.0, 1e-9);
		assert_int_equal(r->count, 3);
		assert_int_equal(r->live, 2);
		/* 1.6 + 2.3 + 3.1 */
		assert_int_equal(r->time_ns, 7000 * MS);
		assert_int_equal(r->state, 'S');
	}
	snapshot_free(&next);
	done(&m, &prev, &cur);
}

/*
 * A program whose processes have all gone still has a row, its past alone: cc 500 ran
 * 9 s .. 9.5 s (0.3 s) before the first refresh; make 100 lives on (1 s -> 1.2 s in 2 s).
 */
static void past_fixture(struct snapshot *first, struct snapshot *second)
{
	snap_init(first, 10 * SEC);
	snap_init(second, 12 * SEC);
	add(first, proc(100, 1, 1000, "make", SEC, SEC, 'S'));
	add(first, gone(500, 100, 1000, "cc", 9 * SEC, 9500 * MS, 300 * MS));
	add(first, gone(600, 1, 2000, "ld", 9 * SEC, 9800 * MS, 400 * MS));
	add(second, proc(100, 1, 1000, "make", SEC, 1200 * MS, 'S'));
	prepare(first, second);
}

static void test_group_past_only(void **state)
{
	const uint32_t live_pid[] = { 100 }, dead_pid[] = { 500 };
	struct model_opts o = { .sort = FIELD_COMMAND, .group = GROUP_COMM };
	struct snapshot first, second;
	struct model m = {};
	const struct row *r;

	(void)state;
	past_fixture(&first, &second);
	assert_int_equal(update(&m, NULL, &first, &o), 0);
	assert_int_equal(m.nr_exits, 2);
	assert_int_equal(update(&m, &first, &second, &o), 0);
	assert_int_equal(m.nr_exits, 0);
	/* By name: cc, ld, make. */
	assert_int_equal(m.nr_rows, 3);
	assert_string_equal(m.rows[0].comm, "cc");
	assert_string_equal(m.rows[1].comm, "ld");
	assert_string_equal(m.rows[2].comm, "make");
	r = group_row(&m, "cc", 0);
	assert_int_equal(r->state, 'X');
	assert_int_equal(r->count, 1);
	assert_int_equal(r->live, 0);
	assert_int_equal(r->nr_threads, 0);
	assert_int_equal(r->cpu_ns, 0);
	assert_float_equal(r->cpu_pct, 0.0, 0.0);
	assert_int_equal(r->time_ns, 300 * MS);
	assert_int_equal(r->uid, 1000);
	assert_false(r->many_users);
	r = group_row(&m, "make", 0);
	assert_int_equal(r->count, 1);
	assert_int_equal(r->cpu_ns, 200 * MS);
	assert_float_equal(r->cpu_pct, 10.0, 1e-9);
	assert_int_equal(r->time_ns, 1200 * MS);

	/* -u: the past of that user's programs only. */
	o.uid_set = true;
	o.uid = 1000;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 2);
	assert_string_equal(m.rows[0].comm, "cc");
	assert_string_equal(m.rows[1].comm, "make");
	o.uid = 2000;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	assert_string_equal(m.rows[0].comm, "ld");
	o.uid = 0;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 0);
	o.uid_set = false;

	/* The command filter, any case. */
	o.comm_filter = "C";
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	assert_string_equal(m.rows[0].comm, "cc");
	o.comm_filter = "zz";
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 0);
	o.comm_filter = "";
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 3);
	o.comm_filter = NULL;

	/* -p names live processes: the past is no process of theirs. */
	o.pids = live_pid;
	o.nr_pids = 1;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	assert_string_equal(m.rows[0].comm, "make");
	o.pids = dead_pid;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 0);
	o.nr_pids = 0;

	/* None of those updates counted cc twice. */
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(group_row(&m, "cc", 0)->count, 1);
	assert_int_equal(group_row(&m, "cc", 0)->time_ns, 300 * MS);
	done(&m, &first, &second);
}

/* The same past by user: uid 2000 has only a past, uid 1000 both. */
static void test_group_past_only_user(void **state)
{
	const uint32_t live_pid[] = { 100 };
	struct model_opts o = { .sort = FIELD_USER, .group = GROUP_USER };
	struct snapshot first, second;
	struct model m = {};
	const struct row *r;

	(void)state;
	past_fixture(&first, &second);
	assert_int_equal(update(&m, NULL, &first, &o), 0);
	assert_int_equal(update(&m, &first, &second, &o), 0);
	assert_int_equal(m.nr_rows, 2);
	assert_int_equal(m.rows[0].uid, 1000);
	assert_int_equal(m.rows[1].uid, 2000);
	/* make lives (1.2 s), cc has gone (0.3 s). */
	r = group_row(&m, NULL, 1000);
	assert_int_equal(r->count, 2);
	assert_int_equal(r->live, 1);
	assert_int_equal(r->time_ns, 1500 * MS);
	assert_int_equal(r->state, 'S');
	r = group_row(&m, NULL, 2000);
	assert_int_equal(r->count, 1);
	assert_int_equal(r->live, 0);
	assert_int_equal(r->state, 'X');
	assert_int_equal(r->time_ns, 400 * MS);
	assert_int_equal(r->cpu_ns, 0);

	o.uid_set = true;
	o.uid = 2000;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	assert_int_equal(m.rows[0].uid, 2000);
	o.uid = 1000;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	assert_int_equal(m.rows[0].uid, 1000);
	o.uid_set = false;
	o.pids = live_pid;
	o.nr_pids = 1;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	assert_int_equal(m.rows[0].uid, 1000);
	done(&m, &first, &second);
}

/*
 * A command run by several users has no one owner, from live processes (sh) or from the
 * past (cc: uid 0's exited, uid 1000's lives, then exits too). A user's row never has.
 */
static void test_group_many_users(void **state)
{
	struct model_opts o = { .sort = FIELD_COMMAND, .group = GROUP_COMM };
	struct snapshot s1, s2, s3;
	struct model m = {};
	size_t i;

	(void)state;
	snap_init(&s1, 10 * SEC);
	snap_init(&s2, 12 * SEC);
	snap_init(&s3, 14 * SEC);
	add(&s1, proc(100, 1, 0, "sh", SEC, SEC, 'S'));
	add(&s1, proc(101, 1, 1000, "sh", SEC, SEC, 'S'));
	add(&s1, proc(200, 1, 1000, "vi", SEC, SEC, 'S'));
	add(&s1, proc(300, 1, 0, "cc", SEC, SEC, 'R'));
	add(&s1, proc(301, 1, 1000, "cc", SEC, SEC, 'R'));
	add(&s2, proc(100, 1, 0, "sh", SEC, SEC, 'S'));
	add(&s2, proc(101, 1, 1000, "sh", SEC, SEC, 'S'));
	add(&s2, proc(200, 1, 1000, "vi", SEC, SEC, 'S'));
	add(&s2, gone(300, 1, 0, "cc", SEC, 11 * SEC, 1100 * MS));
	add(&s2, proc(301, 1, 1000, "cc", SEC, 1200 * MS, 'R'));
	prepare(&s1, &s2);
	assert_int_equal(update(&m, NULL, &s1, &o), 0);
	assert_int_equal(update(&m, &s1, &s2, &o), 0);
	assert_int_equal(m.nr_rows, 3);
	assert_true(group_row(&m, "sh", 0)->many_users);
	assert_false(group_row(&m, "vi", 0)->many_users);
	assert_true(group_row(&m, "cc", 0)->many_users);
	assert_int_equal(group_row(&m, "cc", 0)->count, 2);
	assert_int_equal(group_row(&m, "cc", 0)->live, 1);
	o.group = GROUP_USER;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 2);
	for (i = 0; i < m.nr_rows; i++)
		assert_false(m.rows[i].many_users);
	/* uid 0: sh and the exited cc; uid 1000: sh, vi, cc. */
	assert_int_equal(group_row(&m, NULL, 0)->count, 2);
	assert_int_equal(group_row(&m, NULL, 1000)->count, 3);

	/* 14 s: cc 301 exits as well; 16 s: no cc left, its past is both users'. */
	add(&s3, proc(100, 1, 0, "sh", SEC, SEC, 'S'));
	add(&s3, proc(101, 1, 1000, "sh", SEC, SEC, 'S'));
	add(&s3, proc(200, 1, 1000, "vi", SEC, SEC, 'S'));
	add(&s3, gone(301, 1, 1000, "cc", SEC, 13 * SEC, 1300 * MS));
	snapshot_prepare(&s3);
	o.group = GROUP_COMM;
	assert_int_equal(update(&m, &s2, &s3, &o), 0);
	assert_true(group_row(&m, "cc", 0)->many_users);
	assert_int_equal(group_row(&m, "cc", 0)->count, 2);
	assert_int_equal(group_row(&m, "cc", 0)->live, 0);
	snapshot_free(&s1);
	snap_init(&s1, 16 * SEC);
	add(&s1, proc(100, 1, 0, "sh", SEC, SEC, 'S'));
	add(&s1, proc(101, 1, 1000, "sh", SEC, SEC, 'S'));
	add(&s1, proc(200, 1, 1000, "vi", SEC, SEC, 'S'));
	snapshot_prepare(&s1);
	assert_int_equal(update(&m, &s3, &s1, &o), 0);
	assert_int_equal(m.nr_rows, 3);
	assert_true(group_row(&m, "cc", 0)->many_users);
	assert_int_equal(group_row(&m, "cc", 0)->state, 'X');
	/* 1.1 + 1.3 s */
	assert_int_equal(group_row(&m, "cc", 0)->time_ns, 2400 * MS);
	/* Under -u, the past is kept per owner: each user sees the share that was theirs. */
	o.uid_set = true;
	o.uid = 0;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(group_row(&m, "cc", 0)->count, 1);
	assert_int_equal(group_row(&m, "cc", 0)->time_ns, 1100 * MS);
	assert_false(group_row(&m, "cc", 0)->many_users);
	assert_false(group_shown(&m, "vi"));
	assert_true(group_shown(&m, "sh"));
	o.uid = 1000;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(group_row(&m, "cc", 0)->count, 1);
	assert_int_equal(group_row(&m, "cc", 0)->time_ns, 1300 * MS);
	assert_int_equal(group_row(&m, "cc", 0)->uid, 1000);
	assert_true(group_shown(&m, "vi"));
	assert_true(group_shown(&m, "sh"));
	snapshot_free(&s2);
	snapshot_free(&s3);
	done(&m, NULL, &s1);
}

/*
 * job 100 exits at 11 s with 1.5 s (its exit record in s2); its parent has not reaped it
 * at 14 s, so s3 holds its zombie. One process: CNT 1, TIME+ 1.5 s.
 */
static void test_group_zombie_counted_once(void **state)
{
	struct model_opts o = { .sort = FIELD_PID, .group = GROUP_COMM };
	struct snapshot s1, s2, s3;
	struct model m = {};
	struct snap_task t;

	(void)state;
	snap_init(&s1, 10 * SEC);
	snap_init(&s2, 12 * SEC);
	snap_init(&s3, 14 * SEC);
	add(&s1, proc(100, 1, 0, "job", SEC, SEC, 'R'));
	t = proc(100, 1, 0, "job", SEC, 1500 * MS, 'X');
	t.exit_ns = 11 * SEC;
	add(&s2, t);
	add(&s2, proc(100, 1, 0, "job", SEC, 1500 * MS, 'Z'));	/* the iterator saw it too */
	add(&s3, proc(100, 1, 0, "job", SEC, 1500 * MS, 'Z'));
	snapshot_prepare(&s1);
	snapshot_prepare(&s2);
	snapshot_prepare(&s3);
	assert_int_equal(update(&m, NULL, &s1, &o), 0);
	assert_int_equal(update(&m, &s1, &s2, &o), 0);
	assert_int_equal(group_row(&m, "job", 0)->count, 1);
	assert_int_equal(group_row(&m, "job", 0)->time_ns, 1500 * MS);
	assert_int_equal(update(&m, &s2, &s3, &o), 0);
	assert_int_equal(group_row(&m, "job", 0)->count, 1);
	assert_int_equal(group_row(&m, "job", 0)->time_ns, 1500 * MS);
	model_free(&m);
	snapshot_free(&s1);
	snapshot_free(&s2);
	snapshot_free(&s3);
}

/*
 * -p names processes; a group row under -p should hold those processes only. make 100
 * lives (1.5 s); make 102 exited in the interval (3.1 s). Under -p 100: CNT 1, TIME+ 1.5 s.
 */
static void test_group_pid_filter_no_past(void **state)
{
	const uint32_t only[] = { 100 };
	struct model_opts o = { .sort = FIELD_PID, .group = GROUP_COMM, .pids = only,
				.nr_pids = 1 };
	struct snapshot prev, cur;
	struct model m = {};
	struct snap_task t;

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	add(&prev, proc(100, 1, 1000, "make", SEC, SEC, 'S'));
	add(&prev, proc(102, 1, 1000, "make", 3 * SEC, 3 * SEC, 'R'));
	add(&cur, proc(100, 1, 1000, "make", SEC, 1500 * MS, 'S'));
	t = proc(102, 1, 1000, "make", 3 * SEC, 3100 * MS, 'X');
	t.exit_ns = 11 * SEC;
	add(&cur, t);
	snapshot_prepare(&prev);
	snapshot_prepare(&cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	/* Interval CPU is 100's alone (0.5 s): the filter did apply there. */
	assert_int_equal(m.rows[0].cpu_ns, 500 * MS);
	assert_int_equal(m.rows[0].count, 1);
	assert_int_equal(m.rows[0].time_ns, 1500 * MS);
	model_free(&m);
	snapshot_free(&prev);
	snapshot_free(&cur);
}

/*
 * -u 1000 with --group comm. sh 300 of uid 0 exited before; sh 301 of uid 1000 lives.
 * The row should be uid 1000's sh alone: CNT 1, one owner (uid 1000), not "*".
 */
static void test_group_user_filter_own_past(void **state)
{
	struct model_opts o = { .sort = FIELD_PID, .group = GROUP_COMM, .uid_set = true,
				.uid = 1000 };
	struct snapshot s1, s2;
	struct model m = {};
	struct snap_task t;

	(void)state;
	snap_init(&s1, 10 * SEC);
	snap_init(&s2, 12 * SEC);
	t = proc(300, 1, 0, "sh", SEC, SEC, 'X');
	t.exit_ns = 9 * SEC;
	add(&s1, t);
	add(&s1, proc(301, 1, 1000, "sh", SEC, SEC, 'S'));
	add(&s2, proc(301, 1, 1000, "sh", SEC, SEC, 'S'));
	snapshot_prepare(&s1);
	snapshot_prepare(&s2);
	assert_int_equal(update(&m, NULL, &s1, &o), 0);
	assert_int_equal(update(&m, &s1, &s2, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	assert_int_equal(m.rows[0].count, 1);
	assert_false(m.rows[0].many_users);
	assert_int_equal(m.rows[0].uid, 1000);
	model_free(&m);
	snapshot_free(&s1);
	snapshot_free(&s2);
}

/*
 * --group user with a command filter: uid 2000 ran only "ld", which has gone. Under
 * --filter make no process of uid 2000 matches, yet its past-only row shows.
 */
static void test_group_user_comm_filter(void **state)
{
	struct model_opts o = { .sort = FIELD_PID, .group = GROUP_USER, .comm_filter = "make" };
	struct snapshot s1, s2;
	struct model m = {};
	struct snap_task t;

	(void)state;
	snap_init(&s1, 10 * SEC);
	snap_init(&s2, 12 * SEC);
	add(&s1, proc(100, 1, 1000, "make", SEC, SEC, 'S'));
	t = proc(600, 1, 2000, "ld", 9 * SEC, 400 * MS, 'X');
	t.exit_ns = 9800 * MS;
	add(&s1, t);
	add(&s2, proc(100, 1, 1000, "make", SEC, SEC, 'S'));
	snapshot_prepare(&s1);
	snapshot_prepare(&s2);
	assert_int_equal(update(&m, NULL, &s1, &o), 0);
	assert_int_equal(update(&m, &s1, &s2, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	assert_int_equal(m.rows[0].uid, 1000);
	model_free(&m);
	snapshot_free(&s1);
	snapshot_free(&s2);
}

/* CNT and CREDITS sort like any column; top_n cuts after the sort. */
static void test_group_sort_cnt_credits(void **state)
{
	struct model_opts o = { .sort = FIELD_CNT, .descending = true, .group = GROUP_COMM };
	struct snapshot prev, cur;
	struct model m = {};

	(void)state;
	groups_fixture(&prev, &cur);
	/* make: CNT 3, TIME+ 6.8 s; sh: CNT 1, TIME+ 0.9 s. */
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 2);
	assert_string_equal(m.rows[0].comm, "make");
	o.descending = false;
	assert_int_equal(model_present(&m, &o), 0);
	assert_string_equal(m.rows[0].comm, "sh");
	o.sort = FIELD_CREDITS;
	assert_int_equal(model_present(&m, &o), 0);
	assert_string_equal(m.rows[0].comm, "sh");
	o.descending = true;
	assert_int_equal(model_present(&m, &o), 0);
	assert_string_equal(m.rows[0].comm, "make");
	o.top_n = 1;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	assert_string_equal(m.rows[0].comm, "make");
	done(&m, &prev, &cur);
}

/* --tree means nothing to a group view: its rows are not ordered as a tree. */
static void test_group_ignores_tree(void **state)
{
	struct model_opts o = { .sort = FIELD_CPU, .descending = false, .group = GROUP_COMM,
				.tree = true };
	struct snapshot prev, cur;
	struct model m = {};

	(void)state;
	groups_fixture(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_rows, 2);
	/* Ascending %CPU: sh 20% first. */
	assert_string_equal(m.rows[0].comm, "sh");
	assert_string_equal(m.rows[1].comm, "make");
	assert_int_equal(m.rows[0].depth, 0);
	assert_int_equal(m.rows[1].depth, 0);
	assert_int_equal(m.rows[1].folded, 0);
	expect_make(&m.rows[1]);
	done(&m, &prev, &cur);
}

/* -H with a group: the rows are programs, the Threads line still counts threads. */
static void test_group_threads_summary(void **state)
{
	struct model_opts o = { .threads = true, .sort = FIELD_PID, .group = GROUP_COMM };
	struct snapshot prev, cur;
	struct model m = {};
	const struct row *r;

	(void)state;
	threads_fixture(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	/* One process, named by its leader; three threads, one of them running. */
	assert_int_equal(m.nr_rows, 1);
	r = group_row(&m, "leader", 0);
	assert_int_equal(r->nr_threads, 3);
	assert_int_equal(r->count, 1);
	assert_int_equal(r->cpu_ns, 1300 * MS);
	assert_int_equal(m.sum.tasks.total, 3);
	assert_int_equal(m.sum.tasks.running, 1);
	assert_int_equal(m.sum.tasks.sleeping, 2);
	done(&m, &prev, &cur);
}

/* ---- the tree ---- */

/*
 * Over 10 s .. 12 s, every process at 1 s of CPU before, ran:
 *   1 init (parent 0, not shown)   0.1 s  5%
 *   10 sshd (parent 1)             0.2 s 10%
 *   11 cron (parent 1)             0.6 s 30%
 *   20 bash (parent 10)            0.4 s 20%
 *   21 vim (parent 20)             0.3 s 15%
 *   30 orphan (parent 999, gone)   1.0 s 50%
 * Each started at its pid in seconds, so that a row's identity (pid, start) is known.
 */
static void tree_fixture(struct snapshot *prev, struct snapshot *cur)
{
	static const struct {
		uint32_t pid, ppid;
		const char *comm;
		uint64_t ran;
	} p[] = {
		{ 1, 0, "init", 100 * MS }, { 10, 1, "sshd", 200 * MS },
		{ 11, 1, "cron", 600 * MS }, { 20, 10, "bash", 400 * MS },
		{ 21, 20, "vim", 300 * MS }, { 30, 999, "orphan", SEC },
	};
	size_t i;

	snap_init(prev, 10 * SEC);
	snap_init(cur, 12 * SEC);
	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		add(prev, proc(p[i].pid, p[i].ppid, 0, p[i].comm, p[i].pid * MS, SEC, 'S'));
		add(cur, proc(p[i].pid, p[i].ppid, 0, p[i].comm, p[i].pid * MS, SEC + p[i].ran,
			      'S'));
	}
	prepare(prev, cur);
}

/* The rows are @pids, in that order, at @depths. */
static void expect_tree(const struct model *m, const uint32_t *pids, const uint32_t *depths,
			size_t n)
{
	size_t i;

	if (m->nr_rows != n)
		fail_msg("%zu rows, want %zu", m->nr_rows, n);
	for (i = 0; i < n; i++) {
		if (m->rows[i].pid != pids[i] || m->rows[i].depth != depths[i])
			fail_msg("row %zu: pid %u depth %u, want pid %u depth %u", i,
				 m->rows[i].pid, m->rows[i].depth, pids[i], depths[i]);
	}
}

#define U32S(...) ((const uint32_t[]){ __VA_ARGS__ })

/* The rows are @pids, in any order, each once. */
static void expect_each_once(const struct model *m, const uint32_t *pids, size_t n)
{
	size_t i, j, seen;

	if (m->nr_rows != n)
		fail_msg("%zu rows, want %zu", m->nr_rows, n);
	for (i = 0; i < n; i++) {
		for (j = 0, seen = 0; j < m->nr_rows; j++)
			seen += m->rows[j].pid == pids[i];
		if (seen != 1)
			fail_msg("pid %u in %zu rows", pids[i], seen);
	}
}

static void test_tree_order(void **state)
{
	struct model_opts o = { .sort = FIELD_PID, .tree = true };
	struct snapshot prev, cur;
	struct model m = {};
	size_t i;

	(void)state;
	tree_fixture(&prev, &cur);
	/* By PID: the roots 1 and 30; under 1, 10 (with 20, then 21) before 11. */
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	expect_tree(&m, U32S(1, 10, 20, 21, 11, 30), U32S(0, 1, 2, 3, 1, 0), 6);
	for (i = 0; i < m.nr_rows; i++)
		assert_int_equal(m.rows[i].folded, 0);
	/*
	 * By %CPU, high first: 30 (50%) before 1 (5%) as roots, then 1's children cron (30%)
	 * before sshd (10%), whatever their PIDs.
	 */
	o.sort = FIELD_CPU;
	o.descending = true;
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	expect_tree(&m, U32S(30, 1, 11, 10, 20, 21), U32S(0, 0, 1, 1, 2, 3), 6);
	/* A row keeps its own figures in the tree. */
	assert_float_equal(m.rows[3].cpu_pct, 10.0, 1e-9);
	assert_int_equal(m.rows[3].time_ns, 1200 * MS);
	/* Reversed: siblings and roots reversed, parents still first. */
	o.descending = false;
	assert_int_equal(model_present(&m, &o), 0);
	expect_tree(&m, U32S(1, 10, 20, 21, 11, 30), U32S(0, 1, 2, 3, 1, 0), 6);
	/* Without --tree, the same sort is flat. */
	o.tree = false;
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	expect_tree(&m, U32S(1, 10, 21, 20, 11, 30), U32S(0, 0, 0, 0, 0, 0), 6);
	done(&m, &prev, &cur);
}

/* A row whose parent a filter hides is a root; top_n cuts the tree, not the sorted rows. */
static void test_tree_filter_top_n(void **state)
{
	struct model_opts o = { .sort = FIELD_CPU, .descending = true, .tree = true };
	struct snapshot prev, cur;
	struct model m = {};

	(void)state;
	tree_fixture(&prev, &cur);
	o.comm_filter = "vim";
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	expect_tree(&m, U32S(21), U32S(0), 1);
	/* bash and vim: vim under bash, bash a root (sshd hidden). */
	o.comm_filter = NULL;
	o.pids = U32S(21, 20);
	o.nr_pids = 2;
	assert_int_equal(model_present(&m, &o), 0);
	expect_tree(&m, U32S(20, 21), U32S(0, 1), 2);
	o.nr_pids = 0;
	/*
	 * The first 3 of the tree (30, 1, 11), not the tree of the 3 busiest (30, 11, 20: which
	 * would be 30, 11, 20 as three roots).
	 */
	o.top_n = 3;
	assert_int_equal(model_present(&m, &o), 0);
	expect_tree(&m, U32S(30, 1, 11), U32S(0, 0, 1), 3);
	done(&m, &prev, &cur);
}

/*
 * A torn or hostile /proc can make a cycle of parents: no row is lost. 80 is its own parent
 * (a root); 50 and 60 are each other's, and 70 is 50's child; 90 -> 95 -> 97 -> 90.
 */
static void test_tree_cycle(void **state)
{
	struct model_opts o = { .sort = FIELD_PID, .tree = true };
	struct snapshot cur;
	struct model m = {};

	(void)state;
	snap_init(&cur, 12 * SEC);
	add(&cur, proc(50, 60, 0, "a", SEC, 0, 'S'));
	add(&cur, proc(60, 50, 0, "b", SEC, 0, 'S'));
	add(&cur, proc(70, 50, 0, "c", SEC, 0, 'S'));
	add(&cur, proc(80, 80, 0, "d", SEC, 0, 'S'));
	add(&cur, proc(90, 97, 0, "e", SEC, 0, 'S'));
	add(&cur, proc(95, 90, 0, "f", SEC, 0, 'S'));
	add(&cur, proc(97, 95, 0, "g", SEC, 0, 'S'));
	prepare(NULL, &cur);
	assert_int_equal(update(&m, NULL, &cur, &o), 0);
	/* The parentless root first, then each cycle from its first row in sort order. */
	expect_tree(&m, U32S(80, 50, 60, 70, 90, 95, 97), U32S(0, 0, 1, 1, 0, 1, 2), 7);
	/* Descending PID: still every row, each once. */
	o.descending = true;
	assert_int_equal(model_present(&m, &o), 0);
	expect_each_once(&m, U32S(50, 60, 70, 80, 90, 95, 97), 7);
	assert_int_equal(m.rows[0].pid, 80);
	assert_int_equal(m.rows[0].depth, 0);
	/* 70 hangs off the cycle 50-60, whose first row is now 60: 60, 50 below, 70 below. */
	assert_int_equal(row_find(&m, 60, 0)->depth, 0);
	assert_int_equal(row_find(&m, 50, 0)->depth, 1);
	assert_int_equal(row_find(&m, 70, 0)->depth, 2);
	assert_true(row_find(&m, 70, 0) > row_find(&m, 50, 0));
	done(&m, NULL, &cur);
}

/*
 * A folded row takes in its descendants: their CPU, TIME+, threads and processes, and says
 * how many rows it holds. Rows are named by pid and start (tree_fixture: pid ms).
 */
static void test_tree_folded(void **state)
{
	struct row_key fold[2] = { { 10, 10 * MS } };
	struct model_opts o = { .sort = FIELD_PID, .tree = true, .collapsed = fold,
				.nr_collapsed = 1 };
	struct snapshot prev, cur;
	struct model m = {};
	const struct row *r;

	(void)state;
	tree_fixture(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	expect_tree(&m, U32S(1, 10, 11, 30), U32S(0, 1, 1, 0), 4);
	r = &m.rows[1];
	assert_string_equal(r->comm, "sshd");
	assert_int_equal(r->folded, 2);
	/* sshd 0.2 + bash 0.4 + vim 0.3 s; 10 + 20 + 15%; TIME+ 1.2 + 1.4 + 1.3 s. */
	assert_int_equal(r->cpu_ns, 900 * MS);
	assert_int_equal(r->user_ns, 900 * MS);
	assert_float_equal(r->cpu_pct, 45.0, 1e-9);
	assert_float_equal(r->usr_pct, 45.0, 1e-9);
	assert_int_equal(r->time_ns, 3900 * MS);
	assert_int_equal(r->count, 3);
	assert_int_equal(r->live, 3);
	assert_int_equal(r->nr_threads, 3);
	/* Its neighbours are untouched. */
	assert_int_equal(m.rows[0].folded, 0);
	assert_int_equal(m.rows[0].cpu_ns, 100 * MS);
	assert_int_equal(m.rows[2].folded, 0);
	assert_int_equal(m.rows[2].cpu_ns, 600 * MS);

	/* Another start time is another process: nothing folds. */
	fold[0].start_ns = 11 * MS;
	assert_int_equal(model_present(&m, &o), 0);
	expect_tree(&m, U32S(1, 10, 20, 21, 11, 30), U32S(0, 1, 2, 3, 1, 0), 6);

	/* Folding init takes in its four descendants; 20 inside it folds nothing more. */
	fold[0] = (struct row_key){ 1, 1 * MS };
	fold[1] = (struct row_key){ 20, 20 * MS };
	o.nr_collapsed = 2;
	assert_int_equal(model_present(&m, &o), 0);
	expect_tree(&m, U32S(1, 30), U32S(0, 0), 2);
	r = &m.rows[0];
	assert_int_equal(r->folded, 4);
	/* 0.1 + 0.2 + 0.6 + 0.4 + 0.3 s = 80%; TIME+ 1.1 + 1.2 + 1.6 + 1.4 + 1.3 s. */
	assert_int_equal(r->cpu_ns, 1600 * MS);
	assert_float_equal(r->cpu_pct, 80.0, 1e-9);
	assert_int_equal(r->time_ns, 6600 * MS);
	assert_int_equal(r->count, 5);
	assert_int_equal(m.rows[1].folded, 0);

	/* Only bash folded, by %CPU: vim goes into it, the order stays the tree's. */
	fold[0] = (struct row_key){ 20, 20 * MS };
	o.nr_collapsed = 1;
	o.sort = FIELD_CPU;
	o.descending = true;
	assert_int_equal(model_present(&m, &o), 0);
	expect_tree(&m, U32S(30, 1, 11, 10, 20), U32S(0, 0, 1, 1, 2), 5);
	assert_int_equal(m.rows[4].folded, 1);
	assert_int_equal(m.rows[4].cpu_ns, 700 * MS);
	assert_float_equal(m.rows[4].cpu_pct, 35.0, 1e-9);

	/* top_n counts folded rows as one. */
	fold[0] = (struct row_key){ 1, 1 * MS };
	o.top_n = 1;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	assert_int_equal(m.rows[0].pid, 30);
	o.sort = FIELD_PID;
	o.descending = false;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 1);
	assert_int_equal(m.rows[0].pid, 1);
	assert_int_equal(m.rows[0].folded, 4);
	done(&m, &prev, &cur);
}

/*
 * In thread mode a thread's parent is its process's leader. Process 100 (parent 1, not
 * shown) has threads 50 (a TID below the TGID after PID wrap), 101 and 102; its child
 * process 200 has thread 201.
 */
static void test_tree_threads(void **state)
{
	struct model_opts o = { .threads = true, .sort = FIELD_PID, .tree = true };
	struct snapshot cur;
	struct model m = {};
	struct snap_task t;

	(void)state;
	snap_init(&cur, 12 * SEC);
	add(&cur, proc(100, 1, 0, "server", SEC, SEC, 'S'));
	add(&cur, proc(200, 100, 0, "child", 2 * SEC, SEC, 'S'));
	t = proc(50, 1, 0, "worker", 3 * SEC, SEC, 'S');
	t.tgid = 100;
	t.leader_start_ns = SEC;
	add(&cur, t);
	t.tid = 101;
	add(&cur, t);
	t.tid = 102;
	add(&cur, t);
	t.tid = 201;
	t.tgid = 200;
	t.leader_start_ns = 2 * SEC;
	add(&cur, t);
	prepare(NULL, &cur);
	assert_int_equal(update(&m, NULL, &cur, &o), 0);
	expect_tree(&m, U32S(100, 50, 101, 102, 200, 201), U32S(0, 1, 1, 1, 1, 2), 6);
	/* Processes: the child under the server. */
	o.threads = false;
	assert_int_equal(model_present(&m, &o), 0);
	expect_tree(&m, U32S(100, 200), U32S(0, 1), 2);
	assert_int_equal(m.rows[0].nr_threads, 4);
	done(&m, NULL, &cur);
}

/*
 * A reused PID: old 100 exited at 11 s, new 100 started at 11.5 s and forked 300. The
 * child goes under the live one; the exited row is a root of its own.
 */
static void test_tree_pid_reuse(void **state)
{
	struct model_opts o = { .sort = FIELD_PID, .tree = true };
	struct snapshot prev, cur;
	struct model m = {};

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	add(&prev, proc(100, 1, 0, "old", SEC, SEC, 'S'));
	/* The old one ran 1 s of the 2 s before it went: 50%. */
	add(&cur, gone(100, 1, 0, "old", SEC, 11 * SEC, 2 * SEC));
	add(&cur, proc(100, 1, 0, "new", 11500 * MS, 0, 'S'));
	add(&cur, proc(300, 100, 0, "kid", 11800 * MS, 0, 'S'));
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	expect_tree(&m, U32S(100, 300, 100), U32S(0, 1, 0), 3);
	assert_string_equal(m.rows[0].comm, "new");
	assert_int_equal(m.rows[2].state, 'X');
	assert_string_equal(m.rows[2].comm, "old");
	/* By %CPU the exited row comes first, and the child still goes under the live one. */
	o.sort = FIELD_CPU;
	o.descending = true;
	assert_int_equal(model_present(&m, &o), 0);
	expect_tree(&m, U32S(100, 100, 300), U32S(0, 0, 1), 3);
	assert_int_equal(m.rows[0].state, 'X');
	assert_string_equal(m.rows[1].comm, "new");
	done(&m, &prev, &cur);
}

/* ---- the exits of the interval ---- */

static void expect_exit(const struct proc_exit *e, uint32_t pid, uint32_t ppid, uint32_t uid,
			const char *comm, uint64_t start_ns, uint64_t exit_ns, uint64_t user_ns,
			uint64_t sys_ns)
{
	assert_int_equal(e->pid, pid);
	assert_int_equal(e->ppid, ppid);
	assert_int_equal(e->uid, uid);
	assert_string_equal(e->comm, comm);
	assert_int_equal(e->start_ns, start_ns);
	assert_int_equal(e->exit_ns, exit_ns);
	assert_int_equal(e->user_ns, user_ns);
	assert_int_equal(e->sys_ns, sys_ns);
	assert_int_equal(e->cpu_ns, user_ns + sys_ns);
}

/* A single-threaded process: its whole life, split as its own record splits it. */
static void test_exit_single(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};
	struct snap_task t;

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	t = proc(200, 1, 5, "gone", SEC, 5 * SEC, 'R');
	t.user_ns = 3800 * MS;
	t.sys_ns = 1200 * MS;
	add(&prev, t);
	add(&prev, proc(300, 1, 5, "stays", SEC, 0, 'S'));
	add(&cur, proc(300, 1, 5, "stays", SEC, 0, 'S'));
	/* Exited at 11 s with 5.2 s: 3.9 user, 1.3 sys (3 : 1). */
	t = gone(200, 1, 5, "gone", SEC, 11 * SEC, 5200 * MS);
	t.user_ns = 3900 * MS;
	t.sys_ns = 1300 * MS;
	add(&cur, t);
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_int_equal(m.nr_exits, 1);
	expect_exit(&m.exits[0], 200, 1, 5, "gone", SEC, 11 * SEC, 3900 * MS, 1300 * MS);
	/* Its last row: the interval's 0.2 s, TIME+ its final 5.2 s. */
	assert_int_equal(row_find(&m, 200, 'X')->cpu_ns, 200 * MS);
	assert_int_equal(row_find(&m, 200, 'X')->time_ns, 5200 * MS);
	assert_int_equal(row_find(&m, 200, 'X')->nr_threads, 0);
	/* The next interval has no exit record: no exit again. */
	snapshot_free(&prev);
	snap_init(&prev, 14 * SEC);
	add(&prev, proc(300, 1, 5, "stays", SEC, 0, 'S'));
	snapshot_prepare(&prev);
	assert_int_equal(update(&m, &cur, &prev, &o), 0);
	assert_int_equal(m.nr_exits, 0);
	assert_int_equal(m.nr_rows, 1);
	done(&m, &prev, &cur);
}

/* Without a split of its own (no tick, no event): a kernel thread's time is system time. */
static void test_exit_no_split(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot cur;
	struct model m = {};
	struct snap_task t;

	(void)state;
	snap_init(&cur, 12 * SEC);
	t = gone(10, 2, 0, "kworker/0:1", SEC, 11 * SEC, SEC);
	t.user_ns = 0;
	t.kthread = true;
	add(&cur, t);
	t = gone(20, 1, 0, "true", SEC, 11 * SEC, SEC);
	t.user_ns = 0;
	add(&cur, t);
	prepare(NULL, &cur);
	assert_int_equal(update(&m, NULL, &cur, &o), 0);
	assert_int_equal(m.nr_exits, 2);
	expect_exit(&m.exits[0], 10, 2, 0, "kworker/0:1", SEC, 11 * SEC, 0, SEC);
	expect_exit(&m.exits[1], 20, 1, 0, "true", SEC, 11 * SEC, SEC, 0);
	done(&m, NULL, &cur);
}

/*
 * exit_group(): the three threads of srv 300 end within one interval, each record with the
 * group's dead before it (signal->sum_sched_runtime):
 *   301 at 11.0 s: 2 s (1.5 user, 0.5 sys), dead 0
 *   302 at 11.1 s: 1 s (0.25 user, 0.75 sys), dead 2 s
 *   300 at 11.2 s: 1 s (0.75 user, 0.25 sys), dead 3 s
 * The process: 4 s, 2.5 s user and 1.5 s sys exactly, ended at 11.2 s.
 */
static void test_exit_group(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};
	struct snap_task t;
	const struct row *r;

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	/* Before: 300 0.8 s, 301 1.5 s, 302 0.9 s; in the interval 0.2 + 0.5 + 0.1 s. */
	t = proc(300, 1, 7, "srv", SEC, 800 * MS, 'S');
	add(&prev, t);
	t.exit_ns = 11200 * MS;
	t.cpu_ns = SEC;
	t.user_ns = 750 * MS;
	t.sys_ns = 250 * MS;
	t.dead_ns = 3 * SEC;
	t.state = 'X';
	add(&cur, t);
	t = proc(301, 1, 7, "worker", 2 * SEC, 1500 * MS, 'R');
	t.tgid = 300;
	t.leader_start_ns = SEC;
	add(&prev, t);
	t.exit_ns = 11 * SEC;
	t.cpu_ns = 2 * SEC;
	t.user_ns = 1500 * MS;
	t.sys_ns = 500 * MS;
	t.state = 'X';
	add(&cur, t);
	t = proc(302, 1, 7, "worker", 3 * SEC, 900 * MS, 'R');
	t.tgid = 300;
	t.leader_start_ns = SEC;
	add(&prev, t);
	t.exit_ns = 11100 * MS;
	t.cpu_ns = SEC;
	t.user_ns = 250 * MS;
	t.sys_ns = 750 * MS;
	t.dead_ns = 2 * SEC;
	t.state = 'X';
	add(&cur, t);
	prepare(&prev, &cur);
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	/* One process has gone, not three. */
	assert_int_equal(m.nr_exits, 1);
	expect_exit(&m.exits[0], 300, 1, 7, "srv", SEC, 11200 * MS, 2500 * MS, 1500 * MS);
	assert_int_equal(m.nr_rows, 1);
	r = row_find(&m, 300, 'X');
	assert_string_equal(r->comm, "srv");
	assert_int_equal(r->nr_threads, 0);
	assert_int_equal(r->time_ns, 4 * SEC);
	assert_int_equal(r->cpu_ns, 800 * MS);
	assert_float_equal(r->cpu_pct, 40.0, 1e-9);
	assert_int_equal(m.sum.tasks.exited, 1);
	assert_int_equal(m.sum.tasks.total, 0);

	/* In thread mode: three exited thread rows, still one process exit. */
	o.threads = true;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 3);
	assert_int_equal(m.nr_exits, 1);
	assert_int_equal(m.exits[0].cpu_ns, 4 * SEC);
	done(&m, &prev, &cur);
}

/*
 * The leader of app 400 called pthread_exit() and stays a zombie until its last thread
 * goes. The interval in which thread 401 exits has the leader's live record (Z: 1 s, 0.6
 * user and 0.4 sys; dead 2.5 s, 401's) and 401's exit record (2.5 s: 1.9 user, 0.6 sys):
 * the process has gone then, once, with 3.5 s (2.5 user, 1 sys) in all.
 */
static void test_exit_zombie_leader(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot s1, s2, s3;
	struct model m = {};
	struct snap_task lead, thr;
	const struct row *r;

	(void)state;
	snap_init(&s1, 10 * SEC);
	snap_init(&s2, 12 * SEC);
	snap_init(&s3, 14 * SEC);
	lead = proc(400, 1, 9, "app", SEC, SEC, 'Z');
	lead.user_ns = 600 * MS;
	lead.sys_ns = 400 * MS;
	thr = proc(401, 1, 9, "app-io", 2 * SEC, 2 * SEC, 'R');
	thr.tgid = 400;
	thr.leader_start_ns = SEC;
	thr.user_ns = 1500 * MS;
	thr.sys_ns = 500 * MS;
	add(&s1, lead);
	add(&s1, thr);
	lead.dead_ns = 2500 * MS;
	add(&s2, lead);
	add(&s3, lead);
	thr.exit_ns = 11500 * MS;
	thr.cpu_ns = 2500 * MS;
	thr.user_ns = 1900 * MS;
	thr.sys_ns = 600 * MS;
	thr.state = 'X';
	add(&s2, thr);
	prepare(&s1, &s2);
	snapshot_prepare(&s3);

	/* A zombie leader with a running thread: the process lives and runs. */
	assert_int_equal(update(&m, NULL, &s1, &o), 0);
	assert_int_equal(m.nr_exits, 0);
	r = row_find(&m, 400, 0);
	assert_int_equal(r->state, 'R');
	assert_int_equal(r->nr_threads, 2);

	assert_int_equal(update(&m, &s1, &s2, &o), 0);
	assert_int_equal(m.nr_exits, 1);
	expect_exit(&m.exits[0], 400, 1, 9, "app", SEC, 11500 * MS, 2500 * MS, SEC);
	assert_int_equal(m.nr_rows, 1);
	r = row_find(&m, 400, 'X');
	assert_string_equal(r->comm, "app");
	assert_int_equal(r->nr_threads, 0);
	assert_int_equal(r->time_ns, 3500 * MS);
	/* In the interval: the leader nothing, 401 0.5 s. */
	assert_int_equal(r->cpu_ns, 500 * MS);
	assert_float_equal(r->cpu_pct, 25.0, 1e-9);
	assert_int_equal(m.sum.tasks.exited, 1);
	assert_int_equal(m.sum.tasks.zombie, 0);
	assert_int_equal(m.sum.tasks.total, 0);

	/* Until its parent reaps it, the zombie alone: no second exit. */
	assert_int_equal(update(&m, &s2, &s3, &o), 0);
	assert_int_equal(m.nr_exits, 0);
	assert_int_equal(m.nr_rows, 1);
	r = row_find(&m, 400, 0);
	assert_int_equal(r->state, 'Z');
	assert_int_equal(r->cpu_ns, 0);
	/* TIME+: its own 1 s and its dead thread's 2.5 s. */
	assert_int_equal(r->time_ns, 3500 * MS);
	assert_int_equal(m.sum.tasks.zombie, 1);
	assert_int_equal(m.sum.tasks.exited, 0);
	snapshot_free(&s1);
	done(&m, &s2, &s3);
}

/*
 * The exit list is the system's: no filter, view or top_n hides an exit. 200 and 300 end;
 * thread 501 of live process 500 ends too, which is no process exit.
 */
static void test_exits_ignore_filters(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	const uint32_t only[] = { 400 };
	struct snapshot prev, cur;
	struct model m = {};
	struct snap_task t;
	int i;

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	add(&prev, proc(200, 1, 5, "a", SEC, SEC, 'S'));
	add(&prev, proc(300, 1, 6, "b", SEC, SEC, 'S'));
	add(&prev, proc(400, 1, 7, "c", SEC, SEC, 'S'));
	add(&prev, proc(500, 1, 7, "d", SEC, SEC, 'S'));
	add(&cur, gone(200, 1, 5, "a", SEC, 11 * SEC, SEC));
	add(&cur, gone(300, 1, 6, "b", SEC, 11500 * MS, SEC));
	add(&cur, proc(400, 1, 7, "c", SEC, SEC, 'S'));
	add(&cur, proc(500, 1, 7, "d", SEC, SEC, 'S'));
	t = gone(501, 1, 7, "d", 2 * SEC, 11 * SEC, 100 * MS);
	t.tgid = 500;
	t.leader_start_ns = SEC;
	add(&cur, t);
	prepare(&prev, &cur);
	for (i = 0; i < 9; i++) {
		memset(&o, 0, sizeof(o));
		o.sort = FIELD_PID;
		switch (i) {
		case 1:
			o.uid_set = true;
			o.uid = 7;
			break;
		case 2:
			o.pids = only;
			o.nr_pids = 1;
			break;
		case 3:
			o.comm_filter = "zzz";
			break;
		case 4:
			o.threads = true;
			break;
		case 5:
			o.top_n = 1;
			break;
		case 6:
			o.group = GROUP_COMM;
			o.uid_set = true;
			o.uid = 99;
			break;
		case 7:
			o.tree = true;
			o.comm_filter = "c";
			break;
		case 8:
			o.threads = true;
			o.uid_set = true;
			o.uid = 7;
			break;
		}
		assert_int_equal(update(&m, &prev, &cur, &o), 0);
		if (m.nr_exits != 2)
			fail_msg("case %d: %zu exits, want 2", i, m.nr_exits);
		assert_int_equal(m.exits[0].pid, 200);
		assert_int_equal(m.exits[0].exit_ns, 11 * SEC);
		assert_int_equal(m.exits[1].pid, 300);
		assert_int_equal(m.exits[1].exit_ns, 11500 * MS);
	}
	/* The rows did follow the filters: case 8 (-H -u 7) shows 400, 500 and 501. */
	assert_int_equal(m.nr_rows, 3);
	done(&m, &prev, &cur);
}

/* ---- interrupts ---- */

/* /proc/stat intr per second: over the interval, since boot at first, or not at all. */
static void test_summary_intr(void **state)
{
	struct model_opts o = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct model m = {};

	(void)state;
	snap_init(&prev, 10 * SEC);
	snap_init(&cur, 12 * SEC);
	cur.uptime_s = 100;
	prev.intr = 1000;
	cur.intr = 5000;
	prev.have_intr = cur.have_intr = true;
	prepare(&prev, &cur);
	/* 4000 in 2 s. */
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_float_equal(m.sum.intr_rate, 2000.0, 1e-9);
	/* First snapshot: 5000 in 100 s of uptime. */
	assert_int_equal(update(&m, NULL, &cur, &o), 0);
	assert_float_equal(m.sum.intr_rate, 50.0, 1e-9);
	/* Either snapshot without the line: no rate, not a rate from zero. */
	prev.have_intr = false;
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_float_equal(m.sum.intr_rate, 0.0, 0.0);
	prev.have_intr = true;
	cur.have_intr = false;
	assert_int_equal(update(&m, &prev, &cur, &o), 0);
	assert_float_equal(m.sum.intr_rate, 0.0, 0.0);
	done(&m, &prev, &cur);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interval_rates),
		cmocka_unit_test(test_delta_clamped),
		cmocka_unit_test(test_threads_folded),
		cmocka_unit_test(test_threads_state_merge),
		cmocka_unit_test(test_thread_rows),
		cmocka_unit_test(test_exited_thread_new),
		cmocka_unit_test(test_exited_thread_old),
		cmocka_unit_test(test_exited_process),
		cmocka_unit_test(test_born_and_dead),
		cmocka_unit_test(test_pid_reuse),
		cmocka_unit_test(test_pid_reuse_two_rows),
		cmocka_unit_test(test_prepare_sorts_and_merges),
		cmocka_unit_test(test_prepare_duplicate_one_row),
		cmocka_unit_test(test_first_snapshot),
		cmocka_unit_test(test_summary_counts),
		cmocka_unit_test(test_summary_cpu),
		cmocka_unit_test(test_summary_cpu_idle_interval),
		cmocka_unit_test(test_summary_cost),
		cmocka_unit_test(test_filter_pids),
		cmocka_unit_test(test_filter_uid),
		cmocka_unit_test(test_task_ctrs_folded),
		cmocka_unit_test(test_task_ctrs_threads),
		cmocka_unit_test(test_task_wait_clamped),
		cmocka_unit_test(test_task_ctrs_first),
		cmocka_unit_test(test_task_have),
		cmocka_unit_test(test_task_have_procfs),
		cmocka_unit_test(test_prepare_merges_ctrs),
		cmocka_unit_test(test_filter_comm),
		cmocka_unit_test(test_filter_comm_threads),
		cmocka_unit_test(test_cpus_interval),
		cmocka_unit_test(test_cpus_first),
		cmocka_unit_test(test_cpus_count_changes),
		cmocka_unit_test(test_cpu_ctrs_interval),
		cmocka_unit_test(test_cpu_ticks_unavailable),
		cmocka_unit_test(test_cpu_ctrs_first),
		cmocka_unit_test(test_cpu_ctrs_none),
		cmocka_unit_test(test_cpu_ctrs_reset),
		cmocka_unit_test(test_cpu_ctrs_wrap),
		cmocka_unit_test(test_row_start_ns),
		cmocka_unit_test(test_sort_pid),
		cmocka_unit_test(test_sort_user_uid),
		cmocka_unit_test(test_sort_user_name),
		cmocka_unit_test(test_sort_state),
		cmocka_unit_test(test_sort_thr),
		cmocka_unit_test(test_sort_cpu),
		cmocka_unit_test(test_sort_usr),
		cmocka_unit_test(test_sort_sys),
		cmocka_unit_test(test_sort_time),
		cmocka_unit_test(test_sort_command),
		cmocka_unit_test(test_sort_sysc),
		cmocka_unit_test(test_sort_wait),
		cmocka_unit_test(test_sort_maxw),
		cmocka_unit_test(test_sort_ctr_first),
		cmocka_unit_test(test_sort_user_name_lifetime),
		cmocka_unit_test(test_sort_user_users_cache),
		cmocka_unit_test(test_top_n),
		cmocka_unit_test(test_field_parse),
		cmocka_unit_test(test_field_ctrs),
		cmocka_unit_test(test_group_comm),
		cmocka_unit_test(test_group_user),
		cmocka_unit_test(test_group_history_once),
		cmocka_unit_test(test_group_past_only),
		cmocka_unit_test(test_group_past_only_user),
		cmocka_unit_test(test_group_many_users),
		cmocka_unit_test(test_group_zombie_counted_once),
		cmocka_unit_test(test_group_pid_filter_no_past),
		cmocka_unit_test(test_group_user_filter_own_past),
		cmocka_unit_test(test_group_user_comm_filter),
		cmocka_unit_test(test_group_sort_cnt_credits),
		cmocka_unit_test(test_group_ignores_tree),
		cmocka_unit_test(test_group_threads_summary),
		cmocka_unit_test(test_tree_order),
		cmocka_unit_test(test_tree_filter_top_n),
		cmocka_unit_test(test_tree_cycle),
		cmocka_unit_test(test_tree_folded),
		cmocka_unit_test(test_tree_threads),
		cmocka_unit_test(test_tree_pid_reuse),
		cmocka_unit_test(test_exit_single),
		cmocka_unit_test(test_exit_no_split),
		cmocka_unit_test(test_exit_group),
		cmocka_unit_test(test_exit_zombie_leader),
		cmocka_unit_test(test_exits_ignore_filters),
		cmocka_unit_test(test_summary_intr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
