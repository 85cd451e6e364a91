// SPDX-License-Identifier: GPL-2.0
/*
 * The recording's file layer. docs/record-format.md gives the bytes; here is why they are
 * written and read as they are.
 *
 * Crash safety comes from appending only. A frame is built whole in memory and goes out with
 * one write(2) to a file opened O_APPEND, so that no byte before it is ever written again: a
 * process killed, even by SIGKILL, loses at most the frame being written, which then lies torn
 * at the end of the file, where readers pass over it by its length and CRC. There is no fsync
 * per frame: after a power loss, what the page cache held is lost too (the file ends some
 * seconds earlier, maybe in a torn frame), and what is left still reads.
 *
 * The index beside the file, PATH.idx, is a shortcut and no more: its entries go out after
 * their frames, so that it lags behind the file after a crash; it may be lost or damaged.
 * Readers check each entry against the frame it names and read the file where it falls short.
 *
 * One writer per file (an exclusive flock(2); a second writer gets -EBUSY). Readers take no
 * lock and may read a file while it is written.
 *
 * The CRC32 is zlib's crc32() (IEEE 802.3), zlib being linked already (libbpf's).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "lib/recfile.h"

#define REC_MAGIC	"CPUTOPRC"
#define REC_IDX_MAGIC	"CPUTOPIX"
#define REC_MAJOR	1		/* both the recording's and its index's */
#define REC_MINOR	0
#define REC_HDR_LEN	48		/* the file header, 1.0 */
#define REC_HDR_MAX	4096		/* the longest header (a later minor version's) we read */
#define REC_ZSTD	1		/* the file header's compression id */
#define REC_FHDR_LEN	32		/* a frame header */
#define REC_IDX_HDR_LEN	32		/* the index's header, 1.0 */
#define REC_IDX_ENTRY	20
/* zstd's default. On 1-8 KiB payloads, level 6 saves 3-4% for 1.5 times the CPU, 9 4-5%. */
#define REC_LEVEL	3
/* What a reader reads at once: a file read through costs a read(2) per few hundred frames. */
#define REC_CHUNK	(256 << 10)

/* A frame's first bytes, which a reader looks for to find the next frame after damage. */
static const uint8_t rec_sync[4] = { 0xd3, 'C', 'T', 'F' };

/* What rec_frame_at() finds at an offset; REC_OK and REC_END are also recr_next()'s 0 and 1. */
enum { REC_OK, REC_END, REC_TORN, REC_BAD };

struct rec_head {
	uint16_t major, minor;
	uint32_t len;
	uint64_t id;
};

struct rec_fhdr {
	uint32_t clen, rlen, flags;
	int64_t wall_ns;
};

struct rec_writer {
	int fd, idx_fd;			/* idx_fd -1 once the index could not be kept whole */
	off_t size;
	uint64_t id;
	ZSTD_CCtx *cctx;
	uint8_t *buf;			/* the frame being built */
	size_t cap;
	char *path, *idx_path;		/* PATH, or PATH.tmp for a replacement */
	char *dest;			/* PATH for a replacement, or NULL */
	int dest_fd;			/* PATH, locked while a replacement is written; -1 */
	bool committed;
};

struct rec_entry {
	int64_t wall_ns;
	off_t off;
};

/* A place in the file and what reading from it met: the reader's, or a seek's own. */
struct rec_cursor {
	off_t off;
	off_t torn;			/* the torn frame counted last, so that it counts once */
	struct rec_stats stats;
};

struct rec_reader {
	int fd;
	char *idx_path;
	uint64_t id;
	off_t data;			/* the first frame: the header's length */
	off_t size;			/* the file's size as last seen */
	uint8_t *buf;			/* the file's bytes from buf_off on, buf_len of them */
	size_t buf_len, buf_cap;
	off_t buf_off;
	ZSTD_DCtx *dctx;
	uint8_t *out;			/* the last frame's payload */
	size_t out_cap;
	struct rec_cursor cur;
	struct rec_entry *idx;		/* the index's good entries, in file order */
	size_t nr_idx;
	bool idx_loaded;
};

static void rec_put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void rec_put32(uint8_t *p, uint32_t v)
{
	rec_put16(p, v);
	rec_put16(p + 2, v >> 16);
}

static void rec_put64(uint8_t *p, uint64_t v)
{
	rec_put32(p, v);
	rec_put32(p + 4, v >> 32);
}

static uint16_t rec_get16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t rec_get32(const uint8_t *p)
{
	return rec_get16(p) | (uint32_t)rec_get16(p + 2) << 16;
}

static uint64_t rec_get64(const uint8_t *p)
{
	return rec_get32(p) | (uint64_t)rec_get32(p + 4) << 32;
}

static uint32_t rec_crc(const void *p, size_t n)
{
	return crc32(0, p, n);
}

static char *rec_idx_path(const char *path)
{
	char *s;

	return asprintf(&s, "%s.idx", path) < 0 ? NULL : s;
}

/* Says in @why, for people, why a file is no recording we read: -EPROTO. */
__attribute__((format(printf, 3, 4)))
static int rec_why(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (why && size) {
		va_start(ap, fmt);
		vsnprintf(why, size, fmt, ap);
		va_end(ap);
	}
	return -EPROTO;
}

/*
 * The file header in the @n bytes at @p, the file's first: 0 or -EPROTO. The magic and the
 * version come first and stay where they are in every version, so that a newer file is told
 * as such before anything else of it is read.
 */
static int rec_head_parse(const uint8_t *p, size_t n, struct rec_head *h, char *why, size_t size)
{
	uint32_t comp;

	if (!n)
		return rec_why(why, size, "an empty file: no recording header");
	if (memcmp(p, REC_MAGIC, n < 8 ? n : 8))
		return rec_why(why, size, "not a cputop recording");
	if (n < 12)
		return rec_why(why, size, "a truncated recording header (%zu bytes)", n);
	h->major = rec_get16(p + 8);
	h->minor = rec_get16(p + 10);
	if (h->major > REC_MAJOR)
		return rec_why(why, size,
			       "recording format %u.%u, newer than this cputop reads (%u.x)",
			       h->major, h->minor, REC_MAJOR);
	if (h->major < REC_MAJOR)
		return rec_why(why, size, "unknown recording format %u.%u", h->major, h->minor);
	if (n < 16)
		return rec_why(why, size, "a truncated recording header (%zu bytes)", n);
	h->len = rec_get32(p + 12);
	if (h->len < REC_HDR_LEN || h->len > REC_HDR_MAX)
		return rec_why(why, size, "a damaged recording header (length %u)", h->len);
	if (n < h->len)
		return rec_why(why, size, "a truncated recording header (%zu of %u bytes)", n,
			       h->len);
	if (rec_get32(p + h->len - 4) != rec_crc(p, h->len - 4))
		return rec_why(why, size, "a damaged recording header (bad CRC)");
	comp = rec_get32(p + 20);
	if (comp != REC_ZSTD)
		return rec_why(why, size, "unknown compression %u in the recording header", comp);
	h->id = rec_get64(p + 32);
	return 0;
}

/* The index's header in the @n bytes at @p: its length into *@len, or -EPROTO. */
static int rec_idx_parse(const uint8_t *p, size_t n, uint64_t id, uint32_t *len)
{
	if (n < REC_IDX_HDR_LEN || memcmp(p, REC_IDX_MAGIC, 8) || rec_get16(p + 8) != REC_MAJOR)
		return -EPROTO;
	*len = rec_get32(p + 12);
	if (*len < REC_IDX_HDR_LEN || *len > REC_HDR_MAX || *len > n ||
	    rec_get32(p + *len - 4) != rec_crc(p, *len - 4))
		return -EPROTO;
	/* Another recording's index (a file of the same name before it, a crash in a replace). */
	return rec_get64(p + 16) == id ? 0 : -EPROTO;
}

/* The frame header at @p into @h: whether it is one, its lengths within bounds. */
static bool rec_fhdr_parse(const uint8_t *p, struct rec_fhdr *h)
{
	if (memcmp(p, rec_sync, sizeof(rec_sync)) || rec_get32(p + 28) != rec_crc(p, 28))
		return false;
	h->clen = rec_get32(p + 4);
	h->rlen = rec_get32(p + 8);
	h->flags = rec_get32(p + 12);
	h->wall_ns = (int64_t)rec_get64(p + 16);
	return h->rlen <= REC_MAX_LEN && h->clen <= ZSTD_compressBound(h->rlen);
}

/* Up to @n bytes at @off: how many (fewer at the file's end), or -errno. */
static ssize_t rec_read_at(int fd, void *buf, size_t n, off_t off)
{
	size_t got = 0;
	ssize_t k;

	while (got < n) {
		k = pread(fd, (uint8_t *)buf + got, n - got, off + got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		if (!k)
			break;
		got += k;
	}
	return got;
}

/*
 * Append the @n bytes at @p to @fd, whose end is at @off, with as many write(2) as it takes:
 * 0 or -errno. A failure after part of them is cut back to @off, so that nothing torn lies
 * between two good records; *@torn says when that failed too.
 */
static int rec_write_all(int fd, const void *p, size_t n, off_t off, bool *torn)
{
	size_t done = 0;
	ssize_t k;
	int err;

	*torn = false;
	while (done < n) {
		k = write(fd, (const uint8_t *)p + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			err = k < 0 ? -errno : -EIO;
			*torn = done && ftruncate(fd, off);
			return err;
		}
		done += k;
	}
	return 0;
}

static int rec_head_write(struct rec_writer *w)
{
	uint8_t h[REC_HDR_LEN] = { 0 };
	struct timespec now;
	bool torn;

	clock_gettime(CLOCK_REALTIME, &now);
	/* Tells this recording's index from another's, whatever their names. */
	arc4random_buf(&w->id, sizeof(w->id));
	memcpy(h, REC_MAGIC, 8);
	rec_put16(h + 8, REC_MAJOR);
	rec_put16(h + 10, REC_MINOR);
	rec_put32(h + 12, REC_HDR_LEN);
	rec_put32(h + 20, REC_ZSTD);
	rec_put64(h + 24, (uint64_t)now.tv_sec * 1000000000 + now.tv_nsec);
	rec_put64(h + 32, w->id);
	rec_put32(h + REC_HDR_LEN - 4, rec_crc(h, REC_HDR_LEN - 4));
	w->size = REC_HDR_LEN;
	return rec_write_all(w->fd, h, sizeof(h), 0, &torn);
}

/*
 * The index beside the file: kept when it is this recording's, else started afresh (the
 * entries of the frames before are then missing, which readers make up for by reading).
 */
static int rec_idx_start(struct rec_writer *w)
{
	uint8_t h[REC_HDR_MAX];
	uint32_t len;
	off_t size;
	ssize_t n;
	bool torn;

	w->idx_fd = open(w->idx_path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (w->idx_fd < 0)
		return -errno;
	size = lseek(w->idx_fd, 0, SEEK_END);
	n = rec_read_at(w->idx_fd, h, sizeof(h), 0);
	if (size < 0 || n < 0)
		return size < 0 ? -errno : n;
	if (!rec_idx_parse(h, n, w->id, &len)) {
		/*
		 * A crash in the middle of an entry leaves part of it: cut off, or every entry
		 * after it would be off the grid where readers look for them.
		 */
		if ((size - len) % REC_IDX_ENTRY &&
		    ftruncate(w->idx_fd, size - (size - len) % REC_IDX_ENTRY))
			return -errno;
		return 0;
	}
	if (ftruncate(w->idx_fd, 0))
		return -errno;
	memset(h, 0, REC_IDX_HDR_LEN);
	memcpy(h, REC_IDX_MAGIC, 8);
	rec_put16(h + 8, REC_MAJOR);
	rec_put16(h + 10, REC_MINOR);
	rec_put32(h + 12, REC_IDX_HDR_LEN);
	rec_put64(h + 16, w->id);
	rec_put32(h + REC_IDX_HDR_LEN - 4, rec_crc(h, REC_IDX_HDR_LEN - 4));
	return rec_write_all(w->idx_fd, h, REC_IDX_HDR_LEN, 0, &torn);
}

/* Open w->path and its index to append, emptied first when @fresh. 0 or -errno. */
static int rec_writer_start(struct rec_writer *w, bool fresh)
{
	uint8_t h[REC_HDR_MAX];
	struct rec_head head;
	ssize_t n;
	int err;

	/* Read and write: an existing file's header is checked before anything is appended. */
	w->fd = open(w->path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (w->fd < 0)
		return -errno;
	/* A second writer would interleave its frames with these, and its index entries. */
	if (flock(w->fd, LOCK_EX | LOCK_NB)) {
		err = errno == EWOULDBLOCK ? -EBUSY : -errno;
		/* Another writer's: recw_close() must not remove them as a replacement's own. */
		close(w->fd);
		w->fd = -1;
		return err;
	}
	if (fresh && ftruncate(w->fd, 0))
		return -errno;
	n = rec_read_at(w->fd, h, sizeof(h), 0);
	if (n < 0)
		return n;
	if (!n) {
		err = rec_head_write(w);
		return err ?: rec_idx_start(w);
	}
	/*
	 * A newer minor version's file takes our frames: a minor version changes nothing that a
	 * reader of an older one cannot read past.
	 */
	err = rec_head_parse(h, n, &head, NULL, 0);
	if (err)
		return err;
	w->id = head.id;
	w->size = lseek(w->fd, 0, SEEK_END);
	return rec_idx_start(w);
}

static struct rec_writer *rec_writer_new(void)
{
	struct rec_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->fd = w->idx_fd = w->dest_fd = -1;
	w->cctx = ZSTD_createCCtx();
	if (!w->cctx) {
		free(w);
		return NULL;
	}
	return w;
}

int recw_open(struct rec_writer **out, const char *path)
{
	struct rec_writer *w = rec_writer_new();
	int err;

	*out = NULL;
	if (!w)
		return -ENOMEM;
	w->path = strdup(path);
	w->idx_path = rec_idx_path(path);
	if (!w->path || !w->idx_path) {
		err = -ENOMEM;
		goto cleanup;
	}
	err = rec_writer_start(w, false);
cleanup:
	if (err)
		recw_close(w);
	else
		*out = w;
	return err;
}

int recw_open_replace(struct rec_writer **out, const char *path)
{
	struct rec_writer *w = rec_writer_new();
	int err;

	*out = NULL;
	if (!w)
		return -ENOMEM;
	w->dest = strdup(path);
	if (asprintf(&w->path, "%s.tmp", path) < 0)
		w->path = NULL;
	w->idx_path = w->path ? rec_idx_path(w->path) : NULL;
	if (!w->dest || !w->idx_path) {
		err = -ENOMEM;
		goto cleanup;
	}
	/*
	 * The file replaced is locked as its writer would lock it: a recorder still appending
	 * to it would lose what it appends after the rename.
	 */
	w->dest_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (w->dest_fd < 0 && errno != ENOENT) {
		err = -errno;
		goto cleanup;
	}
	if (w->dest_fd >= 0 && flock(w->dest_fd, LOCK_EX | LOCK_NB)) {
		err = errno == EWOULDBLOCK ? -EBUSY : -errno;
		goto cleanup;
	}
	/* A PATH.tmp left by a replacement that crashed is emptied and used again. */
	err = rec_writer_start(w, true);
cleanup:
	if (err)
		recw_close(w);
	else
		*out = w;
	return err;
}

int recw_append(struct rec_writer *w, int64_t wall_ns, uint32_t flags, const void *p, size_t len)
{
	size_t need = REC_FHDR_LEN + ZSTD_compressBound(len), clen;
	uint8_t *h, e[REC_IDX_ENTRY];
	off_t off, idx_off;
	bool torn;
	int err;

	if (len > REC_MAX_LEN)
		return -EMSGSIZE;
	if (need > w->cap) {
		h = realloc(w->buf, need);
		if (!h)
			return -ENOMEM;
		w->buf = h;
		w->cap = need;
	}
	h = w->buf;
	clen = ZSTD_compressCCtx(w->cctx, h + REC_FHDR_LEN, w->cap - REC_FHDR_LEN, p, len,
				 REC_LEVEL);
	if (ZSTD_isError(clen))
		return ZSTD_getErrorCode(clen) == ZSTD_error_memory_allocation ? -ENOMEM : -EIO;
	memcpy(h, rec_sync, sizeof(rec_sync));
	rec_put32(h + 4, clen);
	rec_put32(h + 8, len);
	rec_put32(h + 12, flags);
	rec_put64(h + 16, wall_ns);
	rec_put32(h + 24, crc32(rec_crc(h, 24), h + REC_FHDR_LEN, clen));
	rec_put32(h + 28, rec_crc(h, 28));
	/* Where the frame lands, for its index entry: the end, this being the only writer. */
	off = lseek(w->fd, 0, SEEK_END);
	if (off < 0)
		return -errno;
	err = rec_write_all(w->fd, h, REC_FHDR_LEN + clen, off, &torn);
	if (err)
		return err;
	w->size = off + REC_FHDR_LEN + clen;
	if (!(flags & REC_KEY) || w->idx_fd < 0)
		return 0;
	/*
	 * The entry after its frame, so that a crash leaves a frame without an entry rather than
	 * an entry without its frame; readers check the frame all the same, for after a power
	 * loss the disk may hold the one without the other either way.
	 */
	rec_put64(e, wall_ns);
	rec_put64(e + 8, off);
	rec_put32(e + 16, rec_crc(e, 16));
	idx_off = lseek(w->idx_fd, 0, SEEK_END);
	if (idx_off < 0)
		return -errno;
	err = rec_write_all(w->idx_fd, e, sizeof(e), idx_off, &torn);
	if (torn) {
		/*
		 * Part of an entry that could not be cut off: the entries after it would be off
		 * the grid. No more index for this file; readers find its key frames by reading.
		 */
		close(w->idx_fd);
		w->idx_fd = -1;
	}
	return err;
}

off_t recw_size(const struct rec_writer *w)
{
	return w->size;
}

int recw_commit(struct rec_writer *w)
{
	char *idx = NULL;
	int err = 0;

	if (!w->dest)
		return -EINVAL;
	/*
	 * The new file's bytes on disk before its name is: a power loss just after the rename
	 * must not leave an empty or partial file where the old one was whole.
	 */
	if (fsync(w->fd) || (w->idx_fd >= 0 && fsync(w->idx_fd)))
		return -errno;
	idx = rec_idx_path(w->dest);
	if (!idx)
		return -ENOMEM;
	/*
	 * The file first, then its index: in between, or if the second rename fails, PATH.idx is
	 * the old file's, which readers tell by the file id and do without.
	 */
	if (rename(w->path, w->dest)) {
		err = -errno;
		goto cleanup;
	}
	w->committed = true;
	if (rename(w->idx_path, idx))
		err = -errno;
cleanup:
	free(idx);
	return err;
}

void recw_close(struct rec_writer *w)
{
	if (!w)
		return;
	/* A replacement not committed: its files go (only when it held them: fd >= 0). */
	if (w->dest && !w->committed && w->fd >= 0) {
		unlink(w->path);
		unlink(w->idx_path);
	}
	if (w->fd >= 0)
		close(w->fd);
	if (w->idx_fd >= 0)
		close(w->idx_fd);
	if (w->dest_fd >= 0)
		close(w->dest_fd);
	ZSTD_freeCCtx(w->cctx);
	free(w->buf);
	free(w->path);
	free(w->idx_path);
	free(w->dest);
	free(w);
}

/* The file's size again when @end is beyond it as last seen: a file being written grows. */
static int rec_resize(struct rec_reader *r, off_t end)
{
	struct stat st;

	if (end <= r->size)
		return 0;
	if (fstat(r->fd, &st))
		return -errno;
	r->size = st.st_size;
	return 0;
}

/*
 * The file's bytes [@off, @off + @need) at *@p, valid until the next call: from the buffer,
 * else read into it a chunk at a time. How many there are (fewer at the file's end), or -errno.
 */
static ssize_t rec_fill(struct rec_reader *r, off_t off, size_t need, const uint8_t **p)
{
	size_t keep = 0, want;
	uint8_t *buf;
	ssize_t n;
	int err;

	err = rec_resize(r, off + need);
	if (err)
		return err;
	if (off >= r->size)
		return 0;
	if ((off_t)need > r->size - off)
		need = r->size - off;
	if (off < r->buf_off || off + need > r->buf_off + r->buf_len) {
		want = need > REC_CHUNK ? need : REC_CHUNK;
		if ((off_t)want > r->size - off)
			want = r->size - off;
		if (want > r->buf_cap) {
			buf = realloc(r->buf, want);
			if (!buf)
				return -ENOMEM;
			r->buf = buf;
			r->buf_cap = want;
		}
		if (off >= r->buf_off && off < r->buf_off + (off_t)r->buf_len) {
			keep = r->buf_off + r->buf_len - off;
			memmove(r->buf, r->buf + (off - r->buf_off), keep);
		}
		r->buf_off = off;
		r->buf_len = keep;
		n = rec_read_at(r->fd, r->buf + keep, want - keep, off + keep);
		if (n < 0)
			return n;
		r->buf_len += n;
		/* Shorter than it was: truncated since. */
		if (r->buf_len < want)
			r->size = off + r->buf_len;
		if (need > r->buf_len)
			need = r->buf_len;
	}
	*p = r->buf + (off - r->buf_off);
	return need;
}

/*
 * The frame at @off: REC_OK (its header into @h, its payload at *@payload until the next
 * read), REC_END at the file's end, REC_TORN when it may be a frame that the end of the file
 * cuts short, REC_BAD when it is no frame; or -errno.
 */
static int rec_frame_at(struct rec_reader *r, off_t off, struct rec_fhdr *h,
			const uint8_t **payload)
{
	const uint8_t *p;
	size_t len;
	ssize_t n;
	int err;

	n = rec_fill(r, off, REC_FHDR_LEN, &p);
	if (n <= 0)
		return n < 0 ? n : REC_END;
	if (n < REC_FHDR_LEN)
		return memcmp(p, rec_sync, n < 4 ? n : 4) ? REC_BAD : REC_TORN;
	if (!rec_fhdr_parse(p, h))
		return REC_BAD;
	len = REC_FHDR_LEN + h->clen;
	/* Not read when it cannot be whole: a false header may claim most of a large file. */
	err = rec_resize(r, off + len);
	if (err)
		return err;
	if (off + (off_t)len > r->size)
		return REC_TORN;
	n = rec_fill(r, off, len, &p);
	if (n < 0)
		return n;
	if ((size_t)n < len)
		return REC_TORN;
	if (rec_get32(p + 24) != crc32(rec_crc(p, 24), p + REC_FHDR_LEN, h->clen))
		return REC_BAD;
	*payload = p + REC_FHDR_LEN;
	return REC_OK;
}

/*
 * The first good frame at or after @from by its sync bytes: REC_OK with *@at on it, else
 * REC_END with *@at at the file's end. *@torn: the first place on the way that may be a frame
 * cut short by the end of the file, or -1. -errno.
 */
static int rec_scan(struct rec_reader *r, off_t from, off_t *at, off_t *torn)
{
	const uint8_t *p, *hit, *payload;
	struct rec_fhdr h;
	off_t q = from;
	ssize_t n;
	int ret;

	*at = from;
	*torn = -1;
	for (;;) {
		n = rec_fill(r, q, REC_CHUNK, &p);
		if (n < 0)
			return n;
		hit = memmem(p, n, rec_sync, sizeof(rec_sync));
		/* The last 3 bytes again with the next chunk: sync bytes may straddle the two. */
		if (!hit && n > 3) {
			q += n - 3;
			continue;
		}
		/* Else the file's last bytes, one by one: the start of a frame cut short? */
		if (hit)
			q += hit - p;
		ret = rec_frame_at(r, q, &h, &payload);
		if (ret < 0 || ret == REC_OK || ret == REC_END) {
			*at = q;
			return ret;
		}
		if (ret == REC_TORN && *torn < 0)
			*torn = q;
		q++;
	}
}

/*
 * A frame counted torn is not, once the file being written has it whole, or frames after it:
 * a reader that keeps up with a writer would otherwise count one each time it catches up.
 */
static void rec_untorn(struct rec_cursor *c)
{
	if (c->off == c->torn) {
		c->stats.torn--;
		c->torn = -1;
	}
}

/*
 * The frame at the cursor is no good (@torn: it may be one cut short by the end of the
 * file): on to the next good one, counting what is passed over. 0 when there is one; 1 when
 * the file ends first, the cursor then on the torn frame if there is one, for a file being
 * written may complete it; or -errno.
 */
static int rec_skip(struct rec_reader *r, struct rec_cursor *c, bool torn)
{
	off_t at, t;
	int ret;

	ret = rec_scan(r, c->off + 1, &at, &t);
	if (ret < 0)
		return ret;
	if (ret == REC_OK) {
		rec_untorn(c);
		c->stats.corrupt++;
		c->stats.skipped_bytes += at - c->off;
		c->off = at;
		return 0;
	}
	if (torn)
		t = c->off;
	else if (t < 0)
		t = at;
	if (t > c->off) {
		rec_untorn(c);
		c->stats.corrupt++;
		c->stats.skipped_bytes += t - c->off;
		c->off = t;
	}
	if (t < at && c->torn != t) {
		c->stats.torn++;
		c->torn = t;
	}
	return 1;
}

/* The next good frame from the cursor on, the cursor onto it: REC_OK, 1 at the end, -errno. */
static int rec_step(struct rec_reader *r, struct rec_cursor *c, struct rec_fhdr *h,
		    const uint8_t **payload)
{
	int ret;

	for (;;) {
		ret = rec_frame_at(r, c->off, h, payload);
		if (ret == REC_OK)
			rec_untorn(c);
		if (ret < 0 || ret == REC_OK || ret == REC_END)
			return ret;
		ret = rec_skip(r, c, ret == REC_TORN);
		if (ret)
			return ret;
	}
}

/* The payload of @h at @p into r->out: 0, -EBADMSG when it does not decompress to it, -errno. */
static int rec_inflate(struct rec_reader *r, const struct rec_fhdr *h, const uint8_t *p)
{
	size_t n;
	uint8_t *out;

	if (!r->out || h->rlen > r->out_cap) {
		n = h->rlen ? h->rlen : 1;
		out = realloc(r->out, n);
		if (!out)
			return -ENOMEM;
		r->out = out;
		r->out_cap = n;
	}
	n = ZSTD_decompressDCtx(r->dctx, r->out, h->rlen, p, h->clen);
	if (ZSTD_isError(n))
		return ZSTD_getErrorCode(n) == ZSTD_error_memory_allocation ? -ENOMEM : -EBADMSG;
	return n == h->rlen ? 0 : -EBADMSG;
}

int recr_open(struct rec_reader **out, const char *path, char *why, size_t len)
{
	struct rec_reader *r = calloc(1, sizeof(*r));
	struct rec_head h;
	const uint8_t *p;
	ssize_t n;
	int err;

	*out = NULL;
	if (!r) {
		err = -ENOMEM;
		goto cleanup;
	}
	r->cur.torn = -1;
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		err = -errno;
		goto cleanup;
	}
	r->dctx = ZSTD_createDCtx();
	r->idx_path = rec_idx_path(path);
	if (!r->dctx || !r->idx_path) {
		err = -ENOMEM;
		goto cleanup;
	}
	n = rec_fill(r, 0, REC_HDR_MAX, &p);
	if (n < 0) {
		err = n;
		goto cleanup;
	}
	err = rec_head_parse(p, n, &h, why, len);
	if (err)
		goto cleanup;
	r->id = h.id;
	r->data = r->cur.off = h.len;
cleanup:
	if (err && err != -EPROTO && why && len)
		snprintf(why, len, "%s", strerror(-err));
	if (err)
		recr_close(r);
	else
		*out = r;
	return err;
}

/*
 * PATH.idx's good entries into r->idx, once. Without a usable index (none, damaged, another
 * file's), none: the file is read instead. 0 or -ENOMEM.
 */
static int rec_idx_load(struct rec_reader *r)
{
	const uint8_t *e;
	uint8_t *b = NULL;
	size_t n, i, max;
	struct stat st;
	uint32_t len;
	ssize_t got;
	int fd, err = 0;

	r->idx_loaded = true;
	/* No index, or one that cannot be read or is not this file's: no error (err 0). */
	fd = open(r->idx_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st))
		goto cleanup;
	/* No more entries than the file has room for frames: a hostile index costs no more. */
	max = REC_HDR_MAX + (r->size / REC_FHDR_LEN + 1) * REC_IDX_ENTRY;
	n = (size_t)st.st_size < max ? (size_t)st.st_size : max;
	b = malloc(n ? n : 1);
	if (!b) {
		err = -ENOMEM;
		goto cleanup;
	}
	got = rec_read_at(fd, b, n, 0);
	if (got < 0 || rec_idx_parse(b, got, r->id, &len))
		goto cleanup;
	n = (got - len) / REC_IDX_ENTRY;
	r->idx = calloc(n ? n : 1, sizeof(*r->idx));
	if (!r->idx) {
		err = -ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		e = b + len + i * REC_IDX_ENTRY;
		if (rec_get32(e + 16) != rec_crc(e, 16) || (off_t)rec_get64(e + 8) < r->data)
			continue;
		r->idx[r->nr_idx].wall_ns = (int64_t)rec_get64(e);
		r->idx[r->nr_idx++].off = (off_t)rec_get64(e + 8);
	}
cleanup:
	free(b);
	close(fd);
	return err;
}

/*
 * Whether index entry @e names a good key frame of its time: 1, 0, or -errno. An entry found
 * wrong is marked so (offset -1), to be read once: an index may have many.
 */
static int rec_key_at(struct rec_reader *r, struct rec_entry *e)
{
	const uint8_t *p;
	struct rec_fhdr h;
	int ret;

	if (e->off < 0)
		return 0;
	ret = rec_frame_at(r, e->off, &h, &p);
	if (ret < 0)
		return ret;
	if (ret == REC_OK && h.wall_ns == e->wall_ns && (h.flags & REC_KEY))
		return 1;
	e->off = -1;
	return 0;
}

/*
 * The last key frame before the first key frame later than @wall_ns, in the file's order: with
 * the times in order, the last at or before it; with a clock set back, the same answer by the
 * index as by reading.
 */
int recr_seek(struct rec_reader *r, int64_t wall_ns)
{
	struct rec_cursor c = { .off = r->data, .torn = -1 };
	off_t best = r->data;
	const uint8_t *p;
	struct rec_fhdr h;
	size_t i = 0;
	int ret;

	if (!r->idx_loaded) {
		ret = rec_idx_load(r);
		if (ret)
			return ret;
	}
	while (i < r->nr_idx && r->idx[i].wall_ns <= wall_ns)
		i++;
	/* The last entry before the first one later than @wall_ns whose frame holds. */
	while (i--) {
		ret = rec_key_at(r, &r->idx[i]);
		if (ret < 0)
			return ret;
		if (ret) {
			c.off = best = r->idx[i].off;
			break;
		}
	}
	/*
	 * Then read on, for the key frames the index does not name: after its last entry (a
	 * crash between a frame and its entry), or where an entry was bad. Up to the next
	 * entry's frame, at most, which is later than @wall_ns.
	 */
	for (;;) {
		ret = rec_step(r, &c, &h, &p);
		if (ret < 0)
			return ret;
		if (ret || ((h.flags & REC_KEY) && h.wall_ns > wall_ns))
			break;
		if (h.flags & REC_KEY)
			best = c.off;
		c.off += REC_FHDR_LEN + h.clen;
	}
	r->cur.off = best;
	return 0;
}

int recr_next(struct rec_reader *r, struct rec_frame *f)
{
	const uint8_t *p;
	struct rec_fhdr h;
	int ret;

	for (;;) {
		ret = rec_step(r, &r->cur, &h, &p);
		if (ret)
			return ret;
		ret = rec_inflate(r, &h, p);
		if (ret != -EBADMSG)
			break;
		/* Whole, its CRC right, yet no zstd frame of its length: corrupt all the same. */
		ret = rec_skip(r, &r->cur, false);
		if (ret)
			return ret;
	}
	if (ret)
		return ret;
	*f = (struct rec_frame){ .wall_ns = h.wall_ns, .flags = h.flags, .data = r->out,
				 .len = h.rlen, .off = r->cur.off };
	r->cur.off += REC_FHDR_LEN + h.clen;
	r->cur.stats.frames++;
	return 0;
}

int recr_span(struct rec_reader *r, int64_t *first_ns, int64_t *last_ns)
{
	struct rec_cursor c = { .off = r->data, .torn = -1 };
	const uint8_t *p;
	struct rec_fhdr h;
	size_t i;
	int ret;

	ret = rec_step(r, &c, &h, &p);
	if (ret)
		return ret < 0 ? ret : -ENODATA;
	*first_ns = h.wall_ns;
	if (!r->idx_loaded) {
		ret = rec_idx_load(r);
		if (ret)
			return ret;
	}
	/* The last frame: read from the last key frame the index names that holds to the end. */
	for (i = r->nr_idx; i--;) {
		ret = rec_key_at(r, &r->idx[i]);
		if (ret < 0)
			return ret;
		if (ret) {
			c.off = r->idx[i].off;
			break;
		}
	}
	for (;;) {
		ret = rec_step(r, &c, &h, &p);
		if (ret)
			return ret < 0 ? ret : 0;
		*last_ns = h.wall_ns;
		c.off += REC_FHDR_LEN + h.clen;
	}
}

const struct rec_stats *recr_stats(const struct rec_reader *r)
{
	return &r->cur.stats;
}

void recr_close(struct rec_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	ZSTD_freeDCtx(r->dctx);
	free(r->buf);
	free(r->out);
	free(r->idx);
	free(r->idx_path);
	free(r);
}

int rec_name_day(const char *name)
{
	unsigned int day;
	int end = 0;

	if (sscanf(name, "cputop-%8u.rec%n", &day, &end) != 1 ||
	    end != (int)sizeof("cputop-YYYYMMDD.rec") - 1 || name[end] || day < 10000101)
		return 0;
	return day;
}
