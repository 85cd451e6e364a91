// SPDX-License-Identifier: GPL-2.0
/* parse_schedstat() on /proc/PID/schedstat text. */
#include "fuzz.h"
#include "source/procfs/procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_str(data, size);
	uint64_t run, wait;

	parse_schedstat(buf, &run, &wait);
	free(buf);
	return 0;
}
