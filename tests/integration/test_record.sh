#!/usr/bin/env bash
# Recording and replay: a known workload (a spinner, 200 short-lived children, a 3-thread
# process) recorded live with --record beside JSON output, then replayed: the same JSON, the
# same exits; --begin and --end, a directory of daily files, appending, thinning; and what a
# crash leaves: kill -9 mid-write, a truncated file, flipped bits.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT
tests="replay-json-equal replay-lines replay-exits replay-threads replay-text-source
	replay-group replay-exit-log replay-into-itself replay-range replay-begin-between replay-begin-after-end replay-dir-name replay-dir dir-bad-aside dir-bad-new append-lines append-key
	kill9-reads kill9-frames truncated-reads truncated-told truncated-frames flipped-reads
	flipped-told flipped-equal thin-fewer thin-exits thin-time thin-replay-reads"
if ! bpf_available; then
	for t in $tests; do skip "$t" "eBPF unavailable (not root, no BTF, or load failed)"; done
	finish
fi

# The exits of command $2 in all the JSON lines of $1.
exits_of() { jq -r --arg c "$2" '.exits[] | select(.command == $c) | .pid' "$1" | wc -l; }

# 1. Live: JSON every 0.5 s and the recording, while the workloads run.
"$CPUTOP" -b -d 0.5 -n 12 --format json --record "$tmp/r.rec" >"$tmp/live.json" &
ct=$!
wait_for_line "$tmp/live.json" '^\{' || exit 1
"$WORKLOAD" spin 4 >/dev/null &
"$WORKLOAD" threads 2 3 >/dev/null &
"$WORKLOAD" burst 200 2 8 >"$tmp/burst"
wait "$ct"
wait

"$CPUTOP" --replay "$tmp/r.rec" --format json >"$tmp/replay.json" 2>"$tmp/replay.err"
live_n=$(wc -l <"$tmp/live.json")
rep_n=$(wc -l <"$tmp/replay.json")
note "live $live_n lines, replay $rep_n (the recording has the frame of the end too)"
# Every line the live run printed, the replay prints the same, byte for byte: what watching
# cost too, as the recorder's own CPU and its hooks' are in the recording.
check "replay: the JSON of each sample is what the live run printed, byte for byte" \
	cmp -s "$tmp/live.json" <(head -n "$live_n" "$tmp/replay.json")
check "replay: every sample, and the one of the end" [ "$rep_n" -eq $((live_n + 1)) ]
n=$(exits_of "$tmp/replay.json" ct-burst)
note "ct-burst exits replayed: $n"
check "replay: all 200 short-lived children's exits" [ "$n" -eq 200 ]
thr=$(jq -r '.rows[] | select(.command == "ct-threads") | .threads' "$tmp/replay.json" |
	sort -n | tail -1)
check "replay: the 3-thread process has its 3 threads" [ "$thr" = 3 ]

"$CPUTOP" --replay "$tmp/r.rec" -b -n 2 >"$tmp/replay.txt"
check "replay: the text output says it is a recording" \
	grep -q '^Source: recording of eBPF' "$tmp/replay.txt"
cnt=$("$CPUTOP" --replay "$tmp/r.rec" --group comm --format json |
	jq -r '.rows[] | select(.group == "ct-burst") | .count' | tail -1)
note "--group comm: ct-burst CNT $cnt"
check "replay --group comm: the children counted, as live" [ "${cnt:-0}" -ge 200 ]

# The exit log from the past: a line per process that exited, as live.
"$CPUTOP" --replay "$tmp/r.rec" --format none --exit-log "$tmp/exits.lp"
n=$(grep -c '^cputop_exit,comm=ct-burst,' "$tmp/exits.lp")
check "replay --exit-log: a line for each of the 200 children" [ "$n" -eq 200 ]

# Replayed into itself, a recording would read what it writes: refused.
"$CPUTOP" --replay "$tmp/r.rec" --record "$tmp/../${tmp##*/}/r.rec" --format none \
	2>"$tmp/self.err"
check "--replay X --record X: refused, and said" \
	[ $? -ne 0 -a "$(grep -c 'is what --replay reads' "$tmp/self.err")" = 1 ]

# 2. --begin and --end, to the nanosecond (@SECONDS.FRACTION): from the 5th sample to the 8th.
# jq reads numbers as doubles: the nanoseconds are taken as text.
ts_of() { grep -o '"timestamp_ns":[0-9]*' "$1" | cut -d: -f2; }
t5=$(ts_of "$tmp/live.json" | sed -n 5p)
t8=$(ts_of "$tmp/live.json" | sed -n 8p)
at() { printf '@%d.%09d' $(($1 / 1000000000)) $(($1 % 1000000000)); }
"$CPUTOP" --replay "$tmp/r.rec" --begin "$(at "$t5")" --end "$(at "$t8")" --format json \
	>"$tmp/range.json"
check "--begin and --end: the samples between, as they were live" cmp -s \
	"$tmp/range.json" <(sed -n 5,8p "$tmp/live.json")
# A time between two samples: the first one after it.
"$CPUTOP" --replay "$tmp/r.rec" --begin "$(at $((t5 - 1)))" -n 1 --format json >"$tmp/one.json"
check "--begin between two samples: the one after it" \
	[ "$(ts_of "$tmp/one.json")" = "$t5" ]
"$CPUTOP" --replay "$tmp/r.rec" --begin "$(at $((t8 + 1)))" --end "$(at "$t8")" \
	>/dev/null 2>"$tmp/none.err"
check "--begin after --end: refused, and said" grep -q 'is after --end' "$tmp/none.err"

# 3. A directory: a file a day, named by the date.
mkdir "$tmp/dir"
"$CPUTOP" -b -d 0.2 -n 3 --format none --record "$tmp/dir"
check "--record DIR: cputop-YYYYMMDD.rec" [ -s "$tmp/dir/cputop-$(date +%Y%m%d).rec" ]
n=$("$CPUTOP" --replay "$tmp/dir" --format json | wc -l)
check "--replay DIR: its samples" [ "$n" -eq 4 ]
# A day's file whose header a power cut lost: put aside, and the day goes on in a new one.
day=$tmp/dir/cputop-$(date +%Y%m%d).rec
head -c 4096 /dev/zero >"$day"
"$CPUTOP" -b -d 0.2 -n 2 --format none --record "$tmp/dir" 2>"$tmp/bad.err"
check "--record DIR: a day's file that is no recording is moved aside, said so" \
	[ -s "$day.bad" -a "$(cat "$tmp/bad.err")" = \
	  "cputop: --record: $day is no recording: moved to $day.bad" ]
check "--record DIR: the day goes on in a new file" \
	[ "$("$CPUTOP" --replay "$tmp/dir" --format json | wc -l)" -eq 3 ]

# 4. Appending to a file: a new run starts with a key frame, and since_start.
cp "$tmp/r.rec" "$tmp/a.rec"
"$CPUTOP" -b -d 0.2 -n 2 --format none --record "$tmp/a.rec"
"$CPUTOP" --replay "$tmp/a.rec" --format json >"$tmp/a.json"
check "append: the samples of both runs" [ "$(wc -l <"$tmp/a.json")" -eq $((rep_n + 3)) ]
check "append: the second run's first sample stands alone" \
	[ "$(jq -r '.since_start' "$tmp/a.json" | sed -n "$((rep_n + 1))p")" = true ]

# 5. kill -9 while recording every 50 ms: what was written reads back. Killed once the file
#    holds a dozen samples (well within 5 s), whatever its start took: the check below wants 10.
"$CPUTOP" -b -d 0.05 --format none --record "$tmp/k.rec" &
ct=$!
for _ in $(seq 50); do
	[ "$("$CPUTOP" --replay "$tmp/k.rec" --format json 2>/dev/null | wc -l)" -ge 12 ] && break
	sleep 0.1
done
kill -9 "$ct"
wait "$ct" 2>/dev/null
"$CPUTOP" --replay "$tmp/k.rec" --format json >"$tmp/k.json" 2>"$tmp/k.err"
rc=$?
n=$(wc -l <"$tmp/k.json")
note "kill -9: $n samples read back, rc $rc: $(cat "$tmp/k.err")"
check "kill -9: the recording reads" [ "$rc" -eq 0 ]
check "kill -9: its samples are there" [ "$n" -ge 10 ]

# 6. Truncated: the last frame cut short is torn, told, and the others read.
cp "$tmp/r.rec" "$tmp/t.rec"
truncate -s -50 "$tmp/t.rec"
"$CPUTOP" --replay "$tmp/t.rec" --format json >"$tmp/t.json" 2>"$tmp/t.err"
rc=$?
note "truncated: $(cat "$tmp/t.err")"
check "truncated: it reads" [ "$rc" -eq 0 ]
check "truncated: the torn frame is told" grep -q 'torn' "$tmp/t.err"
check "truncated: every frame before it" [ "$(wc -l <"$tmp/t.json")" -eq $((rep_n - 1)) ]

# 7. Flipped bits in the middle: the frames that read are the live ones, the rest told.
cp "$tmp/r.rec" "$tmp/f.rec"
size=$(stat -c %s "$tmp/f.rec")
printf '\xff\x00\xff\x00' | dd of="$tmp/f.rec" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
"$CPUTOP" --replay "$tmp/f.rec" --format json >"$tmp/f.json" 2>"$tmp/f.err"
rc=$?
note "flipped: $(wc -l <"$tmp/f.json") samples; $(cat "$tmp/f.err")"
check "flipped bits: it reads" [ "$rc" -eq 0 -a -s "$tmp/f.json" ]
check "flipped bits: the corrupt frame is told" grep -q 'corrupt' "$tmp/f.err"
# Each sample read back is one of the replay's whole one, its totals as they were (the first
# after a gap has a longer interval, so its rates differ: totals are compared).
totals() {
	jq -c '[.timestamp_ns,
		([.rows[] | select(.state != "X") | {pid, time_ns}] | sort_by(.pid))]' "$1"
}
check "flipped bits: the samples read are the live ones" \
	[ "$(totals "$tmp/f.json" | grep -cFxf <(totals "$tmp/replay.json"))" -eq \
	  "$(wc -l <"$tmp/f.json")" ]

# 8. Thinning: a sample every 2 s of samples every 0.5 s; every exit kept, the totals too.
cp "$tmp/r.rec" "$tmp/th.rec"
"$CPUTOP" --thin "$tmp/th.rec" --keep 2s --after 0s >"$tmp/th.out"
"$CPUTOP" --replay "$tmp/th.rec" --format json >"$tmp/th.json" 2>&1
note "thin: $(cat "$tmp/th.out")"
n=$(wc -l <"$tmp/th.json")
check "thin: fewer samples" [ "$n" -lt "$rep_n" -a "$n" -ge 2 ]
check "thin: every exit kept" [ "$(exits_of "$tmp/th.json" ct-burst)" -eq 200 ]
# The last sample is the same one: its live processes' totals (TIME+) are the recorder's (its
# exited ones are more: those of the samples left out).
check "thin: the last sample's totals unchanged" cmp -s <(totals "$tmp/replay.json" | tail -1) \
	<(totals "$tmp/th.json" | tail -1)
check "thin: the file reads as any recording" [ -s "$tmp/th.json" ]
finish
