// SPDX-License-Identifier: GPL-2.0
/*
 * The exporter's series. Every counter is the sum of the model's interval figures since the
 * key was first exported, never a live figure read again: a process that execs into another
 * command, or changes cgroup, takes its CPU from then on to the new key, and the old one keeps
 * what it had, so no counter goes down. A key that has not run for expire_ns is dropped (to
 * Prometheus, a counter reset); the tables hold at most limit keys each and what comes beyond
 * counts in one "(other ...)" key, so memory and series stay bounded whatever the host runs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/array.h"
#include "lib/clock.h"
#include "lib/text.h"
#include "lib/version.h"
#include "sink/expo.h"

/*
 * The overflow keys' names. A command name has at most 15 bytes, so the programs' cannot be
 * one; a group's label is a path (/...), a unit's name (*.service, ...) or 64 hex digits.
 */
#define OTHER_PROGRAMS "(other programs)"
#define OTHER_GROUPS "(other groups)"

static uint64_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ull;
	return h;
}

static int table_init(struct expo_table *t, size_t limit, const char *other)
{
	size_t slots = 16;

	/* Half full at most: a probe ends within a few slots. */
	while (slots < 2 * limit)
		slots *= 2;
	t->limit = limit;
	t->mask = slots - 1;
	t->v = calloc(limit ? limit : 1, sizeof(*t->v));
	t->index = calloc(slots, sizeof(*t->index));
	t->other.name = strdup(other);
	return t->v && t->index && t->other.name ? 0 : -ENOMEM;
}

static void table_free(struct expo_table *t)
{
	for (size_t i = 0; i < t->nr; i++)
		free(t->v[i].name);
	free(t->v);
	free(t->index);
	free(t->other.name);
	memset(t, 0, sizeof(*t));
}

static void table_reindex(struct expo_table *t)
{
	memset(t->index, 0, (t->mask + 1) * sizeof(*t->index));
	for (size_t i = 0; i < t->nr; i++) {
		size_t at = name_hash(t->v[i].name) & t->mask;

		while (t->index[at])
			at = (at + 1) & t->mask;
		t->index[at] = i + 1;
	}
}

/*
 * The key named @name; when there is none and @make, made, or the table's overflow key when it
 * is full or no memory is left for the name: what it counts is kept either way. NULL: none, not
 * made.
 */
static struct expo_entry *table_get(struct expo_table *t, const char *name, uint64_t now,
				    bool make)
{
	size_t at = name_hash(name) & t->mask;
	struct expo_entry *e;
	char *dup;

	for (; t->index[at]; at = (at + 1) & t->mask) {
		e = &t->v[t->index[at] - 1];
		if (!strcmp(e->name, name))
			return e;
	}
	if (!make)
		return NULL;
	if (t->nr == t->limit || !(dup = strdup(name))) {
		if (!t->other.active_ns)
			t->other.active_ns = now;
		return &t->other;
	}
	e = &t->v[t->nr++];
	*e = (struct expo_entry){ .name = dup, .active_ns = now };
	t->index[at] = t->nr;
	return e;
}

/* Drop the keys idle for longer than @after at @now. */
static void table_expire(struct expo_table *t, uint64_t now, uint64_t after)
{
	size_t i, n = 0;

	for (i = 0; i < t->nr; i++) {
		if (now - t->v[i].active_ns > after) {
			free(t->v[i].name);
			continue;
		}
		t->v[n++] = t->v[i];
	}
	if (n != t->nr) {
		t->nr = n;
		table_reindex(t);
	}
}

int expo_init(struct expo *e, const struct expo_opts *o)
{
	int err;

	memset(e, 0, sizeof(*e));
	e->o = *o;
	err = table_init(&e->progs, o->limit, OTHER_PROGRAMS) ?:
	      table_init(&e->groups, o->limit, OTHER_GROUPS);
	e->top = calloc(o->top ? o->top : 1, sizeof(*e->top));
	if (!err && !e->top)
		err = -ENOMEM;
	if (err)
		expo_free(e);
	return err;
}

void expo_free(struct expo *e)
{
	table_free(&e->progs);
	table_free(&e->groups);
	free(e->top);
	free(e->cpus);
	free(e->spilt);
	memset(e, 0, sizeof(*e));
}

/* A row's interval into key @k's counters (none when NULL), @now if it did anything. */
static void ctrs_add(struct expo_entry *k, const struct row *r, bool started, uint64_t now)
{
	if (!k)
		return;
	k->c.user_ns += r->user_ns;
	k->c.sys_ns += r->sys_ns;
	k->c.started += started;
	k->c.sysc += r->ctr[TASK_SYSC];
	k->c.vcsw += r->ctr[TASK_VCSW];
	k->c.icsw += r->ctr[TASK_ICSW];
	k->c.wait_ns += r->ctr[TASK_WAIT_NS];
	k->live += r->live;
	if (r->cpu_ns || started)
		k->active_ns = now;
}

/* The label of cgroup @key as a group of kind @g, sanitised into @buf; NULL when unknown. */
static const char *group_label(const struct cg_table *t, uint64_t key, enum group_by g,
			       char *buf, size_t size)
{
	const struct cg_row *c = key ? cg_find(t, key) : NULL;
	const char *name;

	if (!c)
		return NULL;
	if (g == GROUP_CGROUP) {
		name = c->path;
		text_sanitize(buf, size, name, strlen(name));
	} else if (g == GROUP_CONTAINER && (name = cg_container_id(cg_name(c)))) {
		text_sanitize(buf, size, name, CONTAINER_ID_LEN);
	} else {
		name = cg_name(c);
		text_sanitize(buf, size, name, strlen(name));
	}
	return buf;
}

/* The group of cgroup @id: the key's entry, the last one found kept for the next row. */
struct group_memo {
	uint64_t id;
	struct expo_entry *k;
};

static struct expo_entry *group_of(struct expo *e, const struct model *m, uint64_t id,
				   struct group_memo *memo, bool make)
{
	char buf[4096];
	const char *label;
	uint64_t key;

	if (e->o.group == GROUP_NONE || !id)
		return NULL;
	if (memo->id == id && memo->k)
		return memo->k;
	key = cg_key(&m->cg, id, e->o.group, e->o.depth);
	label = group_label(&m->cg, key, e->o.group, buf, sizeof(buf));
	memo->id = id;
	memo->k = label ? table_get(&e->groups, label, m->cur->ts_ns, make) : NULL;
	/* The cgroups that spilt into the overflow key, for their own figures after. */
	if (memo->k == &e->groups.other &&
	    (!e->nr_spilt || e->spilt[e->nr_spilt - 1] != key) &&
	    !array_grow((void **)&e->spilt, &e->cap_spilt, e->nr_spilt + 1, sizeof(*e->spilt)))
		e->spilt[e->nr_spilt++] = key;
	return memo->k;
}

static int cmp_id(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static struct expo_entry *prog_of(struct expo *e, const char *comm, uint64_t now, bool make)
{
	char name[4 * SNAP_COMM_LEN];

	text_sanitize(name, sizeof(name), comm, SNAP_COMM_LEN);
	return table_get(&e->progs, name, now, make);
}

/* A process gone during the interval: its whole life's CPU. */
static void exit_add(struct expo_entry *k, const struct proc_exit *x, uint64_t now)
{
	if (!k)
		return;
	k->c.exits++;
	k->c.exited_ns += x->cpu_ns;
	k->active_ns = now;
}

/*
 * Each group's cgroup's own figures over the interval: throttling and pressure from the kernel
 * (for a cgroup, its whole subtree), added once per cgroup that is a key, to the groups that
 * have processes or were held back.
 */
static void groups_cgroup(struct expo *e, const struct model *m)
{
	uint64_t now = m->cur->ts_ns, interval = m->sum.interval_ns;
	char buf[4096];

	for (size_t i = 0; i < e->groups.nr; i++) {
		e->groups.v[i].limit = 0;
		e->groups.v[i].have = 0;
	}
	e->groups.other.limit = 0;
	e->groups.other.have = 0;
	if (e->nr_spilt)
		qsort(e->spilt, e->nr_spilt, sizeof(*e->spilt), cmp_id);
	for (size_t i = 0; i < m->cg.nr; i++) {
		const struct cg_row *c = &m->cg.v[i];
		bool held = c->nr_throttled || c->psi_some_pct > 0;
		const char *label;
		struct expo_entry *k;

		if (!c->present || cg_key(&m->cg, c->id, e->o.group, e->o.depth) != c->id)
			continue;
		label = group_label(&m->cg, c->id, e->o.group, buf, sizeof(buf));
		/* A key none of whose processes ran: only while the kernel holds it back. */
		k = label ? table_get(&e->groups, label, now, held) : NULL;
		if (!k && e->nr_spilt &&
		    bsearch(&c->id, e->spilt, e->nr_spilt, sizeof(*e->spilt), cmp_id))
			k = &e->groups.other;
		if (!k)
			continue;
		k->have |= c->have;
		k->limit += c->limit;
		k->c.periods += c->nr_periods;
		k->c.throttled += c->nr_throttled;
		k->c.throttled_ns += c->throttled_ns;
		k->c.psi_some_ns += (uint64_t)(c->psi_some_pct * interval / 100 + 0.5);
		k->c.psi_full_ns += (uint64_t)(c->psi_full_pct * interval / 100 + 0.5);
		if (held)
			k->active_ns = now;
	}
}

/* The @top busiest processes of the interval, high to low, and the CPU of the rest. */
static void top_update(struct expo *e, const struct model *m)
{
	uint64_t all = 0, shown = 0;
	size_t n = 0, i, j;

	for (i = 0; i < m->procs.nr; i++) {
		const struct row *r = &m->procs.v[i];

		all += r->cpu_ns;
		if (!r->cpu_ns || !e->o.top || (n == e->o.top && r->cpu_ns <= e->top[n - 1].cpu_ns))
			continue;
		j = n < e->o.top ? n++ : n - 1;
		for (; j && e->top[j - 1].cpu_ns < r->cpu_ns; j--)
			e->top[j] = e->top[j - 1];
		e->top[j] = (struct expo_top){ .pid = r->pid, .cpu_ns = r->cpu_ns };
		memcpy(e->top[j].comm, r->comm, sizeof(e->top[j].comm));
	}
	for (i = 0; i < n; i++)
		shown += e->top[i].cpu_ns;
	e->nr_top = n;
	e->other_ns = all - shown;
}

/* What the latest snapshot says as it is: per CPU, pressure, cputop's own. */
static int latest_update(struct expo *e, const struct model *m)
{
	const struct snapshot *s = m->cur;

	if (s->nr_ctrs > e->nr_cpus) {
		struct expo_cpu *v = realloc(e->cpus, s->nr_ctrs * sizeof(*v));

		if (!v)
			return -ENOMEM;
		e->cpus = v;
	}
	e->nr_cpus = s->nr_ctrs;
	for (uint32_t i = 0; i < s->nr_ctrs; i++) {
		const uint64_t *v = s->ctrs[i].v;

		e->cpus[i] = (struct expo_cpu){ v[CTR_BUSY_NS], v[CTR_CSW], v[CTR_PRE], v[CTR_SYSC] };
	}
	e->ctr_have = s->ctr_have;
	e->task_have = m->have;
	e->exits = s->caps & SNAP_CAP_EXITS;
	/* The ticks tasks run in, as the model's reconciliation counts them (tick irq included). */
	e->have_stat = !s->stat_err && s->hz;
	if (e->have_stat) {
		const uint64_t *t = s->cpu_total.t;

		e->stat_busy_ns = (t[CPU_USER] + t[CPU_NICE] + t[CPU_SYSTEM] + t[CPU_IRQ] +
				   t[CPU_SOFTIRQ]) * (NSEC_PER_SEC / s->hz);
	}
	e->psi = s->psi;
	e->have_psi = !s->psi_err;
	e->self_cpu_ns = s->self_cpu_ns;
	e->exits_seen = s->exits_seen;
	e->exits_delivered = s->exits_delivered;
	e->exits_dropped = s->exits_dropped;
	e->untracked = s->untracked;
	e->wall_ns = s->wall_ns;
	memcpy(e->source, s->source_kind, sizeof(e->source));
	e->source[sizeof(e->source) - 1] = '\0';
	/* Measured over windows, not every interval: an estimate, at the last window's rate. */
	if (s->have_bpf_cost && m->prev) {
		e->hooks_ns += (uint64_t)(s->bpf_cost * m->sum.interval_ns);
		e->have_hooks = true;
	}
	return 0;
}

int expo_update(struct expo *e, const struct model *m)
{
	struct group_memo memo = {};
	uint64_t now = m->cur->ts_ns;
	int err = latest_update(e, m);
	size_t i;

	e->frames++;
	/* The first snapshot has no interval: the counters start with the next. */
	if (err || !m->prev)
		return err;
	e->interval_ns = m->sum.interval_ns;
	for (i = 0; i < e->progs.nr; i++)
		e->progs.v[i].live = 0;
	for (i = 0; i < e->groups.nr; i++)
		e->groups.v[i].live = 0;
	e->progs.other.live = e->groups.other.live = 0;
	e->nr_spilt = 0;
	for (i = 0; i < m->procs.nr; i++) {
		const struct row *r = &m->procs.v[i];
		bool started = r->start_ns > m->prev->ts_ns, busy = r->cpu_ns || started;

		/* A key is made by what it does: the idle do not fill the tables. */
		ctrs_add(prog_of(e, r->comm, now, busy), r, started, now);
		ctrs_add(group_of(e, m, r->cgroup_id, &memo, busy), r, started, now);
	}
	for (i = 0; i < m->nr_exits; i++) {
		const struct proc_exit *x = &m->exits[i];

		exit_add(prog_of(e, x->comm, now, true), x, now);
		exit_add(group_of(e, m, x->cgroup_id, &memo, true), x, now);
	}
	if (e->o.group != GROUP_NONE)
		groups_cgroup(e, m);
	top_update(e, m);
	table_expire(&e->progs, now, e->o.expire_ns);
	table_expire(&e->groups, now, e->o.expire_ns);
	return 0;
}

/* ---- The text formats ---- */

/* A label value: \, " and a line break escaped, as both formats ask. */
static void put_label(FILE *f, const char *key, const char *v, bool first)
{
	fprintf(f, "%s%s=\"", first ? "" : ",", key);
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', f);
		if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
	fputc('"', f);
}

/* Seconds from ns, exactly: 12.345678901. */
static void put_seconds(FILE *f, uint64_t ns)
{
	fprintf(f, "%llu.%09llu\n", (unsigned long long)(ns / 1000000000),
		(unsigned long long)(ns % 1000000000));
}

static void put_u64(FILE *f, uint64_t v)
{
	fprintf(f, "%llu\n", (unsigned long long)v);
}

/*
 * A family's HELP and TYPE. The text format names a counter by its samples (with _total),
 * OpenMetrics by the family, whose counter samples add _total.
 */
static void family(FILE *f, bool om, const char *name, bool counter, const char *help)
{
	const char *total = counter && !om ? "_total" : "";

	fprintf(f, "# HELP %s%s %s\n# TYPE %s%s %s\n", name, total, help, name, total,
		counter ? "counter" : "gauge");
}

/* A sample's name and its first label: the rest, then the value, are the caller's. */
static void sample(FILE *f, const char *name, bool counter, const char *key, const char *v)
{
	fprintf(f, "%s%s{", name, counter ? "_total" : "");
	put_label(f, key, v, true);
}

enum key_metric {
	KM_CPU, KM_STARTED, KM_EXITS, KM_EXITED_CPU, KM_SYSC, KM_CSW, KM_WAIT, KM_LIVE,
	KM_PERIODS, KM_THROTTLED, KM_THROTTLED_S, KM_LIMIT, KM_PSI, KM_NR
};

/* What a family needs of the source besides /proc's: task counters (1 << TASK_*), exits. */
#define NEED_EXITS (1u << 31)

/* Per key: the family's name after cputop_<kind>_, whether a counter, its help, its needs. */
static const struct {
	const char *name;
	bool counter, group_only;
	const char *help;
	uint32_t need;
} key_metrics[KM_NR] = {
	[KM_CPU] = { "cpu_seconds", true, false,
		     "CPU time of its processes, exited ones included, by mode", 0 },
	[KM_STARTED] = { "processes_started", true, false, "Processes that started", 0 },
	[KM_EXITS] = { "exits", true, false, "Processes that exited", NEED_EXITS },
	[KM_EXITED_CPU] = { "exited_cpu_seconds", true, false,
			    "Whole-life CPU time of the processes that exited", NEED_EXITS },
	[KM_SYSC] = { "syscalls", true, false, "System calls entered", 1u << TASK_SYSC },
	[KM_CSW] = { "context_switches", true, false,
		     "Context switches: voluntary (blocked) or involuntary (preempted)",
		     1u << TASK_VCSW | 1u << TASK_ICSW },
	[KM_WAIT] = { "run_queue_wait_seconds", true, false,
		      "Time runnable but waiting for a CPU", 1u << TASK_WAIT_NS },
	[KM_LIVE] = { "processes", false, false, "Processes alive at the last refresh", 0 },
	[KM_PERIODS] = { "periods", true, true, "Enforcement periods with runnable tasks", 0 },
	[KM_THROTTLED] = { "throttled_periods", true, true,
			   "Periods in which it ran out of CPU quota", 0 },
	[KM_THROTTLED_S] = { "throttled_seconds", true, true,
			     "Time its tasks were held back at the quota", 0 },
	[KM_LIMIT] = { "cpu_limit_cpus", false, true, "CPUs it may use (quota / period)", 0 },
	[KM_PSI] = { "cpu_pressure_seconds", true, true,
		     "Time some (or all) of its runnable tasks stalled for a CPU", 0 },
};

/* A key's two samples of counter @name, told apart by label @label: @v[i] is @vals[i]'s. */
static void pair(FILE *f, const char *name, const char *kind, const struct expo_entry *k,
		 const char *label, const char *const vals[2], const uint64_t v[2], bool seconds)
{
	for (int i = 0; i < 2; i++) {
		sample(f, name, true, kind, k->name);
		put_label(f, label, vals[i], false);
		fputs("} ", f);
		if (seconds)
			put_seconds(f, v[i]);
		else
			put_u64(f, v[i]);
	}
}

/* One key's samples of @km, labelled @kind="name". */
static void key_samples(FILE *f, const char *name, const char *kind, const struct expo_entry *k,
			enum key_metric km)
{
	bool counter = key_metrics[km].counter;
	const struct expo_ctrs *c = &k->c;

	switch (km) {
	case KM_CPU:
		pair(f, name, kind, k, "mode", (const char *const[]){ "user", "system" },
		     (const uint64_t[]){ c->user_ns, c->sys_ns }, true);
		return;
	case KM_CSW:
		pair(f, name, kind, k, "kind", (const char *const[]){ "voluntary", "involuntary" },
		     (const uint64_t[]){ c->vcsw, c->icsw }, false);
		return;
	case KM_PSI:
		if (!(k->have & CG_HAVE_PSI) && !c->psi_some_ns)
			return;
		pair(f, name, kind, k, "kind", (const char *const[]){ "some", "full" },
		     (const uint64_t[]){ c->psi_some_ns, c->psi_full_ns }, true);
		return;
	case KM_LIMIT:
		if (!k->limit)
			return;
		sample(f, name, false, kind, k->name);
		fprintf(f, "} %.6g\n", k->limit);
		return;
	case KM_PERIODS: case KM_THROTTLED: case KM_THROTTLED_S:
		if (!(k->have & CG_HAVE_THROTTLE) && !c->periods)
			return;
		break;
	default:
		break;
	}
	sample(f, name, counter, kind, k->name);
	fputs("} ", f);
	switch (km) {
	case KM_STARTED: put_u64(f, c->started); break;
	case KM_EXITS: put_u64(f, c->exits); break;
	case KM_EXITED_CPU: put_seconds(f, c->exited_ns); break;
	case KM_SYSC: put_u64(f, c->sysc); break;
	case KM_WAIT: put_seconds(f, c->wait_ns); break;
	case KM_LIVE: put_u64(f, k->live); break;
	case KM_PERIODS: put_u64(f, c->periods); break;
	case KM_THROTTLED: put_u64(f, c->throttled); break;
	default: put_seconds(f, c->throttled_ns); break;
	}
}

/*
 * Every family of one table: cputop_<kind>_*, labelled <kind>="...". One the source cannot
 * count (system calls in /proc mode, exits without eBPF) is left out, not written as 0s.
 */
static void table_write(FILE *f, bool om, const struct expo *e, const struct expo_table *t,
			const char *kind, bool group)
{
	uint32_t have = e->task_have | (e->exits ? NEED_EXITS : 0);
	char name[96], help[160];

	for (int km = 0; km < KM_NR; km++) {
		if ((key_metrics[km].group_only && !group) ||
		    (key_metrics[km].need & have) != key_metrics[km].need)
			continue;
		snprintf(name, sizeof(name), "cputop_%s_%s", kind, key_metrics[km].name);
		snprintf(help, sizeof(help), "%s, per %s.", key_metrics[km].help, kind);
		family(f, om, name, key_metrics[km].counter, help);
		for (size_t i = 0; i < t->nr; i++)
			key_samples(f, name, kind, &t->v[i], km);
		if (t->other.active_ns)
			key_samples(f, name, kind, &t->other, km);
	}
}

static void top_write(FILE *f, bool om, const struct expo *e)
{
	const char *name = "cputop_top_process_cpu_ratio";
	char comm[4 * SNAP_COMM_LEN], pid[16];
	double interval = e->interval_ns;

	if (!e->interval_ns)
		return;
	/* No quotes in a HELP text: OpenMetrics would have them escaped. */
	family(f, om, name, false, "The busiest processes over the last interval, in CPUs "
	       "(1 is one CPU busy); the pid other holds all the rest.");
	for (size_t i = 0; i < e->nr_top; i++) {
		snprintf(pid, sizeof(pid), "%u", e->top[i].pid);
		text_sanitize(comm, sizeof(comm), e->top[i].comm, SNAP_COMM_LEN);
		sample(f, name, false, "pid", pid);
		put_label(f, "comm", comm, false);
		fprintf(f, "} %.9g\n", e->top[i].cpu_ns / interval);
	}
	sample(f, name, false, "pid", "other");
	fprintf(f, "} %.9g\n", e->other_ns / interval);
}

static void cpus_write(FILE *f, bool om, const struct expo *e)
{
	static const struct {
		const char *name, *help;
		int ctr;
		bool seconds;
	} m[] = {
		{ "cputop_cpu_busy_seconds", "Time a task other than idle ran on the CPU "
		  "(eBPF, since cputop started).", CTR_BUSY_NS, true },
		{ "cputop_cpu_context_switches", "Context switches on the CPU.", CTR_CSW, false },
		{ "cputop_cpu_preemptions", "Switches away from a task still runnable.", CTR_PRE,
		  false },
		{ "cputop_cpu_syscalls", "System calls on the CPU.", CTR_SYSC, false },
	};
	char cpu[16];

	for (size_t j = 0; j < sizeof(m) / sizeof(m[0]); j++) {
		if (!(e->ctr_have & 1ull << m[j].ctr))
			continue;
		family(f, om, m[j].name, true, m[j].help);
		for (uint32_t i = 0; i < e->nr_cpus; i++) {
			const struct expo_cpu *c = &e->cpus[i];
			uint64_t v = m[j].ctr == CTR_BUSY_NS ? c->busy_ns : m[j].ctr == CTR_CSW ?
				     c->csw : m[j].ctr == CTR_PRE ? c->pre : c->sysc;

			snprintf(cpu, sizeof(cpu), "%u", i);
			sample(f, m[j].name, true, "cpu", cpu);
			fputs("} ", f);
			if (m[j].seconds)
				put_seconds(f, v);
			else
				put_u64(f, v);
		}
	}
}

/* A family of one sample with no label. */
static void single(FILE *f, bool om, const char *name, bool counter, const char *help)
{
	family(f, om, name, counter, help);
	fprintf(f, "%s%s ", name, counter ? "_total" : "");
}

static void self_write(FILE *f, bool om, const struct expo *e)
{
	family(f, om, "cputop_build_info", false, "cputop's version and source (eBPF or /proc).");
	fputs("cputop_build_info{version=\"" CPUTOP_VERSION "\"", f);
	put_label(f, "source", e->source, false);
	fputs("} 1\n", f);
	single(f, om, "cputop_last_refresh_timestamp_seconds", false,
	       "Unix time of the snapshot the series are of.");
	fprintf(f, "%lld.%09lld\n", (long long)(e->wall_ns / 1000000000),
		(long long)(e->wall_ns % 1000000000));
	single(f, om, "cputop_self_cpu_seconds", true,
	       "cputop's own CPU time, its task iterator's reads included.");
	put_seconds(f, e->self_cpu_ns);
	if (e->have_hooks) {
		single(f, om, "cputop_self_bpf_hooks_seconds", true,
		       "Run time of cputop's eBPF hooks in the tasks they trace (estimated from "
		       "the windows measured).");
		put_seconds(f, e->hooks_ns);
	}
	if (strcmp(e->source, "ebpf"))
		return;
	single(f, om, "cputop_self_exits_seen", true, "Exits the eBPF program saw.");
	put_u64(f, e->exits_seen);
	single(f, om, "cputop_self_exits_delivered", true, "Exit records received and kept.");
	put_u64(f, e->exits_delivered);
	single(f, om, "cputop_self_exits_dropped", true, "Exit records lost to a full ring buffer.");
	put_u64(f, e->exits_dropped);
	single(f, om, "cputop_self_untracked_events", true,
	       "Events whose task had no room in the task map.");
	put_u64(f, e->untracked);
}

void expo_write(const struct expo *e, FILE *f, bool om)
{
	static const char *const kinds[GROUP_NR] = {
		[GROUP_CGROUP] = "cgroup", [GROUP_UNIT] = "unit", [GROUP_CONTAINER] = "container",
	};

	table_write(f, om, e, &e->progs, "program", false);
	if (kinds[e->o.group])
		table_write(f, om, e, &e->groups, kinds[e->o.group], true);
	top_write(f, om, e);
	cpus_write(f, om, e);
	if (e->have_stat) {
		single(f, om, "cputop_system_cpu_busy_seconds", true,
		       "Busy time of all CPUs by /proc/stat: user, nice, system, irq and softirq, "
		       "in which tasks run.");
		put_seconds(f, e->stat_busy_ns);
	}
	if (e->have_psi) {
		family(f, om, "cputop_system_cpu_pressure_seconds", true,
		       "Time some (or all) runnable tasks stalled for a CPU (/proc/pressure/cpu).");
		fputs("cputop_system_cpu_pressure_seconds_total{kind=\"some\"} ", f);
		put_seconds(f, e->psi.some_us * 1000);
		if (e->psi.have_full) {
			fputs("cputop_system_cpu_pressure_seconds_total{kind=\"full\"} ", f);
			put_seconds(f, e->psi.full_us * 1000);
		}
	}
	self_write(f, om, e);
}

void expo_write_tail(FILE *f, bool om, uint64_t scrapes)
{
	single(f, om, "cputop_self_scrapes", true, "Scrapes of /metrics served, this one included.");
	put_u64(f, scrapes);
	if (om)
		fputs("# EOF\n", f);
}

/* ---- Content negotiation ---- */

/* The q-value of one media range's parameters ("; version=1.0.0; q=0.5"): 1 when none. */
static double accept_q(const char *p, const char *end)
{
	double q = 1;

	while ((p = memchr(p, ';', end - p))) {
		p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=')
			q = strtod(p + 2, NULL);
	}
	return q;
}

bool expo_wants_om(const char *accept)
{
	static const char om[] = "application/openmetrics-text", text[] = "text/plain";
	double best_om = -1, best_text = -1;
	const char *p = accept, *end;

	if (!accept)
		return false;
	for (; *p; p = *end ? end + 1 : end) {
		size_t n;
		double q;

		end = strchrnul(p, ',');
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		n = strcspn(p, ";, \t");
		q = accept_q(p, end);
		if (n == sizeof(om) - 1 && !strncasecmp(p, om, n) && q > best_om)
			best_om = q;
		else if (((n == sizeof(text) - 1 && !strncasecmp(p, text, n)) ||
			  (n == 3 && !strncmp(p, "*/*", 3))) && q > best_text)
			best_text = q;
	}
	/* Asked for at all, and at least as much as the text format: OpenMetrics. */
	return best_om > 0 && best_om >= best_text;
}
