// SPDX-License-Identifier: GPL-2.0
/* parse_vmstat() on /proc/vmstat text. */
#include "fuzz.h"
#include "source/procfs/metrics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_str(data, size);
	static struct metrics m;	/* large: not on the stack */

	parse_vmstat(buf, &m);
	free(buf);
	return 0;
}
