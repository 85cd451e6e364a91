// SPDX-License-Identifier: GPL-2.0
/*
 * The eBPF source: the only file that knows the skeleton. It loads bpf/cputop.bpf.c, reads
 * the task iterator each refresh, drains exit records from the ring buffer between refreshes,
 * and turns both into snapshot tasks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/perf_event.h>

#include "cputop.h"
#include "cputop.skel.h"
#include "lib/clock.h"
#include "lib/container.h"
#include "source/procfs/procfs.h"
#include "source/source.h"

#define EXIT_RING_BYTES (2u << 20)	/* ~14,000 exit records: 7,000 before a forced wakeup */

struct bpf_source {
	struct source src;
	struct procfs proc;		/* the system figures, and what the iterator misses */
	struct cputop_bpf *skel;
	struct ring_buffer *ring;
	struct cputop_task *exits;	/* drained, not yet in a snapshot */
	size_t nr_exits, cap_exits;
	uint64_t exits_lost;		/* drained but no memory to keep them */
	uint64_t exits_delivered;	/* drained and kept, since start */
	char *buf;			/* iterator read buffer */
	size_t cap;
	struct cputop_cpu *cpus;	/* one per possible CPU, as a per-CPU map lookup fills */
	int nr_cpus;
	int *pmu_fds;			/* per CPU: cycles, instructions; -1 where not open */
	const char *ipc_why;		/* why they are not counted, or NULL */
	char ipc_buf[128];
	bool hash;			/* the accounting is in the hash map, not task storage */
	bool syscalls;			/* sys_enter and sys_exit are attached */
	/*
	 * The hooks' own cost, sampled: run times are counted only while stats are enabled,
	 * and counting costs two clock reads per run (here as much as the hooks themselves), so
	 * they are on for a short window before each refresh.
	 */
	int stats_fd;			/* bpf_enable_stats(): open during a window */
	uint64_t stats_ts, stats_run;	/* the window's start, and the run time then */
	double cost;			/* the last window's run time per ns: CPUs' worth */
	bool have_cost;
	char note[160];
};

static int on_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* libbpf's diagnostics are for developers: CPUTOP_DEBUG=1 shows them. */
	if (level == LIBBPF_DEBUG || !getenv("CPUTOP_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int on_exit_record(void *ctx, void *data, size_t len)
{
	struct bpf_source *b = ctx;

	if (len < sizeof(struct cputop_task))
		return 0;
	if (b->nr_exits == b->cap_exits) {
		size_t cap = b->cap_exits ? 2 * b->cap_exits : 1024;
		struct cputop_task *v = realloc(b->exits, cap * sizeof(*v));

		if (!v) {
			b->exits_lost++;
			return 0;
		}
		b->exits = v;
		b->cap_exits = cap;
	}
	memcpy(&b->exits[b->nr_exits++], data, sizeof(struct cputop_task));
	b->exits_delivered++;
	return 0;
}

/*
 * One counter of @cpu, counting every task there, user and kernel mode alike. The second of
 * a pair joins the first's group (@group, else -1): the kernel then schedules them together,
 * so that multiplexing never counts one over a window the other missed.
 */
static int pmu_counter(uint32_t type, uint64_t config, int cpu, int group)
{
	struct perf_event_attr a = { .type = type, .size = sizeof(a), .config = config };

	return syscall(SYS_perf_event_open, &a, -1, cpu, group, PERF_FLAG_FD_CLOEXEC);
}

/*
 * Cycle and instruction counters on every CPU, before the load (the program is built with or
 * without their reads). A virtual machine often has no PMU: then IPC is unavailable, and
 * says why. CPUTOP_PMU=software counts cpu-clock in both, so that the counting path can be
 * tested on such a machine (an IPC of exactly 1).
 */
static void pmu_open(struct bpf_source *b)
{
	const char *mode = getenv("CPUTOP_PMU");
	bool sw = mode && !strcmp(mode, "software");
	uint32_t type = sw ? PERF_TYPE_SOFTWARE : PERF_TYPE_HARDWARE;
	uint64_t cyc = sw ? PERF_COUNT_SW_CPU_CLOCK : PERF_COUNT_HW_CPU_CYCLES;
	uint64_t ins = sw ? PERF_COUNT_SW_CPU_CLOCK : PERF_COUNT_HW_INSTRUCTIONS;
	int cpu, open = 0, err = 0;

	b->pmu_fds = malloc(2 * b->nr_cpus * sizeof(*b->pmu_fds));
	if (!b->pmu_fds) {
		b->ipc_why = "out of memory for the hardware counters";
		return;
	}
	for (cpu = 0; cpu < b->nr_cpus; cpu++) {
		b->pmu_fds[2 * cpu] = pmu_counter(type, cyc, cpu, -1);
		if (b->pmu_fds[2 * cpu] < 0 && !err)
			err = errno;
		b->pmu_fds[2 * cpu + 1] = b->pmu_fds[2 * cpu] < 0 ? -1 :
					  pmu_counter(type, ins, cpu, b->pmu_fds[2 * cpu]);
		if (b->pmu_fds[2 * cpu + 1] < 0 && b->pmu_fds[2 * cpu] >= 0) {
			err = errno;
			close(b->pmu_fds[2 * cpu]);
			b->pmu_fds[2 * cpu] = -1;
		}
		open += b->pmu_fds[2 * cpu] >= 0;
	}
	/* A possible CPU that is offline has none (ENODEV); one that is online must. */
	if (!open) {
		snprintf(b->ipc_buf, sizeof(b->ipc_buf), "no hardware PMU (perf_event_open of "
			 "cycles: %s)", strerror(err));
		b->ipc_why = b->ipc_buf;
	}
}

/* The counters into the program's maps, once they exist. */
static void pmu_attach(struct bpf_source *b)
{
	int cpu, cyc = bpf_map__fd(b->skel->maps.pmu_cycles);
	int ins = bpf_map__fd(b->skel->maps.pmu_insns);

	for (cpu = 0; cpu < b->nr_cpus && !b->ipc_why; cpu++) {
		uint32_t key = cpu;

		if (b->pmu_fds[2 * cpu] < 0)
			continue;
		if (bpf_map_update_elem(cyc, &key, &b->pmu_fds[2 * cpu], BPF_ANY) ||
		    bpf_map_update_elem(ins, &key, &b->pmu_fds[2 * cpu + 1], BPF_ANY)) {
			snprintf(b->ipc_buf, sizeof(b->ipc_buf), "the kernel refused the counters "
				 "of CPU %d: %s", cpu, strerror(errno));
			b->ipc_why = b->ipc_buf;
		}
	}
}

static void pmu_close(struct bpf_source *b)
{
	for (int i = 0; b->pmu_fds && i < 2 * b->nr_cpus; i++) {
		if (b->pmu_fds[i] >= 0)
			close(b->pmu_fds[i]);
	}
	free(b->pmu_fds);
}

/* The kernel's pid_max: no TID is above it, so a hash map of that size cannot fill. */
static uint32_t pid_max_read(void)
{
	unsigned int v = 0;
	FILE *f = fopen("/proc/sys/kernel/pid_max", "re");

	if (f) {
		if (fscanf(f, "%u", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v ?: 4194304;	/* PID_MAX_LIMIT on 64-bit */
}

/*
 * A size from the environment in place of @def: the tests of a full task map and a full exit
 * ring (CPUTOP_HASH_ENTRIES, CPUTOP_EXIT_RING) make them small. Anything but a positive
 * number leaves @def; libbpf rounds a ring up to a power of two of pages. Not from the
 * environment of a set-id or file-capability run, whose user could size kernel memory.
 */
static uint32_t env_size(const char *name, uint32_t def)
{
	const char *v = secure_getenv(name);
	unsigned long n;
	char *end;

	if (!v || !*v)
		return def;
	errno = 0;
	n = strtoul(v, &end, 10);
	return *end || errno || !n || n > UINT32_MAX ? def : n;
}

/*
 * The nsfs inode of cputop's PID namespace, or 0 in the initial one (PROC_PID_INIT_INO,
 * include/linux/proc_ns.h). In another, a container's, the program reports tasks by their
 * numbers there, those of its /proc and of kill(2), not by the initial namespace's.
 */
static uint32_t pidns_read(void)
{
	struct stat st;

	if (stat("/proc/self/ns/pid", &st) || st.st_ino == 0xeffffffcu)
		return 0;
	return st.st_ino;
}

/* Open and load the program for @o in form @hash; 0 or -errno with @why set. */
static int bpf_source_load(struct bpf_source *b, const struct source_opts *o, bool hash,
			   const char **why)
{
	struct cputop_bpf *skel;
	int err;

	b->skel = skel = cputop_bpf__open();
	if (!skel) {
		*why = "cannot open the eBPF object";
		return -errno;
	}
	skel->rodata->yield_nr = SYS_sched_yield;
	skel->rodata->pmu_on = !b->ipc_why;
	skel->rodata->hash_storage = hash;
	skel->rodata->syscalls_on = !o->no_syscalls;
	skel->rodata->pidns_ino = pidns_read();
	/* The form not in use is never created: its code is dead to the verifier. */
	err = bpf_map__set_autocreate(hash ? skel->maps.acct_map : skel->maps.acct_hash, false);
	if (!err && hash)
		err = bpf_map__set_max_entries(skel->maps.acct_hash,
					       env_size("CPUTOP_HASH_ENTRIES", pid_max_read()));
	if (!err && o->no_syscalls)
		err = bpf_program__set_autoload(skel->progs.on_sys_enter, false) ?:
		      bpf_program__set_autoload(skel->progs.on_sys_exit, false);
	if (!err)
		err = bpf_map__set_max_entries(skel->maps.exits,
					       env_size("CPUTOP_EXIT_RING", EXIT_RING_BYTES));
	if (err) {
		*why = "cannot set up the eBPF maps";
		return err;
	}
	err = cputop_bpf__load(skel);
	if (err)
		*why = err == -EPERM || err == -EACCES ?
		       "not permitted: eBPF needs root or CAP_BPF+CAP_PERFMON" :
		       "the kernel refused the eBPF program (CPUTOP_DEBUG=1 tells why)";
	return err;
}

/* Open, load and attach: 0, or -errno with the reason in @why. */
static int bpf_source_start(struct bpf_source *b, const struct source_opts *o, const char **why)
{
	bool task_storage;
	int err;

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		*why = "no kernel BTF at /sys/kernel/btf/vmlinux";
		return -ENOENT;
	}
	libbpf_set_print(on_libbpf_print);
	b->nr_cpus = libbpf_num_possible_cpus();
	b->cpus = b->nr_cpus > 0 ? calloc(b->nr_cpus, sizeof(*b->cpus)) : NULL;
	if (!b->cpus) {
		*why = "cannot size the per-CPU counters";
		return b->nr_cpus < 0 ? b->nr_cpus : -ENOMEM;
	}
	pmu_open(b);
	/*
	 * Task storage for tracing programs came in 5.11 with bpf_get_current_task_btf(); where
	 * the map type is missing, or the load fails with it, the hash form does the same work.
	 */
	task_storage = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_TASK_STORAGE, NULL) == 1;
	if (o->storage == BPF_STORAGE_TASK && !task_storage) {
		*why = "--bpf-storage task: this kernel has no task storage (5.11 and later)";
		return -EOPNOTSUPP;
	}
	b->hash = o->storage == BPF_STORAGE_HASH || !task_storage;
	err = bpf_source_load(b, o, b->hash, why);
	if (err && !b->hash && o->storage == BPF_STORAGE_AUTO && err != -EPERM) {
		cputop_bpf__destroy(b->skel);
		b->hash = true;
		err = bpf_source_load(b, o, true, why);
	}
	if (err)
		return err;
	pmu_attach(b);
	/* The tracepoints (sys_enter and sys_exit unless left out), and the iterator's link. */
	err = cputop_bpf__attach(b->skel);
	if (err) {
		*why = "cannot attach to the scheduler and syscall tracepoints";
		return err;
	}
	b->ring = ring_buffer__new(bpf_map__fd(b->skel->maps.exits), on_exit_record, b, NULL);
	if (!b->ring) {
		*why = "cannot open the exit ring buffer";
		return -errno;
	}
	b->syscalls = !o->no_syscalls;
	snprintf(b->note, sizeof(b->note), "%s; state in %s",
		 b->syscalls ? "exact user/sys ns from sched_switch and syscalls" :
		 "exact ns from sched_switch, user/sys by the kernel's ticks (--no-syscalls)",
		 b->hash ? "a hash map" : "task storage");
	return 0;
}

static void bpf_source_close(struct source *src)
{
	struct bpf_source *b = src ? container_of(src, struct bpf_source, src) : NULL;

	if (!b)
		return;
	ring_buffer__free(b->ring);
	if (b->stats_fd >= 0)
		close(b->stats_fd);
	cputop_bpf__destroy(b->skel);
	pmu_close(b);
	procfs_close(&b->proc);
	free(b->exits);
	free(b->buf);
	free(b->cpus);
	free(b);
}

/* ps(1)'s letter for a task state: the kernel's task_state_index() on the raw fields. */
static char state_char(uint32_t state, uint32_t exit_state)
{
	static const char letters[] = "RSDTtXZPI";
	uint32_t s = (state | exit_state) & 0x7f;	/* TASK_REPORT */
	int i = 0;

	if (state == 0x402)			/* TASK_IDLE: uninterruptible, no load */
		return 'I';
	if (state == 0x1000)			/* TASK_RTLOCK_WAIT */
		return 'D';
	while (s) {
		s >>= 1;
		i++;
	}
	return letters[i];
}

/* @part of @total in proportion @num / (@num + @other), without overflow. */
static uint64_t share(uint64_t total, uint64_t num, uint64_t other)
{
	return num + other ? (unsigned __int128)total * num / (num + other) : 0;
}

static int task_add(const struct bpf_source *b, struct snapshot *s, const struct cputop_task *r)
{
	struct snap_task *t = snapshot_add_task(s);
	bool kthread = r->flags & CPUTOP_TASK_KTHREAD;
	uint64_t base_user;

	if (!t)
		return -ENOMEM;
	t->tid = r->tid;
	t->tgid = r->tgid;
	t->ppid = r->ppid;
	t->uid = r->uid;
	t->start_ns = r->start_ns;
	t->leader_start_ns = r->leader_start_ns;
	t->dead_ns = r->dead_ns;
	t->exit_ns = r->exit_ns;
	t->kthread = kthread;
	t->state = r->exit_ns ? 'X' : state_char(r->state, r->exit_state);
	t->prio = r->prio;
	t->nice = r->nice;
	t->ctr[TASK_SYSC] = r->syscalls;
	t->ctr[TASK_VCSW] = r->nvcsw;
	t->ctr[TASK_ICSW] = r->nivcsw;
	t->ctr[TASK_MIGR] = r->migrations;
	t->ctr[TASK_WAIT_NS] = r->wait_ns;
	t->ctr[TASK_IOW_NS] = r->iow_ns;
	t->ctr[TASK_CYCLES] = r->cycles;
	t->ctr[TASK_INSNS] = r->instructions;
	t->max_wait_ns = r->max_wait_ns;
	t->cgroup_id = r->cgroup_id;
	if (r->flags & CPUTOP_TASK_SCHED_INFO)
		s->task_have |= 1u << TASK_WAIT_NS | TASK_HAVE_MAXW;
	memcpy(t->comm, r->comm, sizeof(t->comm));
	t->comm[sizeof(t->comm) - 1] = '\0';
	/* The total is the kernel's; user/sys only split it (the model scales them to it). */
	t->cpu_ns = r->exec_ns;
	/* Without the syscall hooks, the kernel's tick-sampled ratio splits the exact total. */
	if (!b->syscalls) {
		t->user_ns = r->utime + r->stime ? share(r->exec_ns, r->utime, r->stime) :
			     kthread ? 0 : r->exec_ns;
		t->sys_ns = r->exec_ns - t->user_ns;
		return 0;
	}
	if (!(r->flags & CPUTOP_TASK_TRACKED))
		return 0;	/* no storage (no memory): split unknown */
	/*
	 * Before cputop saw the task, only the kernel's tick-sampled utime/stime tell the split;
	 * from then on every nanosecond is placed exactly.
	 */
	base_user = r->base_utime + r->base_stime ? share(r->base_ns, r->base_utime, r->base_stime) :
		    kthread ? 0 : r->base_ns;
	t->user_ns = base_user + r->user_ns;
	t->sys_ns = r->base_ns - base_user + r->sys_ns;
	return 0;
}

static int iter_read(struct bpf_source *b)
{
	size_t len = 0;
	ssize_t n;
	int fd, err = 0;

	fd = bpf_iter_create(bpf_link__fd(b->skel->links.dump_task));
	if (fd < 0)
		return -errno;
	for (;;) {
		if (b->cap - len < 65536) {
			size_t cap = b->cap ? 2 * b->cap : 1 << 20;
			char *buf = realloc(b->buf, cap);

			if (!buf) {
				err = -ENOMEM;
				break;
			}
			b->buf = buf;
			b->cap = cap;
		}
		n = read(fd, b->buf + len, b->cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (!n)
			break;
		len += n;
	}
	close(fd);
	return err ? err : (int)(len / sizeof(struct cputop_task));
}

/* Each CPU's counters, with the stretch since its last switch closed at the time of reading. */
static int cpus_read(struct bpf_source *b, struct snapshot *s)
{
	static const enum cpu_ctr have[] = {
		CTR_CSW, CTR_PRE, CTR_SYSC, CTR_YLD, CTR_BUSY_NS, CTR_IDLE_NS,
	};
	uint32_t zero = 0;
	uint64_t now;
	size_t i;
	int cpu;

	if (bpf_map__lookup_elem(b->skel->maps.cpu_map, &zero, sizeof(zero), b->cpus,
				 b->nr_cpus * sizeof(*b->cpus), 0))
		return -errno;
	now = clock_ns(CLOCK_MONOTONIC);
	for (cpu = 0; cpu < b->nr_cpus; cpu++) {
		const struct cputop_cpu *c = &b->cpus[cpu];
		uint64_t open = c->last_ts && now > c->last_ts ? now - c->last_ts : 0;
		struct cpu_ctrs *v = snapshot_cpu_ctrs(s, cpu);

		if (!v)
			return -ENOMEM;
		v->v[CTR_CSW] = c->switches;
		v->v[CTR_PRE] = c->preempts;
		v->v[CTR_SYSC] = c->syscalls;
		v->v[CTR_YLD] = c->yields;
		v->v[CTR_BUSY_NS] = c->busy_ns + (c->idle ? 0 : open);
		v->v[CTR_IDLE_NS] = c->idle_ns + (c->idle ? open : 0);
	}
	for (i = 0; i < sizeof(have) / sizeof(have[0]); i++) {
		if (b->syscalls || (have[i] != CTR_SYSC && have[i] != CTR_YLD))
			s->ctr_have |= 1ull << have[i];
	}
	return 0;
}

/* The run time of the hooks so far (the iterator's is cputop's own CPU time). */
static uint64_t hooks_run_ns(const struct bpf_source *b)
{
	const struct bpf_program *progs[] = {
		b->skel->progs.on_switch, b->skel->progs.on_sys_enter, b->skel->progs.on_sys_exit,
	};
	uint64_t sum = 0;

	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		struct bpf_prog_info info = {};
		uint32_t len = sizeof(info);
		int fd = bpf_program__fd(progs[i]);

		if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len))
			sum += info.run_time_ns;
	}
	return sum;
}

static int bpf_source_cost_start(struct source *src)
{
	struct bpf_source *b = container_of(src, struct bpf_source, src);

	if (b->stats_fd >= 0)
		return 0;
	/* The counting is on while any holder keeps its descriptor (or the sysctl says so). */
	b->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (b->stats_fd < 0)
		return -errno;
	b->stats_run = hooks_run_ns(b);
	b->stats_ts = clock_ns(CLOCK_MONOTONIC);
	return 0;
}

/* End the window, if one is open, into the cost figure. */
static void cost_end(struct bpf_source *b)
{
	uint64_t run, now;

	if (b->stats_fd < 0)
		return;
	run = hooks_run_ns(b);
	now = clock_ns(CLOCK_MONOTONIC);
	close(b->stats_fd);
	b->stats_fd = -1;
	if (now <= b->stats_ts)
		return;
	b->cost = (double)(run > b->stats_run ? run - b->stats_run : 0) / (now - b->stats_ts);
	b->have_cost = true;
}

static bool snapshot_has(const struct snapshot *s, uint32_t tgid)
{
	for (size_t i = 0; i < s->nr_tasks; i++) {
		if (s->tasks[i].tgid == tgid)
			return true;
	}
	return false;
}

/* Every live task (one read of the task iterator) and every exit drained since last time. */
static int bpf_tasks_read(struct bpf_source *b, struct snapshot *s)
{
	const struct cputop_task *recs;
	uint64_t t0, t1;
	int nr, i, err;

	/* The window ends before the iterator runs: its run time is cputop's own CPU. */
	cost_end(b);
	/*
	 * The program's count of exits before the drain: every one of them is then delivered or
	 * dropped, so that delivered + dropped >= seen always, and = once exits stop.
	 */
	s->exits_seen = b->skel->bss->exits_seen;
	/* Exits first: a task that exits after this drain is still in the iterator. */
	err = ring_buffer__consume(b->ring);
	if (err < 0)
		return err;
	s->task_have = 1u << TASK_VCSW | 1u << TASK_ICSW | 1u << TASK_MIGR | 1u << TASK_IOW_NS;
	if (b->syscalls)
		s->task_have |= 1u << TASK_SYSC;
	if (!b->ipc_why)
		s->task_have |= 1u << TASK_CYCLES | 1u << TASK_INSNS;
	t0 = clock_ns(CLOCK_MONOTONIC);
	nr = iter_read(b);
	t1 = clock_ns(CLOCK_MONOTONIC);
	if (nr < 0)
		return nr;
	/* The iterator closed each running stretch at its own moment within [t0, t1]. */
	s->ts_ns = t0 + (t1 - t0) / 2;
	s->wall_ns = clock_unix_at(CLOCK_MONOTONIC, s->ts_ns);
	recs = (const struct cputop_task *)b->buf;
	for (i = 0; i < nr; i++) {
		err = task_add(b, s, &recs[i]);
		if (err)
			return err;
	}
	for (size_t j = 0; j < b->nr_exits; j++) {
		err = task_add(b, s, &b->exits[j]);
		if (err)
			return err;
	}
	b->nr_exits = 0;
	s->exits_dropped = b->skel->bss->exits_dropped + b->exits_lost;
	s->exits_delivered = b->exits_delivered;
	s->untracked = b->skel->bss->acct_lost;
	s->have_bpf_cost = b->have_cost;
	s->bpf_cost = b->cost;
	return cpus_read(b, s);
}

static int bpf_source_read(struct source *src, struct snapshot *s, const struct source_want *want)
{
	struct bpf_source *b = container_of(src, struct bpf_source, src);
	int err = bpf_tasks_read(b, s);

	if (err)
		return err;
	/* Cgroups not asked for are not read: the tasks' ids name nothing the snapshot has. */
	s->caps = src->caps & (want->cgroups ? ~0u : ~SNAP_CAP_CGROUPS);
	/*
	 * Seen on 6.18 in a container: the task iterator never returns PID 1 (asked for all
	 * tasks or for that PID alone). Its figures then come from /proc; its start time counts
	 * from boot, as the monotonic clock does while the machine has not been suspended.
	 */
	if (!snapshot_has(s, 1)) {
		err = procfs_read_pid(&b->proc, 1, s, want->cgroups);
		if (err && err != -ENOENT)
			s->task_errors++;
	}
	err = procfs_read_host(&b->proc, s, want->metrics, want->cgroups);
	/* What watching cost so far, this read's iterator included. */
	s->self_cpu_ns = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	return err;
}

/* The ring buffer: exit records wait there between reads. */
static size_t bpf_source_fds(struct source *src, int *fds, size_t max)
{
	struct bpf_source *b = container_of(src, struct bpf_source, src);

	if (!max)
		return 0;
	fds[0] = ring_buffer__epoll_fd(b->ring);
	return 1;
}

/* Move waiting exit records into user memory, so that the ring never fills between reads. */
static int bpf_source_drain(struct source *src, int fd)
{
	struct bpf_source *b = container_of(src, struct bpf_source, src);
	int n = ring_buffer__consume(b->ring);

	(void)fd;
	return n < 0 ? n : 0;
}

static void bpf_source_describe(const struct source *src, struct snapshot *s)
{
	const struct bpf_source *b = container_of(src, struct bpf_source, src);

	snprintf(s->source_kind, sizeof(s->source_kind), "ebpf");
	snprintf(s->source_name, sizeof(s->source_name), "eBPF");
	snprintf(s->source_note, sizeof(s->source_note), "%s", b->note);
	snprintf(s->ipc_why, sizeof(s->ipc_why), "%s", b->ipc_why ?: "");
}

static const struct source_ops bpf_source_ops = {
	.read = bpf_source_read,
	.fds = bpf_source_fds,
	.drain = bpf_source_drain,
	.cost_start = bpf_source_cost_start,
	.describe = bpf_source_describe,
	.close = bpf_source_close,
};

int bpf_source_open(struct source **out, const struct source_opts *o, char *why, size_t len)
{
	struct bpf_source *b = calloc(1, sizeof(*b));
	const char *reason;
	int err;

	*out = NULL;
	if (!b) {
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	b->src.ops = &bpf_source_ops;
	b->stats_fd = b->proc.root_fd = b->proc.sys_fd = -1;
	err = procfs_open(&b->proc, o->proc_root);
	if (err) {
		snprintf(why, len, "%s: %s", o->proc_root, strerror(-err));
		goto cleanup;
	}
	err = procfs_open_sys(&b->proc, o->sys_root, "/sys");
	if (err) {
		snprintf(why, len, "--sys-root %s: %s", o->sys_root, strerror(-err));
		goto cleanup;
	}
	err = bpf_source_start(b, o, &reason);
	if (err) {
		snprintf(why, len, "%s", reason);
		goto cleanup;
	}
	b->src.caps = SNAP_CAP_EXITS | SNAP_CAP_TASK_CTRS | SNAP_CAP_CPU_CTRS | SNAP_CAP_COST |
		      (b->syscalls ? SNAP_CAP_EXACT_SPLIT : 0) |
		      (b->proc.cg.v2_fd >= 0 ? SNAP_CAP_CGROUPS : 0);
	b->src.privileged = true;
	*out = &b->src;
	return 0;
cleanup:
	bpf_source_close(&b->src);
	return err;
}
