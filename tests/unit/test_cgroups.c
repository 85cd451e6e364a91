// SPDX-License-Identifier: GPL-2.0
/*
 * cgroups: the pure parse_*() functions on buffers; then the hierarchies found and the table
 * read on the fixture trees tests/fixtures/cgroup-v2 (a v2 host, with a /proc tree whose
 * processes are in its cgroups) and cgroup-hybrid (cpu on v1), and on trees made at run time.
 * Inode numbers differ in each checkout: the tests compare paths, never ids.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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

#include "source/procfs/cgroups.h"
#include "source/procfs/procfs.h"
#include "source/source.h"
#include "fixture.h"

/* The fixture's containers: Docker's, a Kubernetes pod's (containerd), Podman's. */
#define DOCKER "/system.slice/docker-" \
	"3f9a1c0e5b7d2e4f6a8c0b1d3e5f7a9c1b3d5e7f9a0c2e4b6d8f0a1c3e5b7d9f.scope"
#define POD "/kubepods.slice/kubepods-burstable.slice/" \
	"kubepods-burstable-pod1c3c2b8e_5f1a_4f5e_9a64_2d3b8a6f7e10.slice"
#define CRI POD "/cri-containerd-" \
	"a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90.scope"
#define LIBPOD "/machine.slice/libpod-" \
	"0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e.scope"
#define SESSION "/user.slice/user-1000.slice/session-2.scope"

/* ---- parse_proc_cgroup ---- */

static void test_proc_cgroup(void **state)
{
	char path[PATH_MAX];

	(void)state;
	assert_int_equal(parse_proc_cgroup("0::/system.slice/a.service\n", path, sizeof(path)), 0);
	assert_string_equal(path, "/system.slice/a.service");
	assert_int_equal(parse_proc_cgroup("0::/\n", path, sizeof(path)), 0);
	assert_string_equal(path, "/");
	/* A hybrid host's: the v1 hierarchies first. */
	assert_int_equal(parse_proc_cgroup("12:cpu,cpuacct:/a\n1:name=systemd:/b\n0::/c d\n", path,
					   sizeof(path)), 0);
	assert_string_equal(path, "/c d");
	/* A removed cgroup's path, as the kernel writes it: no directory has it. */
	assert_int_equal(parse_proc_cgroup("0::/gone.service (deleted)\n", path, sizeof(path)), 0);
	assert_string_equal(path, "/gone.service (deleted)");
	/* ".." is a component only when alone. */
	assert_int_equal(parse_proc_cgroup("0::/a/..b/c..\n", path, sizeof(path)), 0);
	assert_string_equal(path, "/a/..b/c..");
}

static void test_proc_cgroup_bad(void **state)
{
	char path[PATH_MAX], small[8];

	(void)state;
	/* v1 only, "0::" not at a line's start, nothing. */
	assert_int_equal(parse_proc_cgroup("1:name=systemd:/\n", path, sizeof(path)), -EINVAL);
	assert_int_equal(parse_proc_cgroup("10::/x\n", path, sizeof(path)), -EINVAL);
	assert_int_equal(parse_proc_cgroup("", path, sizeof(path)), -EINVAL);
	/* Cut short: "/a/b" might be "/a/bc". */
	assert_int_equal(parse_proc_cgroup("0::/a/b", path, sizeof(path)), -EINVAL);
	assert_int_equal(parse_proc_cgroup("0::", path, sizeof(path)), -EINVAL);
	assert_int_equal(parse_proc_cgroup("0::x\n", path, sizeof(path)), -EINVAL);
	/* Outside this cgroup namespace (cgroup_namespaces(7)), or a way out of the tree. */
	assert_int_equal(parse_proc_cgroup("0::/../../x\n", path, sizeof(path)), -EINVAL);
	assert_int_equal(parse_proc_cgroup("0::/a/../../b\n", path, sizeof(path)), -EINVAL);
	assert_int_equal(parse_proc_cgroup("0::/a/..\n", path, sizeof(path)), -EINVAL);
	assert_int_equal(parse_proc_cgroup("0::/1234567\n", small, sizeof(small)), -ENAMETOOLONG);
	assert_int_equal(parse_proc_cgroup("0::/123456\n", small, sizeof(small)), 0);
	assert_string_equal(small, "/123456");
}

/* ---- parse_cpu_max, parse_cfs_us ---- */

static void test_cpu_max(void **state)
{
	uint64_t quota = 1, period = 1;

	(void)state;
	assert_int_equal(parse_cpu_max("max 100000\n", &quota, &period), 0);
	assert_int_equal(quota, 0);
	assert_int_equal(period, 100000);
	assert_int_equal(parse_cpu_max("50000 100000\n", &quota, &period), 0);
	assert_int_equal(quota, 50000);
	assert_int_equal(period, 100000);
	assert_int_equal(parse_cpu_max("18446744073709551615 1000000\n", &quota, &period), 0);
	assert_int_equal(quota, UINT64_MAX);
	assert_int_equal(period, 1000000);
}

static void test_cpu_max_bad(void **state)
{
	static const char *const bad[] = {
		"", "max\n", "max 100000", "50000 100000", "50000\n", "maxi 100000\n",
		"max 0\n", "0 100000\n", "-1 100000\n", "18446744073709551616 100000\n",
		"50000 18446744073709551616\n", " 50000 100000\n", "50000 x\n", "50000,100000\n",
	};
	uint64_t quota = 7, period = 7;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse_cpu_max(bad[i], &quota, &period), -EINVAL);
	assert_int_equal(quota, 7);
	assert_int_equal(period, 7);
}

static void test_cfs_us(void **state)
{
	static const char *const bad[] = {
		"", "-1", "20000", "0\n", "-2\n", "-10\n", "x\n", "18446744073709551616\n",
	};
	uint64_t us = 7;
	size_t i;

	(void)state;
	assert_int_equal(parse_cfs_us("-1\n", &us), 0);
	assert_int_equal(us, 0);
	assert_int_equal(parse_cfs_us("20000\n", &us), 0);
	assert_int_equal(us, 20000);
	for (i = 0, us = 7; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse_cfs_us(bad[i], &us), -EINVAL);
	assert_int_equal(us, 7);
}

/* ---- parse_cpu_stat ---- */

static void test_cpu_stat(void **state)
{
	struct snap_cgroup c = {};

	(void)state;
	/* v2 (6.x): µs, among the usage and the bursts. */
	assert_int_equal(parse_cpu_stat("usage_usec 100\nuser_usec 60\nsystem_usec 40\n"
					"core_sched.force_idle_usec 0\nnr_periods 1200\n"
					"nr_throttled 300\nthrottled_usec 4500000\nnr_bursts 0\n"
					"burst_usec 0\n", &c), 0);
	assert_int_equal(c.nr_periods, 1200);
	assert_int_equal(c.nr_throttled, 300);
	assert_int_equal(c.throttled_ns, 4500000000ull);
	/* v1: ns. */
	assert_int_equal(parse_cpu_stat("nr_periods 500\nnr_throttled 42\n"
					"throttled_time 1234567890\nnr_bursts 0\nburst_time 0\n",
					&c), 0);
	assert_int_equal(c.nr_periods, 500);
	assert_int_equal(c.nr_throttled, 42);
	assert_int_equal(c.throttled_ns, 1234567890);
}

static void test_cpu_stat_bad(void **state)
{
	static const char *const bad[] = {
		/* A key without one of the others, or cut short, or not a count. */
		"nr_periods 1\nnr_throttled 2\n",
		"nr_periods 1\nthrottled_usec 2\n",
		"nr_periods 1\nnr_throttled 2\nthrottled_usec 3",
		"nr_periods 1\nnr_throttled 2\nthrottled_usec\n",
		"nr_periods -1\nnr_throttled 2\nthrottled_usec 3\n",
		"nr_periods 1\nnr_throttled 2\nthrottled_time 18446744073709551616\n",
		/* µs that overflow as ns. */
		"nr_periods 1\nnr_throttled 2\nthrottled_usec 18446744073709552\n",
	};
	struct snap_cgroup c;
	size_t i;

	(void)state;
	memset(&c, 0xff, sizeof(c));
	/* v2's without the cpu controller: the usage alone. */
	assert_int_equal(parse_cpu_stat("usage_usec 100\nuser_usec 60\nsystem_usec 40\n", &c),
			 -ENOENT);
	assert_int_equal(parse_cpu_stat("", &c), -ENOENT);
	/* Keys are whole words. */
	assert_int_equal(parse_cpu_stat("nr_periods_x 1\nxnr_throttled 2\nthrottled_usecs 3\n",
					&c), -ENOENT);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse_cpu_stat(bad[i], &c), -EINVAL);
	assert_int_equal(c.nr_periods, UINT64_MAX);
	assert_int_equal(c.throttled_ns, UINT64_MAX);
}

/* ---- parse_pressure ---- */

static void test_pressure(void **state)
{
	struct psi p;

	(void)state;
	assert_int_equal(parse_pressure("some avg10=6.55 avg60=1.92 avg300=5.44 total=3471038928\n"
					"full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", &p), 0);
	assert_int_equal(p.some_avg10, 655);
	assert_int_equal(p.some_us, 3471038928ull);
	assert_true(p.have_full);
	assert_int_equal(p.full_avg10, 0);
	assert_int_equal(p.full_us, 0);
	/* Before 5.13 the system's file has no "full" line for the CPU. */
	assert_int_equal(parse_pressure("some avg10=100.00 avg60=0.00 avg300=0.00 total=5\n", &p),
			 0);
	assert_int_equal(p.some_avg10, 10000);
	assert_int_equal(p.some_us, 5);
	assert_false(p.have_full);
	/* Fields of a later kernel are passed over. */
	assert_int_equal(parse_pressure("some avg10=0.25 avg5=1.00 total=7 x=y\n", &p), 0);
	assert_int_equal(p.some_avg10, 25);
	assert_int_equal(p.some_us, 7);
}

static void test_pressure_bad(void **state)
{
	static const char *const bad[] = {
		"", "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
		"some avg10=1.00 avg60=0.00 avg300=0.00 total=12",
		"some avg10=1.00 avg60=0.00 avg300=0.00\n",
		"some avg60=0.00 avg300=0.00 total=12\n",
		"some avg10=1e9 total=12\n", "some avg10=101.00 total=12\n",
		"some avg10=1000.00 total=12\n", "some avg10=1.5 total=12\n",
		"some avg10=.50 total=12\n", "some avg10=nan total=12\n",
		"some avg10=1.00 total=-1\n", "some avg10=1.00 total=18446744073709551616\n",
		"some avg10=1.00 total=12\nfull avg10=x total=0\n",
	};
	struct psi p = { .some_us = 99 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse_pressure(bad[i], &p), -EINVAL);
	assert_int_equal(p.some_us, 99);
}

/* ---- the hierarchies ---- */

static int open_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

static void test_open(void **state)
{
	struct cgroups c;
	int fd;

	(void)state;
	fd = open_dir(fixture("cgroup-v2/sys"));
	cgroups_open(&c, fd);
	assert_true(c.v2_fd >= 0);
	assert_true(c.cpu_fd >= 0);
	assert_false(c.cpu_v1);
	assert_string_equal(c.why, "");
	cgroups_close(&c);
	close(fd);

	fd = open_dir(fixture("cgroup-hybrid/sys"));
	cgroups_open(&c, fd);
	assert_true(c.v2_fd >= 0);
	assert_true(c.cpu_fd >= 0);
	assert_true(c.cpu_v1);
	assert_string_equal(c.why, "");
	cgroups_close(&c);
	close(fd);

	cgroups_open(&c, -1);
	assert_int_equal(c.v2_fd, -1);
	assert_string_equal(c.why, "no /sys tree: no cgroups");
	cgroups_close(&c);
	/* A tree, but no cgroup file system in it. */
	fd = open_dir(fixture("proc-basic"));
	cgroups_open(&c, fd);
	assert_int_equal(c.v2_fd, -1);
	assert_int_equal(c.cpu_fd, -1);
	assert_string_equal(c.why, "no cgroup v2 mounted");
	cgroups_close(&c);
	close(fd);
}

/* ---- the table ---- */

static const struct snap_task *find_tid(const struct snapshot *s, uint32_t tid)
{
	for (size_t i = 0; i < s->nr_tasks; i++) {
		if (s->tasks[i].tid == tid)
			return &s->tasks[i];
	}
	return NULL;
}

/* The path of @tid's cgroup, "" when it has none; the test fails when @tid is not there. */
static const char *tid_path(const struct snapshot *s, uint32_t tid)
{
	const struct snap_task *t = find_tid(s, tid);
	const struct snap_cgroup *c;

	assert_non_null(t);
	if (!t->cgroup_id)
		return "";
	c = snapshot_cgroup(s, t->cgroup_id);
	assert_non_null(c);
	return snapshot_cgroup_path(s, c);
}

static const struct snap_cgroup *find_path(const struct snapshot *s, const char *path)
{
	for (size_t i = 0; i < s->nr_cgroups; i++) {
		if (!strcmp(snapshot_cgroup_path(s, &s->cgroups[i]), path))
			return &s->cgroups[i];
	}
	return NULL;
}

/* Sorted by id, each once, each parent in the table at its path's parent. */
static void check_table(const struct snapshot *s)
{
	for (size_t i = 0; i < s->nr_cgroups; i++) {
		const struct snap_cgroup *c = &s->cgroups[i], *up;
		const char *path = snapshot_cgroup_path(s, c), *slash = strrchr(path, '/');
		size_t len;

		assert_true(i == 0 || s->cgroups[i - 1].id < c->id);
		assert_non_null(slash);
		if (!strcmp(path, "/")) {
			assert_int_equal(c->parent, 0);
			continue;
		}
		up = snapshot_cgroup(s, c->parent);
		assert_non_null(up);
		len = slash == path ? 1 : slash - path;
		assert_int_equal(strlen(snapshot_cgroup_path(s, up)), len);
		assert_memory_equal(snapshot_cgroup_path(s, up), path, len);
	}
}

/* The /proc source's reading of the v2 fixture: each process's cgroup, and their figures. */
static void test_read_v2(void **state)
{
	static const char *const paths[] = {
		"/", "/init.scope", "/system.slice", "/system.slice/foo.service", DOCKER,
		"/kubepods.slice", "/kubepods.slice/kubepods-burstable.slice", POD, CRI,
		"/user.slice", "/user.slice/user-1000.slice", SESSION, "/machine.slice", LIBPOD,
	};
	const struct snap_cgroup *c;
	struct snapshot s = {};
	struct procfs p;
	size_t i;

	(void)state;
	assert_int_equal(procfs_open(&p, fixture("cgroup-v2/proc")), 0);
	assert_int_equal(procfs_open_sys(&p, fixture("cgroup-v2/sys"), "/sys"), 0);
	for (int round = 0; round < 2; round++) {
		snapshot_begin(&s);
		assert_int_equal(procfs_read_tasks(&p, &s, true), 0);
		assert_int_equal(procfs_read_host(&p, &s, false, true), 0);
		assert_int_equal(s.nr_tasks, 10);
		assert_int_equal(s.task_errors, 0);
		assert_string_equal(tid_path(&s, 1), "/init.scope");
		assert_string_equal(tid_path(&s, 100), "/system.slice/foo.service");
		assert_string_equal(tid_path(&s, 101), "/system.slice/foo.service");
		assert_string_equal(tid_path(&s, 200), DOCKER);
		assert_string_equal(tid_path(&s, 300), CRI);
		assert_string_equal(tid_path(&s, 400), SESSION);
		assert_string_equal(tid_path(&s, 500), LIBPOD);
		assert_string_equal(tid_path(&s, 800), "/");
		/* Its cgroup removed; its cgroup file gone: no cgroup, and no error. */
		assert_string_equal(tid_path(&s, 600), "");
		assert_string_equal(tid_path(&s, 700), "");

		/* The tasks' cgroups and their ancestors, no other (empty.service). */
		assert_int_equal(s.nr_cgroups, sizeof(paths) / sizeof(paths[0]));
		for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
			assert_non_null(find_path(&s, paths[i]));
		check_table(&s);
		/* The tree walked once: all its directories, empty.service among them. */
		assert_int_equal(p.cg.known.nr, 15);
	}
	/* Not asked for: no /proc/PID/cgroup read, no table; the system's pressure all the same. */
	snapshot_begin(&s);
	assert_int_equal(procfs_read_tasks(&p, &s, false), 0);
	assert_int_equal(procfs_read_host(&p, &s, false, false), 0);
	assert_int_equal(s.nr_tasks, 10);
	for (i = 0; i < s.nr_tasks; i++)
		assert_int_equal(s.tasks[i].cgroup_id, 0);
	assert_int_equal(s.nr_cgroups, 0);
	assert_int_equal(s.psi_err, 0);
	assert_int_equal(s.psi.some_avg10, 250);
	snapshot_begin(&s);
	assert_int_equal(procfs_read_tasks(&p, &s, true), 0);
	assert_int_equal(procfs_read_host(&p, &s, false, true), 0);

	c = find_path(&s, "/system.slice/foo.service");
	assert_int_equal(c->have, CG_HAVE_LIMIT | CG_HAVE_THROTTLE | CG_HAVE_PSI);
	assert_int_equal(c->quota_us, 50000);
	assert_int_equal(c->period_us, 100000);
	assert_int_equal(c->nr_periods, 1200);
	assert_int_equal(c->nr_throttled, 300);
	assert_int_equal(c->throttled_ns, 4500000000ull);
	assert_int_equal(c->psi.some_avg10, 1234);
	assert_int_equal(c->psi.some_us, 987654);
	assert_true(c->psi.have_full);
	assert_int_equal(c->psi.full_avg10, 500);
	assert_int_equal(c->psi.full_us, 123456);
	c = find_path(&s, CRI);
	assert_int_equal(c->quota_us, 150000);
	assert_int_equal(c->throttled_ns, 345678000);
	/* No limit: cpu.max says "max". */
	c = find_path(&s, "/system.slice");
	assert_int_equal(c->have, CG_HAVE_LIMIT | CG_HAVE_THROTTLE | CG_HAVE_PSI);
	assert_int_equal(c->quota_us, 0);
	assert_int_equal(c->period_us, 100000);
	/* The root has no cpu.max; a cgroup whose parent keeps cpu to itself, no cpu figures. */
	c = find_path(&s, "/");
	assert_int_equal(c->have, CG_HAVE_THROTTLE | CG_HAVE_PSI);
	c = find_path(&s, SESSION);
	assert_int_equal(c->have, CG_HAVE_PSI);
	assert_int_equal(c->psi.some_us, 650);

	assert_int_equal(s.psi_err, 0);
	assert_int_equal(s.psi.some_avg10, 250);
	assert_int_equal(s.psi.some_us, 123456789);
	assert_string_equal(s.cg_why, "");
	procfs_close(&p);
	snapshot_free(&s);
}

static struct snap_task *add_task(struct snapshot *s, uint32_t tid, uint64_t cgroup_id)
{
	struct snap_task *t = snapshot_add_task(s);

	assert_non_null(t);
	memset(t, 0, sizeof(*t));
	t->tid = t->tgid = tid;
	t->cgroup_id = cgroup_id;
	return t;
}

/* cpu on v1: the limit and throttling there, the pressure on v2. */
static void test_read_hybrid(void **state)
{
	int sys_fd = open_dir(fixture("cgroup-hybrid/sys"));
	/* A /proc without pressure/: a kernel without PSI. */
	int proc_fd = open_dir(fixture("metrics/bare/proc"));
	const struct snap_cgroup *c;
	struct snapshot s = {};
	struct cgroups cg;

	(void)state;
	cgroups_open(&cg, sys_fd);
	add_task(&s, 10, cgroups_id(&cg, "/system.slice/bar.service"));
	add_task(&s, 11, cgroups_id(&cg, "/system.slice/baz.service"));
	/* An id the tree does not hold: no cgroup, and it is remembered so. */
	add_task(&s, 12, 0x7fffffffdeadbeefull);
	add_task(&s, 13, 0);
	assert_int_equal(cgroups_read(&cg, &s), 0);
	pressure_read(proc_fd, &s);
	assert_int_equal(s.nr_cgroups, 4);
	check_table(&s);
	assert_string_equal(tid_path(&s, 10), "/system.slice/bar.service");
	assert_string_equal(tid_path(&s, 11), "/system.slice/baz.service");
	assert_string_equal(tid_path(&s, 12), "");
	assert_string_equal(tid_path(&s, 13), "");
	assert_int_equal(cg.known.nr, 5);

	c = find_path(&s, "/system.slice/bar.service");
	assert_int_equal(c->have, CG_HAVE_LIMIT | CG_HAVE_THROTTLE | CG_HAVE_PSI);
	assert_int_equal(c->quota_us, 20000);
	assert_int_equal(c->period_us, 100000);
	assert_int_equal(c->nr_periods, 500);
	assert_int_equal(c->nr_throttled, 42);
	assert_int_equal(c->throttled_ns, 1234567890);
	assert_int_equal(c->psi.some_us, 444);
	/* No directory in the v1 hierarchy: its pressure alone. */
	c = find_path(&s, "/system.slice/baz.service");
	assert_int_equal(c->have, CG_HAVE_PSI);
	/* v1's root has a quota file: -1, no limit. */
	c = find_path(&s, "/");
	assert_int_equal(c->have, CG_HAVE_LIMIT | CG_HAVE_THROTTLE | CG_HAVE_PSI);
	assert_int_equal(c->quota_us, 0);
	assert_int_equal(c->period_us, 100000);
	assert_int_equal(c->psi.some_us, 5555);

	assert_int_equal(s.psi_err, -ENOENT);
	assert_int_equal(s.psi.some_us, 0);
	cgroups_close(&cg);
	snapshot_free(&s);
	close(sys_fd);
	close(proc_fd);
}

/* ---- trees made at run time ---- */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void remove_tree(const char *dir)
{
	assert_int_equal(nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

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

/* @dir/fs/cgroup: a v2 root with @controllers, and its fd in *@sys_fd; the root's path. */
static const char *make_v2(char *dir, const char *controllers, int *sys_fd)
{
	static char root[PATH_MAX];

	assert_non_null(mkdtemp(dir));
	snprintf(root, sizeof(root), "%s/fs", dir);
	assert_int_equal(mkdir(root, 0755), 0);
	snprintf(root, sizeof(root), "%s/fs/cgroup", dir);
	assert_int_equal(mkdir(root, 0755), 0);
	write_file(root, "cgroup.controllers", controllers);
	*sys_fd = open_dir(dir);
	return root;
}

static void make_dir(const char *root, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, name);
	assert_int_equal(mkdir(path, 0755), 0);
}

/*
 * The ids known stay bounded: a walk keeps, of what was known, only the cgroups of the tasks
 * read (one removed once its tasks exited), and drops the others.
 */
static void test_walk_bounded(void **state)
{
	char dir[] = "/tmp/cputop-cg-XXXXXX", path[PATH_MAX];
	uint64_t id_a, id_b, id_c;
	struct snapshot s = {};
	struct cgroups cg;
	const char *root;
	int sys_fd;

	(void)state;
	root = make_v2(dir, "cpu memory\n", &sys_fd);
	make_dir(root, "a");
	make_dir(root, "b");
	cgroups_open(&cg, sys_fd);
	/* cpu listed, but neither cpu.max nor cpu.pressure: no figures, and why says so. */
	assert_string_equal(cg.why, "no PSI: no pressure");
	id_a = cgroups_id(&cg, "/a");
	id_b = cgroups_id(&cg, "/b");
	assert_true(id_a && id_b && id_a != id_b);
	add_task(&s, 1, id_a);
	add_task(&s, 2, id_b);
	assert_int_equal(cgroups_read(&cg, &s), 0);
	assert_int_equal(s.nr_cgroups, 3);
	assert_int_equal(find_path(&s, "/b")->have, 0);
	assert_int_equal(cg.known.nr, 3);

	/* b removed once its task exited; a new cgroup c makes a walk, which keeps b. */
	make_dir(root, "c");
	id_c = cgroups_id(&cg, "/c");
	snprintf(path, sizeof(path), "%s/b", root);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(cgroups_id(&cg, "/b"), 0);
	snapshot_begin(&s);
	add_task(&s, 2, id_b);
	add_task(&s, 3, id_c);
	assert_int_equal(cgroups_read(&cg, &s), 0);
	assert_string_equal(tid_path(&s, 2), "/b");
	assert_string_equal(tid_path(&s, 3), "/c");
	assert_int_equal(s.nr_cgroups, 3);
	check_table(&s);
	assert_int_equal(cg.known.nr, 4);

	/* The next walk (an unknown id) drops b, no task's now. */
	snapshot_begin(&s);
	add_task(&s, 3, id_c);
	add_task(&s, 4, 0x7fffffffdeadbeefull);
	assert_int_equal(cgroups_read(&cg, &s), 0);
	assert_string_equal(tid_path(&s, 4), "");
	assert_int_equal(s.nr_cgroups, 2);
	assert_int_equal(cg.known.nr, 4);	/* /, a, c, and the unknown id */
	snapshot_begin(&s);
	add_task(&s, 2, id_b);
	assert_int_equal(cgroups_read(&cg, &s), 0);
	assert_string_equal(tid_path(&s, 2), "");
	assert_int_equal(s.nr_cgroups, 0);

	cgroups_close(&cg);
	snapshot_free(&s);
	close(sys_fd);
	remove_tree(dir);
}

/* v2 without the cpu controller, and no v1 one: pressure alone. */
static void test_no_cpu(void **state)
{
	char dir[] = "/tmp/cputop-cg-XXXXXX";
	struct snapshot s = {};
	struct cgroups cg;
	const char *root;
	int sys_fd;

	(void)state;
	root = make_v2(dir, "cpuset io memory pids\n", &sys_fd);
	write_file(root, "cpu.pressure", "some avg10=1.00 avg60=0.00 avg300=0.00 total=3\n");
	write_file(root, "cpu.stat", "usage_usec 1\nuser_usec 1\nsystem_usec 0\n");
	cgroups_open(&cg, sys_fd);
	assert_int_equal(cg.cpu_fd, -1);
	assert_string_equal(cg.why, "no cpu controller: no limits or throttling");
	add_task(&s, 1, cgroups_id(&cg, "/"));
	assert_int_equal(cgroups_read(&cg, &s), 0);
	assert_int_equal(s.nr_cgroups, 1);
	assert_int_equal(s.cgroups[0].have, CG_HAVE_PSI);
	assert_int_equal(s.cgroups[0].psi.some_us, 3);
	assert_string_equal(s.cg_why, "no cpu controller: no limits or throttling");
	cgroups_close(&cg);
	snapshot_free(&s);
	close(sys_fd);
	remove_tree(dir);
}

/* The /proc source says it has cgroups where it found v2, and its snapshots say so. */
static void test_source_caps(void **state)
{
	struct source_opts o = { .no_bpf = true };
	struct source_want want = { .cgroups = true };
	char proc[PATH_MAX], sys[PATH_MAX], why[128];
	struct snapshot s = {};
	struct source *src;

	(void)state;
	/* fixture() has one buffer. */
	snprintf(proc, sizeof(proc), "%s", fixture("cgroup-v2/proc"));
	snprintf(sys, sizeof(sys), "%s", fixture("cgroup-v2/sys"));
	o.proc_root = proc;
	o.sys_root = sys;
	assert_int_equal(procfs_source_open(&src, &o, "", why, sizeof(why)), 0);
	assert_true(src->caps & SNAP_CAP_CGROUPS);
	assert_int_equal(src->ops->read(src, &s, &want), 0);
	assert_true(s.caps & SNAP_CAP_CGROUPS);
	assert_string_equal(tid_path(&s, 100), "/system.slice/foo.service");
	/* Not asked for: not read, and the snapshot says it has none. */
	want.cgroups = false;
	snapshot_begin(&s);
	assert_int_equal(src->ops->read(src, &s, &want), 0);
	assert_false(s.caps & SNAP_CAP_CGROUPS);
	assert_int_equal(s.nr_cgroups, 0);
	want.cgroups = true;
	src->ops->close(src);

	o.sys_root = NULL;
	assert_int_equal(procfs_source_open(&src, &o, "", why, sizeof(why)), 0);
	assert_false(src->caps & SNAP_CAP_CGROUPS);
	snapshot_begin(&s);
	assert_int_equal(src->ops->read(src, &s, &want), 0);
	assert_false(s.caps & SNAP_CAP_CGROUPS);
	assert_string_equal(tid_path(&s, 100), "");
	assert_int_equal(s.nr_cgroups, 0);
	assert_string_equal(s.cg_why, "no /sys tree: no cgroups");
	src->ops->close(src);
	snapshot_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proc_cgroup),
		cmocka_unit_test(test_proc_cgroup_bad),
		cmocka_unit_test(test_cpu_max),
		cmocka_unit_test(test_cpu_max_bad),
		cmocka_unit_test(test_cfs_us),
		cmocka_unit_test(test_cpu_stat),
		cmocka_unit_test(test_cpu_stat_bad),
		cmocka_unit_test(test_pressure),
		cmocka_unit_test(test_pressure_bad),
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_read_v2),
		cmocka_unit_test(test_read_hybrid),
		cmocka_unit_test(test_walk_bounded),
		cmocka_unit_test(test_no_cpu),
		cmocka_unit_test(test_source_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
