#!/usr/bin/env bash
# cputop under a fork storm, refreshing every 0.2 s: it keeps its pace, its memory and open
# descriptors stay flat after warm-up, and no exit is silently lost: the records delivered
# and those dropped add up to the exits the eBPF program saw. CHURN_SECS sets the length
# (15 s in make test; make soak runs it for minutes).
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT
SECS=${CHURN_SECS:-15}
DELAY=0.2

if ! bpf_available || ! command -v stress-ng >/dev/null; then
	for t in pace rss fds exits; do
		skip "$t" "eBPF or stress-ng unavailable"
	done
	finish
fi

# Snapshots for the storm and 2 s after it: the last ones are taken once exits have stopped.
n=$(awk -v s="$SECS" -v d="$DELAY" 'BEGIN { printf "%d", (s + 2) / d }')
# On an ASan build (make test SANITIZE=1), freed memory waits in a quarantine of 256 MB before
# reuse, so RSS climbs through the whole storm whatever cputop does; with 1 MB it is full
# within the warm-up and RSS measures cputop again. Ignored by a build without ASan.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1" \
	"$CPUTOP" -b -d $DELAY -n "$n" --format json --top 3 >"$tmp/out" 2>"$tmp/err" &
ct=$!
pids_to_kill+=("$ct")
wait_for_line "$tmp/out" '^\{' || exit 1
stress-ng --fork 2 --timeout "${SECS}s" --quiet >/dev/null 2>&1 &
pids_to_kill+=($!)
# RSS (kB) and open descriptors each second; the first 3 s are the warm-up. On a slow host
# the samples can outlast cputop's last snapshot: a sample of a cputop that has ended (no
# status, no RSS) is none.
for ((i = 0; i < SECS; i++)); do
	fds=$(ls /proc/$ct/fd 2>/dev/null | wc -l)
	rss=$(awk '/^VmRSS/ { print $2 }' /proc/$ct/status 2>/dev/null)
	[ -n "$rss" ] || break
	echo "$rss $fds"
	sleep 1
done >"$tmp/samples"
wait "$ct"
rc=$?

lines=$(grep -c '^{' "$tmp/out")
read -r seen delivered dropped < <(tail -1 "$tmp/out" |
	jq -r '"\(.source.exits_seen) \(.source.exits_delivered) \(.source.exits_dropped)"')
# Flat: after the first third (warm-up: buffers grow to the storm's peak), the last third's
# highest RSS is no more than 512 kB over the middle third's. A leak of a few dozen bytes an
# exit grows by that much in seconds here.
read -r rss0 rss1 < <(awk '{ r[NR] = $1 } END { t = int(NR / 3)
	for (i = t + 1; i <= 2 * t; i++) if (r[i] > m) m = r[i]
	for (i = 2 * t + 1; i <= NR; i++) if (r[i] > l) l = r[i]
	print m, l }' "$tmp/samples")
# Descriptors: a refresh opens files for a moment; a leak would raise the lowest count.
read -r fd0 fd1 < <(awk '{ f[NR] = $2 } END { t = int(NR / 3); a = b = 1e9
	for (i = t + 1; i <= 2 * t; i++) if (f[i] < a) a = f[i]
	for (i = 2 * t + 1; i <= NR; i++) if (f[i] < b) b = f[i]
	print a, b }' "$tmp/samples")
samples=$(wc -l <"$tmp/samples")
note "RSS kB and fds, each second ($samples samples): $(awk '{ printf "%s/%s ", $1, $2 }' "$tmp/samples")"
note "$SECS s of stress-ng --fork 2: $lines snapshots of $n, status $rc; exits seen $seen," \
	"delivered $delivered, dropped $dropped; RSS peak ${rss0} -> ${rss1} kB, fds $fd0 -> $fd1"
check "cputop keeps refreshing every $DELAY s through the storm (all $n snapshots, status 0)" \
	[ "$rc" = 0 -a "$lines" = "$n" ]
# At least four fifths of the samples: on a host too slow for that, the thirds are too short.
enough=$((samples >= SECS * 4 / 5))
check "RSS flat after warm-up: the last third's peak within 512 kB of the middle third's" \
	[ "$enough" = 1 -a -n "$rss0" -a "${rss1:-0}" -le "$((${rss0:-0} + 512))" ]
check "open descriptors flat after warm-up: the last third's fewest = the middle third's" \
	[ "$enough" = 1 -a -n "$fd0" -a "$fd0" = "$fd1" ]
check "no exit silently lost: delivered + dropped = seen once exits stop ($delivered + $dropped = $seen)" \
	[ "${seen:-0}" -gt 1000 -a "$((delivered + dropped))" = "$seen" ]
finish
