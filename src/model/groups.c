// SPDX-License-Identifier: GPL-2.0
/*
 * The per-program views: a row per program, the processes the filters keep and the history
 * of those that have gone, gathered by a table of key functions (command, user, cgroup, unit,
 * container).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/rows.h"

/* FNV-1a: a group row's start_ns, so that its identity (pid 0, start_ns) follows its key. */
static uint64_t key_hash(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 0xcbf29ce484222325ull;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* What makes a program: how its members are ordered, what its row takes from the first. */
struct group_key {
	int (*cmp)(const struct row *a, const struct row *b);
	void (*key)(struct row *g, const struct row *first);
};

static int comm_cmp(const struct row *a, const struct row *b)
{
	return strncmp(a->comm, b->comm, SNAP_COMM_LEN);
}

static void comm_key(struct row *g, const struct row *first)
{
	memcpy(g->comm, first->comm, sizeof(g->comm));
	g->start_ns = key_hash(g->comm, strnlen(g->comm, SNAP_COMM_LEN));
}

static int uid_cmp(const struct row *a, const struct row *b)
{
	return cmp_u64(a->uid, b->uid);
}

static void uid_key(struct row *g, const struct row *first)
{
	g->start_ns = key_hash(&first->uid, sizeof(first->uid));
}

/* By cgroup, unit or container: the member's cgroup_id is already its group's cgroup. */
static int cgroup_cmp(const struct row *a, const struct row *b)
{
	return cmp_u64(a->cgroup_id, b->cgroup_id);
}

static void cgroup_key(struct row *g, const struct row *first)
{
	g->cgroup_id = first->cgroup_id;
	g->start_ns = key_hash(&first->cgroup_id, sizeof(first->cgroup_id));
}

static const struct group_key group_keys[GROUP_NR] = {
	[GROUP_COMM] = { comm_cmp, comm_key },
	[GROUP_USER] = { uid_cmp, uid_key },
	[GROUP_CGROUP] = { cgroup_cmp, cgroup_key },
	[GROUP_UNIT] = { cgroup_cmp, cgroup_key },
	[GROUP_CONTAINER] = { cgroup_cmp, cgroup_key },
};

/* Whether the filters keep the history entry @e: -p keeps only the processes named. */
static bool past_wanted(const struct group_past *e, const struct model_opts *o)
{
	return e->exited && !o->nr_pids && (!o->uid_set || e->uid == o->uid) &&
	       (!o->comm_filter || !*o->comm_filter || comm_has(e->comm, o->comm_filter));
}

/* The members by program, each program's in the order they came (their index). */
struct member_order {
	const struct group_key *k;
	const struct row *v;
};

static int member_cmp(const void *pa, const void *pb, void *arg)
{
	const struct member_order *o = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

	return o->k->cmp(&o->v[a], &o->v[b]) ?: cmp_u64(a, b);
}

/*
 * Add member @c into program row @r. A process adds its interval figures, and, when live, one
 * process and its TIME+; one that exited during the interval counts in the past, which holds
 * every process that has gone (pid 0: its count of them and their totals).
 */
static void member_add(struct row *r, const struct row *c)
{
	r->many_users |= r->uid != c->uid;
	if (!c->pid) {
		r->count += c->count;
		r->time_ns += c->time_ns;
		return;
	}
	r->nr_threads += c->nr_threads;
	row_sum(r, c);
	if (c->live) {
		r->live++;
		r->count++;
		r->time_ns += c->time_ns;
		r->state = r->state == 'X' ? c->state : state_merge(r->state, c->state);
	}
}

/*
 * The members: the processes the filters keep, in task order, then the past they keep, so
 * that a program's sums add up in the same order whatever the view.
 */
static int members_gather(struct model *m, const struct model_opts *o)
{
	struct rows *mem = &m->members;
	size_t i;

	mem->nr = 0;
	for (i = 0; i < m->procs.nr; i++) {
		struct row *c;

		if (!row_wanted(&m->procs.v[i], o))
			continue;
		c = row_push(&mem->v, &mem->nr, &mem->cap);
		if (!c)
			return -ENOMEM;
		*c = m->procs.v[i];
	}
	for (i = 0; i < m->nr_past; i++) {
		const struct group_past *e = &m->past[i];
		struct row *c;

		if (!past_wanted(e, o))
			continue;
		c = row_push(&mem->v, &mem->nr, &mem->cap);
		if (!c)
			return -ENOMEM;
		memcpy(c->comm, e->comm, sizeof(c->comm));
		c->uid = e->uid;
		c->cgroup_id = e->cgroup_id;
		c->count = e->exited;
		c->time_ns = e->exited_ns;
	}
	if (mem->cap > m->cap_order) {
		size_t *v = realloc(m->order, mem->cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->order = v;
		m->cap_order = mem->cap;
	}
	for (i = 0; i < mem->nr; i++)
		m->order[i] = i;
	/* Each member under its group's cgroup: itself, an ancestor, its unit's, its container's. */
	for (i = 0; group_is_cgroup(o->group) && i < mem->nr; i++)
		mem->v[i].cgroup_id = cg_key(&m->cg, mem->v[i].cgroup_id, o->group,
					     o->cgroup_depth);
	return 0;
}

/* The row of cgroup @id among the @sorted first rows (by id) and those after; SIZE_MAX. */
static size_t cg_row_of(const struct model *m, size_t sorted, uint64_t id)
{
	size_t lo = 0, hi = sorted, i;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->rows[mid].cgroup_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < sorted && m->rows[lo].cgroup_id == id)
		return lo;
	for (i = sorted; i < m->nr_rows; i++) {
		if (m->rows[i].cgroup_id == id)
			return i;
	}
	return SIZE_MAX;
}

/* Add the subtree of row @c into its parent's row @r. */
static void subtree_add(struct row *r, const struct row *c)
{
	r->many_users |= r->uid != c->uid || c->many_users;
	r->nr_threads += c->nr_threads;
	r->count += c->count;
	r->live += c->live;
	r->time_ns += c->time_ns;
	row_sum(r, c);
	if (c->live)
		r->state = r->state == 'X' ? c->state : state_merge(r->state, c->state);
}

static uint32_t row_cg_depth(const struct model *m, const struct row *r)
{
	const struct cg_row *c = cg_find(&m->cg, r->cgroup_id);

	return c ? c->depth : 0;
}

/* Deepest first: each subtree is whole before it goes into its parent. */
static int depth_cmp(const void *pa, const void *pb, void *arg)
{
	const struct model *m = arg;
	const struct row *a = &m->rows[*(const size_t *)pa], *b = &m->rows[*(const size_t *)pb];

	return cmp_u64(row_cg_depth(m, b), row_cg_depth(m, a));
}

/*
 * The cgroup tree (V in the per-cgroup view): every ancestor of a cgroup with members has its
 * row, and each row holds its whole subtree, as the kernel's own figures of a cgroup (its
 * limit, throttling and pressure) do. The rows come in sorted by cgroup id.
 */
static int cg_subtrees(struct model *m)
{
	size_t sorted = m->nr_rows, i, *order;

	for (i = 0; i < m->nr_rows; i++) {
		const struct cg_row *c = cg_find(&m->cg, m->rows[i].cgroup_id);
		struct row *r;

		if (!c || !c->parent || cg_row_of(m, sorted, c->parent) != SIZE_MAX)
			continue;
		r = row_push(&m->rows, &m->nr_rows, &m->cap_rows);
		if (!r)
			return -ENOMEM;
		r->state = 'X';
		r->have = m->have;
		r->uid = m->rows[i].uid;
		cgroup_key(r, &(struct row){ .cgroup_id = c->parent });
	}
	order = malloc(m->nr_rows * sizeof(*order));
	if (!order)
		return -ENOMEM;
	for (i = 0; i < m->nr_rows; i++)
		order[i] = i;
	qsort_r(order, m->nr_rows, sizeof(*order), depth_cmp, m);
	for (i = 0; i < m->nr_rows; i++) {
		const struct row *c = &m->rows[order[i]];
		const struct cg_row *g = cg_find(&m->cg, c->cgroup_id);
		size_t p = g && g->parent ? cg_row_of(m, sorted, g->parent) : SIZE_MAX;

		if (p != SIZE_MAX)
			subtree_add(&m->rows[p], c);
	}
	free(order);
	return 0;
}

int model_groups(struct model *m, const struct model_opts *o)
{
	const struct group_key *k = &group_keys[o->group];
	struct member_order order = { k, NULL };
	struct row *r = NULL;
	size_t i;
	int err = members_gather(m, o);

	if (err)
		return err;
	order.v = m->members.v;
	if (m->members.nr)
		qsort_r(m->order, m->members.nr, sizeof(*m->order), member_cmp, &order);
	for (i = 0; i < m->members.nr; i++) {
		const struct row *c = &m->members.v[m->order[i]];

		if (!r || k->cmp(r, c)) {
			/* A program's row: pid 0, its start_ns a hash of its key. */
			r = row_push(&m->rows, &m->nr_rows, &m->cap_rows);
			if (!r)
				return -ENOMEM;
			r->uid = c->uid;
			r->state = 'X';
			r->have = m->have;
			k->key(r, c);
		}
		member_add(r, c);
	}
	return o->tree && o->group == GROUP_CGROUP ? cg_subtrees(m) : 0;
}
