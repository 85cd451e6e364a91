#!/usr/bin/env bash
# CPU per cgroup with real cgroups: a v1 cpu cgroup with a CFS quota (this host's kind: the cpu
# controller on v1, v2 at /sys/fs/cgroup/unified), a v2 cgroup holding a spinner and a hundred
# short-lived children, and a process moved from one cgroup to another. Each test makes its
# cgroups under a name of its own and removes them, whatever happens.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
tmp=$(mktemp -d)
V2=${CGROUP_V2:-/sys/fs/cgroup/unified}
V1CPU=${CGROUP_V1_CPU:-/sys/fs/cgroup/cpu}
name=cputop-test-$$-$RANDOM
made=()

# Every cgroup made: its tasks killed, then removed, deepest first.
cg_cleanup() {
	local d i p
	for ((i = ${#made[@]} - 1; i >= 0; i--)); do
		d=${made[i]}
		[ -d "$d" ] || continue
		for p in $(cat "$d/cgroup.procs" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
		for p in $(seq 50); do rmdir "$d" 2>/dev/null && break; sleep 0.1; done
		[ -d "$d" ] && echo "# could not remove $d"
	done
}
trap 'cleanup; cg_cleanup; rm -rf "$tmp"' EXIT

cg_make() { mkdir "$1" && made+=("$1"); }

if ! bpf_available || [ ! -w "$V2/cgroup.procs" ]; then
	for t in v1-quota v1-no-quota v2-children v2-psi move; do
		skip "$t" "needs root, eBPF and cgroup v2 at $V2"
	done
	finish
fi

# The group row of cgroup path $2 in each JSON snapshot of $1 after the first: one line each,
# "cpu_pct cpu_limit throttled_pct count time_ns" ("-" for a member it has not).
group_rows() {
	jq -r --arg g "$2" 'select(.since_start | not) | [.rows[] | select(.group == $g)] |
		if length == 0 then "none" else .[0] |
		"\(.cpu_pct) \(.cpu_limit // "-") \(.throttled_pct // "-") \(.count) \(.time_ns)"
		end' "$1"
}

# 1. A v1 cpu cgroup with a quota of 0.2 CPU, at the same path in v2 (as systemd makes a
#    unit's): its spinner gets 20% of a CPU, and the kernel throttles it every interval.
if [ -w "$V1CPU/cpu.cfs_quota_us" ]; then
	cg_make "$V2/$name-q" && cg_make "$V1CPU/$name-q" || exit 1
	echo 100000 >"$V1CPU/$name-q/cpu.cfs_period_us"
	echo 20000 >"$V1CPU/$name-q/cpu.cfs_quota_us"
	bash -c "echo \$\$ >$V2/$name-q/cgroup.procs && echo \$\$ >$V1CPU/$name-q/cgroup.procs &&
		exec $WORKLOAD spin 30" >"$tmp/spin-q" &
	pids_to_kill+=($!)
	wait_for_line "$tmp/spin-q" '^ready' || exit 1
	# 2 s intervals: a 1 s one may hold 9 or 11 of the quota's 20 ms slices, not 10. The text
	# view's run goes on beside it: the quota, not the host, holds the spinner to its 20%.
	"$CPUTOP" -b -d 0.5 -n 2 --group cgroup >"$tmp/q.txt" &
	ct=$!
	"$CPUTOP" -b -d 2 -n 3 --group cgroup --format json >"$tmp/q.json"
	wait "$ct"
	group_rows "$tmp/q.json" "/$name-q" >"$tmp/q.rows"
	note "cpu_pct limit thr_pct count time_ns: $(tr '\n' ';' <"$tmp/q.rows")"
	check "v1 quota 0.2: %CPU 20 +- 2, LIMIT 0.2, THR% > 50 in every interval" \
		awk 'NF != 5 || $1 < 18 || $1 > 22 || $2 != 0.2 || $3 <= 50 { bad = 1 }
		     END { exit bad || NR < 2 }' "$tmp/q.rows"
	check "the text view shows LIMIT 0.20 in the cgroup's row" \
		grep -qE "^ +1 .* 0\.20 .* /$name-q\$" "$tmp/q.txt"

	# 2. The same spinner without a quota: not throttled, its CPU its own.
	echo -1 >"$V1CPU/$name-q/cpu.cfs_quota_us"
	"$CPUTOP" -b -d 0.5 -n 3 --group cgroup --format json >"$tmp/nq.json"
	group_rows "$tmp/nq.json" "/$name-q" >"$tmp/nq.rows"
	note "without the quota: $(tr '\n' ';' <"$tmp/nq.rows")"
	# Well above the quota it had: how far above is the host's load's to say, not cputop's.
	check "v1 without quota: no LIMIT, THR% 0, %CPU > 30" \
		awk 'NF != 5 || $1 < 30 || $2 != "-" || $3 != 0 { bad = 1 }
		     END { exit bad || NR < 2 }' "$tmp/nq.rows"
else
	skip v1-quota "no v1 cpu hierarchy at $V1CPU"
	skip v1-no-quota "no v1 cpu hierarchy at $V1CPU"
fi

# 3. A v2 cgroup: a spinner (2.5 s: tasks in the cgroup over several intervals) and a burst of
#    100 children living ~10 ms each, all under one shell whose times(1) says what they used
#    (getrusage). The group's TIME+ holds every member that ran since cputop started, exited
#    ones included, and CNT counts them: the shell, the spinner, the burst's parent and its
#    100 children.
cg_make "$V2/$name-b" || exit 1
"$CPUTOP" -b -d 0.5 -n 10 --group cgroup --format json >"$tmp/b.json" &
ct=$!
sleep 0.8
bash -c "echo \$\$ >$V2/$name-b/cgroup.procs && { $WORKLOAD spin 2.5 >/dev/null &
	$WORKLOAD burst 100 10 2 >/dev/null; wait; times; }" >"$tmp/times"
wait "$ct"
used=$(awk '{ for (i = 1; i <= 2; i++) { split($i, t, "m"); sub("s", "", t[2]);
	s += t[1] * 60 + t[2] } } END { printf "%.3f", s }' "$tmp/times")
read -r pct lim thr cnt time_ns < <(group_rows "$tmp/b.json" "/$name-b" | tail -1)
note "getrusage (times) ${used} s; the cgroup's row: TIME+ ${time_ns} ns, CNT $cnt"
check "v2 cgroup: TIME+ within 5% of getrusage" \
	fcmp "${time_ns:-0} / 1e9 >= 0.95 * $used && ${time_ns:-0} / 1e9 <= 1.05 * $used"
check "v2 cgroup: CNT 103 (shell, spinner, burst parent, 100 children)" [ "${cnt:-0}" = 103 ]

# 4. Its pressure: each interval's share is the kernel's totals' advance over the interval,
#    and the totals are the file's, between what it said before cputop started and after.
jq -r --arg g "/$name-b" 'select(.since_start | not) | .interval_ns as $iv |
	[.rows[] | select(.group == $g)][0] |
	select(.psi_some_total_us != null) | "\($iv) \(.psi_some_pct) \(.psi_some_total_us)"' \
	"$tmp/b.json" >"$tmp/psi"
note "$(wc -l <"$tmp/psi") intervals with the cgroup's pressure (its tasks alive at both ends)"
check "v2 cgroup: PSI% is 100 * the total's advance / the interval, every interval" \
	awk 'NR > 1 { want = 1e5 * ($3 - t) / $1; d = $2 - want
		      if (d > 0.01 || d < -0.01) bad = 1 } { t = $3 }
	     END { exit bad || NR < 3 }' "$tmp/psi"
file_total=$(awk '/^some/ { sub("total=", "", $5); print $5 }' "$V2/$name-b/cpu.pressure")
last_total=$(tail -1 "$tmp/psi" | awk '{ print $3 }')
note "cpu.pressure some total now ${file_total} us, cputop's last ${last_total} us"
check "v2 cgroup: its pressure total is the file's" \
	fcmp "${last_total:-0} > 0 && ${last_total:-0} <= ${file_total:-0}"

# 5. A spinner moved from one cgroup to another: charged to the new one from the move on (a
#    share well above nothing, as much as the host's load leaves it).
cg_make "$V2/$name-from" && cg_make "$V2/$name-to" || exit 1
bash -c "echo \$\$ >$V2/$name-from/cgroup.procs && exec $WORKLOAD spin 30" >"$tmp/mv" &
pids_to_kill+=($!)
wait_for_line "$tmp/mv" '^ready' || exit 1
mover=$(awk '/^ready/ { print $2 }' "$tmp/mv")
"$CPUTOP" -b -d 0.5 -n 7 --group cgroup --format json >"$tmp/mv.json" &
ct=$!
# Its first snapshot after the eBPF program loads, then 0.5 s intervals: the move in the third.
wait_for_line "$tmp/mv.json" since_start || exit 1
sleep 1.2
echo "$mover" >"$V2/$name-to/cgroup.procs"
wait "$ct"
group_rows "$tmp/mv.json" "/$name-from" | awk '{ print $1 }' >"$tmp/from"
group_rows "$tmp/mv.json" "/$name-to" | awk '{ print $1 }' >"$tmp/to"
note "from: $(tr '\n' ' ' <"$tmp/from"); to: $(tr '\n' ' ' <"$tmp/to")"
check "moved: before the move the old cgroup has it, after it only the new one" \
	awk 'NR == FNR { from[FNR] = $1; next } { to[FNR] = $1 }
	     END { exit !(from[1] > 30 && from[2] > 30 && to[1] == "none" && to[2] == "none" &&
			  (from[5] == "none" || from[5] == 0) && to[5] > 30 && to[6] > 30) }' \
	"$tmp/from" "$tmp/to"
finish
