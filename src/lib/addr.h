/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CPUTOP_ADDR_H
#define CPUTOP_ADDR_H

#include <stdbool.h>
#include <sys/socket.h>

/*
 * A listening address as --listen takes it: PORT (on 127.0.0.1), ADDR:PORT or [ADDR6]:PORT,
 * numeric only, the port from 1 to 65535. 0, or -EINVAL.
 */
int addr_parse(const char *s, struct sockaddr_storage *ss, socklen_t *len);
/* Whether @ss is a loopback address (127.0.0.0/8, ::1): reachable from this machine alone. */
bool addr_loopback(const struct sockaddr_storage *ss);

#endif /* CPUTOP_ADDR_H */
