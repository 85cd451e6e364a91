// SPDX-License-Identifier: GPL-2.0
/*
 * --format json: one object per snapshot on one line (JSON Lines), built with json-c so that
 * every string is escaped by the library. Figures are in base units: ns, bytes, counts, with
 * percentages and per-second rates named as such. docs/output.md documents every member.
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "lib/text.h"
#include "sink/batch.h"

/* json_object_object_add() takes the value over, NULL (out of memory) included. */
static void put_int(struct json_object *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

static void put_u64(struct json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_uint64(v));
}

static void put_double(struct json_object *o, const char *key, double v)
{
	json_object_object_add(o, key, json_object_new_double(v));
}

/* Text that came from a process (a name, a cgroup): made terminal-safe and valid UTF-8 first. */
static void put_text(struct json_object *o, const char *key, const char *s, size_t n)
{
	char clean[4096 + 1];	/* a cgroup's path: PATH_MAX */

	text_sanitize(clean, sizeof(clean), s, n);
	json_object_object_add(o, key, json_object_new_string(clean));
}

static const char *const tick_keys[CPU_NR_FIELDS] = {
	"user_pct", "nice_pct", "system_pct", "idle_pct", "iowait_pct", "irq_pct",
	"softirq_pct", "steal_pct", "guest_pct", "guest_nice_pct",
};

static const char *const ctr_keys[CTR_SOFTIRQ] = {
	[CTR_CSW] = "switches_per_s", [CTR_PRE] = "preemptions_per_s",
	[CTR_SYSC] = "syscalls_per_s", [CTR_YLD] = "yields_per_s", [CTR_BUSY_NS] = "busy_ns_pct",
	[CTR_IDLE_NS] = "idle_ns_pct", [CTR_IRQ] = "device_irqs_per_s",
	[CTR_LOC] = "timer_irqs_per_s", [CTR_RES] = "resched_ipis_per_s",
	[CTR_CAL] = "call_ipis_per_s", [CTR_TLB] = "tlb_shootdowns_per_s",
};

/* One CPU's figures (@cpu its number), or all CPUs' (@cpu < 0). */
static struct json_object *cpu_obj(const struct cpu_row *r, const struct snapshot *s,
				   uint64_t have, bool ticks, long cpu)
{
	struct json_object *o = json_object_new_object(), *soft = NULL;
	int k;

	if (cpu >= 0)
		put_int(o, "cpu", cpu);
	for (k = 0; k < CPU_NR_FIELDS && ticks; k++)
		put_double(o, tick_keys[k], r->pct[k]);
	for (k = 0; k < CTR_NR; k++) {
		if (!(have & 1ull << k))
			continue;
		if (k < CTR_SOFTIRQ) {
			put_double(o, ctr_keys[k], r->rate[k]);
			continue;
		}
		if ((uint32_t)(k - CTR_SOFTIRQ) >= s->nr_softirqs)
			continue;
		if (!soft)
			soft = json_object_new_object();
		put_double(soft, s->softirq_names[k - CTR_SOFTIRQ], r->rate[k]);
	}
	if (soft)
		json_object_object_add(o, "softirqs_per_s", soft);
	return o;
}

static struct json_object *cpu_all(const struct snapshot *s, const struct model *m)
{
	struct json_object *o = json_object_new_object(), *cpus = json_object_new_array();
	const struct summary *sum = &m->sum;
	uint32_t i;

	json_object_object_add(o, "all", cpu_obj(&sum->all, s, sum->ctr_have, !sum->ticks_err,
						 -1));
	for (i = 0; i < m->nr_cpus; i++)
		json_object_array_add(cpus, cpu_obj(&m->cpus[i], s, sum->ctr_have,
						    !sum->ticks_err, i));
	json_object_object_add(o, "cpus", cpus);
	if (sum->ticks_err) {
		json_object_object_add(o, "stat_unavailable",
				       json_object_new_string(strerror(-sum->ticks_err)));
		return o;
	}
	if (s->have_intr)
		put_double(o, "interrupts_per_s", m->sum.intr_rate);
	put_double(o, "context_switches_per_s", m->sum.ctxt_rate);
	return o;
}

/*
 * The system's CPU pressure (/proc/pressure/cpu): the interval's share of stalled time (null
 * on the first snapshot), the kernel's 10 s averages and its totals; or why there is none.
 */
static struct json_object *pressure(const struct snapshot *s, const struct summary *sum)
{
	struct json_object *j = json_object_new_object();

	json_object_object_add(j, "available", json_object_new_boolean(!s->psi_err));
	if (s->psi_err) {
		json_object_object_add(j, "why", json_object_new_string(snapshot_psi_why(s)));
		return j;
	}
	json_object_object_add(j, "some_pct", sum->psi_some_pct < 0 ? NULL :
				       json_object_new_double(sum->psi_some_pct));
	put_double(j, "some_avg10", s->psi.some_avg10 / 100.0);
	put_u64(j, "some_total_us", s->psi.some_us);
	if (!s->psi.have_full)
		return j;
	json_object_object_add(j, "full_pct", sum->psi_full_pct < 0 ? NULL :
				       json_object_new_double(sum->psi_full_pct));
	put_double(j, "full_avg10", s->psi.full_avg10 / 100.0);
	put_u64(j, "full_total_us", s->psi.full_us);
	return j;
}

static struct json_object *load(const struct snapshot *s)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "available", json_object_new_boolean(!s->load_err));
	if (s->load_err) {
		json_object_object_add(o, "why", json_object_new_string(strerror(-s->load_err)));
		return o;
	}
	put_double(o, "1m", s->load.load[0]);
	put_double(o, "5m", s->load.load[1]);
	put_double(o, "15m", s->load.load[2]);
	put_u64(o, "runnable", s->load.runnable);
	put_u64(o, "threads", s->load.threads);
	return o;
}

static struct json_object *memory(const struct snapshot *s)
{
	const struct meminfo *m = &s->mem;
	struct json_object *o = json_object_new_object();
	uint64_t cache = m->buffers + m->cached + m->sreclaimable;

	if (s->mem_err) {
		json_object_object_add(o, "available", json_object_new_boolean(0));
		json_object_object_add(o, "why", json_object_new_string(strerror(-s->mem_err)));
		return o;
	}
	json_object_object_add(o, "available", json_object_new_boolean(1));
	put_u64(o, "total_bytes", m->total);
	/* As top and free(1) count it: what neither free nor cache is. */
	put_u64(o, "used_bytes", m->total > m->free + cache ? m->total - m->free - cache : 0);
	put_u64(o, "available_bytes", m->available);
	put_u64(o, "free_bytes", m->free);
	put_u64(o, "cached_bytes", m->cached + m->sreclaimable);
	put_u64(o, "buffers_bytes", m->buffers);
	put_u64(o, "swap_total_bytes", m->swap_total);
	put_u64(o, "swap_used_bytes", m->swap_total > m->swap_free ?
				      m->swap_total - m->swap_free : 0);
	put_u64(o, "swap_free_bytes", m->swap_free);
	put_u64(o, "hugepages_total", m->huge_total);
	put_u64(o, "hugepages_free", m->huge_free);
	put_u64(o, "hugepages_reserved", m->huge_rsvd);
	put_u64(o, "hugepage_size_bytes", m->huge_size);
	return o;
}

/* Each collector: available, or why not; its figures, rates where two reads allow. */
static struct json_object *metrics_obj(const struct metrics *c, const struct metrics_rates *r)
{
	struct json_object *o = json_object_new_object(), *k[MET_NR], *v, *e;
	uint32_t i;
	int n;

	for (n = 0; n < MET_NR; n++) {
		k[n] = json_object_new_object();
		json_object_object_add(k[n], "available", json_object_new_boolean(c->st[n].ok));
		if (!c->st[n].ok)
			json_object_object_add(k[n], "why", json_object_new_string(c->st[n].why));
		json_object_object_add(o, metric_names[n], k[n]);
	}
	if (c->st[MET_FREQ].ok) {
		json_object_object_add(k[MET_FREQ], "source",
				       json_object_new_string(c->freq.source));
		v = json_object_new_array_ext(c->freq.nr);
		for (i = 0; i < c->freq.nr; i++)
			json_object_array_add(v, json_object_new_uint64(c->freq.khz[i] * 1000ull));
		/* By CPU number; 0 where the source gave none. */
		json_object_object_add(k[MET_FREQ], "cpus_hz", v);
	}
	if (c->st[MET_TEMP].ok) {
		v = json_object_new_array_ext(c->nr_temps);
		for (i = 0; i < c->nr_temps; i++) {
			e = json_object_new_object();
			put_text(e, "sensor", c->temps[i].name, sizeof(c->temps[i].name));
			put_int(e, "millicelsius", c->temps[i].mdegc);
			json_object_array_add(v, e);
		}
		json_object_object_add(k[MET_TEMP], "sensors", v);
	}
	if (c->st[MET_NET].ok) {
		v = json_object_new_array_ext(c->nr_nets);
		for (i = 0; i < c->nr_nets; i++) {
			const struct met_net *d = &c->nets[i];
			const struct met_net_rate *nr = i < r->nr_nets ? &r->net[i] : NULL;

			e = json_object_new_object();
			put_text(e, "name", d->name, sizeof(d->name));
			put_u64(e, "rx_bytes", d->rx_bytes);
			put_u64(e, "rx_packets", d->rx_packets);
			put_u64(e, "rx_errors", d->rx_errs);
			put_u64(e, "rx_drops", d->rx_drop);
			put_u64(e, "tx_bytes", d->tx_bytes);
			put_u64(e, "tx_packets", d->tx_packets);
			put_u64(e, "tx_errors", d->tx_errs);
			put_u64(e, "tx_drops", d->tx_drop);
			if (nr && nr->have) {
				put_double(e, "rx_bytes_per_s", nr->rx_bps);
				put_double(e, "tx_bytes_per_s", nr->tx_bps);
				put_double(e, "rx_packets_per_s", nr->rx_pps);
				put_double(e, "tx_packets_per_s", nr->tx_pps);
				put_double(e, "errors_per_s", nr->errs);
				put_double(e, "drops_per_s", nr->drops);
			}
			json_object_array_add(v, e);
		}
		json_object_object_add(k[MET_NET], "interfaces", v);
	}
	if (c->st[MET_DISK].ok) {
		v = json_object_new_array_ext(c->nr_disks);
		for (i = 0; i < c->nr_disks; i++) {
			const struct met_disk *d = &c->disks[i];
			const struct met_disk_rate *dr = i < r->nr_disks ? &r->disk[i] : NULL;

			e = json_object_new_object();
			put_text(e, "name", d->name, sizeof(d->name));
			/* diskstats sectors are 512 bytes whatever the device's own. */
			put_u64(e, "read_bytes", d->rd_sectors * 512);
			put_u64(e, "reads", d->rd_ios);
			put_u64(e, "write_bytes", d->wr_sectors * 512);
			put_u64(e, "writes", d->wr_ios);
			if (dr && dr->have) {
				put_double(e, "read_bytes_per_s", dr->rd_bps);
				put_double(e, "write_bytes_per_s", dr->wr_bps);
				put_double(e, "reads_per_s", dr->rd_iops);
				put_double(e, "writes_per_s", dr->wr_iops);
				put_u64(e, "latency_ns", (uint64_t)(dr->lat_ms * 1e6));
			}
			json_object_array_add(v, e);
		}
		json_object_object_add(k[MET_DISK], "devices", v);
	}
	if (c->st[MET_VMSTAT].ok && r->vm.have) {
		put_double(k[MET_VMSTAT], "page_in_bytes_per_s", r->vm.in_bps);
		put_double(k[MET_VMSTAT], "page_out_bytes_per_s", r->vm.out_bps);
		put_double(k[MET_VMSTAT], "swap_in_pages_per_s", r->vm.swpin_pps);
		put_double(k[MET_VMSTAT], "swap_out_pages_per_s", r->vm.swpout_pps);
		put_double(k[MET_VMSTAT], "major_faults_per_s", r->vm.majflt);
	}
	return o;
}

/*
 * A row's members, in this order, each where the row has it (field_value() says): a process's,
 * a thread's (tgid), a tree's (depth, folded), a program's (group, count, live, credits), and
 * its cgroup's (a process's cgroup, or the group's under a cgroup key).
 */
static const enum field row_members[] = {
	FIELD_GROUP, FIELD_PID, FIELD_TGID, FIELD_PPID, FIELD_UID, FIELD_USER, FIELD_STATE,
	FIELD_COMMAND, FIELD_START, FIELD_NI, FIELD_PR, FIELD_CNT, FIELD_LIVE, FIELD_THR,
	FIELD_CPU_NS, FIELD_USER_NS, FIELD_SYS_NS, FIELD_TIME, FIELD_CPU, FIELD_USR, FIELD_SYS,
	FIELD_SYSC, FIELD_VCSW, FIELD_ICSW, FIELD_MIGR, FIELD_WAIT, FIELD_IOW, FIELD_CYCLES,
	FIELD_INSNS, FIELD_MAXW, FIELD_IPC, FIELD_CREDITS, FIELD_DEPTH, FIELD_FOLDED,
	FIELD_CGROUP, FIELD_UNIT, FIELD_CONTAINER, FIELD_LIMIT, FIELD_THR_PCT, FIELD_NR_PERIODS,
	FIELD_NR_THROTTLED, FIELD_THROTTLED_NS, FIELD_PSI, FIELD_PSI_FULL, FIELD_PSI_SOME_AVG10,
	FIELD_PSI_FULL_AVG10, FIELD_PSI_SOME_TOTAL, FIELD_PSI_FULL_TOTAL,
};

/* The members a process has and a program has not, and the reverse: its key is its group. */
static bool member_of(enum field f, enum group_by g)
{
	bool program = f == FIELD_GROUP || f == FIELD_CNT || f == FIELD_LIVE ||
		       f == FIELD_CREDITS;

	if (g == GROUP_NONE)
		return !program;
	return program || (!field_table[f].per_process && f != FIELD_COMMAND);
}

static struct json_object *row_obj(const struct row *r, const struct field_ctx *c)
{
	struct json_object *j = json_object_new_object();
	struct field_value v;

	for (size_t i = 0; i < sizeof(row_members) / sizeof(row_members[0]); i++) {
		enum field f = row_members[i];
		const char *key = field_table[f].key;

		if (!member_of(f, c->group))
			continue;
		field_value(&v, f, r, c);
		switch (v.type) {
		case FV_U64:
			put_u64(j, key, v.u);
			break;
		case FV_S64:
			put_int(j, key, v.s);
			break;
		case FV_DOUBLE:
			put_double(j, key, v.d);
			break;
		case FV_TEXT:
			put_text(j, key, v.text, v.len);
			break;
		case FV_NONE:
			break;
		}
	}
	return j;
}

static struct json_object *exit_obj(const struct proc_exit *e, const struct snapshot *s,
				    const struct model *m, struct users *users)
{
	struct json_object *j = json_object_new_object();
	const char *user = users_name(e->uid, users);
	const struct cg_row *cg = cg_find(&m->cg, e->cgroup_id);

	put_u64(j, "pid", e->pid);
	put_u64(j, "ppid", e->ppid);
	put_u64(j, "uid", e->uid);
	put_text(j, "user", user, strlen(user));
	put_text(j, "command", e->comm, sizeof(e->comm));
	if (cg)
		put_text(j, "cgroup", cg->path, strlen(cg->path));
	put_u64(j, "start_ns", e->start_ns);
	put_u64(j, "exit_ns", e->exit_ns);
	put_int(j, "exit_timestamp_ns", snapshot_unix_ns(s, e->exit_ns));
	put_u64(j, "lifetime_ns", e->exit_ns > e->start_ns ? e->exit_ns - e->start_ns : 0);
	put_u64(j, "cpu_ns", e->cpu_ns);
	put_u64(j, "user_ns", e->user_ns);
	put_u64(j, "sys_ns", e->sys_ns);
	return j;
}

static const char *view_name(const struct settings *o)
{
	if (o->group == GROUP_CGROUP && o->tree)
		return "cgroup_tree";
	if (o->group != GROUP_NONE)
		return group_names[o->group];
	return o->tree ? "tree" : o->threads ? "threads" : "processes";
}

static struct json_object *snapshot_obj(const struct snapshot *s, const struct model *m,
					const struct settings *o, struct users *users)
{
	const struct summary *sum = &m->sum;
	struct json_object *j = json_object_new_object(), *v;
	struct field_ctx ctx;
	size_t i;

	settings_field_ctx(&ctx, o, s, &m->cg, users);
	put_int(j, "timestamp_ns", s->wall_ns);
	put_u64(j, "monotonic_ns", s->ts_ns);
	put_u64(j, "interval_ns", sum->interval_ns);
	json_object_object_add(j, "since_start", json_object_new_boolean(sum->since_start));

	v = json_object_new_object();
	json_object_object_add(v, "kind", json_object_new_string(s->source_kind));
	json_object_object_add(v, "note", json_object_new_string(s->source_note));
	put_u64(v, "exits_dropped", s->exits_dropped);
	put_u64(v, "exits_seen", s->exits_seen);
	put_u64(v, "exits_delivered", s->exits_delivered);
	put_u64(v, "untracked_events", s->untracked);
	put_u64(v, "task_errors", s->task_errors);
	put_u64(v, "tasks_cpu_ns", sum->tasks_ns);
	if (sum->ticks_err)
		json_object_object_add(v, "busy_cpu_ns", NULL);
	else
		put_u64(v, "busy_cpu_ns", sum->busy_ns);
	if (s->ipc_why[0])
		json_object_object_add(v, "ipc_unavailable", json_object_new_string(s->ipc_why));
	if (s->cg_why[0])
		json_object_object_add(v, "cgroups_unavailable", json_object_new_string(s->cg_why));
	json_object_object_add(j, "source", v);

	/* What watching costs; null where not known (first snapshot, hooks not counted). */
	v = json_object_new_object();
	put_u64(v, "cpu_ns", s->self_cpu_ns);
	json_object_object_add(v, "cpu_pct", sum->self_pct < 0 ? NULL :
				       json_object_new_double(sum->self_pct));
	json_object_object_add(v, "bpf_hooks_pct", sum->hooks_pct < 0 ? NULL :
				       json_object_new_double(sum->hooks_pct));
	json_object_object_add(j, "cost", v);

	if (s->uptime_err)
		json_object_object_add(j, "uptime_ns", NULL);
	else
		put_u64(j, "uptime_ns", (uint64_t)(s->uptime_s * 1e9));
	json_object_object_add(j, "load", load(s));
	json_object_object_add(j, "pressure", pressure(s, sum));

	v = json_object_new_object();
	put_u64(v, "total", sum->tasks.total);
	put_u64(v, "running", sum->tasks.running);
	put_u64(v, "sleeping", sum->tasks.sleeping);
	put_u64(v, "stopped", sum->tasks.stopped);
	put_u64(v, "zombie", sum->tasks.zombie);
	put_u64(v, "exited", sum->tasks.exited);
	json_object_object_add(j, "tasks", v);

	json_object_object_add(j, "cpu", cpu_all(s, m));
	json_object_object_add(j, "memory", memory(s));
	json_object_object_add(j, "metrics", metrics_obj(&s->sys, &m->sys));
	json_object_object_add(j, "view", json_object_new_string(view_name(o)));
	v = json_object_new_array_ext(m->nr_rows);
	for (i = 0; i < m->nr_rows; i++)
		json_object_array_add(v, row_obj(&m->rows[i], &ctx));
	json_object_object_add(j, "rows", v);
	v = json_object_new_array_ext(m->nr_exits);
	for (i = 0; i < m->nr_exits; i++)
		json_object_array_add(v, exit_obj(&m->exits[i], s, m, users));
	json_object_object_add(j, "exits", v);
	return j;
}

int json_print(FILE *f, const struct snapshot *s, const struct model *m,
	       const struct settings *o, struct users *users)
{
	struct json_object *j = snapshot_obj(s, m, o, users);
	const char *text;
	int err = 0;

	/* Plain: no spaces, no newline inside, so that each snapshot is one line. */
	text = j ? json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN |
						    JSON_C_TO_STRING_NOSLASHESCAPE) : NULL;
	if (!text)
		err = -ENOMEM;
	else if (fprintf(f, "%s\n", text) < 0 || fflush(f))
		err = errno ? -errno : -EIO;
	json_object_put(j);
	return err;
}
