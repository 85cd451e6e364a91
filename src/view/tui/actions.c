// SPDX-License-Identifier: GPL-2.0
/*
 * The interactive view's actions on its state: no ncurses here, so that tests drive each key
 * without a terminal. What reaches outside the view stays in tui.c (drawing, the mouse, the
 * pidfd, kill, renice); W writes the rc file here, at a path the caller chooses.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/text.h"
#include "lib/when.h"
#include "model/fields.h"
#include "view/tui/actions.h"
#include "view/tui/rc.h"

void state_vstatus(struct tui_state *s, bool error, const char *fmt, va_list ap)
{
	char raw[sizeof(s->status)];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	/* Messages quote user input and process names: they are sanitised like the table. */
	text_sanitize(s->status, sizeof(s->status), raw, sizeof(raw));
	s->status_error = error;
	s->status_frames = 0;
}

void state_status(struct tui_state *s, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	state_vstatus(s, error, fmt, ap);
	va_end(ap);
}

const struct row *state_selected(const struct tui_state *s)
{
	/* Not the row now at the gone one's place: k must never hit another process. */
	return s->m && !s->gone && s->sel < s->m->nr_rows ? &s->m->rows[s->sel] : NULL;
}

void state_select_move(struct tui_state *s, long delta)
{
	size_t n = s->m ? s->m->nr_rows : 0;
	long sel = (long)s->sel + delta;

	if (!n)
		return;
	s->sel = sel < 0 ? 0 : (size_t)sel >= n ? n - 1 : (size_t)sel;
	s->sel_pid = s->m->rows[s->sel].pid;
	s->sel_start = s->m->rows[s->sel].start_ns;
	s->follow = true;
}

void state_select_fix(struct tui_state *s)
{
	const struct model *m = s->m;
	size_t i, rows = s->page;

	s->gone = false;
	if (s->follow) {
		for (i = 0; i < m->nr_rows && (m->rows[i].pid != s->sel_pid ||
					      m->rows[i].start_ns != s->sel_start); i++)
			;
		if (i < m->nr_rows)
			s->sel = i;
		/* The detail pane stays with its process, even once it has gone. */
		s->gone = i == m->nr_rows && s->detail;
	}
	if (s->gone)
		return;
	if (s->sel >= m->nr_rows)
		s->sel = m->nr_rows ? m->nr_rows - 1 : 0;
	if (m->nr_rows) {
		s->sel_pid = m->rows[s->sel].pid;
		s->sel_start = m->rows[s->sel].start_ns;
	}
	if (s->sel < s->top)
		s->top = s->sel;
	if (rows && s->sel >= s->top + rows)
		s->top = s->sel - rows + 1;
	if (s->top + rows > m->nr_rows)
		s->top = m->nr_rows > rows ? m->nr_rows - rows : 0;
}

/* top's sort keys: each field in its natural direction (numbers high first, PID low). */
static void sort_to(struct tui_state *s, enum field f)
{
	s->set->sort = f;
	s->set->descending = field_table[f].descends;
	s->ctl->remodel = true;
}

void state_sort_by(struct tui_state *s, enum field f)
{
	bool again = s->set->sort == f, descending = s->set->descending;

	sort_to(s, f);
	if (again)
		s->set->descending = !descending;
}

/* < and >: the sort moves to the next column shown, as in top. */
static void sort_step(struct tui_state *s, int dir)
{
	const struct settings *o = s->set;
	enum field fields[FIELD_COLUMNS];
	size_t i, n = fields_view(fields, o->fields, o->nr_fields, o->group);

	for (i = 0; i < n && fields[i] != o->sort; i++)
		;
	sort_to(s, fields[i == n ? 0 : (i + n + dir) % n]);
}

void state_prompt_open(struct tui_state *s, enum tui_prompt p, const char *initial,
		       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->prompt_label, sizeof(s->prompt_label), fmt, ap);
	va_end(ap);
	snprintf(s->input, sizeof(s->input), "%s", initial);
	s->prompt = p;
	s->status[0] = '\0';
}

/*
 * - and +: fold the selected tree row's subtree into it, or unfold it. Folds are remembered by
 * process identity, so a fold follows its row through re-sorts and refreshes.
 */
static void fold_toggle(struct tui_state *s, bool fold)
{
	const struct row *r = state_selected(s);
	size_t i;

	if (!s->set->tree || !r) {
		state_status(s, true, "- and + fold and unfold subtrees of the tree (V)");
		return;
	}
	for (i = 0; i < s->nr_folded; i++) {
		if (s->folded[i].pid == r->pid && s->folded[i].start_ns == r->start_ns)
			break;
	}
	if (fold && i == s->nr_folded) {
		if (s->nr_folded == TUI_FOLDED_MAX)
			memmove(s->folded, s->folded + 1, --s->nr_folded * sizeof(*s->folded));
		s->folded[s->nr_folded++] = (struct row_key){ r->pid, r->start_ns };
	} else if (!fold && i < s->nr_folded) {
		memmove(s->folded + i, s->folded + i + 1,
			(--s->nr_folded - i) * sizeof(*s->folded));
	}
	s->ctl->remodel = true;
}

/*
 * k and r: the selected row is checked against a snapshot read for it (the one shown may be a
 * delay old, or paused for hours, and its PID reused since), then held by a pidfd while the
 * prompt is open. This asks for that snapshot; the view opens the prompt when it is drawn.
 */
static void target_request(struct tui_state *s, enum tui_prompt p)
{
	const struct row *r = state_selected(s);

	if (s->readonly) {
		state_status(s, true, "Read-only (--readonly): %s is disabled",
			     p == PROMPT_KILL ? "kill" : "renice");
		return;
	}
	if (s->set->group) {
		state_status(s, true, "A program is many processes: a leaves the per-program view");
		return;
	}
	if (!r) {
		state_status(s, true, "No process selected");
		return;
	}
	if (r->state == 'X') {
		state_status(s, true, "PID %u has already exited", r->pid);
		return;
	}
	s->pending = p;
	s->target_pid = r->pid;
	s->target_start = r->start_ns;
	s->ctl->refresh = true;
}

void action_quit(struct tui_state *s)
{
	if (s->detail)
		s->detail = false;
	else
		s->ctl->quit = true;
}

void action_back(struct tui_state *s)
{
	s->detail = false;
}

void action_help(struct tui_state *s)
{
	s->help = true;
}

void action_sort_cpu(struct tui_state *s)
{
	sort_to(s, FIELD_CPU);
}

void action_sort_time(struct tui_state *s)
{
	sort_to(s, FIELD_TIME);
}

void action_sort_pid(struct tui_state *s)
{
	sort_to(s, FIELD_PID);
}

void action_sort_left(struct tui_state *s)
{
	sort_step(s, -1);
}

void action_sort_right(struct tui_state *s)
{
	sort_step(s, 1);
}

void action_reverse(struct tui_state *s)
{
	s->set->descending = !s->set->descending;
	s->ctl->remodel = true;
}

void action_threads(struct tui_state *s)
{
	struct settings *o = s->set;

	o->threads = !o->threads;
	s->ctl->remodel = true;
	state_status(s, false, "Threads %s", o->threads ? "shown" : "folded into processes");
}

/* The header's parts change the layout alone: no new rows. */
void action_meters(struct tui_state *s)
{
	s->set->cpu_total = !s->set->cpu_total;
}

void action_graph(struct tui_state *s)
{
	s->set->no_graph = !s->set->no_graph;
}

void action_cpus(struct tui_state *s)
{
	s->set->cpus = !s->set->cpus;
}

void action_metrics(struct tui_state *s)
{
	s->set->no_metrics = !s->set->no_metrics;
}

/*
 * a and V: a group has no tree and a tree no group, so each turns the other off; but cgroups
 * are a tree, and V in the per-cgroup view shows theirs.
 */
void action_group(struct tui_state *s)
{
	static const char *const said[GROUP_NR] = {
		[GROUP_NONE] = "One row per process",
		[GROUP_COMM] = "Per program: by command (a: by user)",
		[GROUP_USER] = "Per program: by user (a: by cgroup)",
		[GROUP_CGROUP] = "Per cgroup, with its limit, throttling and pressure (a: by unit)",
		[GROUP_UNIT] = "Per systemd unit (a: by container)",
		[GROUP_CONTAINER] = "Per container (a: back to processes)",
	};
	struct settings *o = s->set;

	o->group = (o->group + 1) % GROUP_NR;
	o->tree = false;
	s->ctl->remodel = true;
	state_status(s, false, "%s", said[o->group]);
}

void action_tree(struct tui_state *s)
{
	struct settings *o = s->set;

	o->tree = !o->tree;
	s->ctl->remodel = true;
	if (o->group == GROUP_CGROUP) {
		state_status(s, false, o->tree ? "Cgroup tree: a row holds its subtree (- folds it)" :
			     "Tree off");
		return;
	}
	o->group = GROUP_NONE;
	state_status(s, false, o->tree ? "Process tree (- folds the selected subtree)" :
		     "Tree off");
}

void action_fold(struct tui_state *s)
{
	fold_toggle(s, true);
}

void action_unfold(struct tui_state *s)
{
	fold_toggle(s, false);
}

void action_fields(struct tui_state *s)
{
	const struct settings *o = s->set;
	char list[sizeof(s->input)];
	size_t i, n = 0;

	for (i = 0; i < o->nr_fields; i++)
		n += snprintf(list + n, sizeof(list) - n, "%s%s", i ? "," : "",
			      field_table[o->fields[i]].name);
	state_prompt_open(s, PROMPT_FIELDS, list, "Columns (h lists them): ");
}

void action_filter(struct tui_state *s)
{
	state_prompt_open(s, PROMPT_FILTER, s->set->filter, "Filter commands (Esc clears): ");
}

void action_user(struct tui_state *s)
{
	state_prompt_open(s, PROMPT_USER, "", "Show only user (empty for all): ");
}

void action_delay(struct tui_state *s)
{
	state_prompt_open(s, PROMPT_DELAY, "", "Delay in seconds [%g]: ", s->set->delay_s);
}

void action_kill(struct tui_state *s)
{
	target_request(s, PROMPT_KILL);
}

void action_renice(struct tui_state *s)
{
	target_request(s, PROMPT_RENICE);
}

void action_refresh(struct tui_state *s)
{
	s->ctl->refresh = true;
}

/* Z: accounting goes on while paused; resuming shows a fresh snapshot at once. */
void action_pause(struct tui_state *s)
{
	struct tui_ctl *ctl = s->ctl;

	if (s->replay) {
		action_play(s);
		return;
	}
	ctl->paused = !ctl->paused;
	state_status(s, false, ctl->paused ? "Paused: the display is frozen, accounting goes "
		     "on (Z resumes)" : "Resumed");
	if (!ctl->paused)
		ctl->refresh = true;
}

/* t: a step needs no pause first; playing goes on from the sample stepped to. Keys add up. */
void action_step_next(struct tui_state *s)
{
	s->ctl->step++;
}

void action_step_back(struct tui_state *s)
{
	s->ctl->step--;
}

void action_jump(struct tui_state *s)
{
	state_prompt_open(s, PROMPT_TIME, "", "Jump to (HH:MM, YYYY-MM-DD HH:MM:SS, -1h, "
			  "yesterday 14:00): ");
}

int state_jump(struct tui_state *s, const char *when)
{
	int64_t ns;

	/* Relative times count from the sample shown: -10m is ten minutes before it. */
	if (when_parse(when, s->sample_ns, &ns)) {
		state_status(s, true, "Not a time: '%s' (HH:MM, YYYY-MM-DD HH:MM:SS, -1h, "
			     "yesterday 14:00)", when);
		return -EINVAL;
	}
	s->ctl->jump = true;
	s->ctl->jump_ns = ns;
	return 0;
}

/* space in a replay: samples come one a delay while playing. */
void action_play(struct tui_state *s)
{
	struct tui_ctl *ctl = s->ctl;

	ctl->paused = !ctl->paused;
	state_status(s, false, ctl->paused ? "Paused (space plays, t and T step, b jumps)" :
		     "Playing: a sample every %gs", s->set->delay_s);
}

void action_save(struct tui_state *s)
{
	int err = s->rc_path ? rc_save(s->set, s->rc_path) : -ENOENT;

	if (err)
		state_status(s, true, "Cannot write %s: %s", s->rc_path ? s->rc_path :
			     "the rc file (no home directory)", strerror(-err));
	else
		state_status(s, false, "Wrote %s", s->rc_path);
}

/* Enter: the detail pane is one process's, never a program's many. */
void action_details(struct tui_state *s)
{
	const struct row *r = s->set->group ? NULL : state_selected(s);

	s->detail = r && !s->detail;
	if (r)
		state_select_move(s, 0);	/* the pane stays on this process */
}

void action_up(struct tui_state *s)
{
	state_select_move(s, -1);
}

void action_down(struct tui_state *s)
{
	state_select_move(s, 1);
}

void action_page_up(struct tui_state *s)
{
	state_select_move(s, -(long)(s->page ? s->page : 1));
}

void action_page_down(struct tui_state *s)
{
	state_select_move(s, s->page ? s->page : 1);
}

void action_home(struct tui_state *s)
{
	state_select_move(s, -(long)s->sel);
}

void action_end(struct tui_state *s)
{
	state_select_move(s, s->m ? (long)s->m->nr_rows : 0);
}

void action_repaint(struct tui_state *s)
{
	s->repaint = true;
}
