/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CPUTOP_OPTS_H
#define CPUTOP_OPTS_H

#include <stdio.h>

#include "model.h"

#define OPTS_MAX_PIDS 64

enum opts_action { OPTS_RUN, OPTS_HELP, OPTS_VERSION };

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
	size_t top_n;			/* --top */
	bool no_bpf;
	const char *proc_root;
	char err[256];			/* why parsing failed */
};

/* Parse the command line; 0, or -EINVAL with the reason in o->err. Never exits. */
int opts_parse(struct cputop_opts *o, int argc, char **argv);
void opts_usage(FILE *f);

#endif /* CPUTOP_OPTS_H */
