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
/* Drain exits until @deadline_ns (CLOCK_MONOTONIC); -EINTR when a signal came first. */
int bpf_source_wait(struct bpf_source *b, uint64_t deadline_ns);
/* Detach and unload everything: no program or link outlives the process. */
void bpf_source_close(struct bpf_source *b);

#endif /* CPUTOP_BPF_SOURCE_H */
