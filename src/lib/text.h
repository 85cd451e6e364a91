/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CPUTOP_TEXT_H
#define CPUTOP_TEXT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Copy at most @n bytes of @src (stopping at NUL) into @dst as text safe for a terminal:
 * control bytes (C0, DEL), C1 controls and invalid UTF-8 become '?'; valid UTF-8 is kept.
 * @dst always ends in NUL. Returns the length written.
 */
size_t text_sanitize(char *dst, size_t size, const char *src, size_t n);

/*
 * TIME+ as top prints it in @width columns: minutes:seconds.hundredths, then coarser units
 * (minutes:seconds, hours,minutes, days+hours) when the finer one does not fit.
 */
void text_time(char *buf, size_t size, uint64_t ns, int width);

/*
 * How many of a bar's @width cells each of @n segments fills, segment i being @pct[i] percent
 * of the whole. Rounding the running sum keeps the total exact: 0.4% + 0.4% + 0.4% of 100
 * cells is one cell, not zero or three.
 */
void text_meter(int width, const double *pct, int n, int *cells);
/*
 * A rate in at most @width columns: one decimal under 10, then whole numbers, then k, M, G as
 * the width needs.
 */
void text_rate(char *buf, size_t size, double v, int width);
/* A signal by number (9), name (KILL or kill) or full name (SIGKILL); -EINVAL when none. */
int text_signal(const char *s, int *sig);
/*
 * The longest prefix of UTF-8 @s that takes at most @cols terminal columns, in bytes (every
 * character counted as one column; text_sanitize() output has no control characters).
 */
size_t text_fit(const char *s, size_t cols);
/* Terminal columns of UTF-8 @s, one per character (as text_fit() counts them). */
size_t text_cols(const char *s);

#endif /* CPUTOP_TEXT_H */
