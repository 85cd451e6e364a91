/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A snapshot as a recording's payload and back (docs/record-format.md): tagged fields (tag,
 * wire type, value) that an older reader skips when it does not know them, every number
 * written as its change since the previous snapshot, so that an idle task costs a byte or two
 * and a run of them less. Pure: bytes in memory, no I/O (lib/recfile.h frames them).
 */
#ifndef CPUTOP_RECORD_H
#define CPUTOP_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "model/snapshot.h"

/*
 * The most CPUs (and per-CPU counter sets) a payload may hold: Linux's NR_CPUS goes to 8192.
 * A reader allocates no more for a payload that says otherwise.
 */
#define RECORD_MAX_CPUS 8192

/*
 * A key frame every this many frames, as recordings are written (the recorder, --thin): a
 * seek decodes at most this many, and a lost frame costs at most the rest of its run, as the
 * frames after it are its changes.
 */
#define RECORD_KEY_EVERY 64

/* A growing byte buffer: what record_encode() writes. */
struct record_buf {
	uint8_t *p;
	size_t len, cap;
};

/*
 * Append @cur to @b (emptied first) as a payload: against @prev, the snapshot encoded just
 * before it, or NULL for a key frame, which decodes alone. Its tasks are written in their
 * order, shortest when both are in snapshot_prepare()'s. 0, -ENOMEM, -EOVERFLOW when @cur
 * has more than RECORD_MAX_CPUS CPUs or counter sets (no reader would take it), or -EINVAL
 * when its cgroups are not sorted by id, each once, none 0 (as snapshot.h has them).
 */
int record_encode(struct record_buf *b, const struct snapshot *prev, const struct snapshot *cur);
/*
 * Decode a payload of @len bytes into @out (emptied first, its memory kept): against @prev,
 * the snapshot decoded from the frame before, or NULL for a key frame. @out is not @prev, and
 * comes out equal to the encoded snapshot field by field, its tasks in the same order, of
 * this reader's SNAPSHOT_VERSION; its cgroups' paths are the same strings, laid out anew in
 * cg_paths in the cgroups' order. A recording made before cputop recorded the system's
 * pressure decodes with psi_err -ENODATA, and no cgroups (nor SNAP_CAP_CGROUPS). 0, -ENOMEM,
 * or -EBADMSG when the payload is malformed or does not fit @prev (@out is then unspecified,
 * but can be decoded into or freed).
 */
int record_decode(struct snapshot *out, const struct snapshot *prev, const void *p, size_t len);
void record_buf_free(struct record_buf *b);

#endif /* CPUTOP_RECORD_H */
