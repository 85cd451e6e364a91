/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The last HISTORY_LEN refreshes of each row's %CPU, for the TUI's detail graph. Pure: rows in,
 * samples out, keyed by (pid, start_ns) so a reused PID starts a new history.
 */
#ifndef CPUTOP_HISTORY_H
#define CPUTOP_HISTORY_H

#include "model/model.h"

#define HISTORY_LEN 60

struct history_entry {
	uint32_t pid;
	uint64_t start_ns;
	uint32_t last_gen;		/* the refresh that last saw the row */
	float pct[HISTORY_LEN];		/* ring: pct[(gen) % HISTORY_LEN]; < 0 when not seen */
};

struct history {
	struct history_entry *v, *spare;	/* sorted by key; spare is the merge target */
	size_t nr, cap_v, cap_spare;
	const struct row **keys;		/* scratch: this refresh's rows by key */
	size_t cap_keys;
	uint32_t gen;				/* refreshes recorded */
};

/*
 * Record one refresh: each row's %CPU joins its history. Rows not seen for HISTORY_LEN
 * refreshes are forgotten. Returns 0 or -ENOMEM (the history is then unchanged).
 */
int history_update(struct history *h, const struct row *rows, size_t nr);
/*
 * The samples of (pid, start_ns), oldest first, into @out (HISTORY_LEN floats, < 0 for a
 * refresh without a sample). Returns how many refreshes are recorded (at most HISTORY_LEN),
 * or 0 when the row has no history.
 */
size_t history_get(const struct history *h, uint32_t pid, uint64_t start_ns, float *out);
void history_free(struct history *h);

#endif /* CPUTOP_HISTORY_H */
