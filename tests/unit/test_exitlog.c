// SPDX-License-Identifier: GPL-2.0
/*
 * The exit log: one line of InfluxDB line protocol per process gone, its tags escaped and
 * terminal-safe, its timestamp the exit's Unix time. Expected lines are written out by hand.
 */
#include <errno.h>
#include <fcntl.h>
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

#include "sink/exitlog.h"

#define SEC 1000000000ull
#define MS 1000000ull
/* 2023-11-14 22:13:20 UTC, in ns. */
#define WALL (1700000000ll * 1000000000)

/*
 * make 4242 (parent 1) ran from 10 s to 12.5 s of the monotonic clock: 2.5 s, of which 1.5 s
 * on a CPU (1 s user, 0.5 s sys).
 */
static struct proc_exit make_exit(void)
{
	return (struct proc_exit){ .pid = 4242, .ppid = 1, .uid = 1000, .comm = "make",
		.start_ns = 10 * SEC, .exit_ns = 12500 * MS, .cpu_ns = 1500 * MS,
		.user_ns = SEC, .sys_ns = 500 * MS };
}

/*
 * exitlog_line() into a fresh buffer, for a snapshot taken at @mono_ns of its clock, which was
 * Unix time @wall_ns then; its return value is the line's length.
 */
static const char *line(const struct proc_exit *e, const char *user, int64_t wall_ns,
			uint64_t mono_ns)
{
	const struct snapshot s = { .ts_ns = mono_ns, .wall_ns = wall_ns };
	static char buf[1024];
	int n;

	memset(buf, 'Z', sizeof(buf));
	n = exitlog_line(buf, sizeof(buf), e, user, NULL, snapshot_unix_ns(&s, e->exit_ns));
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(buf));
	return buf;
}

/* Everything between "cputop_exit," and the first unescaped space: the tag set. */
static const char *tags(const struct proc_exit *e, const char *user)
{
	static char buf[1024];
	const char *l = line(e, user, WALL, 13 * SEC), *p;

	assert_memory_equal(l, "cputop_exit,", 12);
	for (p = l + 12; *p && *p != ' '; p++) {
		if (*p == '\\' && p[1])
			p++;
	}
	assert_int_equal(*p, ' ');
	snprintf(buf, sizeof(buf), "%.*s", (int)(p - l - 12), l + 12);
	return buf;
}

static void test_line(void **state)
{
	struct proc_exit e = make_exit();

	(void)state;
	/*
	 * Lifetime 2.5 s; 60% of a CPU on average (1.5 / 2.5); 1.5 s is 0.025 CPU-minutes. The
	 * snapshot at 13 s monotonic was taken at WALL: the exit, 0.5 s before, at WALL - 0.5 s.
	 */
	assert_string_equal(line(&e, "alice", WALL, 13 * SEC),
			    "cputop_exit,comm=make,user=alice pid=4242i,ppid=1i,"
			    "lifetime_s=2.500000,user_s=1.000000,sys_s=0.500000,"
			    "avg_cpu_pct=60.00,credits=0.025000 1699999999500000000\n");
}

/* The timestamp is wall + (exit - mono), whichever side of the snapshot the exit is. */
static void test_timestamp(void **state)
{
	struct proc_exit e = make_exit();
	const char *l;

	(void)state;
	/* Snapshot at the exit itself: WALL exactly. */
	l = line(&e, "alice", WALL, 12500 * MS);
	assert_non_null(strstr(l, " 1700000000000000000\n"));
	/* Exit 250 ms after the snapshot's clock reading. */
	l = line(&e, "alice", WALL, 12250 * MS);
	assert_non_null(strstr(l, " 1700000000250000000\n"));
	/* 2 h before: 7200 s earlier. */
	l = line(&e, "alice", WALL, 12500 * MS + 7200 * SEC);
	assert_non_null(strstr(l, " 1699992800000000000\n"));
	/* The Unix epoch itself is no special case. */
	l = line(&e, "alice", 0, 11500 * MS);
	assert_non_null(strstr(l, " 1000000000\n"));
}

/* Figures at their extremes: no lifetime (no division by zero), the largest PID. */
static void test_figures(void **state)
{
	struct proc_exit e = make_exit();

	(void)state;
	e.pid = 4294967295u;
	e.ppid = 0;
	e.exit_ns = e.start_ns;
	e.cpu_ns = e.user_ns = e.sys_ns = 0;
	assert_string_equal(line(&e, "root", WALL, 10 * SEC),
			    "cputop_exit,comm=make,user=root pid=4294967295i,ppid=0i,"
			    "lifetime_s=0.000000,user_s=0.000000,sys_s=0.000000,"
			    "avg_cpu_pct=0.00,credits=0.000000 1700000000000000000\n");
	/* An exit stamped before the start (clocks of two CPUs): a lifetime of 0, not 584 y. */
	e.exit_ns = e.start_ns - 1;
	assert_non_null(strstr(line(&e, "root", WALL, 10 * SEC), ",lifetime_s=0.000000,"));
	/* 2 CPUs busy for an hour: 120 credits; 200% over its life of 1 h. */
	e = make_exit();
	e.exit_ns = e.start_ns + 3600 * SEC;
	e.cpu_ns = 7200 * SEC;
	e.user_ns = 7000 * SEC;
	e.sys_ns = 200 * SEC;
	assert_non_null(strstr(line(&e, "root", WALL, 10 * SEC),
			       " pid=4242i,ppid=1i,lifetime_s=3600.000000,user_s=7000.000000,"
			       "sys_s=200.000000,avg_cpu_pct=200.00,credits=120.000000 "));
}

/*
 * A comma, equals sign or space in a tag value is escaped with a backslash; a backslash goes
 * as it is, but where InfluxDB would read it as the escape of the separator after it.
 */
static void test_tag_escapes(void **state)
{
	struct proc_exit e = make_exit();

	(void)state;
	memcpy(e.comm, "a b,c=d\\e", 10);
	assert_string_equal(tags(&e, "x y=z,w\\"),
			    "comm=a\\ b\\,c\\=d\\e,user=x\\ y\\=z\\,w?");
	/* An odd run before an escaped byte loses its last; an even one pairs up whole. */
	memcpy(e.comm, "a\\,b\\\\ c\\\\", 11);
	assert_string_equal(tags(&e, "\\\\\\=x"),
			    "comm=a?\\,b\\\\\\ c\\?,user=\\\\?\\=x");
	/* Nothing else is: quotes, colons and dots go as they are. */
	memcpy(e.comm, "\"q\":1.5'", 9);
	assert_string_equal(tags(&e, "d.o-e_1"), "comm=\"q\":1.5',user=d.o-e_1");
}

/* Line protocol refuses an empty tag value: an empty name is "?". */
static void test_tag_empty(void **state)
{
	struct proc_exit e = make_exit();

	(void)state;
	memset(e.comm, 0, sizeof(e.comm));
	assert_string_equal(tags(&e, ""), "comm=?,user=?");
}

/*
 * A name can hold anything a process put there: control bytes (a newline would end the line
 * early) and invalid UTF-8 become '?'; valid UTF-8 stays.
 */
static void test_tag_hostile(void **state)
{
	struct proc_exit e = make_exit();
	const char *l;

	(void)state;
	memcpy(e.comm, "\x1b[1m\nx\ty\x7fz\r", 12);
	assert_string_equal(tags(&e, "u\nv"), "comm=?[1m?x?y?z?,user=u?v");
	memset(e.comm, 0, sizeof(e.comm));
	memcpy(e.comm, "\xff\xfe" "ok\xc0\xaf", 6);
	assert_string_equal(tags(&e, "j\xc3\xb6rg"), "comm=??ok??,user=j\xc3\xb6rg");
	/* The whole line: one newline, at its end. */
	memcpy(e.comm, "a\nb\nc", 6);
	l = line(&e, "x\ny", WALL, 13 * SEC);
	assert_ptr_equal(strchr(l, '\n'), l + strlen(l) - 1);
	/* An escape that became '?' is not escaped again: "\x1b," is "?\,". */
	memcpy(e.comm, "\x1b,", 3);
	assert_string_equal(tags(&e, "u"), "comm=?\\,,user=u");
}

/* A comm of all 16 bytes, no NUL: all 16 are the tag, nothing after them. */
static void test_tag_full_comm(void **state)
{
	struct proc_exit e = make_exit();

	(void)state;
	memcpy(e.comm, "abcdefghijklmnop", 16);
	assert_string_equal(tags(&e, "u"), "comm=abcdefghijklmnop,user=u");
}

/*
 * A tag value too long for its buffer is cut between characters, never inside an escape:
 * a backslash left at the end would escape the separator after it.
 */
static void test_tag_long(void **state)
{
	struct proc_exit e = make_exit();
	char user[101];
	const char *t;
	size_t len;

	(void)state;
	memset(user, ',', 100);
	user[100] = '\0';
	t = tags(&e, user);
	assert_memory_equal(t, "comm=make,user=", 15);
	len = strlen(t + 15);
	assert_true(len > 0);
	assert_int_equal(len % 2, 0);
	for (size_t i = 0; i < len; i += 2)
		assert_memory_equal(t + 15 + i, "\\,", 2);
}

/*
 * The cgroup tag: after user, escaped like them, a hostile name made safe, a long path whole;
 * none when the cgroup is not known.
 */
static void test_tag_cgroup(void **state)
{
	struct proc_exit e = make_exit();
	static char buf[8192], path[3000];
	int n;

	(void)state;
	n = exitlog_line(buf, sizeof(buf), &e, "u", "/system.slice/my app,x=1.service", WALL);
	assert_int_equal((size_t)n, strlen(buf));
	assert_non_null(strstr(buf, "cputop_exit,comm=make,user=u,"
				    "cgroup=/system.slice/my\\ app\\,x\\=1.service pid="));
	exitlog_line(buf, sizeof(buf), &e, "u", "/a/\x1b]0;pwn\a\n", WALL);
	assert_non_null(strstr(buf, ",cgroup=/a/?]0;pwn?? pid="));
	assert_ptr_equal(strchr(buf, '\n'), buf + strlen(buf) - 1);
	memset(path, 'p', sizeof(path) - 1);
	path[0] = '/';
	exitlog_line(buf, sizeof(buf), &e, "u", path, WALL);
	assert_non_null(strstr(buf, path));
	exitlog_line(buf, sizeof(buf), &e, "u", NULL, WALL);
	assert_null(strstr(buf, "cgroup="));
}

/* As snprintf(): the length it needed, and a cut but terminated line in a small buffer. */
static void test_line_small_buffer(void **state)
{
	struct proc_exit e = make_exit();
	char small[16];
	int n;

	(void)state;
	memset(small, 'Z', sizeof(small));
	n = exitlog_line(small, sizeof(small), &e, "alice", NULL, WALL);
	assert_int_equal(n, (int)strlen(line(&e, "alice", WALL, 13 * SEC)));
	assert_string_equal(small, "cputop_exit,com");
}

/* ---- the log file ---- */

static char dir[64];

static int dir_setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/cputop-exitlog-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int dir_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static const char *in_dir(const char *name)
{
	static char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static char *slurp(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/*
 * Two refreshes: the first with two exits and no drops, the second with none and 3 records
 * dropped, then a third with the same 3 (already told), a fourth with 5. The file had a line
 * before: it is appended to.
 */
static void test_write(void **state)
{
	struct proc_exit exits[2] = { make_exit(), make_exit() };
	const char *path = in_dir("exits.lp");
	struct users users = {};
	struct snapshot s = {};
	struct model m = {};
	struct exitlog l;
	struct stat st;
	FILE *f;

	(void)state;
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("earlier\n", f);
	fclose(f);
	exits[0].uid = 0;
	exits[1].pid = 77;
	exits[1].uid = 4000000;	/* no passwd entry: its number */
	memcpy(exits[1].comm, "sh", 3);
	m.exits = exits;
	m.nr_exits = 2;
	s.ts_ns = 13 * SEC;
	s.wall_ns = WALL;
	assert_int_equal(exitlog_open(&l, path), 0);
	assert_true(l.owned);
	assert_int_equal(exitlog_write(&l, &s, &m, &users), 0);
	m.nr_exits = 0;
	s.exits_dropped = 3;
	s.wall_ns = WALL + 2 * SEC;
	assert_int_equal(exitlog_write(&l, &s, &m, &users), 0);
	s.wall_ns = WALL + 4 * SEC;
	assert_int_equal(exitlog_write(&l, &s, &m, &users), 0);
	s.exits_dropped = 5;
	s.wall_ns = WALL + 6 * SEC;
	assert_int_equal(exitlog_write(&l, &s, &m, &users), 0);
	exitlog_close(&l);
	assert_null(l.f);
	users_free(&users);
	assert_string_equal(slurp(path),
			    "earlier\n"
			    "cputop_exit,comm=make,user=root pid=4242i,ppid=1i,lifetime_s=2.500000,"
			    "user_s=1.000000,sys_s=0.500000,avg_cpu_pct=60.00,credits=0.025000 "
			    "1699999999500000000\n"
			    "cputop_exit,comm=sh,user=4000000 pid=77i,ppid=1i,lifetime_s=2.500000,"
			    "user_s=1.000000,sys_s=0.500000,avg_cpu_pct=60.00,credits=0.025000 "
			    "1699999999500000000\n"
			    "cputop_exits_dropped total=3i 1700000002000000000\n"
			    "cputop_exits_dropped total=5i 1700000006000000000\n");
	/* Still the plain file it was. */
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
}

/* A new log is 0644 whatever the umask allows, and never opened through a symbolic link. */
static void test_open_mode_nofollow(void **state)
{
	const char *path = in_dir("new.lp");
	char target[128];
	struct exitlog l;
	struct stat st;
	mode_t old = umask(0);

	(void)state;
	assert_int_equal(exitlog_open(&l, path), 0);
	umask(old);
	exitlog_close(&l);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_true(S_ISREG(st.st_mode));

	snprintf(target, sizeof(target), "%s", in_dir("target"));
	assert_int_equal(symlink(target, in_dir("link.lp")), 0);
	assert_int_equal(exitlog_open(&l, in_dir("link.lp")), -ELOOP);
	assert_null(l.f);
	/* The link's target was not created. */
	assert_int_equal(access(target, F_OK), -1);
	assert_int_equal(exitlog_open(&l, in_dir("no/such/dir.lp")), -ENOENT);
}

/* "-" is standard output, which closing the log leaves open. */
static void test_open_stdout(void **state)
{
	struct exitlog l;

	(void)state;
	assert_int_equal(exitlog_open(&l, "-"), 0);
	assert_ptr_equal(l.f, stdout);
	assert_false(l.owned);
	exitlog_close(&l);
	assert_null(l.f);
	assert_true(fcntl(STDOUT_FILENO, F_GETFD) >= 0);
	assert_int_equal(fflush(stdout), 0);
}

/* A write that fails is an error, with the reason. */
static void test_write_error(void **state)
{
	struct proc_exit e = make_exit();
	struct users users = {};
	struct snapshot s = { .ts_ns = 13 * SEC, .wall_ns = WALL };
	struct model m = { .exits = &e, .nr_exits = 1 };
	struct exitlog l = {};

	(void)state;
	l.f = fopen("/dev/full", "w");
	assert_non_null(l.f);
	l.owned = true;
	assert_int_equal(exitlog_write(&l, &s, &m, &users), -ENOSPC);
	exitlog_close(&l);
	users_free(&users);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_timestamp),
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_tag_escapes),
		cmocka_unit_test(test_tag_empty),
		cmocka_unit_test(test_tag_hostile),
		cmocka_unit_test(test_tag_full_comm),
		cmocka_unit_test(test_tag_long),
		cmocka_unit_test(test_tag_cgroup),
		cmocka_unit_test(test_line_small_buffer),
		cmocka_unit_test_setup_teardown(test_write, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(test_open_mode_nofollow, dir_setup, dir_teardown),
		cmocka_unit_test(test_open_stdout),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
