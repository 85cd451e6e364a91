// SPDX-License-Identifier: GPL-2.0
/*
 * text_sanitize() keeps terminal control out of process names; text_time() formats TIME+.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"

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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
