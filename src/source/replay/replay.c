// SPDX-License-Identifier: GPL-2.0
/*
 * The replay source: the snapshots of a recording (--record) read back, so that every view and
 * sink works on the past as on the present. A file, or a directory of daily files read in the
 * order of their days. A frame is the change of the one before: a frame lost (corrupt, torn)
 * costs the frames after it until the next key frame, which are counted, never fatal.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/container.h"
#include "lib/recfile.h"
#include "model/record.h"
#include "source/replay/chain.h"
#include "source/source.h"

/*
 * Decoded snapshots waiting to be read: a seek decodes the sample asked for, the one before it
 * and the one after (the frame that told it had gone past), and hands them out in order.
 */
#define REPLAY_SLOTS 3

struct replay_file {
	char *path;
	int64_t first_ns, last_ns;	/* its first and last frames' times */
};

struct replay_source {
	struct source src;
	struct replay_file *files;	/* by time */
	size_t nr_files, file;		/* the one open */
	struct rec_reader *r;
	struct rec_chain chain;		/* r's frames, what was lost with them counted */
	int64_t end_ns;			/* --end */
	struct snapshot q[REPLAY_SLOTS];
	bool start[REPLAY_SLOTS];	/* q[i] starts a recorder's run (REC_START) */
	size_t head, nr;		/* q[head] is the next to read; nr wait */
	int last;			/* the slot decoded last: the next frame's base; -1: none */
	/* The bad frames of the readers closed, and the bytes passed over to find good ones. */
	uint64_t corrupt, torn, skipped_bytes;
	const char *path;		/* --replay's */
};

static void replay_reader_close(struct replay_source *p)
{
	if (p->r) {
		const struct rec_stats *st = recr_stats(p->r);

		p->corrupt += st->corrupt;
		p->torn += st->torn;
		p->skipped_bytes += st->skipped_bytes;
		recr_close(p->r);
	}
	p->r = NULL;
}

static int replay_reader_open(struct replay_source *p, size_t file)
{
	char why[256];
	int err;

	replay_reader_close(p);
	err = recr_open(&p->r, p->files[file].path, why, sizeof(why));
	if (err)
		return err;
	p->file = file;
	rec_chain_start(&p->chain, p->r);
	return 0;
}

/* The slot for the next frame: after those waiting, never the base it is decoded against. */
static struct snapshot *replay_slot(struct replay_source *p, int *slot)
{
	if (p->nr == REPLAY_SLOTS) {
		p->head = (p->head + 1) % REPLAY_SLOTS;
		p->nr--;
	}
	*slot = (p->head + p->nr) % REPLAY_SLOTS;
	return &p->q[*slot];
}

/*
 * Decode the next good frame into a slot, waiting after the others: 0, -ENODATA past the end
 * (of the files, or --end), or -errno.
 */
static int replay_decode(struct replay_source *p)
{
	struct rec_frame f;
	int slot, err;

	for (;;) {
		struct snapshot *s;

		err = p->r ? rec_chain_frame(&p->chain, &f) : 1;
		if (err == 1) {
			if (p->file + 1 >= p->nr_files)
				return -ENODATA;
			err = replay_reader_open(p, p->file + 1);
			if (err)
				return err;
			continue;
		}
		if (err)
			return err;
		if (f.wall_ns > p->end_ns)
			return -ENODATA;
		s = replay_slot(p, &slot);
		err = rec_chain_decode(&p->chain, s, p->last < 0 ? NULL : &p->q[p->last], &f);
		if (err == -EBADMSG)
			continue;
		if (err)
			return err;
		s->caps |= SNAP_CAP_RECORDED;
		p->start[slot] = f.flags & REC_START;
		p->last = slot;
		p->nr++;
		return 0;
	}
}

static int replay_read(struct source *src, struct snapshot *s, const struct source_want *want)
{
	struct replay_source *p = container_of(src, struct replay_source, src);
	int err;

	(void)want;
	if (!p->nr) {
		err = replay_decode(p);
		if (err)
			return err;
	}
	err = snapshot_copy(s, &p->q[p->head]);
	if (err)
		return err;
	err = p->start[p->head];
	p->head = (p->head + 1) % REPLAY_SLOTS;
	p->nr--;
	return err;
}

/* The newest waiting snapshot's time, or INT64_MIN. */
static int64_t replay_newest(const struct replay_source *p)
{
	return p->nr ? p->q[(p->head + p->nr - 1) % REPLAY_SLOTS].wall_ns : INT64_MIN;
}

/*
 * From the key frame at or before @from_ns, decode up to the first frame at or after @at_ns,
 * or to the end. Left waiting: that frame (or the last one) and the one before it. Returns how
 * many wait (0 to 2), or -errno.
 */
static int replay_scan(struct replay_source *p, int64_t from_ns, int64_t at_ns)
{
	int err;

	p->nr = 0;
	err = recr_seek(p->r, from_ns);
	if (err)
		return err;
	rec_chain_start(&p->chain, p->r);
	while (!(err = replay_decode(p)) && replay_newest(p) < at_ns)
		;
	if (err && err != -ENODATA)
		return err;
	while (p->nr > 2) {
		p->head = (p->head + 1) % REPLAY_SLOTS;
		p->nr--;
	}
	return p->nr;
}

/*
 * The first sample at or after @wall_ns (the last one when none is), after the one before it.
 * With --end, a time past it has no sample: -ENODATA.
 */
static int replay_find(struct replay_source *p, int64_t wall_ns)
{
	size_t file = 0;
	int64_t at;
	int nr, err;

	while (file + 1 < p->nr_files && p->files[file + 1].first_ns <= wall_ns)
		file++;
	err = replay_reader_open(p, file);
	if (err)
		return err;
	nr = replay_scan(p, wall_ns, wall_ns);
	if (nr <= 0)
		return nr ?: -ENODATA;
	at = replay_newest(p);
	if (at < wall_ns && p->end_ns != INT64_MAX)
		return -ENODATA;
	/* The sample is the first one read from its key frame: the one before is further back. */
	if (nr == 1 && at > p->files[p->file].first_ns) {
		err = replay_reader_open(p, p->file);
		nr = err ?: replay_scan(p, at - 1, at);
	} else if (nr == 1 && p->file) {
		/*
		 * The first of its file: the one before is the last of the file before, whose
		 * reads then go on into this one.
		 */
		file = p->file - 1;
		err = replay_reader_open(p, file);
		nr = err ?: replay_scan(p, p->files[file].last_ns, p->files[file].last_ns);
		if (nr > 0) {
			p->head = (p->head + p->nr - 1) % REPLAY_SLOTS;
			p->nr = 1;
			nr = 2;
		}
	}
	return nr;
}

static int replay_seek(struct source *src, int64_t wall_ns, bool before)
{
	struct replay_source *p = container_of(src, struct replay_source, src);
	int nr;

	if (before) {
		/* The sample before the one of @wall_ns: in its file, else the last of the one before. */
		nr = replay_find(p, wall_ns);
		if (nr < 0)
			return nr;
		if (nr == 2)
			wall_ns = p->q[p->head].wall_ns;
		else if (p->file)
			wall_ns = p->files[p->file - 1].last_ns;
		else
			return -ENODATA;
	}
	return replay_find(p, wall_ns);
}

static void replay_describe(const struct source *src, struct snapshot *s)
{
	/* A snapshot's words are the recording's; a replay says so by SNAP_CAP_RECORDED. */
	(void)src;
	(void)s;
}

static void replay_close(struct source *src)
{
	struct replay_source *p = src ? container_of(src, struct replay_source, src) : NULL;

	if (!p)
		return;
	replay_reader_close(p);
	/* What was lost is told, once: the replay went on without it. */
	if (p->corrupt || p->torn || p->chain.lost)
		fprintf(stderr, "cputop: --replay %s: %llu frames corrupt, %llu torn (cut short by "
			"a crash), %llu more that were their changes; %llu bytes passed over\n",
			p->path,
			(unsigned long long)p->corrupt, (unsigned long long)p->torn,
			(unsigned long long)p->chain.lost, (unsigned long long)p->skipped_bytes);
	for (size_t i = 0; i < p->nr_files; i++)
		free(p->files[i].path);
	for (size_t i = 0; i < REPLAY_SLOTS; i++)
		snapshot_free(&p->q[i]);
	free(p->files);
	free(p);
}

static const struct source_ops replay_ops = {
	.read = replay_read,
	.seek = replay_seek,
	.describe = replay_describe,
	.close = replay_close,
};

static int file_cmp(const void *a, const void *b)
{
	const struct replay_file *x = a, *y = b;

	return (x->first_ns > y->first_ns) - (x->first_ns < y->first_ns);
}

/* One more file, its first frame's time read; a file with no frame is left out. */
static int replay_add(struct replay_source *p, const char *path, char *why, size_t len)
{
	struct replay_file *more, *f;
	struct rec_reader *r;
	int64_t first, last;
	int err;

	err = recr_open(&r, path, why, len);
	if (err)
		return err;
	err = recr_span(r, &first, &last);
	recr_close(r);
	if (err == -ENODATA)
		return 0;
	if (err) {
		snprintf(why, len, "%s: %s", path, strerror(-err));
		return err;
	}
	more = realloc(p->files, (p->nr_files + 1) * sizeof(*more));
	if (!more)
		return -ENOMEM;
	p->files = more;
	f = &p->files[p->nr_files];
	f->path = strdup(path);
	if (!f->path)
		return -ENOMEM;
	f->first_ns = first;
	f->last_ns = last;
	p->nr_files++;
	return 0;
}

/* A directory's recordings: its cputop-*.rec files. */
static int replay_add_dir(struct replay_source *p, const char *dir, char *why, size_t len)
{
	struct dirent *e;
	int err = 0;
	DIR *d = opendir(dir);

	if (!d) {
		err = -errno;
		snprintf(why, len, "%s: %s", dir, strerror(errno));
		return err;
	}
	while (!err && (e = readdir(d))) {
		char path[4096];

		if (!rec_name_day(e->d_name) ||
		    snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path))
			continue;
		err = replay_add(p, path, why, len);
		/* One day's file that cannot be read costs that day, said so: not the others. */
		if (err && err != -ENOMEM) {
			fprintf(stderr, "cputop: --replay: %s: left out\n", why);
			err = 0;
		}
	}
	closedir(d);
	return err;
}

int replay_source_open(struct source **out, const struct source_opts *o, char *why, size_t len)
{
	struct replay_source *p = calloc(1, sizeof(*p));
	struct stat st;
	int err;

	*out = NULL;
	if (!p) {
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	p->src = (struct source){ .ops = &replay_ops, .recorded = true };
	p->last = -1;
	p->end_ns = o->end_ns;
	p->path = o->replay;
	if (stat(o->replay, &st)) {
		err = -errno;
		snprintf(why, len, "--replay %s: %s", o->replay, strerror(errno));
		goto cleanup;
	}
	err = S_ISDIR(st.st_mode) ? replay_add_dir(p, o->replay, why, len) :
	      replay_add(p, o->replay, why, len);
	if (err)
		goto cleanup;
	if (!p->nr_files) {
		err = -ENODATA;
		snprintf(why, len, "--replay %s: no recorded sample", o->replay);
		goto cleanup;
	}
	qsort(p->files, p->nr_files, sizeof(*p->files), file_cmp);
	/*
	 * The first sample, for what the recording can show before the sinks open; the loop
	 * then seeks to --begin, and what this read met is counted there again.
	 */
	err = replay_reader_open(p, 0) ?: replay_decode(p);
	if (err) {
		snprintf(why, len, "--replay %s: %s", o->replay,
			 err == -ENODATA ? "no recorded sample" : strerror(-err));
		goto cleanup;
	}
	p->src.caps = p->q[p->head].caps;
	replay_reader_close(p);
	p->corrupt = p->torn = p->chain.lost = p->skipped_bytes = 0;
	*out = &p->src;
	return 0;
cleanup:
	replay_close(&p->src);
	return err;
}
