/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every view and sink shows and how: the rc file's settings, which flags override and the
 * interactive view's keys change. Each has the command line's grammar, so that a flag, an rc
 * line and a prompt answer read alike.
 */
#ifndef CPUTOP_VIEW_SETTINGS_H
#define CPUTOP_VIEW_SETTINGS_H

#include <stdio.h>

#include "lib/users.h"
#include "model/model.h"

#define SETTINGS_FILTER_LEN 64

enum setting {
	SET_DELAY, SET_SORT, SET_THREADS, SET_FILTER, SET_USER, SET_FIELDS, SET_METERS, SET_GRAPH,
	SET_CPUS, SET_GROUP, SET_TREE, SET_METRICS, SET_CGROUP_DEPTH, SET_NR
};

/* The rc file's names: delay, sort, threads, filter, user, fields, meters, graph, ... */
extern const char *const setting_names[SET_NR];

struct settings {
	double delay_s;				/* delay: seconds between snapshots */
	enum field sort;			/* sort */
	bool descending;
	bool threads;				/* threads: a row per thread */
	char filter[SETTINGS_FILTER_LEN];	/* filter: command substring, any case */
	bool uid_set;				/* user */
	uint32_t uid;
	enum field fields[FIELD_COLUMNS];	/* fields: the table's columns, in order */
	size_t nr_fields;
	bool cpu_total;				/* meters=all: one CPU meter, not one per CPU */
	bool no_graph;				/* graph=no: no CPU history graph */
	bool cpus;				/* cpus: the per-CPU table */
	bool no_metrics;			/* metrics=no: no system metrics lines */
	enum group_by group;			/* group: a row per command, user, cgroup... */
	uint32_t cgroup_depth;			/* cgroup-depth: deeper cgroups fold up */
	bool tree;				/* tree: children under their parents */
};

/* The defaults: top's columns with %USR and %SYS, sorted by %CPU, every second. */
void settings_init(struct settings *s);
/*
 * Apply @value to setting @k; @label names it in the error ("-d", "delay"). All or nothing:
 * 0, or -EINVAL with the reason in @err.
 */
int settings_set(struct settings *s, enum setting k, const char *label, const char *value,
		 char *err, size_t errlen);
/*
 * An rc line: setting @name (one of setting_names) to @value, unless the command line gave it
 * (@given, a bit 1 << SET_* each). 0, or -EINVAL with the reason in @err.
 */
int settings_named(struct settings *s, unsigned int given, const char *name, const char *value,
		   char *err, size_t errlen);
/* Whether the table @s sets up shows cgroups: a cgroup's column, or a view by cgroup. */
bool settings_cgroups(const struct settings *s);
/* Every setting as a name=value line, so that settings_named() reads them back. */
void settings_write(FILE *f, const struct settings *s);

/*
 * What the cells and values of @cur's rows need, shown as @s says; names from @users, cgroups
 * from @cg.
 */
void settings_field_ctx(struct field_ctx *c, const struct settings *s,
			const struct snapshot *cur, const struct cg_table *cg, struct users *users);

#endif /* CPUTOP_VIEW_SETTINGS_H */
