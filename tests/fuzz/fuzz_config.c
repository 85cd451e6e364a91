// SPDX-License-Identifier: GPL-2.0
/* config_parse() on rc file text, applied on top of the defaults as main() does. */
#include <getopt.h>
#include "fuzz.h"
#include "view/tui/rc.h"
#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[] = { "cputop", NULL };
	char *buf = fuzz_str(data, size);
	struct cli o;
	char err[128];

	optind = 0;
	opterr = 0;
	memset(&o, 0x5a, sizeof(o));
	if (!cli_parse(&o, 1, argv))
		rc_parse(&o.set, o.given, buf, err, sizeof(err));
	free(buf);
	return 0;
}
