// SPDX-License-Identifier: GPL-2.0
/*
 * The command line: every flag in short and long form, the defaults, and an error in o->err
 * (never an exit) for every bad value.
 */
#include <arpa/inet.h>
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

#include "cli.h"
#include "lib/addr.h"
#include "lib/users.h"
#include "model/fields.h"
#include "settings.h"

/* An argv after the program name, NULL-terminated. */
#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static int parse(struct cli *o, const char *const *args)
{
	static char *argv[128];
	int argc = 0;

	argv[argc++] = "cputop";
	while (*args) {
		assert_true(argc < 127);
		argv[argc++] = (char *)*args++;	/* getopt_long permutes pointers, not text */
	}
	argv[argc] = NULL;
	/* Scribble first: the parser must fill every field, not rely on a zeroed struct. */
	memset(o, 0x5a, sizeof(*o));
	return cli_parse(o, argc, argv);
}

/* glibc keeps a cluster position between calls; optind = 0 makes it start over. */
static int getopt_reset(void **state)
{
	char *argv[] = { "reset", NULL };

	(void)state;
	optind = 0;
	opterr = 0;
	while (getopt(1, argv, "") != -1)
		;
	return 0;
}

/* The parse fails with -EINVAL and o->err names every one of @needles. */
static void expect_error(const char *const *args, const char *needle1, const char *needle2)
{
	struct cli o;

	assert_int_equal(parse(&o, args), -EINVAL);
	assert_true(strlen(o.err) > 0);
	if (needle1 && !strstr(o.err, needle1))
		fail_msg("error \"%s\" does not mention \"%s\"", o.err, needle1);
	if (needle2 && !strstr(o.err, needle2))
		fail_msg("error \"%s\" does not mention \"%s\"", o.err, needle2);
}

static void test_defaults(void **state)
{
	const char *const none[] = { NULL };
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, none), 0);
	assert_int_equal(o.action, CLI_RUN);
	assert_false(o.batch);
	assert_int_equal(o.iterations, 0);	/* until interrupted */
	assert_float_equal(o.set.delay_s, 1.0, 0);
	assert_int_equal(o.nr_pids, 0);
	assert_false(o.set.uid_set);
	assert_int_equal(o.set.sort, FIELD_CPU);
	assert_true(o.set.descending);
	assert_false(o.set.threads);
	assert_int_equal(o.top_n, 0);
	assert_false(o.src.no_bpf);
	assert_string_equal(o.src.proc_root, "/proc");
	assert_string_equal(o.err, "");
}

static void test_short_flags(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("-b", "-n", "3", "-d", "0.5", "-p", "12,34", "-u", "0",
					"-o", "PID", "-H")), 0);
	assert_int_equal(o.action, CLI_RUN);
	assert_true(o.batch);
	assert_int_equal(o.iterations, 3);
	assert_float_equal(o.set.delay_s, 0.5, 0);
	assert_int_equal(o.nr_pids, 2);
	assert_int_equal(o.pids[0], 12);
	assert_int_equal(o.pids[1], 34);
	assert_true(o.set.uid_set);
	assert_int_equal(o.set.uid, 0);
	assert_int_equal(o.set.sort, FIELD_PID);
	assert_false(o.set.descending);
	assert_true(o.set.threads);
	assert_false(o.src.no_bpf);
	assert_string_equal(o.err, "");
}

static void test_long_flags(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("--batch", "--iterations=7", "--delay", "0.25",
					"--pid=9", "--user=4000000", "--sort=TIME+", "--threads",
					"--top", "4", "--no-bpf")), 0);
	assert_true(o.batch);
	assert_int_equal(o.iterations, 7);
	assert_float_equal(o.set.delay_s, 0.25, 0);
	assert_int_equal(o.nr_pids, 1);
	assert_int_equal(o.pids[0], 9);
	assert_true(o.set.uid_set);
	assert_int_equal(o.set.uid, 4000000);
	assert_int_equal(o.set.sort, FIELD_TIME);
	assert_true(o.set.descending);
	assert_true(o.set.threads);
	assert_int_equal(o.top_n, 4);
	assert_true(o.src.no_bpf);
	assert_string_equal(o.src.proc_root, "/proc");
}

/* Values glued to short options, as getopt allows. */
static void test_attached_values(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("-bHn2", "-d3", "-p5", "-ocommand")), 0);
	assert_true(o.batch);
	assert_true(o.set.threads);
	assert_int_equal(o.iterations, 2);
	assert_float_equal(o.set.delay_s, 3.0, 0);
	assert_int_equal(o.pids[0], 5);
	assert_int_equal(o.set.sort, FIELD_COMMAND);
	assert_false(o.set.descending);
}

static void test_help_version(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("-h")), 0);
	assert_int_equal(o.action, CLI_HELP);
	assert_int_equal(parse(&o, ARGS("-b", "--help")), 0);
	assert_int_equal(o.action, CLI_HELP);
	assert_int_equal(parse(&o, ARGS("-V")), 0);
	assert_int_equal(o.action, CLI_VERSION);
	assert_int_equal(parse(&o, ARGS("--version")), 0);
	assert_int_equal(o.action, CLI_VERSION);
}

static void test_usage(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	cli_usage(f);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(text, "Usage: cputop"));
	assert_non_null(strstr(text, "--proc-root"));
	free(text);
}

static void test_bad_count(void **state)
{
	(void)state;
	expect_error(ARGS("-n", "x"), "-n", "'x'");
	expect_error(ARGS("-n", "0"), "-n", "'0'");
	expect_error(ARGS("-n", "-1"), "-n", "'-1'");
	expect_error(ARGS("-n", "3x"), "-n", "'3x'");
	expect_error(ARGS("-n", ""), "-n", NULL);
	expect_error(ARGS("-n", "99999999999999999999999"), "-n", NULL);
	expect_error(ARGS("--top", "0"), "--top", "'0'");
	expect_error(ARGS("--top", "x"), "--top", "'x'");
}

static void test_bad_delay(void **state)
{
	(void)state;
	expect_error(ARGS("-d", "-1"), "-d", "'-1'");
	expect_error(ARGS("-d", "abc"), "-d", "'abc'");
	expect_error(ARGS("-d", "0"), "-d", "'0'");
	expect_error(ARGS("-d", "0.001"), "-d", "'0.001'");
	expect_error(ARGS("-d", "1s"), "-d", "'1s'");
	expect_error(ARGS("-d", ""), "-d", NULL);
	expect_error(ARGS("-d", "nan"), "-d", "'nan'");
	expect_error(ARGS("-d", "inf"), "-d", "'inf'");
	expect_error(ARGS("-d", "1e9"), "-d", "'1e9'");
}

static void test_delay_range(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("-d", "0.01")), 0);
	assert_float_equal(o.set.delay_s, 0.01, 0);
	assert_int_equal(parse(&o, ARGS("-d", "86400")), 0);
	assert_float_equal(o.set.delay_s, 86400, 0);
	assert_int_equal(parse(&o, ARGS("-d", "2.5")), 0);
	assert_float_equal(o.set.delay_s, 2.5, 0);
}

static void test_pids(void **state)
{
	struct cli o;

	(void)state;
	/* Repeated -p adds up. */
	assert_int_equal(parse(&o, ARGS("-p", "1,2", "-p", "4294967295")), 0);
	assert_int_equal(o.nr_pids, 3);
	assert_int_equal(o.pids[0], 1);
	assert_int_equal(o.pids[1], 2);
	assert_int_equal(o.pids[2], UINT32_MAX);
}

static void test_bad_pids(void **state)
{
	char list[CLI_MAX_PIDS * 4 + 8];
	size_t len = 0;
	int i;

	(void)state;
	expect_error(ARGS("-p", "abc"), "-p", "'abc'");
	expect_error(ARGS("-p", "1,,x"), "-p", "'x'");
	expect_error(ARGS("-p", "0"), "-p", "'0'");
	expect_error(ARGS("-p", "-5"), "-p", "'-5'");
	expect_error(ARGS("-p", "4294967296"), "-p", "'4294967296'");
	expect_error(ARGS("-p", "12 "), "-p", NULL);
	expect_error(ARGS("-p", ","), "-p", NULL);
	expect_error(ARGS("-p", ""), "-p", NULL);

	/* One more PID than the array holds. */
	for (i = 1; i <= CLI_MAX_PIDS + 1; i++)
		len += snprintf(list + len, sizeof(list) - len, "%s%d", i > 1 ? "," : "", i);
	expect_error(ARGS("-p", list), "-p", NULL);
}

static void test_sort(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("-o", "+PID")), 0);
	assert_int_equal(o.set.sort, FIELD_PID);
	assert_true(o.set.descending);
	assert_int_equal(parse(&o, ARGS("-o", "-%CPU")), 0);
	assert_int_equal(o.set.sort, FIELD_CPU);
	assert_false(o.set.descending);
	/* Without a sign, the field's own direction. */
	assert_int_equal(parse(&o, ARGS("-o", "pid")), 0);
	assert_false(o.set.descending);
	assert_int_equal(parse(&o, ARGS("-o", "%sys")), 0);
	assert_int_equal(o.set.sort, FIELD_SYS);
	assert_true(o.set.descending);
	assert_int_equal(parse(&o, ARGS("-o", "+user")), 0);
	assert_int_equal(o.set.sort, FIELD_USER);
	assert_true(o.set.descending);

	expect_error(ARGS("-o", "BOGUS"), "-o", "'BOGUS'");
	expect_error(ARGS("-o", "+"), "-o", NULL);
	expect_error(ARGS("-o", "+-PID"), "-o", NULL);
}

static void test_user(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("-u", "root")), 0);
	assert_true(o.set.uid_set);
	assert_int_equal(o.set.uid, 0);
	assert_int_equal(parse(&o, ARGS("-u", "0")), 0);
	assert_true(o.set.uid_set);
	assert_int_equal(o.set.uid, 0);
	/* A uid without a passwd entry is still a uid. */
	assert_int_equal(parse(&o, ARGS("--user", "4000000")), 0);
	assert_int_equal(o.set.uid, 4000000);

	expect_error(ARGS("-u", "no_such_user_xyz"), "-u", "no_such_user_xyz");
	expect_error(ARGS("-u", "4294967295"), "-u", NULL);	/* (uid_t)-1: no one */
	expect_error(ARGS("-u", "12abc"), "-u", NULL);
}

static void test_proc_root(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("--proc-root", "tests/fixtures/proc-basic")), 0);
	assert_string_equal(o.src.proc_root, "tests/fixtures/proc-basic");
	assert_true(o.src.no_bpf);
	/* A tree's figures are all its own: not this machine's /sys either. */
	assert_null(o.src.sys_root);
	assert_int_equal(parse(&o, ARGS("--proc-root=/tmp")), 0);
	assert_string_equal(o.src.proc_root, "/tmp");
	assert_true(o.src.no_bpf);
	assert_null(o.src.sys_root);
}

/* --record, --replay, --thin and the options that go with each, and only with it. */
static void test_recording(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("--record", "/var/log/cputop", "--retain", "28",
					"--retain-size", "10G", "--format", "none")), 0);
	assert_string_equal(o.record.path, "/var/log/cputop");
	assert_int_equal(o.record.retain_days, 28);
	assert_true(o.record.retain_bytes == 10ull << 30);
	assert_int_equal(o.format, FORMAT_NONE);
	assert_null(o.src.replay);
	assert_true(o.src.begin_ns == INT64_MIN && o.src.end_ns == INT64_MAX);
	assert_int_equal(parse(&o, ARGS("--replay", "r.rec", "--begin", "@1800000000",
					"--end", "@1800000060")), 0);
	assert_string_equal(o.src.replay, "r.rec");
	assert_true(o.src.begin_ns == 1800000000ll * 1000000000);
	assert_true(o.src.end_ns == 1800000060ll * 1000000000);
	assert_null(o.record.path);
	assert_int_equal(parse(&o, ARGS("--thin", "/var/log/cputop", "--keep", "5m",
					"--after", "7d")), 0);
	assert_int_equal(o.action, CLI_THIN);
	assert_true(o.thin_keep_ns == 300ull * 1000000000);
	assert_true(o.thin_after_ns == 7ull * 86400 * 1000000000);
	assert_int_equal(parse(&o, ARGS("--thin", "x.rec")), 0);
	assert_true(o.thin_keep_ns == 60ull * 1000000000);
	assert_true(o.thin_after_ns == 86400ull * 1000000000);
	expect_error(ARGS("--retain", "3"), "--retain", "--record");
	expect_error(ARGS("--record", "d", "--retain", "0"), "--retain", "'0'");
	expect_error(ARGS("--record", "d", "--retain-size", "lots"), "--retain-size", "lots");
	expect_error(ARGS("--begin", "-1h"), "--begin", "--replay");
	expect_error(ARGS("--replay", "r", "--begin", "teatime"), "--begin", "teatime");
	expect_error(ARGS("--replay", "r", "--begin", "@20", "--end", "@10"), "--begin", "after");
	expect_error(ARGS("--replay", "r", "--no-bpf"), "--replay", "source option");
	expect_error(ARGS("--replay", "r", "--proc-root", "/tmp"), "--replay", NULL);
	expect_error(ARGS("--keep", "1m"), "--keep", "--thin");
	expect_error(ARGS("--thin", "x", "--keep", "0"), "--keep", "'0'");
	expect_error(ARGS("--thin", "x", "--record", "y"), "--thin", NULL);
	expect_error(ARGS("--format", "xml"), "'xml'", "none");
}

static void test_unknown_option(void **state)
{
	(void)state;
	expect_error(ARGS("-z"), "-z", NULL);
	expect_error(ARGS("--bogus"), "--bogus", NULL);
	expect_error(ARGS("-b", "--no-such-thing=1"), "--no-such-thing", NULL);
}

static void test_missing_value(void **state)
{
	static const char *const opts[] = {
		"-n", "-d", "-p", "-u", "-o", "--top", "--proc-root", "--delay", "--sort",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		expect_error(ARGS("-b", opts[i]), opts[i], "value");
}

static void test_unexpected_argument(void **state)
{
	(void)state;
	expect_error(ARGS("-b", "stray"), "stray", NULL);
	expect_error(ARGS("stray", "-b"), "stray", NULL);
}

/* An unknown letter inside a cluster: the message must name it, not another argument. */
static void test_unknown_in_cluster(void **state)
{
	(void)state;
	expect_error(ARGS("-zb"), "z", NULL);
	getopt_reset(NULL);
	expect_error(ARGS("-b", "-Hzb"), "z", NULL);
}

/*
 * cli_parse() stops at -h, -V or an error, possibly inside a cluster ("-hb"). The next call
 * must parse its own arguments, not the rest of the old cluster.
 */
static void test_parse_after_stop_in_cluster(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("-hb")), 0);
	assert_int_equal(o.action, CLI_HELP);
	assert_int_equal(parse(&o, ARGS("-V")), 0);
	assert_false(o.batch);
	assert_int_equal(o.action, CLI_VERSION);

	getopt_reset(NULL);
	expect_error(ARGS("-xH"), NULL, NULL);
	assert_int_equal(parse(&o, ARGS("-n", "5")), 0);
	assert_false(o.set.threads);
	assert_int_equal(o.iterations, 5);
}

/* ---- --fields, --filter, --readonly ---- */

static void test_fields_flag(void **state)
{
	struct cli o;
	size_t i;

	(void)state;
	/* Default: top's columns with %USR and %SYS; the scheduler's are asked for. */
	assert_int_equal(parse(&o, ARGS("-b")), 0);
	assert_int_equal(o.set.nr_fields, NR_FIELDS_DEFAULT);
	for (i = 0; i < NR_FIELDS_DEFAULT; i++)
		assert_int_equal(o.set.fields[i], fields_default[i]);
	assert_int_equal(parse(&o, ARGS("--fields", "pid,sysc,VCSW,icsw,wait%,MAXW,iow%,migr")), 0);
	assert_int_equal(o.set.nr_fields, 8);
	assert_int_equal(o.set.fields[1], FIELD_SYSC);
	assert_int_equal(o.set.fields[4], FIELD_WAIT);
	assert_int_equal(o.set.fields[7], FIELD_MIGR);
	assert_int_equal(parse(&o, ARGS("-o", "wait%")), 0);
	assert_int_equal(o.set.sort, FIELD_WAIT);
	assert_true(o.set.descending);
	assert_int_equal(parse(&o, ARGS("--fields", "command,PID,%Cpu")), 0);
	assert_int_equal(o.set.nr_fields, 3);
	assert_int_equal(o.set.fields[0], FIELD_COMMAND);
	assert_int_equal(o.set.fields[1], FIELD_PID);
	assert_int_equal(o.set.fields[2], FIELD_CPU);
	assert_int_equal(parse(&o, ARGS("--fields=TIME+")), 0);
	assert_int_equal(o.set.nr_fields, 1);
	assert_int_equal(o.set.fields[0], FIELD_TIME);

	expect_error(ARGS("--fields", "PID,BOGUS"), "--fields", "BOGUS");
	expect_error(ARGS("--fields", "PID,pid"), "--fields", "pid");
	expect_error(ARGS("--fields", ""), "--fields", NULL);
	expect_error(ARGS("--fields", "PID,,USER"), "--fields", NULL);
	expect_error(ARGS("--fields"), "--fields", "value");
}

static void test_filter_flag(void **state)
{
	char text[SETTINGS_FILTER_LEN + 1];
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("-b")), 0);
	assert_string_equal(o.set.filter, "");
	assert_int_equal(parse(&o, ARGS("--filter", "Web Content")), 0);
	assert_string_equal(o.set.filter, "Web Content");
	assert_int_equal(parse(&o, ARGS("--filter=")), 0);
	assert_string_equal(o.set.filter, "");

	/* 63 bytes fit with the NUL; 64 do not. */
	memset(text, 'f', SETTINGS_FILTER_LEN - 1);
	text[SETTINGS_FILTER_LEN - 1] = '\0';
	assert_int_equal(parse(&o, ARGS("--filter", text)), 0);
	assert_string_equal(o.set.filter, text);
	strcat(text, "g");
	expect_error(ARGS("--filter", text), "--filter", NULL);
	expect_error(ARGS("--filter"), "--filter", "value");
}

static void test_readonly(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("-b")), 0);
	assert_false(o.readonly);
	assert_int_equal(parse(&o, ARGS("--readonly")), 0);
	assert_true(o.readonly);
	expect_error(ARGS("--readonly=yes"), "--readonly", NULL);
}

/* ---- the given mask ---- */

#define BIT(set) (1u << (set))

static void expect_given(const char *const *args, unsigned int want)
{
	struct cli o;

	assert_int_equal(parse(&o, args), 0);
	if (o.given != want)
		fail_msg("%s...: given 0x%x, want 0x%x", args[0], o.given, want);
}

static void test_given(void **state)
{
	(void)state;
	expect_given(ARGS("-b"), 0);
	expect_given(ARGS("-b", "-n", "3", "-p", "1", "--top", "5", "--readonly", "--no-bpf"), 0);
	expect_given(ARGS("-d", "2"), BIT(SET_DELAY));
	expect_given(ARGS("--delay=2"), BIT(SET_DELAY));
	expect_given(ARGS("-o", "PID"), BIT(SET_SORT));
	expect_given(ARGS("-H"), BIT(SET_THREADS));
	expect_given(ARGS("-u", "0"), BIT(SET_USER));
	expect_given(ARGS("--fields", "PID"), BIT(SET_FIELDS));
	expect_given(ARGS("--filter", "x"), BIT(SET_FILTER));
	/* An empty filter on the command line is still a filter given. */
	expect_given(ARGS("--filter", ""), BIT(SET_FILTER));
	expect_given(ARGS("-Hd1", "-o", "-PID", "-u", "root", "--fields=USER", "--filter=a"),
		     BIT(SET_DELAY) | BIT(SET_SORT) | BIT(SET_THREADS) | BIT(SET_USER) |
		     BIT(SET_FIELDS) | BIT(SET_FILTER));
}

/* ---- settings_named, settings_set, settings_write ---- */

static void test_setting_by_name(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("-b")), 0);
	assert_int_equal(setting(&o, "delay", "2.5"), 0);
	assert_float_equal(o.set.delay_s, 2.5, 0);
	assert_int_equal(setting(&o, "sort", "-TIME+"), 0);
	assert_int_equal(o.set.sort, FIELD_TIME);
	assert_false(o.set.descending);
	assert_int_equal(setting(&o, "sort", "%usr"), 0);
	assert_int_equal(o.set.sort, FIELD_USR);
	assert_true(o.set.descending);
	assert_int_equal(setting(&o, "threads", "on"), 0);
	assert_true(o.set.threads);
	assert_int_equal(setting(&o, "threads", "FALSE"), 0);
	assert_false(o.set.threads);
	assert_int_equal(setting(&o, "filter", "nginx"), 0);
	assert_string_equal(o.set.filter, "nginx");
	assert_int_equal(setting(&o, "user", "root"), 0);
	assert_true(o.set.uid_set);
	assert_int_equal(o.set.uid, 0);
	assert_int_equal(setting(&o, "user", ""), 0);
	assert_false(o.set.uid_set);
	assert_int_equal(setting(&o, "fields", "PID,COMMAND"), 0);
	assert_int_equal(o.set.nr_fields, 2);
	assert_int_equal(o.set.fields[1], FIELD_COMMAND);
	assert_int_equal(setting(&o, "meters", "all"), 0);
	assert_true(o.set.cpu_total);
	assert_int_equal(setting(&o, "meters", "each"), 0);
	assert_false(o.set.cpu_total);
	assert_int_equal(setting(&o, "graph", "no"), 0);
	assert_true(o.set.no_graph);
	assert_int_equal(setting(&o, "graph", "1"), 0);
	assert_false(o.set.no_graph);
	/* None of these is a command line flag. */
	assert_int_equal(o.given, 0);
}

static void test_setting_errors(void **state)
{
	static const struct {
		const char *name, *value;
	} bad[] = {
		{ "colour", "red" }, { "Delay", "2" }, { "", "" }, { "batch", "yes" },
		{ "delay", "0" }, { "delay", "soon" }, { "sort", "BOGUS" }, { "threads", "maybe" },
		{ "user", "no_such_user_xyz" }, { "fields", "" }, { "meters", "some" },
		{ "meters", "ALL" }, { "graph", "2" },
	};
	struct cli o, before;
	size_t i;

	(void)state;
	assert_int_equal(parse(&before, ARGS("-b")), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = before;
		if (setting(&o, bad[i].name, bad[i].value) != -EINVAL)
			fail_msg("%s=%s taken", bad[i].name, bad[i].value);
		assert_true(strlen(o.err) > 0);
		/* The message names the setting (or the unknown name) and leaves the rest. */
		if (*bad[i].name && !strstr(o.err, bad[i].name))
			fail_msg("%s=%s: error \"%s\" does not name it", bad[i].name,
				 bad[i].value, o.err);
		memset(o.err, 0, sizeof(o.err));
		assert_memory_equal(&o, &before, sizeof(o));
	}
}

/* A setting the command line gave is left alone, even a bad value for it. */
static void test_setting_given(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("-d", "2", "-H", "--filter", "abc")), 0);
	assert_int_equal(setting(&o, "delay", "5"), 0);
	assert_float_equal(o.set.delay_s, 2.0, 0);
	assert_int_equal(setting(&o, "threads", "no"), 0);
	assert_true(o.set.threads);
	assert_int_equal(setting(&o, "filter", "xyz"), 0);
	assert_string_equal(o.set.filter, "abc");
	/* Not given: applied. */
	assert_int_equal(setting(&o, "meters", "all"), 0);
	assert_true(o.set.cpu_total);
	assert_int_equal(setting(&o, "sort", "PID"), 0);
	assert_int_equal(o.set.sort, FIELD_PID);
	/* An unknown name is an error whatever was given. */
	assert_int_equal(setting(&o, "colour", "red"), -EINVAL);
}

/* settings_set applies whatever the command line said: the TUI's prompts. */
static void test_set_overrides_given(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("-d", "2", "-u", "0", "--filter", "abc", "-o", "PID")), 0);
	assert_int_equal(prompt(&o, SET_DELAY, "0.5"), 0);
	assert_float_equal(o.set.delay_s, 0.5, 0);
	assert_int_equal(prompt(&o, SET_USER, "4000000"), 0);
	assert_int_equal(o.set.uid, 4000000);
	assert_int_equal(prompt(&o, SET_FILTER, "xyz"), 0);
	assert_string_equal(o.set.filter, "xyz");
	assert_int_equal(prompt(&o, SET_SORT, "+COMMAND"), 0);
	assert_int_equal(o.set.sort, FIELD_COMMAND);
	assert_true(o.set.descending);
}

/* A bad value changes nothing: the old value stays, whole. */
static void test_set_all_or_nothing(void **state)
{
	static const struct {
		enum setting set;
		const char *value;
	} bad[] = {
		{ SET_DELAY, "0.001" }, { SET_DELAY, "2x" }, { SET_DELAY, "" },
		{ SET_SORT, "-NOPE" }, { SET_SORT, "" }, { SET_THREADS, "2" },
		{ SET_FILTER, "0123456789012345678901234567890123456789012345678901234567890123" },
		{ SET_USER, "no_such_user_xyz" }, { SET_FIELDS, "USER,COMMAND,BOGUS" },
		{ SET_FIELDS, "USER,COMMAND,user" }, { SET_FIELDS, "USER," },
		{ SET_METERS, "" }, { SET_GRAPH, "maybe" },
	};
	struct cli o, before;
	size_t i;

	(void)state;
	assert_int_equal(parse(&before, ARGS("-d", "3", "-o", "-TIME+", "-H", "--filter", "keep",
					     "-u", "0", "--fields", "PID,%CPU")), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = before;
		if (prompt(&o, bad[i].set, bad[i].value) != -EINVAL)
			fail_msg("%s=\"%s\" taken", setting_names[bad[i].set], bad[i].value);
		assert_true(strlen(o.err) > 0);
		memset(o.err, 0, sizeof(o.err));
		if (memcmp(&o, &before, sizeof(o)))
			fail_msg("%s=\"%s\" refused but changed the options",
				 setting_names[bad[i].set], bad[i].value);
	}
	/* The values themselves, for the two the brief names. */
	o = before;
	prompt(&o, SET_DELAY, "abc");
	assert_float_equal(o.set.delay_s, 3.0, 0);
	prompt(&o, SET_FIELDS, "COMMAND,USER,S,nope");
	assert_int_equal(o.set.nr_fields, 2);
	assert_int_equal(o.set.fields[0], FIELD_PID);
	assert_int_equal(o.set.fields[1], FIELD_CPU);
}

/* settings_write() of @o, each line split at its first '=' into settings_named(). */
static void write_read_back(const struct cli *o, struct cli *back)
{
	char *text = NULL, *line, *save = NULL, *eq;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	unsigned int seen = 0;
	int i;

	assert_non_null(f);
	settings_write(f, &o->set);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(parse(back, ARGS("-b")), 0);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		eq = strchr(line, '=');
		assert_non_null(eq);
		*eq = '\0';
		if (setting(back, line, eq + 1))
			fail_msg("line \"%s=%s\" read back: %s", line, eq + 1, back->err);
		for (i = 0; i < SET_NR; i++)
			seen |= !strcmp(line, setting_names[i]) << i;
	}
	free(text);
	/* Every setting is written. */
	assert_int_equal(seen, (1u << SET_NR) - 1);
}

static void test_settings_write_read_back(void **state)
{
	struct cli o, back;

	(void)state;
	/* The defaults. */
	assert_int_equal(parse(&o, ARGS("-b")), 0);
	write_read_back(&o, &back);
	expect_same_settings(&o, &back);

	/* Every setting changed, and a sort direction against the field's own. */
	assert_int_equal(parse(&o, ARGS("-d", "0.25", "-o", "-%CPU", "-H", "--filter",
					" spaced out ", "-u", "4000000", "--fields",
					"COMMAND,TIME+,S")), 0);
	o.set.cpu_total = true;
	o.set.no_graph = true;
	write_read_back(&o, &back);
	expect_same_settings(&o, &back);
	assert_true(back.set.uid_set);
	assert_int_equal(back.set.uid, 4000000);

	/* Ascending by default, descending on request. */
	assert_int_equal(parse(&o, ARGS("-o", "+USER", "-u", "root", "--fields", "USER")), 0);
	write_read_back(&o, &back);
	expect_same_settings(&o, &back);
}

/* Any delay the grammar takes comes back the same, not rounded to 6 digits. */
static void test_settings_write_delay_exact(void **state)
{
	static const char *const delays[] = { "0.01", "1.5", "86400", "1.234567", "0.3333333",
					      "12345.67" };
	struct cli o, back;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(delays) / sizeof(delays[0]); i++) {
		assert_int_equal(parse(&o, ARGS("-d", delays[i])), 0);
		write_read_back(&o, &back);
		if (o.set.delay_s != back.set.delay_s)
			fail_msg("delay %s written and read back as %.17g", delays[i],
				 back.set.delay_s);
	}
}

/* ---- --group, --tree, --format, --exit-log, --sys-root ---- */

static void test_new_defaults(void **state)
{
	const char *const none[] = { NULL };
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, none), 0);
	assert_int_equal(o.set.group, GROUP_NONE);
	assert_false(o.set.tree);
	assert_int_equal(o.format, FORMAT_TEXT);
	assert_null(o.exit_log);
	assert_string_equal(o.src.sys_root, "/sys");
}

static void test_group_flag(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("--group", "comm")), 0);
	assert_int_equal(o.set.group, GROUP_COMM);
	assert_int_equal(o.given, BIT(SET_GROUP));
	assert_int_equal(parse(&o, ARGS("--group=user", "-b")), 0);
	assert_int_equal(o.set.group, GROUP_USER);
	/* The last one wins. */
	assert_int_equal(parse(&o, ARGS("--group", "user", "--group", "comm")), 0);
	assert_int_equal(o.set.group, GROUP_COMM);
	/* "none" is the rc file's way back, not a flag's. */
	expect_error(ARGS("--group", "none"), "--group", "'none'");
	expect_error(ARGS("--group", "pid"), "--group", "'pid'");
	expect_error(ARGS("--group", "Comm"), "--group", "'Comm'");
	expect_error(ARGS("--group", "comm,user"), "--group", NULL);
	expect_error(ARGS("--group", ""), "--group", NULL);
	expect_error(ARGS("--group"), "--group", "value");
	/* By cgroup, unit, container; folding deeper cgroups, 0 for none. */
	assert_int_equal(parse(&o, ARGS("--group", "cgroup", "--cgroup-depth", "2")), 0);
	assert_int_equal(o.set.group, GROUP_CGROUP);
	assert_int_equal(o.set.cgroup_depth, 2);
	assert_int_equal(o.given, BIT(SET_GROUP) | BIT(SET_CGROUP_DEPTH));
	assert_int_equal(parse(&o, ARGS("--group", "unit")), 0);
	assert_int_equal(o.set.group, GROUP_UNIT);
	assert_int_equal(o.set.cgroup_depth, 0);
	assert_int_equal(parse(&o, ARGS("--group=container", "--cgroup-depth=0")), 0);
	assert_int_equal(o.set.group, GROUP_CONTAINER);
	expect_error(ARGS("--cgroup-depth", "-1"), "--cgroup-depth", "'-1'");
	expect_error(ARGS("--cgroup-depth", "2x"), "--cgroup-depth", "'2x'");
	expect_error(ARGS("--cgroup-depth", "1001"), "--cgroup-depth", "'1001'");
	expect_error(ARGS("--cgroup-depth", ""), "--cgroup-depth", NULL);
	/* A view by cgroup or a cgroup's column is what makes the source read the cgroups. */
	assert_int_equal(parse(&o, ARGS("-b")), 0);
	assert_false(settings_cgroups(&o.set));
	assert_int_equal(parse(&o, ARGS("--group", "comm")), 0);
	assert_false(settings_cgroups(&o.set));
	assert_int_equal(parse(&o, ARGS("--group", "container")), 0);
	assert_true(settings_cgroups(&o.set));
	assert_int_equal(parse(&o, ARGS("--fields", "PID,PSI%,COMMAND")), 0);
	assert_true(settings_cgroups(&o.set));
}

static void test_tree_flag(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("--tree")), 0);
	assert_true(o.set.tree);
	assert_int_equal(o.given, BIT(SET_TREE));
	/* A tree of threads is a tree. */
	assert_int_equal(parse(&o, ARGS("-b", "--tree", "-H")), 0);
	assert_true(o.set.tree);
	assert_true(o.set.threads);
	expect_error(ARGS("--tree=yes"), "--tree", NULL);
	/* One order at a time, whichever comes first. */
	expect_error(ARGS("--tree", "--group", "comm"), "--tree", "--group");
	expect_error(ARGS("--group", "user", "-b", "--tree"), "--tree", "--group");
	/* But cgroups are a tree. */
	assert_int_equal(parse(&o, ARGS("--group", "cgroup", "--tree")), 0);
	assert_true(o.set.tree);
	assert_int_equal(o.set.group, GROUP_CGROUP);
	expect_error(ARGS("--tree", "--group", "unit"), "--tree", "--group");
}

static void test_format_flag(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("-b", "--format", "json")), 0);
	assert_int_equal(o.format, FORMAT_JSON);
	assert_int_equal(parse(&o, ARGS("--format=csv")), 0);
	assert_int_equal(o.format, FORMAT_CSV);
	assert_int_equal(parse(&o, ARGS("--format", "csv", "--format", "text")), 0);
	assert_int_equal(o.format, FORMAT_TEXT);
	/* Not a setting of the rc file. */
	assert_int_equal(o.given, 0);
	expect_error(ARGS("--format", "xml"), "--format", "'xml'");
	expect_error(ARGS("--format", "JSON"), "--format", "'JSON'");
	expect_error(ARGS("--format", "jsonl"), "--format", "'jsonl'");
	expect_error(ARGS("--format", ""), "--format", NULL);
	expect_error(ARGS("--format"), "--format", "value");
}

static void test_exit_log_flag(void **state)
{
	const char *const args[] = { "--exit-log", "/var/log/exits.lp", NULL };
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, args), 0);
	assert_string_equal(o.exit_log, "/var/log/exits.lp");
	assert_int_equal(o.given, 0);
	assert_int_equal(parse(&o, ARGS("-b", "--exit-log=-")), 0);
	assert_string_equal(o.exit_log, "-");
	/* A name with blanks is a name. */
	assert_int_equal(parse(&o, ARGS("--exit-log", " x y ")), 0);
	assert_string_equal(o.exit_log, " x y ");
	/* On standard output, the log would break JSON or CSV lines; text has room. */
	assert_int_equal(parse(&o, ARGS("--exit-log", "-", "--format", "text")), 0);
	assert_int_equal(parse(&o, ARGS("--format", "json", "--exit-log", "x.lp")), 0);
	assert_string_equal(o.exit_log, "x.lp");
	expect_error(ARGS("--exit-log", "-", "--format", "json"), "--exit-log", "json");
	expect_error(ARGS("--format", "csv", "--exit-log=-"), "--exit-log", "csv");
	expect_error(ARGS("--exit-log", ""), "--exit-log", NULL);
	expect_error(ARGS("--exit-log="), "--exit-log", NULL);
	expect_error(ARGS("--exit-log"), "--exit-log", "value");
}

/* --sys-root moves /sys only: the eBPF source stays (--proc-root implies --no-bpf). */
static void test_sys_root_flag(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("--sys-root", "tests/fixtures/sys")), 0);
	assert_string_equal(o.src.sys_root, "tests/fixtures/sys");
	assert_string_equal(o.src.proc_root, "/proc");
	assert_false(o.src.no_bpf);
	assert_int_equal(parse(&o, ARGS("--sys-root=/tmp/s", "--proc-root", "/tmp/p")), 0);
	assert_string_equal(o.src.sys_root, "/tmp/s");
	assert_string_equal(o.src.proc_root, "/tmp/p");
	expect_error(ARGS("--sys-root"), "--sys-root", "value");
}

/* The eBPF program's modes: the light one without syscall hooks, and where state lives. */
static void test_bpf_mode_flags(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("-b")), 0);
	assert_false(o.src.no_syscalls);
	assert_int_equal(o.src.storage, BPF_STORAGE_AUTO);
	assert_int_equal(parse(&o, ARGS("--no-syscalls", "--bpf-storage", "hash")), 0);
	assert_true(o.src.no_syscalls);
	assert_int_equal(o.src.storage, BPF_STORAGE_HASH);
	assert_false(o.src.no_bpf);
	assert_int_equal(parse(&o, ARGS("--bpf-storage=task")), 0);
	assert_int_equal(o.src.storage, BPF_STORAGE_TASK);
	assert_int_equal(parse(&o, ARGS("--bpf-storage", "hash", "--bpf-storage", "auto")), 0);
	assert_int_equal(o.src.storage, BPF_STORAGE_AUTO);
	assert_int_equal(o.given, 0);
	expect_error(ARGS("--bpf-storage", "array"), "--bpf-storage", "'array'");
	expect_error(ARGS("--bpf-storage", "HASH"), "--bpf-storage", "'HASH'");
	expect_error(ARGS("--bpf-storage"), "--bpf-storage", "value");
	expect_error(ARGS("--no-syscalls=yes"), "--no-syscalls", NULL);
}

static void test_usage_new_flags(void **state)
{
	static const char *const flags[] = { "--group", "cgroup", "--cgroup-depth", "--tree", "--format",
					     "text|json|csv", "--exit-log", "--sys-root",
					     "--no-syscalls", "--bpf-storage", "auto|task|hash" };
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	assert_non_null(f);
	cli_usage(f);
	assert_int_equal(fclose(f), 0);
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (!strstr(text, flags[i]))
			fail_msg("the usage does not mention %s", flags[i]);
	}
	free(text);
}

/* The rc file's group= and tree=: "none" allowed there, every boolean spelling for tree. */
static void test_setting_group_tree(void **state)
{
	static const char *const yes[] = { "yes", "on", "true", "1", "YES", "On" };
	static const char *const no[] = { "no", "off", "false", "0", "NO", "False" };
	struct cli o;
	size_t i;

	(void)state;
	assert_int_equal(parse(&o, ARGS("-b")), 0);
	assert_int_equal(setting(&o, "group", "comm"), 0);
	assert_int_equal(o.set.group, GROUP_COMM);
	assert_int_equal(setting(&o, "group", "user"), 0);
	assert_int_equal(o.set.group, GROUP_USER);
	assert_int_equal(setting(&o, "group", "none"), 0);
	assert_int_equal(o.set.group, GROUP_NONE);
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		o.set.tree = false;
		assert_int_equal(setting(&o, "tree", yes[i]), 0);
		assert_true(o.set.tree);
		assert_int_equal(setting(&o, "tree", no[i]), 0);
		assert_false(o.set.tree);
	}
	assert_int_equal(o.given, 0);
}

static void test_setting_group_tree_errors(void **state)
{
	static const struct {
		const char *name, *value;
	} bad[] = {
		{ "group", "" }, { "group", "Comm" }, { "group", "pid" }, { "group", "comm " },
		{ "tree", "" }, { "tree", "maybe" }, { "tree", "2" }, { "tree", "yes please" },
	};
	struct cli o, before;
	size_t i;

	(void)state;
	assert_int_equal(parse(&before, ARGS("-b", "--group", "user")), 0);
	before.given = 0;	/* as if from the rc file: applied, or refused */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = before;
		if (setting(&o, bad[i].name, bad[i].value) != -EINVAL)
			fail_msg("%s=%s taken", bad[i].name, bad[i].value);
		if (!strstr(o.err, bad[i].name))
			fail_msg("%s=%s: error \"%s\" does not name it", bad[i].name,
				 bad[i].value, o.err);
		memset(o.err, 0, sizeof(o.err));
		if (memcmp(&o, &before, sizeof(o)))
			fail_msg("%s=\"%s\" refused but changed the options", bad[i].name,
				 bad[i].value);
		o = before;
		assert_int_equal(prompt(&o, !strcmp(bad[i].name, "group") ? SET_GROUP :
					  SET_TREE, bad[i].value), -EINVAL);
		memset(o.err, 0, sizeof(o.err));
		assert_memory_equal(&o, &before, sizeof(o));
	}
}

/* A flag wins over the rc file; a TUI prompt (settings_set) over both. */
static void test_setting_group_tree_given(void **state)
{
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("--group", "comm")), 0);
	assert_int_equal(setting(&o, "group", "user"), 0);
	assert_int_equal(o.set.group, GROUP_COMM);
	assert_int_equal(setting(&o, "group", "bogus"), 0);
	assert_int_equal(o.set.group, GROUP_COMM);
	assert_int_equal(prompt(&o, SET_GROUP, "none"), 0);
	assert_int_equal(o.set.group, GROUP_NONE);

	assert_int_equal(parse(&o, ARGS("--tree")), 0);
	assert_int_equal(setting(&o, "tree", "no"), 0);
	assert_true(o.set.tree);
	/* Nor can the rc file add the order the flag excludes, either way round. */
	assert_int_equal(setting(&o, "group", "user"), 0);
	assert_int_equal(o.set.group, GROUP_NONE);
	assert_int_equal(prompt(&o, SET_TREE, "off"), 0);
	assert_false(o.set.tree);
	assert_int_equal(parse(&o, ARGS("--group", "user")), 0);
	assert_int_equal(setting(&o, "tree", "yes"), 0);
	assert_false(o.set.tree);
	/* Neither given: the rc file's word goes. */
	assert_int_equal(parse(&o, ARGS("-H")), 0);
	assert_int_equal(setting(&o, "group", "user"), 0);
	assert_int_equal(o.set.group, GROUP_USER);
	assert_int_equal(setting(&o, "group", "none"), 0);
	assert_int_equal(setting(&o, "tree", "yes"), 0);
	assert_true(o.set.tree);
}

/* group= and tree= are written as the rc file reads them, and read back the same. */
static void test_settings_write_group_tree(void **state)
{
	static const struct {
		enum group_by group;
		bool tree;
		const char *g, *t;
	} cases[] = {
		{ GROUP_NONE, false, "group=none\n", "tree=no\n" },
		{ GROUP_COMM, false, "group=comm\n", "tree=no\n" },
		{ GROUP_USER, false, "group=user\n", "tree=no\n" },
		{ GROUP_NONE, true, "group=none\n", "tree=yes\n" },
	};
	struct cli o, back;
	char *text = NULL;
	size_t len = 0, i;
	FILE *f;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse(&o, ARGS("-b")), 0);
		o.set.group = cases[i].group;
		o.set.tree = cases[i].tree;
		f = open_memstream(&text, &len);
		assert_non_null(f);
		settings_write(f, &o.set);
		assert_int_equal(fclose(f), 0);
		if (!strstr(text, cases[i].g) || !strstr(text, cases[i].t))
			fail_msg("case %zu: no \"%s\" or \"%s\" in:\n%s", i, cases[i].g,
				 cases[i].t, text);
		free(text);
		text = NULL;
		write_read_back(&o, &back);
		expect_same_settings(&o, &back);
		assert_int_equal(back.set.group, cases[i].group);
		assert_int_equal(back.set.tree, cases[i].tree);
	}
}

/* --listen: PORT on loopback, ADDR:PORT, [ADDR6]:PORT, numbers only; the --export-* with it. */
static void test_listen(void **state)
{
	const struct sockaddr_in *in;
	const struct sockaddr_in6 *in6;
	struct cli o;

	(void)state;
	assert_int_equal(parse(&o, ARGS("--listen", "9941")), 0);
	in = (const struct sockaddr_in *)&o.export.addr;
	assert_int_equal(in->sin_family, AF_INET);
	assert_int_equal(ntohs(in->sin_port), 9941);
	assert_int_equal(ntohl(in->sin_addr.s_addr), 0x7f000001);
	assert_true(addr_loopback(&o.export.addr));
	assert_int_equal(o.export.expo.top, 10);
	assert_int_equal(o.export.expo.group, GROUP_CGROUP);
	assert_true(o.export.expo.expire_ns == 600 * 1000000000ull);
	assert_int_equal(o.export.expo.limit, 500);
	assert_int_equal(o.export.streams, 8);

	assert_int_equal(parse(&o, ARGS("--listen", "0.0.0.0:80", "--export-top", "0",
					"--export-group", "unit", "--export-expire", "90s",
					"--export-limit", "7", "--export-streams", "1",
					"--cgroup-depth", "2")), 0);
	assert_false(addr_loopback(&o.export.addr));
	assert_int_equal(o.export.expo.top, 0);
	assert_int_equal(o.export.expo.group, GROUP_UNIT);
	assert_true(o.export.expo.expire_ns == 90 * 1000000000ull);
	assert_int_equal(o.export.expo.limit, 7);
	assert_int_equal(o.export.expo.depth, 2);
	assert_int_equal(o.export.streams, 1);

	assert_int_equal(parse(&o, ARGS("--listen", "[::1]:9100")), 0);
	in6 = (const struct sockaddr_in6 *)&o.export.addr;
	assert_int_equal(in6->sin6_family, AF_INET6);
	assert_int_equal(ntohs(in6->sin6_port), 9100);
	assert_true(addr_loopback(&o.export.addr));
	assert_int_equal(parse(&o, ARGS("--listen", "[::]:9100")), 0);
	assert_false(addr_loopback(&o.export.addr));

	expect_error(ARGS("--listen", "0"), "--listen", "'0'");
	expect_error(ARGS("--listen", "65536"), "--listen", NULL);
	expect_error(ARGS("--listen", "localhost:9100"), "--listen", NULL);
	expect_error(ARGS("--listen", "::1:9100"), "--listen", NULL);
	expect_error(ARGS("--listen", "[::1]"), "--listen", NULL);
	expect_error(ARGS("--listen", "1.2.3.4:"), "--listen", NULL);
	expect_error(ARGS("--listen", "9100", "--export-group", "comm"), "--export-group", NULL);
	expect_error(ARGS("--listen", "9100", "--export-expire", "0"), "--export-expire", NULL);
	expect_error(ARGS("--listen", "9100", "--export-limit", "0"), "--export-limit", NULL);
	expect_error(ARGS("--export-top", "3"), "--listen", NULL);
	expect_error(ARGS("--listen", "9100", "--replay", "x.rec"), "--replay", "--listen");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_defaults, getopt_reset),
		cmocka_unit_test_setup(test_short_flags, getopt_reset),
		cmocka_unit_test_setup(test_long_flags, getopt_reset),
		cmocka_unit_test_setup(test_attached_values, getopt_reset),
		cmocka_unit_test_setup(test_help_version, getopt_reset),
		cmocka_unit_test_setup(test_usage, getopt_reset),
		cmocka_unit_test_setup(test_bad_count, getopt_reset),
		cmocka_unit_test_setup(test_bad_delay, getopt_reset),
		cmocka_unit_test_setup(test_delay_range, getopt_reset),
		cmocka_unit_test_setup(test_pids, getopt_reset),
		cmocka_unit_test_setup(test_bad_pids, getopt_reset),
		cmocka_unit_test_setup(test_sort, getopt_reset),
		cmocka_unit_test_setup(test_user, getopt_reset),
		cmocka_unit_test_setup(test_proc_root, getopt_reset),
		cmocka_unit_test_setup(test_recording, getopt_reset),
		cmocka_unit_test_setup(test_unknown_option, getopt_reset),
		cmocka_unit_test_setup(test_missing_value, getopt_reset),
		cmocka_unit_test_setup(test_unexpected_argument, getopt_reset),
		cmocka_unit_test_setup(test_unknown_in_cluster, getopt_reset),
		cmocka_unit_test_setup(test_parse_after_stop_in_cluster, getopt_reset),
		cmocka_unit_test_setup(test_fields_flag, getopt_reset),
		cmocka_unit_test_setup(test_filter_flag, getopt_reset),
		cmocka_unit_test_setup(test_readonly, getopt_reset),
		cmocka_unit_test_setup(test_given, getopt_reset),
		cmocka_unit_test_setup(test_setting_by_name, getopt_reset),
		cmocka_unit_test_setup(test_setting_errors, getopt_reset),
		cmocka_unit_test_setup(test_setting_given, getopt_reset),
		cmocka_unit_test_setup(test_set_overrides_given, getopt_reset),
		cmocka_unit_test_setup(test_set_all_or_nothing, getopt_reset),
		cmocka_unit_test_setup(test_settings_write_read_back, getopt_reset),
		cmocka_unit_test_setup(test_settings_write_delay_exact, getopt_reset),
		cmocka_unit_test_setup(test_new_defaults, getopt_reset),
		cmocka_unit_test_setup(test_group_flag, getopt_reset),
		cmocka_unit_test_setup(test_tree_flag, getopt_reset),
		cmocka_unit_test_setup(test_format_flag, getopt_reset),
		cmocka_unit_test_setup(test_exit_log_flag, getopt_reset),
		cmocka_unit_test_setup(test_sys_root_flag, getopt_reset),
		cmocka_unit_test_setup(test_bpf_mode_flags, getopt_reset),
		cmocka_unit_test_setup(test_usage_new_flags, getopt_reset),
		cmocka_unit_test_setup(test_setting_group_tree, getopt_reset),
		cmocka_unit_test_setup(test_setting_group_tree_errors, getopt_reset),
		cmocka_unit_test_setup(test_setting_group_tree_given, getopt_reset),
		cmocka_unit_test_setup(test_settings_write_group_tree, getopt_reset),
		cmocka_unit_test_setup(test_listen, getopt_reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
