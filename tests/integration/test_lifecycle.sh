#!/usr/bin/env bash
# Signals end cputop cleanly, at any moment, and no eBPF program or link outlives it.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT

names='on_switch|on_sys_enter|on_sys_exit|dump_task'
# cputop's programs loaded now (by name; bpftool truncates names to 15 characters).
ours() { bpftool prog show 2>/dev/null | grep -cE "name ($names) "; }
ours_links() {
	local ids
	ids=$(bpftool prog show 2>/dev/null | awk -v re="^($names)\$" '$4 ~ re { sub(":", "", $1); print $1 }')
	[ -z "$ids" ] && { echo 0; return; }
	bpftool link show 2>/dev/null | grep -cwE "prog ($(echo $ids | tr ' ' '|'))"
}

if ! bpf_available || ! command -v bpftool >/dev/null; then
	for t in sigterm sigint sighup random-sigterm sigkill; do
		skip "$t" "eBPF unavailable (not root, no BTF, or no bpftool)"
	done
	finish
fi
# Programs are freed after an RCU grace period: give the kernel a moment to show it.
gone() {
	local i
	for i in $(seq 30); do [ "$(ours)" = 0 ] && return 0; sleep 0.1; done
	return 1
}
check "no cputop program is loaded before the test" gone

# Running: attached once its first snapshot is out (the iterator gives it).
for sig in TERM INT HUP; do
	"$CPUTOP" -b -d 0.2 >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	wait_for_line "$tmp/out" '^cputop - '
	loaded=$(ours)
	links=$(ours_links)
	kill -"$sig" "$pid"
	wait "$pid"
	rc=$?
	note "SIG$sig: $loaded programs and $links links while running; exit $rc"
	check "SIG$sig ends cputop with status 0 and no message" [ "$rc" = 0 -a ! -s "$tmp/err" ]
	check "SIG$sig: while running 4 programs and 4 links (3 tracepoints, 1 iterator); after, none" \
		eval '[ "$loaded" = 4 ] && [ "$links" = 4 ] && gone'
done

# SIGTERM at random moments of a fast loop: inside a refresh as often as between two.
bad=0
for i in $(seq 10); do
	"$CPUTOP" -b -d 0.01 >/dev/null 2>"$tmp/err" &
	pid=$!
	sleep "0.$((RANDOM % 400 + 200))"
	kill -TERM "$pid"
	wait "$pid" || bad=1
	[ -s "$tmp/err" ] && bad=1
done
check "SIGTERM at 10 random moments of a 10 ms loop: status 0 each time, nothing left" \
	eval '[ "$bad" = 0 ] && gone'

# Even SIGKILL leaves nothing: programs and links live only as long as cputop's descriptors.
"$CPUTOP" -b -d 0.2 >"$tmp/out" &
pid=$!
wait_for_line "$tmp/out" '^cputop - '
kill -KILL "$pid"
wait "$pid" 2>/dev/null
check "SIGKILL: the kernel frees programs and links with the process" gone
finish
