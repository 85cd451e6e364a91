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

#endif /* CPUTOP_TEXT_H */
