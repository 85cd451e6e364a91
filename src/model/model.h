/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pure model (DESIGN.md §1): two snapshots in, rows out. No clock, no I/O. In two steps:
 * model_ingest() once per snapshot (deltas, threads folded into processes, exits, the
 * programs' history, the summary), model_present() on every key (filter, group, tree, sort,
 * cut), as often as the view asks, from what was ingested.
 */
#ifndef CPUTOP_MODEL_H
#define CPUTOP_MODEL_H

#include "model/fields.h"
#include "model/snapshot.h"

/* A row's identity across refreshes. */
struct row_key {
	uint32_t pid;
	uint64_t start_ns;
};

struct model_opts {
	bool threads;			/* one row per thread (-H) instead of per process */
	enum field sort;
	bool descending;
	const uint32_t *pids;		/* -p: only these processes, when nr_pids > 0 */
	size_t nr_pids;
	bool uid_set;			/* -u */
	uint32_t uid;
	const char *comm_filter;	/* only commands holding this text, any case; NULL or "" */
	size_t top_n;			/* rows kept after sorting; 0 keeps all */
	enum group_by group;
	uint32_t cgroup_depth;		/* --cgroup-depth: deeper cgroups fold into their ancestor */
	/* Parents before their children: processes, or cgroups (GROUP_CGROUP; other groups none) */
	bool tree;
	/* Tree rows whose subtree is folded into them: pairs of pid and start_ns. */
	const struct row_key *collapsed;
	size_t nr_collapsed;
	/* USER sorts by name: the caller resolves uids (the model does no I/O). */
	const char *(*user_name)(uint32_t uid, void *ctx);
	void *user_ctx;
};

struct row {
	uint32_t pid;			/* TGID, or TID in thread mode */
	uint32_t tgid, ppid, uid, nr_threads;
	char state;			/* X: exited during the interval */
	int32_t prio, nice;		/* proc(5) stat (18) priority and (19) nice */
	char comm[SNAP_COMM_LEN];
	uint64_t cgroup_id;		/* its cgroup (a process's: its leader's), or a group's key */
	uint64_t start_ns;		/* with pid, the row's identity across refreshes */
	uint64_t time_ns;		/* TIME+: on-CPU total since start */
	uint64_t cpu_ns, user_ns, sys_ns;	/* on-CPU during the interval */
	double cpu_pct, usr_pct, sys_pct;	/* of one CPU, like top */
	uint64_t ctr[TASK_NR_CTRS];	/* task counters during the interval */
	uint64_t max_wait_ns;		/* longest run-queue wait of any of its tasks */
	/* Per second; for the *_NS counters, percent of the interval (of one CPU, like %CPU). */
	double rate[TASK_NR_CTRS];
	uint32_t have;			/* the snapshot's task_have bits valid for this row */
	/*
	 * Processes in the row: seen since the first snapshot, and live now (1 and 0 or 1 for a
	 * process or thread). CREDITS is time_ns in CPU-minutes.
	 */
	uint32_t count, live;
	bool many_users;		/* a command's processes have several owners */
	/* The tree: depth under the first shown ancestor, descendants folded into this row. */
	uint32_t depth, folded;
};

/*
 * A process whose last task exited during the interval, for the exit log: its whole life.
 * cpu_ns = user_ns + sys_ns is the on-CPU total of all its threads.
 */
struct proc_exit {
	uint32_t pid, ppid, uid;
	char comm[SNAP_COMM_LEN];
	uint64_t cgroup_id;		/* the cgroup it died in (model.cg) */
	uint64_t start_ns, exit_ns;	/* in the snapshot's clock */
	uint64_t cpu_ns, user_ns, sys_ns;
};

/*
 * One CPU over the interval: each /proc/stat tick field's share in percent, and each counter
 * per second, but CTR_BUSY_NS and CTR_IDLE_NS, which are percent of the time measured.
 */
struct cpu_row {
	double pct[CPU_NR_FIELDS];
	double rate[CTR_NR];
};

/* Tasks by state: the header's Tasks (or Threads) line. */
struct task_counts {
	uint32_t total, running, sleeping, stopped, zombie, exited;
};

struct summary {
	bool since_start;		/* first snapshot: figures are averages since start */
	uint64_t interval_ns;
	struct task_counts tasks;	/* processes, or threads when they are the rows */
	uint64_t tasks_ns;		/* on-CPU time of all tasks (live and exited) */
	uint64_t busy_ns;		/* busy time of all CPUs by /proc/stat */
	uint64_t tasks_sysc;		/* system calls of all tasks (live and exited) */
	double ctxt_rate;		/* /proc/stat ctxt per second */
	double intr_rate;		/* /proc/stat intr per second, when both snapshots have it */
	/*
	 * 0, or why the /proc/stat figures (tick shares, busy_ns, ctxt_rate, intr_rate) are
	 * unavailable: the file failed at either end of the interval (-errno).
	 */
	int ticks_err;
	/* What watching costs, in % of one CPU, or -1 when not known: */
	double self_pct;		/* cputop's own CPU over the interval (its iterator reads too) */
	double hooks_pct;		/* its eBPF hooks' run time in the tasks they trace */
	/* The system's CPU pressure stall over the interval, in % of it; -1 when not known. */
	double psi_some_pct, psi_full_pct;
	uint64_t ctr_have;		/* cpu_ctr bits valid in every cpu_row */
	struct cpu_row all;		/* all CPUs: the rates summed, the ticks' shares of all */
};

/*
 * What the per-program views keep of processes that have gone, per command name, owner and
 * cgroup: every view, and any filter on another key, is served from the one history.
 */
struct group_past {
	char comm[SNAP_COMM_LEN];
	uint32_t uid;
	uint64_t cgroup_id;
	uint32_t exited;		/* processes that exited since the first snapshot */
	uint64_t exited_ns;		/* their on-CPU totals */
};

/*
 * A cgroup as the views show it: the model's own copy, kept while the programs' history may
 * name it, and what the cgroup may use and what it got over the interval.
 */
struct cg_row {
	uint64_t id, parent;
	char *path;			/* "/", "/system.slice/foo.service": raw, unsanitised */
	uint32_t depth;			/* components below the root: "/" is 0 */
	uint64_t unit;			/* the cgroup naming its systemd unit (it or an ancestor) */
	uint64_t container;		/* the cgroup naming its container; 0: none */
	bool present;			/* in the latest snapshot: the figures below are its */
	uint32_t have;			/* CG_HAVE_*: THROTTLE and PSI over the interval */
	double limit;			/* CPUs it may use: quota / period; 0 for no limit */
	uint64_t nr_periods, nr_throttled, throttled_ns;	/* during the interval */
	double thr_pct;			/* throttled_ns in % of the interval (of one CPU) */
	struct psi psi;			/* as the kernel last said */
	double psi_some_pct, psi_full_pct;	/* stalled during the interval, % of it */
};

/* The cgroups met so far, sorted by id. */
struct cg_table {
	struct cg_row *v;
	size_t nr, cap;
};

/* The cgroup @id, or NULL when none is known. */
const struct cg_row *cg_find(const struct cg_table *t, uint64_t id);
/*
 * What a cgroup key of @g groups @id under: the cgroup itself, or its ancestor at @depth when
 * it is deeper and @depth is not 0 (GROUP_CGROUP); its unit's or container's cgroup; 0 when
 * it has none or is not known.
 */
uint64_t cg_key(const struct cg_table *t, uint64_t id, enum group_by g, uint32_t depth);
/* Whether the kernel throttled cgroup @id at its limit during the interval. */
bool cg_throttled(const struct cg_table *t, uint64_t id);
/* The last component of @c's path ("/" for the root). */
const char *cg_name(const struct cg_row *c);
/* The container id in a cgroup's name @name, 64 hexadecimal digits, or NULL when none. */
#define CONTAINER_ID_LEN 64
const char *cg_container_id(const char *name);
/* Whether a cgroup named @name is a systemd unit's: *.service, *.scope or *.slice. */
bool cg_is_unit(const char *name);

/* A growing array of rows. */
struct rows {
	struct row *v;
	size_t nr, cap;
};

struct model {
	/* Ingested, once per snapshot: */
	const struct snapshot *prev, *cur;	/* the pair, the caller's until the next ingest */
	struct rows procs;		/* every process, threads folded in */
	struct rows threads;		/* every task, made when a view first asks for them */
	bool threads_made;
	struct task_counts proc_counts, thread_counts;
	uint32_t have;			/* the task_have bits valid over the interval */
	struct proc_exit *exits;	/* processes gone during the interval, filters aside */
	size_t nr_exits, cap_exits;
	/* The programs' history, sorted by command name then uid; kept whatever the view. */
	struct group_past *past;
	size_t nr_past, cap_past;
	struct summary sum;
	struct cpu_row *cpus;		/* per CPU, indexed by CPU number */
	uint32_t nr_cpus, cap_cpus;
	struct cg_table cg;		/* every cgroup met, and over the interval, its figures */
	struct metrics_rates sys;	/* the system collectors' rates over the interval */
	/* Presented, on every change of the view: */
	struct row *rows;		/* filtered, grouped or in a tree, sorted, cut to top_n */
	size_t nr_rows, cap_rows;
	struct rows members;		/* grouping's work: the programs' members, */
	size_t *order;			/* and their order, by program */
	size_t cap_order;
	struct row *spare;		/* the tree's output, swapped with rows */
	size_t *scratch;		/* the tree's work space: TREE_ARRAYS * cap_rows */
	size_t cap_spare;
};

/*
 * Sort the tasks of a freshly filled snapshot by process and task identity and merge a live
 * record with the exit record of the same task (the exit record wins).
 */
void snapshot_prepare(struct snapshot *s);
/*
 * Take in @cur against @prev (NULL for the first snapshot): both must stay as they are until
 * the next ingest. Its exits go into the programs' history: once per snapshot. 0 or -ENOMEM.
 */
int model_ingest(struct model *m, const struct snapshot *prev, const struct snapshot *cur);
/* The rows of the ingested pair as @o asks, and the summary's counts. 0 or -ENOMEM. */
int model_present(struct model *m, const struct model_opts *o);
void model_free(struct model *m);
/* Instructions per cycle of a row over the interval; 0 when it ran no cycle. */
double row_ipc(const struct row *r);

#endif /* CPUTOP_MODEL_H */
