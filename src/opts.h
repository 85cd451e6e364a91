/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CPUTOP_OPTS_H
#define CPUTOP_OPTS_H

#include <stdio.h>

#include "source/bpf/bpf_source.h"
#include "model/model.h"

#define OPTS_MAX_PIDS 64
#define OPTS_FILTER_LEN 64

enum opts_action { OPTS_RUN, OPTS_HELP, OPTS_VERSION };

/* What the rc file can set (opts_setting); a flag given on the command line wins over it. */
enum opts_setting {
	SET_DELAY, SET_SORT, SET_THREADS, SET_FILTER, SET_USER, SET_FIELDS, SET_METERS, SET_GRAPH,
	SET_CPUS, SET_GROUP, SET_TREE, SET_METRICS, SET_NR
};

/* --format: what batch mode writes. */
enum out_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV };

extern const char *const opts_setting_names[SET_NR];

struct cputop_opts {
	enum opts_action action;
	bool batch;
	unsigned long iterations;	/* -n; 0 = until interrupted */
	double delay_s;			/* -d */
	uint32_t pids[OPTS_MAX_PIDS];	/* -p */
	size_t nr_pids;
	bool uid_set;			/* -u */
	uint32_t uid;
	enum field sort;		/* -o */
	bool descending;
	bool threads;			/* -H */
	char filter[OPTS_FILTER_LEN];	/* --filter: command substring, any case */
	enum field fields[FIELD_NR];	/* --fields: the table's columns, in order */
	size_t nr_fields;
	size_t top_n;			/* --top */
	bool no_bpf;
	struct bpf_source_opts bpf;	/* --no-syscalls, --bpf-storage */
	bool readonly;			/* --readonly: the TUI neither kills nor renices */
	bool cpu_total;			/* TUI: one aggregate CPU meter instead of one per CPU */
	bool no_graph;			/* TUI: no CPU history graph in the header */
	bool cpus;			/* --cpus: the per-CPU table (the TUI's c key) */
	bool no_metrics;		/* TUI: no system metrics lines (its m key) */
	enum group_by group;		/* --group: one row per command or user (the TUI's a) */
	bool tree;			/* --tree: the process tree (the TUI's V) */
	enum out_format format;		/* --format */
	const char *exit_log;		/* --exit-log FILE, "-" for stdout; NULL: none */
	const char *proc_root;
	const char *sys_root;
	/* The TUI's folded tree rows (its - and + keys), for the model. */
	const struct row_key *collapsed;
	size_t nr_collapsed;
	unsigned int given;		/* 1 << SET_*: settings the command line gave */
	char err[256];			/* why parsing failed */
};

/* Parse the command line; 0, or -EINVAL with the reason in o->err. Never exits. */
int opts_parse(struct cputop_opts *o, int argc, char **argv);
void opts_usage(FILE *f);
/*
 * Apply one rc setting by name (delay, sort, threads, filter, user, fields, meters, graph,
 * cpus, group, tree, metrics) with the command line's grammar; a setting the command line
 * gave is left alone. 0, or -EINVAL with the reason in o->err.
 */
int opts_setting(struct cputop_opts *o, const char *name, const char *value);
/* Apply one setting whatever the command line said (a TUI prompt); as opts_setting(). */
int opts_set(struct cputop_opts *o, enum opts_setting set, const char *value);
/* Write every rc setting as name=value lines, so that opts_setting() reads them back. */
void opts_settings_write(FILE *f, const struct cputop_opts *o);
/* A user name or numeric uid to a uid; -ENOENT when it is neither. */
int opts_user(const char *name, uint32_t *uid);

#endif /* CPUTOP_OPTS_H */
