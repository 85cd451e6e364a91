// SPDX-License-Identifier: GPL-2.0
/* parse_pid_stat() on /proc/PID/stat text (its comm is in there, between parentheses). */
#include "fuzz.h"
#include "source/procfs/procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_str(data, size);
	struct pid_stat ps;

	parse_pid_stat(buf, &ps);
	free(buf);
	return 0;
}
