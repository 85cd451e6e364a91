/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct snapshot: the one type every source emits (DESIGN.md §1). A source fills it with I/O;
 * the model reads two of them and does none.
 */
#ifndef CPUTOP_SNAPSHOT_H
#define CPUTOP_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* /proc/meminfo figures, in bytes. */
struct meminfo {
	uint64_t total, free, available, buffers, cached, sreclaimable, shmem;
	uint64_t swap_total, swap_free;
};

struct loadavg {
	double load[3];
	uint32_t runnable, threads;	/* the "1/234" field: runnable and total scheduling entities */
};

struct snap_task {
	uint32_t tid, tgid, ppid, uid;
	uint64_t start_ns;		/* in the snapshot's clock */
	uint64_t leader_start_ns;	/* tgid + leader_start_ns: the process, safe from PID reuse */
	uint64_t cpu_ns;		/* on-CPU total since the task started */
	uint64_t user_ns, sys_ns;	/* its split: exact (eBPF) or tick-sampled (/proc) */
	uint64_t dead_ns;		/* group's dead threads' total (leader only, else 0) */
	uint64_t exit_ns;		/* 0 for a live task */
	char state;			/* R S D T t X Z P I, as ps(1) */
	bool kthread;
	char comm[SNAP_COMM_LEN];	/* raw, unsanitised */
};

enum snap_source { SNAP_SRC_PROC, SNAP_SRC_BPF };

struct snapshot {
	uint64_t ts_ns;			/* monotonic clock of the source: task times use the same */
	int64_t wall_s;			/* CLOCK_REALTIME seconds, for the header clock */
	double uptime_s;
	struct loadavg load;
	struct meminfo mem;
	struct cpu_ticks cpu_total;
	struct cpu_ticks *cpus;		/* per CPU, indexed by CPU number */
	uint32_t nr_cpus, cap_cpus;
	uint32_t hz;			/* USER_HZ: ticks per second of /proc/stat */

	struct snap_task *tasks;	/* live tasks, then tasks that exited since the last one */
	size_t nr_tasks, cap_tasks;
	uint32_t task_errors;		/* tasks skipped for an unreadable or malformed file */

	enum snap_source source;
	const char *source_note;	/* why this source, or its mode (static string) */
	uint64_t exits_dropped;		/* ring buffer overruns since start */
};

/* Room for one more task, or NULL when memory is exhausted. */
struct snap_task *snapshot_add_task(struct snapshot *s);
void snapshot_free(struct snapshot *s);

#endif /* CPUTOP_SNAPSHOT_H */
