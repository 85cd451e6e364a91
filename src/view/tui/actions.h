/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the interactive view's keys do, as functions on its state (state.h): no terminal
 * involved, so each is tested by calling it. keys.h binds keys to the action_*() functions;
 * the state_*() ones serve the view's drawing and mouse as well.
 */
#ifndef CPUTOP_VIEW_TUI_ACTIONS_H
#define CPUTOP_VIEW_TUI_ACTIONS_H

#include <stdarg.h>

#include "view/tui/state.h"

/* A message on the status line (errors in the error colour), sanitised: it quotes input. */
void state_status(struct tui_state *s, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void state_vstatus(struct tui_state *s, bool error, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* The selected row, or NULL: none, or the detail pane's process has gone. */
const struct row *state_selected(const struct tui_state *s);
/* Move the selection by @delta rows, within the rows; it then follows the process it is on. */
void state_select_move(struct tui_state *s, long delta);
/* After new rows or a new layout: find the followed process again and keep it in view. */
void state_select_fix(struct tui_state *s);
/* Sort by @f (a click on its header), or reverse the sort when it is already the one. */
void state_sort_by(struct tui_state *s, enum field f);
/* Open prompt @p with @initial as its input, labelled by @fmt. */
void state_prompt_open(struct tui_state *s, enum tui_prompt p, const char *initial,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The keys' actions, one per binding; keys.c has the keys and what the help says of each. */
void action_quit(struct tui_state *s);		/* q: the detail pane first, then the view */
void action_back(struct tui_state *s);		/* Esc */
void action_help(struct tui_state *s);
void action_sort_cpu(struct tui_state *s);
void action_sort_time(struct tui_state *s);
void action_sort_pid(struct tui_state *s);
void action_sort_left(struct tui_state *s);
void action_sort_right(struct tui_state *s);
void action_reverse(struct tui_state *s);
void action_threads(struct tui_state *s);
void action_meters(struct tui_state *s);
void action_graph(struct tui_state *s);
void action_cpus(struct tui_state *s);
void action_metrics(struct tui_state *s);
void action_group(struct tui_state *s);
void action_tree(struct tui_state *s);
void action_fold(struct tui_state *s);
void action_unfold(struct tui_state *s);
void action_fields(struct tui_state *s);
void action_filter(struct tui_state *s);
void action_user(struct tui_state *s);
void action_delay(struct tui_state *s);
void action_kill(struct tui_state *s);
void action_renice(struct tui_state *s);
void action_refresh(struct tui_state *s);
void action_pause(struct tui_state *s);
void action_save(struct tui_state *s);
void action_details(struct tui_state *s);
void action_up(struct tui_state *s);
void action_down(struct tui_state *s);
void action_page_up(struct tui_state *s);
void action_page_down(struct tui_state *s);
void action_home(struct tui_state *s);
void action_end(struct tui_state *s);
void action_repaint(struct tui_state *s);	/* Ctrl-L */
/* A replay's: t, T, b (asks for a time: state_jump()), space. */
void action_step_next(struct tui_state *s);
void action_step_back(struct tui_state *s);
void action_jump(struct tui_state *s);
void action_play(struct tui_state *s);
/* The b prompt's answer: a time (lib/when.h), relative ones from the sample shown. 0 or -EINVAL. */
int state_jump(struct tui_state *s, const char *when);

#endif /* CPUTOP_VIEW_TUI_ACTIONS_H */
