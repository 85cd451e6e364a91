/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CPUTOP_PRIVS_H
#define CPUTOP_PRIVS_H

#include <stdbool.h>

/*
 * Keep only the capabilities still needed: the eBPF source's (@bpf) and those of sending
 * signals and renicing (@signals: the interactive view, not --readonly). 0 or -errno.
 */
int privs_drop(bool bpf, bool signals);

#endif /* CPUTOP_PRIVS_H */
