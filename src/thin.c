// SPDX-License-Identifier: GPL-2.0
/*
 * --thin: a recording rewritten keeping one sample a --keep among those older than --after.
 * Each sample kept takes in the exits of the samples left out before it, and their cgroups;
 * every counter of a snapshot is a total since a start, so its change from the sample kept
 * before covers them all.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/clock.h"
#include "lib/recfile.h"
#include "model/model.h"
#include "model/record.h"
#include "source/replay/chain.h"
#include "thin.h"

struct thin {
	uint64_t keep_ns;
	int64_t before_ns;		/* samples older than this are thinned */
	struct rec_reader *r;
	struct rec_chain chain;		/* r's frames, what was lost with them counted */
	struct rec_writer *w;
	struct record_buf buf;
	struct snapshot dec[2];		/* decoded frames, taking turns: each the next one's base */
	unsigned int cur;		/* dec[cur] is the next to decode into */
	struct snapshot held;		/* the latest sample of its window, not written yet */
	struct snapshot pend;		/* the exits of the window's samples left out before it, */
					/* with their cgroups as last seen */
	bool have_held;
	bool held_start;		/* it starts a recorder's run (REC_START): it stays one */
	struct snapshot out;		/* the sample written last: the next one's base */
	bool have_out;
	unsigned int since_key;
	uint64_t read, written;		/* samples decoded, and written */
};

/*
 * Append sample @s: a change against the one written before, a key frame now and then, and
 * at the @start of a recorder's run.
 */
static int thin_write(struct thin *t, const struct snapshot *s, bool start)
{
	const struct snapshot *base = t->have_out && !start && t->since_key + 1 < RECORD_KEY_EVERY ?
				      &t->out : NULL;
	uint32_t flags = (base ? 0 : REC_KEY) | (start ? REC_START : 0);
	int err = record_encode(&t->buf, base, s) ?:
		  recw_append(t->w, s->wall_ns, flags, t->buf.p, t->buf.len) ?:
		  snapshot_copy(&t->out, s);

	t->have_out = !err;
	t->since_key = base ? t->since_key + 1 : 0;
	t->written += !err;
	return err;
}

/*
 * Cgroup @id of @from and its ancestors into @to, those it has not: a task's cgroup may be
 * gone by the sample that keeps its exit. @to's cgroups stay sorted.
 */
static int thin_cgroup(struct snapshot *to, const struct snapshot *from, uint64_t id)
{
	const struct snap_cgroup *c;

	for (c = snapshot_cgroup(from, id); c && !snapshot_cgroup(to, c->id);
	     c = snapshot_cgroup(from, c->parent)) {
		const char *path = snapshot_cgroup_path(from, c);

		if (!snapshot_put_cgroup(to, c, path, strlen(path)))
			return -ENOMEM;
		snapshot_sort_cgroups(to);
	}
	return 0;
}

/* The exits of @from into @to, with their cgroups where @to has not theirs. */
static int thin_exits(struct snapshot *to, const struct snapshot *from)
{
	for (size_t i = 0; i < from->nr_tasks; i++) {
		struct snap_task *t;
		int err;

		if (!from->tasks[i].exit_ns)
			continue;
		t = snapshot_add_task(to);
		if (!t)
			return -ENOMEM;
		*t = from->tasks[i];
		err = thin_cgroup(to, from, t->cgroup_id);
		if (err)
			return err;
	}
	return 0;
}

/*
 * The cgroups of @to that @from, a later sample, has too take its figures: throttling and
 * pressure are totals, the latest are right for the window. Their paths stay: a cgroup is
 * renamed seldom, and never out of its parent.
 */
static void thin_cgroups_later(struct snapshot *to, const struct snapshot *from)
{
	for (size_t i = 0; i < to->nr_cgroups; i++) {
		struct snap_cgroup *c = &to->cgroups[i];
		const struct snap_cgroup *f = snapshot_cgroup(from, c->id);
		uint32_t path = c->path;

		if (f) {
			*c = *f;
			c->path = path;
		}
	}
}

/* The held sample written, with the exits of its window's samples left out. */
static int thin_flush(struct thin *t)
{
	int err = 0;

	if (!t->have_held)
		return 0;
	if (t->pend.nr_tasks) {
		/* The held sample's cgroups are the latest; pend's exits add those it lacks. */
		err = thin_exits(&t->held, &t->pend);
		snapshot_prepare(&t->held);
		snapshot_begin(&t->pend);
	}
	t->have_held = false;
	return err ?: thin_write(t, &t->held, t->held_start);
}

/*
 * Sample @s, just decoded: held until the next one shows whether it ends its window. One that
 * @start's a run is no change from the one before: that one is not left out for it.
 */
static int thin_take(struct thin *t, const struct snapshot *s, bool start)
{
	int err;

	if (t->have_held && !start && s->wall_ns < t->before_ns &&
	    s->wall_ns / (int64_t)t->keep_ns == t->held.wall_ns / (int64_t)t->keep_ns) {
		/* The held sample is left out; the new one keeps its exits. */
		thin_cgroups_later(&t->pend, &t->held);
		err = thin_exits(&t->pend, &t->held);
	} else {
		err = thin_flush(t);
	}
	if (err)
		return err;
	/* A run's start left out keeps its mark on the sample that takes its place. */
	t->held_start = start || (t->have_held && t->held_start);
	t->have_held = true;
	return snapshot_copy(&t->held, s);
}

/* Every frame of the reader decoded and taken, the last one written: 0 or -errno. */
static int thin_frames(struct thin *t)
{
	struct rec_frame f;
	int err;

	rec_chain_start(&t->chain, t->r);
	while (!(err = rec_chain_frame(&t->chain, &f))) {
		struct snapshot *s = &t->dec[t->cur];

		err = rec_chain_decode(&t->chain, s, &t->dec[!t->cur], &f);
		if (err == -EBADMSG)
			continue;
		if (err)
			return err;
		t->read++;
		t->cur = !t->cur;
		err = thin_take(t, s, f.flags & REC_START);
		if (err)
			return err;
	}
	return err == 1 ? thin_flush(t) : err;
}

static void thin_free(struct thin *t)
{
	if (t->r)
		recr_close(t->r);
	if (t->w)
		recw_close(t->w);
	record_buf_free(&t->buf);
	snapshot_free(&t->dec[0]);
	snapshot_free(&t->dec[1]);
	snapshot_free(&t->held);
	snapshot_free(&t->pend);
	snapshot_free(&t->out);
}

/* Thin one file: 0, or -errno told on stderr. */
static int thin_file(const char *path, uint64_t keep_ns, int64_t before_ns)
{
	struct thin t = { .keep_ns = keep_ns, .before_ns = before_ns };
	int64_t first, last;
	char why[256];
	int err;

	err = recr_open(&t.r, path, why, sizeof(why));
	if (err) {
		fprintf(stderr, "cputop: --thin %s\n", why);
		goto cleanup;
	}
	/* Nothing old enough: the file stays as it is. */
	err = recr_span(t.r, &first, &last);
	if (err || first >= before_ns) {
		err = err == -ENODATA ? 0 : err;
		goto cleanup;
	}
	/* The new file is written beside the old one; a recorder holding it says -EBUSY. */
	err = recw_open_replace(&t.w, path);
	if (err == -EBUSY) {
		printf("%s: being recorded, left alone\n", path);
		err = 0;
		goto cleanup;
	}
	err = err ?: thin_frames(&t);
	/* Nothing left out: the old file stays, the new one goes with the close. */
	if (!err && (t.written < t.read || t.chain.lost))
		err = recw_commit(t.w);
	if (err) {
		fprintf(stderr, "cputop: --thin %s: %s\n", path, strerror(-err));
		goto cleanup;
	}
	if (t.chain.lost)
		printf("%s: %llu samples, %llu kept, %llu lost (corrupt, or after a corrupt one)\n",
		       path, (unsigned long long)(t.read + t.chain.lost),
		       (unsigned long long)t.written, (unsigned long long)t.chain.lost);
	else
		printf("%s: %llu samples, %llu kept\n", path, (unsigned long long)t.read,
		       (unsigned long long)t.written);
cleanup:
	thin_free(&t);
	return err;
}

int thin_run(const char *path, uint64_t keep_ns, uint64_t after_ns)
{
	int64_t before = clock_ns(CLOCK_REALTIME) - after_ns;
	struct dirent *e;
	struct stat st;
	int err = 0, one;
	DIR *d;

	if (stat(path, &st)) {
		fprintf(stderr, "cputop: --thin %s: %s\n", path, strerror(errno));
		return -errno;
	}
	if (!S_ISDIR(st.st_mode))
		return thin_file(path, keep_ns, before);
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "cputop: --thin %s: %s\n", path, strerror(errno));
		return -errno;
	}
	while ((e = readdir(d))) {
		char p[4096];

		if (!rec_name_day(e->d_name) ||
		    snprintf(p, sizeof(p), "%s/%s", path, e->d_name) >= (int)sizeof(p))
			continue;
		one = thin_file(p, keep_ns, before);
		err = err ?: one;
	}
	closedir(d);
	return err;
}
