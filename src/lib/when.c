// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/when.h"

#define NS_PER_SEC 1000000000ll
#define SEC_PER_DAY 86400

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* What is left to parse: [p, end), blanks around it already cut. */
struct cur {
	const char *p;
	const char *end;
};

/* A decimal number: @ip and @frac / 10^@fdig. */
struct dec {
	uint64_t ip;
	uint64_t frac;
	unsigned int fdig;
	bool over;	/* @ip does not fit: -ERANGE, unless the syntax fails after it */
};

/* A local date and time of day, as typed. */
struct civil {
	int y, mon, d, h, min, s;
};

static const struct {
	const char *name;
	uint64_t ns;
} units[] = {	/* the largest first: a duration gives them in this order */
	{ "d", SEC_PER_DAY * NS_PER_SEC },
	{ "h", 3600 * NS_PER_SEC },
	{ "m", 60 * NS_PER_SEC },
	{ "s", NS_PER_SEC },
	{ "ms", 1000000 },
};

static bool blank(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ASCII only: the locale must not change what parses. */
static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool at_end(const struct cur *c)
{
	return c->p == c->end;
}

static struct cur trim(const char *s)
{
	struct cur c = { s, s + strlen(s) };

	while (c.p < c.end && blank(*c.p))
		c.p++;
	while (c.end > c.p && blank(c.end[-1]))
		c.end--;
	return c;
}

/* Consume @word (lower case) in any case. */
static bool eat_word(struct cur *c, const char *word)
{
	const char *p = c->p;

	for (; *word; word++, p++) {
		if (p == c->end || lower(*p) != *word)
			return false;
	}
	c->p = p;
	return true;
}

static bool eat(struct cur *c, char ch)
{
	if (at_end(c) || *c->p != ch)
		return false;
	c->p++;
	return true;
}

/* One blank or more. */
static bool eat_blanks(struct cur *c)
{
	const char *p = c->p;

	while (c->p < c->end && blank(*c->p))
		c->p++;
	return c->p > p;
}

/* @min to @max digits into @v: the fixed-width fields of dates and times. */
static bool field(struct cur *c, int min, int max, int *v)
{
	int n;

	*v = 0;
	for (n = 0; n < max && !at_end(c) && digit(*c->p); n++)
		*v = *v * 10 + (*c->p++ - '0');
	return n >= min;
}

/*
 * Digits, then '.' and digits or not. Fraction digits past the 18th are dropped, so that 10^fdig
 * fits in 64 bits: they weigh under 2 bytes of an exbibyte and under 0.1 ns of a day.
 */
static bool decimal(struct cur *c, struct dec *d)
{
	const char *start = c->p;

	*d = (struct dec){};
	for (; !at_end(c) && digit(*c->p); c->p++) {
		if (__builtin_mul_overflow(d->ip, 10, &d->ip) ||
		    __builtin_add_overflow(d->ip, *c->p - '0', &d->ip))
			d->over = true;
	}
	if (c->p == start)
		return false;
	if (!eat(c, '.'))
		return true;
	for (start = c->p; !at_end(c) && digit(*c->p); c->p++) {
		if (d->fdig < 18) {
			d->frac = d->frac * 10 + (*c->p - '0');
			d->fdig++;
		}
	}
	return c->p > start;
}

/* @d times @mult, rounded down, into @out; false when that exceeds 64 bits. */
static bool scale(const struct dec *d, uint64_t mult, uint64_t *out)
{
	unsigned __int128 v, div = 1;
	unsigned int i;

	for (i = 0; i < d->fdig; i++)
		div *= 10;
	/* (2^64 - 1)^2 + 2^64 < 2^128: no overflow before the check. */
	v = (unsigned __int128)d->ip * mult + (unsigned __int128)d->frac * mult / div;
	if (d->over || v > UINT64_MAX)
		return false;
	*out = v;
	return true;
}

/* The index of the unit spelt [@u, @end) among units[@from...], or -1. */
static int unit(const char *u, const char *end, size_t from)
{
	size_t i;

	for (i = from; i < ARRAY_SIZE(units); i++) {
		if (strlen(units[i].name) == (size_t)(end - u) &&
		    !memcmp(units[i].name, u, end - u))
			return i;
	}
	return -1;
}

/*
 * when_duration() on all of @c; @bare: a lone number, in seconds, is one. The units are looked
 * up from the one after the last, which keeps them in order, each used once. A syntax error
 * wins over an overflow, so that the caller is told what is wrong first.
 */
static int duration(struct cur *c, bool bare, uint64_t *out)
{
	uint64_t sum = 0, v, mult;
	bool over = false;
	size_t next = 0;
	struct dec d;
	const char *u;
	int i;

	if (at_end(c))
		return -EINVAL;
	while (!at_end(c)) {
		if (!decimal(c, &d))
			return -EINVAL;
		for (u = c->p; !at_end(c) && *c->p >= 'a' && *c->p <= 'z'; c->p++)
			;
		if (u == c->p) {
			if (!bare || next || !at_end(c))
				return -EINVAL;
			mult = NS_PER_SEC;
		} else {
			i = unit(u, c->p, next);
			if (i < 0)
				return -EINVAL;
			mult = units[i].ns;
			next = i + 1;
		}
		if (!scale(&d, mult, &v) || __builtin_add_overflow(sum, v, &sum))
			over = true;
	}
	if (over)
		return -ERANGE;
	*out = sum;
	return 0;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int mon)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return days[mon - 1] + (mon == 2 && leap(y));
}

/* Days from 1970-01-01 to @y-@mon-@d in the proleptic Gregorian calendar (H. Hinnant's). */
static int64_t days_from_civil(int64_t y, int mon, int d)
{
	int64_t era, yoe, doy, doe;

	y -= mon <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (mon > 2 ? mon - 3 : mon + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Rounded down, not towards zero: the half second before 1970 is in 1969. */
static int64_t floor_sec(int64_t ns)
{
	return ns / NS_PER_SEC - (ns % NS_PER_SEC < 0);
}

static int local_tm(int64_t unix_s, struct tm *tm)
{
	time_t t = unix_s;

	return localtime_r(&t, tm) ? 0 : -ERANGE;
}

/* The local time's offset from UTC at @unix_s, in seconds. */
static int offset_at(int64_t unix_s, long *off)
{
	struct tm tm;
	int err = local_tm(unix_s, &tm);

	*off = err ? 0 : tm.tm_gmtoff;
	return err;
}

/*
 * The Unix time of local @t. Not mktime() with tm_isdst = -1: glibc answers a time that the
 * clock shows twice with the offset of its previous call. Instead, the offsets in force a day
 * before and a day after (a zone changes at most once in between): the time is read with the
 * one that gives it back; with the larger, the earlier instant, when both do (the clock went
 * back); with the one before when neither does (the clock skipped it).
 */
static int local_to_ns(const struct civil *t, int64_t *out_ns)
{
	int64_t ns, t0 = days_from_civil(t->y, t->mon, t->d) * SEC_PER_DAY +
			 t->h * 3600 + t->min * 60 + t->s;
	long before, after, b, a;
	int err;

	err = offset_at(t0 - SEC_PER_DAY, &before) ?: offset_at(t0 + SEC_PER_DAY, &after) ?:
	      offset_at(t0 - before, &b) ?: offset_at(t0 - after, &a);
	if (err)
		return err;
	t0 -= a == after && (b != before || after > before) ? after : before;
	if (__builtin_mul_overflow(t0, NS_PER_SEC, &ns))
		return -ERANGE;
	*out_ns = ns;
	return 0;
}

/* H:MM or HH:MM, then :SS or not. */
static bool clock_time(struct cur *c, struct civil *t)
{
	t->s = 0;
	if (!field(c, 1, 2, &t->h) || !eat(c, ':') || !field(c, 2, 2, &t->min))
		return false;
	if (eat(c, ':') && !field(c, 2, 2, &t->s))
		return false;
	return t->h < 24 && t->min < 60 && t->s < 60;
}

/* YYYY-MM-DD, a day of the calendar. */
static bool ymd(struct cur *c, struct civil *t)
{
	if (!field(c, 4, 4, &t->y) || !eat(c, '-') || !field(c, 2, 2, &t->mon) ||
	    !eat(c, '-') || !field(c, 2, 2, &t->d))
		return false;
	return t->mon >= 1 && t->mon <= 12 && t->d >= 1 && t->d <= month_days(t->y, t->mon);
}

/* Today's local date at @now_ns into @t; with @back, the day before. */
static int day_of(int64_t now_ns, bool back, struct civil *t)
{
	struct tm tm;
	int err;

	err = local_tm(floor_sec(now_ns), &tm);
	if (err)
		return err;
	t->y = tm.tm_year + 1900;
	t->mon = tm.tm_mon + 1;
	t->d = tm.tm_mday;
	if (back && !--t->d) {
		if (!--t->mon) {
			t->mon = 12;
			t->y--;
		}
		t->d = month_days(t->y, t->mon);
	}
	return 0;
}

/* -DURATION: that long before @now_ns. */
static int relative(struct cur *c, int64_t now_ns, int64_t *out_ns)
{
	uint64_t v;
	int64_t r;
	int err;

	err = duration(c, false, &v);
	if (err)
		return err;
	if (v > INT64_MAX || __builtin_sub_overflow(now_ns, (int64_t)v, &r))
		return -ERANGE;
	*out_ns = r;
	return 0;
}

/* @SECONDS, the '@' eaten. */
static int unix_seconds(struct cur *c, int64_t *out_ns)
{
	struct dec d;
	uint64_t v;

	if (!decimal(c, &d) || !at_end(c))
		return -EINVAL;
	if (!scale(&d, NS_PER_SEC, &v) || v > INT64_MAX)
		return -ERANGE;
	*out_ns = v;
	return 0;
}

int when_parse(const char *s, int64_t now_ns, int64_t *out_ns)
{
	struct cur c = trim(s), save;
	struct civil t = {};
	bool back;
	int err;

	if (eat(&c, '-'))
		return relative(&c, now_ns, out_ns);
	if (eat(&c, '@'))
		return unix_seconds(&c, out_ns);
	if (eat_word(&c, "now")) {
		if (!at_end(&c))
			return -EINVAL;
		*out_ns = now_ns;
		return 0;
	}
	save = c;
	if (ymd(&c, &t)) {
		if (at_end(&c))
			return local_to_ns(&t, out_ns);
		if (!eat_word(&c, "t") && !eat_blanks(&c))
			return -EINVAL;
	} else {
		c = save;
		back = eat_word(&c, "yesterday");
		err = day_of(now_ns, back, &t);
		if (err)
			return err;
		if (back || eat_word(&c, "today")) {
			if (at_end(&c))
				return local_to_ns(&t, out_ns);
			if (!eat_blanks(&c))
				return -EINVAL;
		}
	}
	if (!clock_time(&c, &t) || !at_end(&c))
		return -EINVAL;
	return local_to_ns(&t, out_ns);
}

int when_duration(const char *s, uint64_t *out_ns)
{
	struct cur c = trim(s);

	return duration(&c, true, out_ns);
}

int when_size(const char *s, uint64_t *out_bytes)
{
	static const char mults[] = "kmgtpe";	/* 1024^1 to 1024^6 */
	struct cur c = trim(s);
	const char *m;
	uint64_t mult = 1;
	struct dec d;

	if (!decimal(&c, &d))
		return -EINVAL;
	m = at_end(&c) ? NULL : strchr(mults, lower(*c.p));
	if (m) {
		mult <<= 10 * (m - mults + 1);
		c.p++;
		if (!eat_word(&c, "ib"))
			eat_word(&c, "b");
	} else {
		eat_word(&c, "b");
	}
	if (!at_end(&c) || (!m && d.fdig))
		return -EINVAL;
	return scale(&d, mult, out_bytes) ? 0 : -ERANGE;
}

size_t when_format(char *buf, size_t len, int64_t unix_ns, bool date)
{
	struct tm tm = {};
	int n;

	/* Cannot fail: int64 ns spans 1677 to 2262. */
	local_tm(floor_sec(unix_ns), &tm);
	if (date)
		n = snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900,
			     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	else
		n = snprintf(buf, len, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
	if ((size_t)n < len)
		return n;
	return len ? len - 1 : 0;
}
