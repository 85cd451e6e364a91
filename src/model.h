/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pure model (DESIGN.md §1): two snapshots in, rows out. No clock, no I/O.
 */
#ifndef CPUTOP_MODEL_H
#define CPUTOP_MODEL_H

#include "snapshot.h"

/* The table's columns; -o, --fields and the sort keys name them. */
enum field {
	FIELD_PID, FIELD_USER, FIELD_STATE, FIELD_THR, FIELD_CPU, FIELD_USR, FIELD_SYS,
	FIELD_SYSC, FIELD_VCSW, FIELD_ICSW, FIELD_WAIT, FIELD_MAXW, FIELD_IOW, FIELD_MIGR,
	FIELD_TIME, FIELD_COMMAND,
	FIELD_NR
};

extern const char *const field_names[FIELD_NR];

/* FIELD_* for a column name, case-insensitive; -EINVAL when there is none. */
int field_parse(const char *name, enum field *f);
/* The enum task_ctr behind a column (SYSC, VCSW, ICSW, WAIT%, IOW%, MIGR), or -1. */
int field_ctr(enum field f);
/* Whether a row whose counters are @have (struct row.have) has a value for @f. */
bool field_available(enum field f, uint32_t have);
/* Whether a field sorts high-to-low unless asked otherwise (numbers do, names do not). */
bool field_descends(enum field f);

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
	/* USER sorts by name: the caller resolves uids (the model does no I/O). */
	const char *(*user_name)(uint32_t uid, void *ctx);
	void *user_ctx;
};

struct row {
	uint32_t pid;			/* TGID, or TID in thread mode */
	uint32_t tgid, ppid, uid, nr_threads;
	char state;			/* X: exited during the interval */
	char comm[SNAP_COMM_LEN];
	uint64_t start_ns;		/* with pid, the row's identity across refreshes */
	uint64_t time_ns;		/* TIME+: on-CPU total since start */
	uint64_t cpu_ns, user_ns, sys_ns;	/* on-CPU during the interval */
	double cpu_pct, usr_pct, sys_pct;	/* of one CPU, like top */
	uint64_t ctr[TASK_NR_CTRS];	/* task counters during the interval */
	uint64_t max_wait_ns;		/* longest run-queue wait of any of its tasks */
	/* Per second; for the *_NS counters, percent of the interval (of one CPU, like %CPU). */
	double rate[TASK_NR_CTRS];
	uint32_t have;			/* the snapshot's task_have bits valid for this row */
};

/*
 * One CPU over the interval: each /proc/stat tick field's share in percent, and each counter
 * per second, but CTR_BUSY_NS and CTR_IDLE_NS, which are percent of the time measured.
 */
struct cpu_row {
	double pct[CPU_NR_FIELDS];
	double rate[CTR_NR];
};

struct summary {
	bool since_start;		/* first snapshot: figures are averages since start */
	uint64_t interval_ns;
	uint32_t total, running, sleeping, stopped, zombie, exited;
	uint64_t tasks_ns;		/* on-CPU time of all tasks (live and exited) */
	uint64_t busy_ns;		/* busy time of all CPUs by /proc/stat */
	uint64_t tasks_sysc;		/* system calls of all tasks (live and exited) */
	double ctxt_rate;		/* /proc/stat ctxt per second */
	uint64_t ctr_have;		/* cpu_ctr bits valid in every cpu_row */
	struct cpu_row all;		/* all CPUs: the rates summed, the ticks' shares of all */
};

struct model {
	struct row *rows;		/* filtered, sorted, cut to top_n */
	size_t nr_rows, cap_rows;
	struct summary sum;
	struct cpu_row *cpus;		/* per CPU, indexed by CPU number */
	uint32_t nr_cpus, cap_cpus;
};

/*
 * Sort the tasks of a freshly filled snapshot by process and task identity and merge a live
 * record with the exit record of the same task (the exit record wins).
 */
void snapshot_prepare(struct snapshot *s);
/* Rows and summary of @cur against @prev (NULL for the first snapshot). */
int model_update(struct model *m, const struct snapshot *prev, const struct snapshot *cur,
		 const struct model_opts *o);
void model_free(struct model *m);

#endif /* CPUTOP_MODEL_H */
