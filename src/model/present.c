// SPDX-License-Identifier: GPL-2.0
/*
 * Present, on every change of the view: the ingested rows filtered, grouped or in a tree,
 * sorted and cut. Cheap and repeatable: nothing ingested changes here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/rows.h"

/* What the rows' order needs: the view's sort, and its fields' context. */
struct row_order {
	const struct model_opts *o;
	struct field_ctx ctx;
};

static int row_cmp(const void *pa, const void *pb, void *arg)
{
	const struct row *a = pa, *b = pb;
	const struct row_order *ro = arg;
	int c = field_cmp(ro->o->sort, a, b, &ro->ctx);

	/* Ties by identity: a group row's pid is 0 and its start_ns hashes its key. */
	if (!c)
		c = cmp_u64(a->pid, b->pid) ?: (a->state == 'X') - (b->state == 'X') ?:
		    cmp_u64(a->start_ns, b->start_ns);
	else if (ro->o->descending)
		c = -c;
	return c;
}

int model_present(struct model *m, const struct model_opts *o)
{
	const struct rows *src = &m->procs;
	size_t i;
	int err = 0;

	/* Programs are made of processes; -H still counts threads in the summary. */
	m->sum.tasks = o->threads ? m->thread_counts : m->proc_counts;
	m->nr_rows = 0;
	if (o->group != GROUP_NONE) {
		err = model_groups(m, o);
	} else if (o->threads) {
		err = model_threads(m);
		src = &m->threads;
	}
	for (i = 0; !err && o->group == GROUP_NONE && i < src->nr; i++) {
		struct row *r;

		if (!row_wanted(&src->v[i], o))
			continue;
		r = row_push(&m->rows, &m->nr_rows, &m->cap_rows);
		if (!r)
			return -ENOMEM;
		*r = src->v[i];
	}
	if (err)
		return err;
	if (m->nr_rows) {	/* m->rows is still NULL when nothing ever matched */
		struct row_order ro = {
			.o = o, .ctx = { .user_name = o->user_name, .user_ctx = o->user_ctx,
					 .group = o->group, .cg = &m->cg },
		};

		qsort_r(m->rows, m->nr_rows, sizeof(*m->rows), row_cmp, &ro);
	}
	if (o->tree && group_has_tree(o->group)) {
		err = model_tree(m, o);
		if (err)
			return err;
	}
	if (o->top_n && m->nr_rows > o->top_n)
		m->nr_rows = o->top_n;
	return 0;
}

void model_free(struct model *m)
{
	free(m->procs.v);
	free(m->threads.v);
	free(m->members.v);
	free(m->order);
	free(m->rows);
	free(m->cpus);
	free(m->exits);
	free(m->spare);
	free(m->scratch);
	free(m->past);
	cg_free(&m->cg);
	memset(m, 0, sizeof(*m));
}
