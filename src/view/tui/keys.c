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
	{ { 't' }, "t", action_step_next, "replay: the next sample", KEYS_REPLAY },
	{ { 'T' }, "T", action_step_back, "replay: the sample before", KEYS_REPLAY },
	{ { 'b' }, "b", action_jump, "replay: jump to a time (asks)", KEYS_REPLAY },
	{ { ' ' }, "space", action_play, "replay: pause/play", KEYS_REPLAY },
	{ { 'q' }, "q", action_quit, "quit (or close the details)", KEYS_ALL },
	{ { 'h', '?', KEY_F(1) }, "h ? F1", action_help, "this help", KEYS_ALL },
	{ { 'P' }, "P", action_sort_cpu, "sort by %CPU", KEYS_ALL },
	{ { 'T' }, "T", action_sort_time, "sort by TIME+", KEYS_LIVE },
	{ { 'N' }, "N", action_sort_pid, "sort by PID", KEYS_ALL },
	{ { '<' }, "<", action_sort_left, step_help, KEYS_ALL },
	{ { '>' }, ">", action_sort_right, step_help, KEYS_ALL },
	{ { 'R' }, "R", action_reverse, "reverse the sort", KEYS_ALL },
	{ { 'H' }, "H", action_threads, "threads on/off", KEYS_ALL },
	{ { '/', 'o' }, "/ o", action_filter, "filter by command", KEYS_ALL },
	{ { 'u' }, "u", action_user, "filter by user", KEYS_ALL },
	{ { 'g' }, "g", action_graph, "CPU history graph on/off", KEYS_ALL },
	{ { '1' }, "1", action_meters, "one CPU meter, or one per CPU", KEYS_ALL },
	{ { 'c' }, "c", action_cpus, "per-CPU table on/off", KEYS_ALL },
	{ { 'f' }, "f", action_fields, "choose the columns", KEYS_ALL },
	{ { KEY_UP }, "Up", action_up, move_help, KEYS_ALL },
	{ { KEY_DOWN }, "Down", action_down, move_help, KEYS_ALL },
	{ { KEY_PPAGE }, "PgUp", action_page_up, move_help, KEYS_ALL },
	{ { KEY_NPAGE }, "PgDn", action_page_down, move_help, KEYS_ALL },
	{ { KEY_HOME }, "Home", action_home, move_help, KEYS_ALL },
	{ { KEY_END }, "End", action_end, move_help, KEYS_ALL },
	{ { '\n', '\r', KEY_ENTER }, "Enter", action_details, "details of the selected row",
	  KEYS_ALL },
	{ { KEY_ESC }, "Esc", action_back, "back from the details", KEYS_ALL },
	{ { 'k' }, "k", action_kill, "send a signal (asks)", KEYS_LIVE },
	{ { 'r' }, "r", action_renice, "renice (asks)", KEYS_LIVE },
	{ { ' ' }, "space", action_refresh, "refresh now", KEYS_LIVE },
	{ { 'd', 's' }, "d s", action_delay, "set the delay", KEYS_ALL },
	{ { 'Z' }, "Z", action_pause, "pause/resume the display", KEYS_ALL },
	{ { 'W' }, "W", action_save, "write settings to the rc file", KEYS_ALL },
	{ { 'a' }, "a", action_group, "per command, user, cgroup, unit, container, then off",
	  KEYS_ALL },
	{ { 'V' }, "V", action_tree, "tree of processes (of cgroups per cgroup) on/off", KEYS_ALL },
	{ { KEY_CTRL('l') }, "Ctrl-L", action_repaint, "redraw the whole screen", KEYS_ALL },
	{ { '-' }, "-", action_fold, fold_help, KEYS_ALL },
	{ { '+' }, "+", action_unfold, fold_help, KEYS_ALL },
	{ { 'm' }, "m", action_metrics,
	  "system metrics on/off: interrupts, frequency, temperature, net, disk", KEYS_ALL },
};

const size_t nr_key_bindings = sizeof(key_bindings) / sizeof(key_bindings[0]);

/* Whether binding @b holds in the live view or a @replay. */
static bool keys_hold(const struct key_binding *b, bool replay)
{
	return b->mode == KEYS_ALL || b->mode == (replay ? KEYS_REPLAY : KEYS_LIVE);
}

const struct key_binding *keys_find(int ch, bool replay)
{
	size_t i, k;

	for (i = 0; i < nr_key_bindings; i++) {
		if (!keys_hold(&key_bindings[i], replay))
			continue;
		for (k = 0; k < KEYS_CODES_MAX && key_bindings[i].codes[k]; k++) {
			if (key_bindings[i].codes[k] == ch)
				return &key_bindings[i];
		}
	}
	return NULL;
}

/* Move *@next past the bindings that do not hold: true when one does. */
static bool help_skip(size_t *next, bool replay)
{
	while (*next < nr_key_bindings && !keys_hold(&key_bindings[*next], replay))
		(*next)++;
	return *next < nr_key_bindings;
}

/*
 * The help item of binding *@next and those after it that hold with the same words; moves
 * *@next on, past those that do not hold.
 */
static size_t help_item(char *buf, size_t size, size_t *next, bool replay)
{
	const char *help = key_bindings[*next].help;
	char names[64];
	int n = 0;

	for (; help_skip(next, replay) && !strcmp(key_bindings[*next].help, help) &&
	       n < (int)sizeof(names); (*next)++)
		n += snprintf(names + n, sizeof(names) - n, "%s%s", n ? " " : "",
			      key_bindings[*next].names);
	help_skip(next, replay);
	/* Names longer than their column keep two spaces before the words. */
	return snprintf(buf, size, "%-*s %s", n < HELP_NAMES_COLS ? HELP_NAMES_COLS : n + 2,
			names, help);
}

bool keys_help_line(char *buf, size_t size, size_t *next, bool replay)
{
	char left[2 * KEYS_HELP_COLS], right[2 * KEYS_HELP_COLS];
	size_t after;

	if (!help_skip(next, replay))
		return false;
	/*
	 * An item short enough shares its line with the next one, if that fits the rest: two
	 * spaces of margin, and at least two between them.
	 */
	if (help_item(left, sizeof(left), next, replay) <= HELP_HALF - 4 &&
	    *next < nr_key_bindings) {
		after = *next;
		if (help_item(right, sizeof(right), &after, replay) <= KEYS_HELP_COLS - HELP_HALF) {
			*next = after;
			snprintf(buf, size, "  %-*s%s", HELP_HALF - 2, left, right);
			return true;
		}
	}
	snprintf(buf, size, "  %s", left);
	return true;
}
