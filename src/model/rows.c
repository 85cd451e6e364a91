// SPDX-License-Identifier: GPL-2.0
/*
 * The model's shared pieces: row arrays, merging states and figures, the filters.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/rows.h"

struct row *row_push(struct row **v, size_t *nr, size_t *cap)
{
	if (*nr == *cap) {
		size_t n = *cap ? *cap * 2 : 1024;
		struct row *rows = realloc(*v, n * sizeof(*rows));

		if (!rows)
			return NULL;
		*v = rows;
		*cap = n;
	}
	return memset(&(*v)[(*nr)++], 0, sizeof(struct row));
}

char state_merge(char proc, char thread)
{
	static const char rank[] = "RDTtSIPZX";	/* most telling first */
	const char *a = strchr(rank, proc), *b = strchr(rank, thread);

	return !a || (b && b < a) ? thread : proc;
}

void row_sum(struct row *r, const struct row *c)
{
	r->cpu_ns += c->cpu_ns;
	r->user_ns += c->user_ns;
	r->sys_ns += c->sys_ns;
	r->cpu_pct += c->cpu_pct;
	r->usr_pct += c->usr_pct;
	r->sys_pct += c->sys_pct;
	for (int k = 0; k < TASK_NR_CTRS; k++) {
		r->ctr[k] += c->ctr[k];
		r->rate[k] += c->rate[k];
	}
	if (c->max_wait_ns > r->max_wait_ns)
		r->max_wait_ns = c->max_wait_ns;
	r->have &= c->have;
}

bool comm_has(const char *comm, const char *needle)
{
	char c[SNAP_COMM_LEN];

	memcpy(c, comm, sizeof(c));
	c[sizeof(c) - 1] = '\0';
	return strcasestr(c, needle);
}

bool row_wanted(const struct row *r, const struct model_opts *o)
{
	size_t i;

	if (o->uid_set && r->uid != o->uid)
		return false;
	if (o->comm_filter && *o->comm_filter && !comm_has(r->comm, o->comm_filter))
		return false;
	if (!o->nr_pids)
		return true;
	for (i = 0; i < o->nr_pids; i++) {
		if (o->pids[i] == r->tgid)
			return true;
	}
	return false;
}
