/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sinks: where each new snapshot and its rows go (DESIGN.md §1). The loop hands every frame
 * to every open sink, several at once (batch output and the exit log, later a recording and
 * an exporter), and never asks which one it is.
 */
#ifndef CPUTOP_SINK_H
#define CPUTOP_SINK_H

#include <stdio.h>
#include <sys/socket.h>

#include "lib/users.h"
#include "model/model.h"
#include "sink/expo.h"
#include "view/settings.h"

/* What a sink is given: a new snapshot, the rows of it and the one before, and how to show them. */
struct frame {
	const struct snapshot *prev;	/* NULL for the first snapshot */
	const struct snapshot *cur;
	const struct model *m;		/* rows, summary, exits */
	const struct settings *set;	/* fields, grouping, threads, tree */
	struct users *users;
};

struct sink;

struct sink_ops {
	/* A new frame: 0 or -errno (-EPIPE: its reader has gone, a normal end). */
	int (*write)(struct sink *k, const struct frame *f);
	/* Descriptors for the loop to poll (a listening socket), at most @max; NULL: none. */
	size_t (*fds)(struct sink *k, int *fds, size_t max);
	/* One of them polled readable. */
	int (*ready)(struct sink *k, int fd);
	/* Flush and free: nothing it was given is lost. */
	void (*close)(struct sink *k);
};

struct sink {
	const struct sink_ops *ops;
	const char *what;		/* its name in an error: "the exit log: ", or "" */
	bool metrics;			/* it shows the system metrics: the source reads them */
	bool cgroups;			/* it shows the tasks' cgroups: the source reads them */
	bool last;			/* it wants one more frame at the end: what came since */
};

/* Batch output on @f: top's text, a JSON object per line, or CSV rows (docs/output.md). */
int text_sink_open(struct sink **out, FILE *f);
int json_sink_open(struct sink **out, FILE *f);
int csv_sink_open(struct sink **out, FILE *f);
/*
 * --exit-log: a line of InfluxDB line protocol per process that exited, appended to @path ("-"
 * is standard output). 0 or -errno.
 */
int exitlog_sink_open(struct sink **out, const char *path);

/* --record and its retention. */
struct record_opts {
	const char *path;		/* a directory (a file a day in it) or a file */
	unsigned int retain_days;	/* --retain: a directory's files of this many days; 0: all */
	uint64_t retain_bytes;		/* --retain-size: all of them in this many bytes; 0: any */
};

/*
 * --record: every frame's snapshot appended to a recording (docs/record-format.md). 0 or
 * -errno, told on stderr.
 */
int record_sink_open(struct sink **out, const struct record_opts *o);

/* --listen and the --export-* options. */
struct export_opts {
	const char *listen;		/* as given, for messages; NULL: no exporter */
	struct sockaddr_storage addr;
	socklen_t addr_len;
	struct expo_opts expo;
	unsigned int streams;		/* --export-streams: /stream clients at once */
};

/*
 * --listen: /metrics for Prometheus, /snapshot and /stream for dashboards, over HTTP
 * (src/sink/http.c, docs/output.md). The socket is bound here. 0 or -errno, told on stderr.
 */
int http_sink_open(struct sink **out, const struct export_opts *o);

#endif /* CPUTOP_SINK_H */
