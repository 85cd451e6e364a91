/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The field table: every figure a row can show or export, each in one entry: its column's
 * name, width, alignment and default sort direction, the counters it needs, its JSON and CSV
 * key, its comparator, cell and value (DESIGN.md §1). Sort, --fields, the table, JSON, CSV,
 * the help and the manual's column list read it; a new column is one entry and its data.
 */
#ifndef CPUTOP_MODEL_FIELDS_H
#define CPUTOP_MODEL_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct row;
struct cg_table;

/* The columns, in the order --help lists them, then the figures that are exported only. */
enum field {
	FIELD_PID, FIELD_USER, FIELD_STATE, FIELD_THR, FIELD_CPU, FIELD_USR, FIELD_SYS,
	FIELD_SYSC, FIELD_VCSW, FIELD_ICSW, FIELD_WAIT, FIELD_MAXW, FIELD_IOW, FIELD_MIGR,
	FIELD_TIME, FIELD_COMMAND, FIELD_CNT, FIELD_CREDITS, FIELD_IPC, FIELD_NI, FIELD_PR,
	FIELD_START, FIELD_PPID, FIELD_UID, FIELD_TGID, FIELD_CGROUP, FIELD_UNIT, FIELD_CONTAINER,
	FIELD_LIMIT, FIELD_THR_PCT, FIELD_PSI,
	FIELD_COLUMNS,			/* the columns end here */
	FIELD_GROUP = FIELD_COLUMNS, FIELD_LIVE, FIELD_CPU_NS, FIELD_USER_NS, FIELD_SYS_NS,
	FIELD_CYCLES, FIELD_INSNS, FIELD_DEPTH, FIELD_FOLDED, FIELD_NR_PERIODS,
	FIELD_NR_THROTTLED, FIELD_THROTTLED_NS, FIELD_PSI_FULL, FIELD_PSI_SOME_AVG10,
	FIELD_PSI_FULL_AVG10, FIELD_PSI_SOME_TOTAL, FIELD_PSI_FULL_TOTAL,
	FIELD_NR
};

/*
 * The per-program view (--group, the TUI's a key): one row per command name, user, cgroup,
 * systemd unit or container.
 */
enum group_by { GROUP_NONE, GROUP_COMM, GROUP_USER, GROUP_CGROUP, GROUP_UNIT, GROUP_CONTAINER,
		GROUP_NR };

/* Whether a tree goes with @g: the processes' (none) or the cgroups' (cgroup). */
static inline bool group_has_tree(enum group_by g)
{
	return g == GROUP_NONE || g == GROUP_CGROUP;
}

/* Whether @g groups by cgroup: by cgroup, unit or container. */
static inline bool group_is_cgroup(enum group_by g)
{
	return g >= GROUP_CGROUP;
}

extern const char *const group_names[GROUP_NR];

/* What a cell, a value or a comparison needs besides the row. */
struct field_ctx {
	/* A uid's name: the caller resolves it (the model does no I/O). */
	const char *(*user_name)(uint32_t uid, void *ctx);
	void *user_ctx;
	enum group_by group;		/* the rows are programs: FIELD_GROUP's key */
	bool threads;			/* a row per thread: FIELD_TGID has a value */
	bool tree;			/* FIELD_DEPTH and FIELD_FOLDED have values */
	const struct cg_table *cg;	/* the rows' cgroups; NULL: none known */
	/* The snapshot's clock and its Unix time, for START's time of day. */
	uint64_t ts_ns;
	int64_t wall_ns;
};

/* A figure as JSON and CSV write it. */
struct field_value {
	enum { FV_NONE, FV_U64, FV_S64, FV_DOUBLE, FV_TEXT } type;	/* FV_NONE: none here */
	uint64_t u;
	int64_t s;
	double d;
	int decimals;			/* CSV's for a double */
	const char *text;		/* raw (a name): writers make it safe */
	size_t len;			/* at most this many bytes of it */
};

struct field_def {
	const char *name;		/* the column, for -o, --fields, the header; NULL: none */
	const char *key;		/* JSON and CSV key; NULL: not exported */
	int width;			/* COMMAND's is a minimum: last, it takes the rest */
	bool left;			/* left-aligned (text) or right-aligned (numbers) */
	bool descends;			/* sorts high to low unless asked otherwise */
	bool per_process;		/* a program's row has none: left out of grouped views */
	uint32_t needs;			/* row.have bits (1 << TASK_*, TASK_HAVE_MAXW) it needs */
	int (*cmp)(const struct row *a, const struct row *b, const struct field_ctx *c);
	/* The cell's text before padding, at most @size - 1 bytes. */
	void (*cell)(char *buf, size_t size, const struct row *r, const struct field_ctx *c);
	void (*value)(struct field_value *v, const struct row *r, const struct field_ctx *c);
	const char *help;		/* one line for --help, the help screen and the manual */
};

extern const struct field_def field_table[FIELD_NR];

/* The columns shown unless --fields or the rc file pick others: top's, with %USR and %SYS. */
#define NR_FIELDS_DEFAULT 9
extern const enum field fields_default[NR_FIELDS_DEFAULT];

/* The column named @name, any case; -EINVAL when there is none. */
int field_parse(const char *name, enum field *f);
/*
 * A comma-separated list of column names into @out, at most FIELD_COLUMNS and each once. 0, or
 * -EINVAL with @bad pointing at the offending name's start in @list.
 */
int fields_parse(const char *list, enum field *out, size_t *nr, const char **bad);
/* Whether a row whose counters are @have (struct row.have) has a value for @f. */
bool field_available(enum field f, uint32_t have);
/*
 * Cell text of @f for @r, padded to the column's width in terminal columns; '-' for a figure
 * the source cannot give. Returns the bytes written, cut to @size.
 */
size_t field_cell(char *buf, size_t size, enum field f, const struct row *r,
		  const struct field_ctx *c);
/* The column header padded to its width; the bytes written. */
size_t field_head(char *buf, size_t size, enum field f);
/*
 * A table line: the cells of @r in columns @f (their headers when @r is NULL) joined by a
 * space, without trailing blanks, cut to @size; its length.
 */
size_t fields_line(char *buf, size_t size, const enum field *f, size_t nr, const struct row *r,
		   const struct field_ctx *c);
/* @r's value of @f for JSON and CSV; FV_NONE where it has none. */
void field_value(struct field_value *v, enum field f, const struct row *r,
		 const struct field_ctx *c);
/* @a against @b by @f, ascending; ties broken by row identity. */
int field_cmp(enum field f, const struct row *a, const struct row *b, const struct field_ctx *c);
/*
 * The columns of a view: @fields as chosen, or for the per-program view @g, CNT first, the
 * key's column (USER or COMMAND) kept and the per-process ones left out, CREDITS before
 * COMMAND; per cgroup, unit or container, no USER nor COMMAND, but LIMIT, THR% and PSI%,
 * CREDITS, and the key's column last. @out has room for FIELD_COLUMNS; returns how many.
 */
size_t fields_view(enum field *out, const enum field *fields, size_t nr, enum group_by g);

#endif /* CPUTOP_MODEL_FIELDS_H */
