// SPDX-License-Identifier: GPL-2.0
/*
 * The interactive view's keys without a terminal: the binding table (every key bound once, to
 * the action it had), the help generated from it, and each action on a plain view state over
 * five hand-made rows. W writes into a fresh directory under /tmp.
 */
#include <curses.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "view/tui/actions.h"
#include "view/tui/keys.h"
#include "view/tui/rc.h"

#define NR_ROWS 5
#define RC_NAME "cputoprc"
#define FILE_NAME "file"

struct fixture {
	struct settings set;
	struct tui_ctl ctl;
	struct row rows[NR_ROWS];
	struct model m;
	struct tui_state s;
	char dir[64];
};

/* Five live processes, PIDs 100 to 140, two rows to a page, the first one selected. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	size_t i;

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/cputop-test-keys.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	settings_init(&f->set);
	for (i = 0; i < NR_ROWS; i++) {
		f->rows[i].pid = f->rows[i].tgid = 100 + 10 * i;
		f->rows[i].start_ns = 1000 + i;
		f->rows[i].state = 'S';
	}
	f->m.rows = f->rows;
	f->m.nr_rows = NR_ROWS;
	f->s.set = &f->set;
	f->s.ctl = &f->ctl;
	f->s.m = &f->m;
	f->s.page = 2;
	*state = f;
	return 0;
}

/* The directory as the tests leave it: at most W's file and test_save_fails()'s. */
static int teardown(void **state)
{
	struct fixture *f = *state;
	char path[128];

	snprintf(path, sizeof(path), "%s/" RC_NAME, f->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/" FILE_NAME, f->dir);
	unlink(path);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Key @ch as the view reads it: through the table, in a replay when the state is one. */
static void press(struct fixture *f, int ch)
{
	const struct key_binding *b = keys_find(ch, f->s.replay);

	if (!b)
		fail_msg("key %d is not bound", ch);
	b->act(&f->s);
}

/* ---- The table ---- */

/* Every key the view had before its table, on the action that does what that key did. */
static void test_table_keys(void **state)
{
	static const struct {
		int ch;
		void (*act)(struct tui_state *s);
	} want[] = {
		{ 'q', action_quit }, { KEY_ESC, action_back }, { 'h', action_help },
		{ '?', action_help }, { KEY_F(1), action_help }, { 'P', action_sort_cpu },
		{ 'T', action_sort_time }, { 'N', action_sort_pid }, { '<', action_sort_left },
		{ '>', action_sort_right }, { 'R', action_reverse }, { 'H', action_threads },
		{ '1', action_meters }, { 'g', action_graph }, { 'c', action_cpus },
		{ 'm', action_metrics }, { 'a', action_group }, { 'V', action_tree },
		{ '-', action_fold }, { '+', action_unfold }, { 'f', action_fields },
		{ '/', action_filter }, { 'o', action_filter }, { 'u', action_user },
		{ 'd', action_delay }, { 's', action_delay }, { 'k', action_kill },
		{ 'r', action_renice }, { ' ', action_refresh }, { 'Z', action_pause },
		{ 'W', action_save }, { '\n', action_details }, { '\r', action_details },
		{ KEY_ENTER, action_details }, { KEY_UP, action_up }, { KEY_DOWN, action_down },
		{ KEY_PPAGE, action_page_up }, { KEY_NPAGE, action_page_down },
		{ KEY_HOME, action_home }, { KEY_END, action_end },
		{ KEY_CTRL('l'), action_repaint },
	};
	size_t i, codes = 0;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct key_binding *b = keys_find(want[i].ch, false);

		if (!b || b->act != want[i].act)
			fail_msg("key %d (entry %zu) is not on its action", want[i].ch, i);
	}
	/* And nothing else: each of those keys once, no other. */
	for (i = 0; i < nr_key_bindings; i++) {
		size_t k;

		for (k = 0; k < KEYS_CODES_MAX && key_bindings[i].codes[k]; k++)
			codes += key_bindings[i].mode != KEYS_REPLAY;
	}
	assert_int_equal(codes, sizeof(want) / sizeof(want[0]));
}

/* A replay: the keys of time where the live view sorts by TIME+ and refreshes; none signal. */
static void test_table_replay(void **state)
{
	static const struct {
		int ch;
		void (*act)(struct tui_state *s);
	} want[] = {
		{ 't', action_step_next }, { 'T', action_step_back }, { 'b', action_jump },
		{ ' ', action_play }, { 'Z', action_pause }, { 'P', action_sort_cpu },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct key_binding *b = keys_find(want[i].ch, true);

		if (!b || b->act != want[i].act)
			fail_msg("replay key %d is not on its action", want[i].ch);
	}
	assert_null(keys_find('k', true));
	assert_null(keys_find('r', true));
	assert_null(keys_find('t', false));
	assert_null(keys_find('b', false));
}

/* A key is bound once; a binding has names, an action and help; other keys do nothing. */
static void test_table_well_formed(void **state)
{
	static const int unbound[] = { 'x', 'Q', 0, KEY_MOUSE, KEY_RESIZE, KEY_F(2), 127 };
	size_t i, k;

	(void)state;
	for (i = 0; i < nr_key_bindings; i++) {
		const struct key_binding *b = &key_bindings[i];

		assert_non_null(b->act);
		assert_true(b->names && *b->names);
		assert_true(b->help && *b->help);
		assert_true(b->codes[0]);
		for (k = 0; k < KEYS_CODES_MAX && b->codes[k]; k++) {
			if ((b->mode != KEYS_REPLAY && keys_find(b->codes[k], false) != b) ||
			    (b->mode != KEYS_LIVE && keys_find(b->codes[k], true) != b))
				fail_msg("key %d of '%s' is bound twice", b->codes[k], b->names);
		}
	}
	for (i = 0; i < sizeof(unbound) / sizeof(unbound[0]); i++) {
		assert_null(keys_find(unbound[i], false));
		assert_null(keys_find(unbound[i], true));
	}
}

/* The help lines of the live view or a @replay, all of them; returns how many. */
static size_t help_lines(char (*lines)[256], size_t max, bool replay)
{
	size_t n = 0, next = 0;

	while (n < max && keys_help_line(lines[n], sizeof(lines[n]), &next, replay))
		n++;
	assert_int_equal(next, nr_key_bindings);
	return n;
}

/*
 * The help fits 80 columns and names every binding's keys and what it does, of the live view
 * or a replay, and no other's.
 */
static void help_check(bool replay)
{
	char lines[64][256], all[64 * 256] = "";
	size_t i, n = help_lines(lines, 64, replay);

	for (i = 0; i < n; i++) {
		if (strlen(lines[i]) > KEYS_HELP_COLS)
			fail_msg("help line %zu is %zu columns: '%s'", i, strlen(lines[i]),
				 lines[i]);
		strcat(all, lines[i]);
		strcat(all, "\n");
	}
	for (i = 0; i < nr_key_bindings; i++) {
		bool holds = key_bindings[i].mode == KEYS_ALL ||
			     key_bindings[i].mode == (replay ? KEYS_REPLAY : KEYS_LIVE);

		if (holds != !!strstr(all, key_bindings[i].help))
			fail_msg("the help %s '%s'", holds ? "lacks" : "has", key_bindings[i].help);
		if (holds && !strstr(all, key_bindings[i].names))
			fail_msg("the help lacks '%s'", key_bindings[i].names);
	}
}

static void test_help_lists_every_binding(void **state)
{
	char lines[64][256];
	size_t n = help_lines(lines, 64, false);

	(void)state;
	help_check(false);
	help_check(true);
	/* Fewer lines than bindings: short items share lines, shared words one item. */
	assert_true(n < nr_key_bindings / 2 + 2);
}

/* Two short items to a line, the second at mid-width; keys sharing words share an item. */
static void test_help_layout(void **state)
{
	char lines[64][256];
	size_t i, n = help_lines(lines, 64, false);
	bool moves = false;

	(void)state;
	assert_string_equal(lines[0], "  q        quit (or close the details)  h ? F1   this help");
	for (i = 0; i < n; i++)
		moves |= !strcmp(lines[i], "  Up Down PgUp PgDn Home End   "
				 "move the selection (the mouse too)");
	assert_true(moves);
}

/* ---- A replay's keys ---- */

static void test_replay_steps(void **state)
{
	struct fixture *f = *state;

	f->s.replay = true;
	press(f, 't');
	assert_int_equal(f->ctl.step, 1);
	/* Keys typed faster than the samples come add up. */
	press(f, 't');
	assert_int_equal(f->ctl.step, 2);
	f->ctl.step = 0;
	press(f, 'T');
	press(f, 'T');
	assert_int_equal(f->ctl.step, -2);
	/* Space and Z both pause and play: no refresh, the next sample comes a delay later. */
	press(f, ' ');
	assert_true(f->ctl.paused);
	press(f, 'Z');
	assert_false(f->ctl.paused);
	assert_false(f->ctl.refresh);
}

/* b asks for a time; relative ones count from the sample shown; a wrong one says so. */
static void test_replay_jump(void **state)
{
	struct fixture *f = *state;

	f->s.replay = true;
	f->s.sample_ns = 1800000000000000000ll;
	press(f, 'b');
	assert_int_equal(f->s.prompt, PROMPT_TIME);
	assert_int_equal(state_jump(&f->s, "-10m"), 0);
	assert_true(f->ctl.jump);
	assert_true(f->ctl.jump_ns == f->s.sample_ns - 600000000000ll);
	f->ctl.jump = false;
	assert_int_equal(state_jump(&f->s, "a while ago"), -EINVAL);
	assert_false(f->ctl.jump);
	assert_true(f->s.status_error);
	assert_non_null(strstr(f->s.status, "a while ago"));
}

/* ---- Quitting, help, details ---- */

static void test_quit(void **state)
{
	struct fixture *f = *state;

	f->s.detail = true;
	press(f, 'q');
	assert_false(f->s.detail);
	assert_false(f->ctl.quit);
	press(f, 'q');
	assert_true(f->ctl.quit);
}

static void test_escape(void **state)
{
	struct fixture *f = *state;

	f->s.detail = true;
	press(f, KEY_ESC);
	assert_false(f->s.detail);
	press(f, KEY_ESC);
	assert_false(f->ctl.quit);
}

static void test_help(void **state)
{
	struct fixture *f = *state;
	static const int keys[] = { 'h', '?', KEY_F(1) };
	size_t i;

	for (i = 0; i < 3; i++) {
		f->s.help = false;
		press(f, keys[i]);
		assert_true(f->s.help);
	}
}

/* Enter opens the selected process's details, and follows it; Enter again closes them. */
static void test_details(void **state)
{
	struct fixture *f = *state;

	f->s.sel = 2;
	press(f, '\n');
	assert_true(f->s.detail);
	assert_true(f->s.follow);
	assert_int_equal(f->s.sel_pid, 120);
	assert_int_equal(f->s.sel_start, 1002);
	press(f, '\r');
	assert_false(f->s.detail);
	press(f, KEY_ENTER);
	assert_true(f->s.detail);
}

/* No details for a program's many processes, nor without a row, nor once it has gone. */
static void test_details_refused(void **state)
{
	struct fixture *f = *state;

	f->set.group = GROUP_COMM;
	press(f, '\n');
	assert_false(f->s.detail);
	f->set.group = GROUP_NONE;
	f->m.nr_rows = 0;
	press(f, '\n');
	assert_false(f->s.detail);
	f->m.nr_rows = NR_ROWS;
	f->s.detail = f->s.gone = true;
	press(f, '\n');
	assert_false(f->s.detail);
}

/* ---- Sorting ---- */

static void expect_sort(struct fixture *f, enum field sort, bool descending)
{
	assert_int_equal(f->set.sort, sort);
	assert_int_equal(f->set.descending, descending);
	assert_true(f->ctl.remodel);
	f->ctl.remodel = false;
}

/* top's keys: each field in its natural direction, whatever the direction was. */
static void test_sort_keys(void **state)
{
	struct fixture *f = *state;

	press(f, 'N');
	expect_sort(f, FIELD_PID, false);
	f->set.descending = true;
	press(f, 'T');
	expect_sort(f, FIELD_TIME, true);
	f->set.descending = false;
	press(f, 'P');
	expect_sort(f, FIELD_CPU, true);
	press(f, 'N');
	expect_sort(f, FIELD_PID, false);
}

/* < and > walk the columns shown, round from either end. */
static void test_sort_step(void **state)
{
	struct fixture *f = *state;

	press(f, '>');
	expect_sort(f, FIELD_USR, true);
	press(f, '<');
	press(f, '<');
	expect_sort(f, FIELD_THR, true);
	f->set.sort = FIELD_PID;
	press(f, '<');
	expect_sort(f, FIELD_COMMAND, false);
	press(f, '>');
	expect_sort(f, FIELD_PID, false);
	/* A sort column not shown: > starts at the first one. */
	f->set.sort = FIELD_SYSC;
	press(f, '>');
	expect_sort(f, FIELD_PID, false);
}

/* The per-program view's columns: CNT first, CREDITS before COMMAND, no PID. */
static void test_sort_step_grouped(void **state)
{
	struct fixture *f = *state;

	f->set.group = GROUP_COMM;
	f->set.sort = FIELD_CNT;
	press(f, '<');
	expect_sort(f, FIELD_COMMAND, false);
	f->set.sort = FIELD_TIME;
	press(f, '>');
	expect_sort(f, FIELD_CREDITS, true);
}

static void test_reverse(void **state)
{
	struct fixture *f = *state;

	press(f, 'R');
	expect_sort(f, FIELD_CPU, false);
	press(f, 'R');
	expect_sort(f, FIELD_CPU, true);
}

/* A click on a header: its natural direction, then the other one. */
static void test_sort_by_click(void **state)
{
	struct fixture *f = *state;

	state_sort_by(&f->s, FIELD_TIME);
	expect_sort(f, FIELD_TIME, true);
	state_sort_by(&f->s, FIELD_TIME);
	expect_sort(f, FIELD_TIME, false);
	state_sort_by(&f->s, FIELD_TIME);
	expect_sort(f, FIELD_TIME, true);
	state_sort_by(&f->s, FIELD_USER);
	expect_sort(f, FIELD_USER, false);
}

/* ---- Rows: threads, programs, the tree ---- */

static void expect_status(struct fixture *f, bool error, const char *text)
{
	assert_string_equal(f->s.status, text);
	assert_int_equal(f->s.status_error, error);
}

static void test_threads(void **state)
{
	struct fixture *f = *state;

	press(f, 'H');
	assert_true(f->set.threads);
	assert_true(f->ctl.remodel);
	expect_status(f, false, "Threads shown");
	press(f, 'H');
	assert_false(f->set.threads);
	expect_status(f, false, "Threads folded into processes");
}

/* a: by command, user, cgroup, unit, container, then processes again; each turns the tree off. */
static void test_group(void **state)
{
	struct fixture *f = *state;

	f->set.tree = true;
	press(f, 'a');
	assert_int_equal(f->set.group, GROUP_COMM);
	assert_false(f->set.tree);
	assert_true(f->ctl.remodel);
	expect_status(f, false, "Per program: by command (a: by user)");
	f->set.tree = true;
	press(f, 'a');
	assert_int_equal(f->set.group, GROUP_USER);
	assert_false(f->set.tree);
	expect_status(f, false, "Per program: by user (a: by cgroup)");
	press(f, 'a');
	assert_int_equal(f->set.group, GROUP_CGROUP);
	expect_status(f, false, "Per cgroup, with its limit, throttling and pressure (a: by unit)");
	press(f, 'a');
	assert_int_equal(f->set.group, GROUP_UNIT);
	expect_status(f, false, "Per systemd unit (a: by container)");
	f->set.tree = true;
	press(f, 'a');
	assert_int_equal(f->set.group, GROUP_CONTAINER);
	assert_false(f->set.tree);
	expect_status(f, false, "Per container (a: back to processes)");
	press(f, 'a');
	assert_int_equal(f->set.group, GROUP_NONE);
	expect_status(f, false, "One row per process");
}

/* V: the tree, which leaves a per-program view. */
static void test_tree(void **state)
{
	struct fixture *f = *state;

	f->set.group = GROUP_USER;
	press(f, 'V');
	assert_true(f->set.tree);
	assert_int_equal(f->set.group, GROUP_NONE);
	assert_true(f->ctl.remodel);
	expect_status(f, false, "Process tree (- folds the selected subtree)");
	press(f, 'V');
	assert_false(f->set.tree);
	expect_status(f, false, "Tree off");
}

/* - folds the selected row by its identity, once; + unfolds that process wherever it is. */
static void test_fold(void **state)
{
	struct fixture *f = *state;
	struct row moved;

	f->set.tree = true;
	f->s.sel = 3;
	press(f, '-');
	assert_true(f->ctl.remodel);
	assert_int_equal(f->s.nr_folded, 1);
	assert_int_equal(f->s.folded[0].pid, 130);
	assert_int_equal(f->s.folded[0].start_ns, 1003);
	press(f, '-');
	assert_int_equal(f->s.nr_folded, 1);
	/* A row with that PID but another start is another process: + leaves the fold. */
	f->s.sel = 0;
	f->rows[0].pid = 130;
	press(f, '+');
	assert_int_equal(f->s.nr_folded, 1);
	/* The folded process, re-sorted to the top: + finds it there. */
	f->rows[0].pid = 100;
	moved = f->rows[0];
	f->rows[0] = f->rows[3];
	f->rows[3] = moved;
	press(f, '+');
	assert_int_equal(f->s.nr_folded, 0);
}

/* Past TUI_FOLDED_MAX folds the oldest unfolds. */
static void test_fold_oldest_goes(void **state)
{
	struct fixture *f = *state;
	static struct row many[TUI_FOLDED_MAX + 1];
	size_t i;

	for (i = 0; i <= TUI_FOLDED_MAX; i++) {
		many[i].pid = 1000 + i;
		many[i].start_ns = i;
	}
	f->m.rows = many;
	f->m.nr_rows = TUI_FOLDED_MAX + 1;
	f->set.tree = true;
	for (i = 0; i <= TUI_FOLDED_MAX; i++) {
		f->s.sel = i;
		press(f, '-');
	}
	assert_int_equal(f->s.nr_folded, TUI_FOLDED_MAX);
	assert_int_equal(f->s.folded[0].pid, 1001);
	assert_int_equal(f->s.folded[TUI_FOLDED_MAX - 1].pid, 1000 + TUI_FOLDED_MAX);
}

/* Folds need the tree and a row: otherwise a message says so, and nothing changes. */
static void test_fold_refused(void **state)
{
	struct fixture *f = *state;

	press(f, '-');
	assert_int_equal(f->s.nr_folded, 0);
	assert_false(f->ctl.remodel);
	expect_status(f, true, "- and + fold and unfold subtrees of the tree (V)");
	f->set.tree = true;
	f->m.nr_rows = 0;
	f->s.status[0] = '\0';
	press(f, '+');
	assert_false(f->ctl.remodel);
	expect_status(f, true, "- and + fold and unfold subtrees of the tree (V)");
}

/* ---- The header's parts ---- */

/* 1, g, c and m change the layout alone: no new rows asked for. */
static void test_header_toggles(void **state)
{
	struct fixture *f = *state;

	press(f, '1');
	assert_true(f->set.cpu_total);
	press(f, 'g');
	assert_true(f->set.no_graph);
	press(f, 'c');
	assert_true(f->set.cpus);
	press(f, 'm');
	assert_true(f->set.no_metrics);
	assert_false(f->ctl.remodel);
	press(f, '1');
	press(f, 'g');
	press(f, 'c');
	press(f, 'm');
	assert_false(f->set.cpu_total || f->set.no_graph || f->set.cpus || f->set.no_metrics);
}

/* ---- Prompts ---- */

static void expect_prompt(struct fixture *f, enum tui_prompt p, const char *label,
			  const char *input)
{
	assert_int_equal(f->s.prompt, p);
	assert_string_equal(f->s.prompt_label, label);
	assert_string_equal(f->s.input, input);
	/* The prompt takes the status line. */
	assert_string_equal(f->s.status, "");
	f->s.prompt = PROMPT_NONE;
}

static void test_fields_prompt(void **state)
{
	struct fixture *f = *state;

	state_status(&f->s, false, "old news");
	press(f, 'f');
	expect_prompt(f, PROMPT_FIELDS, "Columns (h lists them): ",
		      "PID,USER,S,THR,%CPU,%USR,%SYS,TIME+,COMMAND");
}

/* / and o start from the filter in force. */
static void test_filter_prompt(void **state)
{
	struct fixture *f = *state;

	strcpy(f->set.filter, "ct-");
	press(f, '/');
	expect_prompt(f, PROMPT_FILTER, "Filter commands (Esc clears): ", "ct-");
	press(f, 'o');
	expect_prompt(f, PROMPT_FILTER, "Filter commands (Esc clears): ", "ct-");
}

static void test_user_prompt(void **state)
{
	struct fixture *f = *state;

	press(f, 'u');
	expect_prompt(f, PROMPT_USER, "Show only user (empty for all): ", "");
}

/* d and s show the delay in force. */
static void test_delay_prompt(void **state)
{
	struct fixture *f = *state;

	f->set.delay_s = 0.25;
	press(f, 'd');
	expect_prompt(f, PROMPT_DELAY, "Delay in seconds [0.25]: ", "");
	press(f, 's');
	expect_prompt(f, PROMPT_DELAY, "Delay in seconds [0.25]: ", "");
}

/* ---- Kill and renice ---- */

/* k and r ask for a fresh snapshot about the selected process; its prompt opens with it. */
static void test_kill_renice_request(void **state)
{
	struct fixture *f = *state;

	f->s.sel = 1;
	press(f, 'k');
	assert_int_equal(f->s.pending, PROMPT_KILL);
	assert_int_equal(f->s.target_pid, 110);
	assert_int_equal(f->s.target_start, 1001);
	assert_true(f->ctl.refresh);
	f->ctl.refresh = false;
	f->s.sel = 4;
	press(f, 'r');
	assert_int_equal(f->s.pending, PROMPT_RENICE);
	assert_int_equal(f->s.target_pid, 140);
	assert_true(f->ctl.refresh);
}

/* Each refusal: a message, no request. */
static void expect_refused(struct fixture *f, int ch, const char *text)
{
	f->s.status[0] = '\0';
	press(f, ch);
	assert_int_equal(f->s.pending, PROMPT_NONE);
	assert_false(f->ctl.refresh);
	expect_status(f, true, text);
}

static void test_kill_renice_readonly(void **state)
{
	struct fixture *f = *state;

	f->s.readonly = true;
	expect_refused(f, 'k', "Read-only (--readonly): kill is disabled");
	expect_refused(f, 'r', "Read-only (--readonly): renice is disabled");
}

static void test_kill_renice_grouped(void **state)
{
	struct fixture *f = *state;

	f->set.group = GROUP_USER;
	expect_refused(f, 'k', "A program is many processes: a leaves the per-program view");
	expect_refused(f, 'r', "A program is many processes: a leaves the per-program view");
}

/* No rows, or the detail pane's process gone: never the row now in its place. */
static void test_kill_renice_no_selection(void **state)
{
	struct fixture *f = *state;

	f->s.gone = true;
	expect_refused(f, 'k', "No process selected");
	f->s.gone = false;
	f->m.nr_rows = 0;
	expect_refused(f, 'r', "No process selected");
}

static void test_kill_renice_exited(void **state)
{
	struct fixture *f = *state;

	f->rows[0].state = 'X';
	expect_refused(f, 'k', "PID 100 has already exited");
	expect_refused(f, 'r', "PID 100 has already exited");
}

/* ---- The loop: refresh, pause ---- */

static void test_refresh(void **state)
{
	struct fixture *f = *state;

	press(f, ' ');
	assert_true(f->ctl.refresh);
}

/* Z pauses; Z again resumes with a fresh snapshot at once. */
static void test_pause(void **state)
{
	struct fixture *f = *state;

	press(f, 'Z');
	assert_true(f->ctl.paused);
	assert_false(f->ctl.refresh);
	expect_status(f, false, "Paused: the display is frozen, accounting goes on (Z resumes)");
	press(f, 'Z');
	assert_false(f->ctl.paused);
	assert_true(f->ctl.refresh);
	expect_status(f, false, "Resumed");
}

/* ---- W ---- */

/* W writes the settings where the view was told, and they read back. */
static void test_save(void **state)
{
	struct fixture *f = *state;
	struct settings back;
	char path[128], want[160], err[128] = "";

	snprintf(path, sizeof(path), "%s/" RC_NAME, f->dir);
	f->s.rc_path = path;
	press(f, 'N');
	press(f, '1');
	press(f, 'W');
	snprintf(want, sizeof(want), "Wrote %s", path);
	expect_status(f, false, want);
	settings_init(&back);
	assert_int_equal(rc_load(&back, 0, path, err, sizeof(err)), 0);
	assert_int_equal(back.sort, FIELD_PID);
	assert_false(back.descending);
	assert_true(back.cpu_total);
}

static void test_save_no_home(void **state)
{
	struct fixture *f = *state;

	press(f, 'W');
	expect_status(f, true, "Cannot write the rc file (no home directory): "
		      "No such file or directory");
}

/* A path that cannot be written: the error names it and why. */
static void test_save_fails(void **state)
{
	struct fixture *f = *state;
	char file[128], path[160], want[256];
	FILE *fp;

	snprintf(file, sizeof(file), "%s/" FILE_NAME, f->dir);
	fp = fopen(file, "w");
	assert_non_null(fp);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/" RC_NAME, file);
	f->s.rc_path = path;
	press(f, 'W');
	snprintf(want, sizeof(want), "Cannot write %s: %s", path, strerror(ENOTDIR));
	expect_status(f, true, want);
}

/* ---- The selection ---- */

static void expect_sel(struct fixture *f, size_t sel)
{
	assert_int_equal(f->s.sel, sel);
	assert_int_equal(f->s.sel_pid, f->m.rows[sel].pid);
	assert_int_equal(f->s.sel_start, f->m.rows[sel].start_ns);
	assert_true(f->s.follow);
}

/* Up, Down, PgUp, PgDn (a page of two rows), Home and End, each stopping at the ends. */
static void test_move(void **state)
{
	struct fixture *f = *state;

	press(f, KEY_DOWN);
	expect_sel(f, 1);
	press(f, KEY_UP);
	expect_sel(f, 0);
	press(f, KEY_UP);
	expect_sel(f, 0);
	press(f, KEY_NPAGE);
	expect_sel(f, 2);
	press(f, KEY_NPAGE);
	press(f, KEY_NPAGE);
	expect_sel(f, 4);
	press(f, KEY_DOWN);
	expect_sel(f, 4);
	press(f, KEY_PPAGE);
	expect_sel(f, 2);
	press(f, KEY_PPAGE);
	press(f, KEY_PPAGE);
	expect_sel(f, 0);
	press(f, KEY_END);
	expect_sel(f, 4);
	press(f, KEY_HOME);
	expect_sel(f, 0);
	/* Before the first layout a page is one row. */
	f->s.page = 0;
	press(f, KEY_NPAGE);
	expect_sel(f, 1);
}

/* Without rows the selection stays where it is and follows nothing. */
static void test_move_no_rows(void **state)
{
	struct fixture *f = *state;
	static const int keys[] = { KEY_DOWN, KEY_UP, KEY_NPAGE, KEY_PPAGE, KEY_END, KEY_HOME };
	size_t i;

	f->m.nr_rows = 0;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		press(f, keys[i]);
	assert_int_equal(f->s.sel, 0);
	assert_false(f->s.follow);
	f->s.m = NULL;
	press(f, KEY_END);
	assert_false(f->s.follow);
}

/* After a re-sort the selection is on the same process, scrolled into view. */
static void test_select_follows(void **state)
{
	struct fixture *f = *state;
	size_t i;

	press(f, KEY_DOWN);
	for (i = 0; i < NR_ROWS / 2; i++) {
		struct row r = f->rows[i];

		f->rows[i] = f->rows[NR_ROWS - 1 - i];
		f->rows[NR_ROWS - 1 - i] = r;
	}
	state_select_fix(&f->s);
	assert_false(f->s.gone);
	expect_sel(f, 3);
	assert_int_equal(f->rows[3].pid, 110);
	assert_int_equal(f->s.top, 2);
}

/* The detail pane's process gone: the pane stays on it, with no row selected. */
static void test_select_gone(void **state)
{
	struct fixture *f = *state;

	f->s.sel = 4;
	press(f, '\n');
	f->m.nr_rows = 4;
	state_select_fix(&f->s);
	assert_true(f->s.gone);
	assert_null(state_selected(&f->s));
	/* Without the pane the selection moves to the last row there is. */
	f->s.detail = false;
	state_select_fix(&f->s);
	assert_false(f->s.gone);
	expect_sel(f, 3);
}

static void test_repaint(void **state)
{
	struct fixture *f = *state;

	press(f, KEY_CTRL('l'));
	assert_true(f->s.repaint);
}

/* ---- The status line ---- */

/* It quotes input and process names: escape codes never reach the terminal. */
static void test_status_sanitized(void **state)
{
	struct fixture *f = *state;

	f->s.status_frames = 3;
	state_status(&f->s, true, "'%s' is not a signal", "\033[2J");
	assert_null(strchr(f->s.status, '\033'));
	assert_true(f->s.status_error);
	assert_int_equal(f->s.status_frames, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_table_keys),
		T(test_table_replay),
		T(test_replay_steps),
		T(test_replay_jump),
		T(test_table_well_formed),
		T(test_help_lists_every_binding),
		T(test_help_layout),
		T(test_quit),
		T(test_escape),
		T(test_help),
		T(test_details),
		T(test_details_refused),
		T(test_sort_keys),
		T(test_sort_step),
		T(test_sort_step_grouped),
		T(test_reverse),
		T(test_sort_by_click),
		T(test_threads),
		T(test_group),
		T(test_tree),
		T(test_fold),
		T(test_fold_oldest_goes),
		T(test_fold_refused),
		T(test_header_toggles),
		T(test_fields_prompt),
		T(test_filter_prompt),
		T(test_user_prompt),
		T(test_delay_prompt),
		T(test_kill_renice_request),
		T(test_kill_renice_readonly),
		T(test_kill_renice_grouped),
		T(test_kill_renice_no_selection),
		T(test_kill_renice_exited),
		T(test_refresh),
		T(test_pause),
		T(test_save),
		T(test_save_no_home),
		T(test_save_fails),
		T(test_move),
		T(test_move_no_rows),
		T(test_select_follows),
		T(test_select_gone),
		T(test_repaint),
		T(test_status_sanitized),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
