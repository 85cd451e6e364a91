// SPDX-License-Identifier: GPL-2.0
/*
 * when_parse(), when_duration() and when_size() on any text: when_parse() at a fixed now and at
 * both ends of int64, where the relative forms overflow, in Europe/Berlin for the DST paths
 * (UTC, its stand-in without tzdata, still runs the rest); what it reads, when_format() prints.
 */
#include <time.h>

#include "fuzz.h"
#include "lib/when.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t nows[] = { 1773578096789000000ll, INT64_MIN, INT64_MAX };
	char *buf = fuzz_str(data, size), out[WHEN_FORMAT_LEN];
	uint64_t v;
	int64_t t;
	size_t i;

	for (i = 0; i < sizeof(nows) / sizeof(nows[0]); i++) {
		if (!when_parse(buf, nows[i], &t))
			when_format(out, sizeof(out), t, i);
	}
	when_duration(buf, &v);
	when_size(buf, &v);
	free(buf);
	return 0;
}
