// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/snapshot.h"

void snapshot_begin(struct snapshot *s)
{
	struct snapshot keep = {
		.cpus = s->cpus, .cap_cpus = s->cap_cpus, .ctrs = s->ctrs, .cap_ctrs = s->cap_ctrs,
		.tasks = s->tasks, .cap_tasks = s->cap_tasks, .version = SNAPSHOT_VERSION,
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

/* Room for @nr elements of @size bytes in *@v, which holds *@cap: 0 or -ENOMEM. */
static int snapshot_room(void **v, size_t size, size_t nr, size_t *cap)
{
	void *p;

	if (nr <= *cap)
		return 0;
	p = realloc(*v, nr * size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = nr;
	return 0;
}

int snapshot_copy(struct snapshot *dst, const struct snapshot *src)
{
	size_t cap_cpus = dst->cap_cpus, cap_ctrs = dst->cap_ctrs, cap_tasks = dst->cap_tasks;
	void *cpus = dst->cpus, *ctrs = dst->ctrs, *tasks = dst->tasks;
	int err;

	err = snapshot_room(&cpus, sizeof(*src->cpus), src->nr_cpus, &cap_cpus) ?:
	      snapshot_room(&ctrs, sizeof(*src->ctrs), src->nr_ctrs, &cap_ctrs) ?:
	      snapshot_room(&tasks, sizeof(*src->tasks), src->nr_tasks, &cap_tasks);
	*dst = *src;
	dst->cpus = cpus;
	dst->ctrs = ctrs;
	dst->tasks = tasks;
	dst->cap_cpus = cap_cpus;
	dst->cap_ctrs = cap_ctrs;
	dst->cap_tasks = cap_tasks;
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
	return 0;
}

void snapshot_free(struct snapshot *s)
{
	free(s->tasks);
	free(s->cpus);
	free(s->ctrs);
	memset(s, 0, sizeof(*s));
}
