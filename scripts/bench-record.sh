#!/usr/bin/env bash
# The recorder against atop, side by side in one run (make bench runs it; root):
#   size  1,000 idle processes and a 30 s fork storm, a sample a second for SECS (default
#         600): cputop --record's bytes per sample against `atop -w`'s raw file, same seconds;
#   cost  cputop's own CPU with --record against a second cputop without it, same run;
#   seek  a synthetic day (86,400 samples of 1,000 processes, written by the recorder):
#         jumping to a time (--begin, one sample out), and batch replay to JSON, samples/s.
# PARTS="size seek" (the default) picks the parts. --quick: SECS=60. Prints the figures;
# exits 1 when a goal is missed (size at most 1/4 of atop's, cost at most 0.5% of a CPU, seek
# under 50 ms, replay over 2,000 samples/s).
set -u
cd "$(dirname "$0")/.." || exit 1
CPUTOP=${CPUTOP:-build/cputop}
RECGEN=${RECGEN:-build/recgen}
SECS=${SECS:-600}
PARTS=${PARTS:-size seek}
[ "${1:-}" = --quick ] && SECS=60
tmp=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
missed=0
goal() { # NAME OK-CONDITION (awk)
	if awk "BEGIN { exit !($2) }"; then echo "  ok: $1"; else echo "  MISSED: $1"; missed=1; fi
}
if ! command -v atop >/dev/null; then
	echo "bench-record: atop is not installed (make bench-deps)"
	exit 1
fi

# CPU time of process $1 in seconds (utime + stime, proc(5) stat fields 14 and 15).
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($12 + $13) / hz }' \
	"/proc/$1/stat"; }

if [[ " $PARTS " == *" size "* ]]; then
	echo "== size and cost: 1,000 idle processes, a 30 s fork storm, ${SECS}s at 1 s"
	for i in $(seq 1000); do sleep 100000 & pids+=($!); done
	"$CPUTOP" --format none -d 1 --record "$tmp/c.rec" & rec=$!
	"$CPUTOP" --format none -d 1 & plain=$!
	atop -w "$tmp/atop.raw" 1 >/dev/null 2>&1 & at=$!
	pids+=("$rec" "$plain" "$at")
	sleep $((SECS / 4))
	if ! stress-ng --fork 2 --timeout 30s >/dev/null 2>&1; then
		echo "bench-record: stress-ng failed"
		exit 1
	fi
	sleep $((SECS - SECS / 4 - 30))
	c_rec=$(cpu_s "$rec") c_plain=$(cpu_s "$plain")
	kill -INT "$rec" "$plain"
	kill -TERM "$at"
	wait "$rec" "$plain" "$at" 2>/dev/null
	n=$("$CPUTOP" --replay "$tmp/c.rec" --format json 2>/dev/null | wc -l)
	exits=$("$CPUTOP" --replay "$tmp/c.rec" --format json 2>/dev/null |
		jq '.exits | length' | awk '{ s += $1 } END { print s }')
	c_bytes=$(($(stat -c %s "$tmp/c.rec") + $(stat -c %s "$tmp/c.rec.idx")))
	a_bytes=$(stat -c %s "$tmp/atop.raw")
	# atop's samples as atop reads them back: one CPU line each in its parseable output.
	a_n=$(atop -r "$tmp/atop.raw" -P CPU 2>/dev/null | grep -c '^CPU ')
	echo "  cputop: $c_bytes bytes, $n samples, $((c_bytes / n)) bytes a sample," \
		"$exits exits kept"
	echo "  atop -w: $a_bytes bytes, $a_n samples, $((a_bytes / a_n)) bytes a sample"
	ratio=$(awk -v c="$c_bytes" -v n="$n" -v a="$a_bytes" -v s="$a_n" \
		'BEGIN { printf "%.3f", (c / n) / (a / s) }')
	goal "bytes a sample, cputop/atop: $ratio (at most 0.25)" "$ratio <= 0.25"
	cost=$(awk -v r="$c_rec" -v p="$c_plain" -v s="$SECS" \
		'BEGIN { printf "%.3f", (r - p) / s * 100 }')
	echo "  cputop's CPU: ${c_rec}s with --record, ${c_plain}s without"
	goal "recording's cost: $cost% of a CPU (at most 0.5)" "$cost <= 0.5"
	kill "${pids[@]}" 2>/dev/null
	wait 2>/dev/null
	pids=()
fi
[[ " $PARTS " == *" seek "* ]] || exit $missed

echo "== seek and replay: a synthetic day, 86,400 samples of 1,000 processes"
"$RECGEN" "$tmp/day.rec" 86400 1000 || exit 1
echo "  $(($(stat -c %s "$tmp/day.rec") / 86400)) bytes a sample"
first=$(( $(date +%s) - 86400 ))
# ms for cputop to start, jump to @$1 and show one sample, as $2 (none: the jump alone).
jump_ms() {
	local t0
	t0=$(date +%s%N)
	"$CPUTOP" --replay "$tmp/day.rec" --begin "@$1" -n 1 --format "$2" >/dev/null || exit 1
	echo $((($(date +%s%N) - t0) / 1000000))
}
worst=0 worst_json=0
for at in 0.1 0.37 0.5 0.77 0.99; do
	t=$(awk -v f="$first" -v a="$at" 'BEGIN { printf "%d", f + a * 86400 }')
	ms=$(jump_ms "$t" none)
	[ "$ms" -gt "$worst" ] && worst=$ms
	ms=$(jump_ms "$t" json)
	[ "$ms" -gt "$worst_json" ] && worst_json=$ms
done
echo "  with the sample's 1,000 rows as JSON: at most $worst_json ms"
goal "a jump to a time, the whole run of cputop: at most ${worst} ms (under 50)" "$worst < 50"
# Every sample with its exits and its 10 busiest processes, as a summary would take them.
t0=$(date +%s%N)
n=$("$CPUTOP" --replay "$tmp/day.rec" --format json --top 10 | wc -l)
ms=$((($(date +%s%N) - t0) / 1000000))
rate=$(awk -v n="$n" -v ms="$ms" 'BEGIN { printf "%d", n / (ms / 1000) }')
goal "batch replay to JSON (--top 10): $n samples in $ms ms, $rate a second (over 2,000)" \
	"$rate > 2000"
# Every row of every sample: an hour of them.
t0=$(date +%s%N)
n=$("$CPUTOP" --replay "$tmp/day.rec" --format json --end "@$((first + 3600))" | wc -l)
ms=$((($(date +%s%N) - t0) / 1000000))
echo "  batch replay to JSON, all 1,000 rows: $n samples in $ms ms," \
	"$(awk -v n="$n" -v ms="$ms" 'BEGIN { printf "%d", n / (ms / 1000) }') a second"
exit $missed
