#!/usr/bin/env bash
# Per-program views and machine-readable output against a workload that forks a tree of
# short-lived processes: --group comm|user, the exit log, --tree, and the JSON and CSV formats.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT
tests="group-header group-cnt group-time group-cpu-sum group-credits group-threads
	group-user-text group-json-cnt group-json-time group-json-cpu-sum exit-log-append
	exit-log-once exit-log-tags exit-log-fields exit-log-parent exit-log-stdout exit-log-escape
	exit-log-threads exit-log-leader-first exit-log-no-bpf json-parse json-fields json-integers
	json-values
	json-group-comm json-group-user json-threads tree-text tree-json-depth tree-json-order
	csv-header csv-fields csv-values csv-quoting csv-rows-filtered csv-rows-all csv-empty-cells
	exit-log-sigterm"
if ! bpf_available; then
	for t in $tests; do skip "$t" "eBPF unavailable (not root, no BTF, or load failed)"; done
	finish
fi

# The tree: N children over SECS seconds, every other one with a grandchild, each using MS ms
# of CPU and living far less than the 0.5 s refresh: most start and exit between two.
N=30 MS=25 SECS=3

# "DESCENDANTS CPU_S" of tree workload output $1: their count, and the CPU of all of them and
# the parent (getrusage RUSAGE_CHILDREN + RUSAGE_SELF) in seconds.
tree_used() {
	awk '/^children/ { n = $2; c = $3 } /^self/ { s = $2 }
		END { printf "%d %.4f\n", n, (c + s) / 1e9 }' "$1"
}

# with_tree WL_OUT OUT ARGS... [-- OUT ARGS...]...: run cputop with each ARGS, output to its
# OUT, side by side in the background: one workload, watched by each (the checks of one output
# need nothing of the others, and the figures are the kernel's whoever reads them). Once each
# has printed its first snapshot, run the tree workload with output to WL_OUT, then wait for
# them. Sets T0 and T1, the wall-clock ns around the workload. Then a process with a spinning
# thread besides its main one, whose CPU (user + sys, as the shell's time says) goes to
# WL_OUT.threads.
with_tree() {
	local TIMEFORMAT='%U %S' wl_out=$1 cts=() outs=() args o
	shift
	while [ $# -gt 0 ]; do
		o=$1 args=()
		shift
		while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
		[ $# -gt 0 ] && shift
		"$CPUTOP" "${args[@]}" >"$o" &
		cts+=($!) outs+=("$o")
	done
	for o in "${outs[@]}"; do
		wait_for_line "$o" '^(cputop - |\{)' || { kill "${cts[@]}"; return 1; }
	done
	T0=$(wall_ns)
	"$WORKLOAD" tree "$N" "$MS" "$SECS" >"$wl_out"
	T1=$(wall_ns)
	{ time "$WORKLOAD" threads 1 0.8 >/dev/null; } 2>"$wl_out.threads"
	wait "${cts[@]}"
}

# 1. --group comm, text: the group of the tree counts the parent and every descendant, short
#    lived or not, and its TIME+ holds all of their CPU (what getrusage says they used).
#    The tree runs once, for this and for 2. below, watched by their two cputops at once; the
#    exit log goes to a file that has a line already.
echo 'cputop_test_marker n=1i 1' >"$tmp/exits"
with_tree "$tmp/w1" "$tmp/g1" -b -d 0.5 -n 12 --group comm -- \
	"$tmp/g2" -b -d 0.5 -n 12 --group comm --format json --exit-log "$tmp/exits" || exit 1
read -r desc used < <(tree_used "$tmp/w1")
last=$(iterations_of "$tmp/g1")
hdr=$(header_of "$tmp/g1" "$last")
note "group header: $hdr"
check "--group comm: the header is CNT USER THR %CPU %USR %SYS TIME+ CREDITS COMMAND" \
	[ "$hdr" = "CNT USER THR %CPU %USR %SYS TIME+ CREDITS COMMAND" ]
cnt=$(group_field_of "$tmp/g1" "$last" ct-tree CNT)
t=$(group_field_of "$tmp/g1" "$last" ct-tree TIME+)
cr=$(group_field_of "$tmp/g1" "$last" ct-tree CREDITS)
ts=$(time_s "${t:-0}")
sum=0
for it in $(seq 2 "$last"); do
	c=$(group_field_of "$tmp/g1" "$it" ct-tree %CPU)
	sum=$(awk -v s="$sum" -v c="${c:-0}" -v iv="$(interval_of "$tmp/g1" "$it")" \
		'BEGIN { printf "%.4f", s + c / 100 * iv }')
done
note "ct-tree: $desc descendants used $used s with the parent; last row CNT $cnt TIME+ $t" \
	"CREDITS $cr; %CPU x interval adds up to $sum s over $last iterations"
check "--group comm: CNT of the tree is its $((desc + 1)) processes" [ "${cnt:-0}" = $((desc + 1)) ]
check "--group comm: TIME+ of the tree within 10% of its getrusage() CPU" \
	fcmp "$used > 0.5 && $ts >= 0.9 * $used && $ts <= 1.1 * $used"
check "--group comm: %CPU x interval over the run within 10% of its getrusage() CPU" \
	fcmp "$sum >= 0.9 * $used && $sum <= 1.1 * $used"
check "--group comm: CREDITS = TIME+ / 60, with 3 decimals" \
	fcmp "\"${cr:-}\" ~ /^[0-9]+\.[0-9][0-9][0-9]$/ && \
		($cr - $ts / 60)^2 <= 0.00067^2"

#    A process with two threads: its group's TIME+ is their CPU, counted once.
t=$(group_field_of "$tmp/g1" "$last" ct-threads TIME+)
used=$(awk '{ print $1 + $2 }' "$tmp/w1.threads")
note "ct-threads (one spinning thread, 0.8 s): TIME+ $t, used $used s (time)"
check "--group comm: TIME+ of an exited two-thread process within 10% of its CPU" \
	fcmp "$used > 0.2 && $(time_s "${t:-0}") >= 0.9 * $used && \
		$(time_s "${t:-0}") <= 1.1 * $used"

#    --group user: USER is the key, no COMMAND column.
"$CPUTOP" -b -n 1 --group user >"$tmp/gu1"
hdr=$(header_of "$tmp/gu1" 1)
cnt=$(group_field_of "$tmp/gu1" 1 root CNT)
note "--group user header: $hdr; root's CNT $cnt"
check "--group user: header CNT USER THR %CPU %USR %SYS TIME+ CREDITS, a row for root" \
	[ "$hdr" = "CNT USER THR %CPU %USR %SYS TIME+ CREDITS" -a "${cnt:-0}" -gt 10 ]

# 2. The same in JSON, with the exit log to a file that had a line already: it is appended to.
read -r desc used < <(tree_used "$tmp/w1")
read -r cnt live time_ns credits < <(tail -n 1 "$tmp/g2" |
	jq -r '.rows[] | select(.group == "ct-tree") | "\(.count) \(.live) \(.time_ns) \(.credits)"')
sum=$(jq -s '[.[1:][] | .rows[] | select(.group == "ct-tree") | .cpu_ns] | add // 0' "$tmp/g2")
note "JSON ct-tree: count $cnt live $live time_ns $time_ns credits $credits; cpu_ns of the" \
	"intervals add up to $sum; getrusage $used s for $desc descendants and the parent"
check "--group comm --format json: count of the tree is its $((desc + 1)) processes, none live" \
	[ "${cnt:-0}" = $((desc + 1)) -a "${live:-1}" = 0 ]
check "--group comm --format json: time_ns within 10% of its getrusage() CPU" \
	fcmp "${time_ns:-0} >= 0.9e9 * $used && ${time_ns:-0} <= 1.1e9 * $used"
check "--group comm --format json: cpu_ns of the intervals add up to its CPU within 10%" \
	fcmp "$sum >= 0.9e9 * $used && $sum <= 1.1e9 * $used"

#    The exit log: one line per process of the tree, each once, with its own figures.
check "--exit-log FILE appends to the file" \
	[ "$(head -n 1 "$tmp/exits")" = 'cputop_test_marker n=1i 1' -a \
	  "$(wc -l <"$tmp/exits")" -gt "$N" ]
wl=$(awk '/^ready/ { print $2 }' "$tmp/w1")
self=$(awk '/^self/ { printf "%.4f", $2 / 1e9 }' "$tmp/w1")
declare -A want_ppid=([$wl]=$$) seen=() exit_ts=()
while read -r _ pid ppid; do want_ppid[$pid]=$ppid; done < <(grep '^pid ' "$tmp/w1")
# What the kernel counted for each descendant, exit included, in s: wait4() at its reaping
# gives its CPU and its reaped children's, whose own reapings are subtracted.
declare -A own_cpu
while read -r pid s; do own_cpu[$pid]=$s; done < <(awk '
	/^pid / { parent[$2] = $3 } /^reaped / { ns[$2] = $3 }
	END { for (p in ns) { v = ns[p]; for (c in ns) if (parent[c] == p) v -= ns[c]
		print p, v / 1e9 } }' "$tmp/w1")
grep '^cputop_exit,comm=ct-tree,' "$tmp/exits" >"$tmp/ct-exits"
note "exit log: $(wc -l <"$tmp/exits") lines, $(wc -l <"$tmp/ct-exits") of ct-tree; first:" \
	"$(head -n 1 "$tmp/ct-exits")"
# "PID PPID LIFETIME USER SYS AVG CREDITS TIMESTAMP" of each ct-tree line.
awk '{ n = split($2, f, ","); for (i = 1; i <= n; i++) { split(f[i], kv, "="); v[kv[1]] = kv[2] }
	sub(/i$/, "", v["pid"]); sub(/i$/, "", v["ppid"])
	print v["pid"], v["ppid"], v["lifetime_s"], v["user_s"], v["sys_s"], v["avg_cpu_pct"],
		v["credits"], $3 }' "$tmp/ct-exits" >"$tmp/ct-fields"
twice=0 stray=0
while read -r pid ppid _ _ _ _ _ ts; do
	[ -n "${seen[$pid]:-}" ] && twice=$((twice + 1))
	[ -z "${want_ppid[$pid]:-}" ] && stray=$((stray + 1))
	seen[$pid]=1 exit_ts[$pid]=$ts
done <"$tmp/ct-fields"
missing=0
for pid in "${!want_ppid[@]}"; do [ -z "${seen[$pid]:-}" ] && missing=$((missing + 1)); done
note "exit log: ${#want_ppid[@]} processes in the tree, $missing missing, $twice twice," \
	"$stray not of the tree"
check "--exit-log: exactly one line per process of the tree ($((desc + 1)))" \
	[ "$missing" = 0 -a "$twice" = 0 -a "$stray" = 0 -a "${#want_ppid[@]}" = $((desc + 1)) ]
# The cgroup tag: the one this test runs in, where the kernel has cgroup v2.
re='^cputop_exit,comm=ct-tree,user=root,cgroup=/[^ ]* pid=[0-9]+i,ppid=[0-9]+i,lifetime_s=[0-9.]+,'
re=$re'user_s=[0-9.]+,'
re=$re'sys_s=[0-9.]+,avg_cpu_pct=[0-9.]+,credits=[0-9.]+ [0-9]{19}$'
check "--exit-log: lines are 'cputop_exit,comm=ct-tree,user=root,cgroup=/.. pid=..i,... TS'" \
	[ "$(grep -cvE "$re" "$tmp/ct-exits")" = 0 -a -s "$tmp/ct-exits" ]
# Each descendant: its parent, a short life in the test's window, MS ms of CPU, averages and
# credits that follow from the figures shown, an exit before its parent's.
bad=0
while read -r pid ppid life usr sys avg cred ts; do
	[ "$pid" = "$wl" ] && continue
	why=
	[ "$ppid" = "${want_ppid[$pid]:-}" ] || why="$why ppid $ppid, want ${want_ppid[$pid]:-}"
	# Seconds at most, but a stalled VM (seen: 2.1 s) holds a 25 ms life up.
	fcmp "$life > 0 && $life < 5" || why="$why lifetime $life"
	# The kernel's count, not MS: a stalled VM charges the stall to the task that ran, and
	# the kernel counts it. Its burn is user time (a stall in one of its clock_gettime()
	# calls is sys time, and counts in its CPU clock too).
	own=${own_cpu[$pid]:-0}
	fcmp "$own >= 0.9 * $MS / 1000 && $usr + $sys >= 0.9 * $own - 0.002 && \
		$usr + $sys <= 1.1 * $own + 0.002" || why="$why cpu $usr + $sys, wait4() $own"
	fcmp "$usr >= 0.5 * $MS / 1000" || why="$why user $usr, its own CPU $own"
	fcmp "$avg > 0 && $avg <= 100.5" || why="$why avg_cpu_pct $avg"
	fcmp "$life > 0 && ($avg - 100 * ($usr + $sys) / $life)^2 <= \
		(100 * (0.001 + 0.0005 * ($usr + $sys) / $life) / $life + 0.01)^2" ||
		why="$why avg_cpu_pct $avg != 100 * ($usr + $sys) / $life"
	fcmp "($cred - ($usr + $sys) / 60)^2 <= (0.001 / 60 + 0.000001)^2" ||
		why="$why credits $cred != ($usr + $sys) / 60"
	fcmp "$ts >= $T0 && $ts <= $T1 + 5e7 && $ts - $life * 1e9 >= $T0 - 5e7" ||
		why="$why timestamp $ts outside $T0..$T1"
	fcmp "$ts <= ${exit_ts[$ppid]:-0} + 1e6" || why="$why exits after its parent"
	[ -n "$why" ] && { note "pid $pid (ppid $ppid, lifetime $life):$why"; bad=$((bad + 1)); }
done <"$tmp/ct-fields"
check "--exit-log: every descendant's ppid, lifetime, CPU, avg_cpu_pct, credits, timestamp" \
	[ "$bad" = 0 -a "$(wc -l <"$tmp/ct-fields")" -gt "$N" ]
read -r _ ppid life usr sys avg cred ts < <(awk -v p="$wl" '$1 == p' "$tmp/ct-fields")
note "parent $wl: ppid $ppid lifetime $life s, user $usr + sys $sys s (getrusage self $self s)," \
	"exit at $ts, test window $T0..$T1"
# getrusage() ran before its exit(), whose kernel time follows (a stall there, 20 ms, was
# seen); its children's second of CPU is far beyond that.
check "--exit-log: the parent's line has its own CPU only, its lifetime and its parent" \
	fcmp "\"$ppid\" == \"$$\" && ${life:-0} >= $SECS - 0.05 && ${life:-0} <= $SECS + 1.5 && \
		${usr:-1} + ${sys:-1} <= $self + 0.03 && ${usr:-1} + ${sys:-1} >= $self - 0.005 && \
		${ts:-0} >= $T0 && ${ts:-0} <= $T1 + 5e7"

#    --exit-log - in batch mode: the lines go to stdout with the snapshots, tag values
#    escaped and sanitised (a control byte or invalid UTF-8 becomes ?, an empty name ?).
names=($'e\e[1m x,y=z' $'u\xffv' $'caf\xc3\xa9' '')
tags=('e?[1m\ x\,y\=z' 'u?v' $'caf\xc3\xa9' '?')
"$CPUTOP" -b -d 0.5 -n 10 --exit-log - >"$tmp/x2" &
ct=$!
wait_for_line "$tmp/x2" '^cputop - ' || exit 1
TIMEFORMAT='%U %S'
{ time "$WORKLOAD" threads 3 0.6 >"$tmp/thr"; } 2>"$tmp/thr.time"
thr=$(awk '/^ready/ { print $2 }' "$tmp/thr")
{ time "$WORKLOAD" leadfirst 2 0.6 >"$tmp/lead"; } 2>"$tmp/lead.time"
lead=$(awk '/^ready/ { print $2 }' "$tmp/lead")
name_pids=()
for nm in "${names[@]}"; do
	start_workload "$tmp/nm" name "$nm" 0.3 || exit 1
	name_pids+=("$WL_PID")
done
"$WORKLOAD" tree 6 10 1 >"$tmp/w3"
wait "$ct"
read -r desc3 _ < <(tree_used "$tmp/w3")
lines=$(grep -c '^cputop_exit,comm=ct-tree,user=root,cgroup=' "$tmp/x2")
uniq=$(grep '^cputop_exit,comm=ct-tree,user=root,cgroup=' "$tmp/x2" | grep -oE ' pid=[0-9]+i' |
	sort -u | wc -l)
note "--exit-log -: $lines ct-tree lines ($uniq pids) for $((desc3 + 1)) processes," \
	"$(iterations_of "$tmp/x2") snapshots"
check "--exit-log - in batch mode writes the lines to stdout, among the snapshots" \
	[ "$lines" = $((desc3 + 1)) -a "$uniq" = "$lines" -a "$(iterations_of "$tmp/x2")" = 10 ]
bad=0
for i in "${!names[@]}"; do
	l=$(grep -F " pid=${name_pids[$i]}i," "$tmp/x2" | grep '^cputop_exit,')
	[[ $l != "cputop_exit,comm=${tags[$i]},user=root,cgroup="*" pid=${name_pids[$i]}i,"* ]] && {
		note "name $(printf %q "${names[$i]}"): want comm=${tags[$i]}, got: $(printf %q "$l")"
		bad=1
	}
done
check "--exit-log: , = and space escaped in tags; control bytes, invalid UTF-8, empty names: ?" \
	[ "$bad" = 0 ]
#    A process of three spinning threads: one line when the last thread is gone, with the CPU
#    of all of them, as the shell's time measured it.
grep -F " pid=${thr}i," "$tmp/x2" | grep '^cputop_exit,' >"$tmp/thr.exit"
used=$(awk '{ print $1 + $2 }' "$tmp/thr.time")
note "3 threads, $used s of CPU (time): $(cat "$tmp/thr.exit")"
read -r life usr sys avg < <(awk '{ n = split($2, f, ",")
	for (i = 1; i <= n; i++) { split(f[i], kv, "="); v[kv[1]] = kv[2] }
	print v["lifetime_s"], v["user_s"], v["sys_s"], v["avg_cpu_pct"] }' "$tmp/thr.exit")
check "--exit-log: a process of 3 spinning threads is one line with all threads' CPU (+-10%)" \
	fcmp "$(wc -l <"$tmp/thr.exit") == 1 && ${life:-0} > 0.5 && $used > 0.2 && \
		${usr:-0} + ${sys:-0} >= 0.9 * $used - 0.01 && ${usr:-0} + ${sys:-0} <= 1.1 * $used + 0.01 && \
		(${avg:-0} - 100 * (${usr:-0} + ${sys:-0}) / ${life:-1})^2 < 1"
#    A leader that ends first (pthread_exit) waits as a zombie for its two threads: the last
#    one out carries the whole process, the leader's time included.
grep -F " pid=${lead}i," "$tmp/x2" | grep '^cputop_exit,' >"$tmp/lead.exit"
used=$(awk '{ print $1 + $2 }' "$tmp/lead.time")
read -r usr sys < <(awk '{ n = split($2, f, ",")
	for (i = 1; i <= n; i++) { split(f[i], kv, "="); v[kv[1]] = kv[2] }
	print v["user_s"], v["sys_s"] }' "$tmp/lead.exit")
note "leader first, $used s of CPU (time): $(cat "$tmp/lead.exit")"
check "--exit-log: a process whose leader ended first is one line with all its CPU (+-10%)" \
	fcmp "$(wc -l <"$tmp/lead.exit") == 1 && $used > 0.2 && \
		${usr:-0} + ${sys:-0} >= 0.9 * $used - 0.01 && ${usr:-0} + ${sys:-0} <= 1.1 * $used + 0.01"

#    Without the eBPF source there are no exit records: refused with status 1 and a message.
bad=0
for src in "--no-bpf" "--proc-root tests/fixtures/proc-basic"; do
	# shellcheck disable=SC2086
	"$CPUTOP" -b -n 1 $src --exit-log "$tmp/nb.log" >"$tmp/nb.out" 2>"$tmp/nb.err"
	rc=$?
	note "$src --exit-log: status $rc, stderr: $(head -c 150 "$tmp/nb.err")"
	[ "$rc" = 1 -a "$(wc -l <"$tmp/nb.err")" = 1 -a ! -s "$tmp/nb.out" ] || bad=1
	grep -qi 'exit.log' "$tmp/nb.err" && grep -qi 'bpf' "$tmp/nb.err" || bad=1
done
check "--exit-log without eBPF (--no-bpf, --proc-root): status 1, one line naming both" [ "$bad" = 0 ]

# 3. JSON: one object per line per iteration, every documented field, integers where
#    documented.
jq_checks='
def isint: type == "number" and floor == .;
def want(cond; what): if cond then empty else what end;
def ints(obj; keys; where): keys[] as $k |
	want(obj[$k] | isint; "\(where).\($k) is not an integer: \(obj[$k] | tojson)");
def nums(obj; keys; where): keys[] as $k |
	want(obj[$k] | type == "number"; "\(where).\($k) is not a number: \(obj[$k] | tojson)");
def counters: ["syscalls", "voluntary_switches", "involuntary_switches", "migrations",
	"wait_ns", "iowait_ns", "max_wait_ns"];
def procrow: "row \(.pid)" as $w |
	ints(.; ["pid", "ppid", "uid", "threads", "start_ns", "cpu_ns", "user_ns", "sys_ns",
		"time_ns"]; $w),
	(["user", "state", "command"][] as $k |
		want(.[$k] | type == "string"; "\($w).\($k) is not a string")),
	nums(.; ["cpu_pct", "user_pct", "sys_pct"]; $w),
	(. as $r | counters[] as $k |
		want($r[$k] == null or ($r[$k] | isint); "\($w).\($k): \($r[$k] | tojson)"));
def grouprow: "group \(.group)" as $w |
	want(.group | type == "string"; "group key is not a string: \(.group | tojson)"),
	ints(.; ["count", "live", "threads", "cpu_ns", "time_ns"]; $w),
	nums(.; ["credits"]; $w),
	want(.live <= .count; "\($w): live \(.live) > count \(.count)"),
	want(((.credits - .time_ns / 6e10) | fabs) <= 0.0005;
		"\($w): credits \(.credits), time_ns \(.time_ns)");
[
	ints(.; ["timestamp_ns", "monotonic_ns", "interval_ns", "uptime_ns"]; "top"),
	want(.since_start | type == "boolean"; "since_start: \(.since_start | tojson)"),
	want(.source.kind == "ebpf" or .source.kind == "proc"; "source.kind: \(.source.kind)"),
	want(.source.note | type == "string"; "source.note is not a string"),
	ints(.source; ["exits_dropped", "task_errors"]; "source"),
	nums(.load; ["1m", "5m", "15m"]; "load"),
	ints(.load; ["runnable", "threads"]; "load"),
	ints(.tasks; ["total", "running", "sleeping", "stopped", "zombie", "exited"]; "tasks"),
	nums(.cpu.all; ["user_pct", "guest_nice_pct"]; "cpu.all"),
	want([.cpu.cpus[]?.cpu] == [range($ncpu)]; "cpu.cpus[].cpu: \([.cpu.cpus[]?.cpu])"),
	(.cpu.cpus[]? as $c | nums($c; ["user_pct", "guest_nice_pct"]; "cpu.cpus[\($c.cpu)]")),
	ints(.memory; ["total_bytes", "used_bytes", "available_bytes", "free_bytes", "cached_bytes",
		"buffers_bytes", "swap_total_bytes", "swap_used_bytes", "swap_free_bytes",
		"hugepages_total", "hugepages_free", "hugepages_reserved", "hugepage_size_bytes"];
		"memory"),
	want(.metrics | type == "object"; "metrics is not an object"),
	(.metrics | objects | to_entries[] |
		want(.value.available | type == "boolean"; "metrics.\(.key).available"),
		want(.value.why == null or (.value.why | type == "string"); "metrics.\(.key).why")),
	want(.view == $view; "view is \(.view | tojson), not \($view)"),
	want(.rows | type == "array" and length > 0; "rows is empty or not an array"),
	(.rows[]? | if $view == "comm" or $view == "user" then grouprow else procrow end),
	(.rows[]? | select($view == "tree") | want(.depth | isint and . >= 0; "row \(.pid) depth")),
	want($view != "comm" and $view != "user" or
		([.rows[]?.group] | length == (unique | length)); "a group key twice")
] | .[]'
# Problems of JSON output $1 (view $2), one per line, each prefixed by its line number: a line
# that is not JSON, a field missing or of the wrong type, a documented integer written as a
# float (the text itself: jq would read 5.0 as 5).
int_keys='[a-z0-9_]*_ns|[a-z0-9_]*_bytes|pid|ppid|uid|count|live|depth|threads|syscalls'
int_keys=$int_keys'|voluntary_switches|involuntary_switches|migrations|hugepages_[a-z]+'
int_keys=$int_keys'|exits_dropped|task_errors|runnable'
# One jq and one grep for the whole file, not a few per line: this runs on 21 lines, and a jq
# started for each cost seconds.
json_problems() {
	{
		jq -R -n -r --argjson ncpu "$NCPU" --arg view "$2" "def problems: $jq_checks;"'
			foreach inputs as $line (0; . + 1; [., $line]) | .[0] as $n | .[1] as $line |
			($line | try fromjson catch null) as $o |
			if ($o | type) != "object" then "line \($n): not a JSON object: \($line[0:80])"
			else try ($o | problems) catch "the checks stopped: \(.)" |
				split("\n")[] | "line \($n): \(.)" end' "$1"
		grep -noE "\"($int_keys)\":[^,}]*" "$1" | grep -vE ':(-?[0-9]+|null)$' |
			sed -E 's/^([0-9]+):/line \1: written as a non-integer: /'
	} | sort -s -n -k 2
}
#    The runs of this section and the next (--tree) watch workloads of their own, read only their
#    own output and hold no figure to a rate: they run side by side, started here. The tree
#    workload is the next section's: a parent with a child and a grandchild that live on (and
#    some short-lived ones).
start_workload "$tmp/thr2" threads 2 3 || exit 1
thr2=$WL_PID
start_workload "$tmp/keep" tree 4 10 20 1 || exit 1
parent=$WL_PID
wait_for_line "$tmp/keep" '^keep ' || exit 1
read -r _ child grandchild < <(grep '^keep ' "$tmp/keep")
cts=()
T0=$(wall_ns)
"$CPUTOP" -b -d 0.5 -n 3 --format json >"$tmp/j1" &
cts+=($!)
"$CPUTOP" -b -d 0.5 -n 2 -H -p "$thr2" --format json >"$tmp/jh" &
cts+=($!)
"$CPUTOP" -b -d 0.5 -n 2 --group user --format json >"$tmp/gu" &
cts+=($!)
"$CPUTOP" -b -d 0.5 -n 2 --tree >"$tmp/t1" &
cts+=($!)
"$CPUTOP" -b -d 0.5 -n 2 --tree --format json >"$tmp/t2" &
cts+=($!)
wait "${cts[@]}"
T1=$(wall_ns)
kill "$thr2" 2>/dev/null
json_problems "$tmp/j1" processes >"$tmp/j1.bad"
head -n 5 "$tmp/j1.bad" | sed 's/^/# /'
check "--format json -n 3: three lines, each a JSON object" \
	[ "$(wc -l <"$tmp/j1")" = 3 -a "$(grep -c '^line .: not a JSON' "$tmp/j1.bad")" = 0 ]
check "--format json: every documented field, $NCPU per-CPU entries, process rows" \
	[ "$(grep -vc 'written as a non-integer: ' "$tmp/j1.bad")" = 0 ]
check "--format json: ns, bytes and counts are written as integers" \
	[ "$(grep -c 'written as a non-integer: ' "$tmp/j1.bad")" = 0 ]
#    The figures themselves: wall and monotonic clocks, the interval, uptime, memory.
read -r up _ </proc/uptime
mem=$(awk '/^MemTotal:/ { printf "%.0f", $2 * 1024 }' /proc/meminfo)
jq -r '[.timestamp_ns, .monotonic_ns, .interval_ns, .uptime_ns, .memory.total_bytes,
	.since_start, .source.kind] | map(tostring) | join(" ")' "$tmp/j1" >"$tmp/j1.vals"
note "JSON timestamp, monotonic, interval, uptime, MemTotal, since_start, source per line:"
sed 's/^/#   /' "$tmp/j1.vals"
check "--format json: wall and monotonic clocks, interval (0, then ~0.5 s), since_start, uptime, RAM" \
	awk -v t0="$T0" -v t1="$T1" -v up="$up" -v mem="$mem" '
		{ n++; first = (n == 1)
		  ok = $1 >= t0 && $1 <= t1 && $4 / 1e9 > up - 5 && $4 / 1e9 < up + 5 && $5 == mem
		  ok = ok && $6 == (first ? "true" : "false") && $7 == "ebpf"
		  ok = ok && (first ? $3 == 0 : $3 > 3e8 && $3 < 1.5e9 && $1 > ts && $2 > mono &&
			($2 - mono - $3)^2 < 1e12)
		  good += ok; ts = $1; mono = $2 }
		END { exit !(n == 3 && good == 3) }' "$tmp/j1.vals"

#    -H: one row per thread, view "threads".
json_problems "$tmp/jh" threads >"$tmp/jh.bad"
head -n 5 "$tmp/jh.bad" | sed 's/^/# /'
rows=$(tail -n 1 "$tmp/jh" | jq -c '[.rows[].pid]')
note "-H --format json of a process with 2 spinning threads: $rows"
check "-H --format json: view threads, one row per thread (3)" \
	[ ! -s "$tmp/jh.bad" -a "$(tail -n 1 "$tmp/jh" | jq '[.rows[].pid] | unique | length')" = 3 ]

#    Group rows: --group comm (the run above), --group user.
json_problems "$tmp/g2" comm >"$tmp/g2.bad"
head -n 5 "$tmp/g2.bad" | sed 's/^/# /'
check "--group comm --format json: view comm, rows of group, count, live, threads, ns, credits" \
	[ ! -s "$tmp/g2.bad" -a "$(wc -l <"$tmp/g2")" = 12 ]
json_problems "$tmp/gu" user >"$tmp/gu.bad"
head -n 5 "$tmp/gu.bad" | sed 's/^/# /'
root=$(tail -n 1 "$tmp/gu" | jq -r '.rows[] | select(.group == "root") | .count')
note "--group user: groups $(tail -n 1 "$tmp/gu" | jq -c '[.rows[].group]'), root's count $root"
check "--group user --format json: view user, one row per user, root's among them" \
	[ ! -s "$tmp/gu.bad" -a "${root:-0}" -gt 10 ]

# 4. --tree: a parent with a child and a grandchild that live on (and some short-lived ones),
#    run in the section above.
#    "LINE COLUMN" of the ct-tree row of PID $1 in the last iteration: where its name begins.
where() {
	awk -v pid="$1" -v want="$(iterations_of "$tmp/t1")" '/^cputop - / { it++; next }
		it == want && $1 == pid { print NR, index($0, "ct-tree") }' "$tmp/t1"
}
read -r lp cp < <(where "$parent")
read -r lc cc < <(where "$child")
read -r lg cg < <(where "$grandchild")
note "--tree: parent $parent on line ${lp:-?} name at column ${cp:-?}, child $child line ${lc:-?}" \
	"column ${cc:-?}, grandchild $grandchild line ${lg:-?} column ${cg:-?}"
awk -v want="$(iterations_of "$tmp/t1")" -v p="$parent|$child|$grandchild" '/^cputop - / { it++ }
	it == want && $1 ~ "^(" p ")$"' "$tmp/t1" | sed 's/^/#   /'
check "--tree: the child comes after its parent, indented, and the grandchild after it, further" \
	fcmp "${lp:-0} > 0 && ${lc:-0} > ${lp:-0} && ${lg:-0} > ${lc:-0} && ${cp:-0} > 0 &&
		${cc:-0} > ${cp:-0} && ${cg:-0} > ${cc:-0}"
json_problems "$tmp/t2" tree >"$tmp/t2.bad"
head -n 5 "$tmp/t2.bad" | sed 's/^/# /'
depths=$(tail -n 1 "$tmp/t2" | jq -r --argjson p "$parent" --argjson c "$child" --argjson g "$grandchild" \
	'[.rows[] | select(.pid == $p or .pid == $c or .pid == $g) | "\(.pid):\(.depth)"] | join(" ")')
note "--tree --format json: depths $depths"
nested=$(tail -n 1 "$tmp/t2" | jq --argjson p "$parent" --argjson c "$child" --argjson g "$grandchild" \
	'[.rows[] | select(.pid == $p or .pid == $c or .pid == $g)] |
		length == 3 and .[0].pid == $p and .[1].pid == $c and .[2].pid == $g and
		.[1].depth == .[0].depth + 1 and .[2].depth == .[0].depth + 2')
check "--tree --format json: rows have depth; the child's is its parent's + 1, grandchild's + 2" \
	[ ! -s "$tmp/t2.bad" -a "$nested" = true ]
#    All rows: each row of depth d > 0 follows its parent, the nearest row above of depth d - 1.
tail -n 1 "$tmp/t2" | jq -r '.rows as $r | range(1; $r | length) as $i | $r[$i] |
	select(.depth > 0) | . as $x |
	([$r[range($i - 1; -1; -1)] | select(.depth == $x.depth - 1)] | first) as $up |
	select($up == null or $up.pid != $x.ppid) |
	"pid \($x.pid) (ppid \($x.ppid), depth \($x.depth)) is under \($up.pid // "nothing")"' \
	>"$tmp/t2.order"
head -n 5 "$tmp/t2.order" | sed 's/^/# /'
check "--tree --format json: every row of depth d > 0 comes under its parent (depth d - 1)" \
	[ ! -s "$tmp/t2.order" -a "$(tail -n 1 "$tmp/t2" | jq '[.rows[] | select(.depth > 0)] | length')" -gt 0 ]

# 5. CSV: the documented header once, then one row per process per iteration; a name with a
#    comma and a quote is quoted RFC 4180 style.
header=timestamp_ns,pid,ppid,uid,user,state,threads,cpu_pct,user_pct,sys_pct,cpu_ns,user_ns,sys_ns
header=$header,time_ns,syscalls,voluntary_switches,involuntary_switches,migrations,wait_ns,iowait_ns
header=$header,max_wait_ns,command,cgroup,unit,container,cpu_limit,throttled_pct,nr_periods
header=$header,nr_throttled,throttled_ns,psi_some_pct,psi_full_pct
start_workload "$tmp/q" name 'a,b"c' 15 || exit 1
quoted=$WL_PID
#    The filtered run goes on beside the other, counted by it and in /proc before and after.
"$CPUTOP" -b -d 0.5 -n 3 --format csv -p "$quoted,$parent,$child" >"$tmp/c1" &
ct=$!
n_procs() { find /proc -maxdepth 1 -name '[0-9]*' | wc -l; }
before=$(n_procs)
"$CPUTOP" -b -d 0.5 -n 3 --format csv >"$tmp/c2"
after=$(n_procs)
wait "$ct"
check "--format csv: the first line is the documented header, and it appears once" \
	[ "$(head -n 1 "$tmp/c1")" = "$header" -a "$(grep -cxF "$header" "$tmp/c1")" = 1 \
	  -a "$(head -n 1 "$tmp/c2")" = "$header" -a "$(grep -cxF "$header" "$tmp/c2")" = 1 ]
csv_records "$tmp/c1" | tail -n +2 >"$tmp/c1.rec"
csv_records "$tmp/c2" | tail -n +2 >"$tmp/c2.rec"
cat "$tmp/c1.rec" "$tmp/c2.rec" | awk -F'\037' '/^!malformed/ || NF != 32' >"$tmp/c.bad"
head -n 3 "$tmp/c.bad" | sed 's/^/# /'
check "--format csv: every row is valid CSV with the header's 32 fields" \
	[ ! -s "$tmp/c.bad" -a -s "$tmp/c2.rec" ]
#    Integers where the header says ns or counts (counters may be empty), numbers for %.
cat "$tmp/c1.rec" "$tmp/c2.rec" | awk -F'\037' '{
	for (i = 1; i <= 21; i++) {
		v = $i
		if (i >= 15 && v == "") continue
		if (i == 5 || i == 6) { if (v == "") print "empty field " i ": " $0; continue }
		if (i >= 8 && i <= 10) { if (v !~ /^[0-9]+(\.[0-9]+)?$/) print "field " i ": " $0; continue }
		if (v !~ /^[0-9]+$/) print "field " i ": " $0
	} }' >"$tmp/c.vals"
head -n 3 "$tmp/c.vals" | sed 's/^/# /'
check "--format csv: ns and counts are integers, percentages numbers, user and state set" \
	[ ! -s "$tmp/c.vals" ]
line=$(grep -E "^[0-9]+,$quoted," "$tmp/c1" | head -n 1)
cmd=$(awk -F'\037' -v p="$quoted" '$2 == p { print $22; exit }' "$tmp/c1.rec")
note "the row of 'a,b\"c': $line"
check "--format csv: a name with a comma and a quote is quoted, the quote doubled" \
	eval '[[ $line == *",\"a,b\"\"c\",/"* && $cmd == "a,b\"c" ]]'
#    Rows per iteration: with -p, exactly the three processes each time; unfiltered, each
#    process once per iteration and about as many as /proc lists.
awk -F'\037' '{ n[$1]++; pids[$1] = pids[$1] " " $2 } END { for (t in n) print t, n[t], pids[t] }' \
	"$tmp/c1.rec" | sort -n >"$tmp/c1.per"
sed 's/^/#   /' "$tmp/c1.per"
jq_rows=$("$CPUTOP" -b -n 1 --format json -p "$quoted,$parent,$child" | jq '.rows | length')
check "--format csv -p (3 processes): 3 iterations of $jq_rows rows (as JSON), each process once" \
	awk -v all=" $quoted $parent $child " -v j="$jq_rows" '
		{ it++; ok += ($2 == j && j == 3 && NF == 5 && $3 != $4 && $4 != $5 && $3 != $5 &&
			index(all, " " $3 " ") && index(all, " " $4 " ") && index(all, " " $5 " ")) }
		END { exit !(it == 3 && ok == 3) }' "$tmp/c1.per"
awk -F'\037' '{ n[$1]++; if ($6 != "X") live[$1]++; if (seen[$1 " " $2]++) dup++ }
	END { for (t in n) print t, n[t], live[t] + 0, dup + 0 }' "$tmp/c2.rec" | sort -n >"$tmp/c2.per"
note "unfiltered CSV: timestamp rows live-rows duplicates: $(tr '\n' ';' <"$tmp/c2.per")" \
	"/proc lists $before then $after processes"
check "--format csv: rows of an iteration share a rising timestamp, each process once, all listed" \
	awk -v lo="$before" -v hi="$after" 'BEGIN { if (lo > hi) { t = lo; lo = hi; hi = t } }
		{ it++; ok += ($4 == 0 && $3 >= 0.8 * lo && $3 <= 1.2 * hi + 2) }
		END { exit !(it == 3 && ok == 3) }' "$tmp/c2.per"
#    Unavailable counters (shown "-" in the text table) are empty cells, not zeros.
cols=SYSC,VCSW,ICSW,MIGR,WAIT%,IOW%,MAXW
csv_of=(syscalls voluntary_switches involuntary_switches migrations wait_ns iowait_ns max_wait_ns)
"$CPUTOP" -b -n 2 -d 0.3 --no-bpf -p "$quoted" --fields "PID,$cols,COMMAND" >"$tmp/np.txt" &
ct=$!
"$CPUTOP" -b -n 2 -d 0.3 --no-bpf -p "$quoted" --format csv >"$tmp/np.csv"
wait "$ct"
IFS=, read -r -a names_csv < <(head -n 1 "$tmp/np.csv")
IFS=$'\037' read -r -a cells < <(csv_records "$tmp/np.csv" | tail -n 1)
bad=0 i=0 shown=
for col in ${cols//,/ }; do
	c=
	t=$(field_of "$tmp/np.txt" 2 "$quoted" "$col")
	for j in "${!names_csv[@]}"; do [ "${names_csv[$j]}" = "${csv_of[$i]}" ] && c=${cells[$j]:-}; done
	shown="$shown $col=${t:-?}/${csv_of[$i]}='$c'"
	{ [ "$t" = - ] && [ -n "$c" ]; } || { [ "$t" != - ] && [ -z "$c" ]; } && bad=1
	i=$((i + 1))
done
note "--no-bpf, text/CSV:$shown"
check "--format csv: counters unavailable (--no-bpf, '-' in the text) are empty cells" \
	[ "$bad" = 0 -a "${#cells[@]}" = 32 ]

# 5. Stopping cputop loses no exit: those drained since the last refresh go out on SIGTERM.
"$CPUTOP" -b -d 30 --top 1 --exit-log "$tmp/term.lp" >"$tmp/term.out" &
ct=$!
# Attached once the first snapshot is out.
wait_for_line "$tmp/term.out" '^cputop - ' || exit 1
"$WORKLOAD" burst 3 5 1 >/dev/null
# A parent's wait() returns before its child's last switch-out, where the record is made.
sleep 0.2
kill -TERM "$ct"
wait "$ct"
st=$?
n=$(grep -c '^cputop_exit,comm=ct-burst,' "$tmp/term.lp")
p=$(grep -c '^cputop_exit,comm=ct-burstparent,' "$tmp/term.lp")
note "SIGTERM 29 s before the next refresh: status $st, $n children and $p parent logged"
check "SIGTERM between refreshes: status 0, the 3 exits since the last refresh logged" \
	[ "$st" = 0 -a "$n" = 3 -a "$p" = 1 ]
finish
