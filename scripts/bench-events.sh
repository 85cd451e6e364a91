#!/usr/bin/env bash
# Added cost per system call and per context switch with cputop attached (DESIGN.md §2).
# Usage: scripts/bench-events.sh [REPS] [CPUTOP-ARGS...]   (as root, after make)
# Each repetition measures nothing attached and cputop attached back to back, so drift of
# this shared machine falls on both; the table shows medians and the added ns per event.
set -eu
cd "$(dirname "$0")/.."
reps=${1:-7}
shift || true
ev=build/evbench
cputop=${CPUTOP:-build/cputop}
calls=3000000 trips=200000 cpu=$(($(nproc) - 1))
tmp=$(mktemp -d)
trap 'kill $ct 2>/dev/null; rm -rf "$tmp"' EXIT
ct=

median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Start cputop in batch mode with a long delay and wait until it has attached (first line out).
attach() {
	"$cputop" -b -d 3600 -n 2 --top 1 "$@" >"$tmp/out" 2>&1 &
	ct=$!
	for _ in $(seq 200); do
		[ -s "$tmp/out" ] && return 0
		sleep 0.02
	done
	echo "cputop did not start: $(cat "$tmp/out")" >&2
	exit 1
}

for i in $(seq "$reps"); do
	taskset -c "$cpu" $ev syscall $calls >>"$tmp/sys0"
	$ev switch $trips "$cpu" >>"$tmp/sw0"
	attach "$@"
	taskset -c "$cpu" $ev syscall $calls >>"$tmp/sys1"
	$ev switch $trips "$cpu" >>"$tmp/sw1"
	kill "$ct"
	wait "$ct" 2>/dev/null || true
	ct=
done
s0=$(median <"$tmp/sys0") s1=$(median <"$tmp/sys1")
w0=$(median <"$tmp/sw0") w1=$(median <"$tmp/sw1")
printf '%-28s %12s %12s %10s %7s\n' "median of $reps, ns per" "nothing" "cputop" "added" "ratio"
awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%-28s %12.1f %12.1f %+10.1f %6.2fx\n", "syscall (getppid)", a, b, b - a, b / a }'
awk -v a="$w0" -v b="$w1" 'BEGIN { printf "%-28s %12.1f %12.1f %+10.1f %6.2fx\n", "context switch (ping-pong)", a, b, b - a, b / a }'
