// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/text.h"

/* Length of the valid UTF-8 sequence at @s (of at most @n bytes) that is no control, or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp, min;
	size_t len, i;

	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
		min = 0x10000;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
		min = 0x80;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates, beyond U+10FFFF and the C1 controls are out. */
	if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || cp <= 0x9f)
		return 0;
	return len;
}

size_t text_sanitize(char *dst, size_t size, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, o = 0, len;

	if (!size)
		return 0;
	while (i < n && s[i] && o + 1 < size) {
		if (s[i] >= 0x20 && s[i] < 0x7f) {
			dst[o++] = s[i++];
			continue;
		}
		len = s[i] >= 0x80 ? utf8_len(s + i, n - i) : 0;
		if (!len || o + len >= size) {
			dst[o++] = '?';
			i += len ? len : 1;
			continue;
		}
		while (len--)
			dst[o++] = s[i++];
	}
	dst[o] = '\0';
	return o;
}

void text_time(char *buf, size_t size, uint64_t ns, int width)
{
	uint64_t cs = ns / 10000000, s = cs / 100, m = s / 60, h = m / 60;
	char d[20];
	int n = 0, i;

	/* The usual form without printf, for it is in every row: minutes:seconds.hundredths. */
	do
		d[n++] = '0' + m % 10;
	while ((m /= 10));
	if (n + 6 <= width && (size_t)n + 7 <= size) {
		for (i = 0; i < n; i++)
			buf[i] = d[n - 1 - i];
		buf[n] = ':';
		buf[n + 1] = '0' + s % 60 / 10;
		buf[n + 2] = '0' + s % 10;
		buf[n + 3] = '.';
		buf[n + 4] = '0' + cs % 100 / 10;
		buf[n + 5] = '0' + cs % 10;
		buf[n + 6] = '\0';
		return;
	}
	m = s / 60;
	if (snprintf(buf, size, "%llu:%02llu.%02llu", (unsigned long long)m,
		     (unsigned long long)(s % 60), (unsigned long long)(cs % 100)) <= width)
		return;
	if (snprintf(buf, size, "%llu:%02llu", (unsigned long long)m,
		     (unsigned long long)(s % 60)) <= width)
		return;
	if (snprintf(buf, size, "%llu,%02llu", (unsigned long long)h,
		     (unsigned long long)(m % 60)) <= width)
		return;
	snprintf(buf, size, "%llud+%lluh", (unsigned long long)(h / 24),
		 (unsigned long long)(h % 24));
}

void text_meter(int width, const double *pct, int n, int *cells)
{
	double sum = 0;
	int i, done = 0, upto;

	for (i = 0; i < n; i++) {
		sum += pct[i] > 0 ? pct[i] : 0;
		upto = (int)(sum / 100.0 * width + 0.5);
		if (upto > width)
			upto = width;
		cells[i] = upto > done ? upto - done : 0;
		done += cells[i];
	}
}

int text_signal(const char *s, int *sig)
{
	const char *name;
	char *end;
	long v;
	int i;

	if (*s >= '0' && *s <= '9') {
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno || *end || v < 1 || v > SIGRTMAX)
			return -EINVAL;
		*sig = v;
		return 0;
	}
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (i = 1; i < SIGRTMIN; i++) {
		name = sigabbrev_np(i);
		if (name && !strcasecmp(s, name)) {
			*sig = i;
			return 0;
		}
	}
	return -EINVAL;
}

size_t text_fit(const char *s, size_t cols)
{
	size_t i = 0;

	/* A character is its lead byte and the continuation bytes (10xxxxxx) after it. */
	while (s[i] && cols) {
		i++;
		while ((s[i] & 0xc0) == 0x80)
			i++;
		cols--;
	}
	return i;
}

size_t text_cols(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += (*s & 0xc0) != 0x80;
	return n;
}

void text_rate(char *buf, size_t size, double v, int width)
{
	static const char *const units[] = { "", "k", "M", "G", "T" };
	size_t u = 0;

	if (v < 9.95) {
		snprintf(buf, size, "%.1f", v);
		return;
	}
	while (snprintf(buf, size, "%.0f%s", v, units[u]) > width &&
	       u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1000;
		u++;
	}
}
