/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The table's columns: header, width and cell text of each field, shared by every view so the
 * batch text and the TUI print a row alike.
 */
#ifndef CPUTOP_COLUMNS_H
#define CPUTOP_COLUMNS_H

#include "model/model.h"

struct column {
	const char *name;
	int width;		/* COMMAND's is a minimum: as last column it takes the rest */
	bool left;		/* left-aligned (text) or right-aligned (numbers) */
};

extern const struct column columns[FIELD_NR];
/* The columns shown unless --fields or the rc file pick others: top's, with %USR and %SYS. */
#define NR_FIELDS_DEFAULT 9
extern const enum field fields_default[NR_FIELDS_DEFAULT];

/*
 * Cell text of @f for @r, padded to the column's width; @user is the owner's name. Returns
 * the bytes written, cut to @size.
 */
size_t column_cell(char *buf, size_t size, enum field f, const struct row *r, const char *user);
/*
 * A rate in at most @width columns: one decimal under 10, then whole numbers, then k, M, G as
 * the width needs.
 */
void column_rate(char *buf, size_t size, double v, int width);
/* The column header padded to its width; the bytes written. */
size_t column_head(char *buf, size_t size, enum field f);
/*
 * The columns of a view: @fields as chosen, or for the per-program view @g, CNT first, the
 * key's column (USER or COMMAND) kept and the process-only ones (PID, S) left out, CREDITS
 * before COMMAND. @out has room for FIELD_NR; returns how many.
 */
size_t fields_view(enum field *out, const enum field *fields, size_t nr, enum group_by g);
/*
 * A comma-separated list of field names (as -o takes them) into @out, at most FIELD_NR and
 * each once. 0, or -EINVAL with @bad pointing at the offending name's start in @list.
 */
int fields_parse(const char *list, enum field *out, size_t *nr, const char **bad);

/*
 * The per-CPU table (--cpus, the interactive view's c panel): a CPU label, the ten tick
 * fields, then the counters the snapshots provided, in enum cpu_ctr order.
 */
enum cpu_col_kind { CPU_COL_LABEL, CPU_COL_TICKS, CPU_COL_CTR };

struct cpu_col {
	char name[SOFTIRQ_NAME_LEN];
	int width;
	enum cpu_col_kind kind;
	int idx;		/* enum cpu_field or enum cpu_ctr */
};

#define CPU_COLS_MAX (1 + CPU_NR_FIELDS + CTR_NR)

/*
 * The columns for @have (summary.ctr_have) and the softirq kinds of @s, and the /proc/stat
 * tick shares if @ticks (summary.ticks_err is 0); returns how many.
 */
size_t cpu_cols(struct cpu_col *out, uint64_t have, bool ticks, const struct snapshot *s);
/* Cell text of @c for CPU @label's row @r, padded to the column's width. */
void cpu_cell(char *buf, size_t size, const struct cpu_col *c, const char *label,
	      const struct cpu_row *r);
/* The column header padded to its width. */
void cpu_head(char *buf, size_t size, const struct cpu_col *c);
/* A whole line of @nr columns for CPU @label's row @r, or the header line when @r is NULL. */
void cpu_line(char *buf, size_t size, const struct cpu_col *cols, size_t nr, const char *label,
	      const struct cpu_row *r);

#endif /* CPUTOP_COLUMNS_H */
