// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * cputop's kernel half: exact per-task user and kernel nanoseconds (DESIGN.md §2), and the
 * scheduler's view of each task and CPU.
 *
 * Each task carries a struct acct in task storage. A task's on-CPU time is cut into stretches
 * at switch-in, sys_enter, sys_exit and switch-out; a stretch is user time unless the task was
 * inside a system call. The task iterator reads every task in one pass and closes the stretch
 * of a task that is on a CPU right now; the last switch-out of a dead task posts its final
 * record on a ring buffer.
 *
 * What the kernel already counts per task is read, not counted again: voluntary and
 * involuntary switches (nvcsw, nivcsw: the very switches sched_switch reports, told apart as
 * blocked or still runnable), migrations, and the run-queue wait (sched_info.run_delay, from
 * wakeup or preemption to switch-in). The program adds what the kernel does not keep: system
 * calls, the longest wait of an interval, and time in uninterruptible sleep; and per CPU,
 * switches, preemptions, system calls, yields, busy and idle time.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "cputop.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define PF_EXITING	0x00000004	/* include/linux/sched.h */
#define PF_KTHREAD	0x00200000
#define TASK_RUNNING		0
#define TASK_UNINTERRUPTIBLE	0x2
#define TASK_DEAD		0x80
#define TASK_NOLOAD		0x400
#define EXIT_DEAD		0x10	/* task->exit_state */
#define EXIT_ZOMBIE		0x20
#define NSEC_PER_SEC	1000000000ull
#define READ_ONCE(x)	(*(volatile typeof(x) *)&(x))

/* acct.flags */
#define ACCT_RUNNING	(1u << 0)	/* switched in and not yet out */
#define ACCT_SYSCALL	(1u << 1)	/* between sys_enter and sys_exit */
#define ACCT_ARRIVED	(1u << 2)	/* in_ts is a switch-in: sched_info.last_arrival's too */
#define ACCT_PMU	(1u << 3)	/* cyc_in and ins_in hold this CPU's counters at switch-in */

struct acct {
	/*
	 * What the hooks touch at every system call and switch first, in one cache line: under
	 * a ping-pong's cache pressure each extra line costs the traced task as much as a hook.
	 */
	__u64 last_ts;		/* start of the open stretch */
	__u64 user_ns;
	__u64 sys_ns;
	__u64 syscalls;
	__u64 in_ts;		/* last switch-in */
	__u64 exec_in;		/* sum_exec_runtime at that switch-in: exact, updated at switch-out */
	__u64 d_ts;		/* when an uninterruptible sleep began; 0 outside one */
	__u32 flags;
	__u64 max_wait;		/* longest run-queue wait since the iterator took it */
	__u64 iow_ns;
	__u64 base_ns;		/* sum_exec_runtime when first seen */
	__u64 base_utime;
	__u64 base_stime;
	__u64 cycles;
	__u64 insns;
	__u64 cyc_in;		/* the CPU's counters at the last switch-in */
	__u64 ins_in;
	__u64 start;		/* task->start_time: in the hash map, tells a reused TID */
	__u32 ns_tid;		/* the TID and TGID in cputop's PID namespace (pidns_ino) */
	__u32 ns_tgid;
	__u32 ns_key;		/* task->pid then: an exec by a thread takes the leader's */
};

/*
 * Where each task's struct acct lives: in the task itself (5.11 and later), found without a
 * hash and freed with the task; else in a hash map keyed by TID, sized by user space from
 * pid_max so that it cannot fill, and emptied at each task's exit. User space creates one.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct acct);
} acct_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1);	/* pid_max, set by user space */
	__type(key, __u32);
	__type(value, struct acct);
} acct_hash SEC(".maps");

/* Set before load: the verifier drops the form not in use, and any hook switched off. */
const volatile bool hash_storage = false;
/* --no-syscalls: sys_enter and sys_exit are not attached, and the split is the kernel's. */
const volatile bool syscalls_on = true;

static const struct acct acct_zero;

/*
 * Events whose task had no room for its accounting (no memory, or a full hash map): shown to
 * the user. The task's total stays exact; its user/kernel split misses those stretches.
 */
__u64 acct_lost = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);	/* resized by user space before load */
} exits SEC(".maps");

/* One entry, one value per CPU: each CPU counts into its own, with no atomics. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cputop_cpu);
} cpu_map SEC(".maps");

/*
 * Each CPU's cycle and instruction counters, opened by user space on a CPU with a PMU. A
 * task's share is the counters' advance between its switch-in and switch-out on one CPU.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} pmu_cycles SEC(".maps"), pmu_insns SEC(".maps");

/* Set before load when the counters are open; otherwise the verifier drops their reads. */
const volatile bool pmu_on = false;

/*
 * Every exit the program saw (a dead task's last switch-out), and those whose record the ring
 * buffer had no room for: shown to the user, never silent. User space checks that the records
 * it received and those dropped add up to the exits seen.
 */
__u64 exits_seen = 0;
__u64 exits_dropped = 0;

/*
 * cputop's PID namespace, by its nsfs inode, when it is not the initial one (0 there): tasks
 * are then reported by their numbers in it, as its /proc and kill(2) name them, and tasks
 * outside it not at all. Its level is found at the first task seen in it.
 */
const volatile __u32 pidns_ino = 0;
__s32 pidns_level = -1;
#define MAX_PID_NS_LEVEL	32	/* include/linux/pid_namespace.h */

/* __NR_sched_yield of the architecture, set by user space before load (it has the header). */
const volatile long yield_nr = -1;

extern int CONFIG_HZ __kconfig __weak;
extern bool CONFIG_NO_HZ_FULL __kconfig __weak;

/* Older kernels name the state field 'state' (renamed to __state in 5.14). */
struct task_struct___pre514 {
	long state;
} __attribute__((preserve_access_index));

static __always_inline __u32 task_state(struct task_struct *t)
{
	if (bpf_core_field_exists(t->__state))
		return t->__state;
	return ((struct task_struct___pre514 *)t)->state;
}

static __always_inline struct cputop_cpu *cpu_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&cpu_map, &zero);
}

/*
 * When @t, switched out and runnable, was queued to run (at its wakeup or preemption), in
 * bpf_ktime_get_ns() time; 0 when it is not queued or that is not known.
 *
 * sched_info.last_queued is in the scheduler's clock (rq->clock), which a BPF program cannot
 * read (the run queues are not in kallsyms everywhere). The task's last switch-in was seen in
 * both clocks, in_ts here and sched_info.last_arrival there: their difference converts one
 * into the other, to within the few microseconds __schedule() spends between the two reads.
 */
static __always_inline __u64 task_queued(struct task_struct *t, const struct acct *a,
					 __u32 af, __u64 now)
{
	__u64 queued, q;

	if (!bpf_core_field_exists(t->sched_info) || !(af & ACCT_ARRIVED))	/* SCHED_INFO */
		return 0;
	queued = t->sched_info.last_queued;
	if (!queued)
		return 0;
	q = queued - t->sched_info.last_arrival + READ_ONCE(a->in_ts);
	/* Queued after it last ran and not in the future: anything else is a torn read. */
	return q > READ_ONCE(a->in_ts) && q <= now ? q : 0;
}

/*
 * The number of struct pid @p in cputop's PID namespace: 0 when @p is NULL (a released task)
 * or not in it. A struct pid holds one struct upid per level, from the initial namespace
 * down to the task's own. A global function of an address, verified once (inlined at each
 * call, the level search made start-up four times slower), read with probe reads.
 */
__noinline __u32 pid_nr_ns(__u64 p)
{
	struct upid *up = (void *)p + bpf_core_field_offset(struct pid, numbers);
	__s32 l = pidns_level;
	struct upid u = {};
	__u32 level;
	int i;

	if (!p || bpf_probe_read_kernel(&level, sizeof(level),
					(void *)p + bpf_core_field_offset(struct pid, level)))
		return 0;
	for (i = 0; l < 0 && i <= MAX_PID_NS_LEVEL && i <= level; i++) {
		if (!bpf_probe_read_kernel(&u, sizeof(u), up + i) &&
		    BPF_CORE_READ(u.ns, ns.inum) == pidns_ino)
			l = pidns_level = i;
	}
	if (l < 0 || l > level || bpf_probe_read_kernel(&u, sizeof(u), up + l))
		return 0;
	return BPF_CORE_READ(u.ns, ns.inum) == pidns_ino ? u.nr : 0;
}

/*
 * @a, of task @t, ready for use: set up on first sight. @flags is what is known of the task
 * then: whether it is on a CPU and whether it is inside a system call. The time before is the
 * kernel's sum_exec_runtime, split by its tick-sampled utime/stime in user space. @t may be a
 * plain address (the hash form's system call hooks): it is read with probe reads.
 */
static __always_inline struct acct *acct_ready(struct acct *a, struct task_struct *t, __u64 now,
					       __u32 flags)
{
	/* NULL: no memory, or the task is being freed; this event is lost, the totals are not. */
	if (!a) {
		__sync_fetch_and_add(&acct_lost, 1);
		return a;
	}
	if (a->last_ts)
		return a;
	/* 0: the caller did not need the clock. */
	if (!now)
		now = bpf_ktime_get_ns();
	/* The iterator and the task's own CPU may both see it first: one initialises. */
	if (__sync_val_compare_and_swap(&a->last_ts, 0, now))
		return a;
	a->base_ns = BPF_CORE_READ(t, se.sum_exec_runtime);
	a->base_utime = BPF_CORE_READ(t, utime);
	a->base_stime = BPF_CORE_READ(t, stime);
	a->start = BPF_CORE_READ(t, start_time);
	/* While the task is hashed: a thread is unhashed before its last switch-out. */
	if (pidns_ino) {
		a->ns_tid = pid_nr_ns((__u64)BPF_CORE_READ(t, thread_pid));
		a->ns_tgid = pid_nr_ns((__u64)BPF_CORE_READ(t, group_leader, thread_pid));
		a->ns_key = BPF_CORE_READ(t, pid);
	}
	a->in_ts = now;
	a->exec_in = a->base_ns;
	if (BPF_CORE_READ(t, flags) & PF_KTHREAD)
		flags |= ACCT_SYSCALL;
	a->flags = flags;	/* the first stretch starts now: closing it at once adds 0 */
	return a;
}

/* The hash form's entry of TID @tid, created empty on first sight. */
static __always_inline struct acct *acct_hashed(__u32 tid)
{
	struct acct *a = bpf_map_lookup_elem(&acct_hash, &tid);

	if (a)
		return a;
	bpf_map_update_elem(&acct_hash, &tid, &acct_zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&acct_hash, &tid);
}

/* The accounting of @t, created on first sight (see acct_ready()). */
static __always_inline struct acct *acct_get(struct task_struct *t, __u64 now, __u32 flags)
{
	__u32 tid = t->pid;
	struct acct *a;

	if (!hash_storage)
		return acct_ready(bpf_task_storage_get(&acct_map, t, 0,
						       BPF_LOCAL_STORAGE_GET_F_CREATE), t, now, flags);
	/*
	 * An entry of another start time is an earlier task's of the same TID whose exit was
	 * not seen (it began before cputop attached): it starts afresh. A new task is always
	 * switched in before it makes a system call, so the hooks there need not check.
	 */
	a = acct_hashed(tid);
	if (a && a->start && a->start != t->start_time) {
		bpf_map_update_elem(&acct_hash, &tid, &acct_zero, BPF_EXIST);
		a = bpf_map_lookup_elem(&acct_hash, &tid);
	}
	return acct_ready(a, t, now, flags);
}

/*
 * The running task's accounting, in a system call hook. bpf_get_current_task_btf() came with
 * task storage for tracing programs (5.11); before, the task is an address to read from.
 */
static __always_inline struct acct *acct_current(__u64 now, __u32 flags)
{
	if (!hash_storage)
		return acct_get(bpf_get_current_task_btf(), now, flags);
	return acct_ready(acct_hashed((__u32)bpf_get_current_pid_tgid()),
			  (struct task_struct *)bpf_get_current_task(), now, flags);
}

/* Close the open stretch of @a at @now into user or kernel time. */
static __always_inline void acct_close(struct acct *a, __u64 now)
{
	__u64 d = now - a->last_ts;

	if (a->flags & ACCT_SYSCALL)
		a->sys_ns += d;
	else
		a->user_ns += d;
	a->last_ts = now;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
	__u64 now = bpf_ktime_get_ns();
	struct cputop_cpu *c;
	struct acct *a;

	a = acct_current(now, ACCT_RUNNING | ACCT_SYSCALL);
	if (a) {
		acct_close(a, now);
		a->flags |= ACCT_SYSCALL;
		a->syscalls++;
	}
	c = cpu_get();
	if (c) {
		c->syscalls++;
		if (id == yield_nr)
			c->yields++;
	}
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(on_sys_exit)
{
	__u64 now = bpf_ktime_get_ns();
	struct acct *a;

	a = acct_current(now, ACCT_RUNNING);
	if (a) {
		acct_close(a, now);
		a->flags &= ~ACCT_SYSCALL;
	}
	return 0;
}

/*
 * The on-CPU total of @t at @now. The kernel's sum_exec_runtime is exact for a task off the
 * CPU but lags by the running stretch since the last tick; for a running task, the total at
 * its switch-in plus the stretch since fills that gap. With a periodic tick the gap is one
 * tick at most: past that, the stretch would also hold time the hypervisor stole, which the
 * kernel rightly leaves out (CONFIG_PARAVIRT_TIME_ACCOUNTING). Under NO_HZ_FULL a lone task
 * may see no tick at all, and the stretch is all there is.
 */
static __always_inline __u64 task_total(struct task_struct *t, const struct acct *a,
					__u32 af, __u64 in_ts, __u64 now)
{
	__u64 exec = t->se.sum_exec_runtime, run;

	if (!a || !(af & ACCT_RUNNING) || now < in_ts)
		return exec;
	run = READ_ONCE(a->exec_in) + (now - in_ts);
	if (run <= exec)
		return exec;
	if (!CONFIG_NO_HZ_FULL && run - exec > NSEC_PER_SEC / (CONFIG_HZ ?: 100))
		run = exec + NSEC_PER_SEC / (CONFIG_HZ ?: 100);
	return run;
}

/*
 * The on-CPU total of @t's group's dead threads, @t left out. A released task has its own
 * time in that total already: __exit_signal() adds it and unhashes the task (thread_pid goes
 * NULL) in one write section of signal->stats_lock. Every thread but the last is released
 * before its last switch-out (autoreaped in exit_notify()), a process whose parent waits may
 * be reaped from another CPU just then, and the iterator can meet a task being released: the
 * total and the unhashing are read within one read section, so that they agree.
 */
static __always_inline __u64 task_dead_others(struct task_struct *t, bool exiting)
{
	struct signal_struct *sig = t->signal;
	struct task_struct *leader = t->group_leader;
	bool released = false, zombie_leader = false;
	__u64 dead = 0, own;
	unsigned int seq;
	int i;

	/*
	 * Only a task in do_exit() can be released: the iterator's others need one read. In
	 * the section, probe reads rather than loads: each is a compiler barrier, and loads
	 * would have the verifier walk every retry's paths apart (0.9 s to load, not 30 ms).
	 */
	if (!exiting && !(t->flags & PF_EXITING))
		return sig->sum_sched_runtime;
	for (i = 0; i < 8; i++) {
		seq = BPF_CORE_READ(sig, stats_lock.seqcount.seqcount.sequence);
		if (seq & 1)
			continue;	/* a writer is in the section */
		dead = BPF_CORE_READ(sig, sum_sched_runtime);
		released = !BPF_CORE_READ(t, thread_pid);
		/*
		 * A leader that exited before its threads waits as a zombie, its time outside
		 * the total until it is released: the last thread out counts it in, so that its
		 * record carries the whole process. Its parent may be reaping it just then:
		 * wait_task_zombie() makes it EXIT_DEAD before release_task() adds its time.
		 */
		zombie_leader = exiting && leader != t &&
				(BPF_CORE_READ(leader, exit_state) & (EXIT_ZOMBIE | EXIT_DEAD)) &&
				BPF_CORE_READ(leader, thread_pid);
		if (BPF_CORE_READ(sig, stats_lock.seqcount.seqcount.sequence) == seq)
			break;
	}
	if (zombie_leader)
		dead += leader->se.sum_exec_runtime;
	if (!released)
		return dead;
	own = t->se.sum_exec_runtime;
	return dead > own ? dead - own : 0;
}

struct task_ids {
	__u32 tid, tgid, ppid;
};

/*
 * The TID, TGID and parent's TGID of @t (accounting @a) as cputop's /proc shows them; false
 * when @t is not in cputop's PID namespace. A parent outside it is 0, as /proc says.
 */
static __always_inline bool task_ids(struct task_ids *id, struct task_struct *t,
				     const struct acct *a)
{
	if (!pidns_ino) {
		id->tid = t->pid;
		id->tgid = t->tgid;
		id->ppid = t->real_parent->tgid;
		return true;
	}
	/* Both set, and for this TID: a first sight on another CPU may be setting them. */
	if (a && a->ns_key == t->pid && a->ns_tid && a->ns_tgid) {
		id->tid = a->ns_tid;
		id->tgid = a->ns_tgid;
	} else {
		id->tid = pid_nr_ns((__u64)BPF_CORE_READ(t, thread_pid));
		id->tgid = pid_nr_ns((__u64)BPF_CORE_READ(t, group_leader, thread_pid));
	}
	if (!id->tid || !id->tgid)
		return false;
	/* Probe reads: pid_nr_ns() takes a plain address, not a pointer the verifier tracks. */
	id->ppid = pid_nr_ns((__u64)BPF_CORE_READ(t, real_parent, group_leader, thread_pid));
	return true;
}

/*
 * Fill the kernel-side totals of @t, @exiting at its last switch-out, and its identity @id;
 * the caller adds the accounting.
 */
static __always_inline void task_fill(struct cputop_task *r, struct task_struct *t,
				      const struct task_ids *id, bool exiting)
{
	r->tid = id->tid;
	r->tgid = id->tgid;
	r->ppid = id->ppid;
	r->uid = t->cred->euid.val;
	r->start_ns = t->start_time;
	r->leader_start_ns = t->group_leader->start_time;
	r->dead_ns = task_dead_others(t, exiting);
	r->state = task_state(t);
	r->exit_state = t->exit_state;
	r->nvcsw = t->nvcsw;
	r->nivcsw = t->nivcsw;
	r->migrations = t->se.nr_migrations;
	r->utime = t->utime;
	r->stime = t->stime;
	/*
	 * Read where a record is made, not kept in the storage: the switch path stays as it was,
	 * and a task moved to another cgroup is in the new one from the next refresh on. Loads
	 * through BTF pointers, as the fields above: no helper call per level.
	 */
	r->cgroup_id = t->cgroups->dfl_cgrp->kn->id;
	r->prio = t->prio - 100;		/* MAX_RT_PRIO */
	r->nice = t->static_prio - 120;		/* NICE_TO_PRIO(0) */
	if (bpf_core_field_exists(t->sched_info)) {
		r->wait_ns = t->sched_info.run_delay;
		r->flags |= CPUTOP_TASK_SCHED_INFO;
	}
	if (t->flags & PF_KTHREAD)
		r->flags |= CPUTOP_TASK_KTHREAD;
	/* Padded with NULs by the kernel (__set_task_comm()); user space ends it anyway. */
	__builtin_memcpy(r->comm, t->comm, sizeof(r->comm));
}

static __always_inline void record_acct(struct cputop_task *r, const struct acct *a)
{
	r->base_ns = a->base_ns;
	r->base_utime = a->base_utime;
	r->base_stime = a->base_stime;
	r->user_ns = a->user_ns;
	r->sys_ns = a->sys_ns;
	r->syscalls = a->syscalls;
	r->iow_ns = a->iow_ns;
	r->cycles = a->cycles;
	r->instructions = a->insns;
	r->flags |= CPUTOP_TASK_TRACKED;
}

/*
 * The final record of @p, at its last switch-out: the kernel has just brought its
 * sum_exec_runtime up to date, so the total is exact however short the task's life.
 */
static __always_inline void exit_post(struct task_struct *p, const struct acct *a, __u64 now)
{
	struct cputop_task *r;
	struct task_ids id;

	/*
	 * Not named in cputop's PID namespace: outside it, none of its business; or in it but
	 * unhashed before cputop saw it (a thread from before the attach that ends before the
	 * first refresh, or one without storage). Its process's struct pid, there until the
	 * last thread goes, tells: such an exit is counted, as seen and dropped.
	 */
	if (!task_ids(&id, p, a)) {
		if (pid_nr_ns((__u64)BPF_CORE_READ(p, signal, pids[PIDTYPE_TGID]))) {
			__sync_fetch_and_add(&exits_seen, 1);
			__sync_fetch_and_add(&exits_dropped, 1);
		}
		return;
	}
	__sync_fetch_and_add(&exits_seen, 1);
	r = bpf_ringbuf_reserve(&exits, sizeof(*r), 0);
	if (!r) {
		__sync_fetch_and_add(&exits_dropped, 1);
		return;
	}
	__builtin_memset(r, 0, sizeof(*r));
	task_fill(r, p, &id, true);
	r->exec_ns = p->se.sum_exec_runtime;
	if (a)
		record_acct(r, a);
	r->exit_ns = now;
	r->exit_code = p->exit_code;
	if (a)
		r->max_wait_ns = a->max_wait;
	/*
	 * User space drains the ring at each refresh; wake it early only when the ring is half
	 * full, so a fork storm costs one wakeup per half ring, not one per exit.
	 */
	bpf_ringbuf_submit(r, bpf_ringbuf_query(&exits, BPF_RB_AVAIL_DATA) >
				      bpf_ringbuf_query(&exits, BPF_RB_RING_SIZE) / 2 ?
				      BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
}

/*
 * @t is switched in at @now: its run-queue wait, which sched_info is about to add to
 * run_delay, ends; an uninterruptible sleep ended when the wakeup queued it. The first
 * switch-in cputop sees has no clock pair yet: no wait then, and the sleep ends now.
 */
static __always_inline void wait_end(struct acct *a, struct task_struct *t, __u64 now)
{
	__u64 queued = task_queued(t, a, a->flags, now);

	if (queued && now - queued > a->max_wait)
		a->max_wait = now - queued;
	if (a->d_ts) {
		__u64 end = queued ?: now;

		if (end > a->d_ts)
			a->iow_ns += end - a->d_ts;
		a->d_ts = 0;
	}
}

/* This CPU's counters at a switch from @prev to @next at @now. */
static __always_inline void cpu_switch(struct task_struct *prev, struct task_struct *next,
				       bool runnable, __u64 now)
{
	struct cputop_cpu *c = cpu_get();

	if (!c)
		return;
	c->switches++;
	if (runnable && prev->pid)
		c->preempts++;
	if (c->last_ts) {
		if (prev->pid)
			c->busy_ns += now - c->last_ts;
		else
			c->idle_ns += now - c->last_ts;
	}
	c->last_ts = now;
	c->idle = !next->pid;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u64 now = bpf_ktime_get_ns();
	__u32 state = task_state(prev);
	/*
	 * Still runnable: preempted, yielding, or returning to user space with a reschedule due
	 * (which calls schedule() itself, with @preempt false). The kernel counts these in
	 * nivcsw and every other switch, a block, in nvcsw.
	 */
	bool runnable = preempt || state == TASK_RUNNING;
	struct bpf_perf_event_value cyc = {}, ins = {};
	bool pmu = false;
	struct acct *a;

	cpu_switch(prev, next, runnable, now);
	/* One read of each counter ends @prev's stretch and starts @next's. */
	if (pmu_on)
		pmu = !bpf_perf_event_read_value(&pmu_cycles, BPF_F_CURRENT_CPU, &cyc,
						 sizeof(cyc)) &&
		      !bpf_perf_event_read_value(&pmu_insns, BPF_F_CURRENT_CPU, &ins, sizeof(ins));
	/* The idle tasks (pid 0) are not processes; every other task carries its storage. */
	if (prev->pid) {

		/*
		 * First sight at switch-out: a task that blocks is inside the kernel, almost
		 * always in a system call; a runnable one was most likely in user space. Not
		 * @preempt: the return to user space calls schedule() itself, with preempt false.
		 */
		a = acct_get(prev, now, state == TASK_RUNNING ? 0 : ACCT_SYSCALL);
		if (a) {
			/* Without the system call hooks the split is the kernel's: no stretches. */
			if (syscalls_on)
				acct_close(a, now);
			if (pmu && (a->flags & ACCT_PMU)) {
				a->cycles += cyc.counter - a->cyc_in;
				a->insns += ins.counter - a->ins_in;
			}
			a->flags &= ~(ACCT_RUNNING | ACCT_PMU);
			/* D as ps(1) shows it: TASK_IDLE kernel threads sleep without load. */
			if (!runnable && (state & TASK_UNINTERRUPTIBLE) && !(state & TASK_NOLOAD))
				a->d_ts = now;
		}
		/* A dead task switches out once more, for good (do_task_dead()). */
		if (state == TASK_DEAD) {
			exit_post(prev, a, now);
			if (hash_storage) {
				__u32 tid = prev->pid;

				bpf_map_delete_elem(&acct_hash, &tid);
			}
		}
	}
	if (next->pid) {
		/*
		 * First sight at switch-in: a task that never ran is new and returns from fork
		 * through sys_exit; an older one may have been preempted in user space, and a
		 * wrong kernel guess would last as long as it makes no system call.
		 */
		__u64 exec = next->se.sum_exec_runtime;

		a = acct_get(next, now, ACCT_RUNNING | (exec ? 0 : ACCT_SYSCALL));
		if (a) {
			/* Before in_ts moves: the wait is measured with the last switch-in's pair. */
			wait_end(a, next, now);
			a->last_ts = now;
			a->in_ts = now;
			/* Exact here: the kernel updated it when the task last switched out. */
			a->exec_in = exec;
			a->flags |= ACCT_RUNNING | ACCT_ARRIVED;
			if (pmu) {
				a->cyc_in = cyc.counter;
				a->ins_in = ins.counter;
				a->flags |= ACCT_PMU;
			}
		}
	}
	return 0;
}

SEC("iter/task")
int dump_task(struct bpf_iter__task *ctx)
{
	struct task_struct *t = ctx->task;
	struct cputop_task r = {};
	__u32 af = 0, state;
	__u64 now, queued = 0, ts = 0, in_ts = 0, wait = 0;
	struct task_ids id;
	struct acct *a;
	int i;

	if (!t)
		return 0;
	state = task_state(t);
	/*
	 * The clock, for a task that runs or waits to; a sleeping one, most tasks, needs it only
	 * in D (its sleep so far) or when first seen (acct_ready() reads it then).
	 */
	now = t->on_cpu || state == TASK_RUNNING ? bpf_ktime_get_ns() : 0;
	/*
	 * Create the storage of a task never seen yet, so that its split is exact from now on.
	 * A task that is off-CPU and not runnable sleeps inside the kernel.
	 */
	a = acct_get(t, now, (t->on_cpu ? ACCT_RUNNING : 0) |
			     (state != TASK_RUNNING ? ACCT_SYSCALL : 0));
	/* The kernel walks cputop's PID namespace only: this fails just for a task released. */
	if (!task_ids(&id, t, a))
		return 0;
	task_fill(&r, t, &id, false);
	if (a && !now && READ_ONCE(a->d_ts))
		now = bpf_ktime_get_ns();
	if (a) {
		/*
		 * The task's own CPU may update the storage while it is read here: take a copy
		 * during which last_ts did not move, and close the open stretch on the copy.
		 */
		for (i = 0; i < 3; i++) {
			ts = READ_ONCE(a->last_ts);
			af = READ_ONCE(a->flags);
			in_ts = READ_ONCE(a->in_ts);
			record_acct(&r, a);
			if (READ_ONCE(a->last_ts) == ts)
				break;
		}
		/* Trust the flag only when the kernel agrees that the task is on a CPU. */
		if (!t->on_cpu)
			af &= ~ACCT_RUNNING;
		if ((af & ACCT_RUNNING) && now > ts) {
			if (af & ACCT_SYSCALL)
				r.sys_ns += now - ts;
			else
				r.user_ns += now - ts;
		}
		/*
		 * A task waiting on a run queue now: run_delay gets its wait only at switch-in,
		 * so a task kept off the CPUs would show no wait at all while it starves.
		 */
		if (!t->on_cpu)
			queued = task_queued(t, a, af, now);
		if (queued)
			wait = now - queued;
		r.wait_ns += wait;
		/*
		 * The interval's longest wait: taken, so that the next read starts afresh. Most
		 * tasks have none, and an exchange is a locked instruction.
		 */
		r.max_wait_ns = READ_ONCE(a->max_wait) ? __sync_lock_test_and_set(&a->max_wait, 0) :
							 0;
		if (wait > r.max_wait_ns)
			r.max_wait_ns = wait;
		/* An uninterruptible sleep in progress, up to now or to the wakeup that ended it. */
		ts = READ_ONCE(a->d_ts);
		if (ts && (queued ?: now) > ts)
			r.iow_ns += (queued ?: now) - ts;
	}
	r.exec_ns = task_total(t, a, af, in_ts, now);
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
