// SPDX-License-Identifier: GPL-2.0
/*
 * The exporter's series on hand-made snapshots through the real model: counters that only
 * grow (a process that execs counts under its new name from then on), the bounded tables and
 * their overflow keys, expiry, the top K and the rest, the groups' cgroup figures, both text
 * formats, label escaping, and the Accept header. Every expected figure is worked out by hand.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/version.h"
#include "sink/expo.h"

#define SEC 1000000000ull
#define MS 1000000ull

enum { CG_ROOT = 1, CG_SYSTEM = 10, CG_FOO = 20, CG_BAR = 30 };

static const struct {
	uint64_t id, parent;
	const char *path;
} tree[] = {
	{ CG_ROOT, 0, "/" },
	{ CG_SYSTEM, CG_ROOT, "/system.slice" },
	{ CG_FOO, CG_SYSTEM, "/system.slice/foo.service" },
	{ CG_BAR, CG_SYSTEM, "/system.slice/bar\"x.service" },
};

static void snap_init(struct snapshot *s, uint64_t ts_s)
{
	memset(s, 0, sizeof(*s));
	s->ts_ns = ts_s * SEC;
	s->wall_ns = (int64_t)(1700000000 + ts_s) * (int64_t)SEC;
	s->hz = 100;
	s->caps = SNAP_CAP_CGROUPS | SNAP_CAP_EXITS;
	s->task_have = (1u << TASK_NR_CTRS) - 1;
	s->psi_err = -ENOENT;
	snprintf(s->source_kind, sizeof(s->source_kind), "ebpf");
	for (size_t i = 0; i < sizeof(tree) / sizeof(tree[0]); i++)
		assert_non_null(snapshot_add_cgroup(s, tree[i].id, tree[i].parent, tree[i].path));
	snapshot_sort_cgroups(s);
}

/* Process @pid named @comm in cgroup @cg: @cpu_ms on the CPU so far, half of it in the kernel. */
static struct snap_task *task(struct snapshot *s, uint32_t pid, const char *comm, uint64_t cg,
			      uint64_t cpu_ms, uint64_t exit_s)
{
	struct snap_task *t = snapshot_add_task(s);

	assert_non_null(t);
	t->tid = t->tgid = pid;
	t->ppid = 1;
	t->start_ns = t->leader_start_ns = pid * MS;
	t->cpu_ns = cpu_ms * MS;
	t->user_ns = t->sys_ns = cpu_ms * MS / 2;
	t->exit_ns = exit_s * SEC;
	t->state = exit_s ? 'X' : 'S';
	t->cgroup_id = cg;
	snprintf(t->comm, sizeof(t->comm), "%s", comm);
	return t;
}

/* Two snapshots taking turns, the model and the series, as the loop and the sink have them. */
struct rig {
	struct snapshot s[2];
	int cur;
	bool started;
	struct model m;
	struct expo e;
	char *text;
};

static void rig_init(struct rig *r, const struct expo_opts *o)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(expo_init(&r->e, o), 0);
}

/* The next snapshot, at @ts_s: fill it with task() and the like, then rig_take(). */
static struct snapshot *rig_next(struct rig *r, uint64_t ts_s)
{
	struct snapshot *s = &r->s[r->started ? !r->cur : 0];

	snapshot_free(s);
	snap_init(s, ts_s);
	return s;
}

/* It into the model and the series, and the series written out in @om's format. */
static void rig_take(struct rig *r, bool om)
{
	int next = r->started ? !r->cur : 0;
	size_t len;
	FILE *f;

	snapshot_prepare(&r->s[next]);
	assert_int_equal(model_ingest(&r->m, r->started ? &r->s[r->cur] : NULL, &r->s[next]), 0);
	r->cur = next;
	r->started = true;
	assert_int_equal(expo_update(&r->e, &r->m), 0);
	free(r->text);
	f = open_memstream(&r->text, &len);
	assert_non_null(f);
	expo_write(&r->e, f, om);
	expo_write_tail(f, om, 7);
	assert_int_equal(fclose(f), 0);
}

static void rig_free(struct rig *r)
{
	expo_free(&r->e);
	model_free(&r->m);
	snapshot_free(&r->s[0]);
	snapshot_free(&r->s[1]);
	free(r->text);
}

/* The value of the sample written exactly as @series ("name{labels}"), or NULL. */
static const char *value(const struct rig *r, const char *series)
{
	static char v[64];
	size_t n = strlen(series);

	for (const char *p = r->text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, series, n) && p[n] == ' ') {
			sscanf(p + n + 1, "%63s", v);
			return v;
		}
	}
	return NULL;
}

static void assert_value(const struct rig *r, const char *series, const char *want)
{
	const char *got = value(r, series);

	if (!got)
		fail_msg("no %s in:\n%s", series, r->text);
	assert_string_equal(got, want);
}

static const struct expo_opts defaults = {
	.top = 10, .group = GROUP_CGROUP, .expire_ns = 600 * SEC, .limit = 500,
};

/*
 * The first snapshot starts the counters; each interval adds what it did. A process that
 * execs counts under its new name from then on, and the old name keeps what it had.
 */
static void test_counters(void **state)
{
	struct rig r;
	struct snapshot *s;
	struct snap_task *t;

	(void)state;
	rig_init(&r, &defaults);
	s = rig_next(&r, 10);
	task(s, 100, "foo", CG_FOO, 1000, 0)->ctr[TASK_SYSC] = 50;
	task(s, 101, "idle", CG_FOO, 10, 0);
	rig_take(&r, false);
	assert_null(value(&r, "cputop_program_cpu_seconds_total{program=\"foo\",mode=\"user\"}"));

	/* 10 s to 12 s: foo 600 ms more, 30 syscalls; a job starts at 11 s, exits after 200 ms. */
	s = rig_next(&r, 12);
	t = task(s, 100, "foo", CG_FOO, 1600, 0);
	t->ctr[TASK_SYSC] = 80;
	t->ctr[TASK_VCSW] = 4;
	t->ctr[TASK_WAIT_NS] = 5 * MS;
	task(s, 101, "idle", CG_FOO, 10, 0);
	t = task(s, 102, "job", CG_FOO, 200, 11);
	t->start_ns = t->leader_start_ns = 11 * SEC - 200 * MS;
	rig_take(&r, false);
	assert_value(&r, "cputop_program_cpu_seconds_total{program=\"foo\",mode=\"user\"}",
		     "0.300000000");
	assert_value(&r, "cputop_program_cpu_seconds_total{program=\"foo\",mode=\"system\"}",
		     "0.300000000");
	assert_value(&r, "cputop_program_syscalls_total{program=\"foo\"}", "30");
	assert_value(&r, "cputop_program_context_switches_total{program=\"foo\",kind=\"voluntary\"}",
		     "4");
	assert_value(&r, "cputop_program_run_queue_wait_seconds_total{program=\"foo\"}",
		     "0.005000000");
	assert_value(&r, "cputop_program_processes{program=\"foo\"}", "1");
	/* The idle make no key: nothing of them is written. */
	assert_null(value(&r, "cputop_program_processes{program=\"idle\"}"));
	assert_value(&r, "cputop_program_processes_started_total{program=\"job\"}", "1");
	assert_value(&r, "cputop_program_exits_total{program=\"job\"}", "1");
	assert_value(&r, "cputop_program_exited_cpu_seconds_total{program=\"job\"}", "0.200000000");
	assert_value(&r, "cputop_program_processes{program=\"job\"}", "0");
	/* Their cgroup: foo's, the job's and the idle one's, which counts as a process there. */
	assert_value(&r, "cputop_cgroup_cpu_seconds_total{cgroup=\"/system.slice/foo.service\","
		     "mode=\"user\"}", "0.400000000");
	assert_value(&r, "cputop_cgroup_exits_total{cgroup=\"/system.slice/foo.service\"}", "1");
	assert_value(&r, "cputop_cgroup_processes{cgroup=\"/system.slice/foo.service\"}", "2");

	/* 12 s to 14 s: foo execs into bar, 400 ms more. */
	s = rig_next(&r, 14);
	task(s, 100, "bar", CG_FOO, 2000, 0)->ctr[TASK_SYSC] = 80;
	task(s, 101, "idle", CG_FOO, 10, 0);
	rig_take(&r, false);
	assert_value(&r, "cputop_program_cpu_seconds_total{program=\"foo\",mode=\"user\"}",
		     "0.300000000");
	assert_value(&r, "cputop_program_cpu_seconds_total{program=\"bar\",mode=\"user\"}",
		     "0.200000000");
	assert_value(&r, "cputop_program_processes{program=\"foo\"}", "0");
	assert_value(&r, "cputop_cgroup_cpu_seconds_total{cgroup=\"/system.slice/foo.service\","
		     "mode=\"system\"}", "0.600000000");
	/* The top: bar's 400 ms of the 2 s interval, nothing else ran. */
	assert_value(&r, "cputop_top_process_cpu_ratio{pid=\"100\",comm=\"bar\"}", "0.2");
	assert_value(&r, "cputop_top_process_cpu_ratio{pid=\"other\"}", "0");
	rig_free(&r);
}

/* Past the limit, new names count in "(other programs)"; one idle past expiry is dropped. */
static void test_limit_expire(void **state)
{
	struct expo_opts o = defaults;
	struct snapshot *s;
	struct rig r;

	(void)state;
	o.limit = 2;
	o.expire_ns = 3 * SEC;
	rig_init(&r, &o);
	s = rig_next(&r, 10);
	task(s, 100, "a", CG_FOO, 0, 0);
	task(s, 101, "b", CG_FOO, 0, 0);
	task(s, 102, "c", CG_FOO, 0, 0);
	rig_take(&r, false);
	/* 10 to 12 s: all three run, c after a and b have taken the table. */
	s = rig_next(&r, 12);
	task(s, 100, "a", CG_FOO, 100, 0);
	task(s, 101, "b", CG_FOO, 200, 0);
	task(s, 102, "c", CG_FOO, 300, 0);
	rig_take(&r, false);
	assert_value(&r, "cputop_program_cpu_seconds_total{program=\"a\",mode=\"user\"}",
		     "0.050000000");
	assert_value(&r, "cputop_program_cpu_seconds_total{program=\"(other programs)\",mode=\"user\"}",
		     "0.150000000");
	assert_null(value(&r, "cputop_program_processes{program=\"c\"}"));
	/* 12 to 16 s: only b runs; a, idle 4 s, is gone, and its room is c's when it runs. */
	s = rig_next(&r, 14);
	task(s, 100, "a", CG_FOO, 100, 0);
	task(s, 101, "b", CG_FOO, 300, 0);
	task(s, 102, "c", CG_FOO, 300, 0);
	rig_take(&r, false);
	s = rig_next(&r, 16);
	task(s, 100, "a", CG_FOO, 100, 0);
	task(s, 101, "b", CG_FOO, 400, 0);
	task(s, 102, "c", CG_FOO, 300, 0);
	rig_take(&r, false);
	assert_null(value(&r, "cputop_program_processes{program=\"a\"}"));
	assert_value(&r, "cputop_program_processes{program=\"b\"}", "1");
	s = rig_next(&r, 18);
	task(s, 100, "a", CG_FOO, 100, 0);
	task(s, 101, "b", CG_FOO, 400, 0);
	task(s, 102, "c", CG_FOO, 500, 0);
	rig_take(&r, false);
	assert_value(&r, "cputop_program_cpu_seconds_total{program=\"c\",mode=\"user\"}",
		     "0.100000000");
	/* The overflow key keeps what it counted: counters never go down. */
	assert_value(&r, "cputop_program_cpu_seconds_total{program=\"(other programs)\",mode=\"user\"}",
		     "0.150000000");
	rig_free(&r);
}

/* What the source cannot count is left out: /proc has no exits and no system calls. */
static void test_proc_source(void **state)
{
	struct snapshot *s;
	struct rig r;

	(void)state;
	rig_init(&r, &defaults);
	for (int i = 0; i < 2; i++) {
		s = rig_next(&r, 10 + 2 * i);
		s->caps &= ~SNAP_CAP_EXITS;
		s->task_have = 0;
		snprintf(s->source_kind, sizeof(s->source_kind), "proc");
		task(s, 100, "foo", CG_FOO, 1000 + 100 * i, 0);
		rig_take(&r, false);
	}
	assert_value(&r, "cputop_program_cpu_seconds_total{program=\"foo\",mode=\"user\"}",
		     "0.050000000");
	assert_null(strstr(r.text, "_syscalls"));
	assert_null(strstr(r.text, "_exits"));
	assert_null(strstr(r.text, "exited_cpu"));
	assert_null(strstr(r.text, "context_switches"));
	assert_null(strstr(r.text, "run_queue_wait"));
	assert_non_null(strstr(r.text, "cputop_program_processes_started_total"));
	rig_free(&r);
}

/* The top K by CPU over the interval, and the rest in one series: their sum is the whole. */
static void test_top(void **state)
{
	struct expo_opts o = defaults;
	struct snapshot *s;
	struct rig r;

	(void)state;
	o.top = 2;
	rig_init(&r, &o);
	s = rig_next(&r, 10);
	task(s, 100, "a", CG_FOO, 0, 0);
	task(s, 101, "b", CG_FOO, 0, 0);
	task(s, 102, "c", CG_FOO, 0, 0);
	rig_take(&r, false);
	s = rig_next(&r, 12);
	task(s, 100, "a", CG_FOO, 100, 0);
	task(s, 101, "b", CG_FOO, 300, 0);
	task(s, 102, "c", CG_FOO, 200, 0);
	task(s, 103, "d", CG_FOO, 60, 11);
	rig_take(&r, false);
	assert_value(&r, "cputop_top_process_cpu_ratio{pid=\"101\",comm=\"b\"}", "0.15");
	assert_value(&r, "cputop_top_process_cpu_ratio{pid=\"102\",comm=\"c\"}", "0.1");
	/* a's 100 ms and d's 60 ms (exited during the interval). */
	assert_value(&r, "cputop_top_process_cpu_ratio{pid=\"other\"}", "0.08");
	assert_null(value(&r, "cputop_top_process_cpu_ratio{pid=\"100\",comm=\"a\"}"));
	rig_free(&r);
}

/* By unit: its cgroup's limit, throttling and pressure over the interval. */
static void test_group_figures(void **state)
{
	struct expo_opts o = defaults;
	struct snap_cgroup *c;
	struct snapshot *s;
	struct rig r;

	(void)state;
	o.group = GROUP_UNIT;
	rig_init(&r, &o);
	s = rig_next(&r, 10);
	task(s, 100, "foo", CG_FOO, 0, 0);
	c = (struct snap_cgroup *)snapshot_cgroup(s, CG_FOO);
	*c = (struct snap_cgroup){ .id = c->id, .parent = c->parent, .path = c->path,
				   .have = CG_HAVE_LIMIT | CG_HAVE_THROTTLE | CG_HAVE_PSI,
				   .quota_us = 20000, .period_us = 100000, .nr_periods = 100,
				   .nr_throttled = 90, .throttled_ns = 9 * SEC,
				   .psi = { .some_us = 1000000, .full_us = 2000000 } };
	rig_take(&r, false);
	s = rig_next(&r, 12);
	task(s, 100, "foo", CG_FOO, 400, 0);
	c = (struct snap_cgroup *)snapshot_cgroup(s, CG_FOO);
	*c = (struct snap_cgroup){ .id = c->id, .parent = c->parent, .path = c->path,
				   .have = CG_HAVE_LIMIT | CG_HAVE_THROTTLE | CG_HAVE_PSI,
				   .quota_us = 20000, .period_us = 100000, .nr_periods = 120,
				   .nr_throttled = 110, .throttled_ns = 10 * SEC + 600 * MS,
				   .psi = { .some_us = 1500000, .full_us = 2100000 } };
	rig_take(&r, false);
	assert_value(&r, "cputop_unit_cpu_seconds_total{unit=\"foo.service\",mode=\"user\"}",
		     "0.200000000");
	assert_value(&r, "cputop_unit_cpu_limit_cpus{unit=\"foo.service\"}", "0.2");
	assert_value(&r, "cputop_unit_periods_total{unit=\"foo.service\"}", "20");
	assert_value(&r, "cputop_unit_throttled_periods_total{unit=\"foo.service\"}", "20");
	assert_value(&r, "cputop_unit_throttled_seconds_total{unit=\"foo.service\"}",
		     "1.600000000");
	assert_value(&r, "cputop_unit_cpu_pressure_seconds_total{unit=\"foo.service\","
		     "kind=\"some\"}", "0.500000000");
	assert_value(&r, "cputop_unit_cpu_pressure_seconds_total{unit=\"foo.service\","
		     "kind=\"full\"}", "0.100000000");
	/* No process ran in bar's unit, nor did the kernel hold it back: no series. */
	assert_null(strstr(r.text, "bar"));
	rig_free(&r);
}

/* The groups' overflow key: the limits of its cgroups now, not added up frame after frame. */
static void test_group_overflow(void **state)
{
	struct expo_opts o = defaults;
	struct snapshot *s;
	struct rig r;

	(void)state;
	o.group = GROUP_UNIT;
	o.limit = 1;
	rig_init(&r, &o);
	for (int i = 0; i < 3; i++) {
		s = rig_next(&r, 10 + 2 * i);
		for (uint64_t id = CG_FOO; id <= CG_BAR; id += CG_BAR - CG_FOO) {
			struct snap_cgroup *c = (struct snap_cgroup *)snapshot_cgroup(s, id);

			c->have = CG_HAVE_LIMIT;
			c->quota_us = 30000;
			c->period_us = 100000;
		}
		task(s, 100, "foo", CG_FOO, 100 * i, 0);
		task(s, 101, "bar", CG_BAR, 100 * i, 0);
		rig_take(&r, false);
	}
	assert_value(&r, "cputop_unit_cpu_limit_cpus{unit=\"foo.service\"}", "0.3");
	assert_value(&r, "cputop_unit_cpu_limit_cpus{unit=\"(other groups)\"}", "0.3");
	assert_value(&r, "cputop_unit_cpu_seconds_total{unit=\"(other groups)\",mode=\"user\"}",
		     "0.100000000");
	rig_free(&r);
}

/*
 * The text format names counters by their samples, OpenMetrics by the family and ends with
 * # EOF; label values are escaped, and made valid UTF-8 without control bytes.
 */
static void test_formats(void **state)
{
	struct snapshot *s;
	struct rig r;

	(void)state;
	rig_init(&r, &defaults);
	s = rig_next(&r, 10);
	task(s, 100, "q\"b\\s\x1b[1m", CG_BAR, 0, 0);
	rig_take(&r, false);
	s = rig_next(&r, 12);
	task(s, 100, "q\"b\\s\x1b[1m", CG_BAR, 200, 0);
	rig_take(&r, false);
	assert_non_null(strstr(r.text, "# TYPE cputop_program_cpu_seconds_total counter\n"));
	assert_non_null(strstr(r.text, "# TYPE cputop_program_processes gauge\n"));
	assert_value(&r, "cputop_program_cpu_seconds_total{program=\"q\\\"b\\\\s?[1m\","
		     "mode=\"user\"}", "0.100000000");
	assert_value(&r, "cputop_cgroup_processes{cgroup=\"/system.slice/bar\\\"x.service\"}",
		     "1");
	assert_value(&r, "cputop_self_scrapes_total", "7");
	assert_value(&r, "cputop_build_info{version=\"" CPUTOP_VERSION "\",source=\"ebpf\"}", "1");
	assert_null(strstr(r.text, "# EOF"));
	/* The same frame as OpenMetrics. */
	s = rig_next(&r, 14);
	task(s, 100, "q\"b\\s\x1b[1m", CG_BAR, 200, 0);
	rig_take(&r, true);
	assert_non_null(strstr(r.text, "# TYPE cputop_program_cpu_seconds counter\n"));
	assert_non_null(strstr(r.text, "# HELP cputop_program_cpu_seconds CPU time of its "
			       "processes, exited ones included, by mode, per program.\n"));
	assert_value(&r, "cputop_self_scrapes_total", "7");
	assert_string_equal(r.text + strlen(r.text) - 6, "# EOF\n");
	rig_free(&r);
}

/* OpenMetrics when the Accept header asks for it at least as much as for the text format. */
static void test_accept(void **state)
{
	(void)state;
	/* Prometheus 2.42's. */
	assert_true(expo_wants_om("application/openmetrics-text;version=1.0.0,"
				  "application/openmetrics-text;version=0.0.1;q=0.75,"
				  "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"));
	assert_true(expo_wants_om("application/openmetrics-text; version=1.0.0"));
	assert_true(expo_wants_om("text/plain;q=0.5, Application/OpenMetrics-Text"));
	assert_false(expo_wants_om(NULL));
	assert_false(expo_wants_om(""));
	assert_false(expo_wants_om("*/*"));
	assert_false(expo_wants_om("text/plain;version=0.0.4"));
	assert_false(expo_wants_om("application/openmetrics-text;q=0.3,text/plain;q=0.9"));
	assert_false(expo_wants_om("application/openmetrics-text;q=0"));
	assert_false(expo_wants_om("application/openmetrics-textual"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_limit_expire),
		cmocka_unit_test(test_proc_source),
		cmocka_unit_test(test_top),
		cmocka_unit_test(test_group_figures),
		cmocka_unit_test(test_group_overflow),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_accept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
