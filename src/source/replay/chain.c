// SPDX-License-Identifier: GPL-2.0
#include <errno.h>

#include "model/record.h"
#include "source/replay/chain.h"

/* The reader's bad frames so far: a change in them is a frame lost before the next one. */
static uint64_t chain_bad(const struct rec_chain *c)
{
	const struct rec_stats *st = recr_stats(c->r);

	return st->corrupt + st->torn;
}

void rec_chain_start(struct rec_chain *c, struct rec_reader *r)
{
	c->r = r;
	c->bad = chain_bad(c);
	c->linked = false;
}

int rec_chain_frame(struct rec_chain *c, struct rec_frame *f)
{
	int err;

	while (!(err = recr_next(c->r, f))) {
		if (chain_bad(c) != c->bad) {
			c->bad = chain_bad(c);
			c->linked = false;
		}
		if (c->linked || (f->flags & REC_KEY))
			return 0;
		c->lost++;
	}
	return err;
}

int rec_chain_decode(struct rec_chain *c, struct snapshot *out, const struct snapshot *base,
		     const struct rec_frame *f)
{
	int err = record_decode(out, f->flags & REC_KEY ? NULL : base, f->data, f->len);

	c->linked = !err;
	if (err && err != -ENOMEM)
		c->lost++;
	return err;
}
