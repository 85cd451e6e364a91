// SPDX-License-Identifier: GPL-2.0
/*
 * Ingest, once per snapshot: per-interval CPU of every task, threads folded into their
 * process, tasks that exited during the interval kept once, PID reuse told apart by start
 * time; the exits into the programs' history; the summary of the CPUs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/rows.h"

/* Process, then task: a task's group is contiguous and every task has one place. */
static int task_key_cmp(const void *pa, const void *pb)
{
	const struct snap_task *a = pa, *b = pb;

	return cmp_u64(a->tgid, b->tgid) ?: cmp_u64(a->leader_start_ns, b->leader_start_ns) ?:
	       cmp_u64(a->tid, b->tid) ?: cmp_u64(a->start_ns, b->start_ns);
}

/* The same order, with a task's exit record before its live record. */
static int task_cmp(const void *pa, const void *pb)
{
	const struct snap_task *a = pa, *b = pb;

	return task_key_cmp(a, b) ?: cmp_u64(b->exit_ns, a->exit_ns);
}

static bool task_same(const struct snap_task *a, const struct snap_task *b)
{
	return a->tid == b->tid && a->start_ns == b->start_ns && a->tgid == b->tgid &&
	       a->leader_start_ns == b->leader_start_ns;
}

void snapshot_prepare(struct snapshot *s)
{
	size_t i, n = 0;

	/* Never NULL into qsort(), even for no element (C says UB): no task read yet. */
	if (s->nr_tasks)
		qsort(s->tasks, s->nr_tasks, sizeof(*s->tasks), task_cmp);
	/*
	 * A task can be in both lists: it exited (its record was drained) but the iterator still
	 * saw it, a zombie. Its exit record is the truth for this interval; keep the largest
	 * totals, as the two were read at different moments.
	 */
	for (i = 0; i < s->nr_tasks; i++) {
		struct snap_task *t = &s->tasks[i];

		if (n && task_same(&s->tasks[n - 1], t)) {
			struct snap_task *keep = &s->tasks[n - 1];

			if (t->cpu_ns > keep->cpu_ns) {
				keep->cpu_ns = t->cpu_ns;
				keep->user_ns = t->user_ns;
				keep->sys_ns = t->sys_ns;
			}
			if (t->dead_ns > keep->dead_ns)
				keep->dead_ns = t->dead_ns;
			for (int k = 0; k < TASK_NR_CTRS; k++) {
				if (t->ctr[k] > keep->ctr[k])
					keep->ctr[k] = t->ctr[k];
			}
			if (t->max_wait_ns > keep->max_wait_ns)
				keep->max_wait_ns = t->max_wait_ns;
			continue;
		}
		if (n != i)
			s->tasks[n] = *t;
		n++;
	}
	s->nr_tasks = n;
}

/*
 * @t's record in @prev, by identity alone: the task may have exited since, its record did not.
 * The model walks @cur in task order, the order of @prev too: the search gallops on from where
 * the last one ended (*@at), most often one step, and starts over when asked out of order.
 */
static const struct snap_task *prev_find(const struct snapshot *prev, const struct snap_task *t,
					 size_t *at)
{
	size_t lo, hi, mid, step = 1;

	if (!prev)
		return NULL;
	hi = prev->nr_tasks;
	lo = *at <= hi && (!*at || task_key_cmp(&prev->tasks[*at - 1], t) < 0) ? *at : 0;
	/* Everything before lo is below @t: widen the step until a record is not. */
	while (lo + step < hi && task_key_cmp(&prev->tasks[lo + step - 1], t) < 0) {
		lo += step;
		step *= 2;
	}
	if (lo + step < hi)
		hi = lo + step;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (task_key_cmp(&prev->tasks[mid], t) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return lo < prev->nr_tasks && !task_key_cmp(&prev->tasks[lo], t) ? &prev->tasks[lo] : NULL;
}

static uint64_t sat_sub(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

/* What one task did during the interval: its row share before any folding. */
struct task_delta {
	uint64_t cpu_ns, user_ns, sys_ns;
	uint64_t ctr[TASK_NR_CTRS];
	uint64_t window_ns;	/* the part of the interval the task existed */
};

static void task_delta(const struct snapshot *prev, const struct snapshot *cur,
		       const struct snap_task *t, size_t *at, struct task_delta *d)
{
	const struct snap_task *p = prev_find(prev, t, at);
	uint64_t end = t->exit_ns ? t->exit_ns : cur->ts_ns;
	uint64_t begin = prev && prev->ts_ns > t->start_ns ? prev->ts_ns : t->start_ns;
	uint64_t du, ds;

	d->window_ns = sat_sub(end, begin);
	/* Not in the previous snapshot: the task started during the interval (or at boot). */
	d->cpu_ns = p ? sat_sub(t->cpu_ns, p->cpu_ns) : t->cpu_ns;
	du = p ? sat_sub(t->user_ns, p->user_ns) : t->user_ns;
	ds = p ? sat_sub(t->sys_ns, p->sys_ns) : t->sys_ns;
	/*
	 * One task cannot run longer than it existed: the bound absorbs a torn read of a counter
	 * and a task that a source missed in the previous snapshot.
	 */
	if (d->cpu_ns > d->window_ns)
		d->cpu_ns = d->window_ns;
	for (int k = 0; k < TASK_NR_CTRS; k++) {
		d->ctr[k] = p ? sat_sub(t->ctr[k], p->ctr[k]) : t->ctr[k];
		/* Nor wait, nor sleep, longer than it existed. */
		if ((k == TASK_WAIT_NS || k == TASK_IOW_NS) && d->ctr[k] > d->window_ns)
			d->ctr[k] = d->window_ns;
	}
	/*
	 * The split of the exact total follows the user/sys deltas (equal to it with eBPF,
	 * tick-sampled from /proc); without ticks in the interval, the task's lifetime ratio.
	 */
	if (!du && !ds) {
		du = t->user_ns;
		ds = t->sys_ns;
	}
	if (!du && !ds) {
		du = !t->kthread;
		ds = t->kthread;
	}
	d->user_ns = (uint64_t)((double)d->cpu_ns * du / (du + ds));
	d->sys_ns = d->cpu_ns - d->user_ns;
}

static void row_from_task(struct row *r, const struct snap_task *t)
{
	r->pid = t->tid;
	r->tgid = t->tgid;
	r->ppid = t->ppid;
	r->uid = t->uid;
	r->start_ns = t->start_ns;
	r->state = t->exit_ns ? 'X' : t->state;
	r->prio = t->prio;
	r->nice = t->nice;
	r->nr_threads = !t->exit_ns;
	r->count = 1;
	r->live = !t->exit_ns;
	r->cgroup_id = t->cgroup_id;
	memcpy(r->comm, t->comm, sizeof(r->comm));
}

static void summary_count(struct task_counts *s, char state)
{
	switch (state) {
	case 'R':
		s->running++;
		break;
	case 'S': case 'D': case 'I': case 'P':
		s->sleeping++;
		break;
	case 'T': case 't':
		s->stopped++;
		break;
	case 'Z':
		s->zombie++;
		break;
	case 'X':
		s->exited++;
		return;	/* not counted in total: it is no longer there */
	}
	s->total++;
}

/* Each tick field's share of the interval; returns the busy ticks tasks can run in. */
static uint64_t ticks_pct(double *pct, const struct cpu_ticks *prev, const struct cpu_ticks *cur)
{
	uint64_t d[CPU_NR_FIELDS], all = 0;
	int i;

	for (i = 0; i < CPU_NR_FIELDS; i++) {
		d[i] = sat_sub(cur->t[i], prev ? prev->t[i] : 0);
		/* guest and guest_nice are already inside user and nice (proc(5)). */
		if (i < CPU_GUEST)
			all += d[i];
	}
	for (i = 0; i < CPU_NR_FIELDS; i++)
		pct[i] = all ? 100.0 * d[i] / all : 0;
	/* What tasks run in: tick-based irq time is charged to the interrupted task too. */
	return d[CPU_USER] + d[CPU_NICE] + d[CPU_SYSTEM] + d[CPU_IRQ] + d[CPU_SOFTIRQ];
}

/*
 * What each counter of one CPU counted during the interval. The kernel keeps interrupts and
 * softirqs per CPU in 32 bits (kstat_irqs, kstat.softirqs[] are unsigned int): one that went
 * back wrapped. The eBPF counters are 64 bits: one that went back is a torn read.
 */
static void ctrs_delta(uint64_t *d, const struct cpu_ctrs *prev, const struct cpu_ctrs *cur)
{
	for (int k = 0; k < CTR_NR; k++) {
		uint64_t p = prev ? prev->v[k] : 0, c = cur->v[k];

		d[k] = c >= p ? c - p : k >= CTR_IRQ && p <= UINT32_MAX ? (uint32_t)(c - p) : 0;
	}
}

/* Counts per second over @secs; busy and idle time as percent of their sum. */
static void ctrs_rate(double *rate, const uint64_t *d, double secs, uint64_t have)
{
	uint64_t run = d[CTR_BUSY_NS] + d[CTR_IDLE_NS];

	for (int k = 0; k < CTR_NR; k++)
		rate[k] = have & 1ull << k && secs > 0 ? d[k] / secs : 0;
	rate[CTR_BUSY_NS] = run ? 100.0 * d[CTR_BUSY_NS] / run : 0;
	rate[CTR_IDLE_NS] = run ? 100.0 * d[CTR_IDLE_NS] / run : 0;
}

/* The counters the eBPF source keeps since it attached: no average since boot. */
#define CTR_SINCE_ATTACH (1ull << CTR_CSW | 1ull << CTR_PRE | 1ull << CTR_SYSC | \
			  1ull << CTR_YLD | 1ull << CTR_BUSY_NS | 1ull << CTR_IDLE_NS)

static int summary_cpu(struct model *m, const struct snapshot *prev, const struct snapshot *cur)
{
	struct summary *s = &m->sum;
	double secs = prev ? s->interval_ns / 1e9 : cur->uptime_s;
	/* A row per CPU of /proc/stat, or of the eBPF counters when that file failed. */
	uint32_t i, nr = cur->nr_cpus > cur->nr_ctrs ? cur->nr_cpus : cur->nr_ctrs;
	uint64_t d[CTR_NR], all[CTR_NR] = {}, busy;
	const struct cpu_ctrs none = {};
	bool ticks;
	int k;

	/*
	 * The /proc/stat figures need the file at both ends of the interval: after a failure,
	 * they would count from boot and pass for the interval's.
	 */
	s->ticks_err = cur->stat_err ?: prev ? prev->stat_err : 0;
	ticks = !s->ticks_err && secs > 0;
	busy = ticks_pct(s->all.pct, prev ? &prev->cpu_total : NULL, &cur->cpu_total);
	s->busy_ns = ticks && cur->hz ? busy * (1000000000ull / cur->hz) : 0;
	s->ctxt_rate = ticks ? sat_sub(cur->ctxt, prev ? prev->ctxt : 0) / secs : 0;
	s->intr_rate = ticks && cur->have_intr && (!prev || prev->have_intr) ?
		       sat_sub(cur->intr, prev ? prev->intr : 0) / secs : 0;
	/*
	 * A counter is shown when both snapshots have it; a CPU missing from one of them
	 * (brought online since) counts from zero, like every CPU in the first snapshot.
	 */
	s->ctr_have = cur->ctr_have & (prev ? prev->ctr_have : ~CTR_SINCE_ATTACH);
	if (nr > m->cap_cpus) {
		struct cpu_row *v = realloc(m->cpus, nr * sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->cpus = v;
		m->cap_cpus = nr;
	}
	for (i = 0; i < nr; i++) {
		const struct cpu_ctrs *c = i < cur->nr_ctrs ? &cur->ctrs[i] : &none;
		const struct cpu_ctrs *p = prev && i < prev->nr_ctrs ? &prev->ctrs[i] : NULL;

		if (i < cur->nr_cpus)
			ticks_pct(m->cpus[i].pct, prev && i < prev->nr_cpus ? &prev->cpus[i] :
				  NULL, &cur->cpus[i]);
		else
			memset(m->cpus[i].pct, 0, sizeof(m->cpus[i].pct));
		ctrs_delta(d, p, c);
		ctrs_rate(m->cpus[i].rate, d, secs, s->ctr_have);
		for (k = 0; k < CTR_NR; k++)
			all[k] += d[k];
	}
	ctrs_rate(s->all.rate, all, secs, s->ctr_have);
	m->nr_cpus = nr;
	return 0;
}

static void row_add_delta(struct row *r, const struct task_delta *d, const struct snap_task *t)
{
	r->cpu_ns += d->cpu_ns;
	r->user_ns += d->user_ns;
	r->sys_ns += d->sys_ns;
	for (int k = 0; k < TASK_NR_CTRS; k++)
		r->ctr[k] += d->ctr[k];
	if (t->max_wait_ns > r->max_wait_ns)
		r->max_wait_ns = t->max_wait_ns;
}

/*
 * Percent of one CPU over @window_ns, as top shows it; counters per second. Without a
 * previous snapshot, counters that start when the source first saw a task (not when the task
 * started) have no meaningful average: they are left out.
 */
static void row_rates(struct row *r, uint64_t window_ns, const struct snapshot *prev,
		      const struct snapshot *cur, uint32_t lacks)
{
	r->have = cur->task_have & (prev ? prev->task_have : ~TASK_SINCE_SEEN) & ~lacks;
	if (cur->caps & SNAP_CAP_CGROUPS)
		r->have |= TASK_HAVE_CGROUP;
	if (!window_ns)
		return;
	r->cpu_pct = 100.0 * r->cpu_ns / window_ns;
	r->usr_pct = 100.0 * r->user_ns / window_ns;
	r->sys_pct = 100.0 * r->sys_ns / window_ns;
	for (int k = 0; k < TASK_NR_CTRS; k++) {
		if (k == TASK_WAIT_NS || k == TASK_IOW_NS)
			r->rate[k] = 100.0 * r->ctr[k] / window_ns;
		else
			r->rate[k] = 1e9 * r->ctr[k] / window_ns;
	}
}

/*
 * Fold the tasks [first, last) of one process into a row. Interval figures add every task,
 * exited ones included; TIME+ adds the live tasks and the group's dead threads, or, once every
 * task has gone, the last one out and its dead. The process has gone when no task is left but
 * zombies and at least one exit record came in: a group leader that exited before its threads
 * stays a zombie until the last of them, and must not hide the process's end. Then @gone,
 * when given, gets the process's whole life.
 */
static void row_fold(struct row *r, struct proc_exit *gone, const struct snapshot *prev,
		     const struct snapshot *cur, size_t first, size_t last, size_t *at)
{
	const struct snap_task *lead = NULL;
	uint64_t window, dead = 0, final = 0, end = 0, user = 0, sys = 0;
	uint32_t lacks = 0, alive = 0, exits = 0;
	size_t i;

	for (i = first; i < last; i++) {
		const struct snap_task *t = &cur->tasks[i];
		struct task_delta d;

		task_delta(prev, cur, t, at, &d);
		row_add_delta(r, &d, t);
		lacks |= t->lacks;
		if (t->exit_ns || t->state == 'Z') {
			if (t->cpu_ns + t->dead_ns > final)
				final = t->cpu_ns + t->dead_ns;
			if (t->exit_ns > end)
				end = t->exit_ns;
			user += t->user_ns;
			sys += t->sys_ns;
			exits += !!t->exit_ns;
			if (t->exit_ns)
				continue;
		}
		alive += t->state != 'Z';
		r->time_ns += t->cpu_ns;
		if (t->dead_ns > dead)
			dead = t->dead_ns;
		r->nr_threads++;
		if (!lead || t->tid == t->tgid)
			lead = t;
	}
	if (alive || !exits) {
		char state = lead->state;

		for (i = first; i < last; i++) {
			if (!cur->tasks[i].exit_ns)
				state = state_merge(state, cur->tasks[i].state);
		}
		r->time_ns += dead;
		r->state = state;
		/* A zombie is dead: its exit went into the groups' past when its record came. */
		r->live = alive > 0;
	} else {
		for (i = first; i < last; i++) {
			if (!lead || cur->tasks[i].tid == cur->tasks[i].tgid)
				lead = &cur->tasks[i];
		}
		r->time_ns = final;
		r->nr_threads = 0;
		r->state = 'X';
	}
	r->count = 1;
	r->pid = lead->tgid;
	r->tgid = lead->tgid;
	r->ppid = lead->ppid;
	r->uid = lead->uid;
	r->prio = lead->prio;
	r->nice = lead->nice;
	r->start_ns = lead->leader_start_ns;
	r->cgroup_id = lead->cgroup_id;
	memcpy(r->comm, lead->comm, sizeof(r->comm));
	/* The first snapshot has no interval: rates are averages over the process's life. */
	if (!prev)
		window = sat_sub(cur->ts_ns, lead->leader_start_ns);
	else
		window = cur->ts_ns - prev->ts_ns;
	row_rates(r, window, prev, cur, lacks);
	if (r->state != 'X' || !gone)
		return;
	*gone = (struct proc_exit){
		.pid = r->pid, .ppid = r->ppid, .uid = r->uid, .start_ns = r->start_ns,
		.exit_ns = end, .cpu_ns = final, .cgroup_id = r->cgroup_id,
	};
	memcpy(gone->comm, r->comm, sizeof(gone->comm));
	/*
	 * The split of the total follows the dead tasks' own: exact when every thread ended in
	 * this interval (a single-threaded process, or exit_group()), the ratio of the last ones
	 * out when earlier threads ended in earlier intervals.
	 */
	if (!user && !sys) {
		user = !lead->kthread;
		sys = lead->kthread;
	}
	gone->user_ns = (uint64_t)((double)final * user / (user + sys));
	gone->sys_ns = final - gone->user_ns;
}

static void row_thread(struct row *r, const struct snapshot *prev, const struct snapshot *cur,
		       const struct snap_task *t, size_t *at)
{
	struct task_delta d;

	task_delta(prev, cur, t, at, &d);
	row_from_task(r, t);
	row_add_delta(r, &d, t);
	r->time_ns = t->cpu_ns;
	row_rates(r, prev ? cur->ts_ns - prev->ts_ns : d.window_ns, prev, cur, t->lacks);
}

static int past_cmp(const struct group_past *e, const struct row *r)
{
	return strncmp(e->comm, r->comm, SNAP_COMM_LEN) ?: cmp_u64(e->uid, r->uid) ?:
	       cmp_u64(e->cgroup_id, r->cgroup_id);
}

/* The first history entry at or after @r's command, owner and cgroup. */
static size_t past_bound(const struct model *m, const struct row *r)
{
	size_t lo = 0, hi = m->nr_past;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (past_cmp(&m->past[mid], r) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The history entry of @r's command, owner and cgroup, added when new; its index, or -ENOMEM. */
static long past_find(struct model *m, const struct row *r)
{
	size_t i = past_bound(m, r);
	struct group_past *v = m->past;

	if (i < m->nr_past && !past_cmp(&v[i], r))
		return i;
	if (m->nr_past == m->cap_past) {
		size_t cap = m->cap_past ? 2 * m->cap_past : 64;

		v = realloc(v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		m->past = v;
		m->cap_past = cap;
	}
	memmove(&v[i + 1], &v[i], (m->nr_past - i) * sizeof(*v));
	memset(&v[i], 0, sizeof(*v));
	memcpy(v[i].comm, r->comm, sizeof(v[i].comm));
	v[i].uid = r->uid;
	v[i].cgroup_id = r->cgroup_id;
	m->nr_past++;
	return i;
}

/* A process that has gone: into the exit list and into the history. */
static int model_exit(struct model *m, const struct proc_exit *gone, const struct row *r)
{
	long e;

	if (m->nr_exits == m->cap_exits) {
		size_t cap = m->cap_exits ? 2 * m->cap_exits : 64;
		struct proc_exit *v = realloc(m->exits, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->exits = v;
		m->cap_exits = cap;
	}
	m->exits[m->nr_exits++] = *gone;
	e = past_find(m, r);
	if (e < 0)
		return e;
	m->past[e].exited++;
	m->past[e].exited_ns += r->time_ns;
	return 0;
}

/* One process, folded: its row, its exit into the lists, its tasks into the counts. */
static int ingest_proc(struct model *m, size_t first, size_t last, size_t *at)
{
	struct row *p = row_push(&m->procs.v, &m->procs.nr, &m->procs.cap);
	struct proc_exit gone;
	size_t i;
	int err;

	if (!p)
		return -ENOMEM;
	row_fold(p, &gone, m->prev, m->cur, first, last, at);
	if (p->state == 'X') {
		err = model_exit(m, &gone, p);
		if (err)
			return err;
	}
	m->sum.tasks_ns += p->cpu_ns;
	m->sum.tasks_sysc += p->ctr[TASK_SYSC];
	summary_count(&m->proc_counts, p->state);
	for (i = first; i < last; i++)
		summary_count(&m->thread_counts,
			      m->cur->tasks[i].exit_ns ? 'X' : m->cur->tasks[i].state);
	return 0;
}

int model_ingest(struct model *m, const struct snapshot *prev, const struct snapshot *cur)
{
	struct summary *s = &m->sum;
	size_t i, j, at = 0;
	int err;

	m->prev = prev;
	m->cur = cur;
	m->threads_made = false;
	m->procs.nr = 0;
	m->nr_exits = 0;
	m->nr_rows = 0;
	memset(&m->proc_counts, 0, sizeof(m->proc_counts));
	memset(&m->thread_counts, 0, sizeof(m->thread_counts));
	memset(s, 0, sizeof(*s));
	s->since_start = !prev;
	s->interval_ns = prev ? sat_sub(cur->ts_ns, prev->ts_ns) : 0;
	s->self_pct = s->interval_ns ?
		      100.0 * sat_sub(cur->self_cpu_ns, prev->self_cpu_ns) / s->interval_ns : -1;
	s->hooks_pct = cur->have_bpf_cost ? 100.0 * cur->bpf_cost : -1;
	if (summary_cpu(m, prev, cur))
		return -ENOMEM;
	metrics_rate(&m->sys, prev ? &prev->sys : NULL, &cur->sys, s->interval_ns / 1e9);
	/* Counters that start when the source first saw a task have no average since start. */
	m->have = cur->task_have & (prev ? prev->task_have : ~TASK_SINCE_SEEN);
	if (cur->caps & SNAP_CAP_CGROUPS)
		m->have |= TASK_HAVE_CGROUP;
	err = cg_ingest(m, prev, cur);
	if (err)
		return err;
	/* µs of stall in ns of interval: 1e3 * 100 for a percentage. */
	s->psi_some_pct = s->psi_full_pct = -1;
	if (s->interval_ns && !cur->psi_err && !prev->psi_err) {
		s->psi_some_pct = 1e5 * sat_sub(cur->psi.some_us, prev->psi.some_us) / s->interval_ns;
		s->psi_full_pct = 1e5 * sat_sub(cur->psi.full_us, prev->psi.full_us) / s->interval_ns;
	}
	for (i = 0; i < cur->nr_tasks; i = j) {
		const struct snap_task *t = &cur->tasks[i];

		for (j = i + 1; j < cur->nr_tasks; j++) {
			if (cur->tasks[j].tgid != t->tgid ||
			    cur->tasks[j].leader_start_ns != t->leader_start_ns)
				break;
		}
		err = ingest_proc(m, i, j, &at);
		if (err)
			return err;
	}
	return 0;
}

int model_threads(struct model *m)
{
	size_t i, at = 0;

	if (m->threads_made)
		return 0;
	m->threads.nr = 0;
	for (i = 0; i < m->cur->nr_tasks; i++) {
		struct row *r = row_push(&m->threads.v, &m->threads.nr, &m->threads.cap);

		if (!r)
			return -ENOMEM;
		row_thread(r, m->prev, m->cur, &m->cur->tasks[i], &at);
	}
	m->threads_made = true;
	return 0;
}
