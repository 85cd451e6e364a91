// SPDX-License-Identifier: GPL-2.0
/* parse_diskstats() on /proc/diskstats text, once keeping every device, once asking. */
#include "fuzz.h"
#include "source/procfs/metrics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_str(data, size);
	static struct metrics m;	/* large: not on the stack */
	unsigned int n = 0;

	parse_diskstats(buf, &m, NULL, NULL);
	parse_diskstats(buf, &m, fuzz_keep_half, &n);
	free(buf);
	return 0;
}
