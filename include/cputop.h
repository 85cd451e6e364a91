/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The one ABI between bpf/cputop.bpf.c and user space: the record the task iterator writes for
 * every live task and the exit handler posts on the ring buffer for every task that exits.
 * Plain fixed-width fields only; src/source/bpf/bpf_source.c converts it into a struct snapshot.
 */
#ifndef CPUTOP_H
#define CPUTOP_H

#define CPUTOP_COMM_LEN 16	/* TASK_COMM_LEN */

/* cputop_task.flags */
#define CPUTOP_TASK_KTHREAD	(1u << 1)	/* PF_KTHREAD: all of its time is kernel time */
#define CPUTOP_TASK_TRACKED	(1u << 2)	/* has task storage: base/user/sys are valid */
#define CPUTOP_TASK_SCHED_INFO	(1u << 3)	/* CONFIG_SCHED_INFO: wait_ns is valid */

struct cputop_task {
	/* In cputop's PID namespace; in the initial one, task->pid, tgid, real_parent->tgid */
	__u32 tid;
	__u32 tgid;		/* the process */
	__u32 ppid;
	__u32 uid;		/* effective uid, as top's USER */
	__u64 start_ns;		/* task->start_time, CLOCK_MONOTONIC */
	__u64 leader_start_ns;	/* group leader's start_time: with tgid, the process identity */
	__u64 exec_ns;		/* on-CPU total: se.sum_exec_runtime, plus the running stretch */
	__u64 dead_ns;		/* signal->sum_sched_runtime: on-CPU total of the group's dead threads */
	/*
	 * The user/kernel split: before cputop first saw the task (base_ns = sum_exec_runtime
	 * then) as sampled by the kernel's tick in utime/stime; exact nanoseconds since then.
	 */
	__u64 base_ns;
	__u64 base_utime;
	__u64 base_stime;
	__u64 user_ns;
	__u64 sys_ns;
	__u64 exit_ns;		/* last switch-out of a dead task; 0 for a live task */
	__u64 syscalls;		/* system calls entered since cputop first saw the task */
	__u64 nvcsw;		/* task->nvcsw: voluntary switches (blocked) */
	__u64 nivcsw;		/* task->nivcsw: involuntary (preempted or yielded, runnable) */
	__u64 migrations;	/* se.nr_migrations */
	__u64 wait_ns;		/* sched_info.run_delay, plus the wait in progress */
	__u64 max_wait_ns;	/* longest run-queue wait since the iterator last read the task */
	__u64 iow_ns;		/* uninterruptible (D) sleep since cputop first saw the task */
	/* Hardware counters while on a CPU since cputop first saw the task, when they are open. */
	__u64 cycles;
	__u64 instructions;
	/* task->utime, task->stime: the kernel's tick-sampled split of its total, in ns */
	__u64 utime;
	__u64 stime;
	/*
	 * Its cgroup in the default (v2) hierarchy: the kernfs id, its directory's inode number,
	 * as bpf_get_current_cgroup_id() gives. A zombie keeps its cgroup (since 4.6), so the
	 * exit record of a process that lived 2 ms names the service that started it.
	 */
	__u64 cgroup_id;
	__u32 state;		/* task->__state */
	__u32 exit_state;	/* task->exit_state (EXIT_ZOMBIE, EXIT_DEAD) */
	__s32 exit_code;	/* task->exit_code, for exit records */
	__u32 flags;		/* CPUTOP_TASK_* */
	__s32 prio;		/* task_prio(): task->prio less MAX_RT_PRIO, as proc(5) stat (18) */
	__s32 nice;		/* task->static_prio less 120 (DEFAULT_PRIO), as stat (19) */
	char comm[CPUTOP_COMM_LEN];
};

/*
 * The value of the per-CPU array cpu_map (one entry): what each CPU's scheduler and syscall
 * entry did since the program was attached. busy_ns and idle_ns stop at last_ts, the CPU's
 * last switch; user space closes the stretch since, which belongs to the idle task if @idle.
 */
struct cputop_cpu {
	__u64 switches;		/* every sched_switch: the kernel's nr_switches, /proc/stat ctxt */
	__u64 preempts;		/* of which the task switched out stayed runnable */
	__u64 syscalls;
	__u64 yields;		/* sched_yield() */
	__u64 busy_ns;
	__u64 idle_ns;
	__u64 last_ts;
	__u32 idle;
	__u32 pad;
};

#endif /* CPUTOP_H */
