// SPDX-License-Identifier: GPL-2.0
/*
 * The process tree: parents before their children, subtrees folded into their root; and the
 * cgroup tree, whose rows already hold their subtrees.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/rows.h"

/*
 * Add row @c's figures into @r: a folded subtree shows its descendants' CPU in its root, which
 * a cgroup's row (@held) has already.
 */
static void row_absorb(struct row *r, const struct row *c, bool held)
{
	r->folded++;
	if (held)
		return;
	row_sum(r, c);
	r->time_ns += c->time_ns;
	r->nr_threads += c->nr_threads;
	r->count += c->count;
	r->live += c->live;
}

static bool row_collapsed(const struct row *r, const struct model_opts *o)
{
	for (size_t i = 0; i < o->nr_collapsed; i++) {
		if (o->collapsed[i].pid == r->pid && o->collapsed[i].start_ns == r->start_ns)
			return true;
	}
	return false;
}

/* A row's place in its tree: a process by its PID, a cgroup's row by the cgroup's id. */
static uint64_t tree_key(const struct row *r, bool cg)
{
	return cg ? r->cgroup_id : r->pid;
}

/* Its parent's key: a thread's process, a process's parent, a cgroup's parent; 0 for none. */
static uint64_t tree_parent(const struct model *m, const struct row *r, bool cg)
{
	const struct cg_row *c;

	if (!cg)
		return r->pid != r->tgid ? r->tgid : r->ppid != r->pid ? r->ppid : 0;
	c = cg_find(&m->cg, r->cgroup_id);
	return c ? c->parent : 0;
}

struct tree_rows {
	const struct row *rows;
	bool cg;
};

/* Rows by key, a live row before an exited one of the same pid (reused since). */
static int key_cmp(const void *pa, const void *pb, void *arg)
{
	const struct tree_rows *t = arg;
	const struct row *a = &t->rows[*(const size_t *)pa], *b = &t->rows[*(const size_t *)pb];

	return cmp_u64(tree_key(a, t->cg), tree_key(b, t->cg)) ?:
	       (a->state == 'X') - (b->state == 'X');
}

/* The shown row of @key, or SIZE_MAX. */
static size_t key_lookup(const struct tree_rows *t, const size_t *by_key, size_t n, uint64_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tree_key(&t->rows[by_key[mid]], t->cg) < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && tree_key(&t->rows[by_key[lo]], t->cg) == key ? by_key[lo] : SIZE_MAX;
}

/* tree_order()'s work arrays, each a row's worth of size_t. */
#define TREE_ARRAYS 8

static int tree_space(struct model *m)
{
	if (m->cap_spare == m->cap_rows)
		return 0;
	free(m->spare);
	free(m->scratch);
	m->spare = malloc(m->cap_rows * sizeof(*m->spare));
	m->scratch = malloc(TREE_ARRAYS * m->cap_rows * sizeof(*m->scratch));
	m->cap_spare = m->spare && m->scratch ? m->cap_rows : 0;
	return m->cap_spare ? 0 : -ENOMEM;
}

/*
 * The sorted rows as a tree: each parent before its children, siblings in sort order, depth
 * counted from the first shown ancestor (a thread's parent is its process's leader). A row
 * whose parent is not shown is a root, and so is the first row met of a cycle of parents (a
 * torn or hostile /proc can make one), which would otherwise be lost. A collapsed row takes
 * its descendants' figures, and they are not shown.
 */
int model_tree(struct model *m, const struct model_opts *o)
{
	const size_t none = SIZE_MAX, n = m->nr_rows;
	size_t *by_key, *parent, *first, *next, *tail, *st_row, *st_depth, *st_fold;
	size_t i, r, out = 0, top = 0;
	struct row *rows = m->rows;
	const struct tree_rows keys = { rows, o->group == GROUP_CGROUP };
	int err;

	/* Nothing to order, and m->scratch may still be NULL: no arithmetic on it, no qsort_r(). */
	if (!n)
		return 0;
	err = tree_space(m);
	if (err)
		return err;
	by_key = m->scratch;
	parent = by_key + n;
	first = parent + n;
	next = first + n;
	tail = next + n;
	st_row = tail + n;
	st_depth = st_row + n;
	st_fold = st_depth + n;	/* the output row a stacked row folds into, or none */
	for (i = 0; i < n; i++) {
		by_key[i] = i;
		first[i] = next[i] = none;
	}
	qsort_r(by_key, n, sizeof(*by_key), key_cmp, (void *)&keys);
	/* Children lists, built in sort order. */
	for (i = 0; i < n; i++) {
		uint64_t up = tree_parent(m, &rows[i], keys.cg);
		size_t p = up ? key_lookup(&keys, by_key, n, up) : none;

		parent[i] = p == i ? none : p;
		if (parent[i] == none)
			continue;
		if (first[p] == none)
			first[p] = i;
		else
			next[tail[p]] = i;
		tail[p] = i;
	}
	/* From here tail[] marks the rows placed. */
	memset(tail, 0, n * sizeof(*tail));
	/* Roots: the parentless rows in sort order, then the first met of any cycle left. */
	for (r = 0; r < 2 * n; r++) {
		size_t x = r % n;

		if (tail[x] || (r < n && parent[x] != none))
			continue;
		/*
		 * Left after the first pass, a row descends from a cycle (its ancestors are all
		 * unplaced too, or it would be placed): n parents up is on the cycle, which is
		 * entered at its first row in sort order.
		 */
		if (r >= n) {
			size_t y, first_row;

			for (i = 0; i < n; i++)
				x = parent[x];
			first_row = x;
			for (y = parent[x]; y != x; y = parent[y])
				first_row = y < first_row ? y : first_row;
			x = first_row;
		}
		tail[x] = 1;
		st_row[top] = x;
		st_depth[top] = 0;
		st_fold[top++] = none;
		while (top) {
			size_t d, f, c, from;

			top--;
			x = st_row[top];
			d = st_depth[top];
			f = st_fold[top];
			if (f == none) {
				m->spare[out] = rows[x];
				m->spare[out].depth = d;
				m->spare[out].folded = 0;
				f = row_collapsed(&rows[x], o) ? out : none;
				out++;
			} else {
				row_absorb(&m->spare[f], &rows[x], keys.cg);
			}
			/* Children pushed last first, so that they come off in sort order. */
			from = top;
			for (c = first[x]; c != none; c = next[c]) {
				if (tail[c])
					continue;
				tail[c] = 1;
				st_row[top] = c;
				st_depth[top] = d + 1;
				st_fold[top++] = f;
			}
			for (i = 0; i < (top - from) / 2; i++) {
				size_t a = from + i, b = top - 1 - i, t = st_row[a];

				st_row[a] = st_row[b];
				st_row[b] = t;
			}
		}
	}
	m->rows = m->spare;
	m->spare = rows;
	m->nr_rows = out;
	return 0;
}
