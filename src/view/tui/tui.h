/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interactive view (ncurses): header meters, the process table, keys, mouse, prompts.
 * It draws the loop's frames and turns keys into changes of the settings and requests to the
 * loop; the loop reads snapshots and runs the model.
 */
#ifndef CPUTOP_VIEW_TUI_H
#define CPUTOP_VIEW_TUI_H

#include "lib/users.h"
#include "model/history.h"
#include "view/settings.h"
#include "view/tui/state.h"

/* What the loop draws: the snapshot pair, its rows, and the rows' history. */
struct tui_frame {
	const struct snapshot *prev, *cur;
	const struct model *m;
	const struct history *hist;
	unsigned long seq;		/* which snapshot cur is: the loop's count of reads */
};

struct tui;

/*
 * Take over the terminal. @set holds the settings the keys change (sort, filter, delay...);
 * @readonly refuses k and r; @replay binds the keys of time (t, T, b, space) and none that
 * signal; @rc_path is where W writes them (NULL: W says why it cannot). 0 or -errno.
 */
int tui_open(struct tui **out, struct settings *set, bool readonly, bool replay,
	     struct users *users, const char *rc_path);
/* The tree rows folded by the - key, for the model; *@keys lives as long as the view. */
size_t tui_folded(const struct tui *t, const struct row_key **keys);
/* Give the terminal back as it was; safe on NULL and after any error. */
void tui_close(struct tui *t);
/* Draw @f; @fresh when it holds a new snapshot (it then joins the CPU history graph). */
void tui_draw(struct tui *t, const struct tui_frame *f, bool fresh);
/* Handle every key and mouse event waiting, then redraw what they changed. */
void tui_input(struct tui *t, struct tui_ctl *ctl);
/* A message on the status line (errors in the error colour). */
void tui_status(struct tui *t, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* CPUTOP_VIEW_TUI_H */
