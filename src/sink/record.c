// SPDX-License-Identifier: GPL-2.0
/*
 * --record: every snapshot into a recording (docs/record-format.md), a frame each, written as
 * its change against the one before, with a key frame now and then so that a reader can start
 * near any time. Into one file, or into a directory a file a day (cputop-YYYYMMDD.rec, by the
 * sample's local date), the oldest whole files deleted past --retain days or --retain-size
 * bytes.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/container.h"
#include "lib/recfile.h"
#include "model/record.h"
#include "sink/sink.h"

#define RECORD_NAME_LEN sizeof("cputop-YYYYMMDD.rec")

struct record_sink {
	struct sink sink;
	struct record_opts opts;
	char what[4096 + 16];		/* "--record PATH: ", the loop's name for it */
	bool dir;			/* opts.path is a directory: a file a day */
	char path[4096];		/* the file being written */
	struct rec_writer *w;
	int day;			/* the open file's date, YYYYMMDD (a directory's) */
	struct record_buf buf;
	/* The snapshot written last, by its times: a frame after it can be its change. */
	uint64_t last_ts;
	int64_t last_wall;
	bool have_last;
	unsigned int since_key;		/* frames written since the last key frame */
	bool started;			/* its first frame is written: REC_START */
};

/* The local date of Unix time @ns as YYYYMMDD: the day a directory's file is named after. */
static int record_day(int64_t ns)
{
	time_t t = ns / 1000000000;
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return 0;
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

static int day_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* The bytes of a day's file and its index. */
static uint64_t record_day_bytes(const char *dir, int day)
{
	char p[4096 + 32];
	uint64_t sum = 0;
	struct stat st;

	snprintf(p, sizeof(p), "%s/cputop-%08d.rec", dir, day);
	if (!stat(p, &st))
		sum += st.st_size;
	strcat(p, ".idx");
	if (!stat(p, &st))
		sum += st.st_size;
	return sum;
}

/* The days before @today that --retain keeps: 7 keeps today and the six before. */
static bool record_too_old(int day, int today, unsigned int keep_days)
{
	struct tm a = { .tm_year = day / 10000 - 1900, .tm_mon = day / 100 % 100 - 1,
			.tm_mday = day % 100, .tm_hour = 12 };
	struct tm b = { .tm_year = today / 10000 - 1900, .tm_mon = today / 100 % 100 - 1,
			.tm_mday = today % 100, .tm_hour = 12 };

	/* At noon, a day is 86,400 s give or take a daylight saving hour: rounding is exact. */
	return keep_days && (timegm(&b) - timegm(&a) + 43200) / 86400 >= keep_days;
}

/*
 * Delete the oldest whole files of the directory while they are older than --retain days, or
 * while all of them are over --retain-size bytes; never the file being written. A file that
 * will not go is left, and said on stderr (each time retention runs: it is a fault to fix).
 */
static int record_retain(struct record_sink *r)
{
	int *days = NULL, *more, err = 0;
	size_t nr = 0, cap = 0, i;
	uint64_t total = 0;
	struct dirent *e;
	DIR *d;

	if (!r->dir || (!r->opts.retain_days && !r->opts.retain_bytes))
		return 0;
	d = opendir(r->opts.path);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		int day = rec_name_day(e->d_name);

		if (!day)
			continue;
		if (nr == cap) {
			cap = cap ? 2 * cap : 64;
			more = realloc(days, cap * sizeof(*days));
			if (!more) {
				err = -ENOMEM;
				goto cleanup;
			}
			days = more;
		}
		days[nr++] = day;
		total += record_day_bytes(r->opts.path, day);
	}
	if (nr)
		qsort(days, nr, sizeof(*days), day_cmp);
	for (i = 0; i < nr && days[i] != r->day; i++) {
		uint64_t bytes = record_day_bytes(r->opts.path, days[i]);
		char p[4096 + 32];

		if (!record_too_old(days[i], r->day, r->opts.retain_days) &&
		    (!r->opts.retain_bytes || total <= r->opts.retain_bytes))
			break;
		snprintf(p, sizeof(p), "%s/cputop-%08d.rec.idx", r->opts.path, days[i]);
		unlink(p);
		p[strlen(p) - 4] = '\0';
		if (unlink(p) && errno != ENOENT) {
			err = -errno;
			fprintf(stderr, "cputop: --record: cannot delete %s: %s\n", p,
				strerror(errno));
			break;
		}
		total -= bytes;
	}
cleanup:
	closedir(d);
	free(days);
	return err;
}

/* The file for a sample at Unix time @wall: a directory's changes with the local date. */
static int record_file(struct record_sink *r, int64_t wall)
{
	int day = r->dir ? record_day(wall) : 0, err;

	if (r->w && day == r->day)
		return 0;
	if (r->w) {
		recw_close(r->w);
		r->w = NULL;
	}
	if (r->dir)
		snprintf(r->path, sizeof(r->path), "%s/cputop-%08d.rec", r->opts.path, day);
	err = recw_open(&r->w, r->path);
	/*
	 * A day's file that is no recording (its header lost to a power cut, say) is put aside
	 * for whoever wants to look, and the day starts anew: a recorder that stopped on it
	 * would lose the rest of the day.
	 */
	if (err == -EPROTO && r->dir) {
		char bad[sizeof(r->path) + 16], idx[sizeof(r->path) + 16];

		snprintf(idx, sizeof(idx), "%s.idx", r->path);
		snprintf(bad, sizeof(bad), "%s.idx.bad", r->path);
		rename(idx, bad);
		snprintf(bad, sizeof(bad), "%s.bad", r->path);
		if (!rename(r->path, bad)) {
			fprintf(stderr, "cputop: --record: %s is no recording: moved to %s\n",
				r->path, bad);
			err = recw_open(&r->w, r->path);
		}
	}
	if (err) {
		fprintf(stderr, "cputop: --record %s: %s\n", r->path,
			err == -EPROTO ? "not a cputop recording of this version" : strerror(-err));
		return err;
	}
	r->day = day;
	/* A new file starts with a key frame: it decodes without the one before. */
	r->have_last = false;
	/* Retention costs a directory listing: at a new file, not at every frame. */
	record_retain(r);
	return 0;
}

static int record_write(struct sink *k, const struct frame *f)
{
	struct record_sink *r = container_of(k, struct record_sink, sink);
	const struct snapshot *base = f->prev;
	int err;

	err = record_file(r, f->cur->wall_ns);
	if (err)
		return err;
	/* A change against the snapshot written last only: a failed write breaks the chain. */
	if (!r->have_last || !base || base->ts_ns != r->last_ts || base->wall_ns != r->last_wall ||
	    r->since_key + 1 >= RECORD_KEY_EVERY)
		base = NULL;
	r->have_last = false;
	err = record_encode(&r->buf, base, f->cur);
	if (err)
		return err;
	/*
	 * The first frame says a run starts: a replay shows it as this run showed it, with no
	 * change from the frame before, another run's (a file appended to).
	 */
	err = recw_append(r->w, f->cur->wall_ns,
			  (base ? 0 : REC_KEY) | (r->started ? 0 : REC_START), r->buf.p, r->buf.len);
	/* The loop tells it, by the sink's name, and ends: the recording is what was asked. */
	if (err)
		return err;
	r->since_key = base ? r->since_key + 1 : 0;
	r->started = true;
	r->last_ts = f->cur->ts_ns;
	r->last_wall = f->cur->wall_ns;
	r->have_last = true;
	if (r->since_key == 0 && r->dir && r->opts.retain_bytes)
		record_retain(r);
	return 0;
}

static void record_close(struct sink *k)
{
	struct record_sink *r = container_of(k, struct record_sink, sink);

	if (r->w)
		recw_close(r->w);
	record_buf_free(&r->buf);
	free(r);
}

static const struct sink_ops record_ops = {
	.write = record_write,
	.close = record_close,
};

int record_sink_open(struct sink **out, const struct record_opts *o)
{
	struct record_sink *r = calloc(1, sizeof(*r));
	struct stat st;
	int err;

	if (!r)
		return -ENOMEM;
	snprintf(r->what, sizeof(r->what), "--record %s: ", o->path);
	r->sink = (struct sink){ .ops = &record_ops, .what = r->what, .metrics = true,
				 .cgroups = true,
				 .last = true };
	r->opts = *o;
	r->dir = !stat(o->path, &st) && S_ISDIR(st.st_mode);
	if (!r->dir && (o->retain_days || o->retain_bytes)) {
		fprintf(stderr, "cputop: --retain and --retain-size need --record DIRECTORY, "
			"where files are a day each: %s is not one\n", o->path);
		err = -EINVAL;
		goto cleanup;
	}
	if (snprintf(r->path, sizeof(r->path), "%s", o->path) >=
	    (int)(sizeof(r->path) - RECORD_NAME_LEN - 1)) {
		fprintf(stderr, "cputop: --record: path too long\n");
		err = -ENAMETOOLONG;
		goto cleanup;
	}
	/* A file opens now, so that a wrong path fails before any refresh; a directory's too. */
	err = record_file(r, (int64_t)time(NULL) * 1000000000);
	if (err)
		goto cleanup;
	*out = &r->sink;
	return 0;
cleanup:
	record_close(&r->sink);
	return err;
}
