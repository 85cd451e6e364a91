/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The refresh loop: a snapshot from the source every delay, its rows from the model, the
 * frame to every sink and to the interactive view; between refreshes, the descriptors of the
 * source and the sinks, the terminal and the stop signals.
 */
#ifndef CPUTOP_LOOP_H
#define CPUTOP_LOOP_H

#include "cli.h"
#include "model/history.h"
#include "sink/sink.h"
#include "source/source.h"
#include "view/tui/tui.h"

#define LOOP_MAX_SINKS 4

struct loop {
	const struct cli *cli;		/* -n, -p, --top, --readonly */
	struct settings *set;		/* the flags', the rc file's, the keys' */
	struct source *src;
	struct sink *sinks[LOOP_MAX_SINKS];
	int sink_err[LOOP_MAX_SINKS];	/* a sink's first error: it gets no more frames */
	size_t nr_sinks;
	bool interactive;		/* the interactive view, not batch output */
	const char *rc_path;		/* where its W key writes the settings, or NULL */
	const char *rc_err;		/* what was wrong with the rc file, or NULL */
	/* The loop's own: two snapshots taking turns, the rows of the latest pair, history. */
	struct tui *tui;		/* the interactive view, while open */
	struct snapshot snaps[2];
	struct snapshot *prev, *cur;
	unsigned long reads;
	uint64_t cost_at;		/* when the source's cost was last counted, or 0 */
	struct model model;
	struct users users;
	struct history hist;
};

/*
 * Hold the stop signals (INT, TERM, HUP, QUIT) outside the loop's waits, where they end it at
 * once; a closed pipe is an EPIPE from the write, not a death. 0 or -errno.
 */
int loop_signals(void);
/*
 * Run until -n refreshes, a stop signal, q, or the end of a sink's reader; then one last
 * frame for the sinks that ask for it. Errors are told on stderr; 0 or the first -errno.
 */
int loop_run(struct loop *l);
/* Free what the loop holds: snapshots, model, history, users; the sinks too. */
void loop_free(struct loop *l);

#endif /* CPUTOP_LOOP_H */
