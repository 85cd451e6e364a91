#!/usr/bin/env bash
# The eBPF program's other forms, the light mode (--no-syscalls) and the hash-map fallback
# (--bpf-storage hash), each through the whole accuracy suite: test_accuracy.sh run again with
# the mode's flag. What makes each form different is checked in test_modes.sh.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT

modes=("--no-syscalls" "--bpf-storage hash")
if ! bpf_available; then
	for t in "${modes[@]}"; do
		skip "$t" "eBPF unavailable (not root, no BTF, or load failed)"
	done
	finish
fi

# Each mode passes the accuracy suite: its spinner, dd, TIME+, exits and reconciliation.
for mode in "${modes[@]}"; do
	printf '#!/bin/sh\nexec %q %s "$@"\n' "$(realpath "$CPUTOP")" "$mode" >"$tmp/cputop"
	chmod +x "$tmp/cputop"
	CPUTOP=$tmp/cputop tests/integration/test_accuracy.sh >"$tmp/acc" 2>&1
	rc=$? before=$tap_failed
	# Its results become this script's, numbered here and named with the mode.
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "[$mode] ${line#* - }" ;;
		"not ok "*) not_ok "[$mode] ${line#* - }" ;;
		"#"*) echo "$line" ;;
		*) note "[$mode] $line" ;;
		esac
	done <"$tmp/acc"
	[ "$rc" = 0 ] || [ "$tap_failed" -gt "$before" ] ||
		not_ok "[$mode] test_accuracy.sh ended with status $rc"
done
finish
