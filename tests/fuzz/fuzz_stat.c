// SPDX-License-Identifier: GPL-2.0
/* parse_stat() on /proc/stat text. */
#include "fuzz.h"
#include "source/procfs/procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_str(data, size);
	struct snapshot s = {};

	parse_stat(buf, &s);
	snapshot_free(&s);
	free(buf);
	return 0;
}
