// SPDX-License-Identifier: GPL-2.0
/*
 * model/record.c: snapshots to payloads and back. Every field round-trips (snapshots filled
 * with pseudo-random bytes and extremes, compared member by member), tasks through their
 * operations as they appear, change, exit, vanish and come out of order; sizes of idle and
 * busy refreshes; payloads built by hand with fields this reader does not know; malformed
 * ones. The tag numbers written here are the format's (docs/record-format.md).
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

#include "model/model.h"
#include "model/record.h"

#define SEC 1000000000ull

/* A field's key as bytes: of a tag below 16 (one byte), of one from 16 to 2047 (two). */
#define K1(tag, wt) ((tag) << 3 | (wt))
#define K2(tag, wt) ((((tag) << 3 | (wt)) & 0x7f) | 0x80), (((tag) << 3 | (wt)) >> 7)

/* snap_equal() compares every member: a new one needs its line there, then these sizes. */
_Static_assert(sizeof(struct snapshot) == 21320 && sizeof(struct snap_task) == 176 &&
	       sizeof(struct metrics) == 20296, "a member snap_equal() does not compare");

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
 * Every byte of @s pseudo-random from @seed (texts full, with NULs inside and none at the
 * end; doubles any bits), but its bools and arrays, then the extremes of each kind. @nr_tasks
 * of pseudo-random tasks, in no order.
 */
static void snap_fill(struct snapshot *s, uint64_t seed, uint32_t nr_cpus, uint32_t nr_ctrs,
		      size_t nr_tasks)
{
	uint64_t x = seed;

	snapshot_free(s);
	fill(s, sizeof(*s), &x);
	s->cpus = NULL;
	s->ctrs = NULL;
	s->tasks = NULL;
	s->cap_cpus = s->nr_cpus = s->cap_ctrs = s->nr_ctrs = 0;
	s->cap_tasks = s->nr_tasks = 0;
	s->version = SNAPSHOT_VERSION;
	s->have_intr = seed & 1;
	s->have_bpf_cost = !(seed & 1);
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
	snapshot_free(d);
	*d = *s;
	d->cpus = NULL;
	d->ctrs = NULL;
	d->tasks = NULL;
	d->nr_cpus = d->cap_cpus = d->nr_ctrs = d->cap_ctrs = 0;
	d->nr_tasks = d->cap_tasks = 0;
	cpus_set(d, s->nr_cpus);
	if (s->nr_cpus)
		memcpy(d->cpus, s->cpus, s->nr_cpus * sizeof(*s->cpus));
	if (s->nr_ctrs) {
		assert_non_null(snapshot_cpu_ctrs(d, s->nr_ctrs - 1));
		memcpy(d->ctrs, s->ctrs, s->nr_ctrs * sizeof(*s->ctrs));
	}
	for (size_t i = 0; i < s->nr_tasks; i++) {
		struct snap_task *t = snapshot_add_task(d);

		assert_non_null(t);
		*t = s->tasks[i];
	}
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
	snap_fill(cur, 0x1234567, 4, 3, 50);
	round_trip(&b, NULL, NULL, cur, out);
	/* Into a snapshot that held more: nothing of it is left. */
	snap_fill(cur, 0xabcdef, 1, 0, 2);
	round_trip(&b, NULL, NULL, cur, out);
	/* All zero: only the version (VERSION, 23: a key of two bytes) is written. */
	snapshot_free(cur);
	memset(cur, 0, sizeof(*cur));
	cur->version = SNAPSHOT_VERSION;
	assert_int_equal(round_trip(&b, NULL, NULL, cur, out), 3);
	assert_memory_equal(b.p, ((uint8_t[]){ K2(23, 0), SNAPSHOT_VERSION }), 3);
	record_buf_free(&b);
	snap_del(cur);
	snap_del(out);
}

/* Every field changed, and the CPU and counter arrays grown, shrunk and gone. */
static void test_delta_every_field(void **state)
{
	struct snapshot *prev = snap_new(), *cur = snap_new();
	struct snapshot *dprev = snap_new(), *out = snap_new();
	struct record_buf b = { 0 };
	static const uint32_t cpus[][2] = { { 2, 2 }, { 5, 7 }, { 3, 1 }, { 0, 0 }, { 4, 4 } };

	(void)state;
	snap_fill(prev, 77, cpus[0][0], cpus[0][1], 30);
	round_trip(&b, NULL, NULL, prev, dprev);
	for (size_t i = 1; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
		snap_fill(cur, 77 + i, cpus[i][0], cpus[i][1], 0);
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
	struct bytes task = { 0 }, mem = { 0 }, p = { 0 };

	(void)state;
	put_unknown(&p, 1000);
	put_key(&p, 5, 0);			/* TS_NS +21 */
	put_varint(&p, 42);
	put_key(&task, 16, 0);			/* TID 7 */
	put_varint(&task, 14);
	put_unknown(&task, 27);
	put_bytes(&task, 26, "cron", 4);	/* COMM */
	put_unknown(&task, 1u << 28);
	put_bytes(&p, 4, task.p, task.n);	/* NEW */
	put_unknown(&mem, 14);
	put_key(&mem, 2, 0);			/* FREE 3 */
	put_varint(&mem, 6);
	put_bytes(&p, 9, mem.p, mem.n);		/* MEM */
	put_unknown(&p, 42);

	want->version = SNAPSHOT_VERSION;
	want->ts_ns = 21;
	want->mem.free = 3;
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
	/* And the good ones around them. */
	assert_int_equal(decode_bytes(out, prev, (uint8_t[]){ K1(1, 0), 2 }, 2), 0);
	assert_int_equal(out->nr_tasks, 2);
	assert_int_equal(decode_bytes(out, prev, (uint8_t[]){ K1(2, 0), 2, K1(4, 2), 0 }, 4), 0);
	assert_int_equal(out->nr_tasks, 1);
	assert_int_equal(out->tasks[0].tid, 0);
	assert_int_equal(record_decode(out, NULL, NULL, 0), 0);
	assert_int_equal(out->nr_tasks, 0);
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
	snap_fill(cur, 5, 3, 2, 0);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_frame),
		cmocka_unit_test(test_delta_every_field),
		cmocka_unit_test(test_delta_bytes),
		cmocka_unit_test(test_task_sequence),
		cmocka_unit_test(test_task_ops),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_unknown_fields),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_truncated_and_garbage),
		cmocka_unit_test(test_too_many_cpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
