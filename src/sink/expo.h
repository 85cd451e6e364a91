/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exporter's series (docs/output.md, "Prometheus"): what --listen's /metrics serves, kept
 * from frame to frame as counters that only grow, and written in Prometheus' text format 0.0.4
 * or OpenMetrics 1.0. Pure: no I/O but the stream it writes to, no clock; the HTTP side is
 * http.c.
 */
#ifndef CPUTOP_SINK_EXPO_H
#define CPUTOP_SINK_EXPO_H

#include <stdio.h>

#include "model/model.h"

struct expo_opts {
	size_t top;			/* --export-top: processes by CPU, then one "other" */
	enum group_by group;		/* --export-group: cgroup, unit, container, or none */
	uint32_t depth;			/* --cgroup-depth: deeper cgroups count in their ancestor */
	uint64_t expire_ns;		/* --export-expire: a key idle this long is dropped */
	size_t limit;			/* --export-limit: keys per table; more go to "(other ...)" */
};

/* What a program or a group did since it was first exported: each only grows. */
struct expo_ctrs {
	uint64_t user_ns, sys_ns;
	uint64_t started, exits, exited_ns;	/* processes started, exited, the exited's CPU */
	uint64_t sysc, vcsw, icsw, wait_ns;
	/* A group's cgroup's own figures (cpu.stat, cpu.pressure): */
	uint64_t periods, throttled, throttled_ns, psi_some_ns, psi_full_ns;
};

struct expo_entry {
	char *name;			/* the label's value: sanitised, not escaped */
	struct expo_ctrs c;
	uint32_t live;			/* its processes now */
	uint32_t have;			/* a group's CG_HAVE_* */
	double limit;			/* a group's CPUs (quota / period); 0: no limit */
	uint64_t active_ns;		/* when it last ran, started or ended a process */
};

/*
 * The keys of one label (program, or the group kind), at most @limit of them, found by name
 * through an open-addressed index; what comes when they are all taken goes to @other.
 */
struct expo_table {
	struct expo_entry *v;
	size_t nr, limit;
	uint32_t *index;		/* 1 + the entry's position; 0: free */
	size_t mask;
	struct expo_entry other;	/* "(other programs)" or "(other groups)", once full */
};

struct expo_top {
	uint32_t pid;
	char comm[SNAP_COMM_LEN];
	uint64_t cpu_ns;
};

struct expo_cpu {
	uint64_t busy_ns, csw, pre, sysc;
};

struct expo {
	struct expo_opts o;
	struct expo_table progs, groups;
	uint64_t *spilt;		/* this frame's key cgroups counted in the groups' overflow */
	size_t nr_spilt, cap_spilt;
	/* The last interval's busiest processes, and the CPU of all the others. */
	struct expo_top *top;
	size_t nr_top;
	uint64_t other_ns, interval_ns;
	struct expo_cpu *cpus;
	uint32_t nr_cpus;
	uint64_t ctr_have;
	uint32_t task_have;		/* the model's: the task counters of the interval */
	bool exits;			/* the source sees exits */
	/* The system and cputop itself, as the latest snapshot says: */
	struct psi psi;
	bool have_psi;
	uint64_t stat_busy_ns;		/* /proc/stat: what tasks run in, since boot */
	bool have_stat;
	uint64_t self_cpu_ns, hooks_ns, exits_seen, exits_delivered, exits_dropped, untracked;
	bool have_hooks;
	int64_t wall_ns;
	char source[8];
	uint64_t frames;		/* frames taken in */
};

/* Empty series for @o. 0 or -ENOMEM. */
int expo_init(struct expo *e, const struct expo_opts *o);
/* Take in a frame's model: counters advance by its interval. 0 or -ENOMEM. */
int expo_update(struct expo *e, const struct model *m);
/*
 * Every series on @f, OpenMetrics when @om, but the scrape counter and OpenMetrics' end, which
 * expo_write_tail() writes after it, per scrape.
 */
void expo_write(const struct expo *e, FILE *f, bool om);
void expo_write_tail(FILE *f, bool om, uint64_t scrapes);
void expo_free(struct expo *e);

/*
 * Whether an HTTP Accept header asks for OpenMetrics 1.0 (or any version) over Prometheus'
 * text format 0.0.4, by the q-values it gives them; NULL asks for the text format.
 */
bool expo_wants_om(const char *accept);

#define EXPO_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define EXPO_OM_CONTENT_TYPE "application/openmetrics-text; version=1.0.0; charset=utf-8"

#endif /* CPUTOP_SINK_EXPO_H */
