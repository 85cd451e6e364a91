/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct snapshot: the one type every source emits (DESIGN.md §1). A source fills it with I/O;
 * the model reads two of them and does none. It owns all it holds, text included: no pointer
 * into its source, so that it can be written to a file and read back.
 */
#ifndef CPUTOP_SNAPSHOT_H
#define CPUTOP_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/metrics.h"

#define SNAP_COMM_LEN 16	/* TASK_COMM_LEN */

/* The ten per-CPU tick counters of a cpu line of /proc/stat, in USER_HZ ticks (proc(5)). */
enum cpu_field {
	CPU_USER, CPU_NICE, CPU_SYSTEM, CPU_IDLE, CPU_IOWAIT,
	CPU_IRQ, CPU_SOFTIRQ, CPU_STEAL, CPU_GUEST, CPU_GUEST_NICE,
	CPU_NR_FIELDS
};

struct cpu_ticks {
	uint64_t t[CPU_NR_FIELDS];
};

/* /proc/meminfo figures, in bytes, but the huge page counts. */
struct meminfo {
	uint64_t total, free, available, buffers, cached, sreclaimable, shmem;
	uint64_t swap_total, swap_free;
	uint64_t huge_total, huge_free, huge_rsvd;	/* pages of the default size */
	uint64_t huge_size;
};

struct loadavg {
	double load[3];
	uint32_t runnable, threads;	/* the "1/234" field: runnable and total scheduling entities */
};

/*
 * Per-task scheduler and syscall counters, cumulative like cpu_ns. A source that cannot
 * count one leaves its bit out of snapshot.task_have, and views show it as unavailable.
 */
enum task_ctr {
	TASK_SYSC,		/* system calls entered */
	TASK_VCSW,		/* voluntary context switches: blocked */
	TASK_ICSW,		/* involuntary: switched out while still runnable */
	TASK_MIGR,		/* migrations between CPUs */
	TASK_WAIT_NS,		/* runnable but waiting for a CPU (run-queue latency) */
	TASK_IOW_NS,		/* blocked in uninterruptible sleep (D) */
	TASK_CYCLES,		/* CPU cycles on a CPU (hardware counters) */
	TASK_INSNS,		/* instructions retired (hardware counters) */
	TASK_NR_CTRS
};
/* snapshot.task_have: a bit per task_ctr, and this one for snap_task.max_wait_ns. */
#define TASK_HAVE_MAXW	(1u << TASK_NR_CTRS)
/* row.have: the row has a cgroup (the snapshot's caps have SNAP_CAP_CGROUPS). */
#define TASK_HAVE_CGROUP	(1u << (TASK_NR_CTRS + 1))
/* The counters the eBPF source starts when it first sees a task, not when the task started. */
#define TASK_SINCE_SEEN	(1u << TASK_SYSC | 1u << TASK_IOW_NS | 1u << TASK_CYCLES | \
			 1u << TASK_INSNS | TASK_HAVE_MAXW)

struct snap_task {
	uint32_t tid, tgid, ppid, uid;
	uint64_t start_ns;		/* in the snapshot's clock */
	uint64_t leader_start_ns;	/* tgid + leader_start_ns: the process, safe from PID reuse */
	uint64_t cpu_ns;		/* on-CPU total since the task started */
	uint64_t user_ns, sys_ns;	/* its split: exact (eBPF) or tick-sampled (/proc) */
	uint64_t dead_ns;		/* group's dead threads' total (leader only, else 0) */
	uint64_t exit_ns;		/* 0 for a live task */
	uint64_t ctr[TASK_NR_CTRS];
	uint64_t max_wait_ns;		/* longest run-queue wait since the previous snapshot */
	uint32_t lacks;			/* task_have bits this task has not (read from /proc) */
	char state;			/* R S D T t X Z P I, as ps(1) */
	bool kthread;
	int32_t prio;			/* proc(5) stat (18): the kernel's prio less 100 */
	int32_t nice;			/* (19): -20 to 19 */
	char comm[SNAP_COMM_LEN];	/* raw, unsanitised */
	uint64_t cgroup_id;		/* its cgroup v2 (snapshot.cgroups); 0: not known */
};

/*
 * Per-CPU event counters, cumulative: since boot (/proc/interrupts, /proc/softirqs) or since
 * cputop attached (eBPF). snapshot.ctr_have has a bit for each one the sources provided.
 */
enum cpu_ctr {
	CTR_CSW,		/* context switches (eBPF: every sched_switch) */
	CTR_PRE,		/* of which the task switched out was still runnable */
	CTR_SYSC,		/* system calls */
	CTR_YLD,		/* sched_yield() calls */
	CTR_BUSY_NS,		/* time a task other than the idle task was on the CPU */
	CTR_IDLE_NS,		/* time the idle task was */
	CTR_IRQ,		/* device interrupts: the numbered lines of /proc/interrupts */
	CTR_LOC,		/* local timer interrupts */
	CTR_RES,		/* rescheduling IPIs */
	CTR_CAL,		/* function-call IPIs */
	CTR_TLB,		/* TLB shootdowns */
	CTR_SOFTIRQ,		/* softirqs by kind: snapshot.softirq_names[k] is CTR_SOFTIRQ + k */
	CTR_NR = CTR_SOFTIRQ + 16
};
#define SOFTIRQ_MAX (CTR_NR - CTR_SOFTIRQ)
#define SOFTIRQ_NAME_LEN 16

struct cpu_ctrs {
	uint64_t v[CTR_NR];
};

/*
 * What a snapshot can show, whatever its source: a view asks these, never where it came from.
 */
#define SNAP_CAP_EXACT_SPLIT	(1u << 0)	/* user/sys measured, not sampled by ticks */
#define SNAP_CAP_EXITS		(1u << 1)	/* tasks that exited between snapshots are in it */
#define SNAP_CAP_TASK_CTRS	(1u << 2)	/* per-task counters beyond /proc's (task_have) */
#define SNAP_CAP_CPU_CTRS	(1u << 3)	/* per-CPU event counters of its own (ctr_have) */
#define SNAP_CAP_COST		(1u << 4)	/* hooks in the traced tasks, their cost measured */
#define SNAP_CAP_RECORDED	(1u << 5)	/* replayed from a recording: of the past, its tasks
						 * beyond reach of a signal */
#define SNAP_CAP_CGROUPS	(1u << 6)	/* tasks carry their cgroup, described in cgroups */

/*
 * CPU pressure stall information: /proc/pressure/cpu, or a cgroup's cpu.pressure. "some": time
 * at least one runnable task waited for a CPU; "full": all of them did (a cgroup's; the kernel
 * prints zeros for the whole system since 5.13, where it means nothing).
 */
struct psi {
	uint64_t some_us, full_us;	/* total=: stalled time since boot (or creation), in µs */
	/*
	 * avg10=: % of the last 10 s, the kernel's average, in hundredths: it prints two
	 * decimals ("%lu.%02lu", kernel/sched/psi.c), and an integer records in a byte or two.
	 */
	uint32_t some_avg10, full_avg10;
	bool have_full;			/* the "full" line is there */
};

/* snap_cgroup.have: the figures read for it. */
#define CG_HAVE_LIMIT		(1u << 0)	/* quota_us, period_us */
#define CG_HAVE_THROTTLE	(1u << 1)	/* nr_periods, nr_throttled, throttled_ns */
#define CG_HAVE_PSI		(1u << 2)	/* psi */

/*
 * A cgroup of the default (v2) hierarchy: the tasks' and their ancestors'. Its limit and its
 * throttling come from the hierarchy holding the cpu controller, v2 or (on a hybrid host) the
 * v1 cpu hierarchy at the same path; its pressure from v2, where cpu.pressure always is.
 */
struct snap_cgroup {
	uint64_t id;			/* kernfs id: its v2 directory's inode number */
	uint64_t parent;		/* its parent's id; 0 for the root */
	uint32_t path;			/* offset of its path in snapshot.cg_paths: "/", "/a/b" */
	uint32_t have;			/* CG_HAVE_* */
	uint64_t quota_us;		/* CPU time it may use each period (cpu.max); 0: no limit */
	uint64_t period_us;
	uint64_t nr_periods;		/* cpu.stat: periods with runnable tasks, */
	uint64_t nr_throttled;		/* of which it ran out of quota, */
	uint64_t throttled_ns;		/* and the time its tasks were held back then */
	struct psi psi;			/* cpu.pressure */
};

/* The layout of struct snapshot and its parts: a recording says which it holds. */
#define SNAPSHOT_VERSION 1
#define SNAP_TEXT_LEN 160

struct snapshot {
	uint32_t version;		/* SNAPSHOT_VERSION */
	uint32_t caps;			/* SNAP_CAP_* */
	char source_kind[8];		/* "ebpf", "proc": for machines (JSON) */
	char source_name[8];		/* "eBPF", "/proc": for people */
	char source_note[SNAP_TEXT_LEN];	/* why this source, or its mode */
	char ipc_why[SNAP_TEXT_LEN];	/* why there are no TASK_CYCLES and TASK_INSNS, or "" */
	/* The source's clock: CLOCK_MONOTONIC (eBPF), CLOCK_BOOTTIME (/proc); task times too. */
	uint64_t ts_ns;
	int64_t wall_ns;		/* CLOCK_REALTIME at ts_ns: Unix time, in ns */
	double uptime_s;
	struct loadavg load;
	struct meminfo mem;
	struct cpu_ticks cpu_total;
	struct cpu_ticks *cpus;		/* per CPU, indexed by CPU number */
	uint32_t nr_cpus, cap_cpus;
	uint32_t hz;			/* USER_HZ: ticks per second of /proc/stat */
	uint64_t ctxt;			/* /proc/stat "ctxt": context switches since boot */
	uint64_t intr;			/* /proc/stat "intr": interrupts since boot, all kinds */
	bool have_intr;
	/*
	 * 0, or why a system file could not be read (-errno): each costs only its own figures
	 * (CPU ticks, ctxt and intr for stat), never the snapshot.
	 */
	int stat_err, mem_err, load_err, uptime_err;
	struct metrics sys;		/* frequency, temperature, network, disk, paging */

	struct cpu_ctrs *ctrs;		/* per CPU, indexed by CPU number */
	uint32_t nr_ctrs, cap_ctrs;
	uint64_t ctr_have;		/* bit (1 << CTR_*) for each counter provided */
	uint32_t nr_softirqs;		/* kinds in /proc/softirqs, in its order */
	char softirq_names[SOFTIRQ_MAX][SOFTIRQ_NAME_LEN];

	struct snap_task *tasks;	/* live tasks, then tasks that exited since the last one */
	size_t nr_tasks, cap_tasks;
	uint32_t task_have;		/* bit (1 << TASK_*) for each task counter provided */
	uint32_t task_errors;		/* tasks skipped for an unreadable or malformed file */

	uint64_t exits_dropped;		/* ring buffer overruns since start */
	uint64_t exits_seen;		/* exits the eBPF program saw, read before the drain */
	uint64_t exits_delivered;	/* exit records received and kept, since start */
	uint64_t untracked;		/* events whose task had no room in the task map */
	/*
	 * The tasks' cgroups and their ancestors, sorted by id, and their paths one after the
	 * other, each ended by a NUL; cg_why says why there are none, or why they have no limit,
	 * throttling or pressure figures ("" when they have all the host gives).
	 */
	struct snap_cgroup *cgroups;
	size_t nr_cgroups, cap_cgroups;
	char *cg_paths;
	size_t cg_paths_len, cap_cg_paths;
	char cg_why[SNAP_TEXT_LEN];
	struct psi psi;			/* the whole system's CPU pressure */
	/*
	 * 0, or why psi is not there: -ENOENT, no /proc/pressure (a kernel without CONFIG_PSI,
	 * or psi=0 since 5.6, kernel/sched/psi.c psi_proc_init()); -EOPNOTSUPP, psi=0 before;
	 * -ENODATA, replayed from a recording made before cputop recorded it.
	 */
	int psi_err;

	/* What watching costs: cputop's own CPU time, and the eBPF hooks' in other tasks. */
	uint64_t self_cpu_ns;		/* cputop's CPU time since it started, the iterator's too */
	double bpf_cost;		/* hooks' run time per ns, in the last window measured */
	bool have_bpf_cost;
};

/* Unix time in ns of @ns, an instant of @s's clock. */
static inline int64_t snapshot_unix_ns(const struct snapshot *s, uint64_t ns)
{
	return s->wall_ns + (int64_t)(ns - s->ts_ns);
}

/*
 * Empty @s for a new read, keeping the memory it has: every figure zero, every text empty, so
 * that nothing is left from its last use, and its version set.
 */
void snapshot_begin(struct snapshot *s);
/*
 * A new cgroup @id, child of @parent, at @path, added at the end of s->cgroups (the caller
 * sorts them by id when all are in): NULL when memory is exhausted.
 */
struct snap_cgroup *snapshot_add_cgroup(struct snapshot *s, uint64_t id, uint64_t parent,
					const char *path);
/*
 * The same for a copy of @from (its path offset aside), at the @len bytes of @path, which hold
 * no NUL: a cgroup of another snapshot, or one read from a recording.
 */
struct snap_cgroup *snapshot_put_cgroup(struct snapshot *s, const struct snap_cgroup *from,
					const char *path, size_t len);
/* Sort s->cgroups by id, once all are in. */
void snapshot_sort_cgroups(struct snapshot *s);
/* The cgroup @id of @s, sorted; NULL when it has none. */
const struct snap_cgroup *snapshot_cgroup(const struct snapshot *s, uint64_t id);
static inline const char *snapshot_cgroup_path(const struct snapshot *s,
					       const struct snap_cgroup *c)
{
	return s->cg_paths + c->path;
}
/* Why @s has no system pressure figures (s->psi_err), for people. */
const char *snapshot_psi_why(const struct snapshot *s);
/* Room for one more task, or NULL when memory is exhausted. */
struct snap_task *snapshot_add_task(struct snapshot *s);
/*
 * The counters of CPU @cpu, growing (zero-filled) s->ctrs up to it; NULL when memory is
 * exhausted. Sources fill their counters in place: each leaves the others alone.
 */
struct cpu_ctrs *snapshot_cpu_ctrs(struct snapshot *s, uint32_t cpu);
/*
 * Make @dst a copy of @src, keeping @dst's memory where it is large enough. 0 or -ENOMEM
 * (@dst is then empty).
 */
int snapshot_copy(struct snapshot *dst, const struct snapshot *src);
void snapshot_free(struct snapshot *s);

#endif /* CPUTOP_SNAPSHOT_H */
