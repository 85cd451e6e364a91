// SPDX-License-Identifier: GPL-2.0
/*
 * cli_parse() on a command line: the input split on NUL bytes is argv after "cputop".
 */
#include <getopt.h>
#include "fuzz.h"
#include "cli.h"

#define FUZZ_MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[FUZZ_MAX_ARGS + 2];
	char *buf = fuzz_str(data, size);
	struct cli o;
	char *p = buf, *end = buf + size;
	int argc = 0;

	argv[argc++] = "cputop";
	while (p < end && argc <= FUZZ_MAX_ARGS) {
		argv[argc++] = p;
		p += strlen(p) + 1;
	}
	argv[argc] = NULL;
	/* glibc keeps its position in a cluster of short options between calls: start over. */
	optind = 0;
	opterr = 0;
	/* Scribbled, as the unit tests do: the parser must set every field it later reads. */
	memset(&o, 0x5a, sizeof(o));
	cli_parse(&o, argc, argv);
	free(buf);
	return 0;
}
