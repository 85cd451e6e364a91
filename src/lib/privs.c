// SPDX-License-Identifier: GPL-2.0
/*
 * Privileges: once the eBPF program is loaded and attached, cputop keeps only the
 * capabilities it still uses, so that a bug in reading what other users' processes wrote
 * (their names, /proc) cannot be turned into the rest of root's powers.
 */
#include <errno.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/privs.h"

/*
 * Kept: CAP_BPF for the bpf() calls of every refresh (the iterator, the per-CPU map, the
 * programs' run times), CAP_PERFMON with it, CAP_SYS_ADMIN for bpf_enable_stats() (the cost
 * window; the kernel asks for nothing less); CAP_KILL and CAP_SYS_NICE for the interactive
 * view's k and r. Everything else goes from the effective, permitted, inheritable and
 * bounding sets, and no exec can bring anything back (PR_SET_NO_NEW_PRIVS).
 */
int privs_drop(bool bpf, bool signals)
{
	struct __user_cap_header_struct head = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
	unsigned long long keep = 0;
	int cap;

	if (bpf)
		keep |= 1ull << CAP_BPF | 1ull << CAP_PERFMON | 1ull << CAP_SYS_ADMIN;
	if (signals)
		keep |= 1ull << CAP_KILL | 1ull << CAP_SYS_NICE;
	if (syscall(SYS_capget, &head, data))
		return -errno;
	/* The bounding set first: dropping from it takes CAP_SETPCAP, which is about to go. */
	for (cap = 0; cap < 64; cap++) {
		if (keep & 1ull << cap)
			continue;
		/* EINVAL: a capability this kernel does not know; EPERM: we never had SETPCAP. */
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EINVAL && errno != EPERM)
			return -errno;
	}
	data[0].effective &= keep;
	data[0].permitted &= keep;
	data[0].inheritable = 0;
	data[1].effective &= keep >> 32;
	data[1].permitted &= keep >> 32;
	data[1].inheritable = 0;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_capset, &head, data))
		return -errno;
	return 0;
}
