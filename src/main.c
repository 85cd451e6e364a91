// SPDX-License-Identifier: GPL-2.0
/*
 * cputop: the wiring. The command line and the rc file give the settings; a source is opened
 * (eBPF, else /proc), then the sinks the flags ask for; privileges are dropped, and the loop
 * runs them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "lib/addr.h"
#include "lib/privs.h"
#include "lib/version.h"
#include "loop.h"
#include "thin.h"
#include "view/tui/rc.h"

/* The source: the eBPF program unless told otherwise or it cannot run, then /proc. */
static int source_open(struct source **src, const struct source_opts *o)
{
	char why[SNAP_TEXT_LEN] = "--no-bpf given";
	int err;

	if (o->replay) {
		err = replay_source_open(src, o, why, sizeof(why));
		if (err)
			fprintf(stderr, "cputop: %s\n", why);
		return err;
	}
	if (!o->no_bpf && !bpf_source_open(src, o, why, sizeof(why)))
		return 0;
	if (o->no_bpf && strcmp(o->proc_root, "/proc"))
		snprintf(why, sizeof(why), "--proc-root given");
	/* Why eBPF is off goes in the source line, where the user sees exits are missing. */
	err = procfs_source_open(src, o, why, why, sizeof(why));
	if (err)
		fprintf(stderr, "cputop: %s\n", why);
	return err;
}

/* Whether @a and @b name one file or directory. */
static bool same_file(const char *a, const char *b)
{
	struct stat x, y;

	return !stat(a, &x) && !stat(b, &y) && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/*
 * The sinks of the command line: the batch output (not with the interactive view), the
 * recording, the exporter, the exit log.
 */
static int sinks_open(struct loop *l, const struct cli *c)
{
	struct sink **k = &l->sinks[l->nr_sinks];
	int err = 0;

	if (!l->interactive && c->format != FORMAT_NONE) {
		err = c->format == FORMAT_JSON ? json_sink_open(k, stdout) :
		      c->format == FORMAT_CSV ? csv_sink_open(k, stdout) :
		      text_sink_open(k, stdout);
		if (err) {
			fprintf(stderr, "cputop: %s\n", strerror(-err));
			return err;
		}
		k = &l->sinks[++l->nr_sinks];
	}
	if (c->record.path) {
		/* A recording replayed into itself would read what it writes, for ever. */
		if (c->src.replay && same_file(c->src.replay, c->record.path)) {
			fprintf(stderr, "cputop: --record %s is what --replay reads\n",
				c->record.path);
			return -EINVAL;
		}
		err = record_sink_open(k, &c->record);
		if (err)
			return err;
		k = &l->sinks[++l->nr_sinks];
	}
	if (c->export.listen) {
		if (!addr_loopback(&c->export.addr))
			fprintf(stderr, "cputop: --listen %s: reachable from other machines\n",
				c->export.listen);
		err = http_sink_open(k, &c->export);
		if (err)
			return err;
		k = &l->sinks[++l->nr_sinks];
	}
	if (!c->exit_log)
		return 0;
	/* Exits are seen by the eBPF program alone: a log of some of them would mislead. */
	if (!(l->src->caps & SNAP_CAP_EXITS)) {
		struct snapshot s = {};

		l->src->ops->describe(l->src, &s);
		fprintf(stderr, "cputop: --exit-log needs the eBPF source, which is off: %s\n",
			s.source_note);
		return -ENOTSUP;
	}
	err = exitlog_sink_open(k, c->exit_log);
	if (err) {
		fprintf(stderr, "cputop: --exit-log %s: %s\n", c->exit_log, strerror(-err));
		return err;
	}
	l->nr_sinks++;
	return 0;
}

int main(int argc, char **argv)
{
	char rc_path[4096], rc_err[256] = "";
	struct source *src = NULL;
	struct loop l = {};
	struct cli c;
	int err;

	if (cli_parse(&c, argc, argv)) {
		fprintf(stderr, "cputop: %s (see cputop --help)\n", c.err);
		return 2;
	}
	if (c.action == CLI_HELP) {
		cli_usage(stdout);
		return 0;
	}
	if (c.action == CLI_VERSION) {
		puts("cputop " CPUTOP_VERSION);
		return 0;
	}
	if (c.action == CLI_THIN)
		return thin_run(c.thin, c.thin_keep_ns, c.thin_after_ns) ? 1 : 0;
	/*
	 * Not on a terminal (a pipe, a file), the view is batch text, as if -b were given; JSON
	 * and CSV are batch output by nature.
	 */
	l.interactive = !c.batch && c.format == FORMAT_TEXT && isatty(STDIN_FILENO) &&
			isatty(STDOUT_FILENO);
	if (l.interactive && c.exit_log && !strcmp(c.exit_log, "-")) {
		fputs("cputop: --exit-log -: standard output is the interactive view; give a file "
		      "(see cputop --help)\n", stderr);
		return 2;
	}
	/* The rc file is the interactive view's: batch output stays what the flags say. */
	if (l.interactive && !rc_locate(rc_path, sizeof(rc_path))) {
		err = rc_load(&c.set, c.given, rc_path, rc_err, sizeof(rc_err));
		if (err && !rc_err[0])
			snprintf(rc_err, sizeof(rc_err), "%s", strerror(-err));
		l.rc_path = rc_path;
		l.rc_err = rc_err[0] ? rc_err : NULL;
	}
	l.cli = &c;
	l.set = &c.set;
	err = loop_signals() ?: source_open(&src, &c.src);
	if (err)
		goto cleanup;
	l.src = src;
	err = sinks_open(&l, &c);
	if (err)
		goto cleanup;
	/* Everything privileged is open and attached: keep only what the loop still uses. */
	err = privs_drop(src->privileged, l.interactive && !c.readonly && !src->recorded);
	if (err) {
		fprintf(stderr, "cputop: cannot drop privileges: %s\n", strerror(-err));
		goto cleanup;
	}
	err = loop_run(&l);
cleanup:
	loop_free(&l);
	if (src)
		src->ops->close(src);
	return err ? 1 : 0;
}
