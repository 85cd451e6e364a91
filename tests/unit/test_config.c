// SPDX-License-Identifier: GPL-2.0
/*
 * The rc file: parsing (comments, blank lines, CRLF, bad lines reported by number), the
 * command line winning over it, its path, and a save that neither follows nor leaves behind
 * anything it should not. Every file lives in a fresh directory under /tmp.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"
#include "model/fields.h"
#include "view/tui/rc.h"
#include "settings.h"

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Each test's scratch directory, and the environment it may change. */
struct fixture {
	char dir[64];
	char *home, *xdg;
	mode_t umask;
};

static char *env_dup(const char *name)
{
	const char *v = getenv(name);

	return v ? strdup(v) : NULL;
}

static void env_restore(const char *name, const char *v)
{
	if (v)
		setenv(name, v, 1);
	else
		unsetenv(name);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/cputop-test-config.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	f->home = env_dup("HOME");
	f->xdg = env_dup("XDG_CONFIG_HOME");
	f->umask = umask(022);
	*state = f;
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	env_restore("HOME", f->home);
	env_restore("XDG_CONFIG_HOME", f->xdg);
	umask(f->umask);
	free(f->home);
	free(f->xdg);
	free(f);
	return 0;
}

/* @name under the test's directory, in one of a few rotating buffers. */
static const char *in_dir(void **state, const char *name)
{
	static char bufs[4][512];
	static int next;
	struct fixture *f = *state;
	char *b = bufs[next++ % 4];

	snprintf(b, sizeof(bufs[0]), "%s/%s", f->dir, name);
	return b;
}

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* The whole file as a string (the caller frees it), or NULL when it cannot be read. */
static char *read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		return NULL;
	n = getdelim(&text, &cap, '\0', f);
	fclose(f);
	if (n < 0) {
		free(text);
		return strdup("");
	}
	return text;
}

static void expect_file(const char *path, const char *want)
{
	char *text = read_text(path);

	assert_non_null(text);
	assert_string_equal(text, want);
	free(text);
}

/* The command line's defaults, or the result of @args. */
static void opts_from(struct cli *o, const char *const *args)
{
	char *argv[32] = { "cputop" };
	int argc = 1;

	while (args && *args)
		argv[argc++] = (char *)*args++;
	memset(o, 0x5a, sizeof(*o));
	assert_int_equal(cli_parse(o, argc, argv), 0);
}

/* The settings of every line of the rc text below, when they all apply. */
static void expect_rc_applied(const struct cli *o)
{
	assert_float_equal(o->set.delay_s, 2.5, 0);
	assert_int_equal(o->set.sort, FIELD_PID);
	assert_true(o->set.descending);
	assert_true(o->set.threads);
	assert_string_equal(o->set.filter, "fire fox");
	assert_true(o->set.uid_set);
	assert_int_equal(o->set.uid, 4000000);
	assert_int_equal(o->set.nr_fields, 3);
	assert_int_equal(o->set.fields[0], FIELD_COMMAND);
	assert_int_equal(o->set.fields[1], FIELD_PID);
	assert_int_equal(o->set.fields[2], FIELD_CPU);
	assert_true(o->set.cpu_total);
	assert_true(o->set.no_graph);
}

/* All eight settings, with comments, blank lines and blanks around names and values. */
static const char rc_all[] =
	"# cputop settings\n"
	"\n"
	"delay=2.5\n"
	"   # an indented comment\n"
	"sort = +PID\n"
	"\tthreads\t=\tyes\n"
	"filter=fire fox   \n"
	"\n"
	"user =4000000\n"
	"fields= COMMAND,PID,%CPU\n"
	"meters=all\n"
	"graph=no";		/* no newline at the end */

/* ---- rc_parse ---- */

static void test_parse_all(void **state)
{
	struct cli o;
	char err[128] = "untouched";

	(void)state;
	opts_from(&o, NULL);
	assert_int_equal(rc_parse(&o.set, o.given, rc_all, err, sizeof(err)), 0);
	expect_rc_applied(&o);
	assert_string_equal(err, "untouched");
}

/* The same file written on Windows: every line ends in CR LF. */
static void test_parse_crlf(void **state)
{
	char crlf[sizeof(rc_all) * 2], err[128] = "";
	struct cli o;
	size_t i, n = 0;

	(void)state;
	for (i = 0; rc_all[i]; i++) {
		if (rc_all[i] == '\n')
			crlf[n++] = '\r';
		crlf[n++] = rc_all[i];
	}
	strcpy(crlf + n, "\r\n");
	opts_from(&o, NULL);
	assert_int_equal(rc_parse(&o.set, o.given, crlf, err, sizeof(err)), 0);
	expect_rc_applied(&o);
}

/* Only comments and blanks, or nothing: no change at all. */
static void test_parse_empty(void **state)
{
	static const char *const texts[] = { "", "\n", "\n\n  \n\t\n", "# delay=5\n#sort=PID",
					     "\r\n" };
	struct cli o, before;
	char err[64] = "untouched";
	size_t i;

	(void)state;
	opts_from(&before, NULL);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		o = before;
		assert_int_equal(rc_parse(&o.set, o.given, texts[i], err, sizeof(err)), 0);
		assert_memory_equal(&o, &before, sizeof(o));
		assert_string_equal(err, "untouched");
	}
}

/* @err starts with "line N:" and holds @needle. */
static void expect_err(const char *err, unsigned int line, const char *needle)
{
	char want[32];

	snprintf(want, sizeof(want), "line %u:", line);
	if (strncmp(err, want, strlen(want)))
		fail_msg("error \"%s\" does not start with \"%s\"", err, want);
	if (needle && !strstr(err, needle))
		fail_msg("error \"%s\" does not mention \"%s\"", err, needle);
}

/* A bad line is reported by number (blank and comment lines count); the rest applies. */
static void test_parse_bad_value(void **state)
{
	static const char text[] =
		"# comment\n"
		"\n"
		"threads=yes\n"
		"delay=fast\n"		/* line 4 */
		"sort=PID\n";
	struct cli o;
	char err[256] = "";

	(void)state;
	opts_from(&o, NULL);
	assert_int_equal(rc_parse(&o.set, o.given, text, err, sizeof(err)), -EINVAL);
	expect_err(err, 4, "fast");
	assert_float_equal(o.set.delay_s, 1.0, 0);
	assert_true(o.set.threads);
	assert_int_equal(o.set.sort, FIELD_PID);
}

/* Several bad lines of several kinds: the first is reported, every good line applies. */
static void test_parse_bad_lines(void **state)
{
	char text[2048], err[256] = "";
	struct cli o;
	size_t n;

	(void)state;
	n = snprintf(text, sizeof(text),
		     "meters=all\r\n"
		     "no equals sign here\r\n"	/* line 2 */
		     "colour=red\r\n"
		     "delay=3\r\n"
		     "#");
	/* Line 5: a comment too long to be a line. */
	memset(text + n, 'x', 600);
	strcpy(text + n + 600, "\ngraph=no\nthreads=maybe\nfilter=abc\n");
	opts_from(&o, NULL);
	assert_int_equal(rc_parse(&o.set, o.given, text, err, sizeof(err)), -EINVAL);
	expect_err(err, 2, "no '='");
	assert_true(o.set.cpu_total);
	assert_float_equal(o.set.delay_s, 3.0, 0);
	assert_true(o.set.no_graph);
	assert_false(o.set.threads);
	assert_string_equal(o.set.filter, "abc");

	/* Each kind alone, with its own number. */
	opts_from(&o, NULL);
	assert_int_equal(rc_parse(&o.set, o.given, "\n\ncolour=red\n", err, sizeof(err)), -EINVAL);
	expect_err(err, 3, "colour");
	assert_int_equal(rc_parse(&o.set, o.given, "delay=1\r\n=5\r\n", err, sizeof(err)), -EINVAL);
	expect_err(err, 2, NULL);
	assert_int_equal(rc_parse(&o.set, o.given, text + 12, err, sizeof(err)), -EINVAL);
	expect_err(err, 1, "no '='");
	assert_int_equal(rc_parse(&o.set, o.given, strchr(text, '#'), err, sizeof(err)), -EINVAL);
	expect_err(err, 1, "too long");
	assert_int_equal(rc_parse(&o.set, o.given, "fields=PID,PID\n", err, sizeof(err)), -EINVAL);
	expect_err(err, 1, "fields");
	assert_int_equal(o.set.nr_fields, NR_FIELDS_DEFAULT);
}

/* Flags given on the command line win over the rc file; the others still come from it. */
static void test_parse_command_line_wins(void **state)
{
	struct cli o;
	char err[256] = "";

	(void)state;
	opts_from(&o, ARGS("-d", "2", "-o", "-%SYS", "-H", "-u", "0", "--fields", "PID,USER",
			   "--filter", "abc"));
	assert_int_equal(rc_parse(&o.set, o.given, rc_all, err, sizeof(err)), 0);
	assert_float_equal(o.set.delay_s, 2.0, 0);
	assert_int_equal(o.set.sort, FIELD_SYS);
	assert_false(o.set.descending);
	assert_true(o.set.threads);
	assert_string_equal(o.set.filter, "abc");
	assert_true(o.set.uid_set);
	assert_int_equal(o.set.uid, 0);
	assert_int_equal(o.set.nr_fields, 2);
	assert_int_equal(o.set.fields[0], FIELD_PID);
	assert_int_equal(o.set.fields[1], FIELD_USER);
	/* Not on the command line: from the file. */
	assert_true(o.set.cpu_total);
	assert_true(o.set.no_graph);

	/* -d alone: everything else comes from the file. */
	opts_from(&o, ARGS("-d", "2"));
	assert_int_equal(rc_parse(&o.set, o.given, rc_all, err, sizeof(err)), 0);
	assert_float_equal(o.set.delay_s, 2.0, 0);
	assert_int_equal(o.set.sort, FIELD_PID);
	assert_true(o.set.threads);
	assert_string_equal(o.set.filter, "fire fox");

	/* -H said yes: the file's "threads=no" does not undo it. */
	opts_from(&o, ARGS("-H"));
	assert_int_equal(rc_parse(&o.set, o.given, "threads=no\n", err, sizeof(err)), 0);
	assert_true(o.set.threads);
}

/* ---- rc_locate ---- */

static void expect_path(const char *want)
{
	char buf[4096];

	assert_int_equal(rc_locate(buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

static void test_path(void **state)
{
	struct passwd *pw;
	char want[4096], buf[16];

	(void)state;
	setenv("XDG_CONFIG_HOME", "/x/conf", 1);
	setenv("HOME", "/home/someone", 1);
	expect_path("/x/conf/cputop/cputoprc");
	/* A relative XDG_CONFIG_HOME is invalid (XDG base directory spec): HOME. */
	setenv("XDG_CONFIG_HOME", "rel/conf", 1);
	expect_path("/home/someone/.config/cputop/cputoprc");
	setenv("XDG_CONFIG_HOME", "", 1);
	expect_path("/home/someone/.config/cputop/cputoprc");
	unsetenv("XDG_CONFIG_HOME");
	expect_path("/home/someone/.config/cputop/cputoprc");

	/* No HOME either: the passwd entry's home. */
	pw = getpwuid(getuid());
	if (pw && *pw->pw_dir) {
		snprintf(want, sizeof(want), "%s/.config/cputop/cputoprc", pw->pw_dir);
		unsetenv("HOME");
		expect_path(want);
		setenv("HOME", "", 1);
		expect_path(want);
	}

	/* Too small a buffer is an error, not a cut path. */
	setenv("XDG_CONFIG_HOME", "/x/conf", 1);
	assert_int_equal(rc_locate(buf, sizeof(buf)), -ENAMETOOLONG);
	assert_int_equal(rc_locate(want, strlen("/x/conf/cputop/cputoprc")), -ENAMETOOLONG);
	assert_int_equal(rc_locate(want, strlen("/x/conf/cputop/cputoprc") + 1), 0);
}

/* rc_locate() into the test directory, and rc_save() there creating its directories. */
static void test_path_save_load(void **state)
{
	struct cli o, back;
	char path[4096], err[128] = "";

	setenv("XDG_CONFIG_HOME", in_dir(state, "xdg"), 1);
	assert_int_equal(rc_locate(path, sizeof(path)), 0);
	assert_string_equal(path, in_dir(state, "xdg/cputop/cputoprc"));
	opts_from(&o, ARGS("-d", "4", "-H"));
	assert_int_equal(rc_save(&o.set, path), 0);
	opts_from(&back, NULL);
	assert_int_equal(rc_load(&back.set, back.given, path, err, sizeof(err)), 0);
	expect_same_settings(&o, &back);

	/* The HOME fallback, the same way. */
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", in_dir(state, "home"), 1);
	assert_int_equal(rc_locate(path, sizeof(path)), 0);
	assert_string_equal(path, in_dir(state, "home/.config/cputop/cputoprc"));
	assert_int_equal(rc_save(&o.set, path), 0);
	opts_from(&back, NULL);
	assert_int_equal(rc_load(&back.set, back.given, path, err, sizeof(err)), 0);
	expect_same_settings(&o, &back);
}

/* ---- rc_save and rc_load ---- */

/* Every setting away from its default, as the TUI's prompts and keys would set them. */
static void opts_changed(struct cli *o)
{
	opts_from(o, NULL);
	assert_int_equal(prompt(o, SET_DELAY, "0.25"), 0);
	assert_int_equal(prompt(o, SET_SORT, "-%SYS"), 0);
	assert_int_equal(prompt(o, SET_THREADS, "yes"), 0);
	assert_int_equal(prompt(o, SET_FILTER, "Web Content"), 0);
	assert_int_equal(prompt(o, SET_USER, "4000000"), 0);
	assert_int_equal(prompt(o, SET_FIELDS, "command,PID,%cpu,time+"), 0);
	assert_int_equal(prompt(o, SET_METERS, "all"), 0);
	assert_int_equal(prompt(o, SET_GRAPH, "no"), 0);
}

static void test_roundtrip(void **state)
{
	const char *path = in_dir(state, "cputoprc");
	struct cli o, back, dflt;
	char err[128] = "untouched";

	opts_changed(&o);
	/* The struct holds the values asked for (so the comparison below means something). */
	assert_float_equal(o.set.delay_s, 0.25, 0);
	assert_int_equal(o.set.sort, FIELD_SYS);
	assert_false(o.set.descending);
	assert_int_equal(o.set.nr_fields, 4);
	assert_int_equal(o.set.fields[3], FIELD_TIME);
	assert_int_equal(rc_save(&o.set, path), 0);
	opts_from(&back, NULL);
	assert_int_equal(rc_load(&back.set, back.given, path, err, sizeof(err)), 0);
	assert_string_equal(err, "untouched");
	expect_same_settings(&o, &back);

	/* And back to the defaults: an empty filter and no user are settings too. */
	opts_from(&dflt, NULL);
	assert_int_equal(rc_save(&dflt.set, path), 0);
	assert_int_equal(rc_load(&back.set, back.given, path, err, sizeof(err)), 0);
	expect_same_settings(&dflt, &back);
	assert_false(back.set.uid_set);
	assert_string_equal(back.set.filter, "");
}

/* A file written by rc_save() changes no other setting, whatever the filter holds. */
static void test_roundtrip_filter_newline(void **state)
{
	const char *path = in_dir(state, "cputoprc");
	struct cli o, back;
	char err[256] = "";

	opts_from(&o, NULL);
	if (prompt(&o, SET_FILTER, "x\nthreads=yes\ndelay=0.01"))
		return;	/* refusing such a filter is an answer too */
	assert_int_equal(rc_save(&o.set, path), 0);
	opts_from(&back, NULL);
	rc_load(&back.set, back.given, path, err, sizeof(err));
	if (back.set.threads || back.set.delay_s != 1.0)
		fail_msg("a filter holding a newline, once saved, set other settings on reading "
			 "(threads=%d delay=%g)", back.set.threads, back.set.delay_s);
	assert_string_equal(back.set.filter, o.set.filter);
}

/* Blanks at the ends of a filter are dropped on every path, so what is saved reads back. */
static void test_roundtrip_filter_blanks(void **state)
{
	const char *path = in_dir(state, "cputoprc");
	struct cli o, back;
	char err[256] = "";

	opts_from(&o, ARGS("--filter", " Con tent\t "));
	assert_string_equal(o.set.filter, "Con tent");
	assert_int_equal(rc_save(&o.set, path), 0);
	opts_from(&back, NULL);
	assert_int_equal(rc_load(&back.set, back.given, path, err, sizeof(err)), 0);
	assert_string_equal(back.set.filter, "Con tent");
}

static void test_save_creates_dirs_and_mode(void **state)
{
	const char *path = in_dir(state, "a/b/c/cputoprc"), *dir = in_dir(state, "a/b/c");
	struct cli o;
	struct dirent *de;
	struct stat st;
	DIR *d;

	opts_from(&o, NULL);
	assert_int_equal(rc_save(&o.set, path), 0);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0755);
	assert_int_equal(stat(in_dir(state, "a"), &st), 0);
	assert_true(S_ISDIR(st.st_mode));

	/* Only the file itself is there: no temporary file left behind. */
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			assert_string_equal(de->d_name, "cputoprc");
	}
	closedir(d);
}

/* The old file is replaced whole, with the new mode, not appended to. */
static void test_save_replaces(void **state)
{
	const char *path = in_dir(state, "cputoprc");
	struct cli o, back;
	char err[128] = "", *text;
	struct stat st;

	write_file(path, "delay=9\nbogus line\n", 19);
	chmod(path, 0600);
	opts_from(&o, ARGS("-d", "3"));
	assert_int_equal(rc_save(&o.set, path), 0);
	text = read_text(path);
	assert_non_null(text);
	assert_null(strstr(text, "bogus"));
	assert_null(strstr(text, "delay=9"));
	free(text);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	opts_from(&back, NULL);
	assert_int_equal(rc_load(&back.set, back.given, path, err, sizeof(err)), 0);
	assert_float_equal(back.set.delay_s, 3.0, 0);
}

static const char victim_text[] = "do not touch\n";

/* A symlink planted at the temporary name is not written through, existing target or not. */
static void test_save_tmp_symlink(void **state)
{
	const char *path = in_dir(state, "cputoprc"), *victim = in_dir(state, "victim");
	const char *nowhere = in_dir(state, "nowhere");
	struct cli o;
	char tmp[600];
	struct stat st;

	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	write_file(victim, victim_text, strlen(victim_text));
	assert_int_equal(symlink(victim, tmp), 0);
	opts_from(&o, NULL);
	assert_true(rc_save(&o.set, path) < 0);
	expect_file(victim, victim_text);
	assert_int_equal(lstat(path, &st), -1);
	assert_int_equal(errno, ENOENT);

	/* A dangling one: the file it names is not created. */
	assert_int_equal(unlink(tmp), 0);
	assert_int_equal(symlink(nowhere, tmp), 0);
	assert_true(rc_save(&o.set, path) < 0);
	assert_int_equal(lstat(nowhere, &st), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(lstat(path, &st), -1);
}

/* A symlink at the path itself is replaced by the file, its target left alone. */
static void test_save_path_symlink(void **state)
{
	const char *path = in_dir(state, "cputoprc"), *victim = in_dir(state, "victim");
	struct cli o, back;
	char err[128] = "";
	struct stat st;

	write_file(victim, victim_text, strlen(victim_text));
	assert_int_equal(symlink(victim, path), 0);
	opts_from(&o, ARGS("-d", "7"));
	assert_int_equal(rc_save(&o.set, path), 0);
	expect_file(victim, victim_text);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	opts_from(&back, NULL);
	assert_int_equal(rc_load(&back.set, back.given, path, err, sizeof(err)), 0);
	assert_float_equal(back.set.delay_s, 7.0, 0);
}

/* A save that fails at the rename removes its temporary file. */
static void test_save_error_cleans_up(void **state)
{
	const char *path = in_dir(state, "cputoprc"), *file = in_dir(state, "file");
	struct cli o;
	char tmp[600], sub[600];

	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	/* A non-empty directory where the file should be: rename() cannot replace it. */
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(sub, sizeof(sub), "%s/keep", path);
	write_file(sub, "x", 1);
	opts_from(&o, NULL);
	assert_true(rc_save(&o.set, path) < 0);
	assert_int_equal(access(tmp, F_OK), -1);
	expect_file(sub, "x");

	/* A regular file where a directory should be. */
	write_file(file, "x", 1);
	snprintf(sub, sizeof(sub), "%s/sub/cputoprc", file);
	assert_true(rc_save(&o.set, sub) < 0);
	expect_file(file, "x");
}

static void test_load_missing(void **state)
{
	struct cli o, before;
	char err[64] = "untouched";

	opts_from(&before, ARGS("-d", "3"));
	o = before;
	assert_int_equal(rc_load(&o.set, o.given, in_dir(state, "nothing"), err, sizeof(err)), 0);
	assert_int_equal(rc_load(&o.set, o.given, in_dir(state, "no/dir/rc"), err, sizeof(err)), 0);
	assert_memory_equal(&o, &before, sizeof(o));
	assert_string_equal(err, "untouched");
}

/* A FIFO planted at the path is refused at once, not read (which would block the start). */
static void test_load_fifo(void **state)
{
	const char *path = in_dir(state, "cputoprc");
	struct cli o;
	char err[64] = "";

	opts_from(&o, NULL);
	assert_int_equal(mkfifo(path, 0644), 0);
	assert_int_equal(rc_load(&o.set, o.given, path, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "not a regular file");
}

static void test_load_bad_line(void **state)
{
	const char *path = in_dir(state, "cputoprc");
	static const char text[] = "delay=5\nsort=nonsense\nmeters=all\n";
	struct cli o;
	char err[256] = "";

	write_file(path, text, strlen(text));
	opts_from(&o, NULL);
	assert_int_equal(rc_load(&o.set, o.given, path, err, sizeof(err)), -EINVAL);
	expect_err(err, 2, "nonsense");
	assert_float_equal(o.set.delay_s, 5.0, 0);
	assert_true(o.set.cpu_total);
	assert_int_equal(o.set.sort, FIELD_CPU);
}

/* A file of @size bytes: "delay=5", then comment lines of 99 bytes and a newline each. */
static void write_sized(const char *path, size_t size)
{
	char *text = malloc(size);
	size_t i;

	assert_non_null(text);
	memset(text, 'x', size);
	memcpy(text, "delay=5\n", 8);
	for (i = 8; i < size; i += 100) {
		text[i] = '#';
		if (i + 99 < size)
			text[i + 99] = '\n';
	}
	write_file(path, text, size);
	free(text);
}

/* 64 KiB is the limit: one byte more and nothing of the file applies. */
static void test_load_oversized(void **state)
{
	const char *path = in_dir(state, "cputoprc");
	struct cli o;
	char err[128] = "";

	write_sized(path, 65537);
	opts_from(&o, NULL);
	assert_true(rc_load(&o.set, o.given, path, err, sizeof(err)) < 0);
	assert_float_equal(o.set.delay_s, 1.0, 0);
	assert_true(strlen(err) > 0);

	write_sized(path, 1 << 20);
	assert_true(rc_load(&o.set, o.given, path, err, sizeof(err)) < 0);
	assert_float_equal(o.set.delay_s, 1.0, 0);

	write_sized(path, 65536);
	assert_int_equal(rc_load(&o.set, o.given, path, err, sizeof(err)), 0);
	assert_float_equal(o.set.delay_s, 5.0, 0);
}

/* A directory at the path is an error, not an empty file. */
static void test_load_directory(void **state)
{
	struct cli o, before;
	char err[64] = "";

	opts_from(&before, NULL);
	o = before;
	assert_true(rc_load(&o.set, o.given, in_dir(state, ""), err, sizeof(err)) < 0);
	assert_memory_equal(&o, &before, sizeof(o));
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_parse_all),
		T(test_parse_crlf),
		T(test_parse_empty),
		T(test_parse_bad_value),
		T(test_parse_bad_lines),
		T(test_parse_command_line_wins),
		T(test_path),
		T(test_path_save_load),
		T(test_roundtrip),
		T(test_roundtrip_filter_newline),
		T(test_roundtrip_filter_blanks),
		T(test_save_creates_dirs_and_mode),
		T(test_save_replaces),
		T(test_save_tmp_symlink),
		T(test_save_path_symlink),
		T(test_save_error_cleans_up),
		T(test_load_missing),
		T(test_load_fifo),
		T(test_load_bad_line),
		T(test_load_oversized),
		T(test_load_directory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
