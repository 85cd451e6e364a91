// SPDX-License-Identifier: GPL-2.0
/*
 * Batch text: top's header lines and table, so that scripts written for `top -b` read it.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "view/cpu_table.h"
#include "lib/text.h"
#include "sink/batch.h"
#include "view/metrics_line.h"

#define MIB (1024.0 * 1024.0)

static void print_uptime(FILE *f, const struct snapshot *s)
{
	unsigned long up = s->uptime_s, days = up / 86400, hours = up / 3600 % 24;
	unsigned long mins = up / 60 % 60;
	time_t now = s->wall_ns / 1000000000;
	char clock[16] = "";
	struct tm tm;

	if (localtime_r(&now, &tm))
		strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	fprintf(f, "cputop - %s up ", clock);
	if (s->uptime_err) {
		fprintf(f, "unavailable (/proc/uptime: %s), ", strerror(-s->uptime_err));
	} else {
		if (days)
			fprintf(f, "%lu day%s, ", days, days == 1 ? "" : "s");
		if (hours)
			fprintf(f, "%2lu:%02lu, ", hours, mins);
		else
			fprintf(f, "%lu min, ", mins);
	}
	if (s->load_err)
		fprintf(f, " load average: unavailable (/proc/loadavg: %s)\n",
			strerror(-s->load_err));
	else
		fprintf(f, " load average: %.2f, %.2f, %.2f\n", s->load.load[0], s->load.load[1],
			s->load.load[2]);
}

static void print_memory(FILE *f, const struct snapshot *s)
{
	const struct meminfo *m = &s->mem;
	uint64_t cache = m->buffers + m->cached + m->sreclaimable;
	uint64_t used = m->total > m->free + cache ? m->total - m->free - cache : 0;

	if (s->mem_err) {
		fprintf(f, "MiB Mem : unavailable (/proc/meminfo: %s)\n", strerror(-s->mem_err));
		return;
	}
	fprintf(f, "MiB Mem : %8.1f total, %8.1f free, %8.1f used, %8.1f buff/cache\n",
		m->total / MIB, m->free / MIB, used / MIB, cache / MIB);
	fprintf(f, "MiB Swap: %8.1f total, %8.1f free, %8.1f used. %8.1f avail Mem\n",
		m->swap_total / MIB, m->swap_free / MIB,
		(m->swap_total > m->swap_free ? m->swap_total - m->swap_free : 0) / MIB,
		m->available / MIB);
}

/* Where the numbers come from, and how far the tasks' CPU accounts for the CPUs' busy time. */
static void print_source(FILE *f, const struct snapshot *s, const struct summary *sum)
{
	fprintf(f, "Source: %s%s (%s), ", s->caps & SNAP_CAP_RECORDED ? "recording of " : "",
		s->source_name, s->source_note);
	if (s->caps & SNAP_CAP_EXITS)
		fprintf(f, "%llu exits dropped", (unsigned long long)s->exits_dropped);
	else
		fputs("exits between refreshes not seen", f);
	if (s->task_errors)
		fprintf(f, ", %u tasks unreadable", s->task_errors);
	/* The task map full or out of memory: those events' split is lost, never the totals. */
	if (s->untracked)
		fprintf(f, ", %llu events without room in the task map",
			(unsigned long long)s->untracked);
	if (sum->since_start) {
		fputs("; figures since start\n", f);
		return;
	}
	fprintf(f, "; interval %.3f s, tasks ran %.3f s", sum->interval_ns / 1e9,
		sum->tasks_ns / 1e9);
	if (sum->busy_ns)
		fprintf(f, " = %.1f%% of busy CPU", 100.0 * sum->tasks_ns / sum->busy_ns);
	fputc('\n', f);
}

/*
 * What watching costs: cputop's own CPU over the interval, and its eBPF hooks' run time in
 * the tasks they trace, both in % of one CPU. The first snapshot has no interval.
 */
static void print_cost(FILE *f, const struct snapshot *s, const struct summary *sum)
{
	if (sum->self_pct < 0)
		return;
	fprintf(f, "Cost: cputop %.2f%% CPU", sum->self_pct);
	if (s->caps & SNAP_CAP_COST && sum->hooks_pct >= 0)
		fprintf(f, ", its eBPF hooks %.2f%% in the tasks they trace", sum->hooks_pct);
	else if (s->caps & SNAP_CAP_COST)
		fputs(", its eBPF hooks not measured (the kernel would not count them)", f);
	fputc('\n', f);
}

/* One table line, the header's when @r is NULL. */
static void print_line(FILE *f, const struct row *r, const enum field *fields, size_t nr,
		       const struct field_ctx *c)
{
	/* Each cell is at most 127 bytes and a space: room for all. */
	char line[FIELD_COLUMNS * 128 + 1];
	size_t len = fields_line(line, sizeof(line), fields, nr, r, c);

	line[len++] = '\n';
	fwrite(line, 1, len, f);
}

/*
 * --cpus: a row per CPU and one for all, then the sums that check the counters against each
 * other: every switch the program saw against the kernel's own count, and the system calls
 * of the CPUs against those of the tasks.
 */
static void print_cpus(FILE *f, const struct snapshot *s, const struct model *m)
{
	const struct summary *sum = &m->sum;
	struct cpu_col cols[CPU_COLS_MAX];
	size_t nr = cpu_cols(cols, sum->ctr_have, !sum->ticks_err, s);
	char line[CPU_COLS_MAX * 24], label[16];
	uint32_t i;

	cpu_line(line, sizeof(line), cols, nr, NULL, NULL);
	fprintf(f, "\n%s\n", line);
	for (i = 0; i < m->nr_cpus; i++) {
		snprintf(label, sizeof(label), "%u", i);
		cpu_line(line, sizeof(line), cols, nr, label, &m->cpus[i]);
		fprintf(f, "%s\n", line);
	}
	cpu_line(line, sizeof(line), cols, nr, "all", &sum->all);
	fprintf(f, "%s\n", line);
	if (sum->ticks_err)
		fprintf(f, "Sums: ctxt unavailable");
	else
		fprintf(f, "Sums: ctxt %.1f/s by /proc/stat", sum->ctxt_rate);
	if (sum->ctr_have & 1ull << CTR_CSW)
		fprintf(f, ", CSW %.1f/s", sum->all.rate[CTR_CSW]);
	if (sum->ctr_have & 1ull << CTR_SYSC && sum->interval_ns)
		fprintf(f, "; SYSC %.1f/s by CPUs, %.1f/s by tasks", sum->all.rate[CTR_SYSC],
			sum->tasks_sysc * 1e9 / sum->interval_ns);
	fputc('\n', f);
}

int batch_print(FILE *f, const struct snapshot *s, const struct model *m,
		const struct settings *o, struct users *users)
{
	const struct summary *sum = &m->sum;
	const double *c = sum->all.pct;
	enum field fields[FIELD_COLUMNS];
	char psi[SNAP_TEXT_LEN + 64];
	size_t i, nr = fields_view(fields, o->fields, o->nr_fields, o->group);
	struct field_ctx ctx;

	settings_field_ctx(&ctx, o, s, &m->cg, users);
	print_uptime(f, s);
	fprintf(f, "%s: %4u total, %4u running, %4u sleeping, %4u stopped, %4u zombie, "
		"%4u exited\n", o->threads ? "Threads" : "Tasks", sum->tasks.total, sum->tasks.running,
		sum->tasks.sleeping, sum->tasks.stopped, sum->tasks.zombie, sum->tasks.exited);
	if (sum->ticks_err)
		fprintf(f, "%%Cpu(s): unavailable (/proc/stat: %s)\n", strerror(-sum->ticks_err));
	else
		fprintf(f, "%%Cpu(s): %4.1f us, %4.1f sy, %4.1f ni, %4.1f id, %4.1f wa, %4.1f hi, "
			"%4.1f si, %4.1f st\n", c[CPU_USER], c[CPU_SYSTEM], c[CPU_NICE],
			c[CPU_IDLE], c[CPU_IOWAIT], c[CPU_IRQ], c[CPU_SOFTIRQ], c[CPU_STEAL]);
	print_memory(f, s);
	/* A line of its own: the first stays top's, which scripts read. */
	pressure_line(psi, sizeof(psi), s, sum);
	fprintf(f, "CPU pressure: %s\n", psi);
	print_source(f, s, sum);
	print_cost(f, s, sum);
	for (i = 0; i < nr; i++) {
		if (fields[i] == FIELD_IPC && s->ipc_why[0])
			fprintf(f, "IPC: unavailable, %s\n", s->ipc_why);
	}
	if (o->cpus)
		print_cpus(f, s, m);
	fputc('\n', f);
	print_line(f, NULL, fields, nr, &ctx);
	for (i = 0; i < m->nr_rows; i++)
		print_line(f, &m->rows[i], fields, nr, &ctx);
	fputc('\n', f);
	if (fflush(f) || ferror(f))
		return errno ? -errno : -EIO;
	return 0;
}
