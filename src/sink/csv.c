// SPDX-License-Identifier: GPL-2.0
/*
 * --format csv: a row per process (or thread, or program) per snapshot, the header once, in
 * RFC 4180 form. docs/output.md documents the columns. Figures are in base units, as in JSON.
 */
#include <errno.h>
#include <string.h>

#include "lib/text.h"
#include "sink/batch.h"

/* Text from a process, made terminal-safe, then quoted when it holds a comma or a quote. */
static void put_text(FILE *f, const char *s, size_t n)
{
	char clean[4096 + 1];	/* a cgroup path: PATH_MAX */
	const char *p;

	text_sanitize(clean, sizeof(clean), s, n);
	if (!strpbrk(clean, ",\"")) {
		fputs(clean, f);
		return;
	}
	fputc('"', f);
	for (p = clean; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

/*
 * The columns, after the timestamp, as docs/output.md documents them: a process's (or
 * thread's), or a program's. The hardware counters are JSON's alone: the columns stay put.
 */
#define FIGURES FIELD_THR, FIELD_CPU, FIELD_USR, FIELD_SYS, FIELD_CPU_NS, FIELD_USER_NS, \
	FIELD_SYS_NS, FIELD_TIME, FIELD_SYSC, FIELD_VCSW, FIELD_ICSW, FIELD_MIGR, FIELD_WAIT, \
	FIELD_IOW, FIELD_MAXW

/* The row's cgroup and its figures, last: columns added after the others keep their place. */
#define CGROUP_COLS FIELD_CGROUP, FIELD_UNIT, FIELD_CONTAINER, FIELD_LIMIT, FIELD_THR_PCT, \
	FIELD_NR_PERIODS, FIELD_NR_THROTTLED, FIELD_THROTTLED_NS, FIELD_PSI, FIELD_PSI_FULL

static const enum field process_cols[] = {
	FIELD_PID, FIELD_PPID, FIELD_UID, FIELD_USER, FIELD_STATE, FIGURES, FIELD_COMMAND,
	CGROUP_COLS,
};

static const enum field program_cols[] = {
	FIELD_GROUP, FIELD_UID, FIELD_CNT, FIELD_LIVE, FIGURES, FIELD_CREDITS, CGROUP_COLS,
};

/* One cell after a comma; empty where the row has no value. */
static void put_value(FILE *f, const struct field_value *v)
{
	fputc(',', f);
	switch (v->type) {
	case FV_U64:
		fprintf(f, "%llu", (unsigned long long)v->u);
		break;
	case FV_S64:
		fprintf(f, "%lld", (long long)v->s);
		break;
	case FV_DOUBLE:
		fprintf(f, "%.*f", v->decimals, v->d);
		break;
	case FV_TEXT:
		put_text(f, v->text, v->len);
		break;
	case FV_NONE:
		break;
	}
}

int csv_print(FILE *f, const struct snapshot *s, const struct model *m,
	      const struct settings *o, struct users *users, bool header)
{
	const enum field *cols = o->group != GROUP_NONE ? program_cols : process_cols;
	size_t nr = o->group != GROUP_NONE ? sizeof(program_cols) / sizeof(*cols) :
		    sizeof(process_cols) / sizeof(*cols);
	struct field_value v;
	struct field_ctx ctx;
	size_t i, k;

	settings_field_ctx(&ctx, o, s, &m->cg, users);
	if (header) {
		fputs("timestamp_ns", f);
		for (k = 0; k < nr; k++)
			fprintf(f, ",%s", field_table[cols[k]].key);
		fputc('\n', f);
	}
	for (i = 0; i < m->nr_rows; i++) {
		fprintf(f, "%lld", (long long)s->wall_ns);
		for (k = 0; k < nr; k++) {
			field_value(&v, cols[k], &m->rows[i], &ctx);
			put_value(f, &v);
		}
		fputc('\n', f);
	}
	if (fflush(f) || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}
