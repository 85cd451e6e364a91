// SPDX-License-Identifier: GPL-2.0
/*
 * model/record.c: snapshots to payloads and back. Every field round-trips (snapshots filled
 * with pseudo-random bytes and extremes, compared member by member), tasks through their
 * operations as they appear, change, exit, vanish and come out of order, cgroups as they
 * appear, change, are renamed and go; sizes of idle and busy refreshes; payloads built by
 * hand with fields this reader does not know; malformed ones; the recording of cputop 0.1.0.
 * The tag numbers written here are the format's (docs/record-format.md).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/recfile.h"
#include "model/model.h"
#include "model/record.h"

#define SEC 1000000000ull

/* A field's key as bytes: of a tag below 16 (one byte), of one from 16 to 2047 (two). */
#define K1(tag, wt) ((tag) << 3 | (wt))
#define K2(tag, wt) ((((tag) << 3 | (wt)) & 0x7f) | 0x80), (((tag) << 3 | (wt)) >> 7)

/* snap_equal() compares every member: a new one needs its line there, then these sizes. */
_Static_assert(sizeof(struct snapshot) == 21568 && sizeof(struct snap_task) == 184 &&
	       sizeof(struct metrics) == 20296 && sizeof(struct snap_cgroup) == 96 &&
	       sizeof(struct psi) == 32, "a member snap_equal() does not compare");

/* ---- comparing, member by member (padding is no content) ---- */

#define EQ(a, b, m) assert_memory_equal(&(a)->m, &(b)->m, sizeof((a)->m))

static void task_equal(const struct snap_task *a, const struct snap_task *b)
{
	EQ(a, b, tid);
	EQ(a, b, tgid);
	EQ(a, b, ppid);
	EQ(a, b, uid);
	EQ(a, b, start_ns);
	EQ(a, b, leader_start_ns);
	EQ(a, b, cpu_ns);
	EQ(a, b, user_ns);
	EQ(a, b, sys_ns);
	EQ(a, b, dead_ns);
	EQ(a, b, exit_ns);
	EQ(a, b, ctr);
	EQ(a, b, max_wait_ns);
	EQ(a, b, lacks);
	EQ(a, b, state);
	EQ(a, b, kthread);
	EQ(a, b, prio);
	EQ(a, b, nice);
	EQ(a, b, comm);
	EQ(a, b, cgroup_id);
}

static void psi_equal(const struct psi *a, const struct psi *b)
{
	EQ(a, b, some_us);
	EQ(a, b, full_us);
	EQ(a, b, some_avg10);
	EQ(a, b, full_avg10);
	EQ(a, b, have_full);
}

/*
 * The cgroups of @a (decoded) and @b, their paths as strings: a decoder lays cg_paths out
 * anew, its cgroups' paths and nothing else.
 */
static void cgroups_equal(const struct snapshot *a, const struct snapshot *b)
{
	size_t len = 0;

	assert_int_equal(a->nr_cgroups, b->nr_cgroups);
	for (size_t i = 0; i < a->nr_cgroups; i++) {
		const struct snap_cgroup *x = &a->cgroups[i], *y = &b->cgroups[i];

		EQ(x, y, id);
		EQ(x, y, parent);
		assert_string_equal(snapshot_cgroup_path(a, x), snapshot_cgroup_path(b, y));
		len += strlen(snapshot_cgroup_path(a, x)) + 1;
		EQ(x, y, have);
		EQ(x, y, quota_us);
		EQ(x, y, period_us);
		EQ(x, y, nr_periods);
		EQ(x, y, nr_throttled);
		EQ(x, y, throttled_ns);
		psi_equal(&x->psi, &y->psi);
	}
	assert_int_equal(a->cg_paths_len, len);
}

static void metrics_equal(const struct metrics *a, const struct metrics *b)
{
	for (int k = 0; k < MET_NR; k++) {
		EQ(a, b, st[k].ok);
		EQ(a, b, st[k].why);
	}
	EQ(a, b, freq);
	EQ(a, b, nr_temps);
	EQ(a, b, temps_more);
	EQ(a, b, temps_bad);
	EQ(a, b, temps);
	EQ(a, b, nr_nets);
	EQ(a, b, nets_more);
	EQ(a, b, nets_bad);
	EQ(a, b, nets);
	EQ(a, b, nr_disks);
	EQ(a, b, disks_more);
	EQ(a, b, disks_bad);
	EQ(a, b, disks);
	EQ(a, b, vm);
}

/* @a (decoded) holds what @b (encoded) held; the pointers and capacities are its own. */
static void snap_equal(const struct snapshot *a, const struct snapshot *b)
{
	assert_int_equal(a->version, SNAPSHOT_VERSION);
	EQ(a, b, caps);
	EQ(a, b, source_kind);
	EQ(a, b, source_name);
	EQ(a, b, source_note);
	EQ(a, b, ipc_why);
	EQ(a, b, ts_ns);
	EQ(a, b, wall_ns);
	EQ(a, b, uptime_s);
	EQ(a, b, load);
	EQ(a, b, mem);
	EQ(a, b, cpu_total);
	EQ(a, b, nr_cpus);
	if (a->nr_cpus)
		assert_memory_equal(a->cpus, b->cpus, a->nr_cpus * sizeof(*a->cpus));
	EQ(a, b, hz);
	EQ(a, b, ctxt);
	EQ(a, b, intr);
	EQ(a, b, have_intr);
	EQ(a, b, stat_err);
	EQ(a, b, mem_err);
	EQ(a, b, load_err);
	EQ(a, b, uptime_err);
	metrics_equal(&a->sys, &b->sys);
	EQ(a, b, nr_ctrs);
	if (a->nr_ctrs)
		assert_memory_equal(a->ctrs, b->ctrs, a->nr_ctrs * sizeof(*a->ctrs));
	EQ(a, b, ctr_have);
	EQ(a, b, nr_softirqs);
	EQ(a, b, softirq_names);
	assert_int_equal(a->nr_tasks, b->nr_tasks);
	for (size_t i = 0; i < a->nr_tasks; i++)
		task_equal(&a->tasks[i], &b->tasks[i]);
	EQ(a, b, task_have);
	EQ(a, b, task_errors);
	EQ(a, b, exits_dropped);
	EQ(a, b, exits_seen);
	EQ(a, b, exits_delivered);
	EQ(a, b, untracked);
	cgroups_equal(a, b);
	EQ(a, b, cg_why);
	psi_equal(&a->psi, &b->psi);
	EQ(a, b, psi_err);
	EQ(a, b, self_cpu_ns);
	EQ(a, b, bpf_cost);
	EQ(a, b, have_bpf_cost);
}

/* ---- making snapshots ---- */

/* A struct snapshot is about 21 KiB: off the stack. */
static struct snapshot *snap_new(void)
{
	struct snapshot *s = calloc(1, sizeof(*s));

	assert_non_null(s);
	return s;
}

static void snap_del(struct snapshot *s)
{
	snapshot_free(s);
	free(s);
}

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void fill(void *p, size_t n, uint64_t *x)
{
	uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		b[i] = rnd(x);
}

static void cpus_set(struct snapshot *s, uint32_t n)
{
	s->cpus = realloc(s->cpus, (n ?: 1) * sizeof(*s->cpus));
	assert_non_null(s->cpus);
	s->nr_cpus = s->cap_cpus = n;
}

/*
 * @n cgroups of pseudo-random figures, ids increasing from @id by random gaps, and paths of
 * any bytes but NUL, a few of them long.
 */
static void cgroups_fill(struct snapshot *s, size_t n, uint64_t id, uint64_t *x)
{
	char path[300];

	for (size_t i = 0; i < n; i++) {
		size_t len = rnd(x) % (i % 7 ? 40 : sizeof(path));
		struct snap_cgroup *c;

		id += 1 + rnd(x) % 1000;
		for (size_t k = 0; k < len; k++)
			path[k] = 1 + rnd(x) % 255;
		path[len] = '\0';
		c = snapshot_add_cgroup(s, id, rnd(x), path);
		assert_non_null(c);
		fill(&c->have, sizeof(*c) - offsetof(struct snap_cgroup, have), x);
		c->psi.have_full = i & 1;
	}
}

/*
 * Every byte of @s pseudo-random from @seed (texts full, with NULs inside and none at the
 * end; doubles any bits), but its bools and arrays, then the extremes of each kind. @nr_tasks
 * of pseudo-random tasks, in no order, and @nr_cgroups pseudo-random cgroups.
 */
static void snap_fill(struct snapshot *s, uint64_t seed, uint32_t nr_cpus, uint32_t nr_ctrs,
		      size_t nr_tasks, size_t nr_cgroups)
{
	uint64_t x = seed;

	snapshot_free(s);
	fill(s, sizeof(*s), &x);
	s->cpus = NULL;
	s->ctrs = NULL;
	s->tasks = NULL;
	s->cgroups = NULL;
	s->cg_paths = NULL;
	s->cap_cpus = s->nr_cpus = s->cap_ctrs = s->nr_ctrs = 0;
	s->cap_tasks = s->nr_tasks = 0;
	s->cap_cgroups = s->nr_cgroups = s->cap_cg_paths = s->cg_paths_len = 0;
	s->version = SNAPSHOT_VERSION;
	s->have_intr = seed & 1;
	s->have_bpf_cost = !(seed & 1);
	s->psi.have_full = seed & 1;
	for (int k = 0; k < MET_NR; k++)
		s->sys.st[k].ok = seed >> k & 1;
	/* Extremes: every bit of the widest field, the most negative, and a long text. */
	s->ts_ns = UINT64_MAX - seed;
	s->wall_ns = INT64_MIN + (int64_t)seed;
	s->stat_err = -ENOENT;
	s->mem_err = INT32_MIN;
	s->uptime_s = -0.0;
	s->bpf_cost = 1e-300 * seed;
	memset(s->source_note, 'n', sizeof(s->source_note) - 1);
	s->source_note[sizeof(s->source_note) - 1] = '\0';
	s->sys.temps[3].mdegc = -40000 - (int32_t)seed;
	s->sys.freq.khz[MET_MAX_CPUS - 1] = UINT32_MAX;
	cpus_set(s, nr_cpus);
	fill(s->cpus, nr_cpus * sizeof(*s->cpus), &x);
	if (nr_ctrs)
		assert_non_null(snapshot_cpu_ctrs(s, nr_ctrs - 1));
	fill(s->ctrs, nr_ctrs * sizeof(*s->ctrs), &x);
	for (size_t i = 0; i < nr_tasks; i++) {
		struct snap_task *t = snapshot_add_task(s);

		assert_non_null(t);
		fill(t, sizeof(*t), &x);
		t->kthread = i & 1;
		t->nice = -20 + (int32_t)(i % 40);
		t->cpu_ns = i == 0 ? UINT64_MAX : t->cpu_ns;
	}
	cgroups_fill(s, nr_cgroups, seed % 5000, &x);
	if (nr_cgroups)
		s->cgroups[nr_cgroups - 1].throttled_ns = UINT64_MAX;
}

/* Every field but the identity of each task new, so that prev's tasks all are in @s. */
static void tasks_refill(struct snapshot *s, const struct snapshot *prev, uint64_t seed)
{
	uint64_t x = seed;

	s->nr_tasks = 0;
	for (size_t i = 0; i < prev->nr_tasks; i++) {
		const struct snap_task *p = &prev->tasks[i];
		struct snap_task *t = snapshot_add_task(s);

		assert_non_null(t);
		fill(t, sizeof(*t), &x);
		t->kthread = !p->kthread;
		t->tid = p->tid;
		t->tgid = p->tgid;
		t->start_ns = p->start_ns;
		t->leader_start_ns = p->leader_start_ns;
	}
}

static void snap_copy(struct snapshot *d, const struct snapshot *s)
{
	assert_int_equal(snapshot_copy(d, s), 0);
}

/* A task as the eBPF source reads it, its figures from its identity. */
static struct snap_task *task_add(struct snapshot *s, uint32_t tgid, uint32_t tid,
				  const char *comm)
{
	struct snap_task *t = snapshot_add_task(s);

	assert_non_null(t);
	t->tid = tid;
	t->tgid = tgid;
	t->ppid = tgid > 1 ? 1 : 0;
	t->uid = 1000 + tgid % 3;
	t->leader_start_ns = 20 * SEC + tgid * 1000003ull;
	t->start_ns = t->leader_start_ns + (tid - tgid) * 777ull;
	t->cpu_ns = tid * 12345678ull;
	t->user_ns = t->cpu_ns / 3 * 2;
	t->sys_ns = t->cpu_ns - t->user_ns;
	for (int k = 0; k < TASK_NR_CTRS; k++)
		t->ctr[k] = tid * (k + 3) * 1001ull;
	t->max_wait_ns = 25000;
	t->state = 'S';
	t->prio = 20;
	snprintf(t->comm, sizeof(t->comm), "%s", comm);
	return t;
}

/* @n tasks: processes of one to four threads, in snapshot_prepare()'s order. */
static void tasks_many(struct snapshot *s, size_t n)
{
	char comm[SNAP_COMM_LEN];
	uint32_t tgid = 300;

	for (size_t i = 0; i < n; tgid += 11) {
		snprintf(comm, sizeof(comm), "proc-%u", tgid);
		for (uint32_t k = 0; k <= tgid % 4 && i < n; k++, i++)
			task_add(s, tgid, tgid + k, comm);
	}
	snapshot_prepare(s);
}

/* Encode @cur against @prev, decode it against @dprev (prev as decoded): @out is @cur. */
static size_t round_trip(struct record_buf *b, const struct snapshot *prev,
			 const struct snapshot *dprev, const struct snapshot *cur,
			 struct snapshot *out)
{
	assert_int_equal(record_encode(b, prev, cur), 0);
	assert_int_equal(record_decode(out, dprev, b->p, b->len), 0);
	snap_equal(out, cur);
	return b->len;
}

/* ---- round trips ---- */

static void test_key_frame(void **state)
{
	struct snapshot *cur = snap_new(), *out = snap_new();
	struct record_buf b = { 0 };

	(void)state;
	snap_fill(cur, 0x1234567, 4, 3, 50, 20);
	round_trip(&b, NULL, NULL, cur, out);
	/* Into a snapshot that held more: nothing of it is left. */
	snap_fill(cur, 0xabcdef, 1, 0, 2, 1);
	round_trip(&b, NULL, NULL, cur, out);
	/*
	 * All zero: the version (VERSION, 23: a key of two bytes), and that the system's pressure
	 * is there (PSI_ERR, 45: zigzag(0 - -ENODATA)), which a key frame's base says it is not.
	 */
	snapshot_free(cur);
	memset(cur, 0, sizeof(*cur));
	cur->version = SNAPSHOT_VERSION;
	assert_int_equal(round_trip(&b, NULL, NULL, cur, out), 6);
	assert_memory_equal(b.p, ((uint8_t[]){ K2(23, 0), SNAPSHOT_VERSION,
					       K2(45, 0), 2 * ENODATA }), 6);
	/* Without it, as an old recording: only the version. */
	cur->psi_err = -ENODATA;
	assert_int_equal(round_trip(&b, NULL, NULL, cur, out), 3);
	record_buf_free(&b);
	snap_del(cur);
	snap_del(out);
}

/* Every field changed, and the CPU, counter and cgroup arrays grown, shrunk and gone. */
static void test_delta_every_field(void **state)
{
	struct snapshot *prev = snap_new(), *cur = snap_new();
	struct snapshot *dprev = snap_new(), *out = snap_new();
	struct record_buf b = { 0 };
	/* CPUs, counter sets and cgroups */
	static const uint32_t nr[][3] = {
		{ 2, 2, 10 }, { 5, 7, 30 }, { 3, 1, 0 }, { 0, 0, 5 }, { 4, 4, 5 },
	};

	(void)state;
	snap_fill(prev, 77, nr[0][0], nr[0][1], 30, nr[0][2]);
	round_trip(&b, NULL, NULL, prev, dprev);
	for (size_t i = 1; i < sizeof(nr) / sizeof(nr[0]); i++) {
		snap_fill(cur, 77 + i, nr[i][0], nr[i][1], 0, nr[i][2]);
		tasks_refill(cur, prev, 1000 + i);
		round_trip(&b, prev, dprev, cur, out);
		snap_copy(prev, cur);
		snap_copy(dprev, out);
	}
	/* Nothing changed: the tasks are one run, and nothing else is written. */
	assert_int_equal(round_trip(&b, prev, dprev, prev, out), 2);
	assert_int_equal(b.p[0], 1 << 3);	/* SAME */
	assert_int_equal(b.p[1], 30);
	record_buf_free(&b);
	snap_del(prev);
	snap_del(cur);
	snap_del(dprev);
	snap_del(out);
}

/* A field equal to prev's is not written; one that is, as the zigzag of its change. */
static void test_delta_bytes(void **state)
{
	struct snapshot *prev = snap_new(), *cur = snap_new(), *out = snap_new();
	struct record_buf b = { 0 };

	(void)state;
	task_add(prev, 1, 1, "init");
	prev->mem.free = 1 << 20;
	snap_copy(cur, prev);
	cur->mem.free -= 4096;
	cur->tasks[0].nice = -1;
	assert_int_equal(round_trip(&b, prev, prev, cur, out), 10);
	/* MEM (9) of 3 bytes: FREE (2), zigzag(-4096) = 8191 */
	assert_memory_equal(b.p, ((uint8_t[]){ K1(9, 2), 3, K1(2, 0), 0xff, 0x3f }), 5);
	/* DIFF (3) of 3 bytes: NICE (25), zigzag(-1) = 1 */
	assert_memory_equal(b.p + 5, ((uint8_t[]){ K1(3, 2), 3, K2(25, 0), 1 }), 5);
	record_buf_free(&b);
	snap_del(prev);
	snap_del(cur);
	snap_del(out);
}

/* ---- tasks ---- */

static void task_del(struct snapshot *s, uint32_t tid)
{
	for (size_t i = 0; i < s->nr_tasks; i++) {
		if (s->tasks[i].tid == tid) {
			memmove(&s->tasks[i], &s->tasks[i + 1],
				(--s->nr_tasks - i) * sizeof(*s->tasks));
			return;
		}
	}
	fail_msg("no task %u", tid);
}

static struct snap_task *task_find(struct snapshot *s, uint32_t tid)
{
	for (size_t i = 0; i < s->nr_tasks; i++) {
		if (s->tasks[i].tid == tid)
			return &s->tasks[i];
	}
	fail_msg("no task %u", tid);
	return NULL;
}

/* Tasks appear, change, exit, vanish, come back with their PID reused and out of order. */
static void test_task_sequence(void **state)
{
	struct snapshot *s[7], *d[7];
	struct record_buf b = { 0 };
	struct snap_task *t, tmp;
	size_t i;

	(void)state;
	for (i = 0; i < 7; i++) {
		s[i] = snap_new();
		d[i] = snap_new();
	}
	task_add(s[0], 1, 1, "init");
	task_add(s[0], 50, 50, "db");
	task_add(s[0], 50, 51, "db-worker");
	task_add(s[0], 90, 90, "sh");
	task_add(s[0], 120, 120, "make");
	snapshot_prepare(s[0]);
	round_trip(&b, NULL, NULL, s[0], d[0]);

	/* init runs, a db thread goes, sh exits, a compiler starts between db and sh. */
	snap_copy(s[1], s[0]);
	task_find(s[1], 1)->cpu_ns += SEC;
	task_del(s[1], 51);
	t = task_find(s[1], 90);
	t->exit_ns = 30 * SEC;
	t->state = 'Z';
	task_add(s[1], 60, 60, "cc1")->kthread = true;
	task_add(s[1], 200, 200, "tail");
	snapshot_prepare(s[1]);
	round_trip(&b, s[0], d[0], s[1], d[1]);

	/* The exit was shown once: gone; a thread of init; sh's PID taken by a new process. */
	snap_copy(s[2], s[1]);
	task_del(s[2], 90);
	task_add(s[2], 1, 2, "init-thread");
	t = task_add(s[2], 90, 90, "sh2");
	t->leader_start_ns += 5 * SEC;
	t->start_ns += 5 * SEC;
	snapshot_prepare(s[2]);
	round_trip(&b, s[1], d[1], s[2], d[2]);

	/* Out of order (not prepared): still exact. */
	snap_copy(s[3], s[2]);
	for (i = 0; i < s[3]->nr_tasks / 2; i++) {
		tmp = s[3]->tasks[i];
		s[3]->tasks[i] = s[3]->tasks[s[3]->nr_tasks - 1 - i];
		s[3]->tasks[s[3]->nr_tasks - 1 - i] = tmp;
	}
	round_trip(&b, s[2], d[2], s[3], d[3]);

	/* An exit record merged into the live one; then the same task twice in a row. */
	snap_copy(s[4], s[2]);
	tmp = s[4]->tasks[0];
	tmp.exit_ns = 31 * SEC;
	*snapshot_add_task(s[4]) = tmp;
	snapshot_prepare(s[4]);
	tmp = s[4]->tasks[1];
	*snapshot_add_task(s[4]) = tmp;
	round_trip(&b, s[3], d[3], s[4], d[4]);

	/* None, then some again. */
	round_trip(&b, s[4], d[4], s[5], d[5]);
	task_add(s[6], 7, 7, "cron");
	round_trip(&b, s[5], d[5], s[6], d[6]);
	for (i = 0; i < 7; i++) {
		snap_del(s[i]);
		snap_del(d[i]);
	}
	record_buf_free(&b);
}

/* The operations a delta of prepared snapshots is made of, and what each costs. */
static void test_task_ops(void **state)
{
	struct snapshot *prev = snap_new(), *cur = snap_new(), *out = snap_new();
	struct record_buf b = { 0 };

	(void)state;
	for (uint32_t tid = 10; tid < 20; tid++)
		task_add(prev, tid, tid, "t");
	snap_copy(cur, prev);
	/* 10-13 same, 14-15 gone, 16 changed, new 16.5 (tid 100 in tgid 16), 17-19 same. */
	memmove(cur->tasks + 4, cur->tasks + 6, 4 * sizeof(*cur->tasks));
	cur->nr_tasks = 8;
	cur->tasks[4].state = 'R';
	task_add(cur, 16, 100, "t");
	snapshot_prepare(cur);
	round_trip(&b, prev, prev, cur, out);
	assert_memory_equal(b.p, ((uint8_t[]){
		K1(1, 0), 4,			/* SAME 4 */
		K1(2, 0), 2,			/* SKIP 2 */
		K1(3, 2), 2, K1(5, 0), 1,	/* DIFF: STATE, zigzag('R' - 'S') */
		K1(4, 2),			/* NEW (a length below 128: one byte) */
	}), 9);
	assert_true(b.p[9] < 128);
	assert_int_equal(b.len, 10 + b.p[9] + 2);
	assert_memory_equal(b.p + b.len - 2, ((uint8_t[]){ K1(1, 0), 3 }), 2);	/* SAME 3 */
	record_buf_free(&b);
	snap_del(prev);
	snap_del(cur);
	snap_del(out);
}

/* 1,000 idle tasks cost a run; a spinner, the few fields that moved. */
static void test_sizes(void **state)
{
	struct snapshot *prev = snap_new(), *cur = snap_new(), *out = snap_new();
	struct record_buf b = { 0 };
	struct snap_task *t;
	size_t key, idle, busy;

	(void)state;
	tasks_many(prev, 1000);
	prev->ts_ns = 1000 * SEC;
	key = round_trip(&b, NULL, NULL, prev, out);
	snap_copy(cur, prev);
	cur->ts_ns += SEC;
	idle = round_trip(&b, prev, prev, cur, out);
	assert_true(idle < 16);
	/* A user-space spinner over the second: with eBPF's counters, but no hardware ones. */
	t = &cur->tasks[500];
	t->cpu_ns += SEC;
	t->user_ns += SEC - 40000;
	t->sys_ns += 40000;
	t->ctr[TASK_ICSW] += 250;
	t->ctr[TASK_WAIT_NS] += 2500000;
	t->max_wait_ns = 4 * 1000 * 1000;
	t->state = 'R';
	busy = round_trip(&b, prev, prev, cur, out);
	print_message("key frame %zu bytes, idle delta %zu, one spinner %zu\n", key, idle, busy);
	assert_true(busy - idle < 40);
	record_buf_free(&b);
	snap_del(prev);
	snap_del(cur);
	snap_del(out);
}

/* ---- cgroups ---- */

/* A cgroup as a source reads it, its figures from its id. */
static struct snap_cgroup *cg_add(struct snapshot *s, uint64_t id, uint64_t parent,
				  const char *path)
{
	struct snap_cgroup *c = snapshot_add_cgroup(s, id, parent, path);

	assert_non_null(c);
	c->have = CG_HAVE_LIMIT | CG_HAVE_THROTTLE | CG_HAVE_PSI;
	c->quota_us = id % 3 ? 0 : 50000;
	c->period_us = 100000;
	c->nr_periods = id * 1000;
	c->nr_throttled = id * 10;
	c->throttled_ns = id * 123456789ull;
	c->psi.some_us = id * 4567;
	c->psi.full_us = id * 1234;
	c->psi.some_avg10 = id % 100 * 10;
	c->psi.full_avg10 = id % 10;
	c->psi.have_full = true;
	return c;
}

/* A host's tree: the root, two slices, and @n services in system.slice (ids 1000 on). */
static void cg_tree(struct snapshot *s, size_t n)
{
	char path[64];

	cg_add(s, 1, 0, "/");
	cg_add(s, 50, 1, "/system.slice");
	cg_add(s, 60, 1, "/user.slice");
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "/system.slice/service-%zu.service", i);
		cg_add(s, 1000 + 7 * i, 50, path);
	}
	snapshot_sort_cgroups(s);
}

static struct snap_cgroup *snap_cg(struct snapshot *s, uint64_t id)
{
	const struct snap_cgroup *c = snapshot_cgroup(s, id);

	if (!c)
		fail_msg("no cgroup %llu", (unsigned long long)id);
	return &s->cgroups[c - s->cgroups];
}

/* Cgroup @id gone: its path stays in cg_paths, as nothing points at it any more. */
static void cg_del(struct snapshot *s, uint64_t id)
{
	struct snap_cgroup *c = snap_cg(s, id);
	size_t i = c - s->cgroups;

	memmove(c, c + 1, (--s->nr_cgroups - i) * sizeof(*c));
}

/* Cgroup @id renamed to @path. */
static void cg_rename(struct snapshot *s, uint64_t id, const char *path)
{
	uint32_t off = snapshot_add_cgroup(s, id, 0, path)->path;

	s->nr_cgroups--;
	snap_cg(s, id)->path = off;
}

/* A round trip against the frame before, and as a key frame that decodes alone. */
static size_t chain_trip(struct record_buf *b, const struct snapshot *prev,
			 const struct snapshot *dprev, const struct snapshot *cur,
			 struct snapshot *out)
{
	struct snapshot *key = snap_new();
	size_t n = round_trip(b, prev, dprev, cur, out);

	round_trip(b, NULL, NULL, cur, key);
	snap_del(key);
	return n;
}

/*
 * Cgroups appear, change, move tasks, are renamed, go; all of them go, and come back: each
 * frame decoded against the one decoded before, and alone as a key frame.
 */
static void test_cgroup_sequence(void **state)
{
	enum { N = 9 };
	struct snapshot *s[N], *d[N];
	struct record_buf b = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < N; i++) {
		s[i] = snap_new();
		d[i] = snap_new();
	}
	cg_tree(s[0], 5);
	s[0]->caps = SNAP_CAP_CGROUPS;
	s[0]->psi.some_us = 123456789;
	s[0]->psi.some_avg10 = 125;
	snprintf(s[0]->cg_why, sizeof(s[0]->cg_why), "no cpu controller: no limits");
	task_add(s[0], 1, 1, "init")->cgroup_id = 1;
	task_add(s[0], 50, 50, "db")->cgroup_id = 1000;
	task_add(s[0], 50, 51, "db-worker")->cgroup_id = 1000;
	task_add(s[0], 90, 90, "sshd")->cgroup_id = 1007;
	snapshot_prepare(s[0]);
	chain_trip(&b, NULL, NULL, s[0], d[0]);

	/* Nothing moved: SAME 4, the tasks, and not a byte of cgroups. */
	snap_copy(s[1], s[0]);
	assert_int_equal(chain_trip(&b, s[0], d[0], s[1], d[1]), 2);

	/* Figures: one throttled, a limit set, pressure (doubles) moved; the system's too. */
	snap_copy(s[2], s[1]);
	snap_cg(s[2], 1000)->nr_periods += 10;
	snap_cg(s[2], 1000)->nr_throttled += 3;
	snap_cg(s[2], 1000)->throttled_ns += 4000000;
	snap_cg(s[2], 1007)->quota_us = 20000;
	snap_cg(s[2], 50)->psi.some_avg10 = 50;
	snap_cg(s[2], 50)->psi.have_full = false;
	s[2]->psi.some_us += 1000;
	s[2]->psi.full_avg10 = 1;
	s[2]->psi_err = 0;
	s[2]->cg_why[0] = '\0';
	chain_trip(&b, s[1], d[1], s[2], d[2]);

	/* New ones, between and after the others; a task moves into one, a new one is in one. */
	snap_copy(s[3], s[2]);
	cg_add(s[3], 1003, 50, "/system.slice/cron.service");
	cg_add(s[3], 5000, 60, "/user.slice/user-1000.slice");
	cg_add(s[3], 5001, 5000, "");
	snapshot_sort_cgroups(s[3]);
	task_find(s[3], 90)->cgroup_id = 1003;
	task_add(s[3], 300, 300, "bash")->cgroup_id = 5001;
	snapshot_prepare(s[3]);
	chain_trip(&b, s[2], d[2], s[3], d[3]);

	/* Gone: the first after the root, one in the middle, the last. */
	snap_copy(s[4], s[3]);
	cg_del(s[4], 50);
	cg_del(s[4], 1007);
	cg_del(s[4], 5001);
	chain_trip(&b, s[3], d[3], s[4], d[4]);

	/* Renamed, the same id: longer, shorter, and moved to another parent. */
	snap_copy(s[5], s[4]);
	cg_rename(s[5], 1000, "/system.slice/a-much-longer-name-than-before.service");
	cg_rename(s[5], 1003, "/c");
	snap_cg(s[5], 1003)->parent = 1;
	chain_trip(&b, s[4], d[4], s[5], d[5]);

	/* All gone, the system's pressure with them; then back. */
	snap_copy(s[6], s[5]);
	s[6]->nr_cgroups = 0;
	s[6]->cg_paths_len = 0;
	s[6]->caps = 0;
	s[6]->psi_err = -EOPNOTSUPP;
	memset(&s[6]->psi, 0, sizeof(s[6]->psi));
	for (i = 0; i < s[6]->nr_tasks; i++)
		s[6]->tasks[i].cgroup_id = 0;
	chain_trip(&b, s[5], d[5], s[6], d[6]);
	assert_int_equal(d[6]->nr_cgroups, 0);
	assert_int_equal(d[6]->cg_paths_len, 0);
	snap_copy(s[7], s[6]);
	cg_tree(s[7], 3);
	snap_cg(s[7], 1)->id = 2;	/* the root under another id */
	chain_trip(&b, s[6], d[6], s[7], d[7]);

	/* Many: 5,000 services, the tree before them their ancestors. */
	snap_copy(s[8], s[7]);
	s[8]->nr_cgroups = 0;
	s[8]->cg_paths_len = 0;
	cg_tree(s[8], 5000);
	chain_trip(&b, s[7], d[7], s[8], d[8]);
	assert_int_equal(d[8]->nr_cgroups, 5003);
	assert_ptr_equal(snapshot_cgroup(d[8], 1000 + 7 * 4999), &d[8]->cgroups[5002]);
	assert_string_equal(snapshot_cgroup_path(d[8], &d[8]->cgroups[5002]),
			    "/system.slice/service-4999.service");
	for (i = 0; i < N; i++) {
		snap_del(s[i]);
		snap_del(d[i]);
	}
	record_buf_free(&b);
}

/* What a cgroup costs: changed, gone, new, each a message of its own, keyed by its id. */
static void test_cgroup_bytes(void **state)
{
	struct snapshot *prev = snap_new(), *cur = snap_new(), *out = snap_new();
	struct record_buf b = { 0 };

	(void)state;
	cg_add(prev, 1, 0, "/");
	cg_add(prev, 50, 1, "/system.slice");
	snap_copy(cur, prev);
	cur->cgroups[1].nr_periods++;
	assert_int_equal(round_trip(&b, prev, prev, cur, out), 7);
	/* CGROUP (42) of 4 bytes: id 50 (its gap from 0), NR_PERIODS (3) zigzag(1) */
	assert_memory_equal(b.p, ((uint8_t[]){ K2(42, 2), 4, K1(1, 0), 50, K1(3, 0), 2 }), 7);

	/* Gone: GONE (11) 1. */
	cur->nr_cgroups = 1;
	assert_int_equal(round_trip(&b, prev, prev, cur, out), 7);
	assert_memory_equal(b.p, ((uint8_t[]){ K2(42, 2), 4, K1(1, 0), 50, K1(11, 0), 1 }), 7);

	/* New, after 50: its gap 20, PARENT (9) zigzag(1), PATH (10); no figure but those. */
	snap_copy(cur, prev);
	assert_non_null(snapshot_add_cgroup(cur, 70, 1, "/x"));
	cur->cgroups[1].nr_periods++;
	assert_int_equal(round_trip(&b, prev, prev, cur, out), 7 + 11);
	assert_memory_equal(b.p + 7, ((uint8_t[]){ K2(42, 2), 8, K1(1, 0), 20, K1(9, 0), 2,
						   K1(10, 2), 2, '/', 'x' }), 11);
	record_buf_free(&b);
	snap_del(prev);
	snap_del(cur);
	snap_del(out);
}

/* 100 cgroups: a key frame, the same table again, and every cgroup busy. */
static void test_cgroup_sizes(void **state)
{
	struct snapshot *prev = snap_new(), *cur = snap_new(), *out = snap_new();
	struct record_buf b = { 0 };
	size_t key, same, busy, one;

	(void)state;
	cg_tree(prev, 97);
	key = round_trip(&b, NULL, NULL, prev, out);
	snap_copy(cur, prev);
	same = round_trip(&b, prev, prev, cur, out);
	/* Not a byte for an unchanged table. */
	assert_int_equal(same, 0);
	/* One service throttled: its periods, throttling and pressure. */
	snap_cg(cur, 1000 + 7 * 50)->nr_periods += 10;
	snap_cg(cur, 1000 + 7 * 50)->nr_throttled += 4;
	snap_cg(cur, 1000 + 7 * 50)->throttled_ns += 12345678;
	snap_cg(cur, 1000 + 7 * 50)->psi.some_us += 20000;
	snap_cg(cur, 1000 + 7 * 50)->psi.some_avg10 = 250;
	one = round_trip(&b, prev, prev, cur, out);
	assert_true(one < 40);
	/* Every one of them. */
	for (size_t i = 0; i < cur->nr_cgroups; i++) {
		struct snap_cgroup *c = &cur->cgroups[i];

		c->nr_periods += 10;
		c->nr_throttled += 4;
		c->throttled_ns += 12345678;
		c->psi.some_us += 20000;
		c->psi.full_us += 15000;
		c->psi.some_avg10 += 50;
		c->psi.full_avg10 += 25;
	}
	busy = round_trip(&b, prev, prev, cur, out);
	print_message("100 cgroups: key frame %zu bytes, unchanged %zu, one busy %zu, all busy "
		      "%zu\n", key, same, one, busy);
	assert_true(busy < 100 * 50);
	record_buf_free(&b);
	snap_del(prev);
	snap_del(cur);
	snap_del(out);
}

/* A table no reader could rebuild in order is refused. */
static void test_cgroup_order(void **state)
{
	struct snapshot *cur = snap_new();
	struct record_buf b = { 0 };

	(void)state;
	cg_add(cur, 5, 0, "/");
	cg_add(cur, 3, 5, "/a");
	assert_int_equal(record_encode(&b, NULL, cur), -EINVAL);
	cur->cgroups[1].id = 5;
	assert_int_equal(record_encode(&b, NULL, cur), -EINVAL);
	cur->cgroups[0].id = 0;
	assert_int_equal(record_encode(&b, NULL, cur), -EINVAL);
	cur->cgroups[0].id = 4;
	assert_int_equal(record_encode(&b, NULL, cur), 0);
	record_buf_free(&b);
	snap_del(cur);
}

/* ---- forward compatibility: fields this reader does not know ---- */

struct bytes {
	uint8_t p[512];
	size_t n;
};

static void put_varint(struct bytes *b, uint64_t v)
{
	for (; v >= 0x80; v >>= 7)
		b->p[b->n++] = v | 0x80;
	b->p[b->n++] = v;
}

static void put_key(struct bytes *b, uint32_t tag, int wt)
{
	put_varint(b, (uint64_t)tag << 3 | wt);
}

static void put_bytes(struct bytes *b, uint32_t tag, const void *p, size_t n)
{
	put_key(b, tag, 2);
	put_varint(b, n);
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

/* One field of each wire type, of tags @tag, @tag + 1 and @tag + 2. */
static void put_unknown(struct bytes *b, uint32_t tag)
{
	put_key(b, tag, 0);
	put_varint(b, UINT64_MAX);
	put_key(b, tag + 1, 1);
	memcpy(b->p + b->n, "\1\2\3\4\5\6\7\10", 8);
	b->n += 8;
	put_bytes(b, tag + 2, "\xff\x00 anything", 11);
}

static void test_unknown_fields(void **state)
{
	struct snapshot *want = snap_new(), *out = snap_new();
	struct bytes task = { 0 }, mem = { 0 }, cg = { 0 }, p = { 0 };

	(void)state;
	put_unknown(&p, 1000);
	put_key(&p, 5, 0);			/* TS_NS +21 */
	put_varint(&p, 42);
	put_key(&task, 16, 0);			/* TID 7 */
	put_varint(&task, 14);
	put_unknown(&task, 28);
	put_bytes(&task, 26, "cron", 4);	/* COMM */
	put_unknown(&task, 1u << 28);
	put_bytes(&p, 4, task.p, task.n);	/* NEW */
	put_unknown(&mem, 14);
	put_key(&mem, 2, 0);			/* FREE 3 */
	put_varint(&mem, 6);
	put_bytes(&p, 9, mem.p, mem.n);		/* MEM */
	put_key(&cg, 1, 0);			/* id 5 */
	put_varint(&cg, 5);
	put_unknown(&cg, 12);
	put_bytes(&cg, 10, "/a", 2);		/* PATH */
	put_bytes(&p, 42, cg.p, cg.n);		/* CGROUP */
	put_unknown(&p, 46);

	want->version = SNAPSHOT_VERSION;
	want->ts_ns = 21;
	want->mem.free = 3;
	want->psi_err = -ENODATA;
	assert_non_null(snapshot_add_cgroup(want, 5, 0, "/a"));
	task_add(want, 7, 7, "cron");
	memset(&want->tasks[0], 0, sizeof(want->tasks[0]));
	want->tasks[0].tid = 7;
	snprintf(want->tasks[0].comm, sizeof(want->tasks[0].comm), "cron");
	assert_int_equal(record_decode(out, NULL, p.p, p.n), 0);
	snap_equal(out, want);
	snap_del(want);
	snap_del(out);
}

/* ---- malformed payloads ---- */

static int decode_bytes(struct snapshot *out, const struct snapshot *prev, const uint8_t *p,
			size_t n)
{
	/* An exact copy on the heap, so that ASan sees a read past its end. */
	uint8_t *copy = malloc(n ?: 1);
	int err;

	assert_non_null(copy);
	memcpy(copy, p, n);
	err = record_decode(out, prev, copy, n);
	free(copy);
	return err;
}

#define BAD(prev, ...) do {								\
	static const uint8_t in[] = { __VA_ARGS__ };					\
	assert_int_equal(decode_bytes(out, prev, in, sizeof(in)), -EBADMSG);		\
} while (0)

static void test_malformed(void **state)
{
	struct snapshot *prev = snap_new(), *out = snap_new();

	(void)state;
	task_add(prev, 1, 1, "init");
	task_add(prev, 2, 2, "kthreadd");
	cg_add(prev, 5, 0, "/");
	/* Fields that cannot be read. */
	BAD(NULL, K1(5, 0));				/* a key, no value */
	BAD(NULL, K1(5, 0), 0x80);			/* a varint cut short */
	/* 65 bits; 11 bytes */
	BAD(NULL, K1(5, 0), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02);
	BAD(NULL, K1(5, 0), 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0);
	BAD(NULL, K1(0, 0), 1);				/* tag 0 */
	BAD(NULL, K1(5, 3), 1);				/* wire types 3-7: no length known */
	BAD(NULL, K2(1000, 7), 1);
	BAD(NULL, K1(7, 1), 1, 2, 3);			/* a fixed64 cut short */
	BAD(NULL, K2(1000, 2), 5, 1, 2);		/* a length past the end */
	/* Fields of a known tag, that no writer wrote. */
	BAD(NULL, K1(5, 2), 0);				/* TS_NS: a varint, not bytes */
	BAD(NULL, K2(29, 1), 0, 0, 0, 0, 0, 0, 0, 0);	/* NR_CPUS: a varint, not fixed64 */
	BAD(NULL, K2(24, 0), 0x80, 0x80, 0x80, 0x80, 0x10);	/* CAPS: a change past 32 bits */
	BAD(NULL, K2(31, 0), 2);			/* HAVE_INTR 2 */
	BAD(NULL, K2(25, 2), 9, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'); /* 9 bytes in 8 */
	BAD(NULL, K2(29, 0), 0x82, 0x80, 0x01);	/* NR_CPUS 8193 */
	BAD(NULL, K2(29, 0), 1);			/* NR_CPUS -1 */
	BAD(NULL, K2(29, 0), 4, K1(11, 2), 2, K1(1, 0), 2);	/* CPU 2 of 2 */
	BAD(NULL, K2(29, 0), 4, K1(11, 2), 2, K1(2, 0), 2);	/* a CPU without its index */
	BAD(NULL, K2(29, 0), 4, K1(11, 2), 0);		/* an empty CPU */
	BAD(NULL, K1(11, 2), 2, K1(1, 0), 0);		/* CPU 0 of none */
	BAD(NULL, K2(36, 0), 2, K1(14, 2), 2, K1(1, 0), 1);	/* counters of CPU 1 of 1 */
	BAD(NULL, K1(15, 2), 3, K1(6, 2), 1, K1(1, 0));	/* SYS: TEMP: its index cut */
	BAD(NULL, K1(15, 2), 4, K1(6, 2), 2, K1(1, 0), 64);	/* SYS: TEMP 64 */
	BAD(NULL, K1(15, 2), 5, K1(2, 2), 3, K1(4, 2), 1, 0x80);	/* FREQ: KHZ, index cut */
	BAD(NULL, K1(15, 2), 7, K1(2, 2), 5, K1(4, 2), 3, 0x80, 0x08, 2);	/* khz[1024] */
	/* Task operations that do not fit prev. */
	BAD(NULL, K1(1, 0), 1);				/* SAME, no prev */
	BAD(NULL, K1(2, 0), 1);				/* SKIP */
	BAD(NULL, K1(3, 2), 0);				/* DIFF */
	BAD(prev, K1(1, 0), 3);				/* SAME 3 of 2 */
	BAD(prev, K1(1, 0), 0);				/* SAME 0 */
	BAD(prev, K1(2, 0), 0);				/* SKIP 0 */
	BAD(prev, K1(1, 0), 1, K1(2, 0), 2);		/* SKIP past the end */
	BAD(prev, K1(2, 0), 2, K1(3, 2), 0);		/* DIFF past the end */
	BAD(prev, K1(1, 2), 0);				/* SAME as bytes */
	BAD(prev, K1(4, 0), 0);				/* NEW as a varint */
	BAD(prev, K1(4, 2), 3, K2(16, 2), 0);		/* NEW: TID as bytes */
	BAD(prev, K1(4, 2), 3, K2(16, 0), 0x80);	/* NEW: TID cut */
	BAD(prev, K1(4, 2), 3, K2(23, 0), 2);		/* NEW: KTHREAD 2 */
	BAD(prev, K1(4, 2), 3, K2(27, 2), 0);		/* NEW: CGROUP_ID as bytes */
	/* Cgroups: their ids, and changes that do not fit prev. */
	BAD(NULL, K2(42, 0), 1);			/* CGROUP as a varint */
	BAD(NULL, K2(42, 2), 0);			/* no id */
	BAD(NULL, K2(42, 2), 2, K1(3, 0), 2);		/* a field before the id */
	BAD(NULL, K2(42, 2), 2, K1(1, 2), 0);		/* the id as bytes */
	BAD(NULL, K2(42, 2), 2, K1(1, 0), 0);		/* id 0 */
	BAD(NULL, K2(42, 2), 2, K1(1, 0), 1, K2(42, 2), 2, K1(1, 0), 0);	/* 1 twice */
	BAD(NULL, K2(42, 2), 11, K1(1, 0), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0x01, K2(42, 2), 2, K1(1, 0), 1);	/* UINT64_MAX, then past it */
	BAD(NULL, K2(42, 2), 4, K1(1, 0), 5, K1(11, 0), 1);	/* GONE, not in prev */
	BAD(prev, K2(42, 2), 4, K1(1, 0), 6, K1(11, 0), 1);	/* GONE, not in prev */
	BAD(prev, K2(42, 2), 4, K1(1, 0), 5, K1(11, 0), 2);	/* GONE 2 */
	BAD(prev, K2(42, 2), 4, K1(1, 0), 5, K1(11, 2), 0);	/* GONE as bytes */
	BAD(NULL, K2(42, 2), 6, K1(1, 0), 5, K1(10, 2), 2, 'a', 0);	/* a NUL in a path */
	BAD(NULL, K2(42, 2), 4, K1(1, 0), 5, K1(10, 0), 1);	/* PATH as a varint */
	BAD(NULL, K2(42, 2), 4, K1(1, 0), 5, K1(3, 2), 0);	/* NR_PERIODS as bytes */
	BAD(NULL, K2(42, 2), 5, K1(1, 0), 5, K1(2, 2), 1, K1(5, 0));	/* PSI: cut */
	BAD(NULL, K2(44, 0), 1);			/* PSI as a varint */
	BAD(NULL, K2(45, 2), 0);			/* PSI_ERR as bytes */
	/* And the good ones around them. */
	assert_int_equal(decode_bytes(out, prev, (uint8_t[]){ K1(1, 0), 2 }, 2), 0);
	assert_int_equal(out->nr_tasks, 2);
	assert_int_equal(decode_bytes(out, prev, (uint8_t[]){ K1(2, 0), 2, K1(4, 2), 0 }, 4), 0);
	assert_int_equal(out->nr_tasks, 1);
	assert_int_equal(out->tasks[0].tid, 0);
	assert_int_equal(record_decode(out, NULL, NULL, 0), 0);
	assert_int_equal(out->nr_tasks, 0);
	assert_int_equal(decode_bytes(out, prev, (uint8_t[]){ K2(42, 2), 4, K1(1, 0), 5,
							      K1(11, 0), 1 }, 7), 0);
	assert_int_equal(out->nr_cgroups, 0);
	assert_int_equal(decode_bytes(out, prev, (uint8_t[]){ K2(42, 2), 2, K1(1, 0), 6 }, 5), 0);
	assert_int_equal(out->nr_cgroups, 2);
	assert_int_equal(out->cgroups[1].id, 6);
	assert_string_equal(snapshot_cgroup_path(out, &out->cgroups[1]), "");
	snap_del(prev);
	snap_del(out);
}

/* Every prefix and every one-byte change of a real payload: decoded, or refused, never more. */
static void test_truncated_and_garbage(void **state)
{
	struct snapshot *prev = snap_new(), *cur = snap_new(), *out = snap_new();
	struct record_buf b = { 0 };
	uint64_t x = 99;
	uint8_t *p;
	size_t i;
	int err;

	(void)state;
	tasks_many(prev, 40);
	snap_fill(cur, 5, 3, 2, 0, 6);
	tasks_refill(cur, prev, 6);
	assert_int_equal(record_encode(&b, prev, cur), 0);
	for (i = 0; i < b.len; i++) {
		err = decode_bytes(out, prev, b.p, i);
		assert_true(err == 0 || err == -EBADMSG);
	}
	/* The last field cut anywhere is no field. */
	assert_int_equal(decode_bytes(out, prev, b.p, b.len - 1), -EBADMSG);
	p = malloc(b.len);
	assert_non_null(p);
	for (i = 0; i < b.len; i++) {
		memcpy(p, b.p, b.len);
		p[i] ^= 1 + rnd(&x) % 255;
		err = decode_bytes(out, i & 1 ? prev : NULL, p, b.len);
		assert_true(err == 0 || err == -EBADMSG);
	}
	for (i = 0; i < 2000; i++) {
		size_t n = rnd(&x) % (b.len < 4096 ? b.len : 4096);

		fill(p, n, &x);
		err = decode_bytes(out, i & 1 ? prev : NULL, p, n);
		assert_true(err == 0 || err == -EBADMSG);
	}
	free(p);
	record_buf_free(&b);
	snap_del(prev);
	snap_del(cur);
	snap_del(out);
}

static void test_too_many_cpus(void **state)
{
	struct snapshot *cur = snap_new();
	struct record_buf b = { 0 };

	(void)state;
	cpus_set(cur, RECORD_MAX_CPUS + 1);
	memset(cur->cpus, 0, cur->nr_cpus * sizeof(*cur->cpus));
	assert_int_equal(record_encode(&b, NULL, cur), -EOVERFLOW);
	cur->nr_cpus = RECORD_MAX_CPUS;
	assert_int_equal(record_encode(&b, NULL, cur), 0);
	record_buf_free(&b);
	snap_del(cur);
}

/* ---- the compatibility promise ---- */

/*
 * The recording of cputop 0.1.0 (tests/golden/test_recording.sh replays it whole): every
 * frame decodes, with no cgroup, and the system's pressure "not recorded".
 */
static void test_old_recording(void **state)
{
	struct snapshot *d[2] = { snap_new(), snap_new() };
	struct rec_reader *r;
	struct rec_frame f;
	size_t n = 0, tasks = 0;
	char why[256];
	int err;

	(void)state;
	assert_int_equal(recr_open(&r, "tests/fixtures/record/v1.rec", why, sizeof(why)), 0);
	while (!(err = recr_next(r, &f))) {
		struct snapshot *s = d[n & 1];

		assert_int_equal(record_decode(s, f.flags & REC_KEY ? NULL : d[!(n & 1)], f.data,
					       f.len), 0);
		assert_int_equal(s->nr_cgroups, 0);
		assert_int_equal(s->cg_paths_len, 0);
		assert_false(s->caps & SNAP_CAP_CGROUPS);
		assert_string_equal(s->cg_why, "");
		assert_int_equal(s->psi_err, -ENODATA);
		for (size_t i = 0; i < s->nr_tasks; i++)
			assert_int_equal(s->tasks[i].cgroup_id, 0);
		tasks += s->nr_tasks;
		n++;
	}
	assert_int_equal(err, 1);
	assert_true(n > 2 && tasks > 0);
	recr_close(r);
	snap_del(d[0]);
	snap_del(d[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_frame),
		cmocka_unit_test(test_delta_every_field),
		cmocka_unit_test(test_delta_bytes),
		cmocka_unit_test(test_task_sequence),
		cmocka_unit_test(test_task_ops),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_cgroup_sequence),
		cmocka_unit_test(test_cgroup_bytes),
		cmocka_unit_test(test_cgroup_sizes),
		cmocka_unit_test(test_cgroup_order),
		cmocka_unit_test(test_unknown_fields),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_truncated_and_garbage),
		cmocka_unit_test(test_too_many_cpus),
		cmocka_unit_test(test_old_recording),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
