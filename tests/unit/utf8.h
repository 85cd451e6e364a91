/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the tests that check output for well-formed UTF-8 (test_columns.c, test_output.c,
 * test_hostile.c): include after <stddef.h>.
 */
#ifndef CPUTOP_TEST_UTF8_H
#define CPUTOP_TEST_UTF8_H

/*
 * Where @s stops being well-formed UTF-8 (RFC 3629): the offset of a byte no sequence may
 * start with (a continuation byte, the overlong leads 0xc0 and 0xc1, 0xf5 and above), of one
 * that cuts a sequence short, or of the NUL inside one; -1 when all of it is.
 */
static inline ptrdiff_t utf8_bad(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int more = 0;

	for (; *p; p++) {
		if (more) {
			if ((*p & 0xc0) != 0x80)
				return p - (const unsigned char *)s;
			more--;
		} else if (*p >= 0xf5 || (*p >= 0x80 && *p < 0xc2)) {
			return p - (const unsigned char *)s;
		} else if (*p >= 0xf0) {
			more = 3;
		} else if (*p >= 0xe0) {
			more = 2;
		} else if (*p >= 0xc0) {
			more = 1;
		}
	}
	return more ? p - (const unsigned char *)s : -1;
}

#endif /* CPUTOP_TEST_UTF8_H */
