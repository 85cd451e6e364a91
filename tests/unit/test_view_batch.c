// SPDX-License-Identifier: GPL-2.0
/*
 * Batch text for a hand-made snapshot and model: top's header lines, the table, and no
 * terminal control from a hostile process name. Expected lines are written out by hand.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/fields.h"
#include "cli.h"
#include "sink/batch.h"

#define SEC 1000000000ull
#define MS 1000000ull
#define MIB (1024ull * 1024)

struct out {
	char *text;
	size_t len;
	char *lines[64];
	size_t nr_lines;
};

static void snap_fill(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->wall_ns = 1700000000ll * 1000000000;	/* 22:13:20 UTC */
	s->uptime_s = 3 * 86400 + 4 * 3600 + 5 * 60 + 30;
	s->load.load[0] = 0.52;
	s->load.load[1] = 0.41;
	s->load.load[2] = 0.30;
	s->mem.total = 16384 * MIB;
	s->mem.free = 1024 * MIB;
	s->mem.available = 8000 * MIB;
	s->mem.buffers = 200 * MIB;
	s->mem.cached = 4000 * MIB;
	s->mem.sreclaimable = 100 * MIB;
	s->mem.swap_total = 2048 * MIB;
	s->mem.swap_free = 1024 * MIB;
	s->hz = 100;
	s->caps = 0;
	strcpy(s->source_kind, "proc");
	strcpy(s->source_name, "/proc");
	strcpy(s->source_note, "--no-bpf given");
}

static struct row rows[3];

static void model_fill(struct model *m)
{
	memset(m, 0, sizeof(*m));
	memset(rows, 0, sizeof(rows));
	rows[0] = (struct row){ .pid = 100, .tgid = 100, .uid = 0, .nr_threads = 2,
		.state = 'R', .comm = "server", .time_ns = 62 * SEC + 350 * MS,
		.cpu_pct = 50.0, .usr_pct = 37.5, .sys_pct = 12.5 };
	/* A name that would turn the terminal red and break the line. */
	rows[1] = (struct row){ .pid = 99999, .tgid = 99999, .uid = 123456789, .state = 'X',
		.comm = "\x1b[31mred\nline" };
	rows[2] = (struct row){ .pid = 7, .tgid = 7, .uid = 0, .nr_threads = 1, .state = 'S',
		.comm = "long", .time_ns = 60030 * SEC, .cpu_pct = 100.0 };
	m->rows = rows;
	m->nr_rows = 3;
	m->sum.interval_ns = 2 * SEC;
	m->sum.tasks.total = 3;
	m->sum.tasks.running = 1;
	m->sum.tasks.sleeping = 1;
	m->sum.tasks.zombie = 1;
	m->sum.tasks.exited = 2;
	m->sum.all.pct[CPU_USER] = 25.0;
	m->sum.all.pct[CPU_SYSTEM] = 12.5;
	m->sum.all.pct[CPU_NICE] = 2.5;
	m->sum.all.pct[CPU_IDLE] = 50.0;
	m->sum.all.pct[CPU_IOWAIT] = 2.0;
	m->sum.all.pct[CPU_IRQ] = 1.5;
	m->sum.all.pct[CPU_SOFTIRQ] = 3.0;
	m->sum.all.pct[CPU_STEAL] = 3.5;
	m->sum.tasks_ns = 1500 * MS;
	m->sum.busy_ns = 2 * SEC;
	m->sum.self_pct = -1;	/* not known: no Cost line */
	m->sum.hooks_pct = -1;
}

/* The options of `cputop -b`, with -H if @threads. */
static const struct settings *batch_opts(bool threads)
{
	static struct cli o;
	char *argv[] = { "cputop", "-b", threads ? "-H" : "-b", NULL };

	assert_int_equal(cli_parse(&o, 3, argv), 0);
	return &o.set;
}

/* The options of `cputop -b --cpus`. */
static const struct settings *cpus_opts(void)
{
	static struct cli o;
	char *argv[] = { "cputop", "-b", "--cpus", NULL };

	assert_int_equal(cli_parse(&o, 3, argv), 0);
	assert_true(o.set.cpus);
	return &o.set;
}

/* Print with options @opts into memory and split into lines (the newlines become NULs). */
static void print_opts(struct out *o, const struct snapshot *s, const struct model *m,
		       const struct settings *opts)
{
	struct users users = {};
	FILE *f;
	char *p;

	memset(o, 0, sizeof(*o));
	f = open_memstream(&o->text, &o->len);
	assert_non_null(f);
	assert_int_equal(batch_print(f, s, m, opts, &users), 0);
	assert_int_equal(fclose(f), 0);
	users_free(&users);
	assert_true(o->len > 0);
	assert_int_equal(o->text[o->len - 1], '\n');
	for (p = o->text; p < o->text + o->len; ) {
		char *nl = memchr(p, '\n', o->text + o->len - p);

		assert_non_null(nl);
		assert_true(o->nr_lines < 64);
		*nl = '\0';
		o->lines[o->nr_lines++] = p;
		p = nl + 1;
	}
}

/* As `cputop -b`, with -H if @threads. */
static void print(struct out *o, const struct snapshot *s, const struct model *m, bool threads)
{
	print_opts(o, s, m, batch_opts(threads));
}

static int setup_tz(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static void test_header_lines(void **state)
{
	struct snapshot s;
	struct model m;
	struct out o;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	s.psi = (struct psi){ .some_avg10 = 125, .full_avg10 = 0, .have_full = true };
	m.sum.psi_some_pct = 3.3;
	m.sum.psi_full_pct = 0;
	print(&o, &s, &m, false);
	assert_true(o.nr_lines >= 8);
	assert_string_equal(o.lines[0], "cputop - 22:13:20 up 3 days,  4:05,  load average: "
			    "0.52, 0.41, 0.30");
	assert_string_equal(o.lines[5], "CPU pressure: some 3.3%, full 0.0%");
	free(o.text);
	/* The first snapshot: the kernel's averages. */
	m.sum.psi_some_pct = m.sum.psi_full_pct = -1;
	s.psi.have_full = false;
	print(&o, &s, &m, false);
	assert_string_equal(o.lines[5], "CPU pressure: some 1.2% (10 s average)");
	assert_string_equal(o.lines[1], "Tasks:    3 total,    1 running,    1 sleeping,    "
			    "0 stopped,    1 zombie,    2 exited");
	assert_string_equal(o.lines[2], "%Cpu(s): 25.0 us, 12.5 sy,  2.5 ni, 50.0 id,  2.0 wa,  "
			    "1.5 hi,  3.0 si,  3.5 st");
	/* used = total - free - (buffers + cached + SReclaimable) */
	assert_string_equal(o.lines[3], "MiB Mem :  16384.0 total,   1024.0 free,  11060.0 used,"
			    "   4300.0 buff/cache");
	assert_string_equal(o.lines[4], "MiB Swap:   2048.0 total,   1024.0 free,   1024.0 used."
			    "   8000.0 avail Mem");
	assert_int_equal(strncmp(o.lines[6], "Source: /proc (--no-bpf given)", 30), 0);
	assert_non_null(strstr(o.lines[6], "interval 2.000 s"));
	assert_non_null(strstr(o.lines[6], "tasks ran 1.500 s"));
	assert_non_null(strstr(o.lines[6], "75.0% of busy CPU"));
	assert_string_equal(o.lines[7], "");
	free(o.text);
}

static void test_uptime_forms(void **state)
{
	struct snapshot s;
	struct model m;
	struct out o;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	s.uptime_s = 5 * 60 + 59;
	print(&o, &s, &m, false);
	assert_int_equal(strncmp(o.lines[0], "cputop - 22:13:20 up 5 min,  load average: ", 43),
			 0);
	free(o.text);

	s.uptime_s = 86400 + 3600 + 60;
	print(&o, &s, &m, false);
	assert_int_equal(strncmp(o.lines[0], "cputop - 22:13:20 up 1 day,  1:01,  load", 40), 0);
	free(o.text);
}

/* A system file that failed costs its own figures only, and says why. */
static void test_system_files_unavailable(void **state)
{
	struct snapshot s;
	struct model m;
	struct out o;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	s.uptime_err = -EINVAL;
	s.load_err = -ENOENT;
	s.stat_err = -EIO;
	m.sum.ticks_err = -EIO;
	s.psi_err = -EOPNOTSUPP;
	print(&o, &s, &m, false);
	assert_string_equal(o.lines[0], "cputop - 22:13:20 up unavailable (/proc/uptime: Invalid "
			    "argument),  load average: unavailable (/proc/loadavg: No such file or "
			    "directory)");
	assert_int_equal(strncmp(o.lines[1], "Tasks:    3 total", 17), 0);
	assert_string_equal(o.lines[2], "%Cpu(s): unavailable (/proc/stat: Input/output error)");
	assert_int_equal(strncmp(o.lines[3], "MiB Mem :  16384.0 total", 24), 0);
	assert_string_equal(o.lines[5], "CPU pressure: unavailable (PSI is off: psi=0 on the "
			    "kernel command line)");
	free(o.text);
}

static void test_source_line(void **state)
{
	struct snapshot s;
	struct model m;
	struct out o;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	s.caps = SNAP_CAP_EXITS | SNAP_CAP_COST;
	strcpy(s.source_kind, "ebpf");
	strcpy(s.source_name, "eBPF");
	strcpy(s.source_note, "exact");
	s.exits_dropped = 3;
	s.task_errors = 2;
	m.sum.since_start = true;
	print(&o, &s, &m, false);
	assert_string_equal(o.lines[6], "Source: eBPF (exact), 3 exits dropped, 2 tasks unreadable;"
			    " figures since start");
	free(o.text);

	/* A full task map is told, not fatal. */
	s.untracked = 41;
	print(&o, &s, &m, false);
	assert_string_equal(o.lines[6], "Source: eBPF (exact), 3 exits dropped, 2 tasks unreadable, "
			    "41 events without room in the task map; figures since start");
	free(o.text);
}

/* What watching costs, after the Source line: cputop's CPU, and its hooks' when known. */
static void test_cost_line(void **state)
{
	struct snapshot s;
	struct model m;
	struct out o;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	m.sum.self_pct = 0.4249;
	print(&o, &s, &m, false);
	assert_string_equal(o.lines[7], "Cost: cputop 0.42% CPU");
	assert_string_equal(o.lines[8], "");
	free(o.text);

	s.caps = SNAP_CAP_EXITS | SNAP_CAP_COST;
	strcpy(s.source_kind, "ebpf");
	strcpy(s.source_name, "eBPF");
	strcpy(s.source_note, "exact");
	m.sum.hooks_pct = 0.126;
	print(&o, &s, &m, false);
	assert_string_equal(o.lines[7], "Cost: cputop 0.42% CPU, its eBPF hooks 0.13% in the "
			    "tasks they trace");
	free(o.text);

	m.sum.hooks_pct = -1;
	print(&o, &s, &m, false);
	assert_string_equal(o.lines[7], "Cost: cputop 0.42% CPU, its eBPF hooks not measured (the "
			    "kernel would not count them)");
	free(o.text);

	/* The first snapshot has no interval to measure over. */
	m.sum.self_pct = -1;
	print(&o, &s, &m, false);
	assert_string_equal(o.lines[7], "");
	free(o.text);
}

static void test_table(void **state)
{
	struct snapshot s;
	struct model m;
	struct out o;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	print(&o, &s, &m, false);
	/* 6 header lines, a blank, the column titles, 3 rows, a blank. */
	assert_int_equal(o.nr_lines, 13);
	assert_string_equal(o.lines[8],
			    "    PID USER     S THR  %CPU  %USR  %SYS     TIME+ COMMAND");
	assert_string_equal(o.lines[9],
			    "    100 root     R   2  50.0  37.5  12.5   1:02.35 server");
	/* A name longer than the column ends in '+' (no passwd entry: the number). */
	assert_int_equal(strncmp(o.lines[10], "  99999 1234567+ X   0   0.0   0.0   0.0   0:00.00 ",
				 51), 0);
	/* TIME+ falls back to minutes:seconds when hundredths do not fit. */
	assert_string_equal(o.lines[11], "      7 root     S   1 100.0   0.0   0.0   1000:30 long");
	assert_string_equal(o.lines[12], "");
	free(o.text);
}

/* Thread mode says so on the count line. */
static void test_threads_label(void **state)
{
	struct snapshot s;
	struct model m;
	struct out o;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	print(&o, &s, &m, true);
	assert_int_equal(strncmp(o.lines[1], "Threads:    3 total,", 20), 0);
	free(o.text);
}

static void test_hostile_comm(void **state)
{
	struct snapshot s;
	struct model m;
	struct users users = {};
	char *text = NULL, *line;
	size_t len = 0, i, nl = 0;
	FILE *f;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(batch_print(f, &s, &m, batch_opts(false), &users), 0);
	assert_int_equal(fclose(f), 0);
	users_free(&users);

	/* No byte below 0x20 but the newlines, and no DEL. */
	for (i = 0; i < len; i++) {
		unsigned char c = text[i];

		if (c == '\n')
			nl++;
		else if (c < 0x20 || c == 0x7f)
			fail_msg("control byte 0x%02x at offset %zu", c, i);
	}
	assert_int_equal(nl, 13);
	/* The row is whole on one line: its name did not split it. */
	line = strstr(text, "  99999 ");
	assert_non_null(line);
	assert_non_null(strstr(line, "[31mred"));
	assert_true(strchr(line, '\n') > strstr(line, "line"));
	free(text);
}

/* ---- --cpus ---- */

static struct cpu_row cpu_rows[2];

/*
 * Two CPUs, with switches, system calls, busy time and the TIMER softirq (the snapshot's
 * second kind), over model_fill()'s 2 s: the tasks made 46000 system calls, 23000/s.
 */
static void cpus_fill(struct snapshot *s, struct model *m)
{
	snprintf(s->softirq_names[0], SOFTIRQ_NAME_LEN, "HI");
	snprintf(s->softirq_names[1], SOFTIRQ_NAME_LEN, "TIMER");
	s->nr_softirqs = 2;
	memset(cpu_rows, 0, sizeof(cpu_rows));
	cpu_rows[0].pct[CPU_USER] = 25;
	cpu_rows[0].pct[CPU_SYSTEM] = 12.5;
	cpu_rows[0].pct[CPU_IDLE] = 62.5;
	cpu_rows[0].rate[CTR_CSW] = 1500;
	cpu_rows[0].rate[CTR_SYSC] = 20000;
	cpu_rows[0].rate[CTR_BUSY_NS] = 37.5;
	cpu_rows[0].rate[CTR_IDLE_NS] = 62.5;
	cpu_rows[0].rate[CTR_SOFTIRQ + 1] = 250;
	cpu_rows[1].pct[CPU_USER] = 10;
	cpu_rows[1].pct[CPU_IDLE] = 90;
	cpu_rows[1].rate[CTR_CSW] = 500;
	cpu_rows[1].rate[CTR_SYSC] = 4000;
	cpu_rows[1].rate[CTR_BUSY_NS] = 10;
	cpu_rows[1].rate[CTR_IDLE_NS] = 90;
	cpu_rows[1].rate[CTR_SOFTIRQ + 1] = 5.6;
	m->cpus = cpu_rows;
	m->nr_cpus = 2;
	m->sum.ctr_have = 1ull << CTR_CSW | 1ull << CTR_SYSC | 1ull << CTR_BUSY_NS |
			  1ull << CTR_IDLE_NS | 1ull << (CTR_SOFTIRQ + 1);
	memset(m->sum.all.pct, 0, sizeof(m->sum.all.pct));
	m->sum.all.pct[CPU_USER] = 17.5;
	m->sum.all.pct[CPU_SYSTEM] = 6;
	m->sum.all.pct[CPU_IDLE] = 76.5;
	m->sum.all.rate[CTR_CSW] = 2000;
	m->sum.all.rate[CTR_SYSC] = 24000;
	m->sum.all.rate[CTR_BUSY_NS] = 23.5;
	m->sum.all.rate[CTR_IDLE_NS] = 76.5;
	m->sum.all.rate[CTR_SOFTIRQ + 1] = 255.6;
	m->sum.ctxt_rate = 2100;
	m->sum.tasks_sysc = 46000;
}

static void test_cpus_table(void **state)
{
	struct snapshot s;
	struct model m;
	struct out o;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	cpus_fill(&s, &m);
	print_opts(&o, &s, &m, cpus_opts());
	/* 6 header lines, a blank, the CPU table's title, 2 CPUs, all, Sums, then as before. */
	assert_int_equal(o.nr_lines, 19);
	assert_int_equal(strncmp(o.lines[6], "Source: /proc (--no-bpf given)", 30), 0);
	assert_string_equal(o.lines[7], "");
	/* Each cell right-aligned under its title, one space between. */
	assert_string_equal(o.lines[8], "CPU" "    us" "    sy" "    ni" "    id" "    wa"
			    "    hi" "    si" "    st" "    gu" "    gn" "    CSW" "   SYSC"
			    "   BUSY" "  TIMER");
	assert_string_equal(o.lines[9], "0  " "  25.0" "  12.5" "   0.0" "  62.5" "   0.0"
			    "   0.0" "   0.0" "   0.0" "   0.0" "   0.0" "   1500" "  20000"
			    "   37.5" "    250");
	assert_string_equal(o.lines[10], "1  " "  10.0" "   0.0" "   0.0" "  90.0" "   0.0"
			    "   0.0" "   0.0" "   0.0" "   0.0" "   0.0" "    500" "   4000"
			    "   10.0" "    5.6");
	assert_string_equal(o.lines[11], "all" "  17.5" "   6.0" "   0.0" "  76.5" "   0.0"
			    "   0.0" "   0.0" "   0.0" "   0.0" "   0.0" "   2000" "  24000"
			    "   23.5" "    256");
	/* The kernel's switches beside cputop's, the CPUs' system calls beside the tasks'. */
	assert_string_equal(o.lines[12], "Sums: ctxt 2100.0/s by /proc/stat, CSW 2000.0/s; "
			    "SYSC 24000.0/s by CPUs, 23000.0/s by tasks");
	assert_string_equal(o.lines[13], "");
	assert_string_equal(o.lines[14],
			    "    PID USER     S THR  %CPU  %USR  %SYS     TIME+ COMMAND");
	assert_string_equal(o.lines[15],
			    "    100 root     R   2  50.0  37.5  12.5   1:02.35 server");
	assert_string_equal(o.lines[18], "");
	free(o.text);
}

/*
 * Without eBPF's counters (/proc/interrupts only) the Sums line has the kernel's ctxt alone;
 * without an interval (the first snapshot) there is no rate of the tasks' system calls.
 */
static void test_cpus_sums_partial(void **state)
{
	struct snapshot s;
	struct model m;
	struct out o;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	cpus_fill(&s, &m);
	m.sum.ctr_have = 1ull << CTR_IRQ | 1ull << CTR_LOC;
	cpu_rows[0].rate[CTR_IRQ] = 120;
	cpu_rows[0].rate[CTR_LOC] = 250;
	print_opts(&o, &s, &m, cpus_opts());
	assert_int_equal(o.nr_lines, 19);
	assert_string_equal(o.lines[8], "CPU" "    us" "    sy" "    ni" "    id" "    wa"
			    "    hi" "    si" "    st" "    gu" "    gn" "    IRQ" "    LOC");
	assert_string_equal(o.lines[9], "0  " "  25.0" "  12.5" "   0.0" "  62.5" "   0.0"
			    "   0.0" "   0.0" "   0.0" "   0.0" "   0.0" "    120" "    250");
	assert_string_equal(o.lines[12], "Sums: ctxt 2100.0/s by /proc/stat");
	free(o.text);

	m.sum.ctr_have = 1ull << CTR_CSW | 1ull << CTR_SYSC;
	m.sum.since_start = true;
	m.sum.interval_ns = 0;
	print_opts(&o, &s, &m, cpus_opts());
	assert_int_equal(o.nr_lines, 19);
	assert_string_equal(o.lines[12], "Sums: ctxt 2100.0/s by /proc/stat, CSW 2000.0/s");
	free(o.text);
}

/* Without --cpus, none of it: the same lines as ever, whatever the model holds. */
static void test_cpus_off(void **state)
{
	struct snapshot s;
	struct model m;
	struct out o;
	size_t i;

	(void)state;
	snap_fill(&s);
	model_fill(&m);
	cpus_fill(&s, &m);
	print(&o, &s, &m, false);
	assert_int_equal(o.nr_lines, 13);
	assert_string_equal(o.lines[7], "");
	assert_string_equal(o.lines[8],
			    "    PID USER     S THR  %CPU  %USR  %SYS     TIME+ COMMAND");
	for (i = 0; i < o.nr_lines; i++) {
		if ((!strncmp(o.lines[i], "CPU", 3) && strncmp(o.lines[i], "CPU pressure:", 13)) ||
		    !strncmp(o.lines[i], "all", 3) || strstr(o.lines[i], "Sums:"))
			fail_msg("line %zu \"%s\" without --cpus", i, o.lines[i]);
	}
	free(o.text);
}

/* A write that fails is reported, not lost. */
static void test_write_error(void **state)
{
	struct users users = {};
	struct snapshot s;
	struct model m;
	FILE *f;
	int err;

	(void)state;
	f = fopen("/dev/full", "w");
	if (!f)
		skip();
	snap_fill(&s);
	model_fill(&m);
	err = batch_print(f, &s, &m, batch_opts(false), &users);
	fclose(f);
	users_free(&users);
	assert_int_equal(err, -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_lines),
		cmocka_unit_test(test_uptime_forms),
		cmocka_unit_test(test_system_files_unavailable),
		cmocka_unit_test(test_source_line),
		cmocka_unit_test(test_cost_line),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_threads_label),
		cmocka_unit_test(test_hostile_comm),
		cmocka_unit_test(test_cpus_table),
		cmocka_unit_test(test_cpus_sums_partial),
		cmocka_unit_test(test_cpus_off),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, setup_tz, NULL);
}
