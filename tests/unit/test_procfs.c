// SPDX-License-Identifier: GPL-2.0
/*
 * procfs: the pure parse_*() functions on buffers, then the readers on the fixture tree
 * tests/fixtures/proc-basic and on small trees made at run time.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "source/procfs/procfs.h"
#include "fixture.h"

#define NSEC_PER_SEC 1000000000ull

/* Nanoseconds for @ticks as the kernel's USER_HZ defines them, computed independently. */
static uint64_t tick_ns(uint64_t ticks)
{
	long hz = sysconf(_SC_CLK_TCK);

	return ticks * (NSEC_PER_SEC / (uint64_t)hz);
}

/* ---- parse_stat ---- */

static void test_stat_ten_fields(void **state)
{
	const char *buf = "cpu  1 2 3 4 5 6 7 8 9 10\n"
			  "cpu0 11 12 13 14 15 16 17 18 19 20\n"
			  "cpu1 21 22 23 24 25 26 27 28 29 30\n"
			  "intr 1 2 3\nctxt 4\n";
	struct snapshot s = {};
	int i;

	(void)state;
	assert_int_equal(parse_stat(buf, &s), 0);
	assert_int_equal(s.nr_cpus, 2);
	for (i = 0; i < CPU_NR_FIELDS; i++) {
		assert_int_equal(s.cpu_total.t[i], i + 1);
		assert_int_equal(s.cpus[0].t[i], i + 11);
		assert_int_equal(s.cpus[1].t[i], i + 21);
	}
	snapshot_free(&s);
}

/* Fields a kernel does not print must read as zero, whatever the struct held before. */
static void test_stat_old_kernels(void **state)
{
	struct snapshot s = {};
	int i;

	(void)state;
	memset(&s.cpu_total, 0xff, sizeof(s.cpu_total));
	assert_int_equal(parse_stat("cpu 10 20 30 40\ncpu0 10 20 30 40\n", &s), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(s.cpu_total.t[i], 10 * (i + 1));
	for (i = 4; i < CPU_NR_FIELDS; i++) {
		assert_int_equal(s.cpu_total.t[i], 0);
		assert_int_equal(s.cpus[0].t[i], 0);
	}

	memset(&s.cpu_total, 0xff, sizeof(s.cpu_total));
	assert_int_equal(parse_stat("cpu  1 2 3 4 5 6 7\ncpu0 1 2 3 4 5 6 7\n", &s), 0);
	for (i = 0; i < 7; i++)
		assert_int_equal(s.cpu_total.t[i], i + 1);
	assert_int_equal(s.cpu_total.t[CPU_STEAL], 0);
	assert_int_equal(s.cpu_total.t[CPU_GUEST], 0);
	assert_int_equal(s.cpu_total.t[CPU_GUEST_NICE], 0);
	assert_int_equal(s.cpus[0].t[CPU_SOFTIRQ], 7);
	snapshot_free(&s);
}

/* An offline CPU has no line: the array still has its slot, zeroed. */
static void test_stat_cpu_gap(void **state)
{
	const char *buf = "cpu  3 0 0 3\ncpu0 1 0 0 1\ncpu2 2 0 0 2\n";
	struct snapshot s = {};

	(void)state;
	/* Stale contents from an earlier snapshot must not survive in the gap. */
	s.cap_cpus = 4;
	s.cpus = malloc(s.cap_cpus * sizeof(*s.cpus));
	assert_non_null(s.cpus);
	memset(s.cpus, 0xff, s.cap_cpus * sizeof(*s.cpus));
	assert_int_equal(parse_stat(buf, &s), 0);
	assert_int_equal(s.nr_cpus, 3);
	assert_int_equal(s.cpus[0].t[CPU_USER], 1);
	assert_int_equal(s.cpus[1].t[CPU_USER], 0);
	assert_int_equal(s.cpus[1].t[CPU_IDLE], 0);
	assert_int_equal(s.cpus[1].t[CPU_GUEST_NICE], 0);
	assert_int_equal(s.cpus[2].t[CPU_USER], 2);
	assert_int_equal(s.cpus[2].t[CPU_IDLE], 2);
	snapshot_free(&s);
}

/* A second parse into the same snapshot sees fewer CPUs: the count follows the new file. */
static void test_stat_reparse(void **state)
{
	struct snapshot s = {};

	(void)state;
	assert_int_equal(parse_stat("cpu  4 0 0 4\ncpu0 1 0 0 1\ncpu1 1 0 0 1\n"
				    "cpu2 1 0 0 1\ncpu3 1 0 0 1\n", &s), 0);
	assert_int_equal(s.nr_cpus, 4);
	assert_int_equal(parse_stat("cpu  2 0 0 2\ncpu0 9 0 0 1\ncpu1 8 0 0 1\n", &s), 0);
	assert_int_equal(s.nr_cpus, 2);
	assert_int_equal(s.cpus[0].t[CPU_USER], 9);
	assert_int_equal(s.cpus[1].t[CPU_USER], 8);
	snapshot_free(&s);
}

static void test_stat_no_total(void **state)
{
	struct snapshot s = {};

	(void)state;
	assert_int_equal(parse_stat("cpu0 1 2 3 4\ncpu1 1 2 3 4\nintr 5\n", &s), -EINVAL);
	assert_int_equal(parse_stat("", &s), -EINVAL);
	assert_int_equal(parse_stat("intr 1 2 3\n", &s), -EINVAL);
	snapshot_free(&s);
}

static void test_stat_truncated(void **state)
{
	struct snapshot s = {};

	(void)state;
	assert_int_equal(parse_stat("cpu  1 2 3", &s), -EINVAL);
	assert_int_equal(parse_stat("cpu  1 2 3\n", &s), -EINVAL);
	assert_int_equal(parse_stat("cpu  1 2 3 4 5\ncpu0 1 2", &s), -EINVAL);
	assert_int_equal(parse_stat("cpu  1 2 3 4 5\ncpu0", &s), -EINVAL);
	assert_int_equal(parse_stat("cpu  1 2 3 4 5\ncpu", &s), -EINVAL);
	snapshot_free(&s);
}

/* ---- parse_meminfo ---- */

static void test_meminfo_bytes(void **state)
{
	/* SwapCached comes first so that a suffix match on "Cached:" would take it. */
	const char *buf = "MemTotal:       16384000 kB\n"
			  "SwapCached:        10000 kB\n"
			  "MemFree:         1024000 kB\n"
			  "MemAvailable:    8192000 kB\n"
			  "Buffers:          204800 kB\n"
			  "Cached:          4096000 kB\n"
			  "SwapTotal:       2097152 kB\n"
			  "SwapFree:        1048576 kB\n"
			  "Shmem:             51200 kB\n"
			  "SReclaimable:     102400 kB\n"
			  "HugePages_Total:      64\n"
			  "HugePages_Free:       48\n"
			  "HugePages_Rsvd:        4\n"
			  "HugePages_Surp:        0\n"
			  "Hugepagesize:       2048 kB\n";
	struct meminfo m;

	(void)state;
	memset(&m, 0xff, sizeof(m));
	assert_int_equal(parse_meminfo(buf, &m), 0);
	assert_int_equal(m.total, 16384000ull * 1024);
	assert_int_equal(m.free, 1024000ull * 1024);
	assert_int_equal(m.available, 8192000ull * 1024);
	assert_int_equal(m.buffers, 204800ull * 1024);
	assert_int_equal(m.cached, 4096000ull * 1024);
	assert_int_equal(m.swap_total, 2097152ull * 1024);
	assert_int_equal(m.swap_free, 1048576ull * 1024);
	assert_int_equal(m.shmem, 51200ull * 1024);
	assert_int_equal(m.sreclaimable, 102400ull * 1024);
	/* Huge pages are counted in pages, their size in kB. */
	assert_int_equal(m.huge_total, 64);
	assert_int_equal(m.huge_free, 48);
	assert_int_equal(m.huge_rsvd, 4);
	assert_int_equal(m.huge_size, 2048 * 1024);
}

/* Before 3.14 there is no MemAvailable: free + buffers + page cache stands in. */
static void test_meminfo_no_available(void **state)
{
	const char *buf = "MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 20 kB\nCached: 300 kB\n";
	struct meminfo m;

	(void)state;
	assert_int_equal(parse_meminfo(buf, &m), 0);
	assert_int_equal(m.available, (100 + 20 + 300) * 1024ull);
	assert_int_equal(m.swap_total, 0);
}

static void test_meminfo_errors(void **state)
{
	struct meminfo m;

	(void)state;
	assert_int_equal(parse_meminfo("MemFree: 100 kB\nMemAvailable: 200 kB\n", &m), -EINVAL);
	assert_int_equal(parse_meminfo("", &m), -EINVAL);
	assert_int_equal(parse_meminfo("MemTotal: abc kB\nMemFree: 1 kB\n", &m), -EINVAL);
}

/* ---- parse_loadavg, parse_uptime, parse_schedstat ---- */

static void test_loadavg(void **state)
{
	struct loadavg l;

	(void)state;
	assert_int_equal(parse_loadavg("0.52 0.41 12.30 3/456 7890\n", &l), 0);
	assert_float_equal(l.load[0], 0.52, 1e-9);
	assert_float_equal(l.load[1], 0.41, 1e-9);
	assert_float_equal(l.load[2], 12.30, 1e-9);
	assert_int_equal(l.runnable, 3);
	assert_int_equal(l.threads, 456);

	assert_int_equal(parse_loadavg("0.52 0.41\n", &l), -EINVAL);
	assert_int_equal(parse_loadavg("0.52 0.41 0.30 3 456\n", &l), -EINVAL);
	assert_int_equal(parse_loadavg("0.52 0.41 0.30 3/\n", &l), -EINVAL);
	assert_int_equal(parse_loadavg("", &l), -EINVAL);
}

static void test_uptime(void **state)
{
	double up = -1;

	(void)state;
	assert_int_equal(parse_uptime("12345.67 45678.90\n", &up), 0);
	assert_float_equal(up, 12345.67, 1e-9);
	assert_int_equal(parse_uptime("", &up), -EINVAL);
	assert_int_equal(parse_uptime("abc 1.0\n", &up), -EINVAL);
}

static void test_schedstat(void **state)
{
	uint64_t ns = 0, wait = 0;

	(void)state;
	assert_int_equal(parse_schedstat("123456789012 4567 89\n", &ns, &wait), 0);
	assert_int_equal(ns, 123456789012ull);
	assert_int_equal(wait, 4567);
	assert_int_equal(parse_schedstat("", &ns, &wait), -EINVAL);
	assert_int_equal(parse_schedstat("x 1 2\n", &ns, &wait), -EINVAL);
	assert_int_equal(parse_schedstat("5\n", &ns, &wait), -EINVAL);
}

/* ---- parse_pid_stat ---- */

/* A full line with fields (14) utime = 40, (15) stime = 12, (20) = 3, (22) starttime = 777. */
static const char pid_line[] =
	"1234 (a) b) c) S 1 1234 1234 34816 -1 4194560 100 0 2 0 40 12 0 0 20 0 3 0 777 "
	"123456789 1000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

static void test_pid_stat_comm_parens(void **state)
{
	struct pid_stat ps;

	(void)state;
	memset(&ps, 0xff, sizeof(ps));
	assert_int_equal(parse_pid_stat(pid_line, &ps), 0);
	assert_int_equal(ps.pid, 1234);
	assert_string_equal(ps.comm, "a) b) c");
	assert_int_equal(ps.state, 'S');
	assert_int_equal(ps.ppid, 1);
	assert_int_equal(ps.flags, 4194560);
	assert_int_equal(ps.utime, 40);
	assert_int_equal(ps.stime, 12);
	assert_int_equal(ps.num_threads, 3);
	assert_int_equal(ps.starttime, 777);
}

/* tty_nr, tpgid, priority and nice print as signed; the fields after them must not shift. */
static void test_pid_stat_negative(void **state)
{
	const char *line = "42 (rt (x)) R 7 42 42 -1 -1 64 0 0 0 0 5 6 0 0 -100 -20 1 0 99 0 0\n";
	struct pid_stat ps;

	(void)state;
	assert_int_equal(parse_pid_stat(line, &ps), 0);
	assert_string_equal(ps.comm, "rt (x)");
	assert_int_equal(ps.state, 'R');
	assert_int_equal(ps.ppid, 7);
	assert_int_equal(ps.flags, 64);
	assert_int_equal(ps.utime, 5);
	assert_int_equal(ps.stime, 6);
	assert_int_equal(ps.num_threads, 1);
	assert_int_equal(ps.starttime, 99);
}

/* Every cut of the line before field (22) starts is an error, not a half-filled struct. */
static void test_pid_stat_truncated(void **state)
{
	size_t end = strstr(pid_line, " 777 ") - pid_line + 1, len;
	char buf[sizeof(pid_line)];
	struct pid_stat ps;

	(void)state;
	for (len = 0; len < end; len++) {
		memcpy(buf, pid_line, len);
		buf[len] = '\0';
		if (parse_pid_stat(buf, &ps) != -EINVAL)
			fail_msg("a line cut to %zu bytes parsed: \"%s\"", len, buf);
	}
	/* The field itself may be cut short (it cannot be told), but it must parse. */
	memcpy(buf, pid_line, end + 1);
	buf[end + 1] = '\0';
	assert_int_equal(parse_pid_stat(buf, &ps), 0);
	assert_int_equal(ps.starttime, 7);
}

static void test_pid_stat_long_comm(void **state)
{
	const char *line = "9 (abcdefghijklmnopqrstuvwxyz) S 1 9 9 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 "
			   "0 3\n";
	struct pid_stat ps;

	(void)state;
	assert_int_equal(parse_pid_stat(line, &ps), 0);
	assert_int_equal(strlen(ps.comm), SNAP_COMM_LEN - 1);
	assert_string_equal(ps.comm, "abcdefghijklmno");
	assert_int_equal(ps.state, 'S');
	assert_int_equal(ps.starttime, 3);

	/* Exactly one byte too long. */
	memset(&ps, 0x5a, sizeof(ps));
	assert_int_equal(parse_pid_stat("9 (0123456789abcdef) R 1 9 9 0 -1 0 0 0 0 0 1 2 "
					"0 0 20 0 1 0 3\n", &ps), 0);
	assert_string_equal(ps.comm, "0123456789abcde");
	assert_int_equal(ps.state, 'R');
	/* And one that fits. */
	assert_int_equal(parse_pid_stat("9 (0123456789abcde) R 1 9 9 0 -1 0 0 0 0 0 1 2 "
					"0 0 20 0 1 0 3\n", &ps), 0);
	assert_string_equal(ps.comm, "0123456789abcde");
}

static void test_pid_stat_malformed(void **state)
{
	struct pid_stat ps;

	(void)state;
	assert_int_equal(parse_pid_stat("", &ps), -EINVAL);
	assert_int_equal(parse_pid_stat("9 x S 1 9 9 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 3\n", &ps),
			 -EINVAL);
	assert_int_equal(parse_pid_stat("abc (x) S 1 9 9 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 3\n", &ps),
			 -EINVAL);
	assert_int_equal(parse_pid_stat("9 (x)S 1 9 9 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 3\n", &ps),
			 -EINVAL);
	assert_int_equal(parse_pid_stat("9 (x) S 1 9 9 0 -1 0 0 0 0 0 x 2 0 0 20 0 1 0 3\n", &ps),
			 -EINVAL);
}

/* ---- readers on the fixture tree ---- */

static const struct snap_task *find_tid(const struct snapshot *s, uint32_t tid)
{
	size_t i;

	for (i = 0; i < s->nr_tasks; i++) {
		if (s->tasks[i].tid == tid)
			return &s->tasks[i];
	}
	return NULL;
}

static void test_open_missing(void **state)
{
	struct procfs p;

	(void)state;
	assert_int_equal(procfs_open(&p, fixture("no-such-tree")), -ENOENT);
}

static void test_read_system(void **state)
{
	struct snapshot s = {};
	struct procfs p;

	(void)state;
	assert_int_equal(procfs_open(&p, fixture("proc-basic")), 0);
	assert_int_equal(procfs_read_system(&p, &s), 0);
	assert_int_equal(s.hz, sysconf(_SC_CLK_TCK));
	assert_int_equal(s.cpu_total.t[CPU_USER], 1000);
	assert_int_equal(s.cpu_total.t[CPU_IDLE], 5000);
	assert_int_equal(s.cpu_total.t[CPU_GUEST_NICE], 9);
	assert_int_equal(s.nr_cpus, 2);
	assert_int_equal(s.cpus[1].t[CPU_IRQ], 2);
	assert_int_equal(s.mem.total, 16384000ull * 1024);
	assert_int_equal(s.mem.available, 8192000ull * 1024);
	assert_int_equal(s.mem.swap_free, 1048576ull * 1024);
	assert_float_equal(s.load.load[0], 0.52, 1e-9);
	assert_int_equal(s.load.threads, 456);
	assert_float_equal(s.uptime_s, 12345.67, 1e-9);
	procfs_close(&p);
	snapshot_free(&s);
}

static void test_read_tasks(void **state)
{
	const struct snap_task *t;
	struct snapshot s = {};
	struct procfs p;
	struct stat st;
	char path[PATH_MAX + 16];

	(void)state;
	/* procfs takes the owner of the PID directory as the task's uid. */
	snprintf(path, sizeof(path), "%s/100", fixture("proc-basic"));
	assert_int_equal(stat(path, &st), 0);

	assert_int_equal(procfs_open(&p, fixture("proc-basic")), 0);
	assert_int_equal(procfs_read_tasks(&p, &s, true), 0);
	/* 100 (two threads), 200, 500; 300's thread is malformed; 400 has no task/. */
	assert_int_equal(s.nr_tasks, 4);
	assert_int_equal(s.task_errors, 1);
	/*
	 * A tree is not a live procfs: its clock is its own uptime file ("12345.67"), never
	 * this machine's, so that its figures are the same on a machine booted a minute ago.
	 */
	assert_int_equal(s.ts_ns, 12345670000000ull);

	t = find_tid(&s, 100);
	assert_non_null(t);
	assert_int_equal(t->tgid, 100);
	assert_int_equal(t->ppid, 1);
	assert_int_equal(t->uid, st.st_uid);
	assert_string_equal(t->comm, "server");
	assert_int_equal(t->state, 'S');
	assert_false(t->kthread);
	assert_int_equal(t->cpu_ns, 300000000);
	assert_int_equal(t->user_ns, tick_ns(20));
	assert_int_equal(t->sys_ns, tick_ns(5));
	assert_int_equal(t->start_ns, tick_ns(500));
	assert_int_equal(t->leader_start_ns, tick_ns(500));
	/* The process line has 50 + 20 ticks, its threads 20 + 5 and 15 + 10. */
	assert_int_equal(t->dead_ns, tick_ns(70 - 25 - 25));
	assert_int_equal(t->exit_ns, 0);

	t = find_tid(&s, 101);
	assert_non_null(t);
	assert_int_equal(t->tgid, 100);
	assert_string_equal(t->comm, "wrk) (1");
	assert_int_equal(t->state, 'R');
	assert_int_equal(t->cpu_ns, 250000000);
	assert_int_equal(t->user_ns, tick_ns(15));
	assert_int_equal(t->sys_ns, tick_ns(10));
	assert_int_equal(t->start_ns, tick_ns(520));
	assert_int_equal(t->leader_start_ns, tick_ns(500));
	assert_int_equal(t->dead_ns, 0);

	t = find_tid(&s, 200);
	assert_non_null(t);
	assert_int_equal(t->tgid, 200);
	assert_string_equal(t->comm, "tmux: server");
	assert_int_equal(t->cpu_ns, 99000000);
	assert_int_equal(t->user_ns, tick_ns(7));
	assert_int_equal(t->sys_ns, tick_ns(3));
	assert_int_equal(t->dead_ns, 0);
	assert_int_equal(t->leader_start_ns, tick_ns(900));

	/* No schedstat (CONFIG_SCHEDSTATS off): the total falls back to utime + stime. */
	t = find_tid(&s, 500);
	assert_non_null(t);
	assert_true(t->kthread);
	assert_int_equal(t->ppid, 2);
	assert_int_equal(t->state, 'I');
	assert_string_equal(t->comm, "kworker/0:1-eve");
	assert_int_equal(t->cpu_ns, tick_ns(3 + 12));

	assert_null(find_tid(&s, 300));
	assert_null(find_tid(&s, 400));
	procfs_close(&p);
	snapshot_free(&s);
}

/* A second read of the same snapshot starts over: no duplicates, errors counted afresh. */
static void test_read_tasks_twice(void **state)
{
	struct snapshot s = {};
	struct procfs p;

	(void)state;
	assert_int_equal(procfs_open(&p, fixture("proc-basic")), 0);
	assert_int_equal(procfs_read_tasks(&p, &s, true), 0);
	assert_int_equal(procfs_read_tasks(&p, &s, true), 0);
	assert_int_equal(s.nr_tasks, 4);
	assert_int_equal(s.task_errors, 1);
	procfs_close(&p);
	snapshot_free(&s);
}

/* One process appended to what the snapshot already holds (PID 1 when BPF misses it). */
static void test_read_pid(void **state)
{
	struct snapshot s = {};
	struct snap_task *t;
	struct procfs p;

	(void)state;
	assert_int_equal(procfs_open(&p, fixture("proc-basic")), 0);
	t = snapshot_add_task(&s);
	assert_non_null(t);
	t->tid = t->tgid = 7;

	assert_int_equal(procfs_read_pid(&p, 100, &s, true), 0);
	assert_int_equal(s.nr_tasks, 3);
	assert_int_equal(s.tasks[0].tid, 7);
	assert_non_null(find_tid(&s, 100));
	assert_non_null(find_tid(&s, 101));
	assert_int_equal(find_tid(&s, 101)->tgid, 100);
	assert_int_equal(find_tid(&s, 100)->dead_ns, tick_ns(20));
	assert_int_equal(s.task_errors, 0);

	assert_int_equal(procfs_read_pid(&p, 999, &s, true), -ENOENT);
	assert_int_equal(procfs_read_pid(&p, 400, &s, true), -ENOENT);
	assert_int_equal(s.nr_tasks, 3);
	/* A malformed thread is counted and skipped, as in the full scan. */
	assert_int_equal(procfs_read_pid(&p, 300, &s, true), 0);
	assert_int_equal(s.nr_tasks, 3);
	assert_int_equal(s.task_errors, 1);
	procfs_close(&p);
	snapshot_free(&s);
}

/* ---- readers on trees made at run time ---- */

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void remove_tree(const char *dir)
{
	static const char *const names[] = { "stat", "meminfo", "loadavg", "uptime" };
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* A /proc/stat larger than the first read buffer (many CPUs) is read whole. */
static void test_read_system_big_stat(void **state)
{
	char dir[] = "/tmp/cputop-test-XXXXXX", line[128];
	struct snapshot s = {};
	struct procfs p;
	size_t cap = 1 << 20, len;
	char *stat = malloc(cap);
	int i, n = 1000;

	(void)state;
	assert_non_null(stat);
	assert_non_null(mkdtemp(dir));
	len = snprintf(stat, cap, "cpu  %d 0 0 %d 0 0 0 0 0 0\n", n, n);
	for (i = 0; i < n; i++) {
		snprintf(line, sizeof(line), "cpu%d %d 2 3 4 5 6 7 8 9 10\n", i, i + 1);
		len += snprintf(stat + len, cap - len, "%s", line);
	}
	snprintf(stat + len, cap - len, "intr 1\n");
	assert_true(len > 16384);
	write_file(dir, "stat", stat);
	write_file(dir, "meminfo", "MemTotal: 1000 kB\nMemFree: 100 kB\n");
	write_file(dir, "loadavg", "1.00 2.00 3.00 1/10 99\n");
	write_file(dir, "uptime", "100.5 200.0\n");

	assert_int_equal(procfs_open(&p, dir), 0);
	assert_int_equal(procfs_read_system(&p, &s), 0);
	assert_int_equal(s.nr_cpus, n);
	assert_int_equal(s.cpus[0].t[CPU_USER], 1);
	assert_int_equal(s.cpus[n - 1].t[CPU_USER], n);
	assert_int_equal(s.cpus[n - 1].t[CPU_GUEST_NICE], 10);
	assert_float_equal(s.uptime_s, 100.5, 1e-9);
	assert_true(s.have_intr);
	assert_int_equal(s.intr, 1);
	assert_int_equal(s.mem_err, 0);
	assert_int_equal(s.mem.total, 1000 * 1024);

	/* Each file fails alone: its figures are zeroed, the others and the snapshot stay. */
	write_file(dir, "uptime", "");
	assert_int_equal(procfs_read_system(&p, &s), 0);
	assert_int_equal(s.uptime_err, -EINVAL);
	assert_float_equal(s.uptime_s, 0, 0);
	assert_int_equal(s.nr_cpus, n);
	assert_float_equal(s.load.load[2], 3.0, 1e-9);
	write_file(dir, "uptime", "100.5 200.0\n");
	write_file(dir, "stat", "cpu  1 2 3\ncpu0 1 2");
	assert_int_equal(procfs_read_system(&p, &s), 0);
	assert_int_not_equal(s.stat_err, 0);
	assert_int_equal(s.nr_cpus, 0);
	assert_int_equal(s.cpu_total.t[CPU_USER], 0);
	assert_false(s.have_intr);
	assert_int_equal(s.uptime_err, 0);
	assert_float_equal(s.uptime_s, 100.5, 1e-9);
	write_file(dir, "stat", stat);
	write_file(dir, "meminfo", "MemFree: 100 kB\n");
	assert_int_equal(procfs_read_system(&p, &s), 0);
	assert_int_equal(s.mem_err, -EINVAL);
	assert_int_equal(s.nr_cpus, n);
	snprintf(line, sizeof(line), "%s/meminfo", dir);
	unlink(line);
	assert_int_equal(procfs_read_system(&p, &s), 0);
	assert_int_equal(s.mem_err, -ENOENT);
	write_file(dir, "meminfo", "MemTotal: 1000 kB\nMemFree: 100 kB\n");
	snprintf(line, sizeof(line), "%s/loadavg", dir);
	unlink(line);
	assert_int_equal(procfs_read_system(&p, &s), 0);
	assert_int_equal(s.load_err, -ENOENT);
	assert_float_equal(s.load.load[0], 0, 0);
	assert_int_equal(s.stat_err, 0);
	assert_int_equal(s.nr_cpus, n);
	assert_int_equal(s.mem_err, 0);

	procfs_close(&p);
	snapshot_free(&s);
	remove_tree(dir);
	free(stat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat_ten_fields),
		cmocka_unit_test(test_stat_old_kernels),
		cmocka_unit_test(test_stat_cpu_gap),
		cmocka_unit_test(test_stat_reparse),
		cmocka_unit_test(test_stat_no_total),
		cmocka_unit_test(test_stat_truncated),
		cmocka_unit_test(test_meminfo_bytes),
		cmocka_unit_test(test_meminfo_no_available),
		cmocka_unit_test(test_meminfo_errors),
		cmocka_unit_test(test_loadavg),
		cmocka_unit_test(test_uptime),
		cmocka_unit_test(test_schedstat),
		cmocka_unit_test(test_pid_stat_comm_parens),
		cmocka_unit_test(test_pid_stat_negative),
		cmocka_unit_test(test_pid_stat_truncated),
		cmocka_unit_test(test_pid_stat_long_comm),
		cmocka_unit_test(test_pid_stat_malformed),
		cmocka_unit_test(test_open_missing),
		cmocka_unit_test(test_read_system),
		cmocka_unit_test(test_read_tasks),
		cmocka_unit_test(test_read_tasks_twice),
		cmocka_unit_test(test_read_pid),
		cmocka_unit_test(test_read_system_big_stat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
