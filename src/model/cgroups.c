// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroups the rows name: the model's own table, merged with each snapshot's, and what
 * each cgroup may use and what it got over the interval; the keys of the per-cgroup views.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/array.h"
#include "model/rows.h"

static int cg_id_cmp(const void *pa, const void *pb)
{
	const struct cg_row *a = pa, *b = pb;

	return cmp_u64(a->id, b->id);
}

const struct cg_row *cg_find(const struct cg_table *t, uint64_t id)
{
	const struct cg_row key = { .id = id };

	/* Never NULL into bsearch(), even for no element. */
	return t->nr ? bsearch(&key, t->v, t->nr, sizeof(*t->v), cg_id_cmp) : NULL;
}

bool cg_throttled(const struct cg_table *t, uint64_t id)
{
	const struct cg_row *c = cg_find(t, id);

	return c && c->present && (c->have & CG_HAVE_THROTTLE) && c->nr_throttled;
}

const char *cg_name(const struct cg_row *c)
{
	const char *slash = strrchr(c->path, '/');

	return slash && slash[1] ? slash + 1 : c->path;
}

bool cg_is_unit(const char *name)
{
	static const char *const kinds[] = { ".service", ".scope", ".slice" };
	size_t len = strlen(name);

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t k = strlen(kinds[i]);

		if (len > k && !strcmp(name + len - k, kinds[i]))
			return true;
	}
	return false;
}

static bool all_hex(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return false;
	}
	return true;
}

/*
 * The runtimes name a container's cgroup by its 64-digit id: alone under a parent of theirs
 * (docker's and containerd's cgroupfs drivers: /docker/ID, /kubepods/burstable/podUID/ID,
 * /k8s.io/ID), or as a systemd scope with the runtime's prefix (docker-ID.scope,
 * cri-containerd-ID.scope, crio-ID.scope, libpod-ID.scope). Their monitors' scopes
 * (crio-conmon-ID, libpod-conmon-ID) are not the container.
 */
const char *cg_container_id(const char *name)
{
	static const char *const prefixes[] = {
		"", "docker-", "cri-containerd-", "crio-", "libpod-",
	};
	size_t len = strlen(name);

	if (len > 6 && !strcmp(name + len - 6, ".scope"))
		len -= 6;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t k = strlen(prefixes[i]);

		if (len == k + CONTAINER_ID_LEN && !strncmp(name, prefixes[i], k) &&
		    all_hex(name + k, CONTAINER_ID_LEN))
			return name + k;
	}
	return NULL;
}

/* @c's ancestor @up levels above it; NULL when one on the way is not known. */
static const struct cg_row *cg_up(const struct cg_table *t, const struct cg_row *c, uint32_t up)
{
	while (c && up--)
		c = cg_find(t, c->parent);
	return c;
}

uint64_t cg_key(const struct cg_table *t, uint64_t id, enum group_by g, uint32_t depth)
{
	const struct cg_row *c = cg_find(t, id);

	if (!c)
		return 0;
	switch (g) {
	case GROUP_UNIT:
		return c->unit;
	case GROUP_CONTAINER:
		return c->container;
	default:
		break;
	}
	if (depth && c->depth > depth)
		c = cg_up(t, c, c->depth - depth);
	return c ? c->id : 0;
}

/*
 * The cgroups that name @c's unit and container, when it has them: the deepest component of
 * its path that is one, found as the ancestor that many levels up. Its ancestors must be in.
 */
static void cg_derive(const struct cg_table *t, struct cg_row *c)
{
	uint32_t depth = 0, unit = 0, container = 0;
	const struct cg_row *a;
	char name[256];

	for (const char *p = c->path; *p; ) {
		size_t len;

		p += strspn(p, "/");
		len = strcspn(p, "/");
		if (!len)
			break;
		depth++;
		/* The kernel's names are at most NAME_MAX (255) bytes. */
		if (len < sizeof(name)) {
			memcpy(name, p, len);
			name[len] = '\0';
			if (cg_is_unit(name))
				unit = depth;
			if (cg_container_id(name))
				container = depth;
		}
		p += len;
	}
	c->depth = depth;
	a = unit ? cg_up(t, c, depth - unit) : NULL;
	c->unit = a ? a->id : 0;
	a = container ? cg_up(t, c, depth - container) : NULL;
	c->container = a ? a->id : 0;
}

/* A counter's advance from @a to @b; 0 when it went back (a cgroup made anew under its id). */
static uint64_t cg_delta(uint64_t a, uint64_t b)
{
	return b > a ? b - a : 0;
}

/*
 * The figures of @r from its snapshot entry @c, over the interval since @p, its entry in the
 * previous snapshot. Without one (no task was in it then, or it is new) the counters have no
 * start: they count since the cgroup was made, which is not the interval's.
 */
static void cg_figures(struct cg_row *r, const struct snap_cgroup *c, const struct snap_cgroup *p,
		       uint64_t interval_ns)
{
	uint32_t both = p && interval_ns ? c->have & p->have : 0;

	r->have = (c->have & CG_HAVE_LIMIT) | (both & (CG_HAVE_THROTTLE | CG_HAVE_PSI));
	r->limit = c->have & CG_HAVE_LIMIT && c->quota_us && c->period_us ?
		   (double)c->quota_us / c->period_us : 0;
	r->psi = c->psi;
	r->nr_periods = r->nr_throttled = r->throttled_ns = 0;
	r->thr_pct = r->psi_some_pct = r->psi_full_pct = 0;
	if (both & CG_HAVE_THROTTLE) {
		r->nr_periods = cg_delta(p->nr_periods, c->nr_periods);
		r->nr_throttled = cg_delta(p->nr_throttled, c->nr_throttled);
		r->throttled_ns = cg_delta(p->throttled_ns, c->throttled_ns);
		r->thr_pct = 100.0 * r->throttled_ns / interval_ns;
	}
	if (both & CG_HAVE_PSI) {
		/* µs of stall in ns of interval: 1e3 * 100 for a percentage. */
		r->psi_some_pct = 1e5 * cg_delta(p->psi.some_us, c->psi.some_us) / interval_ns;
		r->psi_full_pct = 1e5 * cg_delta(p->psi.full_us, c->psi.full_us) / interval_ns;
	}
}

int cg_ingest(struct model *m, const struct snapshot *prev, const struct snapshot *cur)
{
	struct cg_table *t = &m->cg;
	uint64_t interval = prev && cur->ts_ns > prev->ts_ns ? cur->ts_ns - prev->ts_ns : 0;
	size_t i, old = t->nr;
	bool fresh = false;
	int err = 0;

	for (i = 0; i < t->nr; i++) {
		t->v[i].present = false;
		t->v[i].have = 0;
	}
	for (i = 0; i < cur->nr_cgroups; i++) {
		const struct snap_cgroup *c = &cur->cgroups[i];
		const char *path = snapshot_cgroup_path(cur, c);
		/* Among the rows from before, sorted; a new one goes at the end until the sort. */
		struct cg_row *r = (struct cg_row *)cg_find(&(struct cg_table){ .v = t->v, .nr = old },
							    c->id);
		void *v = t->v;
		char *p;

		if (r && !strcmp(r->path, path)) {
			r->present = true;
			continue;
		}
		p = strdup(path);
		if (!p || (!r && array_grow(&v, &t->cap, t->nr + 1, sizeof(*t->v)))) {
			free(p);
			err = -ENOMEM;
			break;
		}
		t->v = v;
		fresh = true;
		/* A cgroup renamed, or an id the kernel gave anew: its path is the new one's. */
		if (r) {
			free(r->path);
			r->path = p;
			r->parent = c->parent;
		} else {
			r = &t->v[t->nr++];
			*r = (struct cg_row){ .id = c->id, .parent = c->parent, .path = p };
		}
		r->present = true;
	}
	/* Sorted again even when memory ran out: the next ingest searches it. */
	if (t->nr > old)
		qsort(t->v, t->nr, sizeof(*t->v), cg_id_cmp);
	/* Only when the tree changed: derive walks the ancestors, each known or not. */
	for (i = 0; fresh && i < t->nr; i++)
		cg_derive(t, &t->v[i]);
	if (err)
		return err;
	for (i = 0; i < cur->nr_cgroups; i++) {
		const struct snap_cgroup *c = &cur->cgroups[i];

		cg_figures((struct cg_row *)cg_find(t, c->id), c,
			   prev ? snapshot_cgroup(prev, c->id) : NULL, interval);
	}
	return 0;
}

void cg_free(struct cg_table *t)
{
	for (size_t i = 0; i < t->nr; i++)
		free(t->v[i].path);
	free(t->v);
	memset(t, 0, sizeof(*t));
}
