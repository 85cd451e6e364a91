/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interactive view's key bindings: one table of keys, action and help line, which both the
 * key handling and the help screen read, so that the help never disagrees with the keys.
 */
#ifndef CPUTOP_VIEW_TUI_KEYS_H
#define CPUTOP_VIEW_TUI_KEYS_H

#include "view/tui/state.h"

/* Keys ncurses has no name for, as getch() returns them. */
#define KEY_ESC 27
#define KEY_CTRL(c) ((c) & 0x1f)

#define KEYS_CODES_MAX 3
/* The help screen's width: every line of it fits an 80-column terminal. */
#define KEYS_HELP_COLS 80

/* Where a binding holds: a replay steps through time where the live view sorts and signals. */
enum key_mode {
	KEYS_ALL,		/* the live view and a replay */
	KEYS_LIVE,		/* the live view only */
	KEYS_REPLAY,		/* a replay only (--replay) */
};

struct key_binding {
	int codes[KEYS_CODES_MAX];	/* getch() codes; a 0 ends the list early */
	const char *names;		/* the keys as the help names them */
	void (*act)(struct tui_state *s);
	/* What the help says; bindings in a row with the same words share one help item. */
	const char *help;
	enum key_mode mode;
};

extern const struct key_binding key_bindings[];
extern const size_t nr_key_bindings;

/* The binding of @ch in the live view or a @replay, or NULL when the key does nothing there. */
const struct key_binding *keys_find(int ch, bool replay);
/*
 * The help screen's key lines of the live view or a @replay, one per call into @buf (at most
 * KEYS_HELP_COLS columns): two items a line where both fit. Start with *@next at 0; false once
 * every binding is listed.
 */
bool keys_help_line(char *buf, size_t size, size_t *next, bool replay);

#endif /* CPUTOP_VIEW_TUI_KEYS_H */
