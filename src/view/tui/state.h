/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interactive view's state that keys act on, apart from the terminal: the settings, the
 * selection, the folds, which pane shows, a prompt to open, the requests to the loop and the
 * status message. Plain data, so that every key's action runs and is tested without ncurses.
 */
#ifndef CPUTOP_VIEW_TUI_STATE_H
#define CPUTOP_VIEW_TUI_STATE_H

#include <stdint.h>

#include "view/settings.h"

/* Requests from the keys to the loop; the loop clears them once served. */
struct tui_ctl {
	bool quit;		/* q */
	bool refresh;		/* space: read a snapshot now */
	bool remodel;		/* sort, filter, threads or user changed: redo the rows */
	bool paused;		/* Z: no new snapshots until resumed; a replay's space */
	int step;		/* a replay's t (+1 each) and T (-1 each): samples after or before */
	bool jump;		/* a replay's b: to the sample of jump_ns (Unix ns) */
	int64_t jump_ns;
};

enum tui_prompt {
	PROMPT_NONE, PROMPT_FILTER, PROMPT_USER, PROMPT_KILL, PROMPT_RENICE, PROMPT_DELAY,
	PROMPT_FIELDS, PROMPT_TIME,
};

/* Folded tree rows remembered; past this many, the oldest unfolds. */
#define TUI_FOLDED_MAX 256

struct tui_state {
	struct settings *set;		/* what the keys change */
	struct tui_ctl *ctl;		/* the loop's requests, as tui_input() was given them */
	bool readonly;			/* --readonly: no k, no r */
	bool replay;			/* --replay: the keys of time, none to signal */
	int64_t sample_ns;		/* the Unix time of the sample shown */
	const char *rc_path;		/* where W writes the settings; NULL: there is no home */
	const struct model *m;		/* the rows shown: what the selection moves over */
	size_t page;			/* table rows on screen: what PgUp and PgDn move */
	/* Selection: a position until the user moves it, then the process it landed on. */
	size_t sel, top;
	bool follow;
	uint32_t sel_pid;
	uint64_t sel_start;
	bool gone;			/* the detail pane's process is no longer in the rows */
	struct row_key folded[TUI_FOLDED_MAX];	/* tree rows folded by -, oldest first */
	size_t nr_folded;
	bool help, detail;
	bool repaint;			/* Ctrl-L: the next frame redraws the whole terminal */
	enum tui_prompt prompt;
	char prompt_label[160];
	char input[FIELD_COLUMNS * 8];	/* room for every field name, comma-separated */
	enum tui_prompt pending;	/* k or r waiting for a fresh snapshot */
	uint32_t target_pid;		/* the process a kill or renice prompt is about */
	uint64_t target_start;		/* its start time: with the PID, its identity */
	char status[200];
	bool status_error;
	unsigned int status_frames;
};

#endif /* CPUTOP_VIEW_TUI_STATE_H */
