#!/usr/bin/env bash
# The eBPF program's other forms, the light mode (--no-syscalls) and the hash-map fallback
# (--bpf-storage hash), each through the whole accuracy suite: test_accuracy.sh with the two
# forms side by side, each workload watched by one cputop of each form, each form's checks its
# own. What makes each form different is checked in test_modes.sh.
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
ACCURACY_FORMS=$(printf '%s\n' "${modes[@]}") tests/integration/test_accuracy.sh >"$tmp/acc" 2>&1
rc=$?
# Its results become this script's, numbered here; their names carry the mode.
while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#* - }" ;;
	"not ok "*) not_ok "${line#* - }" ;;
	"#"*) echo "$line" ;;
	*) note "$line" ;;
	esac
done <"$tmp/acc"
[ "$rc" = 0 ] || [ "$tap_failed" -gt 0 ] || not_ok "test_accuracy.sh ended with status $rc"
finish
