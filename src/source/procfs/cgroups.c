// SPDX-License-Identifier: GPL-2.0
/*
 * The tasks' cgroups (cgroups.h). The files and their formats: the kernel's
 * Documentation/admin-guide/cgroup-v2.rst (cpu.max, cpu.stat, cpu.pressure),
 * Documentation/scheduler/sched-bwc.rst (v1's cpu.cfs_quota_us, cpu.cfs_period_us, cpu.stat)
 * and Documentation/accounting/psi.rst.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/array.h"
#include "lib/readfile.h"
#include "lib/scan.h"
#include "source/procfs/cgroups.h"

/* A cgroup file is a few short lines: a page holds any of them. */
#define CG_FILE_MAX 4096
/* cg_known.path of an id the tree did not hold when it was walked. */
#define CG_NO_PATH SIZE_MAX

struct cg_known {
	uint64_t id;
	uint64_t parent;	/* its parent's id; 0 for the root */
	size_t path;		/* offset in cg_table.paths, or CG_NO_PATH */
	uint64_t stamp;		/* cgroups.stamp of the last pass that met it */
};

int parse_proc_cgroup(const char *buf, char *path, size_t size)
{
	const char *line, *end, *p, *q;
	size_t len;

	/* "hierarchy-ID:controller-list:cgroup-path" (cgroups(7)): v2's is ID 0, no controller. */
	for (line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (!strncmp(line, "0::", 3))
			break;
	}
	if (!line || !*line)
		return -EINVAL;
	line += 3;
	/* A line cut short may be a shorter path, another cgroup's: not taken. */
	end = strchr(line, '\n');
	if (!end || *line != '/')
		return -EINVAL;
	len = end - line;
	if (len >= size)
		return -ENAMETOOLONG;
	/* "/../x": a cgroup outside this cgroup namespace (cgroup_namespaces(7)), out of sight. */
	for (p = line + 1; p < end; p = q + 1) {
		q = memchr(p, '/', end - p) ?: end;
		if (q - p == 2 && p[0] == '.' && p[1] == '.')
			return -EINVAL;
	}
	/*
	 * A removed cgroup's path ends in " (deleted)" (kernel/cgroup/cgroup.c,
	 * proc_cgroup_show()): kept, as a live cgroup may have that name; it has no directory.
	 */
	memcpy(path, line, len);
	path[len] = '\0';
	return 0;
}

int parse_cpu_max(const char *buf, uint64_t *quota_us, uint64_t *period_us)
{
	uint64_t quota = 0, period;
	const char *p = buf;

	/* "$MAX $PERIOD"; the kernel takes no quota under 1 ms, so that 0 can say "max". */
	if (!strncmp(p, "max ", 4))
		p += 3;
	else if (!(p = scan_dec(p, &quota)) || !quota)
		return -EINVAL;
	p = scan_dec(scan_blanks(p), &period);
	if (!p || !period)
		return -EINVAL;
	*quota_us = quota;
	*period_us = period;
	return 0;
}

int parse_cfs_us(const char *buf, uint64_t *us)
{
	uint64_t v;

	/* kernel/sched/core.c, tg_get_cfs_quota(): -1 for RUNTIME_INF, no other negative. */
	if (!strncmp(buf, "-1\n", 3)) {
		*us = 0;
		return 0;
	}
	if (!scan_dec(buf, &v) || !v)
		return -EINVAL;
	*us = v;
	return 0;
}

int parse_cpu_stat(const char *buf, struct snap_cgroup *c)
{
	/* kernel/sched/core.c: cpu_extra_stat_show() (v2) and cpu_cfs_stat_show() (v1). */
	enum { PERIODS, THROTTLED, USEC, NSEC, NR_KEYS };
	static const char *const keys[NR_KEYS] = {
		[PERIODS] = "nr_periods", [THROTTLED] = "nr_throttled",
		[USEC] = "throttled_usec", [NSEC] = "throttled_time",
	};
	unsigned int have = 0, k;
	uint64_t v[NR_KEYS];
	const char *line;

	for (line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		for (k = 0; k < NR_KEYS; k++) {
			size_t len = strlen(keys[k]);

			if (strncmp(line, keys[k], len) || line[len] != ' ')
				continue;
			if (!scan_dec(scan_blanks(line + len), &v[k]))
				return -EINVAL;
			have |= 1u << k;
			break;
		}
	}
	/* v2's cpu.stat without the cpu controller has the usage alone. */
	if (!have)
		return -ENOENT;
	if (!(have & 1u << PERIODS) || !(have & 1u << THROTTLED) ||
	    !(have & (1u << USEC | 1u << NSEC)))
		return -EINVAL;
	if (have & 1u << USEC && v[USEC] > UINT64_MAX / 1000)
		return -EINVAL;
	c->nr_periods = v[PERIODS];
	c->nr_throttled = v[THROTTLED];
	c->throttled_ns = have & 1u << USEC ? v[USEC] * 1000 : v[NSEC];
	return 0;
}

/*
 * avg10=: "%lu.%02lu" (kernel/sched/psi.c, psi_show()), a share of time in %, at most 100;
 * into @v in hundredths.
 */
static const char *scan_avg(const char *p, uint32_t *v)
{
	unsigned int whole = 0, i;

	for (i = 0; i < 3 && isdigit((unsigned char)p[i]); i++)
		whole = whole * 10 + (p[i] - '0');
	if (!i || p[i] != '.' || !isdigit((unsigned char)p[i + 1]) ||
	    !isdigit((unsigned char)p[i + 2]))
		return NULL;
	p += i + 3;
	if ((*p != ' ' && *p != '\t' && *p != '\n') || whole > 100)
		return NULL;
	*v = whole * 100 + (p[-2] - '0') * 10 + (p[-1] - '0');
	return p;
}

/* What follows "some" or "full": avg10 and total, both needed; avg60 and avg300 passed over. */
static int parse_psi_line(const char *p, uint32_t *avg10, uint64_t *total_us)
{
	bool have_avg = false, have_total = false;

	for (p = scan_blanks(p); *p && *p != '\n'; p = scan_blanks(p)) {
		if (!strncmp(p, "avg10=", 6)) {
			p = scan_avg(p + 6, avg10);
			have_avg = true;
		} else if (!strncmp(p, "total=", 6)) {
			p = scan_dec(p + 6, total_us);
			have_total = true;
		} else {
			p += strcspn(p, " \t\n");
		}
		if (!p)
			return -EINVAL;
	}
	return have_avg && have_total && *p == '\n' ? 0 : -EINVAL;
}

int parse_pressure(const char *buf, struct psi *p)
{
	struct psi v = {};
	bool some = false;
	const char *line;

	for (line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		if (!strncmp(line, "some ", 5)) {
			if (parse_psi_line(line + 5, &v.some_avg10, &v.some_us))
				return -EINVAL;
			some = true;
		} else if (!strncmp(line, "full ", 5)) {
			if (parse_psi_line(line + 5, &v.full_avg10, &v.full_us))
				return -EINVAL;
			v.have_full = true;
		}
	}
	if (!some)
		return -EINVAL;
	*p = v;
	return 0;
}

/* @word among the blank-separated words of @list. */
static bool has_word(const char *list, const char *word)
{
	size_t len = strlen(word);
	const char *p;

	for (p = list; (p = strstr(p, word)); p += len) {
		if ((p == list || p[-1] == ' ') && (!p[len] || p[len] == ' ' || p[len] == '\n'))
			return true;
	}
	return false;
}

/* The hierarchy at @path under @sys_fd, if it has @file: its fd, or -1. */
static int hierarchy_open(int sys_fd, const char *path, const char *file)
{
	int fd = openat(sys_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0 && faccessat(fd, file, F_OK, 0)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

void cgroups_open(struct cgroups *c, int sys_fd)
{
	/* v2 alone, then hybrid: v2 beside the v1 hierarchies (cgroups.h). */
	static const char *const v2[] = { "fs/cgroup", "fs/cgroup/unified" };
	static const char *const v1[] = { "fs/cgroup/cpu", "fs/cgroup/cpu,cpuacct" };
	char buf[CG_FILE_MAX];
	int n = 0;
	size_t i;

	memset(c, 0, sizeof(*c));
	c->v2_fd = c->cpu_fd = -1;
	if (sys_fd < 0) {
		snprintf(c->why, sizeof(c->why), "no /sys tree: no cgroups");
		return;
	}
	for (i = 0; i < sizeof(v2) / sizeof(v2[0]) && c->v2_fd < 0; i++)
		c->v2_fd = hierarchy_open(sys_fd, v2[i], "cgroup.controllers");
	if (c->v2_fd < 0) {
		snprintf(c->why, sizeof(c->why), "no cgroup v2 mounted");
		return;
	}
	/* The root's cgroup.controllers: the controllers bound to v2, cpu among them or not. */
	if (readfile_at(c->v2_fd, "cgroup.controllers", buf, sizeof(buf)) >= 0 &&
	    has_word(buf, "cpu"))
		c->cpu_fd = fcntl(c->v2_fd, F_DUPFD_CLOEXEC, 0);
	for (i = 0; i < sizeof(v1) / sizeof(v1[0]) && c->cpu_fd < 0; i++) {
		/* cpu.cfs_quota_us: the cpu controller with bandwidth control, CFS_BANDWIDTH. */
		c->cpu_fd = hierarchy_open(sys_fd, v1[i], "cpu.cfs_quota_us");
		c->cpu_v1 = c->cpu_fd >= 0;
	}
	if (c->cpu_fd < 0)
		n = snprintf(c->why, sizeof(c->why), "no cpu controller: no limits or throttling");
	/*
	 * The root's cpu.pressure is the system's: where it is missing (PSI off, or not built)
	 * or cannot be read (psi=0 before 5.6), no cgroup has its own.
	 */
	if (readfile_at(c->v2_fd, "cpu.pressure", buf, sizeof(buf)) < 0)
		snprintf(c->why + n, sizeof(c->why) - n, "%sno PSI: no pressure", n ? "; " : "");
}

static void cg_table_free(struct cg_table *t)
{
	free(t->v);
	free(t->paths);
	memset(t, 0, sizeof(*t));
}

void cgroups_close(struct cgroups *c)
{
	if (c->v2_fd >= 0)
		close(c->v2_fd);
	if (c->cpu_fd >= 0)
		close(c->cpu_fd);
	c->v2_fd = c->cpu_fd = -1;
	cg_table_free(&c->known);
}

uint64_t cgroups_id(struct cgroups *c, const char *path)
{
	struct stat st;

	if (c->v2_fd < 0 || path[0] != '/')
		return 0;
	if (fstatat(c->v2_fd, path[1] ? path + 1 : ".", &st, AT_SYMLINK_NOFOLLOW) ||
	    !S_ISDIR(st.st_mode))
		return 0;
	return st.st_ino;
}

/* @id, child of @parent, at @path (NULL: none) appended to @t, not sorted: 0 or -ENOMEM. */
static int cg_table_add(struct cg_table *t, uint64_t id, uint64_t parent, const char *path)
{
	size_t len = path ? strlen(path) + 1 : 0;
	void *v = t->v, *paths = t->paths;
	int err = array_grow(&v, &t->cap, t->nr + 1, sizeof(*t->v));

	t->v = v;
	err = err ?: array_grow(&paths, &t->cap_paths, t->len + len, 1);
	t->paths = paths;
	if (err)
		return err;
	t->v[t->nr++] = (struct cg_known){ .id = id, .parent = parent,
					   .path = path ? t->len : CG_NO_PATH };
	if (path) {
		memcpy(t->paths + t->len, path, len);
		t->len += len;
	}
	return 0;
}

static int known_cmp(const void *a, const void *b)
{
	const struct cg_known *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* The entry of @id among the first @nr, sorted, of @v; NULL when it has none. */
static struct cg_known *known_find(struct cg_known *v, size_t nr, uint64_t id)
{
	struct cg_known key = { .id = id };

	return nr ? bsearch(&key, v, nr, sizeof(*v), known_cmp) : NULL;
}

/* Sorted by id, once each: two tasks in a cgroup the tree did not hold add it twice. */
static void cg_table_sort(struct cg_table *t)
{
	size_t i, n = 0;

	if (!t->nr)
		return;
	qsort(t->v, t->nr, sizeof(*t->v), known_cmp);
	for (i = 0; i < t->nr; i++) {
		if (!n || t->v[n - 1].id != t->v[i].id)
			t->v[n++] = t->v[i];
	}
	t->nr = n;
}

/* The subdirectories of entry @i of @t, the cgroups below it, appended to @t. */
static int walk_dir(int v2_fd, struct cg_table *t, size_t i)
{
	char path[PATH_MAX], child[PATH_MAX];
	uint64_t id = t->v[i].id;
	struct dirent *de;
	struct stat st;
	int fd, err = 0;
	DIR *dir;

	/* A copy: adding entries may move t->paths. */
	snprintf(path, sizeof(path), "%s", t->paths + t->v[i].path);
	fd = openat(v2_fd, path[1] ? path + 1 : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;	/* removed since its parent was read */
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return -ENOMEM;	/* on a directory just opened, its only failure */
	}
	while ((de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		/* kernfs says each entry's type: the files of a cgroup are skipped unread. */
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    !S_ISDIR(st.st_mode))
			continue;
		if (snprintf(child, sizeof(child), "%s/%s", path[1] ? path : "", de->d_name) >=
		    (int)sizeof(child))
			continue;
		err = cg_table_add(t, st.st_ino, id, child);
		if (err)
			break;
	}
	closedir(dir);
	return err;
}

/*
 * c->known built anew from a walk of the v2 tree, breadth first (each entry's directory read
 * in turn, one descriptor open at a time), and from what it held of the ids of @s's tasks that
 * the tree no longer has, with their ancestors; an id it never held is kept with no path, so
 * that it makes no walk again while a task is in it. 0 or -ENOMEM.
 */
static int cgroups_walk(struct cgroups *c, const struct snapshot *s)
{
	struct cg_table t = {}, *old = &c->known;
	uint64_t stamp = ++c->stamp;
	struct cg_known *k;
	struct stat st;
	size_t i, n;
	int err;

	err = fstat(c->v2_fd, &st) ? -errno : cg_table_add(&t, st.st_ino, 0, "/");
	for (i = 0; !err && i < t.nr; i++)
		err = walk_dir(c->v2_fd, &t, i);
	if (err)
		goto cleanup;
	cg_table_sort(&t);
	n = t.nr;
	for (i = 0; i < s->nr_tasks; i++) {
		uint64_t id = s->tasks[i].cgroup_id;

		if (!id || known_find(t.v, n, id))
			continue;
		k = known_find(old->v, old->nr, id);
		if (!k)
			err = cg_table_add(&t, id, 0, NULL);
		for (; !err && k && k->stamp != stamp && !known_find(t.v, n, k->id);
		     k = known_find(old->v, old->nr, k->parent)) {
			k->stamp = stamp;
			err = cg_table_add(&t, k->id, k->parent,
					   k->path == CG_NO_PATH ? NULL : old->paths + k->path);
		}
		if (err)
			goto cleanup;
	}
	cg_table_sort(&t);
	cg_table_free(old);
	*old = t;
	return 0;
cleanup:
	cg_table_free(&t);
	return err;
}

/* The file @name of the cgroup at @path ("/", "/a/b") in the hierarchy @fd, into @buf. */
static int cg_file(int fd, const char *path, const char *name, char *buf, size_t cap)
{
	char file[PATH_MAX];
	ssize_t n;

	if (snprintf(file, sizeof(file), "%s%s%s", path + 1, path[1] ? "/" : "", name) >=
	    (int)sizeof(file))
		return -ENAMETOOLONG;
	n = readfile_at(fd, file, buf, cap);
	return n < 0 ? n : 0;
}

/* Its CPU limit: v2's cpu.max, or v1's cpu.cfs_quota_us and cpu.cfs_period_us. */
static int cg_limit(const struct cgroups *c, const char *path, uint64_t *quota, uint64_t *period)
{
	char buf[CG_FILE_MAX];

	if (!c->cpu_v1)
		return cg_file(c->cpu_fd, path, "cpu.max", buf, sizeof(buf)) ?:
		       parse_cpu_max(buf, quota, period);
	return cg_file(c->cpu_fd, path, "cpu.cfs_quota_us", buf, sizeof(buf)) ?:
	       parse_cfs_us(buf, quota) ?:
	       cg_file(c->cpu_fd, path, "cpu.cfs_period_us", buf, sizeof(buf)) ?:
	       parse_cfs_us(buf, period) ?: (*period ? 0 : -EINVAL);
}

/*
 * The figures of @g, each file alone. On a hybrid host a cgroup may have no directory in the
 * v1 cpu hierarchy (systemd makes one where a unit asks for CPU accounting or a limit): it
 * then has its pressure only.
 */
static void cg_figures(const struct cgroups *c, const char *path, struct snap_cgroup *g)
{
	char buf[CG_FILE_MAX];
	uint64_t quota, period;

	if (!cg_file(c->v2_fd, path, "cpu.pressure", buf, sizeof(buf)) &&
	    !parse_pressure(buf, &g->psi))
		g->have |= CG_HAVE_PSI;
	if (c->cpu_fd < 0)
		return;
	if (!cg_limit(c, path, &quota, &period)) {
		g->quota_us = quota;
		g->period_us = period;
		g->have |= CG_HAVE_LIMIT;
	}
	if (!cg_file(c->cpu_fd, path, "cpu.stat", buf, sizeof(buf)) && !parse_cpu_stat(buf, g))
		g->have |= CG_HAVE_THROTTLE;
}

void pressure_read(int proc_fd, struct snapshot *s)
{
	char buf[CG_FILE_MAX];
	ssize_t n;

	n = readfile_at(proc_fd, "pressure/cpu", buf, sizeof(buf));
	s->psi_err = n < 0 ? n : parse_pressure(buf, &s->psi);
	if (s->psi_err)
		memset(&s->psi, 0, sizeof(s->psi));
}

int cgroups_read(struct cgroups *c, struct snapshot *s)
{
	struct cg_table *t = &c->known;
	struct cg_known *k;
	uint64_t stamp;
	size_t i;
	int err;

	snprintf(s->cg_why, sizeof(s->cg_why), "%s", c->why);
	s->nr_cgroups = 0;
	s->cg_paths_len = 0;
	for (i = 0; c->v2_fd >= 0 && i < s->nr_tasks; i++) {
		uint64_t id = s->tasks[i].cgroup_id;

		if (id && !known_find(t->v, t->nr, id)) {
			err = cgroups_walk(c, s);
			if (err)
				return err;
			break;
		}
	}
	/* Each task's cgroup, then its ancestors up to the root or to one already in. */
	stamp = ++c->stamp;
	for (i = 0; i < s->nr_tasks; i++) {
		struct snap_task *task = &s->tasks[i];

		k = known_find(t->v, t->nr, task->cgroup_id);
		if (!k || k->path == CG_NO_PATH) {
			task->cgroup_id = 0;
			continue;
		}
		for (; k && k->stamp != stamp; k = known_find(t->v, t->nr, k->parent)) {
			k->stamp = stamp;
			if (!snapshot_add_cgroup(s, k->id, k->parent, t->paths + k->path))
				return -ENOMEM;
		}
	}
	snapshot_sort_cgroups(s);
	for (i = 0; i < s->nr_cgroups; i++)
		cg_figures(c, snapshot_cgroup_path(s, &s->cgroups[i]), &s->cgroups[i]);
	return 0;
}
