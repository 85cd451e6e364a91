// SPDX-License-Identifier: GPL-2.0
/* parse_pressure() on /proc/pressure/cpu or a cgroup's cpu.pressure. */
#include "fuzz.h"
#include "source/procfs/cgroups.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_str(data, size);
	struct psi p;

	/* A share of time, in hundredths of a percent: never over 100%, whatever the text. */
	if (!parse_pressure(buf, &p) && (p.some_avg10 > 10000 || p.full_avg10 > 10000))
		abort();
	free(buf);
	return 0;
}
