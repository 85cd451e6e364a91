/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scanning the kernel's text tables (/proc/interrupts, /proc/net/dev, /proc/diskstats, ...):
 * columns of decimal counters separated by blanks.
 */
#ifndef CPUTOP_SCAN_H
#define CPUTOP_SCAN_H

#include <stdint.h>

/* Past spaces and tabs, not newlines. */
const char *scan_blanks(const char *p);
/*
 * A decimal number that ends at a blank or at the end of its line, into @v; returns the end.
 * A number the buffer cuts short (a read that stopped mid-line) ends at the NUL instead, and
 * must not be taken for the counter: NULL, as for anything that is not a number or does not
 * fit 64 bits.
 */
const char *scan_dec(const char *p, uint64_t *v);

#endif /* CPUTOP_SCAN_H */
