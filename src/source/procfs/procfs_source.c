// SPDX-License-Identifier: GPL-2.0
/*
 * The /proc source: every figure from the files of a /proc tree, the live one or a copy
 * (--proc-root). Tasks come from /proc/PID/task/TID/{stat,schedstat}: on-CPU totals in ns,
 * their user/sys split sampled by ticks; a task that starts and exits between two reads is
 * never seen.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/clock.h"
#include "lib/container.h"
#include "source/procfs/procfs.h"
#include "source/source.h"

struct procfs_source {
	struct source src;
	struct procfs proc;
	char note[SNAP_TEXT_LEN];	/* why /proc: "--no-bpf given", or eBPF's failure */
};

static int procfs_source_read(struct source *src, struct snapshot *s,
			      const struct source_want *want)
{
	struct procfs_source *p = container_of(src, struct procfs_source, src);
	int err = procfs_read_tasks(&p->proc, s, want->cgroups) ?:
		  procfs_read_host(&p->proc, s, want->metrics, want->cgroups);

	/* Cgroups not asked for are not read: the tasks have none. */
	s->caps = src->caps & (want->cgroups ? ~0u : ~SNAP_CAP_CGROUPS);
	/* What watching cost so far, this read included. */
	s->self_cpu_ns = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	return err;
}

static void procfs_source_describe(const struct source *src, struct snapshot *s)
{
	const struct procfs_source *p = container_of(src, struct procfs_source, src);

	snprintf(s->source_kind, sizeof(s->source_kind), "proc");
	snprintf(s->source_name, sizeof(s->source_name), "/proc");
	snprintf(s->source_note, sizeof(s->source_note), "%s", p->note);
	snprintf(s->ipc_why, sizeof(s->ipc_why), "hardware counters are read by the eBPF source");
}

static void procfs_source_close(struct source *src)
{
	struct procfs_source *p = src ? container_of(src, struct procfs_source, src) : NULL;

	if (!p)
		return;
	procfs_close(&p->proc);
	free(p);
}

static const struct source_ops procfs_source_ops = {
	.read = procfs_source_read,
	.describe = procfs_source_describe,
	.close = procfs_source_close,
};

int procfs_source_open(struct source **out, const struct source_opts *o, const char *note,
		       char *why, size_t len)
{
	struct procfs_source *p = calloc(1, sizeof(*p));
	int err;

	*out = NULL;
	if (!p) {
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	p->src.ops = &procfs_source_ops;
	snprintf(p->note, sizeof(p->note), "%s", note);
	err = procfs_open(&p->proc, o->proc_root);
	if (err) {
		snprintf(why, len, "%s: %s", o->proc_root, strerror(-err));
		free(p);
		return err;
	}
	err = procfs_open_sys(&p->proc, o->sys_root, "/sys");
	if (err) {
		snprintf(why, len, "--sys-root %s: %s", o->sys_root, strerror(-err));
		procfs_source_close(&p->src);
		return err;
	}
	p->src.caps = p->proc.cg.v2_fd >= 0 ? SNAP_CAP_CGROUPS : 0;
	*out = &p->src;
	return 0;
}
