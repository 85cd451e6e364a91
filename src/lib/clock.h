/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Clocks for the sources and the loop: the model reads none, it is given times.
 */
#ifndef CPUTOP_CLOCK_H
#define CPUTOP_CLOCK_H

#include <stdint.h>
#include <time.h>

#define NSEC_PER_SEC 1000000000ull

static inline uint64_t clock_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* The Unix time in ns of @ns, an instant of @clk that has just passed. */
static inline int64_t clock_unix_at(clockid_t clk, uint64_t ns)
{
	int64_t wall = clock_ns(CLOCK_REALTIME);

	return wall - (int64_t)(clock_ns(clk) - ns);
}

#endif /* CPUTOP_CLOCK_H */
