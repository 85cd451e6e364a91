/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CPUTOP_VIEW_BATCH_H
#define CPUTOP_VIEW_BATCH_H

#include <stdio.h>

#include "model.h"
#include "users.h"

/* One snapshot as top -b prints it: the header lines, then the table of @fields. */
int batch_print(FILE *f, const struct snapshot *s, const struct model *m, bool threads,
		const enum field *fields, size_t nr_fields, struct users *users);

#endif /* CPUTOP_VIEW_BATCH_H */
