// SPDX-License-Identifier: GPL-2.0
/*
 * The recording sink (--record) in a fresh directory under /tmp: the frames it writes (key
 * frames, the run's start, changes only against the snapshot written before), a file a day in
 * a directory, and retention by days and by size, which deletes whole files, oldest first,
 * never another file.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/recfile.h"
#include "model/record.h"
#include "sink/sink.h"

#define NSEC 1000000000ll

struct fixture {
	char dir[64];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/cputop-test-record.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd))
		return -1;
	free(f);
	return 0;
}

/*
 * The local date @days days before today, as a daily file's name has it: counted in days of the
 * calendar (mktime() normalises the day of the month), not in 86,400 s, which a daylight
 * saving change makes one date too many or too few near midnight.
 */
static int day_before(int days)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_mday -= days;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	localtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

static void make_file(const struct fixture *f, const char *name, size_t bytes)
{
	char path[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	for (size_t i = 0; i < bytes; i++)
		fputc('x', fp);
	fclose(fp);
}

static void make_day(const struct fixture *f, int days_ago, size_t bytes)
{
	char name[64];

	snprintf(name, sizeof(name), "cputop-%08d.rec", day_before(days_ago));
	make_file(f, name, bytes);
	strcat(name, ".idx");
	make_file(f, name, 16);
}

static bool exists(const struct fixture *f, const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	return !stat(path, &st);
}

static bool day_exists(const struct fixture *f, int days_ago)
{
	char name[64];

	snprintf(name, sizeof(name), "cputop-%08d.rec", day_before(days_ago));
	return exists(f, name);
}

/* --retain 3: today's file and the two days before stay; older ones go, their index too. */
static void test_retain_days(void **state)
{
	struct fixture *f = *state;
	struct record_opts o = { .path = f->dir, .retain_days = 3 };
	struct sink *k;
	int d;

	for (d = 1; d <= 9; d++)
		make_day(f, d, 100);
	make_file(f, "notes.txt", 10);
	make_file(f, "cputop-2026.rec", 10);
	assert_int_equal(record_sink_open(&k, &o), 0);
	assert_true(day_exists(f, 0));
	assert_true(day_exists(f, 1));
	assert_true(day_exists(f, 2));
	for (d = 3; d <= 9; d++)
		assert_false(day_exists(f, d));
	/* Not a daily file: not the recorder's to delete. */
	assert_true(exists(f, "notes.txt"));
	assert_true(exists(f, "cputop-2026.rec"));
	k->ops->close(k);
}

/* --retain-size: the oldest whole files go until all fit, never the one being written. */
static void test_retain_size(void **state)
{
	struct fixture *f = *state;
	struct record_opts o = { .path = f->dir, .retain_bytes = 2500 };
	struct sink *k;
	int d;

	for (d = 1; d <= 5; d++)
		make_day(f, d, 1000 - 16);
	assert_int_equal(record_sink_open(&k, &o), 0);
	assert_true(day_exists(f, 0));
	assert_true(day_exists(f, 1));
	assert_true(day_exists(f, 2));
	assert_false(day_exists(f, 3));
	assert_false(day_exists(f, 4));
	assert_false(day_exists(f, 5));
	k->ops->close(k);
	/* Smaller than today's file alone: that one stays all the same. */
	o.retain_bytes = 1;
	assert_int_equal(record_sink_open(&k, &o), 0);
	assert_true(day_exists(f, 0));
	assert_false(day_exists(f, 1));
	k->ops->close(k);
}

/* Retention needs a directory: a file is refused, and said so. */
static void test_retain_needs_dir(void **state)
{
	struct fixture *f = *state;
	char path[128];
	struct record_opts o = { .path = path, .retain_days = 1 };
	struct sink *k;

	snprintf(path, sizeof(path), "%s/one.rec", f->dir);
	assert_int_equal(record_sink_open(&k, &o), -EINVAL);
	o.retain_days = 0;
	assert_int_equal(record_sink_open(&k, &o), 0);
	k->ops->close(k);
}

/* A snapshot at second @i with one task whose CPU time grows by @i ms. */
static void fill(struct snapshot *s, int i)
{
	struct snap_task *t;

	snapshot_begin(s);
	s->ts_ns = (uint64_t)(100 + i) * NSEC;
	s->wall_ns = 1800000000ll * NSEC + i * NSEC;
	t = snapshot_add_task(s);
	assert_non_null(t);
	t->tid = t->tgid = 42;
	t->cpu_ns = t->user_ns = (uint64_t)i * 1000000;
	strcpy(t->comm, "spin");
}

/*
 * The frames: the first a key frame that starts the run; then changes against the snapshot
 * written before, and a key frame again when the one given before is not that one.
 */
static void test_frames(void **state)
{
	struct fixture *f = *state;
	char path[128], why[256];
	struct record_opts o = { .path = path };
	struct snapshot s[4] = {}, out[2] = {};
	struct rec_reader *r;
	struct rec_frame fr;
	uint32_t want[] = { REC_KEY | REC_START, 0, REC_KEY, 0 };
	struct sink *k;
	int i;

	snprintf(path, sizeof(path), "%s/f.rec", f->dir);
	assert_int_equal(record_sink_open(&k, &o), 0);
	for (i = 0; i < 4; i++) {
		/* The third frame's "previous" is not the snapshot written before it. */
		struct frame fm = { .prev = i == 2 ? &s[0] : i ? &s[i - 1] : NULL, .cur = &s[i] };

		fill(&s[i], i);
		assert_int_equal(k->ops->write(k, &fm), 0);
	}
	k->ops->close(k);
	assert_int_equal(recr_open(&r, path, why, sizeof(why)), 0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(recr_next(r, &fr), 0);
		assert_int_equal(fr.flags, want[i]);
		assert_true(fr.wall_ns == s[i].wall_ns);
		assert_int_equal(record_decode(&out[i & 1], fr.flags & REC_KEY ? NULL :
					       &out[!(i & 1)], fr.data, fr.len), 0);
		assert_int_equal(out[i & 1].nr_tasks, 1);
		assert_true(out[i & 1].tasks[0].cpu_ns == s[i].tasks[0].cpu_ns);
	}
	assert_int_equal(recr_next(r, &fr), 1);
	recr_close(r);
	for (i = 0; i < 4; i++)
		snapshot_free(&s[i]);
	snapshot_free(&out[0]);
	snapshot_free(&out[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_retain_days, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retain_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retain_needs_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frames, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
