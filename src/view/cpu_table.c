// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU table (--cpus, the interactive view's c panel), shared by the batch text and
 * the interactive view.
 */
#include <stdio.h>
#include <string.h>

#include "lib/text.h"
#include "view/cpu_table.h"

static const char *const tick_names[CPU_NR_FIELDS] = {
	[CPU_USER] = "us", [CPU_NICE] = "ni", [CPU_SYSTEM] = "sy", [CPU_IDLE] = "id",
	[CPU_IOWAIT] = "wa", [CPU_IRQ] = "hi", [CPU_SOFTIRQ] = "si", [CPU_STEAL] = "st",
	[CPU_GUEST] = "gu", [CPU_GUEST_NICE] = "gn",
};

/* top's order of the tick fields (its %Cpu line), then guest. */
static const enum cpu_field tick_order[CPU_NR_FIELDS] = {
	CPU_USER, CPU_SYSTEM, CPU_NICE, CPU_IDLE, CPU_IOWAIT, CPU_IRQ, CPU_SOFTIRQ, CPU_STEAL,
	CPU_GUEST, CPU_GUEST_NICE,
};

static const char *const ctr_names[CTR_SOFTIRQ] = {
	[CTR_CSW] = "CSW", [CTR_PRE] = "PRE", [CTR_SYSC] = "SYSC", [CTR_YLD] = "YLD",
	[CTR_BUSY_NS] = "BUSY", [CTR_IDLE_NS] = NULL,	/* BUSY says it: idle is the rest */
	[CTR_IRQ] = "IRQ", [CTR_LOC] = "LOC", [CTR_RES] = "RES", [CTR_CAL] = "CAL",
	[CTR_TLB] = "TLB",
};

size_t cpu_cols(struct cpu_col *out, uint64_t have, bool ticks, const struct snapshot *s)
{
	size_t n = 0;
	int i;

	/* As wide as the highest CPU number: 1000 CPUs and more keep their rows aligned. */
	out[n++] = (struct cpu_col){ "CPU", s->nr_cpus > 1000 ? snprintf(NULL, 0, "%u",
					s->nr_cpus - 1) : 3, CPU_COL_LABEL, 0 };
	for (i = 0; i < CPU_NR_FIELDS && ticks; i++) {
		out[n] = (struct cpu_col){ "", 5, CPU_COL_TICKS, tick_order[i] };
		snprintf(out[n++].name, SOFTIRQ_NAME_LEN, "%s", tick_names[tick_order[i]]);
	}
	for (i = 0; i < CTR_NR; i++) {
		const char *name = i < CTR_SOFTIRQ ? ctr_names[i] :
				   (uint32_t)(i - CTR_SOFTIRQ) < s->nr_softirqs ?
				   s->softirq_names[i - CTR_SOFTIRQ] : NULL;
		int len;

		if (!name || !(have & 1ull << i))
			continue;
		len = strlen(name);
		out[n] = (struct cpu_col){ "", len > 6 ? len : 6, CPU_COL_CTR, i };
		snprintf(out[n++].name, SOFTIRQ_NAME_LEN, "%s", name);
	}
	return n;
}

void cpu_cell(char *buf, size_t size, const struct cpu_col *c, const char *label,
	      const struct cpu_row *r)
{
	char tmp[32];

	switch (c->kind) {
	case CPU_COL_LABEL:
		snprintf(buf, size, "%-*s", c->width, label);
		return;
	case CPU_COL_TICKS:
		snprintf(tmp, sizeof(tmp), "%.1f", r->pct[c->idx]);
		break;
	case CPU_COL_CTR:
		if (c->idx == CTR_BUSY_NS)
			snprintf(tmp, sizeof(tmp), "%.1f", r->rate[c->idx]);
		else
			text_rate(tmp, sizeof(tmp), r->rate[c->idx], c->width);
		break;
	}
	snprintf(buf, size, "%*s", c->width, tmp);
}

void cpu_head(char *buf, size_t size, const struct cpu_col *c)
{
	snprintf(buf, size, c->kind == CPU_COL_LABEL ? "%-*s" : "%*s", c->width, c->name);
}

void cpu_line(char *buf, size_t size, const struct cpu_col *cols, size_t nr, const char *label,
	      const struct cpu_row *r)
{
	char cell[64];
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < nr && len < size; i++) {
		if (r)
			cpu_cell(cell, sizeof(cell), &cols[i], label, r);
		else
			cpu_head(cell, sizeof(cell), &cols[i]);
		len += snprintf(buf + len, size - len, "%s%s", i ? " " : "", cell);
	}
}
