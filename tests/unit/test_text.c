// SPDX-License-Identifier: GPL-2.0
/*
 * text_sanitize() keeps terminal control out of process names; text_time() formats TIME+;
 * text_meter() splits a bar into cells; text_signal() names signals; text_fit() cuts text.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/text.h"

#define SEC 1000000000ull
#define MS 1000000ull

/* Sanitise a NUL-terminated @src into a roomy buffer; check the length returned. */
static const char *san(const char *src)
{
	static char out[256];
	size_t n = text_sanitize(out, sizeof(out), src, strlen(src));

	assert_int_equal(n, strlen(out));
	return out;
}

/* No C0 control and no DEL. */
static void assert_no_controls(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fail_msg("control byte 0x%02x in \"%s\"", *p, s);
	}
}

/* @s is @pre, then one or more '?', then @post: every byte between was replaced. */
static void assert_replaced(const char *s, const char *pre, const char *post)
{
	size_t lp = strlen(pre), ls = strlen(s), lq = strlen(post), i;

	if (ls < lp + 1 + lq || strncmp(s, pre, lp) || strcmp(s + ls - lq, post))
		fail_msg("\"%s\" is not \"%s?...%s\"", s, pre, post);
	for (i = lp; i < ls - lq; i++) {
		if (s[i] != '?')
			fail_msg("byte 0x%02x kept at %zu in \"%s\"", (unsigned char)s[i], i, s);
	}
}

static void test_plain(void **state)
{
	(void)state;
	assert_string_equal(san("bash"), "bash");
	assert_string_equal(san("kworker/0:1-events (x)"), "kworker/0:1-events (x)");
	assert_string_equal(san(""), "");
}

static void test_escape_sequences(void **state)
{
	(void)state;
	assert_string_equal(san("\x1b[31mred\x1b[0m"), "?[31mred?[0m");
	assert_string_equal(san("\x1b]0;title\x07"), "?]0;title?");
	assert_no_controls(san("\x1b[2J\x1b[H"));
}

static void test_c0_and_del(void **state)
{
	(void)state;
	assert_string_equal(san("a\nb\tc\rd\x7f" "e\x01" "f\x1f"), "a?b?c?d?e?f?");
}

/* CSI as one byte (0x9b) and as the UTF-8 encoding of U+009B: both act as ESC [. */
static void test_c1_controls(void **state)
{
	(void)state;
	assert_replaced(san("a\x9b" "31m"), "a", "31m");
	assert_replaced(san("a\xc2\x9b" "31m"), "a", "31m");
	assert_replaced(san("a\xc2\x85" "b"), "a", "b");	/* U+0085 NEL */
	assert_replaced(san("a\xc2\x80" "b"), "a", "b");	/* U+0080, the first C1 */
	assert_replaced(san("a\xc2\x9f" "b"), "a", "b");	/* U+009F, the last */
	/* U+00A0 is the first code point after them: text. */
	assert_string_equal(san("a\xc2\xa0" "b"), "a\xc2\xa0" "b");
}

static void test_utf8_kept(void **state)
{
	static const char *const ok[] = {
		"h\xc3\xa9llo",			/* é */
		"\xe2\x82\xac 5",		/* € */
		"\xe4\xb8\xad\xe6\x96\x87",	/* 中文 */
		"\xf0\x9f\x98\x80",		/* 😀 */
		"\xf4\x8f\xbf\xbf",		/* U+10FFFF */
		"\xef\xbf\xbd",			/* U+FFFD */
		"\xdf\xbf\xe0\xa0\x80",		/* U+07FF, U+0800: the 2/3-byte edges */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_string_equal(san(ok[i]), ok[i]);
}

static void test_utf8_invalid(void **state)
{
	static const char *const bad[] = {
		"\x80",			/* a lone continuation byte */
		"\xbf\xbf",
		"\xc0\xaf",		/* overlong '/' */
		"\xc1\xbf",		/* overlong, 2 bytes */
		"\xe0\x80\xaf",		/* overlong, 3 bytes */
		"\xe0\x9f\xbf",		/* overlong U+07FF */
		"\xf0\x80\x80\xaf",	/* overlong, 4 bytes */
		"\xf0\x8f\xbf\xbf",	/* overlong U+FFFF */
		"\xed\xa0\x80",		/* UTF-16 surrogate U+D800 */
		"\xed\xbf\xbf",		/* U+DFFF */
		"\xf4\x90\x80\x80",	/* U+110000 */
		"\xf0\x9f\x98",		/* a 4-byte sequence cut short (before 'b') */
	};
	char in[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(in, sizeof(in), "a%sb", bad[i]);
		assert_replaced(san(in), "a", "b");
	}
	/* A lead byte without its continuation: the ASCII after it is text. */
	assert_string_equal(san("a\xc3(b"), "a?(b");
	assert_string_equal(san("a\xe2(\xa1"), "a?(?");
}

/* Bytes 0xf5..0xff never occur in UTF-8 (RFC 3629), whatever follows them. */
static void test_utf8_invalid_lead(void **state)
{
	static const char *const bad[] = {
		"\xf5\x80\x80\x80",
		"\xf7\xbf\xbf\xbf",
		"\xf8\x88\x80\x80\x80",
		"\xfc\x84\x80\x80\x80\x80",
		"\xfe",
		"\xff\x80\x80",
		"\xff\xbf\xbf",
	};
	char in[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(in, sizeof(in), "a%sb", bad[i]);
		assert_replaced(san(in), "a", "b");
	}
}

/* A sequence cut by the end of the input (@n), not by a NUL. */
static void test_utf8_truncated(void **state)
{
	char out[32];
	size_t n;

	(void)state;
	n = text_sanitize(out, sizeof(out), "ab\xe2\x82", 4);
	assert_int_equal(n, strlen(out));
	assert_replaced(out, "ab", "");
	/* The whole euro sign is there, but only 2 of its bytes are ours to read. */
	text_sanitize(out, sizeof(out), "x\xe2\x82\xac", 3);
	assert_replaced(out, "x", "");
	text_sanitize(out, sizeof(out), "x\xf0\x9f\x98\x80", 4);
	assert_replaced(out, "x", "");
}

static void test_small_output(void **state)
{
	char out[8];
	size_t n;

	(void)state;
	assert_int_equal(text_sanitize(out, 4, "abcdef", 6), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(text_sanitize(out, 1, "abcdef", 6), 0);
	assert_string_equal(out, "");

	/* A character that does not fit whole is not split: no partial sequence is left. */
	memset(out, 'Z', sizeof(out));
	n = text_sanitize(out, 4, "ab\xe2\x82\xac", 5);
	assert_int_equal(n, strlen(out));
	assert_true(strlen(out) <= 3);
	assert_int_equal(strncmp(out, "ab", 2), 0);
	assert_int_equal(strspn(out + 2, "?"), strlen(out + 2));
	memset(out, 'Z', sizeof(out));
	n = text_sanitize(out, 3, "\xc3\xa9\xc3\xa9", 4);
	assert_int_equal(n, strlen(out));
	assert_true(!strcmp(out, "\xc3\xa9") || strspn(out, "?") == strlen(out));

	/* No room at all: nothing is written. */
	out[0] = 'Z';
	assert_int_equal(text_sanitize(out, 0, "abc", 3), 0);
	assert_int_equal(out[0], 'Z');
}

/* comm fields are fixed arrays: no NUL within @n means stop at @n. */
static void test_no_nul(void **state)
{
	const char src[8] = { 'a', 'b', 'c', 'd', 'X', 'Y', 'Z', 'W' };
	char out[16];

	(void)state;
	assert_int_equal(text_sanitize(out, sizeof(out), src, 4), 4);
	assert_string_equal(out, "abcd");
	/* A NUL before @n ends the input. */
	assert_int_equal(text_sanitize(out, sizeof(out), "ab\0cd", 5), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(text_sanitize(out, sizeof(out), "abc", 0), 0);
	assert_string_equal(out, "");
}

/* ---- text_time ---- */

static const char *tm(uint64_t ns, int width)
{
	static char buf[32];

	text_time(buf, sizeof(buf), ns, width);
	return buf;
}

static void test_time_full(void **state)
{
	(void)state;
	assert_string_equal(tm(0, 9), "0:00.00");
	assert_string_equal(tm(62 * SEC + 350 * MS, 9), "1:02.35");
	assert_string_equal(tm(9 * MS, 9), "0:00.00");		/* under a hundredth */
	assert_string_equal(tm(59 * SEC + 999 * MS, 9), "0:59.99");	/* cut, not rounded */
	assert_string_equal(tm(3723 * SEC + 450 * MS, 9), "62:03.45");
	assert_string_equal(tm(6000 * SEC, 9), "100:00.00");	/* exactly 9 columns */
}

static void test_time_fallbacks(void **state)
{
	(void)state;
	/* 100 minutes in 8 columns: minutes:seconds. */
	assert_string_equal(tm(6000 * SEC + 120 * MS, 8), "100:00");
	/* 1000 min 30 s: "1000:30.00" is 10 columns. */
	assert_string_equal(tm(60030 * SEC, 9), "1000:30");
	assert_string_equal(tm(60030 * SEC, 10), "1000:30.00");
	/* The same in 6 columns: hours,minutes (16 h 40 min). */
	assert_string_equal(tm(60030 * SEC, 6), "16,40");
	/* 100 days 5 hours 7 minutes: 2405,07 is 7 columns; 6 leave days+hours. */
	assert_string_equal(tm((100 * 86400 + 5 * 3600 + 7 * 60) * SEC, 7), "2405,07");
	assert_string_equal(tm((100 * 86400 + 5 * 3600 + 7 * 60) * SEC, 6), "100d+5h");
}

/* A buffer too small for the text still ends in NUL. */
static void test_time_small_buffer(void **state)
{
	char buf[5];

	(void)state;
	memset(buf, 'Z', sizeof(buf));
	text_time(buf, sizeof(buf), 62 * SEC + 350 * MS, 9);
	assert_non_null(memchr(buf, '\0', sizeof(buf)));
	assert_int_equal(strncmp(buf, "1:02", 4), 0);
}

/* ---- text_meter ---- */

/* The cells of @n segments in a bar of @width are @want. */
static void expect_meter(int width, const double *pct, int n, const int *want)
{
	int cells[16], i;

	assert_true(n <= 16);
	for (i = 0; i < n; i++)
		cells[i] = -99;
	text_meter(width, pct, n, cells);
	for (i = 0; i < n; i++) {
		if (cells[i] != want[i])
			fail_msg("width %d: segment %d has %d cells, want %d", width, i, cells[i],
				 want[i]);
	}
}

static void test_meter_exact(void **state)
{
	(void)state;
	expect_meter(8, (const double[]){ 25, 25, 50 }, 3, (const int[]){ 2, 2, 4 });
	expect_meter(10, (const double[]){ 10, 0, 30 }, 3, (const int[]){ 1, 0, 3 });
	expect_meter(100, (const double[]){ 100 }, 1, (const int[]){ 100 });
	expect_meter(40, (const double[]){ 0, 0 }, 2, (const int[]){ 0, 0 });
}

/* Small shares add up: 3 x 0.4% of 100 cells is one cell in all, not zero or three. */
static void test_meter_small_shares(void **state)
{
	(void)state;
	expect_meter(100, (const double[]){ 0.4, 0.4, 0.4 }, 3, (const int[]){ 0, 1, 0 });
	/* 10 x 0.3% of 60 cells: 1.8 cells, 2 in all, where the running sum passes 0.5 and 1.5. */
	expect_meter(60, (const double[]){ 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3 },
		     10, (const int[]){ 0, 0, 1, 0, 0, 0, 0, 0, 1, 0 });
}

/* A negative share (a counter that went backwards) takes no cells and gives none back. */
static void test_meter_negative(void **state)
{
	(void)state;
	expect_meter(10, (const double[]){ -50, 30 }, 2, (const int[]){ 0, 3 });
	expect_meter(10, (const double[]){ 30, -50, 20 }, 3, (const int[]){ 3, 0, 2 });
	expect_meter(10, (const double[]){ -1e300 }, 1, (const int[]){ 0 });
}

/* Over 100% in all (rounding, or a bad sample): the bar fills and stops. */
static void test_meter_overflow(void **state)
{
	(void)state;
	expect_meter(10, (const double[]){ 70, 70 }, 2, (const int[]){ 7, 3 });
	expect_meter(10, (const double[]){ 70, 70, 5 }, 3, (const int[]){ 7, 3, 0 });
	expect_meter(20, (const double[]){ 150 }, 1, (const int[]){ 20 });
	expect_meter(0, (const double[]){ 50, 50 }, 2, (const int[]){ 0, 0 });
}

static uint32_t lcg(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

/*
 * Random bars: no segment negative, the total never over the width, and equal to the sum of
 * the positive shares rounded to the nearest cell.
 */
static void test_meter_random(void **state)
{
	uint32_t seed = 7;
	double pct[8], total, exact;
	int cells[8], width, n, i, k, sum, want;

	(void)state;
	for (k = 0; k < 20000; k++) {
		width = lcg(&seed) % 130;
		n = 1 + lcg(&seed) % 8;
		for (i = 0, total = 0; i < n; i++) {
			/* Hundredths of a percent, up to 40%, one in five negative. */
			pct[i] = (lcg(&seed) % 4001) / 100.0;
			if (lcg(&seed) % 5 == 0)
				pct[i] = -pct[i];
			if (pct[i] > 0)
				total += pct[i];
		}
		text_meter(width, pct, n, cells);
		for (i = 0, sum = 0; i < n; i++) {
			if (cells[i] < 0 || (pct[i] <= 0 && cells[i]))
				fail_msg("case %d: segment %d of %g%% has %d cells", k, i, pct[i],
					 cells[i]);
			sum += cells[i];
		}
		exact = total * width / 100;
		want = exact + 0.5 < width ? (int)(exact + 0.5) : width;
		/* Equal, but for a total within float noise of a half cell. */
		if (sum != want && fabs(exact - (int)exact - 0.5) > 1e-6)
			fail_msg("case %d: %d cells in all of %d, want %d (%g%%)", k, sum, width,
				 want, total);
	}
}

/* ---- text_signal ---- */

static void expect_signal(const char *s, int want)
{
	int sig = -1;

	if (text_signal(s, &sig))
		fail_msg("\"%s\" refused, want signal %d", s, want);
	assert_int_equal(sig, want);
}

static void test_signal_good(void **state)
{
	(void)state;
	expect_signal("9", SIGKILL);
	expect_signal("15", SIGTERM);
	expect_signal("1", SIGHUP);
	expect_signal("KILL", SIGKILL);
	expect_signal("kill", SIGKILL);
	expect_signal("Kill", SIGKILL);
	expect_signal("SIGTERM", SIGTERM);
	expect_signal("sigterm", SIGTERM);
	expect_signal("SigStop", SIGSTOP);
	expect_signal("CONT", SIGCONT);
	expect_signal("usr1", SIGUSR1);
	expect_signal("SIGINT", SIGINT);
	expect_signal("HUP", SIGHUP);
	/* Real-time signals by number. */
	expect_signal("34", 34);
}

static void test_signal_bad(void **state)
{
	static const char *const bad[] = {
		"0", "SIGFOO", "FOO", "99999", "", "SIG", "-9", "9x", " 9", "9 ", "KILL ",
		"SIGSIGKILL", "99999999999999999999", "+9", "0x9", "1.5",
	};
	char past[16];
	size_t i;
	int sig;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sig = 12345;
		if (!text_signal(bad[i], &sig))
			fail_msg("\"%s\" taken as signal %d", bad[i], sig);
		assert_int_equal(text_signal(bad[i], &sig), -EINVAL);
		assert_int_equal(sig, 12345);
	}
	/* One past the last real-time signal. */
	snprintf(past, sizeof(past), "%d", SIGRTMAX + 1);
	assert_int_equal(text_signal(past, &sig), -EINVAL);
}

/* ---- text_fit ---- */

static void test_fit_ascii(void **state)
{
	(void)state;
	assert_int_equal(text_fit("hello", 3), 3);
	assert_int_equal(text_fit("hello", 5), 5);
	assert_int_equal(text_fit("hello", 80), 5);
	assert_int_equal(text_fit("hello", 0), 0);
	assert_int_equal(text_fit("", 10), 0);
	assert_int_equal(text_fit("", 0), 0);
}

static void test_fit_utf8(void **state)
{
	/* h, e acute (2 bytes), euro (3), an emoji (4), z */
	static const char s[] = "h\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z";

	(void)state;
	/* One column per character, whatever its length in bytes. */
	assert_int_equal(text_fit(s, 1), 1);
	assert_int_equal(text_fit(s, 2), 3);
	assert_int_equal(text_fit(s, 3), 6);
	assert_int_equal(text_fit(s, 4), 10);
	assert_int_equal(text_fit(s, 5), 11);
	assert_int_equal(text_fit(s, 6), 11);
	assert_int_equal(text_fit("\xe4\xb8\xad\xe6\x96\x87", 1), 3);	/* 中文 */
}

/* Whatever the width, the cut is between characters and keeps as many as fit. */
static void test_fit_never_splits(void **state)
{
	static const char s[] = "a\xc3\xa9\xc3\xa9" "b\xe2\x82\xac\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
				"\xe4\xb8\xad" "c";
	size_t cols, n, chars, i;

	(void)state;
	for (cols = 0; cols < 16; cols++) {
		n = text_fit(s, cols);
		assert_true(n <= strlen(s));
		if (s[n] && ((unsigned char)s[n] & 0xc0) == 0x80)
			fail_msg("%zu columns: cut at byte %zu, inside a character", cols, n);
		for (i = 0, chars = 0; i < n; i++)
			chars += ((unsigned char)s[i] & 0xc0) != 0x80;
		assert_int_equal(chars, cols < 9 ? cols : 9);	/* s has 9 characters */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_escape_sequences),
		cmocka_unit_test(test_c0_and_del),
		cmocka_unit_test(test_c1_controls),
		cmocka_unit_test(test_utf8_kept),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_utf8_invalid_lead),
		cmocka_unit_test(test_utf8_truncated),
		cmocka_unit_test(test_small_output),
		cmocka_unit_test(test_no_nul),
		cmocka_unit_test(test_time_full),
		cmocka_unit_test(test_time_fallbacks),
		cmocka_unit_test(test_time_small_buffer),
		cmocka_unit_test(test_meter_exact),
		cmocka_unit_test(test_meter_small_shares),
		cmocka_unit_test(test_meter_negative),
		cmocka_unit_test(test_meter_overflow),
		cmocka_unit_test(test_meter_random),
		cmocka_unit_test(test_signal_good),
		cmocka_unit_test(test_signal_bad),
		cmocka_unit_test(test_fit_ascii),
		cmocka_unit_test(test_fit_utf8),
		cmocka_unit_test(test_fit_never_splits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
