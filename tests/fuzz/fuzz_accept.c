// SPDX-License-Identifier: GPL-2.0
/*
 * What an HTTP client sends --listen: expo_wants_om() on an Accept header, and addr_parse()
 * on a --listen address, the same bytes.
 */
#include <netinet/in.h>
#include "fuzz.h"
#include "lib/addr.h"
#include "sink/expo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_str(data, size);
	struct sockaddr_storage ss;
	socklen_t len;

	expo_wants_om(buf);
	/* A parsed address is an IPv4 or IPv6 one of its own size, never the wildcard port. */
	if (!addr_parse(buf, &ss, &len) &&
	    !((ss.ss_family == AF_INET && len == sizeof(struct sockaddr_in)) ||
	      (ss.ss_family == AF_INET6 && len == sizeof(struct sockaddr_in6))))
		abort();
	free(buf);
	return 0;
}
