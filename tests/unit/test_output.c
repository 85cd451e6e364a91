// SPDX-License-Identifier: GPL-2.0
/*
 * --format json and --format csv for hand-made snapshots and models: the JSON is parsed back
 * with json-c and every member checked for presence, type and value; the CSV is split as
 * RFC 4180 says and checked field by field. Expected values are worked out by hand.
 */
#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "model/model.h"
#include "cli.h"
#include "sink/batch.h"
#include "utf8.h"

#define SEC 1000000000ull
#define MS 1000000ull
#define MIB (1024ull * 1024)
/* 2023-11-14 22:13:20 UTC, in ns; the snapshot's monotonic clock reads 13 s then. */
#define WALL (1700000000ll * 1000000000)
#define MONO (13 * SEC)

/* Every task_have bit, as the eBPF source with schedstats gives them. */
#define HAVE_ALL (1u << TASK_SYSC | 1u << TASK_VCSW | 1u << TASK_ICSW | 1u << TASK_MIGR | \
		  1u << TASK_WAIT_NS | 1u << TASK_IOW_NS | TASK_HAVE_MAXW)

static void snap_fill(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->ts_ns = MONO;
	s->wall_ns = WALL;
	s->uptime_s = 12345.5;
	s->load.load[0] = 0.5;
	s->load.load[1] = 0.25;
	s->load.load[2] = 2.0;
	s->load.runnable = 3;
	s->load.threads = 234;
	s->mem.total = 16384 * MIB;
	s->mem.free = 1024 * MIB;
	s->mem.available = 8000 * MIB;
	s->mem.buffers = 200 * MIB;
	s->mem.cached = 4000 * MIB;
	s->mem.sreclaimable = 100 * MIB;
	s->mem.swap_total = 2048 * MIB;
	s->mem.swap_free = 1536 * MIB;
	s->mem.huge_total = 16;
	s->mem.huge_free = 10;
	s->mem.huge_rsvd = 2;
	s->mem.huge_size = 2 * MIB;
	s->hz = 100;
	s->have_intr = true;
	s->caps = SNAP_CAP_EXITS | SNAP_CAP_COST;
	strcpy(s->source_kind, "ebpf");
	strcpy(s->source_name, "eBPF");
	strcpy(s->source_note, "exact");
	s->exits_dropped = 7;
	s->exits_seen = 9;
	s->exits_delivered = 2;
	s->task_errors = 2;
	s->self_cpu_ns = 1234 * MS;
	s->nr_softirqs = 2;
	snprintf(s->softirq_names[0], SOFTIRQ_NAME_LEN, "TIMER");
	snprintf(s->softirq_names[1], SOFTIRQ_NAME_LEN, "NET_RX");
}

static struct row rows[4];
static struct proc_exit exits[2];
static struct cpu_row cpu_rows[2];

/*
 * Rows: server 100 (root, all counters), a hostile name 99999 (an unknown uid, /proc's one
 * counter), a name holding a comma and a quote 7. Exits: make 4242, and a name gone wrong.
 */
static void model_fill(struct model *m)
{
	int k;

	memset(m, 0, sizeof(*m));
	memset(rows, 0, sizeof(rows));
	rows[0] = (struct row){ .pid = 100, .tgid = 100, .ppid = 1, .uid = 0, .nr_threads = 2,
		.state = 'R', .prio = 15, .nice = -5, .comm = "server", .start_ns = 5 * SEC,
		.time_ns = 62350 * MS,
		.cpu_ns = SEC, .user_ns = 750 * MS, .sys_ns = 250 * MS, .cpu_pct = 50.0,
		.usr_pct = 37.5, .sys_pct = 12.5, .max_wait_ns = 7000, .have = HAVE_ALL,
		.depth = 0, .folded = 3, .count = 4, .live = 4 };
	for (k = 0; k < TASK_NR_CTRS; k++)
		rows[0].ctr[k] = 10 * (k + 1);
	rows[1] = (struct row){ .pid = 99999, .tgid = 99998, .ppid = 100, .uid = 4000000,
		.state = 'X', .comm = "\x1b[31mred\nline", .start_ns = 6 * SEC,
		.have = 1u << TASK_WAIT_NS, .depth = 1 };
	rows[1].ctr[TASK_WAIT_NS] = 5000;
	rows[1].ctr[TASK_SYSC] = 99;	/* not had: not shown */
	rows[2] = (struct row){ .pid = 7, .tgid = 7, .ppid = 1, .uid = 0, .nr_threads = 1,
		.state = 'S', .comm = "a,b\"c", .start_ns = SEC, .have = HAVE_ALL, .depth = 0 };
	m->rows = rows;
	m->nr_rows = 3;
	exits[0] = (struct proc_exit){ .pid = 4242, .ppid = 1, .uid = 0, .comm = "make",
		.start_ns = 10 * SEC, .exit_ns = 12500 * MS, .cpu_ns = 1500 * MS,
		.user_ns = SEC, .sys_ns = 500 * MS };
	/* Stamped before its start (two CPUs' clocks): no negative lifetime. */
	exits[1] = (struct proc_exit){ .pid = 77, .ppid = 4242, .uid = 4000000,
		.comm = "\xff\xfe" "x\x07", .start_ns = 12 * SEC, .exit_ns = 12 * SEC - 1 };
	m->exits = exits;
	m->nr_exits = 2;
	m->sum.interval_ns = 2 * SEC;
	m->sum.self_pct = 0.75;
	m->sum.hooks_pct = 0.125;
	m->sum.tasks.total = 3;
	m->sum.tasks.running = 1;
	m->sum.tasks.sleeping = 1;
	m->sum.tasks.zombie = 1;
	m->sum.tasks.exited = 2;
	m->sum.tasks_ns = 1500 * MS;
	m->sum.busy_ns = 2 * SEC;
	m->sum.ctxt_rate = 1234.5;
	m->sum.intr_rate = 800.25;
	m->sum.ctr_have = 1ull << CTR_CSW | 1ull << CTR_BUSY_NS | 1ull << CTR_SOFTIRQ;
	m->sum.all.pct[CPU_USER] = 25.0;
	m->sum.all.pct[CPU_SYSTEM] = 12.5;
	m->sum.all.pct[CPU_IDLE] = 62.5;
	m->sum.all.rate[CTR_CSW] = 683.5;
	m->sum.all.rate[CTR_PRE] = 11.0;	/* not had: not shown */
	m->sum.all.rate[CTR_BUSY_NS] = 27.25;
	m->sum.all.rate[CTR_SOFTIRQ] = 85.5;
	m->sum.all.rate[CTR_SOFTIRQ + 1] = 3.0;	/* not had: not shown */
	memset(cpu_rows, 0, sizeof(cpu_rows));
	cpu_rows[0].pct[CPU_USER] = 50.0;
	cpu_rows[1].pct[CPU_IDLE] = 100.0;
	cpu_rows[1].rate[CTR_CSW] = 2.5;
	m->cpus = cpu_rows;
	m->nr_cpus = 2;
}

/* The options of `cputop -b --format FMT` and @extra (NULL-terminated). */
static const struct settings *opts(const char *format, const char *extra1,
				      const char *extra2)
{
	static struct cli o;
	char *argv[8] = { "cputop", "-b", "--format", (char *)format };
	int argc = 4;

	if (extra1)
		argv[argc++] = (char *)extra1;
	if (extra2)
		argv[argc++] = (char *)extra2;
	argv[argc] = NULL;
	optind = 0;
	if (cli_parse(&o, argc, argv))
		fail_msg("options refused: %s", o.err);
	return &o.set;
}

/* ---- JSON ---- */

static char *json_text;

static int json_teardown(void **state)
{
	(void)state;
	free(json_text);
	json_text = NULL;
	return 0;
}

/*
 * json_print() of @s and @m into memory: one line, one newline at its end, no control byte,
 * valid UTF-8; then parsed back. The caller json_object_put()s the result.
 */
static struct json_object *json_out(const struct snapshot *s, const struct model *m,
				    const struct settings *o)
{
	struct users users = {};
	struct json_object *j;
	size_t len = 0, i;
	FILE *f;

	free(json_text);
	json_text = NULL;
	f = open_memstream(&json_text, &len);
	assert_non_null(f);
	assert_int_equal(json_print(f, s, m, o, &users), 0);
	assert_int_equal(fclose(f), 0);
	users_free(&users);
	assert_true(len > 2);
	assert_int_equal(json_text[len - 1], '\n');
	for (i = 0; i + 1 < len; i++) {
		if ((unsigned char)json_text[i] < 0x20 || json_text[i] == 0x7f)
			fail_msg("control byte 0x%02x at %zu of the JSON line", json_text[i], i);
	}
	assert_true(utf8_bad(json_text) < 0);
	j = json_tokener_parse(json_text);
	if (!j)
		fail_msg("not JSON: %s", json_text);
	assert_true(json_object_is_type(j, json_type_object));
	return j;
}

static struct json_object *member(struct json_object *o, const char *key, enum json_type type)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("no member \"%s\" in %s", key, json_object_to_json_string(o));
	if (!json_object_is_type(v, type))
		fail_msg("member \"%s\" is a %s, not a %s", key,
			 json_type_to_name(json_object_get_type(v)), json_type_to_name(type));
	return v;
}

static void expect_absent(struct json_object *o, const char *key)
{
	if (json_object_object_get_ex(o, key, NULL))
		fail_msg("member \"%s\" should not be in %s", key, json_object_to_json_string(o));
}

static void expect_u64(struct json_object *o, const char *key, uint64_t want)
{
	uint64_t got = json_object_get_uint64(member(o, key, json_type_int));

	if (got != want)
		fail_msg("\"%s\": %llu, want %llu", key, (unsigned long long)got,
			 (unsigned long long)want);
}

static void expect_i64(struct json_object *o, const char *key, int64_t want)
{
	int64_t got = json_object_get_int64(member(o, key, json_type_int));

	if (got != want)
		fail_msg("\"%s\": %lld, want %lld", key, (long long)got, (long long)want);
}

static void expect_double(struct json_object *o, const char *key, double want)
{
	double got = json_object_get_double(member(o, key, json_type_double));

	if (got != want)
		fail_msg("\"%s\": %.17g, want %.17g", key, got, want);
}

static void expect_str(struct json_object *o, const char *key, const char *want)
{
	assert_string_equal(json_object_get_string(member(o, key, json_type_string)), want);
}

static void expect_bool(struct json_object *o, const char *key, bool want)
{
	assert_int_equal(json_object_get_boolean(member(o, key, json_type_boolean)), want);
}

static struct json_object *element(struct json_object *a, size_t i)
{
	assert_true(i < json_object_array_length(a));
	return json_object_array_get_idx(a, i);
}

/* The snapshot's own figures: clocks, source, load, task counts. */
static void test_json_header(void **state)
{
	struct json_object *j, *v;
	struct snapshot s;
	struct model m;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	j = json_out(&s, &m, opts("json", NULL, NULL));
	expect_i64(j, "timestamp_ns", 1700000000000000000ll);
	expect_u64(j, "monotonic_ns", 13 * SEC);
	expect_u64(j, "interval_ns", 2 * SEC);
	expect_bool(j, "since_start", false);
	/* 12345.5 s */
	expect_u64(j, "uptime_ns", 12345500000000ull);
	expect_str(j, "view", "processes");

	v = member(j, "source", json_type_object);
	expect_str(v, "kind", "ebpf");
	expect_str(v, "note", "exact");
	expect_u64(v, "exits_dropped", 7);
	expect_u64(v, "untracked_events", 0);
	expect_u64(v, "exits_seen", 9);
	expect_u64(v, "exits_delivered", 2);
	expect_u64(v, "task_errors", 2);
	expect_u64(v, "tasks_cpu_ns", 1500 * MS);
	expect_u64(v, "busy_cpu_ns", 2 * SEC);

	v = member(j, "cost", json_type_object);
	expect_u64(v, "cpu_ns", 1234 * MS);
	expect_double(v, "cpu_pct", 0.75);
	expect_double(v, "bpf_hooks_pct", 0.125);

	v = member(j, "load", json_type_object);
	expect_double(v, "1m", 0.5);
	expect_double(v, "5m", 0.25);
	expect_double(v, "15m", 2.0);
	expect_u64(v, "runnable", 3);
	expect_u64(v, "threads", 234);

	v = member(j, "tasks", json_type_object);
	expect_u64(v, "total", 3);
	expect_u64(v, "running", 1);
	expect_u64(v, "sleeping", 1);
	expect_u64(v, "stopped", 0);
	expect_u64(v, "zombie", 1);
	expect_u64(v, "exited", 2);
	member(j, "metrics", json_type_object);
	assert_int_equal(json_object_array_length(member(j, "rows", json_type_array)), 3);
	assert_int_equal(json_object_array_length(member(j, "exits", json_type_array)), 2);
	json_object_put(j);

	/* /proc as the source, without a note. */
	s.caps = 0;
	strcpy(s.source_kind, "proc");
	strcpy(s.source_name, "/proc");
	s.source_note[0] = '\0';
	j = json_out(&s, &m, opts("json", NULL, NULL));
	v = member(j, "source", json_type_object);
	expect_str(v, "kind", "proc");
	expect_str(v, "note", "");
	json_object_put(j);
}

/* CPU figures: each tick share, the counters the summary has and only those; per CPU too. */
static void test_json_cpu(void **state)
{
	static const char *const ticks[] = { "user_pct", "nice_pct", "system_pct", "idle_pct",
		"iowait_pct", "irq_pct", "softirq_pct", "steal_pct", "guest_pct",
		"guest_nice_pct" };
	struct json_object *j, *cpu, *all, *c;
	struct snapshot s;
	struct model m;
	size_t i;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	j = json_out(&s, &m, opts("json", NULL, NULL));
	cpu = member(j, "cpu", json_type_object);
	expect_double(cpu, "interrupts_per_s", 800.25);
	expect_double(cpu, "context_switches_per_s", 1234.5);
	all = member(cpu, "all", json_type_object);
	expect_absent(all, "cpu");
	for (i = 0; i < 10; i++)
		member(all, ticks[i], json_type_double);
	expect_double(all, "user_pct", 25.0);
	expect_double(all, "system_pct", 12.5);
	expect_double(all, "idle_pct", 62.5);
	expect_double(all, "nice_pct", 0.0);
	expect_double(all, "switches_per_s", 683.5);
	expect_double(all, "busy_ns_pct", 27.25);
	expect_absent(all, "preemptions_per_s");
	expect_absent(all, "syscalls_per_s");
	expect_absent(all, "idle_ns_pct");
	expect_absent(all, "device_irqs_per_s");
	/* Softirqs by name: TIMER had, NET_RX not. */
	c = member(all, "softirqs_per_s", json_type_object);
	expect_double(c, "TIMER", 85.5);
	expect_absent(c, "NET_RX");
	assert_int_equal(json_object_object_length(c), 1);
	/* Ten ticks, two counters, the softirqs. */
	assert_int_equal(json_object_object_length(all), 13);

	c = member(cpu, "cpus", json_type_array);
	assert_int_equal(json_object_array_length(c), 2);
	expect_i64(element(c, 0), "cpu", 0);
	expect_double(element(c, 0), "user_pct", 50.0);
	expect_i64(element(c, 1), "cpu", 1);
	expect_double(element(c, 1), "idle_pct", 100.0);
	expect_double(element(c, 1), "switches_per_s", 2.5);
	/* cpu, ten ticks, two counters, the softirqs. */
	assert_int_equal(json_object_object_length(element(c, 1)), 14);
	json_object_put(j);

	/* Without /proc/stat intr: no member, rather than a zero. */
	s.have_intr = false;
	j = json_out(&s, &m, opts("json", NULL, NULL));
	expect_absent(member(j, "cpu", json_type_object), "interrupts_per_s");
	json_object_put(j);
}

/* Memory in bytes, huge pages in pages; or, when /proc/meminfo failed, why alone. */
static void test_json_memory(void **state)
{
	struct json_object *j, *v;
	struct snapshot s;
	struct model m;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	j = json_out(&s, &m, opts("json", NULL, NULL));
	v = member(j, "memory", json_type_object);
	expect_bool(v, "available", true);
	expect_u64(v, "total_bytes", 16384 * MIB);
	/* 16384 - 1024 free - (200 + 4000 + 100) buffers and cache = 11060 MiB */
	expect_u64(v, "used_bytes", 11060 * MIB);
	expect_u64(v, "available_bytes", 8000 * MIB);
	expect_u64(v, "free_bytes", 1024 * MIB);
	expect_u64(v, "cached_bytes", 4100 * MIB);
	expect_u64(v, "buffers_bytes", 200 * MIB);
	expect_u64(v, "swap_total_bytes", 2048 * MIB);
	expect_u64(v, "swap_used_bytes", 512 * MIB);
	expect_u64(v, "swap_free_bytes", 1536 * MIB);
	expect_u64(v, "hugepages_total", 16);
	expect_u64(v, "hugepages_free", 10);
	expect_u64(v, "hugepages_reserved", 2);
	expect_u64(v, "hugepage_size_bytes", 2 * MIB);
	assert_int_equal(json_object_object_length(v), 14);
	json_object_put(j);

	s.mem_err = -ENOENT;
	j = json_out(&s, &m, opts("json", NULL, NULL));
	v = member(j, "memory", json_type_object);
	expect_bool(v, "available", false);
	expect_str(v, "why", "No such file or directory");
	assert_int_equal(json_object_object_length(v), 2);
	json_object_put(j);
}

/* A damaged /proc/stat, /proc/loadavg or /proc/uptime: those members say so, nothing else. */
static void test_json_system_unavailable(void **state)
{
	struct json_object *j, *v, *all;
	struct snapshot s;
	struct model m;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	j = json_out(&s, &m, opts("json", NULL, NULL));
	expect_bool(member(j, "load", json_type_object), "available", true);
	member(j, "uptime_ns", json_type_int);
	v = member(j, "cpu", json_type_object);
	member(member(v, "all", json_type_object), "user_pct", json_type_double);
	expect_absent(v, "stat_unavailable");
	json_object_put(j);

	s.stat_err = -EINVAL;
	m.sum.ticks_err = -EINVAL;
	s.load_err = -ENOENT;
	s.uptime_err = -EIO;
	j = json_out(&s, &m, opts("json", NULL, NULL));
	v = member(j, "load", json_type_object);
	expect_bool(v, "available", false);
	expect_str(v, "why", "No such file or directory");
	assert_int_equal(json_object_object_length(v), 2);
	assert_true(json_object_object_get_ex(j, "uptime_ns", &v));
	assert_null(v);
	v = member(j, "cpu", json_type_object);
	expect_str(v, "stat_unavailable", "Invalid argument");
	all = member(v, "all", json_type_object);
	expect_absent(all, "user_pct");
	expect_absent(v, "context_switches_per_s");
	assert_true(json_object_object_get_ex(member(j, "source", json_type_object),
					      "busy_cpu_ns", &v));
	assert_null(v);
	expect_bool(member(j, "memory", json_type_object), "available", true);
	json_object_put(j);
}

/* The first snapshot says so. */
static void test_json_first(void **state)
{
	struct json_object *j, *v;
	struct snapshot s;
	struct model m;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	m.sum.since_start = true;
	m.sum.interval_ns = 0;
	m.sum.self_pct = -1;
	m.sum.hooks_pct = -1;
	j = json_out(&s, &m, opts("json", NULL, NULL));
	expect_bool(j, "since_start", true);
	expect_u64(j, "interval_ns", 0);
	/* No interval, no cost yet; nor hooks' where the kernel would not count them. */
	member(j, "cost", json_type_object);
	assert_true(json_object_object_get_ex(member(j, "cost", json_type_object), "cpu_pct", &v));
	assert_null(v);
	assert_true(json_object_object_get_ex(member(j, "cost", json_type_object), "bpf_hooks_pct",
					      &v));
	assert_null(v);
	json_object_put(j);
}

/* A process row: identity, names, figures, and the counters its source gives. */
static void test_json_rows(void **state)
{
	struct json_object *j, *r, *a;
	struct snapshot s;
	struct model m;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	j = json_out(&s, &m, opts("json", NULL, NULL));
	a = member(j, "rows", json_type_array);
	r = element(a, 0);
	expect_u64(r, "pid", 100);
	expect_u64(r, "ppid", 1);
	expect_u64(r, "uid", 0);
	expect_str(r, "user", "root");
	expect_str(r, "state", "R");
	expect_str(r, "command", "server");
	expect_u64(r, "start_ns", 5 * SEC);
	expect_u64(r, "threads", 2);
	expect_u64(r, "cpu_ns", SEC);
	expect_u64(r, "user_ns", 750 * MS);
	expect_u64(r, "sys_ns", 250 * MS);
	expect_u64(r, "time_ns", 62350 * MS);
	expect_double(r, "cpu_pct", 50.0);
	expect_double(r, "user_pct", 37.5);
	expect_double(r, "sys_pct", 12.5);
	/* enum task_ctr order: SYSC VCSW ICSW MIGR WAIT_NS IOW_NS, 10 to 60. */
	expect_u64(r, "syscalls", 10);
	expect_u64(r, "voluntary_switches", 20);
	expect_u64(r, "involuntary_switches", 30);
	expect_u64(r, "migrations", 40);
	expect_u64(r, "wait_ns", 50);
	expect_u64(r, "iowait_ns", 60);
	expect_u64(r, "max_wait_ns", 7000);
	/* Not a thread, not a tree, not a program. */
	expect_absent(r, "tgid");
	expect_absent(r, "depth");
	expect_absent(r, "folded");
	expect_absent(r, "group");
	expect_absent(r, "count");
	expect_absent(r, "credits");
	/* nice and priority as proc(5) stat (19) and (18), signs kept. */
	expect_i64(r, "nice", -5);
	expect_i64(r, "priority", 15);
	assert_int_equal(json_object_object_length(r), 24);

	/* /proc's row: wait_ns alone of the counters; an unknown uid by number. */
	r = element(a, 1);
	expect_u64(r, "pid", 99999);
	expect_str(r, "user", "4000000");
	expect_str(r, "state", "X");
	expect_u64(r, "wait_ns", 5000);
	expect_absent(r, "syscalls");
	expect_absent(r, "voluntary_switches");
	expect_absent(r, "involuntary_switches");
	expect_absent(r, "migrations");
	expect_absent(r, "iowait_ns");
	expect_absent(r, "max_wait_ns");
	assert_int_equal(json_object_object_length(r), 18);	/* nice and priority too */
	json_object_put(j);

	/* Hardware counters: cycles, instructions and their ratio, 2500 / 1000. */
	rows[2].have |= 1u << TASK_CYCLES | 1u << TASK_INSNS;
	rows[2].ctr[TASK_CYCLES] = 1000;
	rows[2].ctr[TASK_INSNS] = 2500;
	j = json_out(&s, &m, opts("json", NULL, NULL));
	r = element(member(j, "rows", json_type_array), 2);
	expect_u64(r, "cycles", 1000);
	expect_u64(r, "instructions", 2500);
	expect_double(r, "ipc", 2.5);
	expect_absent(element(member(j, "rows", json_type_array), 0), "ipc");
	expect_absent(element(member(j, "rows", json_type_array), 0), "cycles");
	json_object_put(j);
	/* No cycle ran: no ratio of nothing. */
	rows[2].ctr[TASK_CYCLES] = 0;
	j = json_out(&s, &m, opts("json", NULL, NULL));
	r = element(member(j, "rows", json_type_array), 2);
	expect_u64(r, "cycles", 0);
	expect_absent(r, "ipc");
	json_object_put(j);
}

/* -H: the thread's process as well; --tree: depth and folded count. */
static void test_json_threads_tree(void **state)
{
	struct json_object *j, *a;
	struct snapshot s;
	struct model m;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	j = json_out(&s, &m, opts("json", "-H", NULL));
	expect_str(j, "view", "threads");
	a = member(j, "rows", json_type_array);
	expect_u64(element(a, 1), "pid", 99999);
	expect_u64(element(a, 1), "tgid", 99998);
	expect_absent(element(a, 1), "depth");
	json_object_put(j);

	j = json_out(&s, &m, opts("json", "--tree", NULL));
	expect_str(j, "view", "tree");
	a = member(j, "rows", json_type_array);
	expect_u64(element(a, 0), "depth", 0);
	expect_u64(element(a, 0), "folded", 3);
	expect_u64(element(a, 1), "depth", 1);
	expect_u64(element(a, 1), "folded", 0);
	expect_absent(element(a, 0), "tgid");
	json_object_put(j);
}

/*
 * Program rows: make (uid 0, 3 processes, 2 live, TIME+ 90 s: 1.5 credits), and sh run by
 * several users (no uid, no user).
 */
static void group_fill(struct model *m)
{
	model_fill(m);
	memset(rows, 0, sizeof(rows));
	rows[0] = (struct row){ .uid = 0, .nr_threads = 5, .state = 'R', .comm = "make",
		.start_ns = 12345, .time_ns = 90 * SEC, .cpu_ns = 800 * MS, .user_ns = 600 * MS,
		.sys_ns = 200 * MS, .cpu_pct = 40.0, .usr_pct = 30.0, .sys_pct = 10.0,
		.count = 3, .live = 2, .have = 1u << TASK_WAIT_NS };
	rows[0].ctr[TASK_WAIT_NS] = 123;
	rows[1] = (struct row){ .uid = 4000000, .state = 'X', .comm = "sh,\"x\"",
		.time_ns = 6 * SEC, .count = 2, .live = 0, .many_users = true };
	m->nr_rows = 2;
}

static void test_json_group_comm(void **state)
{
	struct json_object *j, *r, *a;
	struct snapshot s;
	struct model m;

	(void)state;
	snap_fill(&s);
	group_fill(&m);
	j = json_out(&s, &m, opts("json", "--group", "comm"));
	expect_str(j, "view", "comm");
	a = member(j, "rows", json_type_array);
	assert_int_equal(json_object_array_length(a), 2);
	r = element(a, 0);
	expect_str(r, "group", "make");
	expect_u64(r, "uid", 0);
	expect_str(r, "user", "root");
	expect_u64(r, "count", 3);
	expect_u64(r, "live", 2);
	expect_u64(r, "threads", 5);
	expect_u64(r, "cpu_ns", 800 * MS);
	expect_u64(r, "user_ns", 600 * MS);
	expect_u64(r, "sys_ns", 200 * MS);
	expect_u64(r, "time_ns", 90 * SEC);
	expect_double(r, "cpu_pct", 40.0);
	expect_double(r, "user_pct", 30.0);
	expect_double(r, "sys_pct", 10.0);
	expect_u64(r, "wait_ns", 123);
	expect_absent(r, "syscalls");
	/* 90 s of CPU is 1.5 CPU-minutes. */
	expect_double(r, "credits", 1.5);
	/* A program has no PID, parent, state, command or start. */
	expect_absent(r, "pid");
	expect_absent(r, "ppid");
	expect_absent(r, "state");
	expect_absent(r, "command");
	expect_absent(r, "start_ns");
	expect_absent(r, "depth");
	assert_int_equal(json_object_object_length(r), 15);
	/* Several users: neither uid nor user; the name as it is, JSON-escaped. */
	r = element(a, 1);
	expect_str(r, "group", "sh,\"x\"");
	expect_absent(r, "uid");
	expect_absent(r, "user");
	expect_u64(r, "count", 2);
	expect_u64(r, "live", 0);
	expect_double(r, "credits", 0.1);
	json_object_put(j);
}

static void test_json_group_user(void **state)
{
	struct json_object *j, *a;
	struct snapshot s;
	struct model m;

	(void)state;
	snap_fill(&s);
	group_fill(&m);
	rows[1].many_users = false;
	j = json_out(&s, &m, opts("json", "--group", "user"));
	expect_str(j, "view", "user");
	a = member(j, "rows", json_type_array);
	expect_str(element(a, 0), "group", "root");
	expect_u64(element(a, 0), "uid", 0);
	expect_absent(element(a, 0), "user");
	expect_str(element(a, 1), "group", "4000000");
	expect_u64(element(a, 1), "uid", 4000000);
	expect_double(element(a, 0), "credits", 1.5);
	json_object_put(j);
}

/* Exits: whole lives, the exit's Unix time, no negative lifetime; names made safe. */
static void test_json_exits(void **state)
{
	struct json_object *j, *e, *a;
	struct snapshot s;
	struct model m;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	j = json_out(&s, &m, opts("json", NULL, NULL));
	a = member(j, "exits", json_type_array);
	e = element(a, 0);
	expect_u64(e, "pid", 4242);
	expect_u64(e, "ppid", 1);
	expect_u64(e, "uid", 0);
	expect_str(e, "user", "root");
	expect_str(e, "command", "make");
	expect_u64(e, "start_ns", 10 * SEC);
	expect_u64(e, "exit_ns", 12500 * MS);
	/* 0.5 s before the snapshot taken at WALL. */
	expect_i64(e, "exit_timestamp_ns", 1699999999500000000ll);
	expect_u64(e, "lifetime_ns", 2500 * MS);
	expect_u64(e, "cpu_ns", 1500 * MS);
	expect_u64(e, "user_ns", SEC);
	expect_u64(e, "sys_ns", 500 * MS);
	assert_int_equal(json_object_object_length(e), 12);
	e = element(a, 1);
	expect_str(e, "user", "4000000");
	expect_str(e, "command", "??x?");
	expect_u64(e, "lifetime_ns", 0);
	/* 1 s and 1 ns before the snapshot. */
	expect_i64(e, "exit_timestamp_ns", 1699999998999999999ll);
	json_object_put(j);

	/* The exits go out whatever the view. */
	j = json_out(&s, &m, opts("json", "--group", "user"));
	assert_int_equal(json_object_array_length(member(j, "exits", json_type_array)), 2);
	json_object_put(j);
}

/* A process name can hold anything: it comes out as text safe for any reader. */
static void test_json_hostile(void **state)
{
	struct json_object *j, *a;
	struct snapshot s;
	struct model m;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	memcpy(rows[0].comm, "q\"b\\s/\xc3\xa9", 9);
	memset(rows[2].comm, 'z', sizeof(rows[2].comm));	/* no NUL */
	j = json_out(&s, &m, opts("json", NULL, NULL));
	a = member(j, "rows", json_type_array);
	/* Quote, backslash and slash escaped by JSON, UTF-8 kept: read back as they were. */
	expect_str(element(a, 0), "command", "q\"b\\s/\xc3\xa9");
	/* Escape and newline became '?'. */
	expect_str(element(a, 1), "command", "?[31mred?line");
	expect_str(element(a, 2), "command", "zzzzzzzzzzzzzzzz");
	json_object_put(j);
	assert_null(strchr(json_text, '\x1b'));
}

/* The whole of an ingest and present: rows and exits of a real interval, in one line. */
static void test_json_from_model(void **state)
{
	struct model_opts mo = { .sort = FIELD_PID };
	struct snapshot prev, cur;
	struct json_object *j, *a;
	struct model m = {};
	struct snap_task *t;

	(void)state;
	snap_fill(&prev);
	snap_fill(&cur);
	prev.ts_ns = 11 * SEC;
	/* 100 ran 0.5 s of the 2 s; 200 exited at 12 s after 0.25 s more (1.25 s in all). */
	t = snapshot_add_task(&prev);
	*t = (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = SEC, .leader_start_ns = SEC,
		.cpu_ns = SEC, .user_ns = SEC, .state = 'S', .comm = "live" };
	t = snapshot_add_task(&prev);
	*t = (struct snap_task){ .tid = 200, .tgid = 200, .start_ns = SEC, .leader_start_ns = SEC,
		.cpu_ns = SEC, .user_ns = SEC, .state = 'R', .comm = "dies" };
	t = snapshot_add_task(&cur);
	*t = (struct snap_task){ .tid = 100, .tgid = 100, .start_ns = SEC, .leader_start_ns = SEC,
		.cpu_ns = 1500 * MS, .user_ns = 1500 * MS, .state = 'S', .comm = "live" };
	t = snapshot_add_task(&cur);
	*t = (struct snap_task){ .tid = 200, .tgid = 200, .start_ns = SEC, .leader_start_ns = SEC,
		.exit_ns = 12 * SEC, .cpu_ns = 1250 * MS, .user_ns = 1250 * MS, .state = 'X',
		.comm = "dies" };
	snapshot_prepare(&prev);
	snapshot_prepare(&cur);
	assert_int_equal(model_ingest(&m, &prev, &cur), 0);
	assert_int_equal(model_present(&m, &mo), 0);
	j = json_out(&cur, &m, opts("json", NULL, NULL));
	expect_u64(j, "interval_ns", 2 * SEC);
	a = member(j, "rows", json_type_array);
	assert_int_equal(json_object_array_length(a), 2);
	expect_u64(element(a, 0), "pid", 100);
	expect_double(element(a, 0), "cpu_pct", 25.0);
	expect_str(element(a, 1), "state", "X");
	expect_u64(element(a, 1), "cpu_ns", 250 * MS);
	a = member(j, "exits", json_type_array);
	assert_int_equal(json_object_array_length(a), 1);
	expect_u64(element(a, 0), "pid", 200);
	expect_u64(element(a, 0), "cpu_ns", 1250 * MS);
	expect_u64(element(a, 0), "lifetime_ns", 11 * SEC);
	/* 1 s before the snapshot. */
	expect_i64(element(a, 0), "exit_timestamp_ns", 1699999999000000000ll);
	json_object_put(j);
	model_free(&m);
	snapshot_free(&prev);
	snapshot_free(&cur);
}

/* ---- CSV ---- */

#define CSV_PROC_HEAD "timestamp_ns,pid,ppid,uid,user,state,threads,cpu_pct,user_pct,sys_pct," \
	"cpu_ns,user_ns,sys_ns,time_ns,syscalls,voluntary_switches,involuntary_switches," \
	"migrations,wait_ns,iowait_ns,max_wait_ns,command" CSV_CG_HEAD
#define CSV_GROUP_HEAD "timestamp_ns,group,uid,count,live,threads,cpu_pct,user_pct,sys_pct," \
	"cpu_ns,user_ns,sys_ns,time_ns,syscalls,voluntary_switches,involuntary_switches," \
	"migrations,wait_ns,iowait_ns,max_wait_ns,credits" CSV_CG_HEAD
/* The cgroup's columns, last; empty for rows without a cgroup. */
#define CSV_CG_HEAD ",cgroup,unit,container,cpu_limit,throttled_pct,nr_periods,nr_throttled," \
	"throttled_ns,psi_some_pct,psi_full_pct"
#define NO_CG ",,,,,,,,,,"

struct csv {
	char *text;
	size_t len;
	char *lines[16];
	size_t nr_lines;
};

/* csv_print() into memory, split into lines (every line ends in a newline). */
static void csv_out(struct csv *c, const struct snapshot *s, const struct model *m,
		    const struct settings *o, bool header)
{
	struct users users = {};
	FILE *f;
	char *p;

	memset(c, 0, sizeof(*c));
	f = open_memstream(&c->text, &c->len);
	assert_non_null(f);
	assert_int_equal(csv_print(f, s, m, o, &users, header), 0);
	assert_int_equal(fclose(f), 0);
	users_free(&users);
	assert_true(utf8_bad(c->text) < 0);
	for (p = c->text; p < c->text + c->len; ) {
		char *nl = memchr(p, '\n', c->text + c->len - p);

		assert_non_null(nl);
		assert_true(c->nr_lines < 16);
		*nl = '\0';
		c->lines[c->nr_lines++] = p;
		p = nl + 1;
	}
}

/*
 * One RFC 4180 record into its fields (unquoted, "" made "): returns how many. A quote
 * inside an unquoted field, or a quoted field not followed by a comma, fails the test.
 */
static size_t csv_fields(const char *line, char fields[][64], size_t max)
{
	const char *p = line;
	size_t n = 0, len;

	for (;;) {
		assert_true(n < max);
		len = 0;
		if (*p == '"') {
			for (p++;; p++) {
				if (!*p)
					fail_msg("unterminated quote in: %s", line);
				if (*p == '"' && p[1] != '"')
					break;
				if (*p == '"')
					p++;
				assert_true(len < 63);
				fields[n][len++] = *p;
			}
			p++;
			if (*p && *p != ',')
				fail_msg("text after a closing quote in: %s", line);
		} else {
			for (; *p && *p != ','; p++) {
				if (*p == '"')
					fail_msg("a quote in an unquoted field of: %s", line);
				assert_true(len < 63);
				fields[n][len++] = *p;
			}
		}
		fields[n++][len] = '\0';
		if (!*p)
			return n;
		p++;
	}
}

static void test_csv_header(void **state)
{
	struct snapshot s;
	struct model m;
	struct csv c;
	char f[40][64];

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	csv_out(&c, &s, &m, opts("csv", NULL, NULL), true);
	assert_int_equal(c.nr_lines, 4);
	assert_string_equal(c.lines[0], CSV_PROC_HEAD);
	assert_int_equal(csv_fields(c.lines[0], f, 40), 32);
	free(c.text);
	/* The header once: the next snapshots without it. */
	csv_out(&c, &s, &m, opts("csv", NULL, NULL), false);
	assert_int_equal(c.nr_lines, 3);
	assert_string_equal(c.lines[0] + 20, "100,1,0,root,R,2,50.00,37.50,12.50,1000000000,"
			    "750000000,250000000,62350000000,10,20,30,40,50,60,7000,server" NO_CG);
	free(c.text);
	/* -H and --tree have the same columns. */
	csv_out(&c, &s, &m, opts("csv", "-H", NULL), true);
	assert_string_equal(c.lines[0], CSV_PROC_HEAD);
	free(c.text);
	csv_out(&c, &s, &m, opts("csv", "--tree", NULL), true);
	assert_string_equal(c.lines[0], CSV_PROC_HEAD);
	free(c.text);
	/* No rows: the header alone, or nothing. */
	m.nr_rows = 0;
	csv_out(&c, &s, &m, opts("csv", NULL, NULL), true);
	assert_int_equal(c.nr_lines, 1);
	free(c.text);
	csv_out(&c, &s, &m, opts("csv", NULL, NULL), false);
	assert_int_equal(c.len, 0);
	free(c.text);
}

/* Every row: the snapshot's time, then each column; counters it has not are empty cells. */
static void test_csv_rows(void **state)
{
	struct snapshot s;
	struct model m;
	struct csv c;
	char f[40][64];
	size_t i;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	csv_out(&c, &s, &m, opts("csv", NULL, NULL), true);
	assert_string_equal(c.lines[1], "1700000000000000000,100,1,0,root,R,2,50.00,37.50,12.50,"
			    "1000000000,750000000,250000000,62350000000,10,20,30,40,50,60,7000,"
			    "server" NO_CG);
	/* /proc's row: only wait_ns of the counters; the hostile name made safe. */
	assert_string_equal(c.lines[2], "1700000000000000000,99999,100,4000000,4000000,X,0,0.00,"
			    "0.00,0.00,0,0,0,0,,,,,5000,,,?[31mred?line" NO_CG);
	/* RFC 4180: the name with a comma and a quote is quoted, the quote doubled. */
	assert_string_equal(c.lines[3], "1700000000000000000,7,1,0,root,S,1,0.00,0.00,0.00,0,0,0,"
			    "0,0,0,0,0,0,0,0,\"a,b\"\"c\"" NO_CG);
	for (i = 1; i < c.nr_lines; i++)
		assert_int_equal(csv_fields(c.lines[i], f, 40), 32);
	assert_string_equal(f[21], "a,b\"c");
	free(c.text);

	/* The hardware counters are not CSV columns: the same 22 with them. */
	rows[2].have |= 1u << TASK_CYCLES | 1u << TASK_INSNS;
	rows[2].ctr[TASK_CYCLES] = 1000;
	rows[2].ctr[TASK_INSNS] = 2500;
	csv_out(&c, &s, &m, opts("csv", NULL, NULL), false);
	assert_string_equal(c.lines[2], "1700000000000000000,7,1,0,root,S,1,0.00,0.00,0.00,0,0,0,"
			    "0,0,0,0,0,0,0,0,\"a,b\"\"c\"" NO_CG);
	free(c.text);
}

/* Names from processes: control bytes and invalid UTF-8 become '?', then RFC 4180 quoting. */
static void test_csv_hostile(void **state)
{
	static const struct {
		const char *comm, *cell, *field;
	} names[] = {
		{ "\x1b]0;pwn\x07", "?]0;pwn?", "?]0;pwn?" },
		{ "a\nb\rc", "a?b?c", "a?b?c" },
		{ "\xff\xfe,\"", "\"??,\"\"\"", "??,\"" },
		{ "\"", "\"\"\"\"", "\"" },
		{ ",", "\",\"", "," },
		{ "h\xc3\xa9llo", "h\xc3\xa9llo", "h\xc3\xa9llo" },
		{ "", "", "" },
	};
	struct snapshot s;
	struct model m;
	struct csv c;
	char f[40][64];
	size_t i, len;

	(void)state;
	snap_fill(&s);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		model_fill(&m);
		memset(rows[0].comm, 0, sizeof(rows[0].comm));
		memcpy(rows[0].comm, names[i].comm, strlen(names[i].comm));
		m.nr_rows = 1;
		csv_out(&c, &s, &m, opts("csv", NULL, NULL), false);
		assert_int_equal(c.nr_lines, 1);
		/* The name's cell, before the cgroup's empty ones. */
		len = strlen(c.lines[0]) - strlen(NO_CG);
		assert_string_equal(c.lines[0] + len, NO_CG);
		if (len < strlen(names[i].cell) ||
		    strncmp(c.lines[0] + len - strlen(names[i].cell), names[i].cell,
			    strlen(names[i].cell)))
			fail_msg("name %zu: line \"%s\" does not end in \"%s\"", i, c.lines[0],
				 names[i].cell);
		assert_int_equal(csv_fields(c.lines[0], f, 40), 32);
		assert_string_equal(f[21], names[i].field);
		free(c.text);
	}
}

static void test_csv_group(void **state)
{
	struct snapshot s;
	struct model m;
	struct csv c;
	char f[40][64];

	(void)state;
	snap_fill(&s);
	group_fill(&m);
	csv_out(&c, &s, &m, opts("csv", "--group", "comm"), true);
	assert_int_equal(c.nr_lines, 3);
	assert_string_equal(c.lines[0], CSV_GROUP_HEAD);
	assert_int_equal(csv_fields(c.lines[0], f, 40), 31);
	/* 90 s is 1.5 credits; 6 s is 0.1. */
	assert_string_equal(c.lines[1], "1700000000000000000,make,0,3,2,5,40.00,30.00,10.00,"
			    "800000000,600000000,200000000,90000000000,,,,,123,,,1.500000" NO_CG);
	/* Several users: no uid. The name quoted. */
	assert_string_equal(c.lines[2], "1700000000000000000,\"sh,\"\"x\"\"\",,2,0,0,0.00,0.00,"
			    "0.00,0,0,0,6000000000,,,,,,,,0.100000" NO_CG);
	assert_int_equal(csv_fields(c.lines[1], f, 40), 31);
	assert_int_equal(csv_fields(c.lines[2], f, 40), 31);
	assert_string_equal(f[1], "sh,\"x\"");
	assert_string_equal(f[2], "");
	free(c.text);

	rows[1].many_users = false;
	csv_out(&c, &s, &m, opts("csv", "--group", "user"), true);
	assert_string_equal(c.lines[0], CSV_GROUP_HEAD);
	assert_int_equal(csv_fields(c.lines[1], f, 40), 31);
	assert_string_equal(f[1], "root");
	assert_string_equal(f[2], "0");
	assert_int_equal(csv_fields(c.lines[2], f, 40), 31);
	assert_string_equal(f[1], "4000000");
	assert_string_equal(f[2], "4000000");
	free(c.text);
}

/* A write that fails is an error, JSON or CSV. */
static void test_write_errors(void **state)
{
	struct users users = {};
	struct snapshot s;
	struct model m;
	FILE *f;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	f = fopen("/dev/full", "w");
	assert_non_null(f);
	assert_int_equal(json_print(f, &s, &m, opts("json", NULL, NULL), &users), -ENOSPC);
	clearerr(f);
	assert_int_equal(csv_print(f, &s, &m, opts("csv", NULL, NULL), &users, true), -ENOSPC);
	fclose(f);
	users_free(&users);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_json_header, json_teardown),
		cmocka_unit_test_teardown(test_json_cpu, json_teardown),
		cmocka_unit_test_teardown(test_json_memory, json_teardown),
		cmocka_unit_test_teardown(test_json_system_unavailable, json_teardown),
		cmocka_unit_test_teardown(test_json_first, json_teardown),
		cmocka_unit_test_teardown(test_json_rows, json_teardown),
		cmocka_unit_test_teardown(test_json_threads_tree, json_teardown),
		cmocka_unit_test_teardown(test_json_group_comm, json_teardown),
		cmocka_unit_test_teardown(test_json_group_user, json_teardown),
		cmocka_unit_test_teardown(test_json_exits, json_teardown),
		cmocka_unit_test_teardown(test_json_hostile, json_teardown),
		cmocka_unit_test_teardown(test_json_from_model, json_teardown),
		cmocka_unit_test(test_csv_header),
		cmocka_unit_test(test_csv_rows),
		cmocka_unit_test(test_csv_hostile),
		cmocka_unit_test(test_csv_group),
		cmocka_unit_test(test_write_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
