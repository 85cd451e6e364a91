// SPDX-License-Identifier: GPL-2.0
/* parse_proc_cgroup() on /proc/PID/cgroup text, into a path buffer of a size the input sets. */
#include "fuzz.h"
#include "source/procfs/cgroups.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cap = size ? data[0] % 64 + 1 : 1;
	char *buf = fuzz_str(data, size), *path = malloc(cap);

	if (!path)
		abort();
	/* A small buffer for the ENAMETOOLONG edge, exactly sized so that ASan sees past it. */
	if (!parse_proc_cgroup(buf, path, cap) && strlen(path) >= cap)
		abort();
	free(path);
	free(buf);
	return 0;
}
