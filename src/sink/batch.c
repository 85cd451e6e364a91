// SPDX-License-Identifier: GPL-2.0
/*
 * The batch sinks: each frame printed on a stream as text, JSON or CSV (text.c, json.c, csv.c
 * write them).
 */
#include <errno.h>
#include <stdlib.h>

#include "lib/container.h"
#include "sink/batch.h"
#include "sink/sink.h"

struct batch_sink {
	struct sink sink;
	FILE *f;
	int (*print)(FILE *f, const struct frame *fr, bool first);
	bool started;			/* a frame went out: CSV's header is behind it */
};

static int text_print(FILE *f, const struct frame *fr, bool first)
{
	(void)first;
	return batch_print(f, fr->cur, fr->m, fr->set, fr->users);
}

static int json_print_frame(FILE *f, const struct frame *fr, bool first)
{
	(void)first;
	return json_print(f, fr->cur, fr->m, fr->set, fr->users);
}

static int csv_print_frame(FILE *f, const struct frame *fr, bool first)
{
	return csv_print(f, fr->cur, fr->m, fr->set, fr->users, first);
}

static int batch_sink_write(struct sink *k, const struct frame *fr)
{
	struct batch_sink *b = container_of(k, struct batch_sink, sink);
	bool first = !b->started;

	b->started = true;
	return b->print(b->f, fr, first);
}

static void batch_sink_close(struct sink *k)
{
	free(container_of(k, struct batch_sink, sink));
}

static const struct sink_ops batch_sink_ops = {
	.write = batch_sink_write,
	.close = batch_sink_close,
};

static int batch_sink_open(struct sink **out, FILE *f,
			   int (*print)(FILE *f, const struct frame *fr, bool first), bool all)
{
	struct batch_sink *b = calloc(1, sizeof(*b));

	*out = NULL;
	if (!b)
		return -ENOMEM;
	b->sink = (struct sink){ .ops = &batch_sink_ops, .what = "", .metrics = all,
				 .cgroups = all };
	b->f = f;
	b->print = print;
	*out = &b->sink;
	return 0;
}

/* Text shows what the settings choose: the loop asks the source for that. */
int text_sink_open(struct sink **out, FILE *f)
{
	return batch_sink_open(out, f, text_print, false);
}

/* JSON holds every figure of the snapshot, the system metrics and the cgroups too. */
int json_sink_open(struct sink **out, FILE *f)
{
	return batch_sink_open(out, f, json_print_frame, true);
}

/* CSV has every row's cgroup columns; the system metrics are JSON's alone. */
int csv_sink_open(struct sink **out, FILE *f)
{
	int err = batch_sink_open(out, f, csv_print_frame, false);

	if (!err)
		(*out)->cgroups = true;
	return err;
}
