/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rc file of the interactive view: name=value lines with the command line's grammar
 * (settings_named), written by the W key, read at start; flags given on the command line win.
 */
#ifndef CPUTOP_VIEW_RC_H
#define CPUTOP_VIEW_RC_H

#include "view/settings.h"

/* $XDG_CONFIG_HOME/cputop/cputoprc, else ~/.config/cputop/cputoprc; -ENOENT without a home. */
int rc_locate(char *buf, size_t size);
/*
 * Apply rc text to @s, line by line, but the settings the command line gave (@given, a bit
 * 1 << SET_* each); '#' starts a comment, blank lines are skipped. A bad line is skipped and
 * reported (the first one, in @err, with its number); the others still apply.
 * Returns 0, or -EINVAL when a line was bad.
 */
int rc_parse(struct settings *s, unsigned int given, const char *text, char *err,
	     size_t errlen);
/* Read and apply @path; a missing file is not an error. 0 or -errno (-EINVAL: see @err). */
int rc_load(struct settings *s, unsigned int given, const char *path, char *err,
	    size_t errlen);
/*
 * Write @s to @path, creating its directory: through a new file renamed over the
 * old one, so a crash leaves either file whole, and never through a planted symlink.
 */
int rc_save(const struct settings *s, const char *path);

#endif /* CPUTOP_VIEW_RC_H */
