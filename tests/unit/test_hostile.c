// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile user names: a passwd entry (LDAP, NSS, a planted /etc/passwd line) may hold escape
 * sequences, newlines, invalid UTF-8 and more bytes than the cache keeps. This program
 * defines getpwuid_r() itself, so users_name() (src/lib/users.c) resolves the uids below to such
 * names; every way a user name is printed (the USER cell of the text table and the TUI, the
 * batch text, CSV and JSON, the exit log) must show it as safe text.
 */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <cmocka.h>

#include "model/fields.h"
#include "sink/exitlog.h"
#include "model/model.h"
#include "lib/text.h"
#include "lib/users.h"
#include "cli.h"
#include "sink/batch.h"
#include "utf8.h"

#define SEC 1000000000ull

#define UID_ESC		1001	/* ESC sequences, a newline, BEL */
#define UID_BYTES	1002	/* invalid UTF-8, DEL, a raw and an encoded C1 control */
#define UID_MAX		1003	/* 32 bytes, useradd's limit: kept whole */
#define UID_CUT		1004	/* 31 bytes, then a 2-byte character the cache cannot hold */
#define UID_HUGE	1005	/* 300 bytes of escapes */
#define UID_UTF8	1006	/* ten 2-byte characters: valid, kept */
#define UID_NONE	1007	/* no passwd entry */

static char huge[301];
static int lookups;

static const char *name_of(uid_t uid)
{
	switch (uid) {
	case UID_ESC:
		return "\x1b[2J\x1b]0;pwn\x07\nroot";
	case UID_BYTES:
		return "\xff\xfe" "a\x7f\x9b" "b\xc2\x9b" "c\xc3";
	case UID_MAX:
		return "abcdefghijklmnopqrstuvwxyz012345";
	case UID_CUT:
		return "abcdefghijklmnopqrstuvwxyz01234\xc3\xa9";
	case UID_HUGE:
		return huge;
	case UID_UTF8:
		return "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4";
	default:
		return NULL;
	}
}

/* Replaces glibc's for this program: the executable's definition is the one bound. */
int getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t size, struct passwd **res)
{
	const char *name = name_of(uid);

	lookups++;
	*res = NULL;
	if (!name)
		return 0;
	if (strlen(name) + 1 > size)
		return ERANGE;
	memset(pw, 0, sizeof(*pw));
	strcpy(buf, name);
	pw->pw_name = buf;
	pw->pw_uid = uid;
	*res = pw;
	return 0;
}

/* No C0 control (newline only where @nl allows), no DEL, no C1, and whole UTF-8. */
static void assert_safe(const char *what, const char *s, bool nl)
{
	const unsigned char *p = (const unsigned char *)s;
	ptrdiff_t bad = utf8_bad(s);

	if (bad >= 0)
		fail_msg("%s: not UTF-8 from byte %td (0x%02x)", what, bad, p[bad]);
	for (; *p; p++) {
		if ((*p < 0x20 && !(nl && *p == '\n')) || *p == 0x7f)
			fail_msg("%s: control byte 0x%02x at %zu", what, *p,
				 (size_t)(p - (const unsigned char *)s));
		if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			fail_msg("%s: C1 control at %zu", what, (size_t)(p - (const unsigned char *)s));
	}
}

static int setup(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i + 3 <= sizeof(huge) - 1; i += 3)
		memcpy(huge + i, "\x1b[A", 3);
	huge[i] = '\0';
	return 0;
}

static void test_users_name_sanitised(void **state)
{
	struct users u = {};

	(void)state;
	assert_string_equal(users_name(UID_ESC, &u), "?[2J?]0;pwn??root");
	/*
	 * ff fe: not UTF-8; 7f: DEL; 9b: a raw C1 CSI; c2 9b: the same, encoded (each byte a
	 * '?'); c3: cut short.
	 */
	assert_string_equal(users_name(UID_BYTES, &u), "??a??b??c?");
	assert_string_equal(users_name(UID_UTF8, &u),
			    "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"
			    "\xc3\xa4\xc3\xa4");
	assert_string_equal(users_name(UID_NONE, &u), "1007");
	users_free(&u);
}

/* Names are looked up once: the cached, sanitised copy is what every later row prints. */
static void test_users_name_cached(void **state)
{
	struct users u = {};
	const char *a;

	(void)state;
	lookups = 0;
	a = users_name(UID_ESC, &u);
	assert_ptr_equal(users_name(UID_ESC, &u), a);
	assert_int_equal(lookups, 1);
	assert_string_equal(a, "?[2J?]0;pwn??root");
	users_free(&u);
}

static void test_users_name_lengths(void **state)
{
	struct users u = {};
	const char *n;

	(void)state;
	assert_string_equal(users_name(UID_MAX, &u), "abcdefghijklmnopqrstuvwxyz012345");
	/* The character that does not fit whole is one '?', not half a character. */
	assert_string_equal(users_name(UID_CUT, &u), "abcdefghijklmnopqrstuvwxyz01234?");
	/* Longer than any buffer: cut to the cache's 32 bytes, made safe. */
	n = users_name(UID_HUGE, &u);
	assert_int_equal(strlen(n), 32);
	assert_safe("a 300-byte name", n, false);
	assert_int_equal(strspn(n, "?[A"), 32);
	users_free(&u);
}

/* The USER cell of the text table and the TUI: 8 columns, cut with '+', safe. */
static void test_user_cells(void **state)
{
	static const uint32_t uids[] = { UID_ESC, UID_BYTES, UID_MAX, UID_CUT, UID_HUGE,
					 UID_UTF8, UID_NONE };
	struct users u = {};
	const struct field_ctx c = { .user_name = users_name, .user_ctx = &u };
	struct row r = {};
	char buf[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(uids) / sizeof(uids[0]); i++) {
		r.uid = uids[i];
		field_cell(buf, sizeof(buf), FIELD_USER, &r, &c);
		assert_safe("USER cell", buf, false);
		assert_int_equal(text_cols(buf), 8);
	}
	r.uid = UID_ESC;
	field_cell(buf, sizeof(buf), FIELD_USER, &r, &c);
	assert_string_equal(buf, "?[2J?]0+");
	r.uid = UID_BYTES;
	field_cell(buf, sizeof(buf), FIELD_USER, &r, &c);
	assert_string_equal(buf, "??a??b?+");
	users_free(&u);
}

/* Rows owned by each hostile uid, in a snapshot that is otherwise empty. */
static struct row rows[7];

static void fill(struct snapshot *s, struct model *m)
{
	static const uint32_t uids[] = { UID_ESC, UID_BYTES, UID_MAX, UID_CUT, UID_HUGE,
					 UID_UTF8, UID_NONE };
	size_t i;

	memset(s, 0, sizeof(*s));
	memset(m, 0, sizeof(*m));
	memset(rows, 0, sizeof(rows));
	s->hz = 100;
	s->ts_ns = 13 * SEC;
	s->wall_ns = 1700000000ll * 1000000000;
	s->uptime_s = 100;
	for (i = 0; i < sizeof(uids) / sizeof(uids[0]); i++) {
		rows[i] = (struct row){ .pid = 100 + i, .tgid = 100 + i, .ppid = 1,
			.uid = uids[i], .nr_threads = 1, .state = 'S', .comm = "w",
			.start_ns = SEC, .time_ns = SEC };
	}
	m->rows = rows;
	m->nr_rows = i;
	m->sum.interval_ns = SEC;
}

static const struct settings *opts(const char *format)
{
	static struct cli o;
	char *argv[] = { "cputop", "-b", "--format", (char *)format, NULL };

	optind = 0;
	if (cli_parse(&o, 4, argv))
		fail_msg("options refused: %s", o.err);
	return &o.set;
}

/* The batch output of every format, as one string. */
static char *print(const char *format)
{
	struct users u = {};
	struct snapshot s;
	struct model m;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int err;

	assert_non_null(f);
	fill(&s, &m);
	if (!strcmp(format, "json"))
		err = json_print(f, &s, &m, opts(format), &u);
	else if (!strcmp(format, "csv"))
		err = csv_print(f, &s, &m, opts(format), &u, true);
	else
		err = batch_print(f, &s, &m, opts(format), &u);
	assert_int_equal(err, 0);
	fclose(f);
	users_free(&u);
	return out;
}

static void test_batch_formats(void **state)
{
	static const char *const formats[] = { "text", "csv", "json" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		char *out = print(formats[i]);

		assert_safe(formats[i], out, true);
		/* The sanitised name is there, not dropped with its row. */
		assert_non_null(strstr(out, i ? "?[2J?]0;pwn??root" : "?[2J?]0+"));
		free(out);
	}
}

static void test_exit_log(void **state)
{
	struct proc_exit e = { .pid = 4242, .ppid = 1, .comm = "make", .start_ns = SEC,
			       .exit_ns = 2 * SEC, .cpu_ns = SEC / 2 };
	static const uint32_t uids[] = { UID_ESC, UID_BYTES, UID_HUGE, UID_UTF8 };
	struct users u = {};
	char line[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(uids) / sizeof(uids[0]); i++) {
		exitlog_line(line, sizeof(line), &e, users_name(uids[i], &u), NULL, 0);
		assert_safe("exit log line", line, true);
		assert_ptr_equal(strchr(line, '\n'), line + strlen(line) - 1);
	}
	users_free(&u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_users_name_sanitised),
		cmocka_unit_test(test_users_name_cached),
		cmocka_unit_test(test_users_name_lengths),
		cmocka_unit_test(test_user_cells),
		cmocka_unit_test(test_batch_formats),
		cmocka_unit_test(test_exit_log),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
