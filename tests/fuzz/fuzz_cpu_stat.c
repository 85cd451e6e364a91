// SPDX-License-Identifier: GPL-2.0
/* parse_cpu_stat() on a cgroup's cpu.stat, v2's or v1's. */
#include "fuzz.h"
#include "source/procfs/cgroups.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_str(data, size);
	struct snap_cgroup c = {};

	parse_cpu_stat(buf, &c);
	free(buf);
	return 0;
}
