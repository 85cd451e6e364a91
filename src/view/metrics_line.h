/* SPDX-License-Identifier: GPL-2.0 */
/* The system metrics as text, one line per kind: the interactive view's system lines. */
#ifndef CPUTOP_VIEW_METRICS_LINE_H
#define CPUTOP_VIEW_METRICS_LINE_H

#include <stddef.h>

#include "model/model.h"

/*
 * One line of ASCII text about kind @k, at most @size - 1 bytes, always NUL-terminated:
 *   "Freq: 2995 MHz avg (2994-2996, cpuinfo)"
 *   "Temp: coretemp/Core 8 61.0 C, +5 more"	(the hottest sensor first)
 *   "Net: eth0 rx 1.2 MB/s 150 p/s tx 3.4 kB/s 80 p/s, 0 err/s 0 drop/s, +1 more"
 *   "Disk: vda r 1.0 MB/s 12 IOPS w 200 kB/s 4 IOPS 0.8 ms"	(the busiest first)
 *   "Paging: in 0 B/s out 40 kB/s, swap in 0 out 0 pages/s, 3 major faults/s"
 *   "Temp: unavailable (no hwmon or thermal zone sensors)"
 * Names are sanitised. @r may be NULL: the kinds that need rates then say "no rate yet".
 */
void metrics_line(char *buf, size_t size, enum metric_kind k, const struct metrics *cur,
		  const struct metrics_rates *r);

/*
 * The system's CPU pressure over the interval (/proc/pressure/cpu), for the header: "some
 * 3.2%, full 0.0%"; the kernel's 10 s averages on the first snapshot, "some 1.2% (10 s
 * average)"; or "unavailable (PSI is off: psi=0 on the kernel command line)".
 */
void pressure_line(char *buf, size_t size, const struct snapshot *s, const struct summary *sum);

#endif /* CPUTOP_VIEW_METRICS_LINE_H */
