/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the model's steps share (ingest, present, groups, tree); for no file outside the model.
 */
#ifndef CPUTOP_MODEL_ROWS_H
#define CPUTOP_MODEL_ROWS_H

#include "model/model.h"

static inline int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

/* Room for one more row at the end of @v (zeroed), or NULL when memory is exhausted. */
struct row *row_push(struct row **v, size_t *nr, size_t *cap);
/* A live thread's state makes the process's: any running thread means it runs. */
char state_merge(char proc, char thread);
/*
 * Add the interval figures of row @c into @r: a program's processes, a folded subtree. Each
 * row's percentages are of the same window, or each of its own life: they add.
 */
void row_sum(struct row *r, const struct row *c);
/* Whether a command name holds @needle, ignoring ASCII case (comm is at most 15 bytes). */
bool comm_has(const char *comm, const char *needle);
/* Whether the filters (-p, -u, the command filter) keep @r. */
bool row_wanted(const struct row *r, const struct model_opts *o);
/* Every task's row, made from the ingested pair on the first ask after each ingest. */
int model_threads(struct model *m);
/* The programs of @o->group: the processes the filters keep and the history's past. */
int model_groups(struct model *m, const struct model_opts *o);
/* The cgroups of @cur into the model's table, with their figures over the interval. */
int cg_ingest(struct model *m, const struct snapshot *prev, const struct snapshot *cur);
void cg_free(struct cg_table *t);
/* The sorted rows as a tree, folded rows holding their subtrees. */
int model_tree(struct model *m, const struct model_opts *o);

#endif /* CPUTOP_MODEL_ROWS_H */
