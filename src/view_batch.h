/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CPUTOP_VIEW_BATCH_H
#define CPUTOP_VIEW_BATCH_H

#include <stdio.h>

#include "model.h"
#include "opts.h"
#include "users.h"

/*
 * One snapshot as top -b prints it: the header lines, the per-CPU table under --cpus, then
 * the table of the fields @o names (-H titles it Threads).
 */
int batch_print(FILE *f, const struct snapshot *s, const struct model *m,
		const struct cputop_opts *o, struct users *users);

#endif /* CPUTOP_VIEW_BATCH_H */
