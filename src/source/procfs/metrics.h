/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The system metrics' collectors. Each kind has its own collector that reads its own source
 * through the /proc and /sys directory fds (--proc-root, --sys-root) and fails alone: a source
 * that is missing or malformed marks that kind unavailable, with a reason, and the others go
 * on. The parse_*() functions are pure and work on a NUL-terminated buffer.
 */
#ifndef CPUTOP_PROCFS_METRICS_H
#define CPUTOP_PROCFS_METRICS_H

#include "model/metrics.h"

/*
 * Run every collector: @proc_fd is the /proc root, @sys_fd the /sys root, or -1 when there is
 * none (frequencies then come from /proc/cpuinfo, temperatures are unavailable, and
 * partitions and renamed loopbacks cannot be told apart, so they are kept). Every kind's
 * status is set. Returns 0, or -ENOMEM when a read buffer could not grow (that kind is then
 * unavailable too; the others were still read).
 */
int metrics_read(struct metrics *m, int proc_fd, int sys_fd);

/*
 * The pure parsers: each resets its kind in @m, fills it from @buf and sets its status.
 * Returns 0, or -EINVAL when @buf has nothing usable (the status says why). A line the buffer
 * cuts before its newline is not used.
 */
/*
 * x86's "cpu MHz" of each "processor" block of /proc/cpuinfo; freq.source = "cpuinfo". A
 * figure that does not parse leaves its CPU unknown (0).
 */
int parse_cpuinfo_mhz(const char *buf, struct metrics *m);
/*
 * /proc/net/dev without "lo". @keep, when not NULL, is asked about every other interface and
 * may leave it out too (metrics_read() leaves out ARPHRD_LOOPBACK by its sysfs type). Lines
 * that do not parse are counted in nets_bad; -EINVAL when no line parses.
 */
int parse_net_dev(const char *buf, struct metrics *m, bool (*keep)(const char *name, void *ctx),
		  void *ctx);
/*
 * /proc/diskstats without loop and ram devices. @keep, when not NULL, is asked about every
 * other device (metrics_read() keeps those /sys/block lists: whole disks, no partitions).
 * Lines that do not parse are counted in disks_bad; -EINVAL when no line parses.
 */
int parse_diskstats(const char *buf, struct metrics *m, bool (*keep)(const char *name, void *ctx),
		    void *ctx);
/* pgpgin, pgpgout, pswpin, pswpout and pgmajfault of /proc/vmstat; all must be there. */
int parse_vmstat(const char *buf, struct metrics *m);

#endif /* CPUTOP_PROCFS_METRICS_H */
