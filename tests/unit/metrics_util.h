/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the tests of the system metrics (test_metrics.c, test_metrics_rate.c,
 * test_metrics_line.c): include after <cmocka.h>, <stdio.h>, <stdlib.h> and <string.h>.
 */
#ifndef CPUTOP_TEST_METRICS_UTIL_H
#define CPUTOP_TEST_METRICS_UTIL_H

#include "view/metrics_line.h"

/* A struct metrics is about 20 KiB: one per test, off the stack. */
static inline struct metrics *new_metrics(void)
{
	struct metrics *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	return m;
}

static inline void expect_line(enum metric_kind k, const struct metrics *m,
			       const struct metrics_rates *r, const char *want)
{
	char buf[256];

	metrics_line(buf, sizeof(buf), k, m, r);
	assert_string_equal(buf, want);
}

static inline void set_disk(struct met_disk *d, const char *name, uint64_t rd_ios,
			    uint64_t rd_sectors, uint64_t rd_ms, uint64_t wr_ios,
			    uint64_t wr_sectors, uint64_t wr_ms)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->rd_ios = rd_ios;
	d->rd_sectors = rd_sectors;
	d->rd_ms = rd_ms;
	d->wr_ios = wr_ios;
	d->wr_sectors = wr_sectors;
	d->wr_ms = wr_ms;
}

#endif /* CPUTOP_TEST_METRICS_UTIL_H */
