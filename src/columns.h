/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The table's columns: header, width and cell text of each field, shared by every view so the
 * batch text and the TUI print a row alike.
 */
#ifndef CPUTOP_COLUMNS_H
#define CPUTOP_COLUMNS_H

#include "model.h"

struct column {
	const char *name;
	int width;		/* COMMAND's is a minimum: as last column it takes the rest */
	bool left;		/* left-aligned (text) or right-aligned (numbers) */
};

extern const struct column columns[FIELD_NR];
/* The columns shown unless --fields or the rc file pick others: every field, in order. */
extern const enum field fields_default[FIELD_NR];

/* Cell text of @f for @r, padded to the column's width; @user is the owner's name. */
void column_cell(char *buf, size_t size, enum field f, const struct row *r, const char *user);
/* The column header padded to its width. */
void column_head(char *buf, size_t size, enum field f);
/*
 * A comma-separated list of field names (as -o takes them) into @out, at most FIELD_NR and
 * each once. 0, or -EINVAL with @bad pointing at the offending name's start in @list.
 */
int fields_parse(const char *list, enum field *out, size_t *nr, const char **bad);

#endif /* CPUTOP_COLUMNS_H */
