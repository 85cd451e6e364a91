/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --exit-log: a line of InfluxDB line protocol for every process that exits, written as the
 * refresh that saw it goes out, so that a record of everything that ran outlives the view.
 */
#ifndef CPUTOP_EXITLOG_H
#define CPUTOP_EXITLOG_H

#include <stdio.h>

#include "model/model.h"
#include "lib/users.h"

struct exitlog {
	FILE *f;
	bool owned;		/* opened here (not stdout) */
	uint64_t dropped;	/* ring buffer drops already reported */
};

/*
 * Open @path for appending ("-": stdout). It is created 0644 and never through a symbolic
 * link, as cputop runs as root and the directory may not be its own. 0 or -errno.
 */
int exitlog_open(struct exitlog *l, const char *path);
/*
 * The exits of the latest refresh (m->exits), then, when the ring buffer dropped records
 * since the last report, a cputop_exits_dropped line with the total. 0 or -errno.
 */
int exitlog_write(struct exitlog *l, const struct snapshot *s, const struct model *m,
		  struct users *users);
void exitlog_close(struct exitlog *l);

/*
 * One cputop_exit line, newline included, for process @e owned by @user, which exited at Unix
 * time @exit_unix_ns in cgroup @cgroup (its path; NULL, not known: no cgroup tag). Returns the
 * length, as snprintf().
 */
int exitlog_line(char *buf, size_t size, const struct proc_exit *e, const char *user,
		 const char *cgroup, int64_t exit_unix_ns);

#endif /* CPUTOP_EXITLOG_H */
