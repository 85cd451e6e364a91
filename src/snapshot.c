// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"

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

void snapshot_free(struct snapshot *s)
{
	free(s->tasks);
	free(s->cpus);
	memset(s, 0, sizeof(*s));
}
