// SPDX-License-Identifier: GPL-2.0
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

void snapshot_free(struct snapshot *s)
{
	free(s->tasks);
	free(s->cpus);
	free(s->ctrs);
	memset(s, 0, sizeof(*s));
}
