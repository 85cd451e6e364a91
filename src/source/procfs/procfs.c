// SPDX-License-Identifier: GPL-2.0
/*
 * /proc readers on a directory fd. Field meanings and numbering follow proc(5).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "lib/clock.h"
#include "lib/readfile.h"
#include "source/procfs/metrics.h"
#include "source/procfs/procfs.h"

#define PF_KTHREAD 0x00200000	/* include/linux/sched.h: /proc/PID/stat field (9) */
#define PROC_SUPER_MAGIC 0x9fa0	/* linux/magic.h */

/* Skip blanks (not newlines); the number that follows must start with a digit. */
static const char *number_start(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return isdigit((unsigned char)*p) ? p : NULL;
}

static int scan_u64(const char **pp, uint64_t *v)
{
	const char *p = number_start(*pp);
	char *end;

	if (!p)
		return -EINVAL;
	errno = 0;
	*v = strtoull(p, &end, 10);
	if (errno)
		return -errno;
	*pp = end;
	return 0;
}

static int scan_double(const char **pp, double *v)
{
	const char *p = number_start(*pp);
	char *end;

	if (!p)
		return -EINVAL;
	*v = strtod(p, &end);
	*pp = end;
	return 0;
}

/* Fields after the "cpu"/"cpuN" label: four are in every kernel, the rest came later. */
static int parse_cpu_line(const char *p, struct cpu_ticks *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < CPU_NR_FIELDS; i++) {
		if (scan_u64(&p, &c->t[i]))
			break;
	}
	return i >= 4 ? 0 : -EINVAL;
}

int parse_stat(const char *buf, struct snapshot *s)
{
	const char *line;
	bool total = false;
	int err;

	s->nr_cpus = 0;
	s->ctxt = 0;
	s->have_intr = false;
	for (line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		struct cpu_ticks c;
		uint64_t n;
		const char *p;

		if (!strncmp(line, "ctxt ", 5)) {
			p = line + 4;
			if (scan_u64(&p, &s->ctxt))
				return -EINVAL;
			continue;
		}
		/* "intr": the total first, then one count per numbered interrupt (proc(5)). */
		if (!strncmp(line, "intr ", 5)) {
			p = line + 4;
			s->have_intr = !scan_u64(&p, &s->intr);
			continue;
		}
		if (strncmp(line, "cpu", 3))
			continue;
		p = line + 3;
		if (*p == ' ') {
			err = parse_cpu_line(p, &s->cpu_total);
			if (err)
				return err;
			total = true;
			continue;
		}
		/* cpuN: offline CPUs have no line, so N may skip; their ticks stay zero. */
		if (scan_u64(&p, &n) || n >= 65536 || parse_cpu_line(p, &c))
			return -EINVAL;
		if (n >= s->cap_cpus) {
			uint32_t cap = n + 1 > 2 * s->cap_cpus ? n + 1 : 2 * s->cap_cpus;
			struct cpu_ticks *cpus = realloc(s->cpus, cap * sizeof(*cpus));

			if (!cpus)
				return -ENOMEM;
			s->cpus = cpus;
			s->cap_cpus = cap;
		}
		while (s->nr_cpus <= n)
			memset(&s->cpus[s->nr_cpus++], 0, sizeof(*s->cpus));
		s->cpus[n] = c;
	}
	return total ? 0 : -EINVAL;
}

#define HUGE_COUNTS 3

int parse_meminfo(const char *buf, struct meminfo *m)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		/* Counts of pages, not kB: the first entries, see HUGE_COUNTS. */
		{ "HugePages_Total:", offsetof(struct meminfo, huge_total) },
		{ "HugePages_Free:", offsetof(struct meminfo, huge_free) },
		{ "HugePages_Rsvd:", offsetof(struct meminfo, huge_rsvd) },
		{ "Hugepagesize:", offsetof(struct meminfo, huge_size) },
		{ "MemTotal:", offsetof(struct meminfo, total) },
		{ "MemFree:", offsetof(struct meminfo, free) },
		{ "MemAvailable:", offsetof(struct meminfo, available) },
		{ "Buffers:", offsetof(struct meminfo, buffers) },
		{ "Cached:", offsetof(struct meminfo, cached) },
		{ "SReclaimable:", offsetof(struct meminfo, sreclaimable) },
		{ "Shmem:", offsetof(struct meminfo, shmem) },
		{ "SwapTotal:", offsetof(struct meminfo, swap_total) },
		{ "SwapFree:", offsetof(struct meminfo, swap_free) },
	};
	bool have_total = false, have_free = false, have_avail = false;
	const char *line;
	size_t i;

	memset(m, 0, sizeof(*m));
	for (line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			size_t len = strlen(keys[i].key);
			const char *p = line + len;
			uint64_t kb;

			if (strncmp(line, keys[i].key, len))
				continue;
			if (scan_u64(&p, &kb) || kb > UINT64_MAX / 1024)
				return -EINVAL;
			/* Values are in kB, but the huge page counts. */
			*(uint64_t *)((char *)m + keys[i].off) = i < HUGE_COUNTS ? kb : kb * 1024;
			have_total |= i == HUGE_COUNTS + 1;
			have_free |= i == HUGE_COUNTS + 2;
			have_avail |= i == HUGE_COUNTS + 3;
			break;
		}
	}
	if (!have_total || !have_free)
		return -EINVAL;
	/* MemAvailable came in 3.14; before, free + page cache is the usual estimate. */
	if (!have_avail)
		m->available = m->free + m->cached + m->buffers;
	return 0;
}

int parse_loadavg(const char *buf, struct loadavg *l)
{
	const char *p = buf;
	uint64_t run, thr;
	int i;

	for (i = 0; i < 3; i++) {
		if (scan_double(&p, &l->load[i]))
			return -EINVAL;
	}
	if (scan_u64(&p, &run) || *p++ != '/' || scan_u64(&p, &thr))
		return -EINVAL;
	l->runnable = run;
	l->threads = thr;
	return 0;
}

int parse_uptime(const char *buf, double *uptime_s)
{
	const char *p = buf;

	return scan_double(&p, uptime_s);
}

int parse_pid_stat(const char *buf, struct pid_stat *ps)
{
	const char *open = strchr(buf, '('), *close = strrchr(buf, ')'), *p;
	uint64_t v[23];	/* v[n] = field (n); fields 4..22 are numbers */
	bool neg[23] = {};
	size_t len;
	int n;

	/* The name may hold spaces and parentheses: it ends at the last ')'. */
	if (!open || !close || close < open || close[1] != ' ' || !close[2])
		return -EINVAL;
	p = buf;
	if (scan_u64(&p, &v[1]) || p != open - 1)
		return -EINVAL;
	len = close - open - 1;
	if (len >= SNAP_COMM_LEN)
		len = SNAP_COMM_LEN - 1;
	memcpy(ps->comm, open + 1, len);
	ps->comm[len] = '\0';
	ps->state = close[2];
	p = close + 3;
	for (n = 4; n <= 22; n++) {
		/*
		 * Signed: (7) tty_nr and (8) tpgid, -1 for no terminal; (18) priority, below
		 * zero for real time; (19) nice.
		 */
		while (*p == ' ')
			p++;
		neg[n] = *p == '-';
		p += neg[n];
		if (scan_u64(&p, &v[n]))
			return -EINVAL;
	}
	ps->pid = v[1];
	ps->ppid = v[4];
	ps->flags = v[9];
	ps->utime = v[14];
	ps->stime = v[15];
	ps->priority = neg[18] ? -(int32_t)v[18] : (int32_t)v[18];
	ps->nice = neg[19] ? -(int32_t)v[19] : (int32_t)v[19];
	ps->num_threads = v[20];
	ps->starttime = v[22];
	return 0;
}

int parse_schedstat(const char *buf, uint64_t *run_ns, uint64_t *wait_ns)
{
	const char *p = buf;

	/* (1) time on the CPU, (2) time runnable on a run queue, both ns (sched_info) */
	return scan_u64(&p, run_ns) ?: scan_u64(&p, wait_ns);
}

/* Read a system-wide file of any size into p->buf. */
static int read_big(struct procfs *p, const char *path)
{
	ssize_t n;

	for (;;) {
		n = readfile_at(p->root_fd, path, p->buf, p->cap);
		if (n != -EFBIG)
			return n < 0 ? n : 0;
		char *buf = realloc(p->buf, p->cap * 2);

		if (!buf)
			return -ENOMEM;
		p->buf = buf;
		p->cap *= 2;
	}
}

int procfs_open(struct procfs *p, const char *root)
{
	long hz = sysconf(_SC_CLK_TCK);
	struct statfs fs;

	memset(p, 0, sizeof(*p));
	p->sys_fd = p->cg.v2_fd = p->cg.cpu_fd = -1;
	p->root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->root_fd < 0)
		return -errno;
	p->live = !fstatfs(p->root_fd, &fs) && fs.f_type == PROC_SUPER_MAGIC;
	p->hz = hz > 0 ? hz : 100;
	p->cap = 16384;
	p->buf = malloc(p->cap);
	if (!p->buf) {
		close(p->root_fd);
		p->root_fd = -1;
		return -ENOMEM;
	}
	return 0;
}

int procfs_open_sys(struct procfs *p, const char *root, const char *dflt)
{
	if (root) {
		p->sys_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (p->sys_fd < 0 && strcmp(root, dflt))
			return -errno;
	}
	cgroups_open(&p->cg, p->sys_fd);
	return 0;
}

void procfs_close(struct procfs *p)
{
	if (p->root_fd >= 0)
		close(p->root_fd);
	if (p->sys_fd >= 0)
		close(p->sys_fd);
	cgroups_close(&p->cg);
	free(p->buf);
	p->buf = NULL;
	p->root_fd = p->sys_fd = -1;
}

int procfs_read_system(struct procfs *p, struct snapshot *s)
{
	/*
	 * Each file fails alone, with what it gives zeroed: a machine in trouble may serve a
	 * damaged file, and the tasks still have their own figures. Only ENOMEM stops.
	 */
	s->hz = p->hz;
	s->stat_err = read_big(p, "stat") ?: parse_stat(p->buf, s);
	if (s->stat_err) {
		memset(&s->cpu_total, 0, sizeof(s->cpu_total));
		s->nr_cpus = 0;
		s->ctxt = s->intr = 0;
		s->have_intr = false;
	}
	s->mem_err = read_big(p, "meminfo") ?: parse_meminfo(p->buf, &s->mem);
	if (s->mem_err)
		memset(&s->mem, 0, sizeof(s->mem));
	s->load_err = read_big(p, "loadavg") ?: parse_loadavg(p->buf, &s->load);
	if (s->load_err)
		memset(&s->load, 0, sizeof(s->load));
	s->uptime_err = read_big(p, "uptime") ?: parse_uptime(p->buf, &s->uptime_s);
	if (s->uptime_err)
		s->uptime_s = 0;
	if (s->stat_err == -ENOMEM || s->mem_err == -ENOMEM || s->load_err == -ENOMEM ||
	    s->uptime_err == -ENOMEM)
		return -ENOMEM;
	return 0;
}

int procfs_read_irqs(struct procfs *p, struct snapshot *s)
{
	int err;

	/* Both files are optional: a kernel without them just has fewer columns. */
	err = read_big(p, "interrupts");
	if (!err)
		err = parse_interrupts(p->buf, s);
	if (err && err != -ENOENT)
		return err;
	err = read_big(p, "softirqs");
	if (!err)
		err = parse_softirqs(p->buf, s);
	return err == -ENOENT ? 0 : err;
}

/*
 * The snapshot's clock. Start times in /proc/PID/stat count from boot, suspend included:
 * CLOCK_BOOTTIME on a live procfs. A tree that is not one (a fixture, a copy of another
 * machine's /proc) has its own boot: its uptime file is its clock, a figure of its own that
 * does not move, so that nothing depends on this machine's uptime.
 */
static int procfs_clock(struct procfs *p, struct snapshot *s)
{
	double up = 0;
	int err;

	if (p->live) {
		s->ts_ns = clock_ns(CLOCK_BOOTTIME);
		s->wall_ns = clock_unix_at(CLOCK_BOOTTIME, s->ts_ns);
		return 0;
	}
	err = read_big(p, "uptime") ?: parse_uptime(p->buf, &up);
	if (err == -ENOMEM)
		return err;
	/* Without it the tree's tasks all started at its boot, at 0: /proc/uptime says why. */
	s->ts_ns = llround(up * NSEC_PER_SEC);
	s->wall_ns = clock_ns(CLOCK_REALTIME);
	return 0;
}

int procfs_read_host(struct procfs *p, struct snapshot *s, bool metrics, bool cgroups)
{
	int err = procfs_read_system(p, s) ?: procfs_read_irqs(p, s);

	if (err)
		return err;
	if (metrics) {
		err = metrics_read(&s->sys, p->root_fd, p->sys_fd);
		if (err)
			return err;
	} else {
		for (int k = 0; k < MET_NR; k++) {
			s->sys.st[k].ok = false;
			snprintf(s->sys.st[k].why, sizeof(s->sys.st[k].why), "not shown, not read");
		}
	}
	pressure_read(p->root_fd, s);
	return cgroups ? cgroups_read(&p->cg, s) : 0;
}

static uint64_t ticks_ns(const struct procfs *p, uint64_t ticks)
{
	return ticks * (NSEC_PER_SEC / p->hz);
}

/*
 * One thread of process @pid. Returns 0, -ENOENT/-ESRCH when it has vanished (skipped
 * silently), or another -errno for a file that does not parse (counted as an error).
 */
static int read_thread(struct procfs *p, const char *pid, const char *tid, uid_t uid,
		       const struct pid_stat *proc, struct snapshot *s, uint64_t *ticks)
{
	char path[576], buf[1024];
	struct pid_stat ts;
	struct snap_task *t;
	uint64_t run_ns, wait_ns = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/task/%s/stat", pid, tid);
	n = readfile_at(p->root_fd, path, buf, sizeof(buf));
	if (n < 0)
		return n;
	if (parse_pid_stat(buf, &ts))
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/task/%s/schedstat", pid, tid);
	n = readfile_at(p->root_fd, path, buf, sizeof(buf));
	/* Without CONFIG_SCHED_INFO there is no schedstat: fall back to ticks, and no wait. */
	if (n == -ENOENT) {
		run_ns = ticks_ns(p, ts.utime + ts.stime);
		s->task_have &= ~(1u << TASK_WAIT_NS);
	} else if (n < 0) {
		return n;
	} else if (parse_schedstat(buf, &run_ns, &wait_ns)) {
		return -EINVAL;
	}

	t = snapshot_add_task(s);
	if (!t)
		return -ENOMEM;
	t->tid = ts.pid;
	t->tgid = proc->pid;
	t->ppid = proc->ppid;
	t->uid = uid;
	t->start_ns = ticks_ns(p, ts.starttime);
	t->leader_start_ns = ticks_ns(p, proc->starttime);
	t->cpu_ns = run_ns;
	t->user_ns = ticks_ns(p, ts.utime);
	t->sys_ns = ticks_ns(p, ts.stime);
	t->ctr[TASK_WAIT_NS] = wait_ns;
	/* Beside eBPF's tasks (PID 1 in a container), /proc's lack the counters it has not. */
	t->lacks = ~(1u << TASK_WAIT_NS);
	t->state = ts.state;
	t->prio = ts.priority;
	t->nice = ts.nice;
	t->kthread = ts.flags & PF_KTHREAD;
	memcpy(t->comm, ts.comm, sizeof(t->comm));
	*ticks += ts.utime + ts.stime;
	return 0;
}

/*
 * The id of process @pid's v2 cgroup into @id: 0 when it is not known (no v2 tree, the process
 * or its cgroup gone). One read a process: its threads share its cgroup but in a threaded
 * subtree (cgroup-v2.rst, "Threads"), where only the eBPF source, which reads each task's,
 * tells them apart. 0 or -ENOMEM.
 */
static int process_cgroup(struct procfs *p, const char *pid, uint64_t *id)
{
	char path[288], cg[PATH_MAX];
	int err;

	*id = 0;
	if (p->cg.v2_fd < 0)
		return 0;
	snprintf(path, sizeof(path), "%s/cgroup", pid);
	err = read_big(p, path) ?: parse_proc_cgroup(p->buf, cg, sizeof(cg));
	if (err)
		return err == -ENOMEM ? err : 0;
	*id = cgroups_id(&p->cg, cg);
	return 0;
}

/* Process @pid and its threads; -ENOENT when it vanished, -EINVAL when a file is malformed. */
static int read_process(struct procfs *p, const char *pid, struct snapshot *s, bool cgroups)
{
	size_t first = s->nr_tasks;
	struct pid_stat proc;
	uint64_t ticks = 0, all, cgroup_id = 0;
	char path[288], buf[1024];
	struct dirent *de;
	struct stat st;
	DIR *dir;
	int fd, err = 0;

	/* The owner of /proc/PID is the task's effective uid, which top shows as USER. */
	if (fstatat(p->root_fd, pid, &st, 0))
		return -errno;
	snprintf(path, sizeof(path), "%s/stat", pid);
	err = readfile_at(p->root_fd, path, buf, sizeof(buf));
	if (err < 0)
		return err;
	if (parse_pid_stat(buf, &proc))
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/task", pid);
	fd = openat(p->root_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		err = -errno;
		close(fd);
		return err;
	}
	err = 0;
	while ((de = readdir(dir))) {
		int e;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		e = read_thread(p, pid, de->d_name, st.st_uid, &proc, s, &ticks);
		if (e == -ENOENT || e == -ESRCH)
			continue;	/* the thread exited while we read */
		if (e == -ENOMEM) {
			err = e;
			break;
		}
		if (e)
			s->task_errors++;
	}
	closedir(dir);
	if (!err)
		err = cgroups ? process_cgroup(p, pid, &cgroup_id) : 0;
	if (err) {
		s->nr_tasks = first;
		return err;
	}
	for (size_t i = first; i < s->nr_tasks; i++)
		s->tasks[i].cgroup_id = cgroup_id;
	/*
	 * The process line (14)+(15) also holds the time of threads that have exited: what the
	 * live threads do not account for is the group's dead time.
	 */
	all = proc.utime + proc.stime;
	for (size_t i = first; i < s->nr_tasks; i++) {
		if (s->tasks[i].tid == proc.pid) {
			s->tasks[i].dead_ns = all > ticks ? ticks_ns(p, all - ticks) : 0;
			break;
		}
	}
	return 0;
}

int procfs_read_pid(struct procfs *p, uint32_t pid, struct snapshot *s, bool cgroups)
{
	char name[16];

	snprintf(name, sizeof(name), "%u", pid);
	return read_process(p, name, s, cgroups);
}

int procfs_read_tasks(struct procfs *p, struct snapshot *s, bool cgroups)
{
	struct dirent *de;
	DIR *dir;
	int fd, err = 0;

	err = procfs_clock(p, s);
	if (err)
		return err;
	s->nr_tasks = 0;
	s->task_errors = 0;
	/* /proc/PID/schedstat has the run-queue wait; the other task counters need eBPF. */
	s->task_have = 1u << TASK_WAIT_NS;
	fd = openat(p->root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		err = -errno;
		close(fd);
		return err;
	}
	while ((de = readdir(dir))) {
		int e;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		e = read_process(p, de->d_name, s, cgroups);
		if (e == -ENOENT || e == -ESRCH)
			continue;	/* vanished between readdir and read */
		if (e == -ENOMEM) {
			err = e;
			break;
		}
		if (e)
			s->task_errors++;
	}
	closedir(dir);
	return err;
}
