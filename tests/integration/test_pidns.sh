#!/usr/bin/env bash
# cputop inside a PID namespace (a container's): tasks are named by their numbers there, as its
# /proc and kill(2) name them; tasks outside it, their exits included, are not reported; and a
# PID reused there (forced with ns_last_pid) never merges two processes.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh

echo "1..8"
if ! bpf_available || ! unshare --pid --fork --mount-proc true 2>/dev/null; then
	for i in $(seq 8); do skip "PID namespace test $i" "needs root, eBPF and unshare(1)"; done
	finish
fi
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT

# Outside the namespace, meanwhile: 200 exits of "true", between two Unix times.
(sleep 1; date +%s%N >"$tmp/host0"; for i in $(seq 200); do /bin/true; done
	date +%s%N >"$tmp/host1") &
host_burst=$!

# Inside: cputop, then A uses 300 ms of CPU and exits, B (20 ms, then sleeps) gets A's PID
# at once, in the same interval; then a process of three threads that spin 1 s and end.
# cputop goes on for two more refreshes, then SIGTERM ends it (status 0).
export CPUTOP WORKLOAD tmp
unshare --pid --fork --mount-proc bash -c '
	"$CPUTOP" -b -d 0.3 --format json >"$tmp/ns.json" 2>"$tmp/ns.err" &
	echo "cputop $!" >"$tmp/ids"
	sleep 0.8
	"$WORKLOAD" cpu 300 >"$tmp/a.out"
	a=$(awk "/^ready/ { print \$2 }" "$tmp/a.out")
	echo $((a - 1)) >/proc/sys/kernel/ns_last_pid
	"$WORKLOAD" fixed 20 >"$tmp/b.out" &
	b=$!
	echo "a $a" >>"$tmp/ids"
	echo "b $b" >>"$tmp/ids"
	sleep 1
	times >"$tmp/times0"
	"$WORKLOAD" threads 3 1 >"$tmp/t.out"
	times >"$tmp/times1"
	echo "threads $(awk "/^ready/ { print \$2 }" "$tmp/t.out")" >>"$tmp/ids"
	sleep 0.7
	kill -TERM %1
	wait %1
	echo "status $?" >>"$tmp/ids"
	kill $b
' >"$tmp/ns.out" 2>&1
wait "$host_burst"
jqe() { jq -e "$@" >/dev/null; }
id_of() { awk -v k="$1" '$1 == k { print $2 }' "$tmp/ids"; }
cp=$(id_of cputop) a=$(id_of a) b=$(id_of b) th=$(id_of threads)
snaps=$(jq -s length "$tmp/ns.json")
note "in the namespace: cputop $cp (status $(id_of status), $snaps snapshots), A $a, B $b," \
	"threads $th"
ran() {
	[ "$(id_of status)" = 0 ] && [ "$snaps" -ge 8 ] && [ ! -s "$tmp/ns.err" ] &&
		[ "$(jq -r .source.kind "$tmp/ns.json" | sort -u)" = ebpf ]
}
check "cputop ran in the namespace on eBPF until SIGTERM: status 0, nothing on stderr" ran
[ -s "$tmp/ns.err" ] && note "stderr: $(head -c 200 "$tmp/ns.err")"

# Every row and exit carries the namespace's numbers: its shell is 1, cputop is what $! said.
check "rows are named by the namespace's PIDs: pid 1 is its shell, cputop is $cp" \
	jqe -s --argjson cp "${cp:-0}" 'all(.[]; any(.rows[]; .pid == 1 and .ppid == 0) and
		any(.rows[]; .pid == $cp and .command == "cputop"))' "$tmp/ns.json"
check "no exit from outside: none of the host's 200 'true' while cputop watched" \
	jqe -s --argjson t0 "$(cat "$tmp/host0")" --argjson t1 "$(cat "$tmp/host1")" \
	'first.timestamp_ns < $t0 and last.timestamp_ns > $t1 and
		all(.[]; all(.exits[]; .command != "true"))' "$tmp/ns.json"
seen=$(jq -s 'last.source.exits_seen // -1' "$tmp/ns.json")
got=$(jq -s '[.[].exits[]] | length' "$tmp/ns.json")
delivered=$(jq -s '[.[].source.exits_delivered // -1] | max' "$tmp/ns.json")
dropped=$(jq -s 'last.source.exits_dropped // -1' "$tmp/ns.json")
note "exits: the program saw $seen tasks end in the namespace (200 more outside), delivered" \
	"$delivered, dropped $dropped; $got process records"
exits_ok() {
	[ "$((delivered + dropped))" = "$seen" ] && [ "$got" -ge 4 ] && [ "$seen" -lt 60 ]
}
check "the exits seen are the namespace's only, and every one was delivered" exits_ok

# PID reuse: A's exit record and B's row share the PID and never a figure.
check "ns_last_pid gave B the PID of A ($a)" [ -n "$a" -a "$a" = "$b" ]
a_cpu=$(jq -s --argjson p "${a:-0}" \
	'[.[].exits[] | select(.pid == $p and .command == "ct-cpu") | .cpu_ns] | add // 0' \
	"$tmp/ns.json")
a_start=$(jq -s --argjson p "${a:-0}" \
	'[.[].exits[] | select(.pid == $p) | .start_ns] | first // 0' "$tmp/ns.json")
b_rows='[.[].rows[] | select(.pid == $p and .command == "ct-fixed")]'
b_time=$(jq -s --argjson p "${b:-0}" "$b_rows | map(.time_ns) | max // 0" "$tmp/ns.json")
b_starts=$(jq -s --argjson p "${b:-0}" "$b_rows | map(.start_ns) | unique | length" \
	"$tmp/ns.json")
note "A: one exit record, ${a_cpu} ns of CPU; B: ${b_time} ns at most, rows of $b_starts start time(s)"
check "A's exit record holds its 300 ms (250-450 ms)" \
	fcmp "$a_cpu >= 250e6 && $a_cpu <= 450e6"
b_start=$(jq -s --argjson p "${b:-0}" "$b_rows | first.start_ns" "$tmp/ns.json")
b_alone() { [ "$b_starts" = 1 ] && [ "$b_start" != "$a_start" ] && fcmp "$b_time > 0 && $b_time < 150e6"; }
check "B is a process of its own: one start time, not A's, and its 20 ms, not A's 300" b_alone

# Threads end unhashed: their time comes home under the namespace's number of the process.
t_cpu=$(jq -s --argjson p "${th:-0}" \
	'[.[].exits[] | select(.pid == $p and .command == "ct-threads") | .cpu_ns] | add // 0' \
	"$tmp/ns.json")
# What the shell's children used, from times(1) before and after: the threads process's CPU.
children() { awk 'NR == 2 { gsub(/[ms]/, " "); print ($1 + $3) * 60 + $2 + $4 }' "$1"; }
t_want=$(awk -v a="$(children "$tmp/times0")" -v b="$(children "$tmp/times1")" \
	'BEGIN { print b - a }')
note "threads process $th: exit record with ${t_cpu} ns of CPU; its parent's times: ${t_want} s"
check "a process of 3 spinning threads exits under its namespace PID, with its time (times(1) ±5%)" \
	fcmp "$t_want > 0.3 && $t_cpu >= $t_want * 0.95e9 - 20e6 && $t_cpu <= $t_want * 1.05e9 + 20e6"
finish
