/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CPUTOP_BPF_SOURCE_H
#define CPUTOP_BPF_SOURCE_H

#include "snapshot.h"

struct bpf_source;

/*
 * Open, load and attach the eBPF program. On failure returns -errno and sets @why to a
 * one-line reason (a static string) for the source line.
 */
int bpf_source_open(struct bpf_source **out, const char **why);
/* Every live task (one read of the task iterator) and every exit drained since last time. */
int bpf_source_read(struct bpf_source *b, struct snapshot *s);
/* A descriptor that polls readable when exit records wait; bpf_source_drain() takes them. */
int bpf_source_fd(const struct bpf_source *b);
/* Move waiting exit records into user memory, so the ring never fills between refreshes. */
int bpf_source_drain(struct bpf_source *b);
/* NULL when tasks' cycles and instructions are counted; else why not. */
const char *bpf_source_ipc(const struct bpf_source *b);
/* Detach and unload everything: no program or link outlives the process. */
void bpf_source_close(struct bpf_source *b);

#endif /* CPUTOP_BPF_SOURCE_H */
