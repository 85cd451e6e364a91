// SPDX-License-Identifier: GPL-2.0
/* parse_loadavg() on /proc/loadavg text. */
#include "fuzz.h"
#include "source/procfs/procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_str(data, size);
	struct loadavg l;

	parse_loadavg(buf, &l);
	free(buf);
	return 0;
}
