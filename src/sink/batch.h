/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CPUTOP_SINK_BATCH_H
#define CPUTOP_SINK_BATCH_H

#include <stdio.h>

#include "model/model.h"
#include "view/settings.h"
#include "lib/users.h"

/*
 * One snapshot as top -b prints it: the header lines, the per-CPU table under --cpus, then
 * the table of the fields @o names (-H titles it Threads).
 */
int batch_print(FILE *f, const struct snapshot *s, const struct model *m,
		const struct settings *o, struct users *users);

/* --format json: the snapshot as one line of JSON (src/sink/json.c). */
int json_print(FILE *f, const struct snapshot *s, const struct model *m,
	       const struct settings *o, struct users *users);
/* --format csv: a line per row, after the header when @header (src/sink/csv.c). */
int csv_print(FILE *f, const struct snapshot *s, const struct model *m,
	      const struct settings *o, struct users *users, bool header);

#endif /* CPUTOP_SINK_BATCH_H */
