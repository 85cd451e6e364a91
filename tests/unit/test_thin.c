// SPDX-License-Identifier: GPL-2.0
/*
 * --thin (thin.c) on a recording written here, in a fresh directory under /tmp: the sample
 * kept for a window holds its own cgroups, the latest, and the exits of the samples left out
 * with their cgroups, which may be gone by then.
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
#include "thin.h"

#define SEC 1000000000ll
/* 2020-01-01 00:00:00 UTC: a multiple of any --keep in seconds up to a day. */
#define T0 (1577836800 * SEC)
#define NR 10

struct fixture {
	char dir[64];
	char path[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/cputop-test-thin.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/t.rec", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd))
		return -1;
	free(f);
	return 0;
}

static struct snap_cgroup *cg_add(struct snapshot *s, uint64_t id, uint64_t parent,
				  const char *path, uint64_t periods)
{
	struct snap_cgroup *c = snapshot_add_cgroup(s, id, parent, path);

	assert_non_null(c);
	c->have = CG_HAVE_THROTTLE | CG_HAVE_PSI;
	c->nr_periods = periods;
	c->psi.some_us = 10 * periods;
	return c;
}

static void task_add(struct snapshot *s, uint32_t tid, uint64_t cgroup_id, int64_t exit_ns)
{
	struct snap_task *t = snapshot_add_task(s);

	assert_non_null(t);
	t->tid = t->tgid = tid;
	t->leader_start_ns = t->start_ns = tid * 1000;
	t->cpu_ns = tid * 1000000ull;
	t->cgroup_id = cgroup_id;
	t->exit_ns = exit_ns;
	t->state = exit_ns ? 'X' : 'S';
	snprintf(t->comm, sizeof(t->comm), "task-%u", tid);
}

/*
 * Sample @i, 2 s after the one before: a service whose figures grow, a cron job's cgroup
 * from 1 to 2 whose task exits in 1, and a session (and its user's slice) from 1 to 3 whose
 * task exits in 3, left out of the window's last sample, 4.
 */
static void sample(struct snapshot *s, int i)
{
	snapshot_begin(s);
	s->ts_ns = 100 * SEC + i * 2 * SEC;
	s->wall_ns = T0 + i * 2 * SEC;
	s->caps = SNAP_CAP_CGROUPS;
	s->psi.some_us = 1000 * i;
	cg_add(s, 1, 0, "/", 100 * i);
	cg_add(s, 50, 1, "/system.slice", 10 * i);
	cg_add(s, 60, 1, "/user.slice", 0);
	cg_add(s, 1000, 50, "/system.slice/db.service", 5 * i);
	if (i >= 1 && i <= 2)
		cg_add(s, 1100, 50, "/system.slice/cron.service", 7 * i);
	if (i >= 1 && i <= 3) {
		cg_add(s, 2000, 60, "/user.slice/user-1000.slice", 3 * i);
		cg_add(s, 2001, 2000, "/user.slice/user-1000.slice/session-1.scope", 2 * i);
	}
	snapshot_sort_cgroups(s);
	task_add(s, 100, 1000, 0);
	if (i == 1)
		task_add(s, 200, 1100, s->ts_ns - SEC);
	if (i == 3)
		task_add(s, 300, 2001, s->ts_ns - SEC);
	snapshot_prepare(s);
}

static void write_recording(const char *path)
{
	struct snapshot s[2] = { 0 };
	struct record_buf b = { 0 };
	struct rec_writer *w;

	assert_int_equal(recw_open(&w, path), 0);
	for (int i = 0; i < NR; i++) {
		sample(&s[i & 1], i);
		assert_int_equal(record_encode(&b, i ? &s[!(i & 1)] : NULL, &s[i & 1]), 0);
		assert_int_equal(recw_append(w, s[i & 1].wall_ns, i ? 0 : REC_KEY | REC_START,
					     b.p, b.len), 0);
	}
	recw_close(w);
	record_buf_free(&b);
	snapshot_free(&s[0]);
	snapshot_free(&s[1]);
}

static const struct snap_cgroup *cg_get(const struct snapshot *s, uint64_t id, const char *path)
{
	const struct snap_cgroup *c = snapshot_cgroup(s, id);

	assert_non_null(c);
	assert_string_equal(snapshot_cgroup_path(s, c), path);
	return c;
}

/* The first window's sample kept: sample 4, the exits of samples 1 and 3 taken in. */
static void check_window(const struct snapshot *s)
{
	const struct snap_cgroup *c;

	/* The last sample's own, with its figures. */
	assert_int_equal(cg_get(s, 1000, "/system.slice/db.service")->nr_periods, 20);
	assert_int_equal(cg_get(s, 50, "/system.slice")->nr_periods, 40);
	assert_int_equal(s->psi.some_us, 4000);
	/* The exits' cgroups, gone since, as last seen: the cron job's in sample 2. */
	c = cg_get(s, 1100, "/system.slice/cron.service");
	assert_int_equal(c->parent, 50);
	assert_int_equal(c->nr_periods, 14);
	assert_int_equal(c->psi.some_us, 140);
	assert_int_equal(cg_get(s, 2001, "/user.slice/user-1000.slice/session-1.scope")->parent,
			 2000);
	assert_int_equal(cg_get(s, 2000, "/user.slice/user-1000.slice")->nr_periods, 9);
	/* Its four and those three, sorted: the next encoding takes them. */
	assert_int_equal(s->nr_cgroups, 4 + 3);
	for (size_t i = 1; i < s->nr_cgroups; i++)
		assert_true(s->cgroups[i - 1].id < s->cgroups[i].id);
	assert_int_equal(s->nr_tasks, 3);
}

/* Two windows of 10 s, five samples each: the first takes in exits whose cgroups are gone. */
static void test_thin_cgroups(void **state)
{
	struct fixture *f = *state;
	struct snapshot s[2] = { 0 };
	struct rec_reader *r;
	struct rec_frame fr;
	char why[256];
	int n = 0;

	write_recording(f->path);
	assert_int_equal(thin_run(f->path, 10 * SEC, 0), 0);
	assert_int_equal(recr_open(&r, f->path, why, sizeof(why)), 0);
	for (; recr_next(r, &fr) == 0; n++) {
		struct snapshot *d = &s[n & 1];

		assert_int_equal(record_decode(d, fr.flags & REC_KEY ? NULL : &s[!(n & 1)],
					       fr.data, fr.len), 0);
		if (n == 0)
			check_window(d);
	}
	/* The second window's last sample, as it was: nothing gone in it. */
	assert_int_equal(n, 2);
	assert_int_equal(s[1].nr_cgroups, 4);
	assert_int_equal(s[1].nr_tasks, 1);
	recr_close(r);
	snapshot_free(&s[0]);
	snapshot_free(&s[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_thin_cgroups, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
