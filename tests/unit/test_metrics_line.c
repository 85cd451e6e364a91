// SPDX-License-Identifier: GPL-2.0
/* view/metrics_line.c: the lines' units, names that reach a terminal and short buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "view/metrics_line.h"
#include "metrics_util.h"

/* Unit steps of the rates, through the paging line. */
static void test_line_units(void **state)
{
	static const struct {
		double v;
		const char *text;
	} cases[] = {
		{ 0, "0 B/s" },
		{ 999, "999 B/s" },
		{ 999.5, "1.0 kB/s" },
		{ 3400, "3.4 kB/s" },
		{ 9949, "9.9 kB/s" },
		{ 9950, "10 kB/s" },
		{ 200000, "200 kB/s" },
		{ 1200000, "1.2 MB/s" },
		{ 3.5e9, "3.5 GB/s" },
		{ 1e18, "1000 PB/s" },
	};
	struct metrics *m = new_metrics();
	struct metrics_rates r = {};
	char want[128];
	size_t i;

	(void)state;
	m->st[MET_VMSTAT].ok = true;
	r.vm.have = true;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r.vm.in_bps = cases[i].v;
		snprintf(want, sizeof(want), "Paging: in %s out 0 B/s, swap in 0 out 0 pages/s, "
			 "0 major faults/s", cases[i].text);
		expect_line(MET_VMSTAT, m, &r, want);
	}
	/* Counts: whole numbers, one decimal for a small fraction. */
	r.vm.in_bps = 0;
	r.vm.swpin_pps = 0.5;
	r.vm.swpout_pps = 2.96;
	r.vm.majflt = 12.4;
	expect_line(MET_VMSTAT, m, &r,
		    "Paging: in 0 B/s out 0 B/s, swap in 0.5 out 3 pages/s, 12 major faults/s");
	free(m);
}

/* Names reach a terminal: control bytes and non-ASCII characters become one '?' each. */
static void test_line_names(void **state)
{
	struct metrics *m = new_metrics();

	(void)state;
	m->st[MET_DISK].ok = m->st[MET_TEMP].ok = true;
	m->nr_disks = 1;
	set_disk(&m->disks[0], "sd\x1b[2Ja", 0, 0, 0, 0, 0, 0);
	expect_line(MET_DISK, m, NULL, "Disk: sd?[2Ja (no rate yet)");
	m->nr_temps = 1;
	snprintf(m->temps[0].name, sizeof(m->temps[0].name), "caf\xc3\xa9/\xe2\x82\xac\xff");
	m->temps[0].mdegc = -500;
	expect_line(MET_TEMP, m, NULL, "Temp: caf?/?? -0.5 C");
	free(m);
}

/* A short buffer gets the start of the line, NUL-terminated; a size of 0 is left alone. */
static void test_line_size(void **state)
{
	struct metrics *m = new_metrics();
	char buf[12];

	(void)state;
	m->st[MET_TEMP].ok = false;
	snprintf(m->st[MET_TEMP].why, sizeof(m->st[MET_TEMP].why), "no sensors");
	memset(buf, 'x', sizeof(buf));
	metrics_line(buf, sizeof(buf), MET_TEMP, m, NULL);
	assert_string_equal(buf, "Temp: unava");
	memset(buf, 'x', sizeof(buf));
	metrics_line(buf, 0, MET_TEMP, m, NULL);
	assert_int_equal(buf[0], 'x');
	metrics_line(buf, 1, MET_TEMP, m, NULL);
	assert_string_equal(buf, "");
	/* No such kind: an empty line. */
	metrics_line(buf, sizeof(buf), MET_NR, m, NULL);
	assert_string_equal(buf, "");
	/* A reason passes the same filter as names: strerror() may be translated. */
	snprintf(m->st[MET_TEMP].why, sizeof(m->st[MET_TEMP].why), "\xc3\xa9\x07");
	expect_line(MET_TEMP, m, NULL, "Temp: unavailable (?" "?)");
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_units),
		cmocka_unit_test(test_line_names),
		cmocka_unit_test(test_line_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
