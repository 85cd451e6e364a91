// SPDX-License-Identifier: GPL-2.0
/* parse_meminfo() on /proc/meminfo text. */
#include "fuzz.h"
#include "source/procfs/procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_str(data, size);
	struct meminfo m;

	parse_meminfo(buf, &m);
	free(buf);
	return 0;
}
