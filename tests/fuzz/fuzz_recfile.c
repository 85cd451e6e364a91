// SPDX-License-Identifier: GPL-2.0
/*
 * The recording's reader (lib/recfile.h) on any file and any index. The input: the index's
 * length (u16, little-endian), then the recording, then the index, its last bytes. Read
 * through; the span; seeks to the times met, and before and after them; then a writer appends
 * a key frame, which a reader must find last, whatever came before it. The seeds in
 * corpus/recfile are recordings recw_append() wrote, whole, cut short or damaged.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "fuzz.h"
#include "lib/recfile.h"

static char dir[] = "/tmp/cputop-fuzz-recfile.XXXXXX";
static char path[64], idx[64];
/* Where the payloads' bytes go, so that each is read. */
static volatile uint8_t sink;

static void remove_files(void)
{
	unlink(idx);
	unlink(path);
	rmdir(dir);
}

static void put(const char *p, const uint8_t *data, size_t size)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
}

/* Up to @n frames from where @r is, every byte of each looked at; the last one into @last. */
static void read_on(struct rec_reader *r, size_t n, struct rec_frame *last, int64_t *t, size_t nt)
{
	struct rec_frame f;
	size_t i, k = 0;

	while (n-- && !recr_next(r, &f)) {
		for (i = 0; i < f.len; i++)
			sink += ((const uint8_t *)f.data)[i];
		if (k < nt)
			t[k++] = f.wall_ns;
		if (last)
			*last = f;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t t[8] = { INT64_MIN, INT64_MAX }, first, last;
	struct rec_frame f = { 0 };
	struct rec_reader *r;
	struct rec_writer *w;
	size_t ilen = 0, i;
	char why[128];

	if (!path[0]) {
		if (!mkdtemp(dir))
			abort();
		snprintf(path, sizeof(path), "%s/rec", dir);
		snprintf(idx, sizeof(idx), "%s/rec.idx", dir);
		atexit(remove_files);
	}
	if (size >= 2) {
		ilen = data[0] | data[1] << 8;
		data += 2;
		size -= 2;
	}
	if (ilen > size)
		ilen = size;
	put(path, data, size - ilen);
	put(idx, data + size - ilen, ilen);

	if (!recr_open(&r, path, why, sizeof(why))) {
		read_on(r, SIZE_MAX, NULL, t + 2, 3);
		recr_span(r, &first, &last);
		for (i = 0; i < 5; i++) {
			recr_seek(r, t[i]);
			read_on(r, 2, NULL, NULL, 0);
			recr_seek(r, t[i] > INT64_MIN ? t[i] - 1 : t[i]);
			read_on(r, 2, NULL, NULL, 0);
		}
		recr_close(r);
	}

	if (recw_open(&w, path))
		return 0;
	if (recw_append(w, 1, REC_KEY, "fuzz", 4))
		abort();
	recw_close(w);
	if (recr_open(&r, path, why, sizeof(why)))
		abort();
	read_on(r, SIZE_MAX, &f, NULL, 0);
	if (f.wall_ns != 1 || f.len != 4)
		abort();
	/* The last key frame, by the index the writer kept or started, or by reading. */
	if (recr_seek(r, INT64_MAX) || recr_next(r, &f) || f.wall_ns != 1 || f.len != 4 ||
	    memcmp(f.data, "fuzz", 4))
		abort();
	if (recr_span(r, &first, &last) || last != 1)
		abort();
	recr_close(r);
	return 0;
}
