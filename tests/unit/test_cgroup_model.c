// SPDX-License-Identifier: GPL-2.0
/*
 * The model's cgroups on hand-made snapshots: the per-cgroup, per-unit and per-container
 * views, folding by depth, the exited members' past, the figures of the interval, the cells.
 * Every expected figure is worked out by hand from the records.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "model/model.h"

#define SEC 1000000000ull
#define MS 1000000ull

#define DOCKER_ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* The tree of the tests, its ids not in path order: a kernel gives them as it goes. */
enum { CG_ROOT = 1, CG_SYSTEM = 10, CG_FOO = 20, CG_WORKER = 5, CG_DOCKER = 30, CG_USER = 40 };

static const struct {
	uint64_t id, parent;
	const char *path;
} tree[] = {
	{ CG_ROOT, 0, "/" },
	{ CG_WORKER, CG_FOO, "/system.slice/foo.service/worker" },
	{ CG_SYSTEM, CG_ROOT, "/system.slice" },
	{ CG_FOO, CG_SYSTEM, "/system.slice/foo.service" },
	{ CG_DOCKER, CG_SYSTEM, "/system.slice/docker-" DOCKER_ID ".scope" },
	{ CG_USER, CG_ROOT, "/user.slice" },
};

/* A snapshot at @ts_s seconds with the whole tree (sorted by id), no figures. */
static void snap_init(struct snapshot *s, uint64_t ts_s)
{
	memset(s, 0, sizeof(*s));
	s->ts_ns = ts_s * SEC;
	s->hz = 100;
	s->caps = SNAP_CAP_CGROUPS | SNAP_CAP_EXITS;
	for (size_t i = 0; i < sizeof(tree) / sizeof(tree[0]); i++)
		assert_non_null(snapshot_add_cgroup(s, tree[i].id, tree[i].parent, tree[i].path));
	/* Sorted by id, as a source leaves them. */
	snapshot_sort_cgroups(s);
}

static struct snap_cgroup *cgroup(struct snapshot *s, uint64_t id)
{
	return (struct snap_cgroup *)snapshot_cgroup(s, id);
}

/* A single-threaded process @pid in cgroup @cg, @cpu_ms on the CPU so far. */
static void task(struct snapshot *s, uint32_t pid, const char *comm, uint64_t cg, uint64_t cpu_ms,
		 uint64_t exit_s)
{
	struct snap_task *t = snapshot_add_task(s);

	assert_non_null(t);
	t->tid = t->tgid = pid;
	t->ppid = 1;
	t->start_ns = t->leader_start_ns = pid * MS;
	t->cpu_ns = t->user_ns = cpu_ms * MS;
	t->exit_ns = exit_s * SEC;
	t->state = exit_s ? 'X' : 'S';
	t->cgroup_id = cg;
	snprintf(t->comm, sizeof(t->comm), "%s", comm);
}

/* The row of cgroup @cg in the presented rows, or fail. */
static const struct row *row_of(const struct model *m, uint64_t cg)
{
	for (size_t i = 0; i < m->nr_rows; i++) {
		if (m->rows[i].cgroup_id == cg)
			return &m->rows[i];
	}
	fail_msg("no row of cgroup %llu", (unsigned long long)cg);
	return NULL;
}

/*
 * The pair of the tests: from 10 s to 12 s, foo (pid 100, 500 ms more), its worker (pid 101,
 * 300 ms more), a job of foo's that exits during the interval after 200 ms (pid 102), a
 * container's process (pid 103, 1 s more) and a user's shell (pid 104, 100 ms more).
 */
static void pair(struct snapshot *prev, struct snapshot *cur)
{
	snap_init(prev, 10);
	task(prev, 100, "foo", CG_FOO, 1000, 0);
	task(prev, 101, "worker", CG_WORKER, 1000, 0);
	task(prev, 103, "app", CG_DOCKER, 1000, 0);
	task(prev, 104, "sh", CG_USER, 1000, 0);
	snapshot_prepare(prev);
	snap_init(cur, 12);
	task(cur, 100, "foo", CG_FOO, 1500, 0);
	task(cur, 101, "worker", CG_WORKER, 1300, 0);
	task(cur, 102, "job", CG_FOO, 200, 11);
	task(cur, 103, "app", CG_DOCKER, 2000, 0);
	task(cur, 104, "sh", CG_USER, 1100, 0);
	snapshot_prepare(cur);
}

/* The rows of the ingested pair by @g; the history takes each pair's exits once. */
static void show(struct model *m, enum group_by g, uint32_t depth)
{
	struct model_opts o = { .sort = FIELD_CPU, .descending = true, .group = g,
				.cgroup_depth = depth };

	assert_int_equal(model_present(m, &o), 0);
}

static void present(struct model *m, const struct snapshot *prev, const struct snapshot *cur,
		    enum group_by g, uint32_t depth)
{
	assert_int_equal(model_ingest(m, prev, cur), 0);
	show(m, g, depth);
}

static void test_names(void **state)
{
	(void)state;
	assert_true(cg_is_unit("foo.service"));
	assert_true(cg_is_unit("session-2.scope"));
	assert_true(cg_is_unit("user-1000.slice"));
	assert_false(cg_is_unit(".service"));
	assert_false(cg_is_unit("service"));
	assert_false(cg_is_unit("foo.service.d"));
	assert_non_null(cg_container_id(DOCKER_ID));
	assert_string_equal(cg_container_id("docker-" DOCKER_ID ".scope"), DOCKER_ID ".scope");
	assert_non_null(cg_container_id("cri-containerd-" DOCKER_ID ".scope"));
	assert_non_null(cg_container_id("crio-" DOCKER_ID ".scope"));
	assert_non_null(cg_container_id("libpod-" DOCKER_ID ".scope"));
	assert_non_null(cg_container_id("libpod-" DOCKER_ID));
	/* The runtimes' monitors, short or upper-case ids, other prefixes: no container. */
	assert_null(cg_container_id("crio-conmon-" DOCKER_ID ".scope"));
	assert_null(cg_container_id("libpod-conmon-" DOCKER_ID ".scope"));
	assert_null(cg_container_id("docker-0123456789ab.scope"));
	assert_null(cg_container_id("docker-0123456789ABCDEF0123456789abcdef0123456789abcdef"
				    "0123456789abcdef.scope"));
	assert_null(cg_container_id("foo-" DOCKER_ID ".scope"));
	assert_null(cg_container_id(DOCKER_ID "0"));
	assert_null(cg_container_id(""));
}

/* Each cgroup its row, its live and exited members summed; the tree's ancestors have none. */
static void test_group_cgroup(void **state)
{
	struct snapshot prev, cur;
	struct model m = {};
	const struct row *r;

	(void)state;
	pair(&prev, &cur);
	present(&m, &prev, &cur, GROUP_CGROUP, 0);
	assert_int_equal(m.nr_rows, 4);
	/* foo: 500 ms of the live one, 200 of the job that exited, over 2 s: 35%. */
	r = row_of(&m, CG_FOO);
	assert_int_equal(r->cpu_ns, 700 * MS);
	assert_float_equal(r->cpu_pct, 35, 1e-9);
	assert_int_equal(r->count, 2);
	assert_int_equal(r->live, 1);
	/* TIME+: the live one's 1.5 s and the exited one's 200 ms. */
	assert_int_equal(r->time_ns, 1700 * MS);
	assert_int_equal(row_of(&m, CG_WORKER)->cpu_ns, 300 * MS);
	assert_int_equal(row_of(&m, CG_DOCKER)->cpu_ns, 1000 * MS);
	assert_int_equal(row_of(&m, CG_USER)->cpu_ns, 100 * MS);
	/* Sorted by %CPU: the container first. */
	assert_int_equal(m.rows[0].cgroup_id, CG_DOCKER);
	model_free(&m);
	snapshot_free(&prev);
	snapshot_free(&cur);
}

/* --cgroup-depth 1: everything under /system.slice in its row; the shallower ones stay. */
static void test_group_depth(void **state)
{
	struct snapshot prev, cur;
	struct model m = {};
	const struct row *r;

	(void)state;
	pair(&prev, &cur);
	present(&m, &prev, &cur, GROUP_CGROUP, 1);
	assert_int_equal(m.nr_rows, 2);
	r = row_of(&m, CG_SYSTEM);
	assert_int_equal(r->cpu_ns, (500 + 300 + 200 + 1000) * MS);
	assert_int_equal(r->count, 4);
	assert_int_equal(r->live, 3);
	assert_int_equal(row_of(&m, CG_USER)->count, 1);
	/* Depth 2: worker folds into foo.service. */
	show(&m, GROUP_CGROUP, 2);
	assert_int_equal(m.nr_rows, 3);
	assert_int_equal(row_of(&m, CG_FOO)->cpu_ns, (500 + 300 + 200) * MS);
	model_free(&m);
	snapshot_free(&prev);
	snapshot_free(&cur);
}

/* Units: the deepest unit of the path; containers: the id's cgroup, the rest under none (0). */
static void test_group_unit_container(void **state)
{
	struct snapshot prev, cur;
	struct model m = {};

	(void)state;
	pair(&prev, &cur);
	present(&m, &prev, &cur, GROUP_UNIT, 0);
	assert_int_equal(m.nr_rows, 3);
	assert_int_equal(row_of(&m, CG_FOO)->cpu_ns, (500 + 300 + 200) * MS);
	assert_int_equal(row_of(&m, CG_DOCKER)->cpu_ns, 1000 * MS);
	assert_int_equal(row_of(&m, CG_USER)->cpu_ns, 100 * MS);
	show(&m, GROUP_CONTAINER, 0);
	assert_int_equal(m.nr_rows, 2);
	assert_int_equal(row_of(&m, CG_DOCKER)->cpu_ns, 1000 * MS);
	assert_int_equal(row_of(&m, 0)->cpu_ns, (500 + 300 + 200 + 100) * MS);
	assert_int_equal(row_of(&m, 0)->count, 4);
	model_free(&m);
	snapshot_free(&prev);
	snapshot_free(&cur);
}

/*
 * The exited job stays in foo's count and TIME+ after its interval; a process that moved is
 * charged to its new cgroup, and its old one keeps what it had.
 */
static void test_group_past_and_move(void **state)
{
	struct snapshot prev, cur, next;
	struct model m = {};
	const struct row *r;

	(void)state;
	pair(&prev, &cur);
	present(&m, &prev, &cur, GROUP_CGROUP, 0);
	snap_init(&next, 13);
	task(&next, 100, "foo", CG_USER, 1600, 0);
	task(&next, 101, "worker", CG_WORKER, 1300, 0);
	task(&next, 103, "app", CG_DOCKER, 2000, 0);
	task(&next, 104, "sh", CG_USER, 1100, 0);
	snapshot_prepare(&next);
	present(&m, &cur, &next, GROUP_CGROUP, 0);
	/* foo's cgroup: only the job, gone: its CNT and TIME+, no CPU now. */
	r = row_of(&m, CG_FOO);
	assert_int_equal(r->count, 1);
	assert_int_equal(r->live, 0);
	assert_int_equal(r->time_ns, 200 * MS);
	assert_int_equal(r->cpu_ns, 0);
	/* user.slice: sh, and foo's 100 ms since it moved. */
	r = row_of(&m, CG_USER);
	assert_int_equal(r->count, 2);
	assert_int_equal(r->cpu_ns, 100 * MS);
	assert_int_equal(r->time_ns, (1600 + 1100) * MS);
	model_free(&m);
	snapshot_free(&prev);
	snapshot_free(&cur);
	snapshot_free(&next);
}

/*
 * The figures over the interval: a 0.2-CPU limit, 1.6 s throttled of 2 s (80%) in 20 of 20
 * periods, 500 ms of some pressure (25%) and 100 ms of full (5%); a cgroup the previous
 * snapshot did not have has no rates, and one whose counters went back counts none.
 */
static void test_figures(void **state)
{
	struct snapshot prev, cur;
	struct model m = {};
	struct snap_cgroup *c;
	const struct cg_row *g;

	(void)state;
	pair(&prev, &cur);
	c = cgroup(&prev, CG_FOO);
	c->have = CG_HAVE_LIMIT | CG_HAVE_THROTTLE | CG_HAVE_PSI;
	c->quota_us = 20000;
	c->period_us = 100000;
	c->nr_periods = 100;
	c->nr_throttled = 90;
	c->throttled_ns = 9 * SEC;
	c->psi.some_us = 1000000;
	c->psi.full_us = 2000000;
	c = cgroup(&cur, CG_FOO);
	c->have = CG_HAVE_LIMIT | CG_HAVE_THROTTLE | CG_HAVE_PSI;
	c->quota_us = 20000;
	c->period_us = 100000;
	c->nr_periods = 120;
	c->nr_throttled = 110;
	c->throttled_ns = 9 * SEC + 1600 * MS;
	c->psi.some_us = 1500000;
	c->psi.full_us = 2100000;
	c->psi.some_avg10 = 2450;
	c = cgroup(&cur, CG_USER);
	c->have = CG_HAVE_LIMIT | CG_HAVE_THROTTLE | CG_HAVE_PSI;
	c->nr_periods = 5;
	c->psi.some_us = 7;
	present(&m, &prev, &cur, GROUP_CGROUP, 0);
	g = cg_find(&m.cg, CG_FOO);
	assert_non_null(g);
	assert_true(g->present);
	assert_int_equal(g->have, CG_HAVE_LIMIT | CG_HAVE_THROTTLE | CG_HAVE_PSI);
	assert_float_equal(g->limit, 0.2, 1e-12);
	assert_int_equal(g->nr_periods, 20);
	assert_int_equal(g->nr_throttled, 20);
	assert_int_equal(g->throttled_ns, 1600 * MS);
	assert_float_equal(g->thr_pct, 80, 1e-9);
	assert_float_equal(g->psi_some_pct, 25, 1e-9);
	assert_float_equal(g->psi_full_pct, 5, 1e-9);
	assert_int_equal(g->psi.some_avg10, 2450);
	assert_true(cg_throttled(&m.cg, CG_FOO));
	/* Not in the previous snapshot with figures: its limit, no rates. */
	g = cg_find(&m.cg, CG_USER);
	assert_int_equal(g->have, CG_HAVE_LIMIT);
	assert_float_equal(g->limit, 0, 0);
	assert_false(cg_throttled(&m.cg, CG_USER));
	/* Nothing read: nothing to show. */
	assert_int_equal(cg_find(&m.cg, CG_SYSTEM)->have, 0);
	/* The first snapshot: no interval, no rates. */
	model_free(&m);
	present(&m, NULL, &cur, GROUP_CGROUP, 0);
	assert_int_equal(cg_find(&m.cg, CG_FOO)->have, CG_HAVE_LIMIT);
	model_free(&m);
	snapshot_free(&prev);
	snapshot_free(&cur);
}

/* The cells and values of the cgroup columns, a long and a hostile path included. */
static void test_cells(void **state)
{
	static const char *const hostile = "/system.slice/\x1b[31mevil.service";
	char long_path[400], buf[512];
	struct snapshot prev, cur;
	struct model m = {};
	struct field_value v;
	struct field_ctx ctx;
	struct snap_cgroup *c;
	struct row r = {};

	(void)state;
	pair(&prev, &cur);
	snprintf(long_path, sizeof(long_path), "/kubepods.slice/kubepods-burstable.slice/"
		 "kubepods-burstable-pod0123.slice/cri-containerd-%s.scope", DOCKER_ID);
	assert_non_null(snapshot_add_cgroup(&cur, 90, CG_ROOT, long_path));
	assert_non_null(snapshot_add_cgroup(&cur, 91, CG_SYSTEM, hostile));
	snapshot_sort_cgroups(&cur);
	c = cgroup(&cur, CG_FOO);
	c->have = CG_HAVE_LIMIT;
	c->quota_us = 150000;
	c->period_us = 100000;
	present(&m, &prev, &cur, GROUP_NONE, 0);
	ctx = (struct field_ctx){ .cg = &m.cg };
	r.have = TASK_HAVE_CGROUP;

	r.cgroup_id = CG_FOO;
	field_cell(buf, sizeof(buf), FIELD_CGROUP, &r, &ctx);
	assert_string_equal(buf, "/system.slice/foo.service       ");
	field_cell(buf, sizeof(buf), FIELD_UNIT, &r, &ctx);
	assert_string_equal(buf, "foo.service             ");
	field_cell(buf, sizeof(buf), FIELD_CONTAINER, &r, &ctx);
	assert_string_equal(buf, "-           ");
	field_cell(buf, sizeof(buf), FIELD_LIMIT, &r, &ctx);
	assert_string_equal(buf, " 1.50");
	field_value(&v, FIELD_LIMIT, &r, &ctx);
	assert_int_equal(v.type, FV_DOUBLE);
	assert_float_equal(v.d, 1.5, 1e-12);
	/* No throttling read: "-", and nothing exported. */
	field_cell(buf, sizeof(buf), FIELD_THR_PCT, &r, &ctx);
	assert_string_equal(buf, "    -");
	field_value(&v, FIELD_THR_PCT, &r, &ctx);
	assert_int_equal(v.type, FV_NONE);

	/* A long path loses its start, its end kept; JSON has all of it. */
	r.cgroup_id = 90;
	field_cell(buf, sizeof(buf), FIELD_CGROUP, &r, &ctx);
	assert_int_equal(strlen(buf), 32);
	assert_memory_equal(buf, "..", 2);
	assert_string_equal(buf + 32 - 30, long_path + strlen(long_path) - 30);
	field_value(&v, FIELD_CGROUP, &r, &ctx);
	assert_int_equal(v.type, FV_TEXT);
	assert_int_equal(v.len, strlen(long_path));
	field_cell(buf, sizeof(buf), FIELD_CONTAINER, &r, &ctx);
	assert_string_equal(buf, "0123456789ab");
	field_value(&v, FIELD_CONTAINER, &r, &ctx);
	assert_int_equal(v.len, 64);
	assert_memory_equal(v.text, DOCKER_ID, 64);
	/* Its unit is the deepest: the container's scope; cut with top's '+'. */
	field_cell(buf, sizeof(buf), FIELD_UNIT, &r, &ctx);
	assert_string_equal(buf, "cri-containerd-01234567+");

	/* The escape never reaches the terminal. */
	r.cgroup_id = 91;
	field_cell(buf, sizeof(buf), FIELD_CGROUP, &r, &ctx);
	assert_null(strchr(buf, '\x1b'));
	assert_string_equal(buf, "/system.slice/?[31mevil.service ");
	field_cell(buf, sizeof(buf), FIELD_UNIT, &r, &ctx);
	assert_string_equal(buf, "?[31mevil.service       ");

	/* Not known, or no cgroups in the snapshot: "-". */
	r.cgroup_id = 12345;
	field_cell(buf, sizeof(buf), FIELD_CGROUP, &r, &ctx);
	assert_string_equal(buf, "-                               ");
	r.cgroup_id = CG_FOO;
	r.have = 0;
	field_cell(buf, sizeof(buf), FIELD_LIMIT, &r, &ctx);
	assert_string_equal(buf, "    -");
	model_free(&m);
	snapshot_free(&prev);
	snapshot_free(&cur);
}

/*
 * The cgroup tree: every ancestor has its row, each row its subtree's sums, parents before
 * their children and siblings by path; folding hides a subtree without adding it again.
 */
static void test_tree(void **state)
{
	struct model_opts o = { .sort = FIELD_CGROUP, .group = GROUP_CGROUP, .tree = true };
	static const uint64_t order[] = { CG_ROOT, CG_SYSTEM, CG_DOCKER, CG_FOO, CG_WORKER,
					  CG_USER };
	static const uint32_t depth[] = { 0, 1, 2, 2, 3, 1 };
	struct snapshot prev, cur;
	struct model m = {};
	struct field_ctx ctx;
	struct row_key fold;
	char buf[256];
	size_t i;

	(void)state;
	pair(&prev, &cur);
	assert_int_equal(model_ingest(&m, &prev, &cur), 0);
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 6);
	for (i = 0; i < m.nr_rows; i++) {
		assert_int_equal(m.rows[i].cgroup_id, order[i]);
		assert_int_equal(m.rows[i].depth, depth[i]);
	}
	/* The root holds all: 2.1 s of CPU, 5 processes seen, 4 live. */
	assert_int_equal(m.rows[0].cpu_ns, 2100 * MS);
	assert_int_equal(m.rows[0].count, 5);
	assert_int_equal(m.rows[0].live, 4);
	assert_int_equal(m.rows[1].cpu_ns, 2000 * MS);
	/* foo.service: its own 700 ms and its worker's 300. */
	assert_int_equal(m.rows[3].cpu_ns, 1000 * MS);
	assert_int_equal(m.rows[3].count, 3);
	ctx = (struct field_ctx){ .cg = &m.cg, .tree = true, .group = GROUP_CGROUP };
	field_cell(buf, sizeof(buf), FIELD_CGROUP, &m.rows[4], &ctx);
	assert_string_equal(buf, "    `- worker                   ");
	field_cell(buf, sizeof(buf), FIELD_CGROUP, &m.rows[0], &ctx);
	assert_string_equal(buf, "/                               ");
	/* /system.slice folded: its row as it was, its subtree out of sight. */
	fold = (struct row_key){ 0, m.rows[1].start_ns };
	o.collapsed = &fold;
	o.nr_collapsed = 1;
	assert_int_equal(model_present(&m, &o), 0);
	assert_int_equal(m.nr_rows, 3);
	assert_int_equal(m.rows[1].cgroup_id, CG_SYSTEM);
	assert_int_equal(m.rows[1].cpu_ns, 2000 * MS);
	assert_int_equal(m.rows[1].folded, 3);
	model_free(&m);
	snapshot_free(&prev);
	snapshot_free(&cur);
}

/* A snapshot copy keeps the table, and the model takes a renamed id's new path. */
static void test_copy_rename(void **state)
{
	struct snapshot prev, cur, copy = {};
	struct model m = {};

	(void)state;
	pair(&prev, &cur);
	assert_int_equal(snapshot_copy(&copy, &cur), 0);
	assert_int_equal(copy.nr_cgroups, cur.nr_cgroups);
	assert_string_equal(snapshot_cgroup_path(&copy, snapshot_cgroup(&copy, CG_FOO)),
			    "/system.slice/foo.service");
	present(&m, &prev, &cur, GROUP_CGROUP, 0);
	snapshot_begin(&copy);
	copy.ts_ns = 13 * SEC;
	assert_non_null(snapshot_add_cgroup(&copy, CG_ROOT, 0, "/"));
	assert_non_null(snapshot_add_cgroup(&copy, CG_FOO, CG_ROOT, "/bar.service"));
	present(&m, &cur, &copy, GROUP_CGROUP, 0);
	assert_string_equal(cg_find(&m.cg, CG_FOO)->path, "/bar.service");
	assert_int_equal(cg_find(&m.cg, CG_FOO)->depth, 1);
	assert_int_equal(cg_find(&m.cg, CG_FOO)->unit, CG_FOO);
	/* The others stay known for the history, but are not in the latest snapshot. */
	assert_false(cg_find(&m.cg, CG_USER)->present);
	model_free(&m);
	snapshot_free(&prev);
	snapshot_free(&cur);
	snapshot_free(&copy);
}

/*
 * Cgroups new to the model among known ones, their ids below, between and above: each in the
 * table once, and found.
 */
static void test_merge(void **state)
{
	static const uint64_t first[] = { 10, 20 }, then[] = { 5, 10, 15, 20, 25, 30, 1 };
	struct snapshot a, b;
	struct model m = {};
	char path[32];
	size_t i;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	b.ts_ns = SEC;
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/c%llu", (unsigned long long)first[i]);
		assert_non_null(snapshot_add_cgroup(&a, first[i], 1, path));
	}
	for (i = 0; i < 7; i++) {
		snprintf(path, sizeof(path), i == 6 ? "/" : "/c%llu", (unsigned long long)then[i]);
		assert_non_null(snapshot_add_cgroup(&b, then[i], i == 6 ? 0 : 1, path));
	}
	snapshot_sort_cgroups(&a);
	snapshot_sort_cgroups(&b);
	assert_int_equal(model_ingest(&m, NULL, &a), 0);
	assert_int_equal(m.cg.nr, 2);
	assert_int_equal(model_ingest(&m, &a, &b), 0);
	assert_int_equal(m.cg.nr, 7);
	for (i = 0; i < 7; i++) {
		const struct cg_row *c = cg_find(&m.cg, then[i]);

		assert_non_null(c);
		assert_true(c->present);
		assert_int_equal(c->depth, i == 6 ? 0 : 1);
	}
	model_free(&m);
	snapshot_free(&a);
	snapshot_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_group_cgroup),
		cmocka_unit_test(test_group_depth),
		cmocka_unit_test(test_group_unit_container),
		cmocka_unit_test(test_group_past_and_move),
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_copy_rename),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
