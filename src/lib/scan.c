// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <stddef.h>

#include "lib/scan.h"

const char *scan_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

const char *scan_dec(const char *p, uint64_t *v)
{
	uint64_t n = 0;

	if (!isdigit((unsigned char)*p))
		return NULL;
	for (; isdigit((unsigned char)*p); p++) {
		if (n > (UINT64_MAX - (*p - '0')) / 10)
			return NULL;
		n = n * 10 + (*p - '0');
	}
	if (*p != ' ' && *p != '\t' && *p != '\n')
		return NULL;
	*v = n;
	return p;
}
