// SPDX-License-Identifier: GPL-2.0
/*
 * The interactive view, ncurses only. Each frame is drawn whole into ncurses' virtual screen
 * (erase, not clear) and ncurses sends the terminal only what changed: no flicker. Keys are
 * read without blocking whenever the loop wakes on input, so each one acts at once.
 */
#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "lib/text.h"
#include "view/cpu_table.h"
#include "view/metrics_line.h"
#include "view/tui/actions.h"
#include "view/tui/keys.h"
#include "view/tui/tui.h"

#define GRAPH_ROWS 4		/* the header's CPU history graph */
#define GRAPH_MAX 512		/* samples kept: the widest graph drawn */
#define DETAIL_GRAPH_ROWS 6
#define STATUS_FRAMES 5		/* refreshes a message stays on the status line */
#define MIN_TABLE_ROWS 2	/* the header gives up lines before the table goes below this */

enum pair {
	P_USER = 1, P_NICE, P_SYSTEM, P_IRQ, P_SOFTIRQ, P_STEAL, P_IOWAIT, P_MEM_USED, P_MEM_BUF,
	P_MEM_CACHE, P_SWAP, P_LABEL, P_HEAD, P_SORT, P_SELECT, P_ERROR, P_GRAPH, P_EXITED,
	P_LIMIT,
};

/* Which parts of the header fit the terminal this frame. */
struct layout {
	bool uptime, tasks, meters_each, meters, mem, graph, info, cpus, sys;
	int meter_cols, meter_rows;
	int cpu_rows;		/* CPUs shown in the per-CPU panel (c), besides its header and all */
	int table_y;		/* the table's header line */
	int nr_rows;		/* table rows visible */
};

/* The system metrics lines: interrupts, then one per collector. */
#define SYS_ROWS (1 + MET_NR)

struct tui {
	SCREEN *screen;
	struct tui_state st;		/* what the keys act on */
	struct users *users;
	struct tui_frame f;		/* the frame last drawn */
	bool have_frame, color, utf8;
	struct layout lay;
	enum field fields[FIELD_COLUMNS];	/* the columns: set->fields, or the programs' */
	size_t nr_fields;
	int col_x[FIELD_COLUMNS + 1];	/* column i of fields spans [col_x[i], col_x[i + 1]) */
	struct model detail_model;	/* the detail pane's threads */
	unsigned long detail_seq;	/* the frame detail_model ingested, or 0 */
	char target_name[96];		/* "PID (comm)", sanitised */
	int target_fd;			/* its pidfd: a reused PID cannot receive the signal */
	float cpu_hist[GRAPH_MAX];	/* busy %, a ring: the newest at cpu_hist_n - 1 */
	size_t cpu_hist_n;
};

static attr_t attr(const struct tui *t, enum pair p, attr_t mono)
{
	return t->color ? COLOR_PAIR(p) : mono;
}

/*
 * @s at (y, x), cut to the screen's width: never wrapped onto the next line. ASCII, nearly all
 * of a frame, goes in as ready-made cells: ncursesw's waddnstr() decodes every byte as a
 * multibyte character, which made it the dearest part of a frame.
 */
static void put(int y, int x, attr_t a, const char *s)
{
	chtype cells[1024];
	size_t n, i;

	if (y < 0 || y >= LINES || x >= COLS)
		return;
	n = text_fit(s, COLS - x);
	for (i = 0; i < n && i < sizeof(cells) / sizeof(cells[0]); i++) {
		if (s[i] & 0x80)
			break;
		cells[i] = (unsigned char)s[i] | a;
	}
	if (i == n) {
		mvaddchnstr(y, x, cells, n);
		return;
	}
	attron(a);
	mvaddnstr(y, x, s, n);
	attroff(a);
}

static void __attribute__((format(printf, 4, 5))) putf(int y, int x, attr_t a, const char *fmt,
						      ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put(y, x, a, buf);
}

/* Bytes in kernel style: 512K, 3.9G. */
static void human(char *buf, size_t size, uint64_t bytes)
{
	static const char units[] = "KMGTP";
	double v = bytes / 1024.0;
	int u = 0;

	while (v >= 1000 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(buf, size, v < 10 && u ? "%.2f%c" : v < 100 && u ? "%.1f%c" : "%.0f%c", v,
		 units[u]);
}

/*
 * A meter: "label[||||||     text]". Each segment is @pct percent of the bar in its colour;
 * without colours each has its own character, so a monochrome bar still tells them apart.
 */
static void meter(const struct tui *t, int y, int x, int w, const char *label, int n,
		  const double *pct, const enum pair *pairs, const char *mono, const char *text)
{
	int inner = w - (int)strlen(label) - 2, cells[8], k, c = 0, tx;

	put(y, x, attr(t, P_LABEL, A_BOLD), label);
	if (inner < 1)
		return;
	x += strlen(label);
	put(y, x, A_BOLD, "[");
	text_meter(inner, pct, n, cells);
	tx = inner - (int)strlen(text);
	/* One write per segment: the bar is the hot part of a frame. */
	for (k = 0; k < n; k++) {
		char run[512];
		int len = cells[k] < tx - c ? cells[k] : tx - c;

		len = len < (int)sizeof(run) ? len : (int)sizeof(run) - 1;
		if (len > 0) {
			memset(run, t->color ? '|' : mono[k], len);
			run[len] = '\0';
			put(y, x + 1 + c, attr(t, pairs[k], A_NORMAL), run);
		}
		c += cells[k];
	}
	/* The figure sits at the bar's right end, over the bar where they meet, as in htop. */
	if (tx >= 0)
		put(y, x + 1 + tx, A_BOLD, text);
	put(y, x + 1 + inner, A_BOLD, "]");
}

static const enum pair cpu_pairs[] = {
	P_USER, P_NICE, P_SYSTEM, P_IRQ, P_SOFTIRQ, P_STEAL, P_IOWAIT,
};

/* A CPU meter: user, nice, system, irq, softirq, steal, then iowait; the figure is busy %. */
static void cpu_meter(const struct tui *t, int y, int x, int w, const char *label,
		      const double *p)
{
	double seg[] = { p[CPU_USER], p[CPU_NICE], p[CPU_SYSTEM], p[CPU_IRQ], p[CPU_SOFTIRQ],
			 p[CPU_STEAL], p[CPU_IOWAIT] };
	char text[16];
	double busy = 100.0 - p[CPU_IDLE] - p[CPU_IOWAIT];

	snprintf(text, sizeof(text), "%.1f%%", busy < 0 ? 0 : busy);
	meter(t, y, x, w, label, 7, seg, cpu_pairs, "|+#*@%.", text);
}

static void mem_meters(const struct tui *t, int y, int w)
{
	const struct meminfo *m = &t->f.cur->mem;
	static const enum pair mem_pairs[] = { P_MEM_USED, P_MEM_BUF, P_MEM_CACHE };
	static const enum pair swap_pairs[] = { P_SWAP };
	uint64_t cache = m->cached + m->sreclaimable;
	uint64_t used = m->total > m->free + m->buffers + cache ?
			m->total - m->free - m->buffers - cache : 0;
	uint64_t swap_used = m->swap_total > m->swap_free ? m->swap_total - m->swap_free : 0;
	double seg[3] = {};
	char a[16], b[16], text[40];

	if (t->f.cur->mem_err) {
		putf(y, 0, A_NORMAL, "Mem: unavailable (/proc/meminfo: %s)",
		     strerror(-t->f.cur->mem_err));
		return;
	}
	if (m->total) {
		seg[0] = 100.0 * used / m->total;
		seg[1] = 100.0 * m->buffers / m->total;
		seg[2] = 100.0 * cache / m->total;
	}
	human(a, sizeof(a), used);
	human(b, sizeof(b), m->total);
	snprintf(text, sizeof(text), "%s/%s", a, b);
	meter(t, y, 0, w, "Mem", 3, seg, mem_pairs, "|#*", text);
	seg[0] = m->swap_total ? 100.0 * swap_used / m->swap_total : 0;
	human(a, sizeof(a), swap_used);
	human(b, sizeof(b), m->swap_total);
	snprintf(text, sizeof(text), "%s/%s", a, b);
	meter(t, y + 1, 0, w, "Swp", 1, seg, swap_pairs, "|", text);
}

/*
 * A bar graph of @n samples (oldest first) scaled to @max, newest at the right, in @rows
 * lines from @y; eighth-blocks on a UTF-8 terminal, ASCII elsewhere. A sample < 0 is a gap.
 */
static void graph(const struct tui *t, int y, int x, int w, int rows, const float *v, size_t n,
		  double max)
{
	static const char *const blocks[] = { " ", "\u2581", "\u2582", "\u2583", "\u2584",
					      "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char ascii[] = "  ..::||";
	attr_t a = attr(t, P_GRAPH, A_NORMAL);
	int r, c;

	putf(y, x, A_DIM, "%3.0f%%", max);
	putf(y + rows - 1, x, A_DIM, "%3d%%", 0);
	x += 5;
	w -= 5;
	for (c = 0; c < w && (size_t)c < n; c++) {
		float s = v[n - 1 - c];
		int level = s < 0 ? 0 : (int)(s / max * rows * 8 + 0.5), col = x + w - 1 - c;

		for (r = 0; r < rows; r++) {
			int fill = level - (rows - 1 - r) * 8;

			fill = fill < 0 ? 0 : fill > 8 ? 8 : fill;
			if (!fill)
				continue;
			if (t->utf8) {
				put(y + r, col, a, blocks[fill]);
			} else {
				char ch[2] = { fill == 8 ? '|' : ascii[fill], 0 };

				put(y + r, col, a, ch);
			}
		}
	}
}

/* Decide what of the header fits: the table keeps MIN_TABLE_ROWS as long as possible. */
static void layout_plan(struct tui *t)
{
	struct layout *l = &t->lay;
	uint32_t nr_cpus = t->f.cur ? t->f.cur->nr_cpus : 1;
	int lines;

	l->uptime = l->tasks = l->meters = l->mem = l->info = true;
	l->graph = !t->st.set->no_graph;
	l->sys = !t->st.set->no_metrics;
	l->cpus = t->st.set->cpus;
	l->cpu_rows = nr_cpus;
	l->meters_each = !t->st.set->cpu_total && nr_cpus > 1;
	/* Many CPUs share a line two or four to a row, when the width allows. */
	l->meter_cols = nr_cpus > 32 && COLS >= 160 ? 4 : nr_cpus > 8 && COLS >= 80 ? 2 : 1;
	for (;;) {
		l->meter_rows = !l->meters ? 0 : l->meters_each ?
				(int)(nr_cpus + l->meter_cols - 1) / l->meter_cols : 1;
		lines = l->uptime + l->tasks + l->meter_rows + 2 * l->mem +
			GRAPH_ROWS * l->graph + SYS_ROWS * l->sys +
			(l->cpus ? 2 + l->cpu_rows : 0) + l->info +
			2;	/* status and table header */
		if (LINES - lines >= MIN_TABLE_ROWS)
			break;
		/* What to give up first, least missed first. */
		if (l->graph) {
			l->graph = false;
		} else if (l->sys) {
			l->sys = false;
		} else if (l->cpus && l->cpu_rows) {
			/* The panel keeps the CPUs that fit, lowest numbers first, and "all". */
			int short_by = MIN_TABLE_ROWS - (LINES - lines);

			l->cpu_rows -= short_by < l->cpu_rows ? short_by : l->cpu_rows;
		} else if (l->cpus) {
			l->cpus = false;
		} else if (l->meters_each)
			l->meters_each = false;
		else if (l->mem)
			l->mem = false;
		else if (l->info)
			l->info = false;
		else if (l->tasks)
			l->tasks = false;
		else if (l->meters)
			l->meters = false;
		else if (l->uptime)
			l->uptime = false;
		else
			break;
	}
	l->table_y = lines - 1;
	l->nr_rows = LINES - lines > 0 ? LINES - lines : 0;
}

static void draw_uptime(const struct tui *t, int y)
{
	const struct snapshot *s = t->f.cur;
	unsigned long up = s->uptime_s, days = up / 86400;
	time_t now = s->wall_ns / 1000000000;
	bool past = s->caps & SNAP_CAP_RECORDED;
	char clock[40] = "", uptime[80], load[80], psi[SNAP_TEXT_LEN + 64];
	struct tm tm;

	/* A replay's clock is the sample's, with its date: the past is rarely today. */
	if (localtime_r(&now, &tm))
		strftime(clock, sizeof(clock), past ? "replay of %Y-%m-%d %H:%M:%S" : "%H:%M:%S",
			 &tm);
	if (s->uptime_err)
		snprintf(uptime, sizeof(uptime), "unavailable (/proc/uptime: %s)",
			 strerror(-s->uptime_err));
	else if (days)
		snprintf(uptime, sizeof(uptime), "%lu day%s, %lu:%02lu", days,
			 days == 1 ? "" : "s", up / 3600 % 24, up / 60 % 60);
	else
		snprintf(uptime, sizeof(uptime), "%lu:%02lu", up / 3600 % 24, up / 60 % 60);
	if (s->load_err)
		snprintf(load, sizeof(load), "unavailable (/proc/loadavg: %s)",
			 strerror(-s->load_err));
	else
		snprintf(load, sizeof(load), "%.2f %.2f %.2f", s->load.load[0], s->load.load[1],
			 s->load.load[2]);
	pressure_line(psi, sizeof(psi), s, &t->f.m->sum);
	putf(y, 0, A_BOLD, "cputop - %s up %s, load average: %s, CPU pressure %s", clock, uptime,
	     load, psi);
}

/* The system metrics (m): interrupts, then a line per collector. */
static void draw_sys(const struct tui *t, int y)
{
	const struct snapshot *s = t->f.cur;
	const struct model *m = t->f.m;
	char line[256];
	int k;

	if (m->sum.ticks_err)
		putf(y, 0, A_NORMAL, "Intr: unavailable (/proc/stat: %s)",
		     strerror(-m->sum.ticks_err));
	else if (s->have_intr)
		putf(y, 0, A_NORMAL, "Intr: %.0f/s, context switches %.0f/s", m->sum.intr_rate,
		     m->sum.ctxt_rate);
	else
		putf(y, 0, A_NORMAL, "Intr: unavailable (no intr line in /proc/stat)");
	for (k = 0; k < MET_NR; k++) {
		metrics_line(line, sizeof(line), k, &s->sys, &m->sys);
		put(y + 1 + k, 0, A_NORMAL, line);
	}
}

static void draw_tasks(const struct tui *t, int y)
{
	const struct task_counts *s = &t->f.m->sum.tasks;

	putf(y, 0, A_NORMAL, "%s: %u total, %u running, %u sleeping, %u stopped, %u zombie, "
	     "%u exited", t->st.set->threads ? "Threads" : "Tasks", s->total, s->running,
	     s->sleeping, s->stopped, s->zombie, s->exited);
}

static int draw_meters(const struct tui *t, int y)
{
	const struct layout *l = &t->lay;
	const struct model *m = t->f.m;
	int w = COLS / l->meter_cols, digits = 2;
	uint32_t i;
	char label[24];

	/* The line the layout planned for the meters: it may have planned one per CPU. */
	if (m->sum.ticks_err) {
		putf(y, 0, A_NORMAL, "CPU: unavailable (/proc/stat: %s)",
		     strerror(-m->sum.ticks_err));
		return l->meter_rows;
	}
	if (!l->meters_each) {
		cpu_meter(t, y, 0, COLS, "CPU", m->sum.all.pct);
		return 1;
	}
	/* Right-aligned CPU numbers, one column wider than the largest, as htop draws them. */
	for (i = m->nr_cpus - 1; i >= 10 && digits < 11; i /= 10)
		digits++;
	for (i = 0; i < m->nr_cpus; i++) {
		int row = i % l->meter_rows, col = i / l->meter_rows;

		snprintf(label, sizeof(label), "%*u", digits, i);
		cpu_meter(t, y + row, col * w, col == l->meter_cols - 1 ? COLS - col * w : w - 1,
			  label, m->cpus[i].pct);
	}
	return l->meter_rows;
}

static void draw_info(const struct tui *t, int y)
{
	const struct snapshot *s = t->f.cur;
	const struct settings *o = t->st.set;
	char buf[512];
	int n;

	/* Where exits are seen, how many were lost; else why they are not. */
	n = snprintf(buf, sizeof(buf), "Source: %s%s", s->caps & SNAP_CAP_RECORDED ?
		     "recording of " : "", s->source_name);
	if (s->caps & SNAP_CAP_EXITS)
		n += snprintf(buf + n, sizeof(buf) - n, ", %llu exits dropped",
			      (unsigned long long)s->exits_dropped);
	else
		n += snprintf(buf + n, sizeof(buf) - n, " (%s), exits between refreshes not seen",
			      s->source_note);
	/* What watching costs: cputop's CPU, plus its eBPF hooks' in the tasks they trace. */
	if (t->f.m->sum.self_pct >= 0)
		n += snprintf(buf + n, sizeof(buf) - n, " | Cost: %.1f%%",
			      t->f.m->sum.self_pct);
	if (t->f.m->sum.self_pct >= 0 && t->f.m->sum.hooks_pct >= 0)
		n += snprintf(buf + n, sizeof(buf) - n, " + eBPF %.1f%%",
			      t->f.m->sum.hooks_pct);
	n += snprintf(buf + n, sizeof(buf) - n, " | Sort: %s %s | Delay: %gs",
		      field_table[o->sort].name, o->descending ? "high first" : "low first",
		      o->delay_s);
	if (*o->filter) {
		char f[4 * SETTINGS_FILTER_LEN];

		text_sanitize(f, sizeof(f), o->filter, sizeof(o->filter));
		n += snprintf(buf + n, sizeof(buf) - n, " | Filter: %s", f);
	}
	if (o->uid_set)
		snprintf(buf + n, sizeof(buf) - n, " | User: %s", users_name(o->uid, t->users));
	put(y, 0, A_NORMAL, buf);
}

/* The per-CPU panel (c): the --cpus table, as many whole columns as the width holds. */
static int draw_cpus(const struct tui *t, int y)
{
	const struct model *m = t->f.m;
	struct cpu_col cols[CPU_COLS_MAX];
	size_t nr = cpu_cols(cols, m->sum.ctr_have, !m->sum.ticks_err, t->f.cur), fit, w;
	char line[1024], label[16];
	int i;

	for (fit = 0, w = 0; fit < nr && w + !!fit + cols[fit].width <= (size_t)COLS; fit++)
		w += !!fit + cols[fit].width;
	cpu_line(line, sizeof(line), cols, fit, NULL, NULL);
	put(y, 0, attr(t, P_HEAD, A_REVERSE), line);
	for (i = 0; i < t->lay.cpu_rows; i++) {
		snprintf(label, sizeof(label), "%d", i);
		cpu_line(line, sizeof(line), cols, fit, label, &m->cpus[i]);
		put(y + 1 + i, 0, A_NORMAL, line);
	}
	cpu_line(line, sizeof(line), cols, fit, "all", &m->sum.all);
	put(y + 1 + i, 0, A_BOLD, line);
	return i + 2;
}

static void draw_status(const struct tui *t, int y)
{
	if (t->st.prompt) {
		char in[4 * sizeof(t->st.input)];
		int x = (int)text_cols(t->st.prompt_label);

		text_sanitize(in, sizeof(in), t->st.input, sizeof(t->st.input));
		put(y, 0, A_BOLD, t->st.prompt_label);
		put(y, x, A_NORMAL, in);
		return;
	}
	if (t->st.status[0])
		put(y, 0, t->st.status_error ? attr(t, P_ERROR, A_BOLD) : A_BOLD, t->st.status);
}

/* The column headers, the sort column marked; remembers where each column is for the mouse. */
static void draw_table_head(struct tui *t, int y)
{
	const struct settings *o = t->st.set;
	attr_t head = attr(t, P_HEAD, A_REVERSE), sort = attr(t, P_SORT, A_BOLD | A_UNDERLINE);
	char cell[64];
	size_t i;
	int x = 0;

	/* A one-line terminal has room for the status line alone. */
	if (y >= LINES)
		return;
	move(y, 0);
	attron(head);
	hline(' ', COLS);
	attroff(head);
	for (i = 0; i < t->nr_fields; i++) {
		enum field f = t->fields[i];

		t->col_x[i] = x;
		field_head(cell, sizeof(cell), f);
		put(y, x, f == o->sort ? sort : head, cell);
		x += strlen(cell) + 1;
	}
	t->col_x[i] = i && t->fields[i - 1] == FIELD_COMMAND ? COLS : x;
}

static void draw_row(const struct tui *t, int y, const struct row *r, bool selected,
		     const struct field_ctx *c)
{
	char line[1024];
	attr_t a = A_NORMAL;

	fields_line(line, sizeof(line), t->fields, t->nr_fields, r, c);
	if (r->state == 'X')
		a = attr(t, P_EXITED, A_DIM);
	/* A cgroup's row whose tasks the kernel held back at its limit in the interval. */
	if (group_is_cgroup(c->group) && cg_throttled(c->cg, r->cgroup_id))
		a = attr(t, P_LIMIT, A_BOLD);
	if (selected) {
		a = attr(t, P_SELECT, A_REVERSE);
		move(y, 0);
		attron(a);
		hline(' ', COLS);
		attroff(a);
	}
	put(y, 0, a, line);
}

static void draw_table(struct tui *t)
{
	const struct model *m = t->f.m;
	struct field_ctx ctx;
	size_t i;

	settings_field_ctx(&ctx, t->st.set, t->f.cur, &m->cg, t->users);
	draw_table_head(t, t->lay.table_y);
	for (i = 0; i < (size_t)t->lay.nr_rows && t->st.top + i < m->nr_rows; i++)
		draw_row(t, t->lay.table_y + 1 + i, &m->rows[t->st.top + i],
			 t->st.top + i == t->st.sel, &ctx);
}

static void draw_detail(struct tui *t)
{
	const struct snapshot *s = t->f.cur;
	const struct row *r = state_selected(&t->st);
	struct model_opts mo = { .threads = true, .sort = FIELD_CPU, .descending = true,
				 .nr_pids = 1 };
	/* The threads' table: a thread's own name, no owner (the process's is above). */
	static const enum field f[] = { FIELD_PID, FIELD_STATE, FIELD_CPU, FIELD_USR, FIELD_SYS,
					FIELD_TIME, FIELD_COMMAND };
	const size_t nf = sizeof(f) / sizeof(f[0]);
	const struct field_ctx ctx = { .threads = true };
	int y = t->lay.table_y, bottom = LINES;
	float hist[HISTORY_LEN];
	char comm[4 * SNAP_COMM_LEN], time[16], line[256];
	double max = 100, age;
	size_t i, n;
	int err;

	if (t->st.gone) {
		putf(y, 0, A_BOLD, "%s %u has gone, or the filter hides it (Esc returns to the list)",
		     t->st.set->threads ? "Thread" : "Process", t->st.sel_pid);
		return;
	}
	if (!r) {
		put(y, 0, A_BOLD, "No process selected (Esc returns to the list)");
		return;
	}
	text_sanitize(comm, sizeof(comm), r->comm, sizeof(r->comm));
	text_time(time, sizeof(time), r->time_ns, 12);
	age = s->ts_ns > r->start_ns ? (s->ts_ns - r->start_ns) / 1e9 : 0;
	putf(y++, 0, attr(t, P_HEAD, A_REVERSE), " %s %u: %s (Esc returns to the list) ",
	     t->st.set->threads ? "Thread" : "Process", r->pid, comm);
	putf(y++, 0, A_NORMAL, "User %s (uid %u)  PPID %u  State %c  Threads %u",
	     users_name(r->uid, t->users), r->uid, r->ppid, r->state, r->nr_threads);
	putf(y++, 0, A_NORMAL, "Running for %.0f s  TIME+ %s  Average %.1f%% of a CPU", age, time,
	     age > 0 ? 100.0 * r->time_ns / 1e9 / age : 0);
	putf(y++, 0, A_NORMAL, "Last interval: %%CPU %.1f = %%USR %.1f + %%SYS %.1f  "
	     "(%.3f ms user, %.3f ms system)", r->cpu_pct, r->usr_pct, r->sys_pct,
	     r->user_ns / 1e6, r->sys_ns / 1e6);
	n = history_get(t->f.hist, r->pid, r->start_ns, hist);
	for (i = 0; i < n; i++)
		max = hist[i] > max ? hist[i] : max;
	max = 100 * (int)((max + 99.99) / 100);
	if (y + DETAIL_GRAPH_ROWS + 1 < bottom) {
		putf(y++, 0, A_BOLD, "%%CPU over the last %zu refreshes:", n);
		graph(t, y, 0, HISTORY_LEN + 5 < COLS ? HISTORY_LEN + 5 : COLS, DETAIL_GRAPH_ROWS,
		      hist, n, max);
		y += DETAIL_GRAPH_ROWS;
	}
	if (t->st.set->threads || y + 2 >= bottom)
		return;
	/* The threads: the same model, one row per thread of this process, ingested once. */
	mo.pids = &r->tgid;
	err = t->detail_seq == t->f.seq ? 0 : model_ingest(&t->detail_model, t->f.prev, s);
	t->detail_seq = err ? 0 : t->f.seq;
	if (err || model_present(&t->detail_model, &mo)) {
		put(y, 0, attr(t, P_ERROR, A_BOLD), "Threads: out of memory");
		return;
	}
	move(y, 0);
	attron(attr(t, P_HEAD, A_REVERSE));
	hline(' ', COLS);
	attroff(attr(t, P_HEAD, A_REVERSE));
	fields_line(line, sizeof(line), f, nf, NULL, &ctx);
	/* The PID column holds thread IDs here: its header says so, right-aligned. */
	memcpy(line + field_table[FIELD_PID].width - 3, "TID", 3);
	put(y++, 0, attr(t, P_HEAD, A_REVERSE), line);
	for (i = 0; i < t->detail_model.nr_rows && y < bottom; i++) {
		const struct row *th = &t->detail_model.rows[i];

		fields_line(line, sizeof(line), f, nf, th, &ctx);
		put(y++, 0, th->state == 'X' ? attr(t, P_EXITED, A_DIM) : A_NORMAL, line);
	}
}

/* The keys as their table has them, then what no key binding says. */
static void draw_help(const struct tui *t)
{
	static const char *const mouse[] = {
		"",
		"Mouse: click a column header to sort by it (again: reverse), click a row to",
		"select it, the wheel scrolls. Exited processes are dimmed, state X.",
		"",
	};
	char line[KEYS_HELP_COLS + 1];
	int y = t->lay.table_y, f, len;
	size_t i = 0;

	put(y++, 0, A_BOLD, "cputop keys (any key closes this help)");
	y++;
	while (keys_help_line(line, sizeof(line), &i, t->st.replay))
		put(y++, 0, A_NORMAL, line);
	for (i = 0; i < sizeof(mouse) / sizeof(mouse[0]); i++)
		put(y++, 0, A_NORMAL, mouse[i]);
	/* The field table's columns, as many to a line as fit; --help says what each is. */
	len = snprintf(line, sizeof(line), "Columns (f):");
	for (f = 0; f < FIELD_COLUMNS; f++) {
		if (len + 1 + (int)strlen(field_table[f].name) > KEYS_HELP_COLS) {
			put(y++, 0, A_NORMAL, line);
			len = 0;
		}
		len += snprintf(line + len, sizeof(line) - len, " %s", field_table[f].name);
	}
	put(y++, 0, A_NORMAL, line);
	put(y++, 0, A_NORMAL, "A - is a figure the source cannot give. cputop --help says what "
	    "each column is.");
	if (t->f.cur && t->f.cur->ipc_why[0])
		putf(y++, 0, A_NORMAL, "IPC (instructions per cycle) is unavailable: %s.",
		     t->f.cur->ipc_why);
	if (t->st.readonly)
		put(y, 0, A_BOLD, "Read-only: k and r are disabled.");
}

static void draw(struct tui *t)
{
	int y = 0;

	t->nr_fields = fields_view(t->fields, t->st.set->fields, t->st.set->nr_fields,
				   t->st.set->group);
	if (!t->have_frame)
		return;
	erase();
	layout_plan(t);
	if (t->lay.uptime)
		draw_uptime(t, y++);
	if (t->lay.tasks)
		draw_tasks(t, y++);
	if (t->lay.meters)
		y += draw_meters(t, y);
	if (t->lay.mem) {
		mem_meters(t, y, COLS);
		y += 2;
	}
	if (t->lay.graph) {
		size_t n = t->cpu_hist_n < GRAPH_MAX ? t->cpu_hist_n : GRAPH_MAX;
		float v[GRAPH_MAX];
		size_t i;

		for (i = 0; i < n; i++)
			v[i] = t->cpu_hist[(t->cpu_hist_n - n + i) % GRAPH_MAX];
		graph(t, y, 0, COLS, GRAPH_ROWS, v, n, 100);
		y += GRAPH_ROWS;
	}
	if (t->lay.sys) {
		draw_sys(t, y);
		y += SYS_ROWS;
	}
	if (t->lay.cpus)
		y += draw_cpus(t, y);
	if (t->lay.info)
		draw_info(t, y++);
	draw_status(t, t->lay.table_y - 1);
	t->st.page = t->lay.nr_rows;
	state_select_fix(&t->st);
	if (t->st.help)
		draw_help(t);
	else if (t->st.detail)
		draw_detail(t);
	else
		draw_table(t);
	/* The cursor sits at the end of a prompt's input, else it is hidden. */
	if (t->st.prompt) {
		char in[4 * sizeof(t->st.input)];
		int x;

		text_sanitize(in, sizeof(in), t->st.input, sizeof(t->st.input));
		x = (int)(text_cols(t->st.prompt_label) + text_cols(in));
		move(t->lay.table_y - 1, x < COLS ? x : COLS - 1);
		curs_set(1);
	} else {
		curs_set(0);
	}
	/* Ctrl-L: the terminal may hold what another program wrote over the view. */
	if (t->st.repaint) {
		clearok(curscr, TRUE);
		t->st.repaint = false;
	}
	refresh();
}

void tui_status(struct tui *t, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	state_vstatus(&t->st, error, fmt, ap);
	va_end(ap);
}

static void target_open(struct tui *t);

void tui_draw(struct tui *t, const struct tui_frame *f, bool fresh)
{
	t->f = *f;
	t->st.m = f->m;
	t->st.sample_ns = f->cur->wall_ns;
	t->have_frame = true;
	if (fresh) {
		const double *c = f->m->sum.all.pct;

		/* No point for an interval without /proc/stat: its zeros would draw 100%. */
		if (!f->m->sum.since_start && !f->m->sum.ticks_err)
			t->cpu_hist[t->cpu_hist_n++ % GRAPH_MAX] = 100.0 - c[CPU_IDLE] - c[CPU_IOWAIT];
		if (t->st.status[0] && ++t->st.status_frames > STATUS_FRAMES)
			t->st.status[0] = '\0';
		if (t->st.pending)
			target_open(t);
	}
	draw(t);
}

static void prompt_close(struct tui *t)
{
	t->st.prompt = PROMPT_NONE;
	if (t->target_fd >= 0)
		close(t->target_fd);
	t->target_fd = -1;
}

static void target_open(struct tui *t)
{
	const struct model *m = t->f.m;
	enum tui_prompt p = t->st.pending;
	char comm[4 * SNAP_COMM_LEN];
	const struct row *r = NULL;
	size_t i;

	t->st.pending = PROMPT_NONE;
	for (i = 0; i < m->nr_rows && !r; i++) {
		if (m->rows[i].pid == t->st.target_pid &&
		    m->rows[i].start_ns == t->st.target_start && m->rows[i].state != 'X')
			r = &m->rows[i];
	}
	if (!r) {
		tui_status(t, true, "PID %u has already exited", t->st.target_pid);
		return;
	}
	/*
	 * A pidfd names this process, not its number: should it exit while the prompt is open
	 * and its PID be reused, the signal fails instead of hitting the newcomer. A thread
	 * other than the leader has no process pidfd (EINVAL): kill() by number then, which
	 * signals the whole process, as kill(1) does with a TID.
	 */
	t->target_fd = pidfd_open(r->pid, 0);
	if (t->target_fd < 0 && !(errno == EINVAL && r->pid != r->tgid)) {
		tui_status(t, true, "PID %u: %s", r->pid, errno == ESRCH ?
			   "it has already exited" : strerror(errno));
		return;
	}
	text_sanitize(comm, sizeof(comm), r->comm, sizeof(r->comm));
	snprintf(t->target_name, sizeof(t->target_name), "%u (%s)", r->pid, comm);
	if (p == PROMPT_KILL)
		state_prompt_open(&t->st, p, "", "Send PID %s signal [TERM]: ", t->target_name);
	else
		state_prompt_open(&t->st, p, "", "Renice PID %s to value: ", t->target_name);
}

static void kill_send(struct tui *t)
{
	const char *name;
	int sig = SIGTERM, err;

	if (t->st.input[0] && text_signal(t->st.input, &sig)) {
		tui_status(t, true, "'%s' is not a signal (a number, or a name like TERM or KILL)",
			   t->st.input);
		return;
	}
	err = t->target_fd >= 0 ? pidfd_send_signal(t->target_fd, sig, NULL, 0) :
	      kill(t->st.target_pid, sig);
	name = sigabbrev_np(sig);
	if (err && errno == ESRCH)
		tui_status(t, true, "PID %u has already exited", t->st.target_pid);
	else if (err)
		tui_status(t, true, "kill PID %u: %s", t->st.target_pid, strerror(errno));
	else if (name)
		tui_status(t, false, "Sent SIG%s to PID %u", name, t->st.target_pid);
	else
		tui_status(t, false, "Sent signal %d to PID %u", sig, t->st.target_pid);
}

/*
 * setpriority() acts on one thread. In process mode every live thread of the process in the
 * latest snapshot is reniced, so the whole process is, as the user means; threads it starts
 * later inherit the value from the thread that creates them.
 */
static void renice(struct tui *t)
{
	const struct snapshot *s = t->f.cur;
	unsigned int done = 0, failed = 0;
	int first_err = 0;
	char *end;
	size_t i;
	long v;

	errno = 0;
	v = strtol(t->st.input, &end, 10);
	if (!t->st.input[0] || *end || errno || v < -20 || v > 19) {
		tui_status(t, true, "'%s' is not a nice value (-20 to 19)", t->st.input);
		return;
	}
	/* The pidfd says whether the process is still the one asked about. */
	if (t->target_fd >= 0 && pidfd_send_signal(t->target_fd, 0, NULL, 0) && errno == ESRCH) {
		tui_status(t, true, "PID %u has already exited", t->st.target_pid);
		return;
	}
	for (i = 0; i < s->nr_tasks; i++) {
		const struct snap_task *k = &s->tasks[i];
		bool mine = t->st.set->threads ?
			    k->tid == t->st.target_pid && k->start_ns == t->st.target_start :
			    k->tgid == t->st.target_pid && k->leader_start_ns == t->st.target_start;

		if (!mine || k->exit_ns)
			continue;
		if (setpriority(PRIO_PROCESS, k->tid, v)) {
			first_err = first_err ? first_err : errno;
			failed++;
		} else {
			done++;
		}
	}
	if (!done && !failed)
		tui_status(t, true, "PID %u has already exited", t->st.target_pid);
	else if (!done)
		tui_status(t, true, "renice PID %u: %s", t->st.target_pid,
			   first_err == ESRCH ? "it has already exited" : strerror(first_err));
	else if (failed)
		tui_status(t, true, "PID %u: %u threads reniced to %ld, %u failed (%s)",
			   t->st.target_pid, done, v, failed, strerror(first_err));
	else
		tui_status(t, false, "PID %u reniced to %ld (%u thread%s)", t->st.target_pid, v,
			   done, done == 1 ? "" : "s");
}

/* The prompt's answer as the rc file's setting @k would read; what is wrong goes to the status. */
static bool prompt_setting(struct tui *t, enum setting k)
{
	char err[256];

	if (!settings_set(t->st.set, k, setting_names[k], t->st.input, err, sizeof(err)))
		return true;
	tui_status(t, true, "%s", err);
	return false;
}

static void prompt_done(struct tui *t, struct tui_ctl *ctl)
{
	struct settings *o = t->st.set;

	switch (t->st.prompt) {
	case PROMPT_FILTER:
		if (*o->filter)
			tui_status(t, false, "Showing commands containing '%s'", o->filter);
		break;
	case PROMPT_USER: case PROMPT_FIELDS:
		if (prompt_setting(t, t->st.prompt == PROMPT_USER ? SET_USER : SET_FIELDS))
			ctl->remodel = true;
		break;
	case PROMPT_DELAY:
		if (t->st.input[0])
			prompt_setting(t, SET_DELAY);
		break;
	case PROMPT_KILL:
		kill_send(t);
		break;
	case PROMPT_RENICE:
		renice(t);
		break;
	case PROMPT_TIME:
		if (t->st.input[0])
			state_jump(&t->st, t->st.input);
		break;
	case PROMPT_NONE:
		break;
	}
	prompt_close(t);
}

static void prompt_key(struct tui *t, int ch, struct tui_ctl *ctl)
{
	size_t len = strlen(t->st.input);

	switch (ch) {
	case '\n': case '\r': case KEY_ENTER:
		prompt_done(t, ctl);
		return;
	case KEY_ESC:
		if (t->st.prompt == PROMPT_FILTER) {
			t->st.set->filter[0] = '\0';
			ctl->remodel = true;
		}
		prompt_close(t);
		return;
	case KEY_BACKSPACE: case 127: case '\b':
		/* A whole UTF-8 character: its continuation bytes and its lead byte. */
		while (len && (t->st.input[len - 1] & 0xc0) == 0x80)
			len--;
		if (len)
			len--;
		t->st.input[len] = '\0';
		break;
	case KEY_CTRL('u'):
		t->st.input[0] = '\0';
		break;
	default:
		if (ch < 0x20 || ch > 0xff || ch == 127 || len + 1 >= sizeof(t->st.input) ||
		    (t->st.prompt == PROMPT_FILTER && len + 1 >= SETTINGS_FILTER_LEN))
			return;
		t->st.input[len] = ch;
		t->st.input[len + 1] = '\0';
	}
	/* The filter narrows the table as it is typed. */
	if (t->st.prompt == PROMPT_FILTER) {
		prompt_setting(t, SET_FILTER);
		ctl->remodel = true;
	}
}

static void mouse(struct tui *t)
{
	const struct layout *l = &t->lay;
	MEVENT ev;
	size_t i;

	if (getmouse(&ev) != OK || t->st.help || t->st.prompt)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		state_select_move(&t->st, -3);
	} else if (ev.bstate & BUTTON5_PRESSED) {
		state_select_move(&t->st, 3);
	} else if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) {
		if (t->st.detail)
			return;
		if (ev.y == l->table_y) {
			for (i = 0; i < t->nr_fields; i++) {
				if (ev.x >= t->col_x[i] && ev.x < t->col_x[i + 1]) {
					state_sort_by(&t->st, t->fields[i]);
					break;
				}
			}
		} else if (ev.y > l->table_y && ev.y <= l->table_y + l->nr_rows) {
			state_select_move(&t->st, (long)(t->st.top + ev.y - l->table_y - 1) -
					  (long)t->st.sel);
		}
	}
}

void tui_input(struct tui *t, struct tui_ctl *ctl)
{
	const struct key_binding *b;
	bool any = false;
	int ch;

	t->st.ctl = ctl;
	/*
	 * Keys typed after q are the shell's: they stay unread. Keys typed after k or r are the
	 * prompt's, which opens with the next snapshot: they wait for it.
	 */
	while (!ctl->quit && !t->st.pending && (ch = getch()) != ERR) {
		any = true;
		if (ch == KEY_RESIZE)
			continue;	/* ncurses has the new size: the redraw below lays out */
		if (t->st.prompt)
			prompt_key(t, ch, ctl);
		else if (t->st.help)
			t->st.help = false;
		else if (ch == KEY_MOUSE)
			mouse(t);	/* no key of the table: the event is ncurses' to read */
		else if ((b = keys_find(ch, t->st.replay)))
			b->act(&t->st);
	}
	if (any)
		draw(t);
}

static void colors_init(struct tui *t)
{
	static const struct { enum pair p; short fg, bg; } pairs[] = {
		{ P_USER, COLOR_GREEN, -1 }, { P_NICE, COLOR_BLUE, -1 },
		{ P_SYSTEM, COLOR_RED, -1 }, { P_IRQ, COLOR_YELLOW, -1 },
		{ P_SOFTIRQ, COLOR_MAGENTA, -1 }, { P_STEAL, COLOR_CYAN, -1 },
		{ P_IOWAIT, COLOR_WHITE, -1 }, { P_MEM_USED, COLOR_GREEN, -1 },
		{ P_MEM_BUF, COLOR_BLUE, -1 }, { P_MEM_CACHE, COLOR_YELLOW, -1 },
		{ P_SWAP, COLOR_RED, -1 }, { P_LABEL, COLOR_CYAN, -1 },
		{ P_HEAD, COLOR_BLACK, COLOR_GREEN }, { P_SORT, COLOR_BLACK, COLOR_CYAN },
		{ P_SELECT, COLOR_BLACK, COLOR_CYAN }, { P_ERROR, COLOR_RED, -1 },
		{ P_GRAPH, COLOR_CYAN, -1 }, { P_EXITED, COLOR_BLUE, -1 },
		{ P_LIMIT, COLOR_YELLOW, -1 },
	};
	const char *no_color = getenv("NO_COLOR");
	size_t i;

	/* no-color.org: NO_COLOR set and not empty means no colour. */
	t->color = has_colors() && !(no_color && *no_color) && start_color() == OK;
	if (!t->color)
		return;
	use_default_colors();
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		init_pair(pairs[i].p, pairs[i].fg, pairs[i].bg);
}

int tui_open(struct tui **out, struct settings *set, bool readonly, bool replay,
	     struct users *users, const char *rc_path)
{
	struct tui *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (!t)
		return -ENOMEM;
	t->st.set = set;
	t->st.readonly = readonly;
	t->st.replay = replay;
	t->nr_fields = fields_view(t->fields, set->fields, set->nr_fields, set->group);
	t->users = users;
	t->st.rc_path = rc_path;
	t->target_fd = -1;
	setlocale(LC_CTYPE, "");
	t->utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	/* newterm, not initscr: no terminal is an error to report, not an exit. */
	t->screen = newterm(NULL, stdout, stdin);
	if (!t->screen) {
		free(t);
		return -ENOTTY;
	}
	set_escdelay(25);	/* Esc alone is a key here; escape sequences come at once */
	cbreak();		/* Ctrl-C still interrupts: SIGINT ends the loop cleanly */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	/* Presses, not clicks: no click-resolution delay, and a click is two events. */
	mouseinterval(0);
	mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	colors_init(t);
	*out = t;
	return 0;
}

size_t tui_folded(const struct tui *t, const struct row_key **keys)
{
	*keys = t->st.folded;
	return t->st.nr_folded;
}

void tui_close(struct tui *t)
{
	if (!t)
		return;
	prompt_close(t);
	endwin();
	delscreen(t->screen);
	model_free(&t->detail_model);
	free(t);
}
