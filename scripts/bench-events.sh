#!/usr/bin/env bash
# Added cost per system call and per context switch with cputop attached (DESIGN.md §2).
# Usage: scripts/bench-events.sh [REPS] [CPUTOP...]   (as root; default build/cputop)
# Each repetition measures nothing attached, then each cputop binary given attached in turn
# (say an older build beside the new one), so that drift of this shared machine falls on all
# of them; the table shows medians and the added ns per event against nothing.
set -eu
cd "$(dirname "$0")/.."
make -s build/evbench build/cputop
reps=${1:-7}
shift || true
bins=("$@")
[ ${#bins[@]} -gt 0 ] || bins=(build/cputop)
ev=build/evbench
calls=3000000 trips=200000 cpu=$(($(nproc) - 1))
tmp=$(mktemp -d)
ct=
trap '[ -n "$ct" ] && kill $ct 2>/dev/null; rm -rf "$tmp"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Run cputop $1 in batch mode with a long delay until it has attached (its first line out).
attach() {
	"$1" -b -d 3600 -n 2 --top 1 >"$tmp/out" 2>&1 &
	ct=$!
	for _ in $(seq 200); do
		grep -q '^Source: eBPF' "$tmp/out" && return 0
		sleep 0.02
	done
	echo "$1 did not attach: $(cat "$tmp/out")" >&2
	exit 1
}

measure() {
	taskset -c "$cpu" $ev syscall $calls >>"$tmp/sys$1"
	$ev switch $trips "$cpu" >>"$tmp/sw$1"
}

for _ in $(seq "$reps"); do
	measure 0
	for i in "${!bins[@]}"; do
		attach "${bins[$i]}"
		measure $((i + 1))
		kill "$ct"
		wait "$ct" 2>/dev/null || true
		ct=
	done
done
s0=$(median <"$tmp/sys0") w0=$(median <"$tmp/sw0")
printf '%-32s %14s %14s\n' "median of $reps, ns (added)" "per syscall" "per switch"
printf '%-32s %14.1f %14.1f\n' "nothing attached" "$s0" "$w0"
for i in "${!bins[@]}"; do
	s=$(median <"$tmp/sys$((i + 1))") w=$(median <"$tmp/sw$((i + 1))")
	awk -v n="${bins[$i]}" -v s="$s" -v w="$w" -v s0="$s0" -v w0="$w0" 'BEGIN {
		printf "%-32s %6.1f (%+6.1f) %6.1f (%+6.1f)\n", n, s, s - s0, w, w - w0 }'
done
