/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc readers. Files are read through a directory fd (--proc-root) with openat(), so fixture
 * trees drive every reader; the parse_*() functions are pure and work on a NUL-terminated
 * buffer.
 */
#ifndef CPUTOP_PROCFS_H
#define CPUTOP_PROCFS_H

#include "model/snapshot.h"
#include "source/procfs/cgroups.h"

struct procfs {
	int root_fd;
	int sys_fd;		/* --sys-root for the metrics and the cgroups, or -1 */
	bool live;		/* root_fd is a procfs, not a tree: the clock is the host's */
	uint32_t hz;		/* USER_HZ */
	char *buf;		/* reused read buffer for the system-wide files */
	size_t cap;
	struct cgroups cg;	/* the tasks' cgroups, under sys_fd */
};

/* /proc/PID/stat fields cputop uses (proc(5) numbering in comments). */
struct pid_stat {
	uint32_t pid;			/* (1) */
	char comm[SNAP_COMM_LEN];	/* (2), without the parentheses */
	char state;			/* (3) */
	uint32_t ppid;			/* (4) */
	uint32_t flags;			/* (9) PF_* */
	uint64_t utime, stime;		/* (14) (15) ticks */
	int32_t priority, nice;		/* (18) (19) */
	uint32_t num_threads;		/* (20) */
	uint64_t starttime;		/* (22) ticks after boot */
};

int procfs_open(struct procfs *p, const char *root);
/*
 * /sys for the metrics' collectors and the cgroups, or none when @root is NULL. Without it
 * they say so and the rest goes on, but a @root asked for by name (not @dflt) that cannot be
 * opened is an error: -errno.
 */
int procfs_open_sys(struct procfs *p, const char *root, const char *dflt);
void procfs_close(struct procfs *p);
/*
 * The whole machine's figures into @s: /proc/stat, meminfo, loadavg and uptime, interrupts
 * and softirqs, the CPU pressure, the metrics when @metrics (else each says it was not read),
 * and with @cgroups, the cgroups of the tasks already in @s (cgroups_read()). Each file fails
 * alone, into @s; only memory exhaustion is an error.
 */
int procfs_read_host(struct procfs *p, struct snapshot *s, bool metrics, bool cgroups);
/* /proc/stat, meminfo, loadavg, uptime into @s; each must parse. */
int procfs_read_system(struct procfs *p, struct snapshot *s);
/*
 * Every task from /proc/PID/task/TID/{stat,schedstat}, with @cgroups its cgroup from
 * /proc/PID/cgroup: the source without eBPF.
 */
int procfs_read_tasks(struct procfs *p, struct snapshot *s, bool cgroups);
/* One process and its threads, appended to @s; -ENOENT when it does not exist. */
int procfs_read_pid(struct procfs *p, uint32_t pid, struct snapshot *s, bool cgroups);

/*
 * /proc/interrupts and /proc/softirqs into s->ctrs (CTR_IRQ..CTR_TLB, CTR_SOFTIRQ + k). A
 * file the kernel lacks leaves its counters out of s->ctr_have; that is not an error.
 */
int procfs_read_irqs(struct procfs *p, struct snapshot *s);

int parse_stat(const char *buf, struct snapshot *s);
/* In interrupts.c: lines and kinds the text lacks stay out of s->ctr_have. */
int parse_interrupts(const char *buf, struct snapshot *s);
int parse_softirqs(const char *buf, struct snapshot *s);
int parse_meminfo(const char *buf, struct meminfo *m);
int parse_loadavg(const char *buf, struct loadavg *l);
int parse_uptime(const char *buf, double *uptime_s);
int parse_pid_stat(const char *buf, struct pid_stat *ps);
int parse_schedstat(const char *buf, uint64_t *run_ns, uint64_t *wait_ns);

#endif /* CPUTOP_PROCFS_H */
