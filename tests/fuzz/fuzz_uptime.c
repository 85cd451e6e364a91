// SPDX-License-Identifier: GPL-2.0
/* parse_uptime() on /proc/uptime text. */
#include "fuzz.h"
#include "source/procfs/procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_str(data, size);
	double up;

	parse_uptime(buf, &up);
	free(buf);
	return 0;
}
