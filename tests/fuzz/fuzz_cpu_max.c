// SPDX-License-Identifier: GPL-2.0
/* The limit files: parse_cpu_max() (v2's cpu.max) and parse_cfs_us() (v1's) on one text. */
#include "fuzz.h"
#include "source/procfs/cgroups.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_str(data, size);
	uint64_t quota, period, us;

	if (!parse_cpu_max(buf, &quota, &period) && !period)
		abort();
	if (!parse_cfs_us(buf, &us) && !us && strncmp(buf, "-1\n", 3))
		abort();
	free(buf);
	return 0;
}
