/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The recording's file layer (docs/record-format.md): a versioned file header, then frames of
 * opaque payload, each with its length, its time, its flags and a CRC32, the payload compressed
 * with zstd; beside the file, PATH.idx, an index of the key frames' times and offsets, so that
 * a time is found without reading the file. What a payload holds is model/record.h's business.
 *
 * Writing appends each frame with one write(2) to a file opened O_APPEND: a crash loses at
 * most the frame being written. Reading skips a torn or corrupt frame, counts it, and finds the
 * next good one; it is never fatal.
 */
#ifndef CPUTOP_RECFILE_H
#define CPUTOP_RECFILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define REC_KEY		(1u << 0)	/* a key frame: it decodes without the one before */
#define REC_START	(1u << 1)	/* a recorder's first frame: no change from the one before */
/* The largest payload: a reader allocates no more than this for a frame, whatever the file says. */
#define REC_MAX_LEN	(256u << 20)

/* A frame as read: valid until the next call on its reader. */
struct rec_frame {
	int64_t wall_ns;		/* the sample's Unix time, ns */
	uint32_t flags;			/* REC_* */
	const void *data;		/* the payload, decompressed */
	size_t len;
	off_t off;			/* where its frame starts in the file */
};

/* What a reader met, since it was opened. */
struct rec_stats {
	uint64_t frames;		/* good frames read */
	uint64_t corrupt;		/* frames skipped: bad CRC or header, no decompressing */
	uint64_t torn;			/* a frame cut short by the end of the file (a crash); */
					/* uncounted if a writer still at it completes it */
	uint64_t skipped_bytes;		/* bytes passed over to find the next good frame */
};

struct rec_writer;
struct rec_reader;

/*
 * Open @path to append frames, creating it (and its index) with a header when it is new or
 * empty. -errno; -EPROTO when it holds something else than a recording, or one of a newer
 * major version; -EBUSY when another writer has it open: one writer per file.
 */
int recw_open(struct rec_writer **out, const char *path);
/*
 * Start a recording that is to replace @path whole (thinning an old file): written to
 * PATH.tmp and PATH.tmp.idx, put in @path's place by recw_commit(), removed by recw_close()
 * without it. -EBUSY when a writer has @path open, or another replacement is under way.
 */
int recw_open_replace(struct rec_writer **out, const char *path);
/*
 * Append one frame (compressed; its index entry too when @flags has REC_KEY). 0 or -errno:
 * -EMSGSIZE beyond REC_MAX_LEN. An error from the index alone comes after the frame is in the
 * file, where readers find it without the index: it is not to be appended again.
 */
int recw_append(struct rec_writer *w, int64_t wall_ns, uint32_t flags, const void *p, size_t len);
/* The file's size in bytes, as far as this writer knows. */
off_t recw_size(const struct rec_writer *w);
/*
 * Put a recw_open_replace() recording in place of the file it replaces, index included, on
 * disk first: after a crash, @path is the old file or the new one, whole. 0 or -errno.
 */
int recw_commit(struct rec_writer *w);
void recw_close(struct rec_writer *w);

/* Open @path to read. -errno; -EPROTO (with @why for people) when it is no recording. */
int recr_open(struct rec_reader **out, const char *path, char *why, size_t len);
/*
 * Position the reader so that the next recr_next() gives the last key frame whose time is
 * at or before @wall_ns (the first frame when there is none), by the index, with no read of
 * the frames before it; without a usable index, by reading the file. 0 or -errno. With the
 * times out of order (a clock set back): the last key frame before the first key frame later
 * than @wall_ns, in the file's order, by the index as by reading.
 */
int recr_seek(struct rec_reader *r, int64_t wall_ns);
/*
 * The next good frame into @f: 0, 1 at the end of the file, -errno on an I/O error. A file
 * being written grows: a later call after 1 gives the frames appended since.
 */
int recr_next(struct rec_reader *r, struct rec_frame *f);
/*
 * The times of the first and last frames (by the index and the file's end); 0, -ENODATA when
 * the file holds no good frame, or -errno. The position of recr_next() stays.
 */
int recr_span(struct rec_reader *r, int64_t *first_ns, int64_t *last_ns);
const struct rec_stats *recr_stats(const struct rec_reader *r);
void recr_close(struct rec_reader *r);

/*
 * A directory of recordings holds a file a day, cputop-YYYYMMDD.rec (--record DIRECTORY): the
 * day of such a @name, as YYYYMMDD, or 0 when @name is not one.
 */
int rec_name_day(const char *name);

#endif /* CPUTOP_RECFILE_H */
