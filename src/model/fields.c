// SPDX-License-Identifier: GPL-2.0
/*
 * The field table. Cells are written without printf where a row has many (every batch row of
 * thousands of processes goes through here).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "lib/text.h"
#include "model/model.h"

const char *const group_names[GROUP_NR] = {
	[GROUP_NONE] = "none", [GROUP_COMM] = "comm", [GROUP_USER] = "user",
	[GROUP_CGROUP] = "cgroup", [GROUP_UNIT] = "unit", [GROUP_CONTAINER] = "container",
};

const enum field fields_default[NR_FIELDS_DEFAULT] = {
	FIELD_PID, FIELD_USER, FIELD_STATE, FIELD_THR, FIELD_CPU, FIELD_USR, FIELD_SYS,
	FIELD_TIME, FIELD_COMMAND,
};

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

static int cmp_double(double a, double b)
{
	return (a > b) - (a < b);
}

/* @v in decimal at @p, NUL-terminated; its length. */
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

static void put_s64(char *p, int64_t v)
{
	if (v < 0)
		*p++ = '-';
	put_u64(p, v < 0 ? -(uint64_t)v : (uint64_t)v);
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

double row_ipc(const struct row *r)
{
	return r->ctr[TASK_CYCLES] ? (double)r->ctr[TASK_INSNS] / r->ctr[TASK_CYCLES] : 0;
}

static const char *row_user(const struct row *r, const struct field_ctx *c)
{
	return c->user_name ? c->user_name(r->uid, c->user_ctx) : "";
}

/* The fields' parts, by name: FIELD_X's cell, value and comparator are x_cell, x_value, x_cmp. */
#define CELL(x) static void x##_cell(char *buf, size_t size, const struct row *r, \
				    const struct field_ctx *c)
#define VALUE(x) static void x##_value(struct field_value *v, const struct row *r, \
				      const struct field_ctx *c)
#define CMP(x) static int x##_cmp(const struct row *a, const struct row *b, \
				  const struct field_ctx *c)

/*
 * The shapes most fields share: a number of the row, a percentage, a counter of the interval
 * shown per second (or as a share of it, for times) and exported as a count.
 */
#define U32_FIELD(x, member)							\
	CELL(x) { (void)size; (void)c; put_u64(buf, r->member); }		\
	VALUE(x) { (void)c; *v = (struct field_value){ .type = FV_U64, .u = r->member }; } \
	CMP(x) { (void)c; return cmp_u64(a->member, b->member); }
#define PCT_FIELD(x, member)							\
	CELL(x) { (void)c; pct(buf, size, r->member); }				\
	VALUE(x) {								\
		(void)c;							\
		*v = (struct field_value){ .type = FV_DOUBLE, .d = r->member, .decimals = 2 }; \
	}									\
	CMP(x) { (void)c; return cmp_double(a->member, b->member); }
/* A counter: per second in the table, its count over the interval in JSON and CSV. */
#define RATE_FIELD(x, k)							\
	CELL(x) { (void)c; text_rate(buf, size, r->rate[k], field_table[FIELD_##x].width); } \
	VALUE(x) { (void)c; *v = (struct field_value){ .type = FV_U64, .u = r->ctr[k] }; } \
	CMP(x) { (void)c; return cmp_double(a->rate[k], b->rate[k]); }
/* A time counter: its share of the interval in the table, its ns in JSON and CSV. */
#define SHARE_FIELD(x, k)							\
	CELL(x) { (void)c; pct(buf, size, r->rate[k]); }			\
	VALUE(x) { (void)c; *v = (struct field_value){ .type = FV_U64, .u = r->ctr[k] }; } \
	CMP(x) { (void)c; return cmp_double(a->rate[k], b->rate[k]); }
/* A signed number, whose cell each field writes its own way. */
#define S32_FIELD(x, member)							\
	VALUE(x) { (void)c; *v = (struct field_value){ .type = FV_S64, .s = r->member }; } \
	CMP(x) { (void)c; return (a->member > b->member) - (a->member < b->member); }
/* Exported only. */
#define U64_VALUE(x, expr)							\
	VALUE(x) { (void)c; *v = (struct field_value){ .type = FV_U64, .u = (expr) }; }

U32_FIELD(PID, pid)
U32_FIELD(THR, nr_threads)
U32_FIELD(CNT, count)
U32_FIELD(PPID, ppid)
PCT_FIELD(CPU, cpu_pct)
PCT_FIELD(USR, usr_pct)
PCT_FIELD(SYS, sys_pct)
RATE_FIELD(SYSC, TASK_SYSC)
RATE_FIELD(VCSW, TASK_VCSW)
RATE_FIELD(ICSW, TASK_ICSW)
RATE_FIELD(MIGR, TASK_MIGR)
SHARE_FIELD(WAIT, TASK_WAIT_NS)
SHARE_FIELD(IOW, TASK_IOW_NS)
U64_VALUE(LIVE, r->live)
U64_VALUE(CPU_NS, r->cpu_ns)
U64_VALUE(USER_NS, r->user_ns)
U64_VALUE(SYS_NS, r->sys_ns)
U64_VALUE(CYCLES, r->ctr[TASK_CYCLES])
U64_VALUE(INSNS, r->ctr[TASK_INSNS])

/* USER: top's habit, a name too long for the column ends in '+'. */
CELL(USER)
{
	/* A command run by several users has no one owner. */
	const char *user = r->many_users ? "*" : row_user(r, c);
	int width = field_table[FIELD_USER].width;

	if (text_cols(user) <= (size_t)width)
		snprintf(buf, size, "%s", user);
	else
		snprintf(buf, size, "%.*s+", (int)text_fit(user, width - 1), user);
}

/* Where the rows are users, the user is the group's key: no "user" beside it. */
VALUE(USER)
{
	const char *user = row_user(r, c);

	*v = (struct field_value){ .type = FV_NONE };
	if (!r->many_users && c->group != GROUP_USER)
		*v = (struct field_value){ .type = FV_TEXT, .text = user, .len = strlen(user) };
}

/* By name, as shown; by uid where no names are known. */
CMP(USER)
{
	/* The second lookup may move the first name: keep a copy. */
	char an[64];

	if (!c->user_name)
		return cmp_u64(a->uid, b->uid);
	snprintf(an, sizeof(an), "%s", c->user_name(a->uid, c->user_ctx));
	return strcmp(an, c->user_name(b->uid, c->user_ctx));
}

CELL(UID)
{
	(void)size;
	(void)c;
	put_u64(buf, r->uid);
}

/* A command run by several users has no one uid. */
VALUE(UID)
{
	(void)c;
	*v = (struct field_value){ .type = r->many_users ? FV_NONE : FV_U64, .u = r->uid };
}

CMP(UID)
{
	(void)c;
	return cmp_u64(a->uid, b->uid);
}

CELL(STATE)
{
	(void)size;
	(void)c;
	buf[0] = r->state;
	buf[1] = '\0';
}

VALUE(STATE)
{
	(void)c;
	*v = (struct field_value){ .type = FV_TEXT, .text = &r->state, .len = 1 };
}

CMP(STATE)
{
	(void)c;
	return (a->state > b->state) - (a->state < b->state);
}

/* Milliseconds: the scheduler's latencies are a few; a starving task's are more. */
CELL(MAXW)
{
	(void)c;
	text_rate(buf, size, r->max_wait_ns / 1e6, field_table[FIELD_MAXW].width);
}

U64_VALUE(MAXW, r->max_wait_ns)

CMP(MAXW)
{
	(void)c;
	return cmp_u64(a->max_wait_ns, b->max_wait_ns);
}

CELL(TIME)
{
	(void)c;
	text_time(buf, size, r->time_ns, field_table[FIELD_TIME].width);
}

U64_VALUE(TIME, r->time_ns)

/* TIME+ and CREDITS: the CPU of a whole life. */
CMP(TIME)
{
	(void)c;
	return cmp_u64(a->time_ns, b->time_ns);
}

/* The tree's indent before a command: two columns a level, as deep as this many levels. */
#define TREE_DEPTH_SHOWN 24

/*
 * COMMAND: the name made safe for the terminal; under the tree, indented with a branch (`-)
 * below its parent, and a row holding a folded subtree says how many processes it holds.
 */
CELL(COMMAND)
{
	char name[4 * SNAP_COMM_LEN];
	int depth = r->depth < TREE_DEPTH_SHOWN ? r->depth : TREE_DEPTH_SHOWN;
	int len = 0;

	(void)c;
	if (!r->depth && !r->folded) {
		text_sanitize(buf, size, r->comm, sizeof(r->comm));
		return;
	}
	text_sanitize(name, sizeof(name), r->comm, sizeof(r->comm));
	if (depth)
		len = snprintf(buf, size, "%*s`- ", 2 * (depth - 1), "");
	if (len >= 0 && (size_t)len < size)
		snprintf(buf + len, size - len, r->folded ? "%s (+%u)" : "%s", name, r->folded);
}

VALUE(COMMAND)
{
	(void)c;
	*v = (struct field_value){ .type = FV_TEXT, .text = r->comm, .len = sizeof(r->comm) };
}

CMP(COMMAND)
{
	(void)c;
	return strncmp(a->comm, b->comm, sizeof(a->comm));
}

/* CPU-minutes: 1 credit is one CPU busy for 60 s. */
CELL(CREDITS)
{
	(void)c;
	/* Three decimals while they fit in 8 columns: below 9999.9995, once rounded. */
	snprintf(buf, size, r->time_ns / 60e9 < 9999.9995 ? "%.3f" : "%.0f", r->time_ns / 60e9);
}

CMP(CREDITS)
{
	return TIME_cmp(a, b, c);
}

VALUE(CREDITS)
{
	(void)c;
	*v = (struct field_value){ .type = FV_DOUBLE, .d = r->time_ns / 60e9, .decimals = 6 };
}

/* Blank for a row that ran no cycle: a ratio of nothing. */
CELL(IPC)
{
	(void)c;
	snprintf(buf, size, r->ctr[TASK_CYCLES] ? "%.2f" : "", row_ipc(r));
}

VALUE(IPC)
{
	(void)c;
	*v = (struct field_value){ .type = r->ctr[TASK_CYCLES] ? FV_DOUBLE : FV_NONE,
				   .d = row_ipc(r), .decimals = 2 };
}

CMP(IPC)
{
	(void)c;
	return cmp_double(row_ipc(a), row_ipc(b));
}

CELL(NI)
{
	(void)size;
	(void)c;
	put_s64(buf, r->nice);
}

/* As top: the kernel's priority less 100 (20 + nice for normal tasks), rt for the highest. */
CELL(PR)
{
	(void)size;
	(void)c;
	if (r->prio == -100)
		strcpy(buf, "rt");
	else
		put_s64(buf, r->prio);
}

S32_FIELD(NI, nice)
S32_FIELD(PR, prio)

/* As htop: the time of day within a day, the date within a year, else the year. */
CELL(START)
{
	int64_t unix_ns = c->wall_ns + (int64_t)(r->start_ns - c->ts_ns);
	time_t t = unix_ns / 1000000000, now = c->wall_ns / 1000000000;
	struct tm tm;

	if (!localtime_r(&t, &tm)) {
		snprintf(buf, size, "?");
		return;
	}
	strftime(buf, size, now - t < 86400 ? "%H:%M" : now - t < 365 * 86400 ? "%b%d" : "%Y",
		 &tm);
}

U64_VALUE(START, r->start_ns)

CMP(START)
{
	(void)c;
	return cmp_u64(a->start_ns, b->start_ns);
}

CELL(TGID)
{
	(void)size;
	(void)c;
	put_u64(buf, r->tgid);
}

/* In a thread's row: its process; a process's row is its own. */
VALUE(TGID)
{
	*v = (struct field_value){ .type = c->threads ? FV_U64 : FV_NONE, .u = r->tgid };
}

CMP(TGID)
{
	(void)c;
	return cmp_u64(a->tgid, b->tgid);
}

/* The row's cgroup (a group's: its key's), or NULL when it has none or none is known. */
static const struct cg_row *row_cg(const struct row *r, const struct field_ctx *c)
{
	return c->cg && r->cgroup_id ? cg_find(c->cg, r->cgroup_id) : NULL;
}

/* The cgroup naming @r's unit or its container (@container), or NULL. */
static const struct cg_row *row_cg_of(const struct row *r, const struct field_ctx *c,
				      bool container)
{
	const struct cg_row *g = row_cg(r, c);
	uint64_t id = g ? container ? g->container : g->unit : 0;

	return id ? cg_find(c->cg, id) : NULL;
}

/* Its cgroup's figures of the interval: only while it is in the latest snapshot. */
static const struct cg_row *row_cg_now(const struct row *r, const struct field_ctx *c,
				       uint32_t have)
{
	const struct cg_row *g = row_cg(r, c);

	return g && g->present && (g->have & have) ? g : NULL;
}

/*
 * CGROUP: the path, whose end tells cgroups apart: one longer than the column loses its
 * beginning, marked "..". Made safe for the terminal: a cgroup's name is any bytes but '/'.
 */
CELL(CGROUP)
{
	const struct cg_row *g = row_cg(r, c);
	size_t width = field_table[FIELD_CGROUP].width, len, cols;
	char safe[4 * 64];
	const char *p;

	if (!g) {
		snprintf(buf, size, "-");
		return;
	}
	/* In the cgroup tree: its name under its parent's, as COMMAND in the process tree. */
	if (c->tree && r->depth) {
		int depth = r->depth < TREE_DEPTH_SHOWN ? r->depth : TREE_DEPTH_SHOWN;
		int len = snprintf(buf, size, "%*s`- ", 2 * (depth - 1), "");

		if (len >= 0 && (size_t)len < size)
			text_sanitize(buf + len, size - len, cg_name(g), strlen(cg_name(g)));
		return;
	}
	/* Every character takes at least one byte: the last few bytes hold the part shown. */
	len = strlen(g->path);
	p = g->path + (len > sizeof(safe) / 4 ? len - sizeof(safe) / 4 : 0);
	text_sanitize(safe, sizeof(safe), p, strlen(p));
	p = safe;
	cols = text_cols(p);
	if (len > sizeof(safe) / 4 || cols > width) {
		for (; cols > width - 2; cols--) {
			p++;
			while ((*p & 0xc0) == 0x80)
				p++;
		}
		snprintf(buf, size, "..%s", p);
		return;
	}
	snprintf(buf, size, "%s", p);
}

VALUE(CGROUP)
{
	const struct cg_row *g = row_cg(r, c);

	*v = (struct field_value){ .type = FV_NONE };
	if (g)
		*v = (struct field_value){ .type = FV_TEXT, .text = g->path,
					   .len = strlen(g->path) };
}

CMP(CGROUP)
{
	const struct cg_row *ga = row_cg(a, c), *gb = row_cg(b, c);

	return !ga || !gb ? (ga != NULL) - (gb != NULL) : strcmp(ga->path, gb->path);
}

/* A name cut to @f's width as USER is, top's '+' marking the cut. */
static void name_cell(char *buf, size_t size, enum field f, const char *name)
{
	char safe[4 * 64];
	int width = field_table[f].width;

	text_sanitize(safe, sizeof(safe), name, strlen(name));
	if (text_cols(safe) <= (size_t)width)
		snprintf(buf, size, "%s", safe);
	else
		snprintf(buf, size, "%.*s+", (int)text_fit(safe, width - 1), safe);
}

/* UNIT: the systemd unit, the last component of the path that names one. */
CELL(UNIT)
{
	const struct cg_row *u = row_cg_of(r, c, false);

	name_cell(buf, size, FIELD_UNIT, u ? cg_name(u) : "-");
}

VALUE(UNIT)
{
	const struct cg_row *u = row_cg_of(r, c, false);
	const char *name = u ? cg_name(u) : NULL;

	*v = (struct field_value){ .type = FV_NONE };
	if (name)
		*v = (struct field_value){ .type = FV_TEXT, .text = name, .len = strlen(name) };
}

CMP(UNIT)
{
	const struct cg_row *ua = row_cg_of(a, c, false), *ub = row_cg_of(b, c, false);

	return !ua || !ub ? (ua != NULL) - (ub != NULL) : strcmp(cg_name(ua), cg_name(ub));
}

/* CONTAINER: the first 12 digits of its id, as docker ps shows it. */
#define CONTAINER_SHOWN 12

static const char *row_container(const struct row *r, const struct field_ctx *c)
{
	const struct cg_row *k = row_cg_of(r, c, true);

	return k ? cg_container_id(cg_name(k)) : NULL;
}

CELL(CONTAINER)
{
	const char *id = row_container(r, c);

	snprintf(buf, size, "%.*s", id ? CONTAINER_SHOWN : 1, id ? id : "-");
}

/* The whole id: the short one is for people. */
VALUE(CONTAINER)
{
	const char *id = row_container(r, c);

	*v = (struct field_value){ .type = FV_NONE };
	if (id)
		*v = (struct field_value){ .type = FV_TEXT, .text = id, .len = 64 };
}

CMP(CONTAINER)
{
	const char *ia = row_container(a, c), *ib = row_container(b, c);

	return !ia || !ib ? (ia != NULL) - (ib != NULL) : strncmp(ia, ib, 64);
}

/* LIMIT: the CPUs its cgroup may use (cpu.max, cfs_quota_us / cfs_period_us); "-" for none. */
static double row_limit(const struct row *r, const struct field_ctx *c)
{
	const struct cg_row *g = row_cg_now(r, c, CG_HAVE_LIMIT);

	return g ? g->limit : 0;
}

CELL(LIMIT)
{
	double l = row_limit(r, c);

	snprintf(buf, size, l > 0 ? l < 99.995 ? "%.2f" : "%.0f" : "-", l);
}

VALUE(LIMIT)
{
	double l = row_limit(r, c);

	*v = (struct field_value){ .type = l > 0 ? FV_DOUBLE : FV_NONE, .d = l, .decimals = 3 };
}

CMP(LIMIT)
{
	return cmp_double(row_limit(a, c), row_limit(b, c));
}

/*
 * A figure of the row's cgroup over the interval that needs @have: a cell "-" without it, a
 * value left out, a comparison below every row that has it.
 */
#define CG_FIELD(x, have, expr, cellf, vtype, dec)					\
	CELL(x)										\
	{										\
		const struct cg_row *g = row_cg_now(r, c, have);			\
											\
		if (g)									\
			cellf;								\
		else									\
			snprintf(buf, size, "-");					\
	}										\
	VALUE(x)									\
	{										\
		const struct cg_row *g = row_cg_now(r, c, have);			\
											\
		*v = (struct field_value){ .type = FV_NONE };				\
		if (g)									\
			*v = (struct field_value){ .type = vtype, .u = (uint64_t)(expr),	\
						   .d = (double)(expr), .decimals = dec }; \
	}										\
	CMP(x)										\
	{										\
		const struct cg_row *ga = row_cg_now(a, c, have);			\
		const struct cg_row *gb = row_cg_now(b, c, have);			\
		const struct cg_row *g;							\
		double va, vb;								\
											\
		if (!ga || !gb)								\
			return (ga != NULL) - (gb != NULL);				\
		g = ga;									\
		va = (expr);								\
		g = gb;									\
		vb = (expr);								\
		return cmp_double(va, vb);						\
	}

CG_FIELD(THR_PCT, CG_HAVE_THROTTLE, g->thr_pct, pct(buf, size, g->thr_pct), FV_DOUBLE, 2)
CG_FIELD(PSI, CG_HAVE_PSI, g->psi_some_pct, pct(buf, size, g->psi_some_pct), FV_DOUBLE, 2)

/* Exported only: the cgroup's counters over the interval, and the kernel's averages. */
#define CG_VALUE(x, have, expr, vtype, dec)						\
	VALUE(x)									\
	{										\
		const struct cg_row *g = row_cg_now(r, c, have);			\
											\
		*v = (struct field_value){ .type = FV_NONE };				\
		if (g)									\
			*v = (struct field_value){ .type = vtype, .u = (uint64_t)(expr),	\
						   .d = (double)(expr), .decimals = dec }; \
	}

CG_VALUE(NR_PERIODS, CG_HAVE_THROTTLE, g->nr_periods, FV_U64, 0)
CG_VALUE(NR_THROTTLED, CG_HAVE_THROTTLE, g->nr_throttled, FV_U64, 0)
CG_VALUE(THROTTLED_NS, CG_HAVE_THROTTLE, g->throttled_ns, FV_U64, 0)
CG_VALUE(PSI_FULL, CG_HAVE_PSI, g->psi_full_pct, FV_DOUBLE, 2)
CG_VALUE(PSI_SOME_AVG10, CG_HAVE_PSI, g->psi.some_avg10 / 100.0, FV_DOUBLE, 2)
CG_VALUE(PSI_FULL_AVG10, CG_HAVE_PSI, g->psi.full_avg10 / 100.0, FV_DOUBLE, 2)
CG_VALUE(PSI_SOME_TOTAL, CG_HAVE_PSI, g->psi.some_us, FV_U64, 0)
CG_VALUE(PSI_FULL_TOTAL, CG_HAVE_PSI, g->psi.full_us, FV_U64, 0)

/* A program's key: its command, its user, its cgroup's path, unit or container. */
VALUE(GROUP)
{
	const char *user = row_user(r, c);

	*v = (struct field_value){ .type = FV_NONE };
	if (c->group == GROUP_COMM)
		*v = (struct field_value){ .type = FV_TEXT, .text = r->comm,
					   .len = sizeof(r->comm) };
	else if (c->group == GROUP_USER)
		*v = (struct field_value){ .type = FV_TEXT, .text = user, .len = strlen(user) };
	else if (c->group == GROUP_CGROUP)
		CGROUP_value(v, r, c);
	else if (c->group == GROUP_UNIT)
		UNIT_value(v, r, c);
	else if (c->group == GROUP_CONTAINER)
		CONTAINER_value(v, r, c);
}

VALUE(DEPTH)
{
	*v = (struct field_value){ .type = c->tree ? FV_U64 : FV_NONE, .u = r->depth };
}

VALUE(FOLDED)
{
	*v = (struct field_value){ .type = c->tree ? FV_U64 : FV_NONE, .u = r->folded };
}

#define HAVE(k) (1u << (k))

/* A column: name, key, width, left, descends, per process, needs, then help. */
#define COLUMN(x, nm, ky, w, l, d, pp, nd, hp) [FIELD_##x] = {				\
	.name = nm, .key = ky, .width = w, .left = l, .descends = d, .per_process = pp,	\
	.needs = nd, .cmp = x##_cmp, .cell = x##_cell, .value = x##_value, .help = hp }
/* A figure that JSON and CSV export and no column shows. */
#define EXPORTED(x, ky, nd) [FIELD_##x] = { .key = ky, .needs = nd, .value = x##_value }

const struct field_def field_table[FIELD_NR] = {
	COLUMN(PID, "PID", "pid", 7, false, false, true, 0,
	       "process ID (thread ID with -H)"),
	COLUMN(USER, "USER", "user", 8, true, false, false, 0,
	       "the owner's name (effective uid); * for a program run by several"),
	COLUMN(STATE, "S", "state", 1, true, false, true, 0,
	       "state: R run, S sleep, D disk, T stop, Z zombie, I idle, X exited"),
	COLUMN(THR, "THR", "threads", 3, false, true, false, 0, "threads"),
	COLUMN(CPU, "%CPU", "cpu_pct", 5, false, true, false, 0,
	       "CPU over the interval, in % of one CPU"),
	COLUMN(USR, "%USR", "user_pct", 5, false, true, false, 0, "of which in user mode"),
	COLUMN(SYS, "%SYS", "sys_pct", 5, false, true, false, 0, "of which in the kernel"),
	COLUMN(SYSC, "SYSC", "syscalls", 7, false, true, false, HAVE(TASK_SYSC),
	       "system calls per second"),
	COLUMN(VCSW, "VCSW", "voluntary_switches", 6, false, true, false, HAVE(TASK_VCSW),
	       "voluntary context switches (blocked) per second"),
	COLUMN(ICSW, "ICSW", "involuntary_switches", 6, false, true, false, HAVE(TASK_ICSW),
	       "involuntary context switches (preempted) per second"),
	COLUMN(WAIT, "WAIT%", "wait_ns", 5, false, true, false, HAVE(TASK_WAIT_NS),
	       "runnable but waiting for a CPU, in % of the interval"),
	COLUMN(MAXW, "MAXW", "max_wait_ns", 6, false, true, false, TASK_HAVE_MAXW,
	       "its longest wait for a CPU in the interval, ms"),
	COLUMN(IOW, "IOW%", "iowait_ns", 5, false, true, false, HAVE(TASK_IOW_NS),
	       "in uninterruptible sleep (D), in % of the interval"),
	COLUMN(MIGR, "MIGR", "migrations", 5, false, true, false, HAVE(TASK_MIGR),
	       "migrations between CPUs per second"),
	COLUMN(TIME, "TIME+", "time_ns", 9, false, true, false, 0,
	       "CPU time since it started (a program's: of every process seen)"),
	COLUMN(COMMAND, "COMMAND", "command", SNAP_COMM_LEN - 1, true, false, false, 0,
	       "the command name"),
	COLUMN(CNT, "CNT", "count", 5, false, true, false, 0,
	       "processes (a program's: seen since cputop started)"),
	COLUMN(CREDITS, "CREDITS", "credits", 8, false, true, false, 0,
	       "CPU-minutes used: TIME+ in minutes of one CPU"),
	COLUMN(IPC, "IPC", "ipc", 4, false, true, false, HAVE(TASK_CYCLES) | HAVE(TASK_INSNS),
	       "instructions per cycle (hardware counters)"),
	COLUMN(NI, "NI", "nice", 3, false, false, true, 0, "nice value, -20 to 19"),
	COLUMN(PR, "PR", "priority", 3, false, false, true, 0,
	       "scheduling priority as top shows it (20 + nice; rt for real time)"),
	COLUMN(START, "START", "start_ns", 5, false, false, true, 0,
	       "when it started: time of day, date, or year"),
	COLUMN(PPID, "PPID", "ppid", 7, false, false, true, 0, "parent process ID"),
	COLUMN(UID, "UID", "uid", 5, false, false, false, 0, "the owner's uid"),
	COLUMN(TGID, "TGID", "tgid", 7, false, false, true, 0, "a thread's process ID"),
	COLUMN(CGROUP, "CGROUP", "cgroup", 32, true, false, false, TASK_HAVE_CGROUP,
	       "its cgroup (v2 path; a long one loses its start)"),
	COLUMN(UNIT, "UNIT", "unit", 24, true, false, false, TASK_HAVE_CGROUP,
	       "its systemd unit: the last .service, .scope or .slice of its cgroup"),
	COLUMN(CONTAINER, "CONTAINER", "container", CONTAINER_SHOWN, true, false, false,
	       TASK_HAVE_CGROUP, "its container (docker, containerd, cri-o, podman, kubepods)"),
	COLUMN(LIMIT, "LIMIT", "cpu_limit", 5, false, true, false, TASK_HAVE_CGROUP,
	       "the CPUs its cgroup may use (cpu.max, or v1's CFS quota)"),
	COLUMN(THR_PCT, "THR%", "throttled_pct", 5, false, true, false, TASK_HAVE_CGROUP,
	       "its cgroup held back at its limit, in % of the interval"),
	COLUMN(PSI, "PSI%", "psi_some_pct", 5, false, true, false, TASK_HAVE_CGROUP,
	       "its cgroup's tasks stalled for a CPU (cpu.pressure some), %"),
	EXPORTED(GROUP, "group", 0),
	EXPORTED(LIVE, "live", 0),
	EXPORTED(CPU_NS, "cpu_ns", 0),
	EXPORTED(USER_NS, "user_ns", 0),
	EXPORTED(SYS_NS, "sys_ns", 0),
	EXPORTED(CYCLES, "cycles", HAVE(TASK_CYCLES)),
	EXPORTED(INSNS, "instructions", HAVE(TASK_INSNS)),
	EXPORTED(DEPTH, "depth", 0),
	EXPORTED(FOLDED, "folded", 0),
	EXPORTED(NR_PERIODS, "nr_periods", TASK_HAVE_CGROUP),
	EXPORTED(NR_THROTTLED, "nr_throttled", TASK_HAVE_CGROUP),
	EXPORTED(THROTTLED_NS, "throttled_ns", TASK_HAVE_CGROUP),
	EXPORTED(PSI_FULL, "psi_full_pct", TASK_HAVE_CGROUP),
	EXPORTED(PSI_SOME_AVG10, "psi_some_avg10", TASK_HAVE_CGROUP),
	EXPORTED(PSI_FULL_AVG10, "psi_full_avg10", TASK_HAVE_CGROUP),
	EXPORTED(PSI_SOME_TOTAL, "psi_some_total_us", TASK_HAVE_CGROUP),
	EXPORTED(PSI_FULL_TOTAL, "psi_full_total_us", TASK_HAVE_CGROUP),
};

int field_parse(const char *name, enum field *f)
{
	int i;

	for (i = 0; i < FIELD_COLUMNS; i++) {
		if (!strcasecmp(name, field_table[i].name)) {
			*f = i;
			return 0;
		}
	}
	return -EINVAL;
}

int fields_parse(const char *list, enum field *out, size_t *nr, const char **bad)
{
	const char *p = list;
	bool seen[FIELD_COLUMNS] = {};

	*nr = 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		char name[16];
		enum field f;

		*bad = p;
		if (!len || len >= sizeof(name) || *nr == FIELD_COLUMNS)
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

bool field_available(enum field f, uint32_t have)
{
	return (have & field_table[f].needs) == field_table[f].needs;
}

/*
 * @text padded to the column's width in terminal columns, not bytes (names may be UTF-8),
 * cut to @size; the bytes written.
 */
static size_t pad(char *buf, size_t size, enum field f, const char *text)
{
	const struct field_def *d = &field_table[f];
	size_t len = 0, cols = 0, fill;
	int n;

	for (; text[len]; len++)
		cols += (text[len] & 0xc0) != 0x80;
	fill = (size_t)d->width > cols ? d->width - cols : 0;
	if (len + fill >= size) {
		n = d->left ? snprintf(buf, size, "%s%*s", text, (int)fill, "") :
			      snprintf(buf, size, "%*s%s", (int)fill, "", text);
		return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
	}
	if (d->left) {
		memcpy(buf, text, len);
		memset(buf + len, ' ', fill);
	} else {
		memset(buf, ' ', fill);
		memcpy(buf + fill, text, len);
	}
	buf[len + fill] = '\0';
	return len + fill;
}

size_t field_cell(char *buf, size_t size, enum field f, const struct row *r,
		  const struct field_ctx *c)
{
	/* The widest: COMMAND in a tree, or a column of UTF-8 names (4 bytes a column). */
	char tmp[4 * 64 + 8];

	/* A counter the source cannot give (see the Source line) is not a zero. */
	if (!field_available(f, r->have))
		return pad(buf, size, f, "-");
	field_table[f].cell(tmp, sizeof(tmp), r, c);
	return pad(buf, size, f, tmp);
}

size_t field_head(char *buf, size_t size, enum field f)
{
	return pad(buf, size, f, field_table[f].name);
}

size_t fields_line(char *buf, size_t size, const enum field *f, size_t nr, const struct row *r,
		   const struct field_ctx *c)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < nr && len + 1 < size; i++) {
		if (i)
			buf[len++] = ' ';
		len += r ? field_cell(buf + len, size - len, f[i], r, c) :
			   field_head(buf + len, size - len, f[i]);
	}
	while (len && buf[len - 1] == ' ')
		len--;
	buf[len] = '\0';
	return len;
}

void field_value(struct field_value *v, enum field f, const struct row *r,
		 const struct field_ctx *c)
{
	if (!field_available(f, r->have)) {
		*v = (struct field_value){ .type = FV_NONE };
		return;
	}
	field_table[f].value(v, r, c);
}

int field_cmp(enum field f, const struct row *a, const struct row *b, const struct field_ctx *c)
{
	return field_table[f].cmp(a, b, c);
}

/* The column that names a per-cgroup view's rows. */
static const enum field cg_key_field[GROUP_NR] = {
	[GROUP_CGROUP] = FIELD_CGROUP, [GROUP_UNIT] = FIELD_UNIT,
	[GROUP_CONTAINER] = FIELD_CONTAINER,
};

size_t fields_view(enum field *out, const enum field *fields, size_t nr, enum group_by g)
{
	static const enum field cg_figures[] = { FIELD_LIMIT, FIELD_THR_PCT, FIELD_PSI };
	bool cg = group_is_cgroup(g);
	size_t i, n = 0;

	if (g == GROUP_NONE) {
		memcpy(out, fields, nr * sizeof(*fields));
		return nr;
	}
	out[n++] = FIELD_CNT;
	if (g == GROUP_USER)
		out[n++] = FIELD_USER;
	for (i = 0; i < nr; i++) {
		enum field f = fields[i];

		if (field_table[f].per_process || f == FIELD_CNT || f == FIELD_CREDITS)
			continue;
		if (g == GROUP_USER && (f == FIELD_USER || f == FIELD_COMMAND))
			continue;
		/* A cgroup's row has its figures, then its name last, where COMMAND was. */
		if (cg && (f == FIELD_USER || f == FIELD_COMMAND || f == FIELD_CGROUP ||
			   f == FIELD_UNIT || f == FIELD_CONTAINER || f == FIELD_LIMIT ||
			   f == FIELD_THR_PCT || f == FIELD_PSI))
			continue;
		if (f == FIELD_COMMAND)
			out[n++] = FIELD_CREDITS;
		out[n++] = f;
	}
	if (cg) {
		for (i = 0; i < sizeof(cg_figures) / sizeof(cg_figures[0]); i++)
			out[n++] = cg_figures[i];
	}
	/* CREDITS comes before COMMAND, or last when there is none. */
	for (i = 0; i < n && out[i] != FIELD_CREDITS; i++)
		;
	if (i == n)
		out[n++] = FIELD_CREDITS;
	if (cg)
		out[n++] = cg_key_field[g];
	return n;
}
