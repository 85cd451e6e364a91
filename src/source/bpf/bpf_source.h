/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CPUTOP_BPF_SOURCE_H
#define CPUTOP_BPF_SOURCE_H

#include <stdbool.h>

#include "model/snapshot.h"

struct bpf_source;

/* --bpf-storage: where the program keeps each task's accounting. */
enum bpf_storage {
	BPF_STORAGE_AUTO,	/* task storage where the kernel has it for tracing, else hash */
	BPF_STORAGE_TASK,	/* in the task (5.11 and later) */
	BPF_STORAGE_HASH,	/* in a hash map keyed by TID, sized from pid_max */
};

struct bpf_source_opts {
	enum bpf_storage storage;
	bool no_syscalls;	/* --no-syscalls: no sys_enter/sys_exit hooks, the kernel's split */
};

/*
 * Open, load and attach the eBPF program. On failure returns -errno and sets @why to a
 * one-line reason (a static string) for the source line.
 */
int bpf_source_open(struct bpf_source **out, const struct bpf_source_opts *o, const char **why);
/* The source line's note: what is measured, how, and where the state lives. */
const char *bpf_source_note(const struct bpf_source *b);
/* Every live task (one read of the task iterator) and every exit drained since last time. */
int bpf_source_read(struct bpf_source *b, struct snapshot *s);
/* A descriptor that polls readable when exit records wait; bpf_source_drain() takes them. */
int bpf_source_fd(const struct bpf_source *b);
/* Move waiting exit records into user memory, so the ring never fills between refreshes. */
int bpf_source_drain(struct bpf_source *b);
/*
 * Count the hooks' run time from now until the next bpf_source_read(), which puts it in the
 * snapshot; 0, or -errno when the kernel will not count it (before 5.8, or not permitted).
 */
int bpf_source_cost_start(struct bpf_source *b);
/* NULL when tasks' cycles and instructions are counted; else why not. */
const char *bpf_source_ipc(const struct bpf_source *b);
/* Detach and unload everything: no program or link outlives the process. */
void bpf_source_close(struct bpf_source *b);

#endif /* CPUTOP_BPF_SOURCE_H */
