// SPDX-License-Identifier: GPL-2.0
/*
 * The key bindings, top's and htop's (DESIGN.md §4), in the order the help lists them. A key
 * is bound once; a binding's keys share its action, and bindings in a row with the same help
 * words (Up, Down...) share a help item. <curses.h> gives the key codes, macros only: no
 * ncurses call here, so the unit tests link without it.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "view/tui/actions.h"
#include "view/tui/keys.h"

#define HELP_NAMES_COLS 8	/* the keys' column of a help item, longer names aside */
#define HELP_HALF (KEYS_HELP_COLS / 2)	/* where a line's second item starts */

/* Words that several bindings share, each binding a key of the help item. */
static const char step_help[] = "sort by the column left/right";
static const char move_help[] = "move the selection (the mouse too)";
static const char fold_help[] = "fold/unfold the selected row's subtree (its CPU adds into it)";

const struct key_binding key_bindings[] = {
	{ { 'q' }, "q", action_quit, "quit (or close the details)" },
	{ { 'h', '?', KEY_F(1) }, "h ? F1", action_help, "this help" },
	{ { 'P' }, "P", action_sort_cpu, "sort by %CPU" },
	{ { 'T' }, "T", action_sort_time, "sort by TIME+" },
	{ { 'N' }, "N", action_sort_pid, "sort by PID" },
	{ { '<' }, "<", action_sort_left, step_help },
	{ { '>' }, ">", action_sort_right, step_help },
	{ { 'R' }, "R", action_reverse, "reverse the sort" },
	{ { 'H' }, "H", action_threads, "threads on/off" },
	{ { '/', 'o' }, "/ o", action_filter, "filter by command" },
	{ { 'u' }, "u", action_user, "filter by user" },
	{ { 'g' }, "g", action_graph, "CPU history graph on/off" },
	{ { '1' }, "1", action_meters, "one CPU meter, or one per CPU" },
	{ { 'c' }, "c", action_cpus, "per-CPU table on/off" },
	{ { 'f' }, "f", action_fields, "choose the columns" },
	{ { KEY_UP }, "Up", action_up, move_help },
	{ { KEY_DOWN }, "Down", action_down, move_help },
	{ { KEY_PPAGE }, "PgUp", action_page_up, move_help },
	{ { KEY_NPAGE }, "PgDn", action_page_down, move_help },
	{ { KEY_HOME }, "Home", action_home, move_help },
	{ { KEY_END }, "End", action_end, move_help },
	{ { '\n', '\r', KEY_ENTER }, "Enter", action_details, "details of the selected row" },
	{ { KEY_ESC }, "Esc", action_back, "back from the details" },
	{ { 'k' }, "k", action_kill, "send a signal (asks)" },
	{ { 'r' }, "r", action_renice, "renice (asks)" },
	{ { ' ' }, "space", action_refresh, "refresh now" },
	{ { 'd', 's' }, "d s", action_delay, "set the delay" },
	{ { 'Z' }, "Z", action_pause, "pause/resume the display" },
	{ { 'W' }, "W", action_save, "write settings to the rc file" },
	{ { 'a' }, "a", action_group, "per program: by command, by user, then off" },
	{ { 'V' }, "V", action_tree, "process tree on/off" },
	{ { KEY_CTRL('l') }, "Ctrl-L", action_repaint, "redraw the whole screen" },
	{ { '-' }, "-", action_fold, fold_help },
	{ { '+' }, "+", action_unfold, fold_help },
	{ { 'm' }, "m", action_metrics,
	  "system metrics on/off: interrupts, frequency, temperature, net, disk" },
};

const size_t nr_key_bindings = sizeof(key_bindings) / sizeof(key_bindings[0]);

const struct key_binding *keys_find(int ch)
{
	size_t i, k;

	for (i = 0; i < nr_key_bindings; i++) {
		for (k = 0; k < KEYS_CODES_MAX && key_bindings[i].codes[k]; k++) {
			if (key_bindings[i].codes[k] == ch)
				return &key_bindings[i];
		}
	}
	return NULL;
}

/* The help item of binding *@next and those after it with the same words; moves *@next on. */
static size_t help_item(char *buf, size_t size, size_t *next)
{
	const char *help = key_bindings[*next].help;
	char names[64];
	int n = 0;

	for (; *next < nr_key_bindings && !strcmp(key_bindings[*next].help, help) &&
	       n < (int)sizeof(names); (*next)++)
		n += snprintf(names + n, sizeof(names) - n, "%s%s", n ? " " : "",
			      key_bindings[*next].names);
	/* Names longer than their column keep two spaces before the words. */
	return snprintf(buf, size, "%-*s %s", n < HELP_NAMES_COLS ? HELP_NAMES_COLS : n + 2,
			names, help);
}

bool keys_help_line(char *buf, size_t size, size_t *next)
{
	char left[2 * KEYS_HELP_COLS], right[2 * KEYS_HELP_COLS];
	size_t after;

	if (*next >= nr_key_bindings)
		return false;
	/*
	 * An item short enough shares its line with the next one, if that fits the rest: two
	 * spaces of margin, and at least two between them.
	 */
	if (help_item(left, sizeof(left), next) <= HELP_HALF - 4 && *next < nr_key_bindings) {
		after = *next;
		if (help_item(right, sizeof(right), &after) <= KEYS_HELP_COLS - HELP_HALF) {
			*next = after;
			snprintf(buf, size, "  %-*s%s", HELP_HALF - 2, left, right);
			return true;
		}
	}
	snprintf(buf, size, "  %s", left);
	return true;
}
