// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "view/columns.h"
#include "lib/text.h"

const struct column columns[FIELD_NR] = {
	[FIELD_PID] = { "PID", 7, false },
	[FIELD_USER] = { "USER", 8, true },
	[FIELD_STATE] = { "S", 1, true },
	[FIELD_THR] = { "THR", 3, false },
	[FIELD_CPU] = { "%CPU", 5, false },
	[FIELD_USR] = { "%USR", 5, false },
	[FIELD_SYS] = { "%SYS", 5, false },
	[FIELD_SYSC] = { "SYSC", 7, false },
	[FIELD_VCSW] = { "VCSW", 6, false },
	[FIELD_ICSW] = { "ICSW", 6, false },
	[FIELD_WAIT] = { "WAIT%", 5, false },
	[FIELD_MAXW] = { "MAXW", 6, false },
	[FIELD_IOW] = { "IOW%", 5, false },
	[FIELD_MIGR] = { "MIGR", 5, false },
	[FIELD_TIME] = { "TIME+", 9, false },
	[FIELD_COMMAND] = { "COMMAND", SNAP_COMM_LEN - 1, true },
	[FIELD_CNT] = { "CNT", 5, false },
	[FIELD_CREDITS] = { "CREDITS", 8, false },
	[FIELD_IPC] = { "IPC", 4, false },
};

const enum field fields_default[NR_FIELDS_DEFAULT] = {
	FIELD_PID, FIELD_USER, FIELD_STATE, FIELD_THR, FIELD_CPU, FIELD_USR, FIELD_SYS,
	FIELD_TIME, FIELD_COMMAND,
};

/*
 * The cells are written without printf where a row has many (every batch row of thousands of
 * processes goes through here): @v in decimal at @p, NUL-terminated; its length.
 */
static size_t put_u64(char *p, uint64_t v)
{
	char d[20];
	size_t n = 0, i;

	do
		d[n++] = '0' + v % 10;
	while (v /= 10);
	for (i = 0; i < n; i++)
		p[i] = d[n - 1 - i];
	p[n] = '\0';
	return n;
}

/*
 * @text padded to the column's width in terminal columns, not bytes (names may be UTF-8),
 * cut to @size; the bytes written.
 */
static size_t pad(char *buf, size_t size, enum field f, const char *text)
{
	const struct column *c = &columns[f];
	size_t len = 0, cols = 0, fill;
	int n;

	for (; text[len]; len++)
		cols += (text[len] & 0xc0) != 0x80;
	fill = (size_t)c->width > cols ? c->width - cols : 0;
	if (len + fill >= size) {
		n = c->left ? snprintf(buf, size, "%s%*s", text, (int)fill, "") :
			      snprintf(buf, size, "%*s%s", (int)fill, "", text);
		return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
	}
	if (c->left) {
		memcpy(buf, text, len);
		memset(buf + len, ' ', fill);
	} else {
		memset(buf, ' ', fill);
		memcpy(buf + fill, text, len);
	}
	buf[len + fill] = '\0';
	return len + fill;
}

/*
 * A percentage in 5 columns: 1000% and more (ten busy CPUs) lose the decimal, as in top.
 * Tenths are rounded to nearest, ties to even, as printf's %.1f rounds.
 */
static void pct(char *buf, size_t size, double v)
{
	long long tenths = v >= 0 && v < 999.95 ? llrint(v * 10) : -1;
	size_t n;

	if (tenths < 0 || tenths >= 10000 || size < 8) {
		snprintf(buf, size, v < 999.95 ? "%.1f" : "%.0f", v);
		return;
	}
	n = put_u64(buf, tenths / 10);
	buf[n] = '.';
	buf[n + 1] = '0' + tenths % 10;
	buf[n + 2] = '\0';
}

void column_rate(char *buf, size_t size, double v, int width)
{
	static const char *const units[] = { "", "k", "M", "G", "T" };
	size_t u = 0;

	if (v < 9.95) {
		snprintf(buf, size, "%.1f", v);
		return;
	}
	while (snprintf(buf, size, "%.0f%s", v, units[u]) > width &&
	       u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1000;
		u++;
	}
}

/* The tree's indent before a command: two columns a level, as deep as this many levels. */
#define TREE_DEPTH_SHOWN 24

/*
 * COMMAND: under the tree, indented with a branch (`-) below its parent; a row holding a
 * folded subtree says how many processes it holds.
 */
static void command_cell(char *buf, size_t size, const struct row *r)
{
	char name[4 * SNAP_COMM_LEN];
	int depth = r->depth < TREE_DEPTH_SHOWN ? r->depth : TREE_DEPTH_SHOWN;
	int len = 0;

	text_sanitize(name, sizeof(name), r->comm, sizeof(r->comm));
	if (depth)
		len = snprintf(buf, size, "%*s`- ", 2 * (depth - 1), "");
	if (len >= 0 && (size_t)len < size)
		snprintf(buf + len, size - len, r->folded ? "%s (+%u)" : "%s", name, r->folded);
}

size_t column_cell(char *buf, size_t size, enum field f, const struct row *r, const char *user)
{
	char tmp[2 * TREE_DEPTH_SHOWN + 4 * SNAP_COMM_LEN + 16];

	/* A counter the source cannot give (see the Source line) is not a zero. */
	if (!field_available(f, r->have))
		return pad(buf, size, f, "-");
	switch (f) {
	case FIELD_PID:
		put_u64(tmp, r->pid);
		break;
	case FIELD_USER:
		/* A command run by several users has no one owner. */
		if (r->many_users)
			user = "*";
		/* top's habit: a name too long for the column ends in '+'. */
		if (text_cols(user) <= (size_t)columns[f].width)
			return pad(buf, size, f, user);
		snprintf(tmp, sizeof(tmp), "%.*s+", (int)text_fit(user, columns[f].width - 1), user);
		break;
	case FIELD_STATE:
		tmp[0] = r->state;
		tmp[1] = '\0';
		break;
	case FIELD_THR:
		put_u64(tmp, r->nr_threads);
		break;
	case FIELD_CPU:
		pct(tmp, sizeof(tmp), r->cpu_pct);
		break;
	case FIELD_USR:
		pct(tmp, sizeof(tmp), r->usr_pct);
		break;
	case FIELD_SYS:
		pct(tmp, sizeof(tmp), r->sys_pct);
		break;
	case FIELD_SYSC: case FIELD_VCSW: case FIELD_ICSW: case FIELD_MIGR:
		column_rate(tmp, sizeof(tmp), r->rate[field_ctr(f)], columns[f].width);
		break;
	case FIELD_WAIT: case FIELD_IOW:
		pct(tmp, sizeof(tmp), r->rate[field_ctr(f)]);
		break;
	case FIELD_MAXW:
		/* Milliseconds: the scheduler's latencies are a few; a starving task's are more. */
		column_rate(tmp, sizeof(tmp), r->max_wait_ns / 1e6, columns[f].width);
		break;
	case FIELD_TIME:
		text_time(tmp, sizeof(tmp), r->time_ns, columns[f].width);
		break;
	case FIELD_COMMAND:
		/* Outside the tree, the name alone, made safe for the terminal. */
		if (!r->depth && !r->folded)
			text_sanitize(tmp, sizeof(tmp), r->comm, sizeof(r->comm));
		else
			command_cell(tmp, sizeof(tmp), r);
		break;
	case FIELD_CNT:
		put_u64(tmp, r->count);
		break;
	case FIELD_IPC:
		/* Blank for a row that ran no cycle: a ratio of nothing. */
		snprintf(tmp, sizeof(tmp), r->ctr[TASK_CYCLES] ? "%.2f" : "", row_ipc(r));
		break;
	case FIELD_CREDITS:
		/* CPU-minutes: 1 credit is one CPU busy for 60 s. */
		/* Three decimals while they fit in 8 columns: below 9999.9995, once rounded. */
		snprintf(tmp, sizeof(tmp), r->time_ns / 60e9 < 9999.9995 ? "%.3f" : "%.0f",
			 r->time_ns / 60e9);
		break;
	default:
		tmp[0] = '\0';
	}
	return pad(buf, size, f, tmp);
}

size_t fields_view(enum field *out, const enum field *fields, size_t nr, enum group_by g)
{
	size_t i, n = 0;

	if (g == GROUP_NONE) {
		memcpy(out, fields, nr * sizeof(*fields));
		return nr;
	}
	out[n++] = FIELD_CNT;
	if (g == GROUP_USER)
		out[n++] = FIELD_USER;
	for (i = 0; i < nr; i++) {
		switch (fields[i]) {
		case FIELD_PID: case FIELD_STATE: case FIELD_CNT: case FIELD_CREDITS:
			continue;
		case FIELD_USER:
			if (g == GROUP_USER)
				continue;
			break;
		case FIELD_COMMAND:
			if (g == GROUP_USER)
				continue;
			out[n++] = FIELD_CREDITS;
			break;
		default:
			break;
		}
		out[n++] = fields[i];
	}
	/* CREDITS comes before COMMAND, or last when there is none. */
	for (i = 0; i < n && out[i] != FIELD_CREDITS; i++)
		;
	if (i == n)
		out[n++] = FIELD_CREDITS;
	return n;
}

size_t column_head(char *buf, size_t size, enum field f)
{
	return pad(buf, size, f, columns[f].name);
}

int fields_parse(const char *list, enum field *out, size_t *nr, const char **bad)
{
	const char *p = list;
	bool seen[FIELD_NR] = {};

	*nr = 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		char name[16];
		enum field f;

		*bad = p;
		if (!len || len >= sizeof(name) || *nr == FIELD_NR)
			return -EINVAL;
		memcpy(name, p, len);
		name[len] = '\0';
		if (field_parse(name, &f) || seen[f])
			return -EINVAL;
		seen[f] = true;
		out[(*nr)++] = f;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

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
			column_rate(tmp, sizeof(tmp), r->rate[c->idx], c->width);
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
