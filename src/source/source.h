/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sources: where snapshots come from (DESIGN.md §1). The loop reads one through these
 * ops and never asks which it is: what a snapshot can show, its capability bits say.
 */
#ifndef CPUTOP_SOURCE_H
#define CPUTOP_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/snapshot.h"

/* --bpf-storage: where the eBPF program keeps each task's accounting. */
enum bpf_storage {
	BPF_STORAGE_AUTO,	/* task storage where the kernel has it for tracing, else hash */
	BPF_STORAGE_TASK,	/* in the task (5.11 and later) */
	BPF_STORAGE_HASH,	/* in a hash map keyed by TID, sized from pid_max */
};

/* What the command line says of the sources. */
struct source_opts {
	const char *proc_root;		/* --proc-root: /proc, or a tree of its files */
	const char *sys_root;		/* --sys-root; NULL: none (a --proc-root tree's) */
	bool no_bpf;			/* --no-bpf, or a --proc-root tree: /proc alone */
	bool no_syscalls;		/* --no-syscalls: no syscall hooks, the kernel's split */
	enum bpf_storage storage;	/* --bpf-storage */
	const char *replay;		/* --replay: a recording, a file or a directory of them */
	int64_t begin_ns, end_ns;	/* --begin, --end: Unix times; INT64_MIN, INT64_MAX: none */
};

/* What a read is asked for: some figures cost syscalls, and are read only when shown. */
struct source_want {
	bool metrics;			/* frequency, temperature, network, disk, paging */
	bool cgroups;			/* the tasks' cgroups: paths, limits, throttling, pressure */
};

struct source;

struct source_ops {
	/*
	 * Fill @s, emptied by snapshot_begin(), with a snapshot: its clock and Unix time, tasks
	 * (live, then those that exited since the last read), CPUs, system figures, and what it
	 * can show (caps). Each system file fails alone, into the snapshot; 0, 1 when the
	 * snapshot starts a run of its own (a recording's: no change from the one before), or
	 * -errno when there is no snapshot to be had.
	 */
	int (*read)(struct source *src, struct snapshot *s, const struct source_want *want);
	/* The descriptors to poll between reads, at most @max; NULL: none. */
	size_t (*fds)(struct source *src, int *fds, size_t max);
	/* One of them polled readable: take in what waits there, so that none of it is lost. */
	int (*drain)(struct source *src, int fd);
	/*
	 * Count what the source's hooks cost the traced tasks from now until the next read,
	 * which puts it in the snapshot; NULL when it has none. 0, or -errno when the kernel
	 * will not count it.
	 */
	int (*cost_start)(struct source *src);
	/*
	 * Its words for what @s, just read, is: source_kind ("ebpf"), source_name ("eBPF"),
	 * source_note (what it measures and how, or why it is the one in use) and ipc_why.
	 */
	void (*describe)(const struct source *src, struct snapshot *s);
	/*
	 * A recording's: make the next reads give the first sample at or after Unix time
	 * @wall_ns (the last one if none is), or with @before the last one before it, after the
	 * sample before it, whose change it is. The number of reads that takes (1 at the start of
	 * a recording, else 2), or -errno: -ENODATA, no such sample. NULL for a live source.
	 */
	int (*seek)(struct source *src, int64_t wall_ns, bool before);
	/* Undo everything open did: no program, link or descriptor outlives it. */
	void (*close)(struct source *src);
};

struct source {
	const struct source_ops *ops;
	uint32_t caps;			/* SNAP_CAP_*: what its snapshots can show */
	bool privileged;		/* its reads need CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN */
	/*
	 * Its snapshots are of the past (SNAP_CAP_RECORDED): read one after the other as fast as
	 * asked, not a delay apart, and a read after the last one is -ENODATA.
	 */
	bool recorded;
};

/*
 * The eBPF source: per-task nanoseconds from the kernel, exits included; the system figures
 * from /proc. -errno when it cannot run here, with the reason, for people, in @why.
 */
int bpf_source_open(struct source **out, const struct source_opts *o, char *why, size_t len);
/*
 * The /proc source: everything from the files under o->proc_root (and o->sys_root); @note
 * says why it is the one in use. -errno, with the reason in @why, when the tree is missing.
 */
int procfs_source_open(struct source **out, const struct source_opts *o, const char *note,
		       char *why, size_t len);

/*
 * The replay source: the snapshots of a recording (--record), o->replay, a file or a directory
 * of daily files, from o->begin_ns to o->end_ns. -errno, with the reason in @why.
 */
int replay_source_open(struct source **out, const struct source_opts *o, char *why, size_t len);

#endif /* CPUTOP_SOURCE_H */
