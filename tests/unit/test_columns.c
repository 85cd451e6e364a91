// SPDX-License-Identifier: GPL-2.0
/*
 * The table's cells and headers, shared by the batch text and the TUI, and the --fields
 * grammar. Expected cells are written out by hand, padding included.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/text.h"
#include "model/fields.h"
#include "model/model.h"
#include "view/cpu_table.h"
#include "utf8.h"

#define SEC 1000000000ull
#define MS 1000000ull

/* Every uid's name is the one given to cell(). */
static const char *user_of(uint32_t uid, void *ctx)
{
	(void)uid;
	return ctx;
}

static const char *cell(enum field f, const struct row *r, const char *user)
{
	const struct field_ctx c = { .user_name = user_of, .user_ctx = (void *)user };
	static char buf[256];

	memset(buf, 'Z', sizeof(buf));
	field_cell(buf, sizeof(buf), f, r, &c);
	return buf;
}

static const char *cell_pct(enum field f, double v)
{
	struct row r = {};

	r.cpu_pct = f == FIELD_CPU ? v : -1;
	r.usr_pct = f == FIELD_USR ? v : -1;
	r.sys_pct = f == FIELD_SYS ? v : -1;
	return cell(f, &r, "");
}

static const char *cell_comm(const char *comm)
{
	static struct row r;

	memset(&r, 0, sizeof(r));
	memcpy(r.comm, comm, strlen(comm) < sizeof(r.comm) ? strlen(comm) : sizeof(r.comm));
	return cell(FIELD_COMMAND, &r, "");
}

/* Terminal columns of UTF-8 text: one per character (what text_fit() counts as well). */
static size_t columns_of(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void test_pid(void **state)
{
	struct row r = {};

	(void)state;
	r.pid = 1;
	assert_string_equal(cell(FIELD_PID, &r, ""), "      1");
	r.pid = 123;
	assert_string_equal(cell(FIELD_PID, &r, ""), "    123");
	r.pid = 4194304;	/* pid_max's ceiling: exactly the width */
	assert_string_equal(cell(FIELD_PID, &r, ""), "4194304");
	/* Wider than the column: all digits kept, never cut. */
	r.pid = 4294967295u;
	assert_string_equal(cell(FIELD_PID, &r, ""), "4294967295");
}

static void test_user(void **state)
{
	struct row r = {};

	(void)state;
	assert_string_equal(cell(FIELD_USER, &r, "root"), "root    ");
	assert_string_equal(cell(FIELD_USER, &r, ""), "        ");
	assert_string_equal(cell(FIELD_USER, &r, "abcdefgh"), "abcdefgh");
	/* Longer than 8: 7 characters and '+', as top does. */
	assert_string_equal(cell(FIELD_USER, &r, "abcdefghi"), "abcdefg+");
	assert_string_equal(cell(FIELD_USER, &r, "systemd-timesync"), "systemd+");
	assert_string_equal(cell(FIELD_USER, &r, "4000000000"), "4000000+");
}

/* @c is whole UTF-8 and takes @cols terminal columns. */
static void expect_columns(enum field f, const char *c, size_t cols)
{
	if (utf8_bad(c) >= 0)
		fail_msg("%s cell \"%s\" splits a UTF-8 character", field_table[f].name, c);
	if (columns_of(c) != cols)
		fail_msg("%s cell \"%s\" takes %zu columns, want %zu", field_table[f].name, c,
			 columns_of(c), cols);
}

/* A non-ASCII user name (LDAP, NSS) is padded and cut by characters, not bytes. */
static void test_user_utf8(void **state)
{
	struct row r = {};
	const char *c;

	(void)state;
	/* Ten 2-byte characters: 20 bytes, 10 columns, cut to 7 and '+'. */
	c = cell(FIELD_USER, &r, "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"
				 "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4");
	expect_columns(FIELD_USER, c, 8);
	assert_int_equal(c[strlen(c) - 1], '+');
	/* "jörg": 4 characters, padded to 8 columns. */
	expect_columns(FIELD_USER, cell(FIELD_USER, &r, "j\xc3\xb6rg"), 8);
}

static void test_state_thr(void **state)
{
	struct row r = { .state = 'R', .nr_threads = 5 };

	(void)state;
	assert_string_equal(cell(FIELD_STATE, &r, ""), "R");
	r.state = 'X';
	assert_string_equal(cell(FIELD_STATE, &r, ""), "X");
	assert_string_equal(cell(FIELD_THR, &r, ""), "  5");
	r.nr_threads = 0;
	assert_string_equal(cell(FIELD_THR, &r, ""), "  0");
	r.nr_threads = 999;
	assert_string_equal(cell(FIELD_THR, &r, ""), "999");
	r.nr_threads = 12345;
	assert_string_equal(cell(FIELD_THR, &r, ""), "12345");
}

static void test_pct(void **state)
{
	static const enum field fs[] = { FIELD_CPU, FIELD_USR, FIELD_SYS };
	size_t i;

	(void)state;
	/* The same format for the three, each reading its own figure. */
	for (i = 0; i < 3; i++) {
		assert_string_equal(cell_pct(fs[i], 0), "  0.0");
		assert_string_equal(cell_pct(fs[i], 12.34), " 12.3");
		assert_string_equal(cell_pct(fs[i], 99.96), "100.0");
		assert_string_equal(cell_pct(fs[i], 999.94), "999.9");
		/* 1000% and more: no decimal, as in top, so it still fits 5 columns. */
		assert_string_equal(cell_pct(fs[i], 999.95), " 1000");
		assert_string_equal(cell_pct(fs[i], 1000), " 1000");
		assert_string_equal(cell_pct(fs[i], 1234.4), " 1234");
		assert_string_equal(cell_pct(fs[i], 6399.7), " 6400");
		assert_string_equal(cell_pct(fs[i], 12345.6), "12346");
	}
}

static void test_time(void **state)
{
	struct row r = {};

	(void)state;
	assert_string_equal(cell(FIELD_TIME, &r, ""), "  0:00.00");
	r.time_ns = 62 * SEC + 350 * MS;
	assert_string_equal(cell(FIELD_TIME, &r, ""), "  1:02.35");
	r.time_ns = 3723 * SEC + 459 * MS;
	assert_string_equal(cell(FIELD_TIME, &r, ""), " 62:03.45");
	r.time_ns = 6000 * SEC;
	assert_string_equal(cell(FIELD_TIME, &r, ""), "100:00.00");
	/* 1000 minutes 30 seconds do not fit with hundredths: minutes:seconds. */
	r.time_ns = 60030 * SEC;
	assert_string_equal(cell(FIELD_TIME, &r, ""), "  1000:30");
	/* 20000 hours 5 minutes: 1200005:00 is 10 columns, so hours,minutes. */
	r.time_ns = (20000ull * 3600 + 5 * 60) * SEC;
	assert_string_equal(cell(FIELD_TIME, &r, ""), " 20000,05");
}

static void test_command(void **state)
{
	(void)state;
	assert_string_equal(cell_comm("bash"), "bash           ");
	assert_string_equal(cell_comm(""), "               ");
	assert_string_equal(cell_comm("abcdefghijklmno"), "abcdefghijklmno");
	/* Terminal control never gets through: escapes and control bytes become '?'. */
	assert_string_equal(cell_comm("\x1b[2Jevil"), "?[2Jevil       ");
	assert_string_equal(cell_comm("a\nb\rc\x7f" "d\x07"), "a?b?c?d?       ");
	assert_string_equal(cell_comm("\x1b]0;pwn\x07"), "?]0;pwn?       ");
	assert_string_equal(cell_comm("x\x9b" "31m"), "x?31m          ");
	/* Valid UTF-8 is kept. */
	assert_non_null(strstr(cell_comm("h\xc3\xa9llo"), "h\xc3\xa9llo"));
}

/* A full comm array without a NUL: the cell stops at the array's end. */
static void test_command_no_nul(void **state)
{
	struct row r = {};

	(void)state;
	memset(r.comm, 'a', sizeof(r.comm));
	assert_string_equal(cell(FIELD_COMMAND, &r, ""), "aaaaaaaaaaaaaaaa");
}

/*
 * With --fields, COMMAND can be followed by other columns: its cell must then take its width
 * in terminal columns, or a non-ASCII name pushes the rest of the row out of line.
 */
static void test_command_utf8_width(void **state)
{
	(void)state;
	expect_columns(FIELD_COMMAND, cell_comm("h\xc3\xa9llo"), 15);	/* 6 bytes */
	expect_columns(FIELD_COMMAND, cell_comm("\xe4\xb8\xad\xe6\x96\x87"), 15);
}

static void test_head(void **state)
{
	static const char *const want[FIELD_COLUMNS] = {
		[FIELD_PID] = "    PID", [FIELD_USER] = "USER    ", [FIELD_STATE] = "S",
		[FIELD_THR] = "THR", [FIELD_CPU] = " %CPU", [FIELD_USR] = " %USR",
		[FIELD_SYS] = " %SYS", [FIELD_SYSC] = "   SYSC", [FIELD_VCSW] = "  VCSW",
		[FIELD_ICSW] = "  ICSW", [FIELD_WAIT] = "WAIT%", [FIELD_MAXW] = "  MAXW",
		[FIELD_IOW] = " IOW%", [FIELD_MIGR] = " MIGR", [FIELD_TIME] = "    TIME+",
		[FIELD_COMMAND] = "COMMAND        ", [FIELD_CNT] = "  CNT",
		[FIELD_CREDITS] = " CREDITS", [FIELD_IPC] = " IPC", [FIELD_NI] = " NI",
		[FIELD_PR] = " PR", [FIELD_START] = "START", [FIELD_PPID] = "   PPID",
		[FIELD_UID] = "  UID", [FIELD_TGID] = "   TGID",
		[FIELD_CGROUP] = "CGROUP                          ",
		[FIELD_UNIT] = "UNIT                    ", [FIELD_CONTAINER] = "CONTAINER   ",
		[FIELD_LIMIT] = "LIMIT", [FIELD_THR_PCT] = " THR%", [FIELD_PSI] = " PSI%",
	};
	char buf[64];
	int f;

	(void)state;
	for (f = 0; f < FIELD_COLUMNS; f++) {
		field_head(buf, sizeof(buf), f);
		assert_string_equal(buf, want[f]);
	}
}

/* With everyday values every cell is exactly as wide as its header: the columns line up. */
static void test_cells_match_heads(void **state)
{
	struct row r = { .pid = 4242, .state = 'S', .nr_threads = 12, .cpu_pct = 45.25,
			 .usr_pct = 40, .sys_pct = 5.25, .time_ns = 754 * SEC, .comm = "nginx" };
	char head[64];
	int f;

	(void)state;
	for (f = 0; f < FIELD_COLUMNS; f++) {
		field_head(head, sizeof(head), f);
		if (strlen(cell(f, &r, "www-data")) != strlen(head))
			fail_msg("%s: cell \"%s\" under header \"%s\"", field_table[f].name,
				 cell(f, &r, "www-data"), head);
	}
}

/* ---- counter columns ---- */

static const char *rate(double v, int width)
{
	static char buf[64];

	memset(buf, 'Z', sizeof(buf));
	text_rate(buf, sizeof(buf), v, width);
	return buf;
}

static void test_rate(void **state)
{
	(void)state;
	/* One decimal under 10, as long as it rounds to under 10. */
	assert_string_equal(rate(0, 7), "0.0");
	assert_string_equal(rate(0.04, 7), "0.0");
	assert_string_equal(rate(2.5, 7), "2.5");
	assert_string_equal(rate(9.94, 7), "9.9");
	assert_string_equal(rate(9.95, 7), "10");
	assert_string_equal(rate(10, 7), "10");
	assert_string_equal(rate(123.4, 7), "123");
	/* Whole numbers as long as they fit, then thousands, millions, ... */
	assert_string_equal(rate(1234567, 7), "1234567");
	assert_string_equal(rate(9999999, 7), "9999999");
	assert_string_equal(rate(12345678, 7), "12346k");
	assert_string_equal(rate(12345678901.0, 7), "12346M");
	assert_string_equal(rate(123456, 6), "123456");
	assert_string_equal(rate(1234567, 6), "1235k");
	/* Rounding up to a seventh digit moves to k as well. */
	assert_string_equal(rate(999999.6, 6), "1000k");
	assert_string_equal(rate(1234567890, 6), "1235M");
	assert_string_equal(rate(1.5e12, 6), "1500G");
	assert_string_equal(rate(2.5e15, 6), "2500T");
	assert_string_equal(rate(99999, 5), "99999");
	assert_string_equal(rate(123456, 5), "123k");
}

/* A row with every counter and these figures (per second; WAIT% and IOW% in percent). */
static struct row ctr_row(double sysc, double vcsw, double icsw, double wait, double iow,
			  double migr, uint64_t max_wait_ns)
{
	struct row r = { .pid = 4242, .state = 'S', .nr_threads = 2, .cpu_pct = 45.25,
			 .usr_pct = 40, .sys_pct = 5.25, .time_ns = 754 * SEC, .comm = "nginx",
			 .max_wait_ns = max_wait_ns };

	r.rate[TASK_SYSC] = sysc;
	r.rate[TASK_VCSW] = vcsw;
	r.rate[TASK_ICSW] = icsw;
	r.rate[TASK_WAIT_NS] = wait;
	r.rate[TASK_IOW_NS] = iow;
	r.rate[TASK_MIGR] = migr;
	r.have = 1u << TASK_SYSC | 1u << TASK_VCSW | 1u << TASK_ICSW | 1u << TASK_MIGR |
		 1u << TASK_WAIT_NS | 1u << TASK_IOW_NS | TASK_HAVE_MAXW;
	return r;
}

static void test_ctr_cells(void **state)
{
	struct row r = ctr_row(1150, 13.4, 4, 13.5, 11, 3, 9 * MS);

	(void)state;
	assert_string_equal(cell(FIELD_SYSC, &r, ""), "   1150");
	assert_string_equal(cell(FIELD_VCSW, &r, ""), "    13");
	assert_string_equal(cell(FIELD_ICSW, &r, ""), "   4.0");
	assert_string_equal(cell(FIELD_WAIT, &r, ""), " 13.5");
	assert_string_equal(cell(FIELD_IOW, &r, ""), " 11.0");
	assert_string_equal(cell(FIELD_MIGR, &r, ""), "  3.0");
	/* MAXW in milliseconds. */
	assert_string_equal(cell(FIELD_MAXW, &r, ""), "   9.0");

	/* Large figures keep to their columns. */
	r = ctr_row(12345678, 1234567, 999999, 150, 1000, 123456, 1234567 * MS + 600000);
	assert_string_equal(cell(FIELD_SYSC, &r, ""), " 12346k");
	assert_string_equal(cell(FIELD_VCSW, &r, ""), " 1235k");
	assert_string_equal(cell(FIELD_ICSW, &r, ""), "999999");
	/* Waits are of one CPU: several waiting threads make more than 100, as %CPU does. */
	assert_string_equal(cell(FIELD_WAIT, &r, ""), "150.0");
	assert_string_equal(cell(FIELD_IOW, &r, ""), " 1000");
	assert_string_equal(cell(FIELD_MIGR, &r, ""), " 123k");
	assert_string_equal(cell(FIELD_MAXW, &r, ""), " 1235k");
	r.max_wait_ns = 1234 * MS + 600000;
	assert_string_equal(cell(FIELD_MAXW, &r, ""), "  1235");
}

/* A counter the source cannot give is "-", never a zero; the other columns are unaffected. */
static void test_ctr_cells_unavailable(void **state)
{
	struct row r = ctr_row(1150, 13.4, 4, 13.5, 11, 3, 9 * MS);

	(void)state;
	/* /proc: run-queue wait only. */
	r.have = 1u << TASK_WAIT_NS;
	assert_string_equal(cell(FIELD_SYSC, &r, ""), "      -");
	assert_string_equal(cell(FIELD_VCSW, &r, ""), "     -");
	assert_string_equal(cell(FIELD_ICSW, &r, ""), "     -");
	assert_string_equal(cell(FIELD_WAIT, &r, ""), " 13.5");
	assert_string_equal(cell(FIELD_MAXW, &r, ""), "     -");
	assert_string_equal(cell(FIELD_IOW, &r, ""), "    -");
	assert_string_equal(cell(FIELD_MIGR, &r, ""), "    -");
	assert_string_equal(cell(FIELD_PID, &r, ""), "   4242");
	assert_string_equal(cell(FIELD_CPU, &r, ""), " 45.2");
	assert_string_equal(cell(FIELD_TIME, &r, ""), " 12:34.00");
	/* eBPF without schedstats: all but the waits. */
	r.have = 1u << TASK_SYSC | 1u << TASK_VCSW | 1u << TASK_ICSW | 1u << TASK_MIGR |
		 1u << TASK_IOW_NS;
	assert_string_equal(cell(FIELD_SYSC, &r, ""), "   1150");
	assert_string_equal(cell(FIELD_WAIT, &r, ""), "    -");
	assert_string_equal(cell(FIELD_MAXW, &r, ""), "     -");
	assert_string_equal(cell(FIELD_IOW, &r, ""), " 11.0");
	/* MAXW has its own bit. */
	r.have = TASK_HAVE_MAXW;
	assert_string_equal(cell(FIELD_MAXW, &r, ""), "   9.0");
	assert_string_equal(cell(FIELD_WAIT, &r, ""), "    -");
}

static void test_ctr_cells_match_heads(void **state)
{
	static const enum field fs[] = { FIELD_SYSC, FIELD_VCSW, FIELD_ICSW, FIELD_WAIT,
					 FIELD_MAXW, FIELD_IOW, FIELD_MIGR };
	struct row r = ctr_row(48213, 912.5, 37.2, 42.7, 3.1, 88.8, 12 * MS + 400000);
	uint32_t all = r.have;
	char head[64];
	size_t i;
	int pass;

	(void)state;
	/* With the figures, and with "-" for each. */
	for (pass = 0; pass < 2; pass++) {
		r.have = pass ? 0 : all;
		for (i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
			field_head(head, sizeof(head), fs[i]);
			if (strlen(cell(fs[i], &r, "")) != strlen(head))
				fail_msg("%s: cell \"%s\" under header \"%s\"",
					 field_table[fs[i]].name, cell(fs[i], &r, ""), head);
		}
	}
}

/* ---- the per-CPU table ---- */

static const char *const softirqs[] = {
	"HI", "TIMER", "NET_TX", "NET_RX", "BLOCK", "IRQ_POLL", "TASKLET", "SCHED", "HRTIMER",
	"RCU",
};

/* A snapshot naming the softirq kinds of a current kernel, in /proc/softirqs order. */
static void softirq_snap(struct snapshot *s)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < sizeof(softirqs) / sizeof(softirqs[0]); i++)
		snprintf(s->softirq_names[i], SOFTIRQ_NAME_LEN, "%s", softirqs[i]);
	s->nr_softirqs = i;
}

/* Column @c is @name, @width wide, of @kind for @idx. */
static void expect_col(const struct cpu_col *c, const char *name, int width,
		       enum cpu_col_kind kind, int idx)
{
	if (strcmp(c->name, name) || c->width != width || c->kind != kind || c->idx != idx)
		fail_msg("column \"%s\" width %d kind %d idx %d, want \"%s\" %d %d %d", c->name,
			 c->width, c->kind, c->idx, name, width, kind, idx);
}

/* The label and the ten tick fields, in top's order, whatever the counters. */
static void expect_tick_cols(const struct cpu_col *c)
{
	expect_col(&c[0], "CPU", 3, CPU_COL_LABEL, 0);
	expect_col(&c[1], "us", 5, CPU_COL_TICKS, CPU_USER);
	expect_col(&c[2], "sy", 5, CPU_COL_TICKS, CPU_SYSTEM);
	expect_col(&c[3], "ni", 5, CPU_COL_TICKS, CPU_NICE);
	expect_col(&c[4], "id", 5, CPU_COL_TICKS, CPU_IDLE);
	expect_col(&c[5], "wa", 5, CPU_COL_TICKS, CPU_IOWAIT);
	expect_col(&c[6], "hi", 5, CPU_COL_TICKS, CPU_IRQ);
	expect_col(&c[7], "si", 5, CPU_COL_TICKS, CPU_SOFTIRQ);
	expect_col(&c[8], "st", 5, CPU_COL_TICKS, CPU_STEAL);
	expect_col(&c[9], "gu", 5, CPU_COL_TICKS, CPU_GUEST);
	expect_col(&c[10], "gn", 5, CPU_COL_TICKS, CPU_GUEST_NICE);
}

static void test_cpu_cols(void **state)
{
	struct cpu_col c[CPU_COLS_MAX];
	struct snapshot s;

	(void)state;
	softirq_snap(&s);
	/* /proc/stat alone. */
	assert_int_equal(cpu_cols(c, 0, true, &s), 11);
	expect_tick_cols(c);

	/*
	 * The counters of @have in enum cpu_ctr order: IDLE has no column (BUSY says it), and a
	 * softirq bit beyond the kinds the snapshot names has none either.
	 */
	assert_int_equal(cpu_cols(c, 1ull << CTR_CSW | 1ull << CTR_SYSC | 1ull << CTR_BUSY_NS |
				  1ull << CTR_IDLE_NS | 1ull << CTR_IRQ | 1ull << CTR_LOC |
				  1ull << (CTR_SOFTIRQ + 1) | 1ull << (CTR_SOFTIRQ + 5) |
				  1ull << (CTR_SOFTIRQ + 12), true, &s), 18);
	expect_tick_cols(c);
	expect_col(&c[11], "CSW", 6, CPU_COL_CTR, CTR_CSW);
	expect_col(&c[12], "SYSC", 6, CPU_COL_CTR, CTR_SYSC);
	expect_col(&c[13], "BUSY", 6, CPU_COL_CTR, CTR_BUSY_NS);
	expect_col(&c[14], "IRQ", 6, CPU_COL_CTR, CTR_IRQ);
	expect_col(&c[15], "LOC", 6, CPU_COL_CTR, CTR_LOC);
	expect_col(&c[16], "TIMER", 6, CPU_COL_CTR, CTR_SOFTIRQ + 1);
	/* A name longer than 6 widens its column. */
	expect_col(&c[17], "IRQ_POLL", 8, CPU_COL_CTR, CTR_SOFTIRQ + 5);
}

static void test_cpu_cols_all(void **state)
{
	static const char *const named[] = {
		"CSW", "PRE", "SYSC", "YLD", "BUSY", "IRQ", "LOC", "RES", "CAL", "TLB",
	};
	static const int idx[] = {
		CTR_CSW, CTR_PRE, CTR_SYSC, CTR_YLD, CTR_BUSY_NS, CTR_IRQ, CTR_LOC, CTR_RES,
		CTR_CAL, CTR_TLB,
	};
	static const int softirq_width[] = { 6, 6, 6, 6, 6, 8, 7, 6, 7, 6 };
	struct cpu_col c[CPU_COLS_MAX];
	struct snapshot s;
	size_t i;

	(void)state;
	softirq_snap(&s);
	assert_int_equal(cpu_cols(c, ~0ull, true, &s), 11 + 10 + 10);
	expect_tick_cols(c);
	for (i = 0; i < 10; i++)
		expect_col(&c[11 + i], named[i], 6, CPU_COL_CTR, idx[i]);
	for (i = 0; i < 10; i++)
		expect_col(&c[21 + i], softirqs[i], softirq_width[i], CPU_COL_CTR,
			   CTR_SOFTIRQ + i);

	/* The names are the snapshot's: an older or newer kernel has others. */
	memset(&s, 0, sizeof(s));
	snprintf(s.softirq_names[0], SOFTIRQ_NAME_LEN, "HI");
	snprintf(s.softirq_names[1], SOFTIRQ_NAME_LEN, "FIFTEEN_CHARS_X");
	s.nr_softirqs = 2;
	assert_int_equal(cpu_cols(c, 1ull << CTR_SOFTIRQ | 1ull << (CTR_SOFTIRQ + 1) |
				  1ull << (CTR_SOFTIRQ + 2), true, &s), 13);
	expect_col(&c[11], "HI", 6, CPU_COL_CTR, CTR_SOFTIRQ);
	expect_col(&c[12], "FIFTEEN_CHARS_X", 15, CPU_COL_CTR, CTR_SOFTIRQ + 1);
	/* Without /proc/stat, the label and the counters: no tick shares. */
	assert_int_equal(cpu_cols(c, 1ull << CTR_CSW, false, &s), 2);
	expect_col(&c[1], "CSW", 6, CPU_COL_CTR, CTR_CSW);
}

static const char *ccell(const struct cpu_col *c, const char *label, const struct cpu_row *r)
{
	static char buf[64];

	memset(buf, 'Z', sizeof(buf));
	cpu_cell(buf, sizeof(buf), c, label, r);
	return buf;
}

static const char *chead(const struct cpu_col *c)
{
	static char buf[64];

	memset(buf, 'Z', sizeof(buf));
	cpu_head(buf, sizeof(buf), c);
	return buf;
}

static void test_cpu_cells(void **state)
{
	struct cpu_row r = {};
	struct cpu_col c[CPU_COLS_MAX];
	struct snapshot s;

	(void)state;
	softirq_snap(&s);
	assert_int_equal(cpu_cols(c, 1ull << CTR_CSW | 1ull << CTR_SYSC | 1ull << CTR_BUSY_NS |
				  1ull << (CTR_SOFTIRQ + 1) | 1ull << (CTR_SOFTIRQ + 5), true, &s), 16);
	r.pct[CPU_USER] = 25;
	r.pct[CPU_SYSTEM] = 12.34;
	r.pct[CPU_IDLE] = 100;
	r.rate[CTR_CSW] = 1500;
	r.rate[CTR_SYSC] = 1234567;
	r.rate[CTR_BUSY_NS] = 37.5;
	r.rate[CTR_SOFTIRQ + 1] = 7.24;
	r.rate[CTR_SOFTIRQ + 5] = 123456789;

	/* The label, left-aligned. */
	assert_string_equal(chead(&c[0]), "CPU");
	assert_string_equal(ccell(&c[0], "0", &r), "0  ");
	assert_string_equal(ccell(&c[0], "12", &r), "12 ");
	assert_string_equal(ccell(&c[0], "all", &r), "all");
	/* Each tick column its own field. */
	assert_string_equal(chead(&c[1]), "   us");
	assert_string_equal(ccell(&c[1], "0", &r), " 25.0");
	assert_string_equal(chead(&c[2]), "   sy");
	assert_string_equal(ccell(&c[2], "0", &r), " 12.3");
	assert_string_equal(chead(&c[3]), "   ni");
	assert_string_equal(ccell(&c[3], "0", &r), "  0.0");
	assert_string_equal(chead(&c[4]), "   id");
	assert_string_equal(ccell(&c[4], "0", &r), "100.0");
	/* Counters per second. */
	assert_string_equal(chead(&c[11]), "   CSW");
	assert_string_equal(ccell(&c[11], "0", &r), "  1500");
	assert_string_equal(chead(&c[12]), "  SYSC");
	assert_string_equal(ccell(&c[12], "0", &r), " 1235k");
	/* BUSY is a percentage, with its decimal. */
	assert_string_equal(chead(&c[13]), "  BUSY");
	assert_string_equal(ccell(&c[13], "0", &r), "  37.5");
	r.rate[CTR_BUSY_NS] = 100;
	assert_string_equal(ccell(&c[13], "0", &r), " 100.0");
	assert_string_equal(chead(&c[14]), " TIMER");
	assert_string_equal(ccell(&c[14], "0", &r), "   7.2");
	/* The wider column holds more digits before it needs a unit. */
	assert_string_equal(chead(&c[15]), "IRQ_POLL");
	assert_string_equal(ccell(&c[15], "0", &r), " 123457k");
	r.rate[CTR_SOFTIRQ + 5] = 12345678;
	assert_string_equal(ccell(&c[15], "0", &r), "12345678");
}

/* With everyday figures every cell is as wide as its header, for every column. */
static void test_cpu_cells_match_heads(void **state)
{
	struct cpu_col c[CPU_COLS_MAX];
	struct cpu_row r = {};
	struct snapshot s;
	size_t nr, i;
	int k;

	(void)state;
	softirq_snap(&s);
	for (k = 0; k < CPU_NR_FIELDS; k++)
		r.pct[k] = 10.0 * k + 0.25;
	for (k = 0; k < CTR_NR; k++)
		r.rate[k] = k * 3917.3;
	r.rate[CTR_BUSY_NS] = 99.9;
	r.rate[CTR_IDLE_NS] = 0.1;
	nr = cpu_cols(c, ~0ull, true, &s);
	assert_int_equal(nr, 31);
	for (i = 0; i < nr; i++) {
		char head[64];

		snprintf(head, sizeof(head), "%s", chead(&c[i]));
		assert_int_equal(strlen(head), c[i].width);
		if (strlen(ccell(&c[i], "all", &r)) != strlen(head))
			fail_msg("%s: cell \"%s\" under header \"%s\"", c[i].name,
				 ccell(&c[i], "all", &r), head);
	}
}

/* ---- fields_parse ---- */

static void expect_fields(const char *list, const enum field *want, size_t n)
{
	enum field out[FIELD_NR];
	const char *bad = NULL;
	size_t nr = 99, i;

	if (fields_parse(list, out, &nr, &bad))
		fail_msg("\"%s\" refused at \"%s\"", list, bad ? bad : "(null)");
	assert_int_equal(nr, n);
	for (i = 0; i < n; i++)
		assert_int_equal(out[i], want[i]);
}

/* Refused, with *bad at byte @at of @list. */
static void expect_bad(const char *list, size_t at)
{
	enum field out[FIELD_NR];
	const char *bad = NULL;
	size_t nr;

	assert_int_equal(fields_parse(list, out, &nr, &bad), -EINVAL);
	if (bad != list + at)
		fail_msg("\"%s\": bad at offset %td, want %zu", list, bad ? bad - list : -1, at);
}

static void test_fields_good(void **state)
{
	(void)state;
	expect_fields("PID", (const enum field[]){ FIELD_PID }, 1);
	expect_fields("COMMAND,PID", (const enum field[]){ FIELD_COMMAND, FIELD_PID }, 2);
	expect_fields("command,Pid,%cpu,TIME+",
		      (const enum field[]){ FIELD_COMMAND, FIELD_PID, FIELD_CPU, FIELD_TIME }, 4);
	/* All nine, in a new order. */
	expect_fields("s,user,%SYS,%usr,thr,time+,COMMAND,%Cpu,pid",
		      (const enum field[]){ FIELD_STATE, FIELD_USER, FIELD_SYS, FIELD_USR,
					    FIELD_THR, FIELD_TIME, FIELD_COMMAND, FIELD_CPU,
					    FIELD_PID }, 9);
	/* The defaults are every field in table order. */
	expect_fields("PID,USER,S,THR,%CPU,%USR,%SYS,TIME+,COMMAND", fields_default,
		      NR_FIELDS_DEFAULT);
}

static void test_fields_bad(void **state)
{
	(void)state;
	/* Unknown names. */
	expect_bad("BOGUS", 0);
	expect_bad("PID,BOGUS,USER", 4);
	expect_bad("PID,USER,CPU", 9);
	expect_bad("PID, USER", 4);
	expect_bad("PID,COMMANDCOMMANDCOMMAND", 4);
	/* Repeated, in any case: *bad is the second one. */
	expect_bad("PID,USER,pid", 9);
	expect_bad("%cpu,%CPU", 5);
	/* Empty items. */
	expect_bad("", 0);
	expect_bad(",PID", 0);
	expect_bad("PID,,USER", 4);
	expect_bad("PID,", 4);
	expect_bad(",", 0);
	/* Ten items: one too many, and necessarily a repeat. */
	expect_bad("PID,USER,S,THR,%CPU,%USR,%SYS,TIME+,COMMAND,PID", 44);
	expect_bad("PID,USER,S,THR,%CPU,%USR,%SYS,TIME+,COMMAND,", 44);
}

/* ---- programs and the tree ---- */

static void test_cnt(void **state)
{
	struct row r = {};

	(void)state;
	assert_string_equal(cell(FIELD_CNT, &r, ""), "    0");
	r.count = 3;
	assert_string_equal(cell(FIELD_CNT, &r, ""), "    3");
	r.count = 99999;
	assert_string_equal(cell(FIELD_CNT, &r, ""), "99999");
	/* Wider than the column: all digits kept. */
	r.count = 123456;
	assert_string_equal(cell(FIELD_CNT, &r, ""), "123456");
}

/* CPU-minutes: one credit is one CPU busy for 60 s; three decimals up to 10000. */
static void test_credits(void **state)
{
	struct row r = {};

	(void)state;
	assert_string_equal(cell(FIELD_CREDITS, &r, ""), "   0.000");
	r.time_ns = 90 * SEC;
	assert_string_equal(cell(FIELD_CREDITS, &r, ""), "   1.500");
	/* 3 ms is 0.00005 credits. */
	r.time_ns = 3 * MS;
	assert_string_equal(cell(FIELD_CREDITS, &r, ""), "   0.000");
	/* 45 s: 0.75; 10 min: 10. */
	r.time_ns = 45 * SEC;
	assert_string_equal(cell(FIELD_CREDITS, &r, ""), "   0.750");
	r.time_ns = 600 * SEC;
	assert_string_equal(cell(FIELD_CREDITS, &r, ""), "  10.000");
	/* 9999 min 59.94 s: 9999.999 fills the 8 columns. */
	r.time_ns = 599999940 * MS;
	assert_string_equal(cell(FIELD_CREDITS, &r, ""), "9999.999");
	/* 9999.9998 would round to 10000.000, nine columns: whole credits already. */
	r.time_ns = 599999999 * MS;
	assert_string_equal(cell(FIELD_CREDITS, &r, ""), "   10000");
	/* From 10000 on, whole credits. */
	r.time_ns = 600000 * SEC;
	assert_string_equal(cell(FIELD_CREDITS, &r, ""), "   10000");
	r.time_ns = 123456ull * 60 * SEC;
	assert_string_equal(cell(FIELD_CREDITS, &r, ""), "  123456");
	r.time_ns = 99999999ull * 60 * SEC;
	assert_string_equal(cell(FIELD_CREDITS, &r, ""), "99999999");
}

/* A program run by several users has no one owner: "*", whatever the uid's name. */
static void test_many_users(void **state)
{
	struct row r = {};

	(void)state;
	assert_string_equal(cell(FIELD_USER, &r, "root"), "root    ");
	r.many_users = true;
	assert_string_equal(cell(FIELD_USER, &r, "root"), "*       ");
	assert_string_equal(cell(FIELD_USER, &r, "systemd-timesync"), "*       ");
	assert_string_equal(cell(FIELD_USER, &r, ""), "*       ");
}

static const char *cell_tree(const char *comm, uint32_t depth, uint32_t folded)
{
	static struct row r;

	memset(&r, 0, sizeof(r));
	memcpy(r.comm, comm, strlen(comm) < sizeof(r.comm) ? strlen(comm) : sizeof(r.comm));
	r.depth = depth;
	r.folded = folded;
	return cell(FIELD_COMMAND, &r, "");
}

/* Under the tree, two columns a level and a branch; a folded row counts what it holds. */
static void test_tree_command(void **state)
{
	char want[128];

	(void)state;
	assert_string_equal(cell_tree("bash", 0, 0), "bash           ");
	assert_string_equal(cell_tree("bash", 1, 0), "`- bash        ");
	assert_string_equal(cell_tree("bash", 2, 0), "  `- bash      ");
	assert_string_equal(cell_tree("bash", 3, 0), "    `- bash    ");
	/* Deeper than the column: the indent is kept, the name whole. */
	assert_string_equal(cell_tree("bash", 6, 0), "          `- bash");
	assert_string_equal(cell_tree("abcdefghijklmno", 1, 0), "`- abcdefghijklmno");
	/* Indented as deep as 24 levels, no deeper. */
	snprintf(want, sizeof(want), "%46s`- bash", "");
	assert_string_equal(cell_tree("bash", 24, 0), want);
	assert_string_equal(cell_tree("bash", 25, 0), want);
	assert_string_equal(cell_tree("bash", 4000000000u, 0), want);
	/* Folded subtrees. */
	assert_string_equal(cell_tree("make", 0, 3), "make (+3)      ");
	assert_string_equal(cell_tree("make", 1, 12), "`- make (+12)  ");
	assert_string_equal(cell_tree("make", 2, 4294967295u), "  `- make (+4294967295)");
	assert_string_equal(cell_tree("abcdefghijklmno", 0, 1), "abcdefghijklmno (+1)");
	/* The name is made safe; the branch and count are ours. */
	assert_string_equal(cell_tree("\x1b[2J", 1, 2), "`- ?[2J (+2)   ");
	assert_string_equal(cell_tree("", 1, 0), "`-" "             ");
}

static void expect_view(const char *list, enum group_by g, const enum field *want, size_t n)
{
	enum field in[FIELD_NR], out[FIELD_NR + 4];
	const char *bad = NULL;
	size_t nr, got, i, j;

	if (fields_parse(list, in, &nr, &bad))
		fail_msg("\"%s\" refused at \"%s\"", list, bad);
	for (i = 0; i < FIELD_NR + 4; i++)
		out[i] = (enum field)77;
	got = fields_view(out, in, nr, g);
	if (got != n)
		fail_msg("\"%s\" as %s: %zu columns, want %zu", list, group_names[g], got, n);
	for (i = 0; i < n; i++) {
		if (out[i] != want[i])
			fail_msg("\"%s\" as %s: column %zu is %s, want %s", list, group_names[g], i,
				 out[i] < FIELD_COLUMNS ? field_table[out[i]].name : "?",
				 field_table[want[i]].name);
		for (j = 0; j < i; j++)
			assert_int_not_equal(out[j], out[i]);
	}
	/* Nothing written past them. */
	for (i = n; i < FIELD_NR + 4; i++)
		assert_int_equal(out[i], 77);
}

#define FIELDS(...) ((const enum field[]){ __VA_ARGS__ }), \
	sizeof((const enum field[]){ __VA_ARGS__ }) / sizeof(enum field)

static void test_fields_view(void **state)
{
	(void)state;
	/* Processes: the columns as chosen, CNT and CREDITS included if asked for. */
	expect_view("PID,USER,S,THR,%CPU,%USR,%SYS,TIME+,COMMAND", GROUP_NONE,
		    fields_default, NR_FIELDS_DEFAULT);
	expect_view("CREDITS,PID,CNT", GROUP_NONE,
		    FIELDS(FIELD_CREDITS, FIELD_PID, FIELD_CNT));
	/* Programs by command: CNT first, no PID or S, CREDITS before COMMAND. */
	expect_view("PID,USER,S,THR,%CPU,%USR,%SYS,TIME+,COMMAND", GROUP_COMM,
		    FIELDS(FIELD_CNT, FIELD_USER, FIELD_THR, FIELD_CPU, FIELD_USR, FIELD_SYS,
			   FIELD_TIME, FIELD_CREDITS, FIELD_COMMAND));
	/* By user: USER second, no COMMAND, CREDITS last. */
	expect_view("PID,USER,S,THR,%CPU,%USR,%SYS,TIME+,COMMAND", GROUP_USER,
		    FIELDS(FIELD_CNT, FIELD_USER, FIELD_THR, FIELD_CPU, FIELD_USR, FIELD_SYS,
			   FIELD_TIME, FIELD_CREDITS));
	/* Without COMMAND, CREDITS goes last. */
	expect_view("PID,%CPU", GROUP_COMM, FIELDS(FIELD_CNT, FIELD_CPU, FIELD_CREDITS));
	expect_view("COMMAND,PID", GROUP_USER, FIELDS(FIELD_CNT, FIELD_USER, FIELD_CREDITS));
	/* Where COMMAND stands, CREDITS goes before it. */
	expect_view("COMMAND,%CPU", GROUP_COMM,
		    FIELDS(FIELD_CNT, FIELD_CREDITS, FIELD_COMMAND, FIELD_CPU));
	/* CNT and CREDITS asked for are not repeated; USER not twice by user. */
	expect_view("CREDITS,COMMAND,CNT,S", GROUP_COMM,
		    FIELDS(FIELD_CNT, FIELD_CREDITS, FIELD_COMMAND));
	expect_view("%CPU,USER,CNT", GROUP_USER,
		    FIELDS(FIELD_CNT, FIELD_USER, FIELD_CPU, FIELD_CREDITS));
	/* A command view keeps USER where it was asked. */
	expect_view("%CPU,USER", GROUP_COMM,
		    FIELDS(FIELD_CNT, FIELD_CPU, FIELD_USER, FIELD_CREDITS));
	/* Only process columns: CNT and CREDITS remain. */
	expect_view("PID,S", GROUP_COMM, FIELDS(FIELD_CNT, FIELD_CREDITS));
	expect_view("PID,S", GROUP_USER, FIELDS(FIELD_CNT, FIELD_USER, FIELD_CREDITS));
}

/* Every column at once: the view fits FIELD_COLUMNS and keeps each once. */
static void test_fields_view_all(void **state)
{
	enum field all[FIELD_COLUMNS], out[FIELD_COLUMNS];
	size_t n, i, j, per_process = 0;
	int g;

	(void)state;
	for (i = 0; i < FIELD_COLUMNS; i++) {
		all[i] = i;
		per_process += field_table[i].per_process;
	}
	/* PID, S, NI, PR, START, PPID, TGID: a program has none of them. */
	assert_int_equal(per_process, 7);
	for (g = 0; g < GROUP_NR; g++) {
		n = fields_view(out, all, FIELD_COLUMNS, g);
		/*
		 * none: all; comm: all but the per-process ones; user: and but COMMAND; by
		 * cgroup: and but USER and the two cgroup names that are not the key.
		 */
		assert_int_equal(n, g == GROUP_NONE ? FIELD_COLUMNS : g == GROUP_COMM ?
				 FIELD_COLUMNS - per_process : g == GROUP_USER ?
				 FIELD_COLUMNS - per_process - 1 : FIELD_COLUMNS - per_process - 4);
		if (group_is_cgroup(g))
			assert_int_equal(out[n - 1], g == GROUP_CGROUP ? FIELD_CGROUP :
					 g == GROUP_UNIT ? FIELD_UNIT : FIELD_CONTAINER);
		for (i = 0; i < n; i++) {
			for (j = 0; j < i; j++)
				assert_int_not_equal(out[i], out[j]);
			if (g != GROUP_NONE)
				assert_true(out[i] != FIELD_PID && out[i] != FIELD_STATE);
		}
		if (g != GROUP_NONE)
			assert_int_equal(out[0], FIELD_CNT);
	}
}

/* The new names parse, any case. */
static void test_fields_new_names(void **state)
{
	(void)state;
	expect_fields("CNT,credits,Command", (const enum field[]){ FIELD_CNT, FIELD_CREDITS,
							       FIELD_COMMAND }, 3);
	expect_bad("CNT,cnt", 4);
	expect_bad("CREDIT", 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pid),
		cmocka_unit_test(test_user),
		cmocka_unit_test(test_user_utf8),
		cmocka_unit_test(test_state_thr),
		cmocka_unit_test(test_pct),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_command),
		cmocka_unit_test(test_command_no_nul),
		cmocka_unit_test(test_command_utf8_width),
		cmocka_unit_test(test_head),
		cmocka_unit_test(test_cells_match_heads),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_ctr_cells),
		cmocka_unit_test(test_ctr_cells_unavailable),
		cmocka_unit_test(test_ctr_cells_match_heads),
		cmocka_unit_test(test_cpu_cols),
		cmocka_unit_test(test_cpu_cols_all),
		cmocka_unit_test(test_cpu_cells),
		cmocka_unit_test(test_cpu_cells_match_heads),
		cmocka_unit_test(test_fields_good),
		cmocka_unit_test(test_fields_bad),
		cmocka_unit_test(test_cnt),
		cmocka_unit_test(test_credits),
		cmocka_unit_test(test_many_users),
		cmocka_unit_test(test_tree_command),
		cmocka_unit_test(test_fields_view),
		cmocka_unit_test(test_fields_view_all),
		cmocka_unit_test(test_fields_new_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
