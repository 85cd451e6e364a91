// SPDX-License-Identifier: GPL-2.0
/*
 * Per-row %CPU history: a sorted array merged with each refresh's rows, so a refresh costs
 * one sort of pointers and one linear merge, and no allocation once the arrays have grown.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/array.h"
#include "model/history.h"

static int key_cmp(uint32_t pa, uint64_t sa, uint32_t pb, uint64_t sb)
{
	if (pa != pb)
		return pa < pb ? -1 : 1;
	return (sa > sb) - (sa < sb);
}

static int row_ptr_cmp(const void *a, const void *b)
{
	const struct row *x = *(const struct row *const *)a, *y = *(const struct row *const *)b;

	return key_cmp(x->pid, x->start_ns, y->pid, y->start_ns);
}

static void entry_init(struct history_entry *e, const struct row *r)
{
	size_t k;

	e->pid = r->pid;
	e->start_ns = r->start_ns;
	for (k = 0; k < HISTORY_LEN; k++)
		e->pct[k] = -1;
}

int history_update(struct history *h, const struct row *rows, size_t nr)
{
	uint32_t gen = h->gen + 1, slot = gen % HISTORY_LEN;
	size_t i = 0, j = 0, n = 0;
	struct history_entry *t;
	int err;

	err = array_grow((void **)&h->keys, &h->cap_keys, nr, sizeof(*h->keys)) ?:
	      array_grow((void **)&h->v, &h->cap_v, h->nr + nr, sizeof(*h->v)) ?:
	      array_grow((void **)&h->spare, &h->cap_spare, h->nr + nr, sizeof(*h->spare));
	if (err)
		return err;
	for (j = 0; j < nr; j++)
		h->keys[j] = &rows[j];
	if (nr)			/* h->keys stays NULL until a row comes: never into qsort() */
		qsort(h->keys, nr, sizeof(*h->keys), row_ptr_cmp);
	for (j = 0; i < h->nr || j < nr; n++) {
		const struct history_entry *e = i < h->nr ? &h->v[i] : NULL;
		const struct row *r = j < nr ? h->keys[j] : NULL;
		struct history_entry *d = &h->spare[n];
		int c = !e ? 1 : !r ? -1 : key_cmp(e->pid, e->start_ns, r->pid, r->start_ns);

		if (c < 0) {
			/* Not in this refresh (gone, or filtered out): a gap, then forgotten. */
			i++;
			if (gen - e->last_gen >= HISTORY_LEN) {
				n--;
				continue;
			}
			*d = *e;
			d->pct[slot] = -1;
			continue;
		}
		if (c == 0)
			*d = h->v[i++];
		else
			entry_init(d, r);
		d->pct[slot] = r->cpu_pct;
		d->last_gen = gen;
		/* Keys are unique in a model's rows; should two match, the first one counts. */
		for (j++; j < nr && !row_ptr_cmp(&h->keys[j - 1], &h->keys[j]); j++)
			;
	}
	h->nr = n;
	h->gen = gen;
	/* The merged array becomes the history; the old one is the next merge's target. */
	t = h->v;
	h->v = h->spare;
	h->spare = t;
	i = h->cap_v;
	h->cap_v = h->cap_spare;
	h->cap_spare = i;
	return 0;
}

static int entry_key_cmp(const void *key, const void *elem)
{
	const struct history_entry *k = key, *e = elem;

	return key_cmp(k->pid, k->start_ns, e->pid, e->start_ns);
}

size_t history_get(const struct history *h, uint32_t pid, uint64_t start_ns, float *out)
{
	struct history_entry key = { .pid = pid, .start_ns = start_ns };
	const struct history_entry *e;
	size_t n = h->gen < HISTORY_LEN ? h->gen : HISTORY_LEN, k;

	/* Before the first row, h->v is NULL, which bsearch() must not get even for none. */
	e = h->nr ? bsearch(&key, h->v, h->nr, sizeof(*h->v), entry_key_cmp) : NULL;
	if (!e)
		return 0;
	/* Oldest first: the n slots before and including the current one. */
	for (k = 0; k < n; k++)
		out[k] = e->pct[(h->gen - n + 1 + k) % HISTORY_LEN];
	for (; k < HISTORY_LEN; k++)
		out[k] = -1;
	return n;
}

void history_free(struct history *h)
{
	free(h->v);
	free(h->spare);
	free(h->keys);
	memset(h, 0, sizeof(*h));
}
