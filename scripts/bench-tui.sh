#!/usr/bin/env bash
# The interactive view's CPU cost against batch mode's, measured side by side in one run (the
# machine is shared and noisy: never compare with a figure from another run). Both run for
# SECS at the same delay; the TUI draws into a 120x40 tmux pane, batch prints every row to
# /dev/null. CPU is each process's on-CPU time from /proc/PID/schedstat (ns, not ticks),
# after the first refresh so that loading the eBPF program is left out.
# Usage: scripts/bench-tui.sh [SECS] [DELAY]   (as root for the eBPF source)
set -eu
cd "$(dirname "$0")/.."
SECS=${1:-20}
DELAY=${2:-0.2}
CPUTOP=${CPUTOP:-build/cputop}
SOCK=cputop-bench-$$

run_ns() { cut -d' ' -f1 "/proc/$1/schedstat"; }

tmux -L "$SOCK" -f /dev/null new-session -d -s b -x 120 -y 40 \
	"env TERM=screen LANG=C.UTF-8 HOME=/nonexistent $CPUTOP -d $DELAY"
"$CPUTOP" -b -d "$DELAY" >/dev/null &
batch=$!
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; kill $batch 2>/dev/null' EXIT
sleep 1
tui=$(pgrep -n -f "^$CPUTOP -d $DELAY\$")
t0=$(run_ns "$tui") b0=$(run_ns "$batch")
sleep "$SECS"
t1=$(run_ns "$tui") b1=$(run_ns "$batch")
awk -v procs="$(ls -d /proc/[0-9]* | wc -l)" -v t=$((t1 - t0)) -v b=$((b1 - b0)) -v s="$SECS" -v d="$DELAY" 'BEGIN {
	n = s / d
	printf "%d refreshes each, -d %s, %s s, %d processes\n", n, d, s, procs
	printf "TUI (120x40)   %.3f ms CPU per refresh\n", t / 1e6 / n
	printf "batch -b       %.3f ms CPU per refresh\n", b / 1e6 / n
	printf "TUI / batch    %.2f\n", t / b
}'
