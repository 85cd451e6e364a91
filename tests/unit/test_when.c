// SPDX-License-Identifier: GPL-2.0
/*
 * when_parse() reads instants, when_duration() durations, when_size() sizes; when_format()
 * prints local times. TZ=UTC with a fixed now unless a test says otherwise.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/when.h"

#define SEC 1000000000ll
#define MIN (60 * SEC)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)

/* 2026-03-15 12:34:56.789 UTC, a Sunday. */
#define NOW (1773578096 * SEC + 789000000)
/* 2026-03-15 00:00:00 UTC */
#define MIDNIGHT (1773532800 * SEC)

#define BERLIN "/usr/share/zoneinfo/Europe/Berlin"

static void tz(const char *zone)
{
	setenv("TZ", zone, 1);
	tzset();
}

static int utc(void **state)
{
	(void)state;
	tz("UTC");
	return 0;
}

/* when_parse() at NOW, which must accept @s. */
static int64_t at(const char *s)
{
	int64_t t = 0;
	int err = when_parse(s, NOW, &t);

	if (err)
		fail_msg("\"%s\": %d", s, err);
	return t;
}

static uint64_t dur(const char *s)
{
	uint64_t v = 0;
	int err = when_duration(s, &v);

	if (err)
		fail_msg("\"%s\": %d", s, err);
	return v;
}

static uint64_t size(const char *s)
{
	uint64_t v = 0;
	int err = when_size(s, &v);

	if (err)
		fail_msg("\"%s\": %d", s, err);
	return v;
}

/* Each of @bad fails with @err and leaves the output alone. */
static void parse_fails(const char *const *bad, size_t n, int err)
{
	int64_t t;
	size_t i;

	for (i = 0; i < n; i++) {
		t = 42;
		if (when_parse(bad[i], NOW, &t) != err || t != 42)
			fail_msg("\"%s\": %d, not %d", bad[i], when_parse(bad[i], NOW, &t), err);
	}
}

static void duration_fails(const char *const *bad, size_t n, int err)
{
	uint64_t v;
	size_t i;

	for (i = 0; i < n; i++) {
		v = 42;
		if (when_duration(bad[i], &v) != err || v != 42)
			fail_msg("\"%s\": %d, not %d", bad[i], when_duration(bad[i], &v), err);
	}
}

static void size_fails(const char *const *bad, size_t n, int err)
{
	uint64_t v;
	size_t i;

	for (i = 0; i < n; i++) {
		v = 42;
		if (when_size(bad[i], &v) != err || v != 42)
			fail_msg("\"%s\": %d, not %d", bad[i], when_size(bad[i], &v), err);
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_keywords(void **state)
{
	(void)state;
	assert_int_equal(at("now"), NOW);
	assert_int_equal(at("NOW"), NOW);
	assert_int_equal(at("today"), MIDNIGHT);
	assert_int_equal(at("yesterday"), MIDNIGHT - DAY);
	assert_int_equal(at("Yesterday"), MIDNIGHT - DAY);
	assert_int_equal(at("today 09:30"), MIDNIGHT + 9 * HOUR + 30 * MIN);
	assert_int_equal(at("yesterday 23:59:59"), MIDNIGHT - SEC);
	assert_int_equal(at("yesterday\t 0:00"), MIDNIGHT - DAY);
	assert_int_equal(at("  \tnow\n"), NOW);
}

static void test_clock(void **state)
{
	(void)state;
	assert_int_equal(at("12:00"), MIDNIGHT + 12 * HOUR);
	assert_int_equal(at("12:34:56"), MIDNIGHT + 12 * HOUR + 34 * MIN + 56 * SEC);
	assert_int_equal(at("9:05"), MIDNIGHT + 9 * HOUR + 5 * MIN);
	assert_int_equal(at("00:00"), MIDNIGHT);
	assert_int_equal(at("23:59:59"), MIDNIGHT + DAY - SEC);
	assert_int_equal(at(" 12:00 "), MIDNIGHT + 12 * HOUR);
}

/* Later than now is still today, as atop and below read it: a range stays in one day. */
static void test_clock_later_than_now(void **state)
{
	int64_t begin, end;

	(void)state;
	assert_int_equal(at("23:00"), MIDNIGHT + 23 * HOUR);
	assert_true(at("23:00") > NOW);
	assert_int_equal(at("12:34:57"), NOW - 789000000 + SEC);
	begin = at("09:00");
	end = at("17:00");
	assert_true(begin < NOW && NOW < end);
	assert_int_equal(end - begin, 8 * HOUR);
}

static void test_dates(void **state)
{
	(void)state;
	assert_int_equal(at("2026-03-15"), MIDNIGHT);
	assert_int_equal(at("2026-03-14 12:00"), MIDNIGHT - 12 * HOUR);
	assert_int_equal(at("2026-03-14 12:00:01"), MIDNIGHT - 12 * HOUR + SEC);
	assert_int_equal(at("2026-03-14T12:00"), MIDNIGHT - 12 * HOUR);
	assert_int_equal(at("2026-03-14t12:00:01"), MIDNIGHT - 12 * HOUR + SEC);
	assert_int_equal(at("2026-03-14   12:00"), MIDNIGHT - 12 * HOUR);
	assert_int_equal(at("1970-01-01"), 0);
	assert_int_equal(at("1969-12-31 23:59:59"), -SEC);
	assert_int_equal(at("2028-02-29"), 1835395200 * SEC);	/* a leap year */
	assert_int_equal(at("2000-02-29"), 951782400 * SEC);	/* divisible by 400 */
	assert_int_equal(at("2026-01-01"), 1767225600 * SEC);
	assert_int_equal(at("2026-12-31 23:59:59"), 1798761599 * SEC);
	/* The ends of int64 ns. */
	assert_int_equal(at("2262-04-11 23:47:16"), 9223372036 * SEC);
	assert_int_equal(at("1677-09-21 00:12:44"), -9223372036 * SEC);
}

static void test_relative(void **state)
{
	(void)state;
	assert_int_equal(at("-1h"), NOW - HOUR);
	assert_int_equal(at("-30m"), NOW - 30 * MIN);
	assert_int_equal(at("-90s"), NOW - 90 * SEC);
	assert_int_equal(at("-2d"), NOW - 2 * DAY);
	assert_int_equal(at("-1h30m"), NOW - 90 * MIN);
	assert_int_equal(at("-1d2h3m4s5ms"), NOW - DAY - 2 * HOUR - 3 * MIN - 4 * SEC - 5000000);
	assert_int_equal(at("-1.5h"), NOW - 90 * MIN);
	assert_int_equal(at("-500ms"), NOW - 500000000);
	assert_int_equal(at("-0s"), NOW);
	assert_int_equal(at(" -1h "), NOW - HOUR);
}

static void test_unix_seconds(void **state)
{
	(void)state;
	assert_int_equal(at("@0"), 0);
	assert_int_equal(at("@1773578096"), 1773578096 * SEC);
	assert_int_equal(at("@1773578096.5"), 1773578096 * SEC + 500000000);
	assert_int_equal(at("@9223372036.854775807"), INT64_MAX);
}

static void test_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"", " ", "\t\n",
		/* out of range */
		"24:00", "25:00", "12:60", "12:00:60", "99:99",
		"2026-02-29", "2026-02-30", "2026-04-31", "2026-13-01", "2026-00-10",
		"2026-01-00", "2026-01-32", "2026-03-15 24:00", "yesterday 25:00",
		/* malformed times */
		"12", "12:", "12:5", "123:00", "12:000", "12:00:", "12:00:5", "12:00:00:00",
		"12-00", "12.00", "12:00pm", ":30", "1230",
		/* malformed dates */
		"2026", "2026-03", "2026-3-15", "2026-03-5", "26-03-15", "2026/03/15",
		"2026-03-15T", "2026-03-15 T12:00", "2026-03-15T 12:00", "2026-03-15TT12:00",
		"2026-03-15 12:00 x", "2026-03-15x", "2026-03-155", "12:00 2026-03-15",
		/* keywords */
		"nowx", "now 12:00", "today12:00", "yesterdays", "tomorrow", "today yesterday",
		"yesterday 12", "last week", "noon",
		/* relative */
		"-", "- 1h", "-1", "-90", "-1.5", "-h", "-1x", "-1min", "-1H", "-1h30",
		"-30m1h", "-1m1m", "-1h-1m", "+1h", "1h", "--1h", "-1.h", "-.5h", "-1h 30m",
		/* Unix seconds */
		"@", "@-5", "@+5", "@5x", "@ 5", "@5.", "@.5", "@0x10", "@1e9",
		/* others */
		"x", "12:00\x01", "\xc2\xa0" "12:00",
	};

	(void)state;
	parse_fails(bad, N(bad), -EINVAL);
}

static void test_parse_range(void **state)
{
	static const char *const big[] = {
		"@9223372036.854775808", "@99999999999", "@99999999999999999999999",
		"2262-04-11 23:47:17", "1677-09-21 00:12:43", "9999-12-31", "0000-01-01",
		"-106752d", "-18446744073709551616s", "-213504d", "-9999999999999999999999h",
	};
	static const char *const bad_first[] = {
		/* a syntax error is told before an overflow */
		"@99999999999999999999999x", "-99999999999999999999999h1", "-99999999999999999999x",
	};
	int64_t t;

	(void)state;
	parse_fails(big, N(big), -ERANGE);
	parse_fails(bad_first, N(bad_first), -EINVAL);
	/* Relative to a now at the very start of int64 ns. */
	assert_int_equal(when_parse("-1s", INT64_MIN + SEC - 1, &t), -ERANGE);
	assert_int_equal(when_parse("-1s", INT64_MIN + SEC, &t), 0);
	assert_int_equal(t, INT64_MIN);
}

/* Today is the local day at now, which may not be the UTC one. */
static void test_local_day(void **state)
{
	const int64_t now = MIDNIGHT + 2 * HOUR;	/* 2026-03-14 22:00 in New York, EDT */
	int64_t t;

	(void)state;
	if (access("/usr/share/zoneinfo/America/New_York", R_OK)) {
		print_message("skipped: no America/New_York (tzdata)\n");
		skip();
	}
	tz("America/New_York");
	assert_int_equal(when_parse("today", now, &t), 0);
	assert_int_equal(t, MIDNIGHT - DAY + 4 * HOUR);
	assert_int_equal(when_parse("23:00", now, &t), 0);
	assert_int_equal(t, MIDNIGHT + 3 * HOUR);
	assert_int_equal(when_parse("2026-03-15", now, &t), 0);
	assert_int_equal(t, MIDNIGHT + 4 * HOUR);
}

/* Half a second before 1970 is on 1969-12-31: now is rounded down, not towards zero. */
static void test_before_1970(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(when_parse("today", -SEC / 2, &t), 0);
	assert_int_equal(t, -DAY);
	assert_int_equal(when_parse("yesterday", -SEC / 2, &t), 0);
	assert_int_equal(t, -2 * DAY);
}

/*
 * Europe/Berlin changes on 2026-03-29 at 02:00 CET to 03:00 CEST and on 2026-10-25 at 03:00
 * CEST back to 02:00 CET. Needs tzdata: skipped, saying so, without it.
 */
static void test_dst(void **state)
{
	int64_t t, i;

	(void)state;
	if (access(BERLIN, R_OK)) {
		print_message("skipped: no %s (tzdata)\n", BERLIN);
		skip();
	}
	tz("Europe/Berlin");
	/* Ordinary: CET is UTC+1, CEST UTC+2. */
	assert_int_equal(at("2026-01-15 12:00"), 1768474800 * SEC);
	assert_int_equal(at("2026-07-01 12:00"), 1782900000 * SEC);
	/*
	 * Each answer twice, after a summer and after a winter time: glibc's mktime() answers the
	 * ambiguous one from its previous call; ours must not.
	 */
	for (i = 0; i < 2; i++) {
		at(i ? "2026-01-15 12:00" : "2026-07-01 12:00");
		/* 02:30 does not exist on 2026-03-29: read in CET, 01:30 UTC (03:30 CEST). */
		assert_int_equal(at("2026-03-29 02:30"), 1774747800 * SEC);
		/* 02:30 happens twice on 2026-10-25: the first, in CEST, 00:30 UTC. */
		assert_int_equal(at("2026-10-25 02:30"), 1792888200 * SEC);
		/* Either side of the changes. */
		assert_int_equal(at("2026-03-29 01:59:59"), 1774745999 * SEC);
		assert_int_equal(at("2026-03-29 03:00"), 1774746000 * SEC);
		assert_int_equal(at("2026-10-25 01:59:59"), 1792886399 * SEC);
		assert_int_equal(at("2026-10-25 03:00"), 1792893600 * SEC);
	}
	/* The midnight of a 23-hour day and the day after it: calendar days, not 24 hours. */
	assert_int_equal(at("2026-03-29"), 1774738800 * SEC);	/* 2026-03-28 23:00 UTC */
	/* At 2026-03-30 00:30 CEST (2026-03-29 22:30 UTC). */
	t = 0;
	assert_int_equal(when_parse("yesterday", 1774823400 * SEC, &t), 0);
	assert_int_equal(t, 1774738800 * SEC);
	assert_int_equal(when_parse("yesterday 12:00", 1774823400 * SEC, &t), 0);
	assert_int_equal(t, 1774778400 * SEC);	/* 10:00 UTC: CEST */
	assert_int_equal(when_parse("today", 1774823400 * SEC, &t), 0);
	assert_int_equal(t, 1774821600 * SEC);	/* 2026-03-29 22:00 UTC */
	/* A bare time on the day itself, now being 12:00 CEST. */
	assert_int_equal(when_parse("01:00", 1774778400 * SEC, &t), 0);
	assert_int_equal(t, 1774742400 * SEC);	/* 00:00 UTC: still CET */
	assert_int_equal(when_parse("04:00", 1774778400 * SEC, &t), 0);
	assert_int_equal(t, 1774749600 * SEC);	/* 02:00 UTC: CEST */
}

static void test_duration(void **state)
{
	(void)state;
	assert_int_equal(dur("10s"), 10 * SEC);
	assert_int_equal(dur("1m"), MIN);
	assert_int_equal(dur("24h"), DAY);
	assert_int_equal(dur("7d"), 7 * DAY);
	assert_int_equal(dur("1h30m"), 90 * MIN);
	assert_int_equal(dur("500ms"), 500000000);
	assert_int_equal(dur("1d2h3m4s5ms"), DAY + 2 * HOUR + 3 * MIN + 4 * SEC + 5000000);
	assert_int_equal(dur("1m30s"), 90 * SEC);
	assert_int_equal(dur("10"), 10 * SEC);
	assert_int_equal(dur("0.5"), SEC / 2);
	assert_int_equal(dur("1.5h"), 90 * MIN);
	assert_int_equal(dur("0.25d"), 6 * HOUR);
	assert_int_equal(dur("1.5ms"), 1500000);
	assert_int_equal(dur("1.000000001"), SEC + 1);
	assert_int_equal(dur("1.0000000019"), SEC + 1);	/* rounded down */
	assert_int_equal(dur("0.0000000001"), 0);
	assert_int_equal(dur("0.333333333333333333333333d"), DAY / 3 - 1);
	assert_int_equal(dur("007s"), 7 * SEC);
	assert_int_equal(dur("0"), 0);
	assert_int_equal(dur("0s"), 0);
	assert_int_equal(dur(" \t5m\n"), 5 * MIN);
	/* The largest. */
	assert_int_equal(dur("18446744073.709551615"), UINT64_MAX);
	assert_int_equal(dur("213503d23h34m33s709ms"), 18446744073709000000ull);
}

static void test_duration_rejects(void **state)
{
	static const char *const bad[] = {
		"", " ", "s", "ms", "h1", "-1s", "+1s", "1 s", "1h 30m", "1h30", "30m1h", "1m1m",
		"1s500", "1ms1s", "1x", "1min", "1sec", "1S", "1H", "1M", "1D", "1us", "1ns", "1w",
		"1.", ".5", "1..5", "1.5.5", "1,5", "1e3", "0x10", "1_000", "1h-30m",
		"12:00", "\xc2\xb5s",
		"99999999999999999999999x", "1h99999999999999999999999",	/* syntax first */
	};
	static const char *const big[] = {
		"18446744073.709551616", "18446744074", "213504d", "99999999999999999999999s",
		"99999999999999999999999", "213503d23h34m34s", "213503d23h34m33s710ms",
		"5124095577h", "184467440737095516160ms",
	};

	(void)state;
	duration_fails(bad, N(bad), -EINVAL);
	duration_fails(big, N(big), -ERANGE);
}

static void test_size(void **state)
{
	(void)state;
	assert_int_equal(size("1000"), 1000);
	assert_int_equal(size("0"), 0);
	assert_int_equal(size("1000B"), 1000);
	assert_int_equal(size("1000b"), 1000);
	assert_int_equal(size("10K"), 10240);
	assert_int_equal(size("10k"), 10240);
	assert_int_equal(size("10KB"), 10240);
	assert_int_equal(size("10KiB"), 10240);
	assert_int_equal(size("10kib"), 10240);
	assert_int_equal(size("512M"), 512ull << 20);
	assert_int_equal(size("512MiB"), 512ull << 20);
	assert_int_equal(size("2G"), 2ull << 30);
	assert_int_equal(size("2GB"), 2ull << 30);
	assert_int_equal(size("1T"), 1ull << 40);
	assert_int_equal(size("1tb"), 1ull << 40);
	assert_int_equal(size("1P"), 1ull << 50);
	assert_int_equal(size("1E"), 1ull << 60);
	assert_int_equal(size("1.5G"), 3ull << 29);
	assert_int_equal(size("0.5K"), 512);
	assert_int_equal(size("1.0001K"), 1024);	/* rounded down */
	assert_int_equal(size(" 10M\n"), 10ull << 20);
	/* The largest. */
	assert_int_equal(size("18446744073709551615"), UINT64_MAX);
	assert_int_equal(size("15E"), 15ull << 60);
	assert_int_equal(size("17179869183G"), 17179869183ull << 30);
	/* 18 fraction digits: 2^60 - 2^60 / 10^18, rounded down, short of 16E. */
	assert_int_equal(size("15.999999999999999999E"), UINT64_MAX - 1);
}

static void test_size_rejects(void **state)
{
	static const char *const bad[] = {
		"", " ", "K", "B", "-1", "+1", "1.5", "1.5B", "1.", ".5K", "10X", "10KK", "10 K",
		"10Ki", "10iB", "10KBB", "10KiBs", "10Bytes", "1,5G", "1e3", "0x10", "1_0",
		"99999999999999999999999X",	/* syntax first */
	};
	static const char *const big[] = {
		"18446744073709551616", "16E", "17179869184G", "16384P", "99999999999999999999999",
		"99999999999999999999999K", "16.000000000000000001E",
	};
	(void)state;
	size_fails(bad, N(bad), -EINVAL);
	size_fails(big, N(big), -ERANGE);
}

static void test_format(void **state)
{
	char buf[WHEN_FORMAT_LEN];

	(void)state;
	assert_int_equal(when_format(buf, sizeof(buf), NOW, true), 19);
	assert_string_equal(buf, "2026-03-15 12:34:56");
	assert_int_equal(when_format(buf, sizeof(buf), NOW, false), 8);
	assert_string_equal(buf, "12:34:56");
	when_format(buf, sizeof(buf), 0, true);
	assert_string_equal(buf, "1970-01-01 00:00:00");
	when_format(buf, sizeof(buf), -1, true);	/* rounded down */
	assert_string_equal(buf, "1969-12-31 23:59:59");
	when_format(buf, sizeof(buf), INT64_MAX, true);
	assert_string_equal(buf, "2262-04-11 23:47:16");
	when_format(buf, sizeof(buf), INT64_MIN, true);
	assert_string_equal(buf, "1677-09-21 00:12:43");
	/* Cut to fit, as snprintf() does. */
	assert_int_equal(when_format(buf, 11, NOW, true), 10);
	assert_string_equal(buf, "2026-03-15");
	assert_int_equal(when_format(buf, 1, NOW, true), 0);
	assert_string_equal(buf, "");
	assert_int_equal(when_format(NULL, 0, NOW, true), 0);
	/* What it prints, when_parse() reads back. */
	when_format(buf, sizeof(buf), NOW, true);
	assert_int_equal(at(buf), NOW - 789000000);
}

static void test_format_local(void **state)
{
	char buf[WHEN_FORMAT_LEN];

	(void)state;
	if (access(BERLIN, R_OK)) {
		print_message("skipped: no %s (tzdata)\n", BERLIN);
		skip();
	}
	tz("Europe/Berlin");
	when_format(buf, sizeof(buf), NOW, true);
	assert_string_equal(buf, "2026-03-15 13:34:56");	/* CET */
	when_format(buf, sizeof(buf), 1782900000 * SEC, false);
	assert_string_equal(buf, "12:00:00");			/* CEST */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_keywords, utc),
		cmocka_unit_test_setup(test_clock, utc),
		cmocka_unit_test_setup(test_clock_later_than_now, utc),
		cmocka_unit_test_setup(test_dates, utc),
		cmocka_unit_test_setup(test_relative, utc),
		cmocka_unit_test_setup(test_unix_seconds, utc),
		cmocka_unit_test_setup(test_parse_rejects, utc),
		cmocka_unit_test_setup(test_parse_range, utc),
		cmocka_unit_test_setup(test_local_day, utc),
		cmocka_unit_test_setup(test_before_1970, utc),
		cmocka_unit_test_setup(test_dst, utc),
		cmocka_unit_test_setup(test_duration, utc),
		cmocka_unit_test_setup(test_duration_rejects, utc),
		cmocka_unit_test_setup(test_size, utc),
		cmocka_unit_test_setup(test_size_rejects, utc),
		cmocka_unit_test_setup(test_format, utc),
		cmocka_unit_test_setup(test_format_local, utc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
