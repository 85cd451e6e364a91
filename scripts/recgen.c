// SPDX-License-Identifier: GPL-2.0
/*
 * recgen FILE [SAMPLES] [TASKS]: a synthetic recording for the replay benchmark, written by the
 * recorder itself (the --record sink): SAMPLES snapshots (default 86,400: a day at a 1 s
 * interval) a second apart, ending now, of TASKS processes (default 1,000) of which a tenth
 * run a little each second, with five short-lived processes starting and exiting every second.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/model.h"
#include "sink/sink.h"

#define NSEC 1000000000ll

/* A snapshot at second @i: task k runs 1 ms a second when k % 10 == i % 10. */
static int fill(struct snapshot *s, long i, int tasks, int64_t wall0)
{
	snapshot_begin(s);
	s->caps = SNAP_CAP_EXACT_SPLIT | SNAP_CAP_EXITS | SNAP_CAP_TASK_CTRS;
	s->task_have = 1u << TASK_SYSC | 1u << TASK_VCSW | 1u << TASK_ICSW;
	snprintf(s->source_kind, sizeof(s->source_kind), "ebpf");
	snprintf(s->source_name, sizeof(s->source_name), "eBPF");
	snprintf(s->source_note, sizeof(s->source_note), "recgen: synthetic");
	s->ts_ns = 1000 * NSEC + i * NSEC;
	s->wall_ns = wall0 + i * NSEC;
	s->uptime_s = 1000 + i;
	s->hz = 100;
	for (int k = 0; k < tasks; k++) {
		struct snap_task *t = snapshot_add_task(s);
		uint64_t runs = i / 10 + (k % 10 < i % 10);

		if (!t)
			return -ENOMEM;
		t->tid = t->tgid = 1000 + k;
		t->ppid = 1;
		t->start_ns = t->leader_start_ns = k;
		t->cpu_ns = t->user_ns = runs * 1000000;
		t->ctr[TASK_VCSW] = runs;
		t->ctr[TASK_SYSC] = runs * 10;
		t->state = 'S';
		snprintf(t->comm, sizeof(t->comm), "proc-%d", k % 97);
	}
	for (int k = 0; k < 5; k++) {
		struct snap_task *t = snapshot_add_task(s);

		if (!t)
			return -ENOMEM;
		t->tid = t->tgid = 100000 + (i * 5 + k) % 3000000;
		t->ppid = 1000;
		t->start_ns = t->leader_start_ns = s->ts_ns - NSEC / 2;
		t->exit_ns = s->ts_ns - NSEC / 4;
		t->cpu_ns = t->sys_ns = 2000000;
		t->state = 'X';
		snprintf(t->comm, sizeof(t->comm), "short");
	}
	snapshot_prepare(s);
	return 0;
}

int main(int argc, char **argv)
{
	long samples = argc > 2 ? atol(argv[2]) : 86400;
	int tasks = argc > 3 ? atoi(argv[3]) : 1000;
	struct record_opts o = { .path = argc > 1 ? argv[1] : NULL };
	int64_t wall0 = (int64_t)time(NULL) * NSEC - samples * NSEC;
	struct snapshot s[2] = {};
	struct sink *k = NULL;
	int err;

	if (!o.path || samples < 1 || tasks < 1) {
		fprintf(stderr, "usage: recgen FILE [SAMPLES] [TASKS]\n");
		return 2;
	}
	err = record_sink_open(&k, &o);
	for (long i = 0; !err && i < samples; i++) {
		struct frame f = { .prev = i ? &s[(i - 1) & 1] : NULL, .cur = &s[i & 1] };

		err = fill(&s[i & 1], i, tasks, wall0) ?: k->ops->write(k, &f);
	}
	if (k)
		k->ops->close(k);
	snapshot_free(&s[0]);
	snapshot_free(&s[1]);
	if (err)
		fprintf(stderr, "recgen: %s\n", strerror(-err));
	return err ? 1 : 0;
}
