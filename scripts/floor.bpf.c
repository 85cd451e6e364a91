// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * The floor of scripts/bench.sh: empty programs on the hooks cputop uses, so what they cost is
 * what any BPF program there costs (the trampoline and the call), and cputop's cost above it is
 * its own work.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/sys_enter")
int floor_sys_enter(void *ctx)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int floor_sys_exit(void *ctx)
{
	return 0;
}

SEC("tp_btf/sched_switch")
int floor_sched_switch(void *ctx)
{
	return 0;
}
