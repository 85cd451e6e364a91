// SPDX-License-Identifier: GPL-2.0
/*
 * The exit log in InfluxDB line protocol: measurement, tags (comm, user, cgroup), fields, and a
 * timestamp in Unix nanoseconds. Its escaping rules: a tag value holds no newline, and a
 * comma, equals sign, space or backslash in it is preceded by a backslash.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <stdlib.h>

#include "lib/container.h"
#include "lib/text.h"
#include "sink/exitlog.h"
#include "sink/sink.h"

int exitlog_open(struct exitlog *l, const char *path)
{
	int fd;

	memset(l, 0, sizeof(*l));
	if (!strcmp(path, "-")) {
		l->f = stdout;
		return 0;
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	l->f = fdopen(fd, "a");
	if (!l->f) {
		int err = -errno;

		close(fd);
		return err;
	}
	l->owned = true;
	return 0;
}

void exitlog_close(struct exitlog *l)
{
	if (l->owned && l->f)
		fclose(l->f);
	l->f = NULL;
}

/* The longest tag value kept: a cgroup's path (PATH_MAX), made safe, cut there. */
#define EXITLOG_TAG_MAX 4096

/*
 * A tag value: terminal-safe text, escaped; never empty, which line protocol refuses. A comma,
 * an equals sign and a space are escaped with a backslash. A backslash is no escape of its
 * own: InfluxDB keeps it as it is, but reads it with the byte after it as a pair. So a value
 * cannot end in one (it would take the separator after it), nor can an odd run of them come
 * before an escaped byte (the pairs would leave that byte bare): there the run's last
 * backslash becomes '?'.
 */
static void tag_value(char *buf, size_t size, const char *src, size_t n)
{
	char clean[EXITLOG_TAG_MAX];
	size_t i, len = 0;

	text_sanitize(clean, sizeof(clean), src, n);
	if (!clean[0])
		strcpy(clean, "?");
	for (i = 0; clean[i] && len + 2 < size; i++) {
		if (clean[i] == '\\') {
			size_t run = strspn(clean + i, "\\");
			char next = clean[i + run];
			bool cut = !next || (run % 2 && strchr(",= ", next));

			for (; run && len + 2 < size; run--, i++)
				buf[len++] = run == 1 && cut ? '?' : '\\';
			i--;
			continue;
		}
		if (strchr(",= ", clean[i]))
			buf[len++] = '\\';
		buf[len++] = clean[i];
	}
	buf[len] = '\0';
}

int exitlog_line(char *buf, size_t size, const struct proc_exit *e, const char *user,
		 const char *cgroup, int64_t exit_unix_ns)
{
	char comm[8 * SNAP_COMM_LEN], name[160], cg[2 * EXITLOG_TAG_MAX] = "";
	uint64_t life = e->exit_ns > e->start_ns ? e->exit_ns - e->start_ns : 0;

	tag_value(comm, sizeof(comm), e->comm, sizeof(e->comm));
	tag_value(name, sizeof(name), user, strlen(user));
	if (cgroup) {
		memcpy(cg, ",cgroup=", 8);
		tag_value(cg + 8, sizeof(cg) - 8, cgroup, strlen(cgroup));
	}
	return snprintf(buf, size, "cputop_exit,comm=%s,user=%s%s pid=%ui,ppid=%ui,lifetime_s=%.6f,"
			"user_s=%.6f,sys_s=%.6f,avg_cpu_pct=%.2f,credits=%.6f %lld\n", comm, name,
			cg, e->pid, e->ppid, life / 1e9, e->user_ns / 1e9, e->sys_ns / 1e9,
			life ? 100.0 * e->cpu_ns / life : 0, e->cpu_ns / 60e9,
			(long long)exit_unix_ns);
}

int exitlog_write(struct exitlog *l, const struct snapshot *s, const struct model *m,
		  struct users *users)
{
	char line[2 * EXITLOG_TAG_MAX + 512];
	size_t i;

	for (i = 0; i < m->nr_exits; i++) {
		const struct proc_exit *e = &m->exits[i];
		const struct cg_row *cg = cg_find(&m->cg, e->cgroup_id);

		exitlog_line(line, sizeof(line), e, users_name(e->uid, users),
			     cg ? cg->path : NULL, snapshot_unix_ns(s, e->exit_ns));
		fputs(line, l->f);
	}
	if (s->exits_dropped > l->dropped) {
		fprintf(l->f, "cputop_exits_dropped total=%llui %lld\n",
			(unsigned long long)s->exits_dropped, (long long)s->wall_ns);
		l->dropped = s->exits_dropped;
	}
	if (fflush(l->f) || ferror(l->f))
		return errno ? -errno : -EIO;
	return 0;
}

struct exitlog_sink {
	struct sink sink;
	struct exitlog log;
};

static int exitlog_sink_write(struct sink *k, const struct frame *f)
{
	struct exitlog_sink *e = container_of(k, struct exitlog_sink, sink);

	return exitlog_write(&e->log, f->cur, f->m, f->users);
}

static void exitlog_sink_close(struct sink *k)
{
	struct exitlog_sink *e = container_of(k, struct exitlog_sink, sink);

	exitlog_close(&e->log);
	free(e);
}

static const struct sink_ops exitlog_sink_ops = {
	.write = exitlog_sink_write,
	.close = exitlog_sink_close,
};

int exitlog_sink_open(struct sink **out, const char *path)
{
	struct exitlog_sink *e = calloc(1, sizeof(*e));
	int err;

	*out = NULL;
	if (!e)
		return -ENOMEM;
	err = exitlog_open(&e->log, path);
	if (err) {
		free(e);
		return err;
	}
	/*
	 * Exits drained after the last refresh are in no frame yet: it asks for one more; and
	 * for the cgroups, each line's tag.
	 */
	e->sink = (struct sink){ .ops = &exitlog_sink_ops, .what = "the exit log: ", .last = true,
				 .cgroups = true };
	*out = &e->sink;
	return 0;
}
