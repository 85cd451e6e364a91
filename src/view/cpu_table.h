/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CPUTOP_VIEW_CPU_TABLE_H
#define CPUTOP_VIEW_CPU_TABLE_H

#include "model/model.h"

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

#endif /* CPUTOP_VIEW_CPU_TABLE_H */
