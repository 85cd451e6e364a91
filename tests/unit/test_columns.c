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

#include "columns.h"

#define SEC 1000000000ull
#define MS 1000000ull

static const char *cell(enum field f, const struct row *r, const char *user)
{
	static char buf[256];

	memset(buf, 'Z', sizeof(buf));
	column_cell(buf, sizeof(buf), f, r, user);
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

/* Whether @s is well-formed UTF-8 (no sequence cut short, no stray continuation byte). */
static bool utf8_whole(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int more = 0;

	for (; *p; p++) {
		if (more) {
			if ((*p & 0xc0) != 0x80)
				return false;
			more--;
		} else if (*p >= 0xf0) {
			more = 3;
		} else if (*p >= 0xe0) {
			more = 2;
		} else if (*p >= 0xc0) {
			more = 1;
		} else if (*p >= 0x80) {
			return false;
		}
	}
	return !more;
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
	if (!utf8_whole(c))
		fail_msg("%s cell \"%s\" splits a UTF-8 character", field_names[f], c);
	if (columns_of(c) != cols)
		fail_msg("%s cell \"%s\" takes %zu columns, want %zu", field_names[f], c,
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
	static const char *const want[FIELD_NR] = {
		[FIELD_PID] = "    PID", [FIELD_USER] = "USER    ", [FIELD_STATE] = "S",
		[FIELD_THR] = "THR", [FIELD_CPU] = " %CPU", [FIELD_USR] = " %USR",
		[FIELD_SYS] = " %SYS", [FIELD_SYSC] = "   SYSC", [FIELD_VCSW] = "  VCSW",
		[FIELD_ICSW] = "  ICSW", [FIELD_WAIT] = "WAIT%", [FIELD_MAXW] = "  MAXW",
		[FIELD_IOW] = " IOW%", [FIELD_MIGR] = " MIGR", [FIELD_TIME] = "    TIME+",
		[FIELD_COMMAND] = "COMMAND        ",
	};
	char buf[64];
	int f;

	(void)state;
	for (f = 0; f < FIELD_NR; f++) {
		column_head(buf, sizeof(buf), f);
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
	for (f = 0; f < FIELD_NR; f++) {
		column_head(head, sizeof(head), f);
		if (strlen(cell(f, &r, "www-data")) != strlen(head))
			fail_msg("%s: cell \"%s\" under header \"%s\"", field_names[f],
				 cell(f, &r, "www-data"), head);
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
		cmocka_unit_test(test_fields_good),
		cmocka_unit_test(test_fields_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
