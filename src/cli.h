/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command line: what to run and how (the sources, batch or interactive, the outputs), and
 * the settings its flags give (view/settings.h), which win over the rc file's.
 */
#ifndef CPUTOP_CLI_H
#define CPUTOP_CLI_H

#include <stdio.h>

#include "sink/sink.h"
#include "source/source.h"
#include "view/settings.h"

#define CLI_MAX_PIDS 64

enum cli_action { CLI_RUN, CLI_HELP, CLI_VERSION, CLI_THIN };

/* --format: what batch mode writes; none, nothing (--record, --exit-log alone). */
enum out_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV, FORMAT_NONE };

struct cli {
	enum cli_action action;
	bool batch;			/* -b */
	unsigned long iterations;	/* -n; 0 = until interrupted */
	uint32_t pids[CLI_MAX_PIDS];	/* -p */
	size_t nr_pids;
	size_t top_n;			/* --top */
	bool readonly;			/* --readonly: the TUI neither kills nor renices */
	enum out_format format;		/* --format */
	const char *exit_log;		/* --exit-log FILE, "-" for stdout; NULL: none */
	struct record_opts record;	/* --record (path NULL: none), --retain, --retain-size */
	struct export_opts export;	/* --listen (NULL: none) and the --export-* options */
	/* --thin PATH: rewrite it keeping a sample every --keep for those older than --after */
	const char *thin;
	uint64_t thin_keep_ns, thin_after_ns;
	struct source_opts src;
	struct settings set;		/* the defaults and the flags' settings */
	unsigned int given;		/* 1 << SET_*: settings the command line gave */
	char err[256];			/* why parsing failed */
};

/* Parse the command line; 0, or -EINVAL with the reason in c->err. Never exits. */
int cli_parse(struct cli *c, int argc, char **argv);
void cli_usage(FILE *f);

#endif /* CPUTOP_CLI_H */
