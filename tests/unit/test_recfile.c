// SPDX-License-Identifier: GPL-2.0
/*
 * The recording's file layer: frames written and read back, seeks by the index and without
 * it, and files damaged every way a crash or a disk can (cut short, bits flipped, garbage,
 * an index lost, stale or lying), each in a directory of its own under /tmp.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "lib/recfile.h"

#define SEC 1000000000ll
/* 2023-11-14 22:13:20 UTC, in ns. */
#define T0 (1700000000ll * SEC)
#define BIG 300000		/* a frame larger than what a reader reads at once */
/* docs/record-format.md: the sizes of the file header and a frame header, the sync bytes. */
#define HDR_LEN 48
#define FHDR_LEN 32
static const uint8_t sync_bytes[4] = { 0xd3, 'C', 'T', 'F' };

struct fixture {
	char dir[64];
	char path[128];		/* the recording */
	char idx[128];		/* its index */
	char other[128];	/* another file, to copy or damage */
};

static uint8_t pbuf[BIG + 1];	/* + 1: payload() ends its text with a NUL */

/* The time of frame @i: one a second. */
static int64_t when(unsigned int i)
{
	return T0 + i * SEC;
}

/*
 * Frame @i's payload into @buf: sizes from 0 bytes to more than a reader's chunk, random
 * (incompressible) or text-like, all told apart by @i.
 */
static size_t payload(unsigned int i, uint8_t *buf)
{
	static const size_t sizes[] = { 0, 1, 37, 500, 1024, 3000, 12000, 700 };
	uint64_t x = 0x9e3779b97f4a7c15ull * (i + 1);
	size_t len = i % 50 == 49 ? BIG : sizes[i % 8], n = 0;

	if (i % 3 == 0) {
		for (n = 0; n < len; n++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[n] = x;
		}
		return len;
	}
	while (n < len)
		n += snprintf((char *)buf + n, len - n + 1 > 64 ? 64 : len - n + 1,
			      "task %u comm worker-%zu utime %zu\n", i, n % 7, n);
	return len;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/cputop-test-recfile.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/rec", f->dir);
	snprintf(f->idx, sizeof(f->idx), "%s/rec.idx", f->dir);
	snprintf(f->other, sizeof(f->other), "%s/other", f->dir);
	*state = f;
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *b;
	int fd;

	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	b = malloc(st.st_size + 1);
	assert_non_null(b);
	assert_int_equal(read(fd, b, st.st_size), st.st_size);
	close(fd);
	*len = st.st_size;
	return b;
}

static void spit(const char *path, const void *b, size_t len, int flags)
{
	int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, len), (ssize_t)len);
	close(fd);
}

static void copy(const char *from, const char *to)
{
	size_t len;
	uint8_t *b = slurp(from, &len);

	spit(to, b, len, O_TRUNC);
	free(b);
}

/* Frames @from to @to - 1 appended to @path, at times @t (or one a second), keys every @key. */
static void write_frames(const char *path, unsigned int from, unsigned int to, unsigned int key,
			 const int64_t *t)
{
	struct rec_writer *w;
	unsigned int i;
	uint32_t flags;
	size_t len;

	assert_int_equal(recw_open(&w, path), 0);
	for (i = from; i < to; i++) {
		len = payload(i, pbuf);
		flags = i % key == key / 3 ? REC_KEY : 0;
		assert_int_equal(recw_append(w, t ? t[i] : when(i), flags, pbuf, len), 0);
	}
	recw_close(w);
}

static struct rec_reader *open_reader(const char *path)
{
	struct rec_reader *r;
	char why[128];

	assert_int_equal(recr_open(&r, path, why, sizeof(why)), 0);
	return r;
}

/* The frame read is frame @i, as written by write_frames() with keys every @key. */
static void check_frame(const struct rec_frame *f, unsigned int i, unsigned int key)
{
	size_t len = payload(i, pbuf);

	assert_int_equal(f->wall_ns, when(i));
	assert_int_equal(f->flags, i % key == key / 3 ? REC_KEY : 0);
	assert_int_equal(f->len, len);
	assert_memory_equal(f->data, pbuf, len);
}

/* Read @path through: frames 0 to @to - 1 but @skip (-1: none), as write_frames() wrote. */
static struct rec_stats read_all(const char *path, unsigned int to, int skip, unsigned int key)
{
	struct rec_reader *r = open_reader(path);
	struct rec_stats st;
	struct rec_frame f;
	unsigned int i;

	for (i = 0; i < to; i++) {
		if ((int)i == skip)
			continue;
		assert_int_equal(recr_next(r, &f), 0);
		check_frame(&f, i, key);
	}
	assert_int_equal(recr_next(r, &f), 1);
	assert_int_equal(recr_next(r, &f), 1);
	st = *recr_stats(r);
	recr_close(r);
	return st;
}

/* Each frame's offset and the file's size after it, by reading @path (@n frames). */
static void offsets(const char *path, off_t *off, unsigned int n)
{
	struct rec_reader *r = open_reader(path);
	struct rec_frame f;
	unsigned int i;
	struct stat st;

	for (i = 0; i < n; i++) {
		assert_int_equal(recr_next(r, &f), 0);
		off[i] = f.off;
	}
	recr_close(r);
	assert_int_equal(stat(path, &st), 0);
	off[n] = st.st_size;
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct rec_stats st;
	struct rec_writer *w;
	off_t off[251];
	struct stat sb;
	unsigned int i;

	write_frames(f->path, 0, 200, 10, NULL);
	/* Open again: the frames go after the others, under the same header. */
	write_frames(f->path, 200, 250, 10, NULL);
	st = read_all(f->path, 250, -1, 10);
	assert_int_equal(st.frames, 250);
	assert_int_equal(st.corrupt, 0);
	assert_int_equal(st.torn, 0);
	assert_int_equal(st.skipped_bytes, 0);
	offsets(f->path, off, 250);
	assert_int_equal(off[0], HDR_LEN);
	for (i = 0; i < 250; i++)
		assert_true(off[i + 1] > off[i] + FHDR_LEN);
	/* The size the writer knows is the file's. */
	assert_int_equal(recw_open(&w, f->path), 0);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(recw_size(w), sb.st_size);
	assert_int_equal(recw_append(w, when(250), 0, "x", 1), 0);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(recw_size(w), sb.st_size);
	/* Larger than a payload may be: refused before anything is read of it. */
	assert_int_equal(recw_append(w, when(251), 0, pbuf, (size_t)REC_MAX_LEN + 1), -EMSGSIZE);
	recw_close(w);
}

/* After recr_seek(@t), the next frames are frame @i and the one after it, if @n frames. */
static void check_seek(struct rec_reader *r, int64_t t, unsigned int i, unsigned int key,
		       unsigned int n)
{
	struct rec_frame f;

	assert_int_equal(recr_seek(r, t), 0);
	assert_int_equal(recr_next(r, &f), 0);
	check_frame(&f, i, key);
	if (i + 1 < n) {
		assert_int_equal(recr_next(r, &f), 0);
		check_frame(&f, i + 1, key);
	}
}

/*
 * The seeks in a file of 100 frames a second apart, key frames every 10 from the third on
 * (3, 13 ... 93): before the first key frame, at one, between two, after the end.
 */
static void check_seeks(const char *path)
{
	struct rec_reader *r = open_reader(path);
	int64_t first, last;
	unsigned int i;

	check_seek(r, T0 - 5 * SEC, 0, 10, 100);
	check_seek(r, when(2), 0, 10, 100);
	check_seek(r, when(3), 3, 10, 100);
	check_seek(r, when(13), 13, 10, 100);
	check_seek(r, when(17) + SEC / 2, 13, 10, 100);
	check_seek(r, when(22), 13, 10, 100);
	check_seek(r, when(23) - 1, 13, 10, 100);
	check_seek(r, when(93), 93, 10, 100);
	check_seek(r, when(99), 93, 10, 100);
	check_seek(r, when(1000), 93, 10, 100);
	check_seek(r, INT64_MAX, 93, 10, 100);
	check_seek(r, INT64_MIN, 0, 10, 100);
	for (i = 0; i < 100; i++)
		check_seek(r, when(i), i < 3 ? 0 : i - (i - 3) % 10, 10, 100);
	assert_int_equal(recr_span(r, &first, &last), 0);
	assert_int_equal(first, when(0));
	assert_int_equal(last, when(99));
	recr_close(r);
}

/* Index entry @n of @idx rewritten, its CRC right: time @t, offset @off. */
static void put_entry(const char *idx, unsigned int n, int64_t t, uint64_t off)
{
	uint8_t e[20];
	uLong crc;
	int fd, i;

	for (i = 0; i < 8; i++) {
		e[i] = (uint64_t)t >> 8 * i;
		e[8 + i] = off >> 8 * i;
	}
	crc = crc32(0, e, 16);
	for (i = 0; i < 4; i++)
		e[16 + i] = crc >> 8 * i;
	fd = open(idx, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, e, sizeof(e), 32 + 20 * n), (ssize_t)sizeof(e));
	close(fd);
}

static void test_seek(void **state)
{
	struct fixture *f = *state;
	uint8_t *idx, *b;
	off_t off[101];
	size_t len, n;

	write_frames(f->path, 0, 100, 10, NULL);
	idx = slurp(f->idx, &len);
	/* The index's header, and an entry per key frame. */
	assert_int_equal(len, 32 + 10 * 20);
	check_seeks(f->path);

	/* Without an index, by reading. */
	unlink(f->idx);
	check_seeks(f->path);
	/* An empty one, one cut in its header. */
	spit(f->idx, idx, 0, O_TRUNC);
	check_seeks(f->path);
	spit(f->idx, idx, 20, O_TRUNC);
	check_seeks(f->path);
	/* Entries lagging behind the file (a crash before they were written), one cut short. */
	for (n = 32; n <= len; n += 7) {
		spit(f->idx, idx, n, O_TRUNC);
		check_seeks(f->path);
	}
	/* A bit flipped anywhere: the header (then no index) or an entry (then not it). */
	b = malloc(len);
	assert_non_null(b);
	for (n = 0; n < len * 8; n += 7) {
		memcpy(b, idx, len);
		b[n / 8] ^= 1 << n % 8;
		spit(f->idx, b, len, O_TRUNC);
		check_seeks(f->path);
	}
	free(b);

	/* Entries that lie, their CRC right: a frame that is no key frame, another time, EOF. */
	offsets(f->path, off, 100);
	spit(f->idx, idx, len, O_TRUNC);
	put_entry(f->idx, 1, when(14), off[14]);
	put_entry(f->idx, 3, when(33) + 1, off[33]);
	put_entry(f->idx, 5, when(53), off[53] + 1);
	put_entry(f->idx, 9, when(93), off[100] + 1000);
	check_seeks(f->path);
	put_entry(f->idx, 0, when(3), 0);
	check_seeks(f->path);

	/* Another recording's index, under this one's name. */
	write_frames(f->other, 0, 100, 10, NULL);
	snprintf((char *)pbuf, sizeof(pbuf), "%s.idx", f->other);
	copy((char *)pbuf, f->idx);
	check_seeks(f->path);
	free(idx);
}

/* The last frame cut at each of its bytes: every frame before it read, and one torn. */
static void test_truncated(void **state)
{
	struct fixture *f = *state;
	struct rec_stats st;
	struct rec_frame fr;
	struct rec_reader *r;
	struct rec_writer *w;
	int64_t first, last;
	off_t off[21], cut;
	size_t len;
	uint8_t *b;

	write_frames(f->path, 0, 20, 1, NULL);
	offsets(f->path, off, 20);
	/* Frame 19 is one of 500 text bytes: a few hundred bytes once compressed. */
	assert_true(off[20] - off[19] > 100);
	b = slurp(f->path, &len);
	for (cut = off[19]; cut < off[20]; cut++) {
		spit(f->path, b, cut, O_TRUNC);
		st = read_all(f->path, 19, -1, 1);
		assert_int_equal(st.frames, 19);
		assert_int_equal(st.torn, cut > off[19]);
		assert_int_equal(st.corrupt, 0);
		assert_int_equal(st.skipped_bytes, 0);
		/* The index names frame 19, which is no more. */
		r = open_reader(f->path);
		assert_int_equal(recr_span(r, &first, &last), 0);
		assert_int_equal(first, when(0));
		assert_int_equal(last, when(18));
		check_seek(r, when(30), 18, 1, 19);
		recr_close(r);
	}
	/* The header cut: no recording, and no writer appends to it either. */
	for (cut = 1; cut < HDR_LEN; cut++) {
		char why[128] = "";

		spit(f->path, b, cut, O_TRUNC);
		assert_int_equal(recr_open(&r, f->path, why, sizeof(why)), -EPROTO);
		assert_non_null(strstr(why, "truncated"));
		assert_null(r);
		assert_int_equal(recw_open(&w, f->path), -EPROTO);
	}
	/* The header alone: no frame, no span. */
	spit(f->path, b, HDR_LEN, O_TRUNC);
	r = open_reader(f->path);
	assert_int_equal(recr_next(r, &fr), 1);
	assert_int_equal(recr_span(r, &first, &last), -ENODATA);
	assert_int_equal(recr_seek(r, when(3)), 0);
	assert_int_equal(recr_next(r, &fr), 1);
	recr_close(r);
	free(b);
}

/* Every bit of a middle frame's header flipped, and many of its payload's: that frame lost. */
static void test_bit_flips(void **state)
{
	struct fixture *f = *state;
	struct rec_stats st;
	off_t off[31], bit;
	size_t len;
	uint8_t *b;

	write_frames(f->path, 0, 30, 10, NULL);
	offsets(f->path, off, 30);
	b = slurp(f->path, &len);
	/* Frame 15: 3,000 random bytes. */
	for (bit = off[15] * 8; bit < off[16] * 8; bit += bit < (off[15] + FHDR_LEN) * 8 ? 1 : 13) {
		b[bit / 8] ^= 1 << bit % 8;
		spit(f->other, b, len, O_TRUNC);
		b[bit / 8] ^= 1 << bit % 8;
		st = read_all(f->other, 30, 15, 10);
		assert_int_equal(st.frames, 29);
		assert_int_equal(st.corrupt, 1);
		assert_int_equal(st.torn, 0);
		assert_int_equal(st.skipped_bytes, off[16] - off[15]);
	}
	free(b);
}

/* A frame header that says what it likes, its header CRC right. */
static void fake_header(uint8_t *h, uint32_t clen, uint32_t rlen)
{
	uLong crc;
	int i;

	memset(h, 0, FHDR_LEN);
	memcpy(h, sync_bytes, 4);
	for (i = 0; i < 4; i++) {
		h[4 + i] = clen >> 8 * i;
		h[8 + i] = rlen >> 8 * i;
	}
	crc = crc32(0, h, 28);
	for (i = 0; i < 4; i++)
		h[28 + i] = crc >> 8 * i;
}

static void test_garbage(void **state)
{
	struct fixture *f = *state;
	uint8_t *b, g[2000], tail[8];
	struct rec_stats st;
	off_t off[21];
	size_t len, n;

	write_frames(f->path, 0, 20, 5, NULL);
	offsets(f->path, off, 20);
	b = slurp(f->path, &len);
	/*
	 * Between frames 7 and 8: random bytes strewn with sync bytes, a header that claims more
	 * than the rest of the file, one whose payload's CRC is wrong, a whole frame's header
	 * cut short.
	 */
	for (n = 0; n < sizeof(g); n++)
		g[n] = (n * 2654435761u) >> 13;
	for (n = 100; n < 1000; n += 97)
		memcpy(g + n, sync_bytes, 4);
	fake_header(g + 1100, 1 << 20, 1 << 20);
	fake_header(g + 1300, 40, 100);
	memcpy(g + 1500, b + off[3], 20);
	spit(f->other, b, off[8], O_TRUNC);
	spit(f->other, g, sizeof(g), O_APPEND);
	spit(f->other, b + off[8], len - off[8], O_APPEND);
	st = read_all(f->other, 20, -1, 5);
	assert_int_equal(st.frames, 20);
	assert_int_equal(st.corrupt, 1);
	assert_int_equal(st.torn, 0);
	assert_int_equal(st.skipped_bytes, sizeof(g));

	/* After the last frame: garbage is corrupt, and what may be a frame cut short is torn. */
	spit(f->other, g, 50, O_APPEND);
	st = read_all(f->other, 20, -1, 5);
	assert_int_equal(st.corrupt, 2);
	assert_int_equal(st.torn, 0);
	assert_int_equal(st.skipped_bytes, sizeof(g) + 50);
	memcpy(tail, sync_bytes, 4);
	spit(f->other, tail, 6, O_APPEND);
	st = read_all(f->other, 20, -1, 5);
	assert_int_equal(st.corrupt, 2);
	assert_int_equal(st.torn, 1);
	assert_int_equal(st.skipped_bytes, sizeof(g) + 50);

	/*
	 * A crash in the middle of a large frame, then a writer again: the frame cut short lies
	 * between good ones, and says it is longer than what follows it.
	 */
	spit(f->other, b, off[19], O_TRUNC);
	spit(f->other, b + off[19], 20, O_APPEND);
	spit(f->other, b + off[19] - 20, 20, O_APPEND);
	write_frames(f->other, 20, 23, 5, NULL);
	st = read_all(f->other, 23, 19, 5);
	assert_int_equal(st.frames, 22);
	assert_int_equal(st.corrupt, 1);
	assert_int_equal(st.torn, 0);
	assert_int_equal(st.skipped_bytes, 40);
	free(b);
}

/* Files that are no recording, or one too new: refused with a reason, and left alone. */
static void test_not_recording(void **state)
{
	struct fixture *f = *state;
	uint8_t h[64], *b;
	struct rec_reader *r;
	struct rec_writer *w;
	char why[128];
	uLong crc;
	size_t len;
	int i;

	spit(f->path, "hello, world\n", 13, O_TRUNC);
	assert_int_equal(recr_open(&r, f->path, why, sizeof(why)), -EPROTO);
	assert_string_equal(why, "not a cputop recording");
	assert_int_equal(recw_open(&w, f->path), -EPROTO);
	assert_null(w);
	b = slurp(f->path, &len);
	assert_int_equal(len, 13);
	free(b);
	/* Short, and no recording's start: not one either. */
	spit(f->path, "CPX", 3, O_TRUNC);
	assert_int_equal(recr_open(&r, f->path, why, sizeof(why)), -EPROTO);
	assert_string_equal(why, "not a cputop recording");
	/* Empty: no recording to read, but one to start. */
	spit(f->path, "", 0, O_TRUNC);
	assert_int_equal(recr_open(&r, f->path, why, sizeof(why)), -EPROTO);
	assert_non_null(strstr(why, "empty"));
	assert_int_equal(recr_open(&r, f->other, why, sizeof(why)), -ENOENT);
	assert_string_equal(why, strerror(ENOENT));

	/* Version 2.0, its header longer, its CRC right. */
	memset(h, 0, sizeof(h));
	memcpy(h, "CPUTOPRC", 8);
	h[8] = 2;
	h[12] = sizeof(h);
	h[20] = 1;
	crc = crc32(0, h, sizeof(h) - 4);
	for (i = 0; i < 4; i++)
		h[sizeof(h) - 4 + i] = crc >> 8 * i;
	spit(f->path, h, sizeof(h), O_TRUNC);
	assert_int_equal(recr_open(&r, f->path, why, sizeof(why)), -EPROTO);
	assert_string_equal(why, "recording format 2.0, newer than this cputop reads (1.x)");
	assert_int_equal(recw_open(&w, f->path), -EPROTO);
	/* Whatever its header is like after the version: told by the version alone. */
	spit(f->path, h, 12, O_TRUNC);
	assert_int_equal(recr_open(&r, f->path, why, sizeof(why)), -EPROTO);
	assert_non_null(strstr(why, "newer"));

	/* Version 1.3, its header longer: read, and appended to. */
	h[8] = 1;
	h[10] = 3;
	crc = crc32(0, h, sizeof(h) - 4);
	for (i = 0; i < 4; i++)
		h[sizeof(h) - 4 + i] = crc >> 8 * i;
	spit(f->path, h, sizeof(h), O_TRUNC);
	write_frames(f->path, 0, 20, 10, NULL);
	read_all(f->path, 20, -1, 10);
	r = open_reader(f->path);
	check_seek(r, when(15), 13, 10, 20);
	recr_close(r);
	/* Its header damaged. */
	h[40] ^= 1;
	spit(f->other, h, sizeof(h), O_TRUNC);
	assert_int_equal(recr_open(&r, f->other, why, sizeof(why)), -EPROTO);
	assert_non_null(strstr(why, "damaged"));
	/* Another compression. */
	h[40] ^= 1;
	h[20] = 7;
	crc = crc32(0, h, sizeof(h) - 4);
	for (i = 0; i < 4; i++)
		h[sizeof(h) - 4 + i] = crc >> 8 * i;
	spit(f->other, h, sizeof(h), O_TRUNC);
	assert_int_equal(recr_open(&r, f->other, why, sizeof(why)), -EPROTO);
	assert_non_null(strstr(why, "compression 7"));
}

static void test_one_writer(void **state)
{
	struct fixture *f = *state;
	struct rec_writer *w, *w2;

	assert_int_equal(recw_open(&w, f->path), 0);
	assert_int_equal(recw_open(&w2, f->path), -EBUSY);
	assert_null(w2);
	/* No replacing a file that is being written. */
	assert_int_equal(recw_open_replace(&w2, f->path), -EBUSY);
	recw_close(w);
	assert_int_equal(recw_open(&w2, f->path), 0);
	recw_close(w2);
}

/* A reader keeps up with a writer: a frame half written is no frame yet, and no torn one. */
static void test_follow(void **state)
{
	struct fixture *f = *state;
	struct rec_reader *r;
	struct rec_writer *w;
	struct rec_frame fr;
	off_t off[4];
	size_t len;
	uint8_t *b;

	write_frames(f->other, 0, 3, 1, NULL);
	offsets(f->other, off, 3);
	b = slurp(f->other, &len);

	assert_int_equal(recw_open(&w, f->path), 0);
	r = open_reader(f->path);
	assert_int_equal(recr_next(r, &fr), 1);
	len = payload(0, pbuf);
	assert_int_equal(recw_append(w, when(0), REC_KEY, pbuf, len), 0);
	assert_int_equal(recr_next(r, &fr), 0);
	check_frame(&fr, 0, 1);
	assert_int_equal(recr_next(r, &fr), 1);
	recw_close(w);
	/* Frame 1 written in two goes (the file has no index entry for it: no matter). */
	spit(f->path, b + off[1], 10, O_APPEND);
	assert_int_equal(recr_next(r, &fr), 1);
	assert_int_equal(recr_next(r, &fr), 1);
	assert_int_equal(recr_stats(r)->torn, 1);
	spit(f->path, b + off[1] + 10, off[2] - off[1] - 10, O_APPEND);
	assert_int_equal(recr_next(r, &fr), 0);
	check_frame(&fr, 1, 1);
	assert_int_equal(recr_stats(r)->torn, 0);
	/* Frame 2 begun, then a crash, and a writer again: the part written is corrupt. */
	spit(f->path, b + off[2], 40, O_APPEND);
	assert_int_equal(recr_next(r, &fr), 1);
	assert_int_equal(recr_stats(r)->torn, 1);
	write_frames(f->path, 3, 4, 1, NULL);
	assert_int_equal(recr_next(r, &fr), 0);
	check_frame(&fr, 3, 1);
	assert_int_equal(recr_stats(r)->torn, 0);
	assert_int_equal(recr_stats(r)->corrupt, 1);
	assert_int_equal(recr_stats(r)->skipped_bytes, 40);
	assert_int_equal(recr_stats(r)->frames, 3);
	recr_close(r);
	free(b);
}

/* The times go back 30 s after frame 49 (a clock set back): all read; seeks as by reading. */
static void test_clock_back(void **state)
{
	struct fixture *f = *state;
	struct rec_reader *r, *r2;
	struct rec_frame a, b;
	int64_t t[100], s;
	unsigned int i;

	for (i = 0; i < 100; i++)
		t[i] = T0 + (i < 50 ? i : i - 30) * SEC;
	write_frames(f->path, 0, 100, 10, t);
	r = open_reader(f->path);
	for (i = 0; i < 100; i++) {
		assert_int_equal(recr_next(r, &a), 0);
		assert_int_equal(a.wall_ns, t[i]);
	}
	copy(f->path, f->other);
	r2 = open_reader(f->other);
	for (s = T0 - SEC; s < T0 + 80 * SEC; s += SEC / 2) {
		assert_int_equal(recr_seek(r, s), 0);
		assert_int_equal(recr_seek(r2, s), 0);
		assert_int_equal(recr_next(r, &a), 0);
		assert_int_equal(recr_next(r2, &b), 0);
		assert_int_equal(a.off, b.off);
	}
	assert_int_equal(recr_stats(r)->corrupt, 0);
	recr_close(r);
	recr_close(r2);
}

static void test_replace(void **state)
{
	struct fixture *f = *state;
	struct rec_writer *w;
	char tmp[160], tmp_idx[160];
	unsigned int i;
	size_t len;

	snprintf(tmp, sizeof(tmp), "%s.tmp", f->path);
	snprintf(tmp_idx, sizeof(tmp_idx), "%s.tmp.idx", f->path);
	write_frames(f->path, 0, 30, 10, NULL);
	assert_int_equal(recw_open(&w, f->path), 0);
	assert_int_equal(recw_commit(w), -EINVAL);
	recw_close(w);
	/* Given up: the file as it was, nothing left beside it. */
	assert_int_equal(recw_open_replace(&w, f->path), 0);
	assert_int_equal(recw_append(w, when(0), REC_KEY, "x", 1), 0);
	recw_close(w);
	read_all(f->path, 30, -1, 10);
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(access(tmp_idx, F_OK), -1);

	/* Over what a replacement that crashed left: the file readers see stays the old one. */
	spit(tmp, "junk", 4, O_TRUNC);
	assert_int_equal(recw_open_replace(&w, f->path), 0);
	for (i = 0; i < 100; i++) {
		len = payload(i, pbuf);
		assert_int_equal(recw_append(w, when(i), i % 10 == 3 ? REC_KEY : 0, pbuf, len), 0);
	}
	read_all(f->path, 30, -1, 10);
	assert_int_equal(recw_commit(w), 0);
	recw_close(w);
	/* The new file in place, and its index: the old one's would not match it. */
	read_all(f->path, 100, -1, 10);
	check_seeks(f->path);
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(access(tmp_idx, F_OK), -1);
	/* Nothing to replace: a new file. */
	unlink(f->path);
	unlink(f->idx);
	assert_int_equal(recw_open_replace(&w, f->path), 0);
	assert_int_equal(recw_commit(w), 0);
	recw_close(w);
	read_all(f->path, 0, -1, 10);
}

/*
 * A write that fails part way (here at the file size limit, as it would on a full disk): cut
 * back, so that the file holds only whole frames, and takes more once there is room again.
 */
static void test_write_fails(void **state)
{
	struct fixture *f = *state;
	struct rlimit old, lim;
	struct rec_stats st;
	struct rec_writer *w;
	unsigned int i = 5;
	struct stat sb;
	size_t len;
	int err;

	write_frames(f->path, 0, 5, 1, NULL);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_IGN);
	lim = old;
	lim.rlim_cur = sb.st_size + 20000;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_int_equal(recw_open(&w, f->path), 0);
	do {
		len = payload(i, pbuf);
		err = recw_append(w, when(i), REC_KEY, pbuf, len);
	} while (!err && ++i < 1000);
	assert_int_equal(err, -EFBIG);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_size, recw_size(w));
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	len = payload(i, pbuf);
	assert_int_equal(recw_append(w, when(i), REC_KEY, pbuf, len), 0);
	recw_close(w);
	st = read_all(f->path, i + 1, -1, 1);
	assert_int_equal(st.corrupt, 0);
	assert_int_equal(st.torn, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seek, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bit_flips, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_recording, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_writer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_follow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_fails, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
