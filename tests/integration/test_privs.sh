#!/usr/bin/env bash
# Once the eBPF program is loaded and attached, cputop keeps only the capabilities it still
# uses: CAP_BPF and CAP_PERFMON (every refresh's bpf() calls), CAP_SYS_ADMIN (the hooks' cost
# window), and in the interactive view CAP_KILL and CAP_SYS_NICE (k and r); none in /proc
# mode. No exec can bring any back (NoNewPrivs), and the refreshes still work.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT

if ! bpf_available; then
	for t in bpf-caps bpf-works proc-caps; do
		skip "$t" "eBPF unavailable (not root, no BTF, or load failed)"
	done
	finish
fi

# The capability lines of cputop with flags "$@", read once it has printed its first snapshot.
caps_of() {
	"$CPUTOP" -b -d 0.5 -n 4 "$@" >"$tmp/out" 2>&1 &
	local ct=$!
	pids_to_kill+=("$ct")
	wait_for_line "$tmp/out" '^cputop - ' || return 1
	awk '/^(CapInh|CapPrm|CapEff|CapBnd|NoNewPrivs):/ { printf "%s%s ", $1, $2 }' \
		"/proc/$ct/status"
	wait "$ct"
}

# CAP_SYS_ADMIN (21), CAP_PERFMON (38), CAP_BPF (39).
want="CapInh:0000000000000000 CapPrm:000000c000200000 CapEff:000000c000200000"
want+=" CapBnd:000000c000200000 NoNewPrivs:1 "
got=$(caps_of)
note "eBPF batch: $got"
check "eBPF: only CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN left, in every set; no new privileges" \
	[ "$got" = "$want" ]
cost=$(grep -c '^Cost: cputop .*, its eBPF hooks [0-9.]*% in the tasks they trace' "$tmp/out")
check "after the drop every refresh still reads the kernel: 4 snapshots, the hooks' cost measured" \
	[ "$(grep -c '^cputop - ' "$tmp/out")" = 4 -a "$cost" -ge 2 ]
got=$(caps_of --no-bpf)
note "/proc batch: $got"
check "/proc mode as root: no capability left" \
	[ "$got" = "CapInh:0000000000000000 CapPrm:0000000000000000 CapEff:0000000000000000 CapBnd:0000000000000000 NoNewPrivs:1 " ]
finish
