/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the libFuzzer targets share. Each tests/fuzz/fuzz_*.c is one target: its
 * LLVMFuzzerTestOneInput() hands the input to one parser (tests/fuzz/test_fuzz.sh runs them).
 */
#ifndef CPUTOP_FUZZ_H
#define CPUTOP_FUZZ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The parsers take a NUL-terminated buffer, as the readers give them: a copy of exactly
 * @size + 1 bytes, so that ASan catches a read past the NUL.
 */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * A device filter for the net/dev and diskstats parsers: keeps every other name (@ctx counts
 * them), so that both the callback path and the array filling run.
 */
static inline bool fuzz_keep_half(const char *name, void *ctx)
{
	unsigned int *n = ctx;

	return name[0] && (*n)++ % 2 == 0;
}

#endif /* CPUTOP_FUZZ_H */
