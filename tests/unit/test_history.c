// SPDX-License-Identifier: GPL-2.0
/*
 * The per-row %CPU history of the detail graph. Every refresh gives its rows a %CPU that is a
 * simple function of the row and the refresh number, so the expected samples are computed
 * here from that function, never read back from the history itself.
 */
#include <errno.h>
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/history.h"

/*
 * realloc() for the whole program, so that a test can make one of them fail: the next
 * @realloc_ok calls succeed, then every call fails until it is set back to -1 (never fail).
 * Valgrind replaces it with its own: @realloc_calls then stays 0.
 */
static long realloc_ok = -1;
static unsigned long realloc_calls;

void *realloc(void *old, size_t size)
{
	size_t old_size = old ? malloc_usable_size(old) : 0;
	void *p;

	realloc_calls++;
	if (realloc_ok == 0)
		return NULL;
	if (realloc_ok > 0)
		realloc_ok--;
	if (!size) {
		free(old);
		return NULL;
	}
	p = malloc(size);
	if (!p)
		return NULL;
	if (old) {
		memcpy(p, old, old_size < size ? old_size : size);
		free(old);
	}
	return p;
}

static struct row mk(uint32_t pid, uint64_t start_ns, double pct)
{
	return (struct row){ .pid = pid, .tgid = pid, .start_ns = start_ns, .cpu_pct = pct };
}

static void update(struct history *h, const struct row *rows, size_t nr)
{
	assert_int_equal(history_update(h, rows, nr), 0);
}

/* One refresh with a single row. */
static void update1(struct history *h, uint32_t pid, uint64_t start_ns, double pct)
{
	struct row r = mk(pid, start_ns, pct);

	update(h, &r, 1);
}

/*
 * The history of (pid, start_ns) is the @n samples of @want, oldest first (a negative
 * @want is a gap), and nothing after them.
 */
static void expect(const struct history *h, uint32_t pid, uint64_t start_ns, const float *want,
		   size_t n)
{
	float out[HISTORY_LEN];
	size_t k, got;

	memset(out, 0x7f, sizeof(out));	/* a huge positive float: unwritten slots show */
	got = history_get(h, pid, start_ns, out);
	if (got != n)
		fail_msg("pid %u start %llu: %zu samples, want %zu", pid,
			 (unsigned long long)start_ns, got, n);
	for (k = 0; k < HISTORY_LEN; k++) {
		bool gap = k >= n || want[k] < 0;

		if (gap ? out[k] >= 0 : out[k] != want[k])
			fail_msg("pid %u start %llu: sample %zu is %g, want %g (< 0: a gap)", pid,
				 (unsigned long long)start_ns, k, out[k], gap ? -1 : want[k]);
	}
}

static void expect_none(const struct history *h, uint32_t pid, uint64_t start_ns)
{
	float out[HISTORY_LEN];

	assert_int_equal(history_get(h, pid, start_ns, out), 0);
}

static void test_oldest_first(void **state)
{
	struct history h = {};

	(void)state;
	update1(&h, 7, 100, 10);
	expect(&h, 7, 100, (const float[]){ 10 }, 1);
	update1(&h, 7, 100, 20.5);
	update1(&h, 7, 100, 0);
	expect(&h, 7, 100, (const float[]){ 10, 20.5, 0 }, 3);
	history_free(&h);
}

/* A row that appears later has gaps for the refreshes before it, not zeros. */
static void test_late_row(void **state)
{
	struct row rows[2] = { mk(1, 10, 5), mk(2, 20, 50) };
	struct history h = {};

	(void)state;
	update(&h, rows, 1);
	update(&h, rows, 1);
	update(&h, rows, 2);
	expect(&h, 1, 10, (const float[]){ 5, 5, 5 }, 3);
	expect(&h, 2, 20, (const float[]){ -1, -1, 50 }, 3);
	history_free(&h);
}

/* Absent for one refresh (filtered out for a moment): a gap, then the row goes on. */
static void test_gap(void **state)
{
	struct row a = mk(1, 10, 1), b = mk(2, 20, 2);
	struct history h = {};

	(void)state;
	update(&h, &a, 1);
	a.cpu_pct = 3;
	update(&h, &a, 1);
	update(&h, &b, 1);
	a.cpu_pct = 4;
	update(&h, &a, 1);
	expect(&h, 1, 10, (const float[]){ 1, 3, -1, 4 }, 4);
	expect(&h, 2, 20, (const float[]){ -1, -1, 2, -1 }, 4);
	history_free(&h);
}

/*
 * Seen once, then unseen: kept while one of the last HISTORY_LEN refreshes holds a sample,
 * forgotten at the HISTORY_LEN-th refresh without it. Empty refreshes count too.
 */
static void test_forgotten(void **state)
{
	float want[HISTORY_LEN];
	struct row other = mk(2, 20, 0);
	struct history h = {};
	int i;

	(void)state;
	update1(&h, 1, 10, 42);
	for (i = 0; i < HISTORY_LEN - 1; i++) {
		if (i % 2)
			update(&h, NULL, 0);
		else
			update(&h, &other, 1);
	}
	/* 60 refreshes recorded: the oldest is the one sample, 59 gaps after it. */
	want[0] = 42;
	for (i = 1; i < HISTORY_LEN; i++)
		want[i] = -1;
	expect(&h, 1, 10, want, HISTORY_LEN);

	update(&h, &other, 1);
	expect_none(&h, 1, 10);

	/* Back under the same key: a new history, the old sample does not come back. */
	update1(&h, 1, 10, 7);
	want[0] = -1;
	want[HISTORY_LEN - 1] = 7;
	expect(&h, 1, 10, want, HISTORY_LEN);
	history_free(&h);
}

/* The same for many rows at once, leaving at different refreshes. */
static void test_forgotten_staggered(void **state)
{
	struct row rows[10];
	struct history h = {};
	int gen, i;

	(void)state;
	/* Row i is seen in refreshes 1 .. i + 1, then never again. */
	for (gen = 1; gen <= 10; gen++) {
		for (i = gen - 1; i < 10; i++)
			rows[i - (gen - 1)] = mk(100 + i, 1, i);
		update(&h, rows, 10 - (gen - 1));
	}
	/* At refresh g, row i was last seen at i + 1: kept while g - (i + 1) < 60. */
	for (; gen <= 80; gen++) {
		update(&h, NULL, 0);
		for (i = 0; i < 10; i++) {
			float out[HISTORY_LEN];
			size_t want = gen - (i + 1) >= HISTORY_LEN ? 0 :
				      gen < HISTORY_LEN ? gen : HISTORY_LEN;

			if (history_get(&h, 100 + i, 1, out) != want)
				fail_msg("refresh %d: row %d has %s history", gen, i,
					 want ? "no" : "a");
		}
	}
	history_free(&h);
}

/* Past HISTORY_LEN refreshes the ring wraps: always the last 60, oldest first. */
static void test_wrap(void **state)
{
	float want[HISTORY_LEN];
	struct history h = {};
	int gen, k, n;

	(void)state;
	for (gen = 1; gen <= 3 * HISTORY_LEN + 7; gen++) {
		update1(&h, 5, 500, gen * 0.5);
		n = gen < HISTORY_LEN ? gen : HISTORY_LEN;
		for (k = 0; k < n; k++)
			want[k] = (gen - n + 1 + k) * 0.5f;
		expect(&h, 5, 500, want, n);
	}
	history_free(&h);
}

/* A reused PID (same pid, another start time) is another row with its own history. */
static void test_pid_reuse(void **state)
{
	struct row both[2] = { mk(100, 2000, 30), mk(100, 1000, 3) };
	struct history h = {};

	(void)state;
	update1(&h, 100, 1000, 10);
	update1(&h, 100, 2000, 20);
	expect(&h, 100, 1000, (const float[]){ 10, -1 }, 2);
	expect(&h, 100, 2000, (const float[]){ -1, 20 }, 2);
	/* Both in one refresh (the old one's exit row and the new one), later start first. */
	update(&h, both, 2);
	expect(&h, 100, 1000, (const float[]){ 10, -1, 3 }, 3);
	expect(&h, 100, 2000, (const float[]){ -1, 20, 30 }, 3);
	expect_none(&h, 100, 1500);
	expect_none(&h, 101, 1000);
	history_free(&h);
}

/* Two rows with one key (should not happen): one sample, and the rows after them still count. */
static void test_duplicate_key(void **state)
{
	struct row rows[4] = { mk(9, 1, 90), mk(5, 1, 10), mk(5, 1, 20), mk(3, 1, 30) };
	float out[HISTORY_LEN];
	struct history h = {};

	(void)state;
	update(&h, rows, 4);
	assert_int_equal(history_get(&h, 5, 1, out), 1);
	assert_true(out[0] == 10 || out[0] == 20);
	expect(&h, 3, 1, (const float[]){ 30 }, 1);
	expect(&h, 9, 1, (const float[]){ 90 }, 1);
	update(&h, rows, 4);
	assert_int_equal(history_get(&h, 5, 1, out), 2);
	expect(&h, 9, 1, (const float[]){ 90, 90 }, 2);
	history_free(&h);
}

/* A small deterministic generator, so a failure can be replayed. */
static uint32_t lcg(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

static void shuffle(struct row *rows, size_t n, uint32_t *seed)
{
	size_t i, j;
	struct row t;

	for (i = n - 1; i > 0; i--) {
		j = lcg(seed) % (i + 1);
		t = rows[i];
		rows[i] = rows[j];
		rows[j] = t;
	}
}

#define MANY 5000
#define MANY_GENS 75

/* Row p's %CPU at refresh g, exactly representable as a float. */
static float many_pct(uint32_t p, int g)
{
	return (float)(p % 97) + g * 0.25f;
}

/* Row p is absent from refresh g sometimes, and rows 4000.. leave for good after refresh 5. */
static bool many_seen(uint32_t p, int g)
{
	return (p + g) % 7 && (p < 4000 || g <= 5);
}

static void test_many_rows_shuffled(void **state)
{
	static struct row rows[MANY];
	float want[HISTORY_LEN];
	struct history h = {};
	uint32_t seed = 1, p;
	size_t nr;
	int g, k;

	(void)state;
	for (g = 1; g <= MANY_GENS; g++) {
		/* PIDs spread out, start times not in PID order. */
		for (p = 0, nr = 0; p < MANY; p++) {
			if (many_seen(p, g))
				rows[nr++] = mk(p * 13 + 2, (MANY - p) * 1000ull, many_pct(p, g));
		}
		shuffle(rows, nr, &seed);
		update(&h, rows, nr);
	}
	for (p = 0; p < MANY; p++) {
		/* Rows 4000.. were last seen at refresh 5 at the latest: forgotten by 75. */
		if (p >= 4000) {
			expect_none(&h, p * 13 + 2, (MANY - p) * 1000ull);
			continue;
		}
		for (k = 0; k < HISTORY_LEN; k++) {
			g = MANY_GENS - HISTORY_LEN + 1 + k;
			want[k] = many_seen(p, g) ? many_pct(p, g) : -1;
		}
		expect(&h, p * 13 + 2, (MANY - p) * 1000ull, want, HISTORY_LEN);
	}
	history_free(&h);
}

static void test_unknown_key(void **state)
{
	struct history h = {};
	float out[HISTORY_LEN];

	(void)state;
	/* Nothing recorded yet. */
	assert_int_equal(history_get(&h, 1, 1, out), 0);
	update1(&h, 10, 5, 1);
	expect_none(&h, 11, 5);
	expect_none(&h, 9, 5);
	expect_none(&h, 10, 4);
	expect_none(&h, 10, 6);
	expect_none(&h, 0, 0);
	expect_none(&h, UINT32_MAX, UINT64_MAX);
	history_free(&h);
}

static void test_free_reusable(void **state)
{
	static const struct history zero;
	struct row rows[3] = { mk(1, 1, 1), mk(2, 2, 2), mk(3, 3, 3) };
	struct history h = {};
	int i;

	(void)state;
	for (i = 0; i < 70; i++)
		update(&h, rows, 3);
	history_free(&h);
	assert_memory_equal(&h, &zero, sizeof(h));
	/* A second free of the zeroed struct is harmless. */
	history_free(&h);
	assert_memory_equal(&h, &zero, sizeof(h));

	/* Starts over: one refresh recorded, nothing left of the old rows. */
	update1(&h, 2, 2, 8);
	expect(&h, 2, 2, (const float[]){ 8 }, 1);
	expect_none(&h, 1, 1);
	expect_none(&h, 3, 3);
	history_free(&h);
}

/*
 * Out of memory at any of the allocations: -ENOMEM and the history as it was. Each attempt
 * lets one more allocation succeed than the last, until the update goes through.
 */
static void test_enomem_unchanged(void **state)
{
	struct row rows[40];
	struct history h = {};
	int i, fails = 0, err;

	(void)state;
	for (i = 0; i < 40; i++)
		rows[i] = mk(i + 1, 1, i);
	update(&h, rows, 2);
	/* Under valgrind no allocation can be made to fail: nothing to test. */
	if (!realloc_calls) {
		history_free(&h);
		return;
	}
	for (;;) {
		/* 40 rows need more room than 2 did. */
		realloc_ok = fails ? 1 : 0;
		err = history_update(&h, rows, 40);
		realloc_ok = -1;
		if (!err)
			break;
		assert_int_equal(err, -ENOMEM);
		assert_true(++fails < 10);
		assert_int_equal(h.gen, 1);
		expect(&h, 1, 1, (const float[]){ 0 }, 1);
		expect(&h, 2, 1, (const float[]){ 1 }, 1);
		expect_none(&h, 3, 1);
	}
	assert_true(fails > 0);
	/* The successful update counted once. */
	expect(&h, 1, 1, (const float[]){ 0, 0 }, 2);
	expect(&h, 40, 1, (const float[]){ -1, 39 }, 2);
	history_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oldest_first),
		cmocka_unit_test(test_late_row),
		cmocka_unit_test(test_gap),
		cmocka_unit_test(test_forgotten),
		cmocka_unit_test(test_forgotten_staggered),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_pid_reuse),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_many_rows_shuffled),
		cmocka_unit_test(test_unknown_key),
		cmocka_unit_test(test_free_reusable),
		cmocka_unit_test(test_enomem_unchanged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
