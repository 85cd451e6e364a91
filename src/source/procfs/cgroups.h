/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tasks' cgroups: their paths, CPU limits, throttling and pressure, from the cgroup file
 * systems under the /sys tree (--sys-root), and the system's CPU pressure from /proc. Both
 * sources use it: the eBPF source's tasks carry their cgroup's id (the kernel's), the /proc
 * source's get it here from /proc/PID/cgroup. The parse_*() functions are pure and take a
 * NUL-terminated buffer.
 *
 * Where the hierarchies are (sys/fs/cgroup, the places systemd and Debian mount them):
 *   - v2 only: fs/cgroup is the unified hierarchy, and holds the cpu controller;
 *   - hybrid: fs/cgroup/unified is v2 (the tasks' cgroups, their pressure), and the cpu
 *     controller is on v1 at fs/cgroup/cpu (or fs/cgroup/cpu,cpuacct): limits and throttling
 *     are read there at the same path, where systemd creates a unit's cgroup in each hierarchy.
 *     A cgroup without a directory there has no limit or throttling figures of its own.
 */
#ifndef CPUTOP_PROCFS_CGROUPS_H
#define CPUTOP_PROCFS_CGROUPS_H

#include "model/snapshot.h"

struct cg_known;

/* Ids met and their v2 paths, sorted by id; and what the tree did not hold (no path). */
struct cg_table {
	struct cg_known *v;
	size_t nr, cap;
	char *paths;			/* the paths, each ended by a NUL */
	size_t len, cap_paths;
};

struct cgroups {
	int v2_fd;			/* the default hierarchy's root, or -1: no cgroups */
	int cpu_fd;			/* the cpu controller's hierarchy's root, or -1 */
	bool cpu_v1;			/* cpu_fd is a v1 hierarchy: its files are v1's */
	char why[SNAP_TEXT_LEN];	/* what the host lacks, for snapshot.cg_why; "" */
	/*
	 * The ids met so far, found by walking the v2 tree on a new id; each walk builds it
	 * anew, keeping only the ids of the tasks then read from what it held before (a cgroup
	 * removed once its tasks exited), so that it holds no more than the tree and the tasks.
	 */
	struct cg_table known;
	uint64_t stamp;			/* marks the entries one pass over the tasks has met */
};

/*
 * Find the hierarchies under the /sys tree @sys_fd (-1: none, and so no cgroups). A host
 * without cgroup v2, or without the cpu controller, is no error: c->why says what it lacks.
 */
void cgroups_open(struct cgroups *c, int sys_fd);
void cgroups_close(struct cgroups *c);

/*
 * The cgroup id of the v2 path @path ("/a/b", as /proc/PID/cgroup gives it): its directory's
 * inode number, which on a 64-bit kernel is the whole kernfs id (include/linux/kernfs.h,
 * kernfs_id_ino()), the one eBPF reads. 0 when it has no directory (it went, or there is no
 * v2 tree): the task's cgroup is then unknown.
 */
uint64_t cgroups_id(struct cgroups *c, const char *path);

/*
 * Fill s->cgroups with the cgroup of every task of @s and all their ancestors up to the root,
 * sorted by id, each with its limit, throttling and pressure read now; s->cg_why says what
 * is missing. An id never met before makes one walk of the v2 tree (at most one a call); an
 * id that is still not found (its cgroup already removed, or outside this cgroup namespace)
 * leaves its tasks' cgroup unknown: their cgroup_id is set to 0, and it makes no more walks.
 * Each file fails alone; 0, or -ENOMEM.
 */
int cgroups_read(struct cgroups *c, struct snapshot *s);
/* The system's CPU pressure, /proc/pressure/cpu under @proc_fd, into s->psi and s->psi_err. */
void pressure_read(int proc_fd, struct snapshot *s);

/*
 * The v2 path of /proc/PID/cgroup's "0::" line into @path: -EINVAL when there is none, or
 * when it is out of sight ("/../x", a cgroup outside this cgroup namespace); -ENAMETOOLONG.
 */
int parse_proc_cgroup(const char *buf, char *path, size_t size);
/* cpu.max: "max 100000" (no limit: quota 0) or "20000 100000". */
int parse_cpu_max(const char *buf, uint64_t *quota_us, uint64_t *period_us);
/*
 * v1's cpu.cfs_quota_us or cpu.cfs_period_us: µs, or the quota's "-1" (no limit) read as 0,
 * which a period never is.
 */
int parse_cfs_us(const char *buf, uint64_t *us);
/*
 * cpu.stat's throttling into @c (nr_periods, nr_throttled, throttled_ns) from v2's
 * throttled_usec or v1's throttled_time (ns); -ENOENT when it has none (no cpu controller).
 */
int parse_cpu_stat(const char *buf, struct snap_cgroup *c);
/*
 * A pressure file (/proc/pressure/cpu, cpu.pressure): "some" and, when the kernel writes it,
 * "full", each "avg10=… avg60=… avg300=… total=…". -EINVAL without a "some" line.
 */
int parse_pressure(const char *buf, struct psi *p);

#endif /* CPUTOP_PROCFS_CGROUPS_H */
