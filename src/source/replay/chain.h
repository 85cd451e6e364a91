/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A recording read as its chain of frames (docs/record-format.md): a frame is a change against
 * the one before it, so a frame lost (corrupt, torn, or not decodable) breaks the chain until
 * the next key frame, and the frames between are lost with it, counted. The replay source and
 * --thin read recordings through it.
 */
#ifndef CPUTOP_CHAIN_H
#define CPUTOP_CHAIN_H

#include "lib/recfile.h"
#include "model/snapshot.h"

struct rec_chain {
	struct rec_reader *r;
	uint64_t bad;			/* r's corrupt and torn frames when last looked at */
	bool linked;			/* the snapshot decoded last is the next frame's base */
	uint64_t lost;			/* frames left out: their base was lost, or not decodable */
};

/* Read @r from where it is now (a new file, or a seek): the chain starts at a key frame. */
void rec_chain_start(struct rec_chain *c, struct rec_reader *r);
/*
 * The next frame whose base is there (a key frame, or one after a frame decoded): 0, 1 at the
 * end of the reader, -errno. The frames before it that were lost with a broken chain are
 * counted.
 */
int rec_chain_frame(struct rec_chain *c, struct rec_frame *f);
/*
 * Decode @f, just given by rec_chain_frame(), into @out against @base, the snapshot decoded
 * last. 0, -ENOMEM, or -EBADMSG: counted lost, and the chain broken.
 */
int rec_chain_decode(struct rec_chain *c, struct snapshot *out, const struct snapshot *base,
		     const struct rec_frame *f);

#endif /* CPUTOP_CHAIN_H */
