// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/rows.h"
#include "lib/array.h"
#include "model/snapshot.h"

void snapshot_begin(struct snapshot *s)
{
	struct snapshot keep = {
		.cpus = s->cpus, .cap_cpus = s->cap_cpus, .ctrs = s->ctrs, .cap_ctrs = s->cap_ctrs,
		.tasks = s->tasks, .cap_tasks = s->cap_tasks, .version = SNAPSHOT_VERSION,
		.cgroups = s->cgroups, .cap_cgroups = s->cap_cgroups,
		.cg_paths = s->cg_paths, .cap_cg_paths = s->cap_cg_paths,
	};

	*s = keep;
}

struct snap_task *snapshot_add_task(struct snapshot *s)
{
	struct snap_task *t;

	if (s->nr_tasks == s->cap_tasks) {
		size_t cap = s->cap_tasks ? s->cap_tasks * 2 : 1024;

		t = realloc(s->tasks, cap * sizeof(*t));
		if (!t)
			return NULL;
		s->tasks = t;
		s->cap_tasks = cap;
	}
	t = &s->tasks[s->nr_tasks++];
	memset(t, 0, sizeof(*t));
	return t;
}

struct snap_cgroup *snapshot_put_cgroup(struct snapshot *s, const struct snap_cgroup *from,
					const char *path, size_t len)
{
	size_t n = len + 1;	/* the path's bytes and its NUL */
	void *v = s->cgroups, *paths = s->cg_paths;
	struct snap_cgroup *c;

	/* Offsets are 32 bits: 4 GiB of paths is no host's. */
	if (s->cg_paths_len + n > UINT32_MAX ||
	    array_grow(&v, &s->cap_cgroups, s->nr_cgroups + 1, sizeof(*c)))
		return NULL;
	s->cgroups = v;
	if (array_grow(&paths, &s->cap_cg_paths, s->cg_paths_len + n, 1))
		return NULL;
	s->cg_paths = paths;
	c = &s->cgroups[s->nr_cgroups++];
	*c = *from;
	c->path = s->cg_paths_len;
	memcpy(s->cg_paths + s->cg_paths_len, path, len);
	s->cg_paths[s->cg_paths_len + len] = '\0';
	s->cg_paths_len += n;
	return c;
}

struct snap_cgroup *snapshot_add_cgroup(struct snapshot *s, uint64_t id, uint64_t parent,
					const char *path)
{
	const struct snap_cgroup c = { .id = id, .parent = parent };

	return snapshot_put_cgroup(s, &c, path, strlen(path));
}

static int cgroup_cmp(const void *a, const void *b)
{
	const struct snap_cgroup *x = a, *y = b;

	return cmp_u64(x->id, y->id);
}

void snapshot_sort_cgroups(struct snapshot *s)
{
	/* Never NULL into qsort(), even for no element. */
	if (s->nr_cgroups)
		qsort(s->cgroups, s->nr_cgroups, sizeof(*s->cgroups), cgroup_cmp);
}

const struct snap_cgroup *snapshot_cgroup(const struct snapshot *s, uint64_t id)
{
	const struct snap_cgroup key = { .id = id };

	/* Never NULL into bsearch(), even for no element. */
	return s->nr_cgroups ? bsearch(&key, s->cgroups, s->nr_cgroups, sizeof(*s->cgroups),
				       cgroup_cmp) : NULL;
}

const char *snapshot_psi_why(const struct snapshot *s)
{
	switch (s->psi_err) {
	case 0:
		return "";
	case -EOPNOTSUPP:
		return "PSI is off: psi=0 on the kernel command line";
	case -ENOENT:
		return "no /proc/pressure: PSI is off (psi=0) or not built (CONFIG_PSI)";
	case -ENODATA:
		return "not in this recording";
	default:
		return strerror(-s->psi_err);
	}
}

struct cpu_ctrs *snapshot_cpu_ctrs(struct snapshot *s, uint32_t cpu)
{
	if (cpu >= s->cap_ctrs) {
		uint32_t cap = cpu + 1 > 2 * s->cap_ctrs ? cpu + 1 : 2 * s->cap_ctrs;
		struct cpu_ctrs *v = realloc(s->ctrs, cap * sizeof(*v));

		if (!v)
			return NULL;
		s->ctrs = v;
		s->cap_ctrs = cap;
	}
	while (s->nr_ctrs <= cpu)
		memset(&s->ctrs[s->nr_ctrs++], 0, sizeof(*s->ctrs));
	return &s->ctrs[cpu];
}

int snapshot_copy(struct snapshot *dst, const struct snapshot *src)
{
	size_t cap_cpus = dst->cap_cpus, cap_ctrs = dst->cap_ctrs, cap_tasks = dst->cap_tasks;
	size_t cap_cgroups = dst->cap_cgroups, cap_cg_paths = dst->cap_cg_paths;
	void *cpus = dst->cpus, *ctrs = dst->ctrs, *tasks = dst->tasks;
	void *cgroups = dst->cgroups, *cg_paths = dst->cg_paths;
	int err;

	err = array_grow(&cpus, &cap_cpus, src->nr_cpus, sizeof(*src->cpus)) ?:
	      array_grow(&ctrs, &cap_ctrs, src->nr_ctrs, sizeof(*src->ctrs)) ?:
	      array_grow(&tasks, &cap_tasks, src->nr_tasks, sizeof(*src->tasks)) ?:
	      array_grow(&cgroups, &cap_cgroups, src->nr_cgroups, sizeof(*src->cgroups)) ?:
	      array_grow(&cg_paths, &cap_cg_paths, src->cg_paths_len, 1);
	*dst = *src;
	dst->cpus = cpus;
	dst->ctrs = ctrs;
	dst->tasks = tasks;
	dst->cgroups = cgroups;
	dst->cg_paths = cg_paths;
	dst->cap_cpus = cap_cpus;
	dst->cap_ctrs = cap_ctrs;
	dst->cap_tasks = cap_tasks;
	dst->cap_cgroups = cap_cgroups;
	dst->cap_cg_paths = cap_cg_paths;
	if (err) {
		snapshot_begin(dst);
		return err;
	}
	/* Never NULL into memcpy(), even for no element. */
	if (src->nr_cpus)
		memcpy(dst->cpus, src->cpus, src->nr_cpus * sizeof(*src->cpus));
	if (src->nr_ctrs)
		memcpy(dst->ctrs, src->ctrs, src->nr_ctrs * sizeof(*src->ctrs));
	if (src->nr_tasks)
		memcpy(dst->tasks, src->tasks, src->nr_tasks * sizeof(*src->tasks));
	if (src->nr_cgroups)
		memcpy(dst->cgroups, src->cgroups, src->nr_cgroups * sizeof(*src->cgroups));
	if (src->cg_paths_len)
		memcpy(dst->cg_paths, src->cg_paths, src->cg_paths_len);
	return 0;
}

void snapshot_free(struct snapshot *s)
{
	free(s->tasks);
	free(s->cpus);
	free(s->ctrs);
	free(s->cgroups);
	free(s->cg_paths);
	memset(s, 0, sizeof(*s));
}
