#!/usr/bin/env bash
# Golden output: `cputop -b` on the recorded /proc trees, in text, JSON and CSV, compared byte
# for byte with tests/golden/expected/CASE.{txt,json,csv}. It pins the batch output before a
# refactor that must not change it. `tests/golden/test_golden.sh --update` rewrites the
# expected files from this build's output (read the diff before committing it). Every run
# must also exit 0 with nothing on stderr.
#
# A tree read with --proc-root has its own clock (its uptime file), so every figure is fixed
# but for these, which normalise() replaces with a placeholder:
# - the wall clock: the text header's HH:MM:SS, JSON "timestamp_ns" and "exit_timestamp_ns",
#   CSV's first column; a value more than an hour from now is left as it is, so that a wrong
#   clock still shows in the diff;
# - cputop's own CPU time: JSON "cost":{"cpu_ns", "cpu_pct"} (a null stays null) and the
#   figure of the text "Cost:" line.
# Every case passes --sys-root (an empty tree unless the case is about the metrics): without
# it JSON's metrics would read this machine's /sys (cpufreq, hwmon, thermal zones).
#
# The "moving" cases have a tree that changes between their two snapshots. They run together
# in the background with -d MOVING_DELAY, and once a run's first snapshot is out its tree gets
# tests/fixtures/proc-tree-next copied over it (proc-tree 2 s later: a process, a zombie and a
# thread gone, a process new, the CPUs, metrics and interrupts moved on), so that the second
# snapshot has a 2 s interval and rates. Should a tree change less than half a second before
# its second snapshot (a machine far too slow), those cases are skipped, not failed.
#
# USER comes from this machine's passwd by the owner of /proc/PID, so the trees are copied to
# a temporary directory and given known owners: uid 0 (root) everywhere, and in proc-tree
# uid 65534 (nobody) for PID 20 and a uid without a name, 4000000, for PID 21. That takes
# root; without it, or where those uids are named otherwise, every case is skipped.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
EXPECTED=tests/golden/expected
FX=tests/fixtures
UPDATE=0
[ "${1:-}" = --update ] && UPDATE=1
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT

MOVING_DELAY=3
ALL_FIELDS=PID,USER,S,THR,%CPU,%USR,%SYS,SYSC,VCSW,ICSW,WAIT%,MAXW,IOW%,MIGR,TIME+,COMMAND
ALL_FIELDS=$ALL_FIELDS,CNT,CREDITS,IPC
CG_FIELDS=PID,%CPU,LIMIT,THR%,PSI%,UNIT,CONTAINER,CGROUP,COMMAND

# NAME|FORMATS|TREE|ARGS: `cputop -b --format F --proc-root TREE --sys-root SYS ARGS` for each
# format F of FORMATS (txt is text). The trees are made by make_trees below.
CASES=(
	# proc-basic: a two-thread process (a thread name with ')'), a task without schedstat
	# (figures from the ticks, no WAIT%), an unreadable task, a task dir missing
	"basic-default|txt json csv|basic|-n 1"
	"basic-two-snapshots|txt json csv|basic|-n 2 -d 0.1"
	"basic-threads|txt|basic|-n 1 -H"
	# proc-tree: three levels under PID 1 and kthreadd's under 2, every state (R S D T Z I),
	# a three-thread process with the time of exited threads, two cc1 and two sh (one a
	# zombie of another user), three owners: root, nobody and a uid without a name
	"tree-default|txt json csv|tree|-n 1"
	"tree-threads|txt json|tree|-n 1 -H"
	"tree-group-comm|txt json csv|tree|-n 1 --group comm"
	"tree-group-user|txt json csv|tree|-n 1 --group user"
	"tree-view|txt json|tree|-n 1 --tree"
	"tree-view-filter|txt|tree|-n 1 --tree --filter cc1"
	"tree-fields-all|txt|tree|-n 1 --fields $ALL_FIELDS"
	"tree-group-comm-fields-all|txt|tree|-n 1 --group comm --fields $ALL_FIELDS"
	"tree-fields-some|txt|tree|-n 1 --fields COMMAND,PID,TIME+,WAIT%,CNT"
	"tree-sort-time-desc|txt csv|tree|-n 1 -o +TIME+"
	"tree-sort-command-asc|txt json|tree|-n 1 -o -COMMAND"
	"tree-sort-user-asc|txt|tree|-n 1 -o -USER"
	"tree-sort-pid|txt|tree|-n 1 -o PID"
	"tree-sort-wait-threads|txt|tree|-n 1 -H -o WAIT% --fields PID,WAIT%,COMMAND"
	"tree-cpus|txt json|tree|-n 1 --cpus"
	"tree-filter|txt csv|tree|-n 1 --filter WORK"
	"tree-pids|txt json|tree|-n 1 -p 13,30,999"
	"tree-user-root|txt csv|tree|-n 1 -u root"
	"tree-user-nameless|txt json|tree|-n 1 -H -u 4000000"
	"tree-top2|txt json csv|tree|-n 1 --top 2"
	"tree-group-user-top1|txt|tree|-n 1 --group user --top 1 -o -CNT"
	# proc-tree, then proc-tree-next: intervals, a process gone and one new, rates
	"moving-default|txt json csv|moving|-n 2 -d $MOVING_DELAY"
	"moving-threads|txt csv|moving|-n 2 -d $MOVING_DELAY -H"
	"moving-group-comm|txt json csv|moving|-n 2 -d $MOVING_DELAY --group comm"
	"moving-group-user|txt|moving|-n 2 -d $MOVING_DELAY --group user"
	"moving-tree|txt|moving|-n 2 -d $MOVING_DELAY --tree"
	"moving-fields-all|txt|moving|-n 2 -d $MOVING_DELAY --fields $ALL_FIELDS"
	"moving-cpus|txt json|moving|-n 2 -d $MOVING_DELAY --cpus"
	# proc-hostile: names with control bytes, invalid UTF-8, ')' and spaces; broken tasks
	"hostile|txt json csv|hostile|-n 2 -d 0.1"
	"hostile-threads|txt json csv|hostile|-n 1 -H"
	"hostile-group-comm|txt csv|hostile|-n 1 --group comm"
	"hostile-tree-fields-all|txt|hostile|-n 1 --tree --fields $ALL_FIELDS"
	# proc-basic with /proc/interrupts and softirqs (tests/fixtures/irqs/x86-2cpu)
	"irqs-cpus|txt json|irqs|-n 1 --cpus"
	# proc-basic with the metrics collectors' /proc files and --sys-root of the same fixture
	"metrics-full|json|metrics-full|-n 2 -d 0.1"
	"metrics-bare|json|metrics-bare|-n 1"
	"metrics-broken|json|metrics-broken|-n 1"
	"metrics-renamed-lo|json|metrics-renamed-lo|-n 1"
	# proc-basic with one system file damaged, as test_hostile.sh does: unavailable figures
	"damaged-stat-cut|txt json|stat-cut|-n 2 -d 0.1 --cpus"
	"damaged-meminfo-cut|txt json|meminfo-cut|-n 2 -d 0.1"
	"damaged-loadavg-empty|txt json|loadavg-empty|-n 1"
	"damaged-uptime-hostile|txt json csv|uptime-hostile|-n 2 -d 0.1"
	# cgroup-v2: a v2-only host's tree (systemd units, docker, kubepods, podman, a 0.5-CPU
	# limit, throttling, pressure). Sorted by path: group rows that tie on a figure would
	# otherwise come in the order of their ids, the fixture directories' inode numbers.
	"cgroup-columns|txt json csv|cgroup|-n 1 -o -CGROUP --fields $CG_FIELDS"
	"cgroup-group|txt json csv|cgroup|-n 1 -o -CGROUP --group cgroup"
	"cgroup-group-unit|txt json|cgroup|-n 1 -o -UNIT --group unit"
	"cgroup-group-container|txt|cgroup|-n 1 -o -CONTAINER --group container"
	"cgroup-group-depth|txt|cgroup|-n 1 -o -CGROUP --group cgroup --cgroup-depth 1"
	"cgroup-tree|txt json|cgroup|-n 1 -o -CGROUP --group cgroup --tree"
)

declare -A SYS	# tree -> its --sys-root
make_trees() {
	local t m
	mkdir -p "$tmp/trees" || return 1
	cp -R "$FX/proc-basic" "$tmp/trees/basic" &&
	cp -R "$FX/proc-hostile" "$tmp/trees/hostile" &&
	cp -R "$FX/proc-tree" "$tmp/trees/tree" &&
	cp -R "$FX/proc-basic" "$tmp/trees/irqs" &&
	cp "$FX/irqs/x86-2cpu/interrupts" "$FX/irqs/x86-2cpu/softirqs" "$tmp/trees/irqs/" || return 1
	for m in full bare broken renamed-lo; do
		cp -R "$FX/proc-basic" "$tmp/trees/metrics-$m" &&
		cp -R "$FX/metrics/$m/proc/." "$tmp/trees/metrics-$m/" || return 1
		SYS[metrics-$m]=$FX/metrics/$m/sys
	done
	# proc-tree with the metrics' /proc files and the interrupts, as proc-tree-next has them
	cp -R "$FX/proc-tree" "$tmp/trees/moving" &&
	cp -R "$FX/metrics/full/proc/." "$tmp/trees/moving/" &&
	cp "$FX/irqs/x86-2cpu/interrupts" "$FX/irqs/x86-2cpu/softirqs" "$tmp/trees/moving/" ||
		return 1
	SYS[moving]=$FX/metrics/full/sys
	cp -R "$FX/cgroup-v2/proc" "$tmp/trees/cgroup" || return 1
	SYS[cgroup]=$FX/cgroup-v2/sys
	for t in stat-cut meminfo-cut loadavg-empty uptime-hostile; do
		cp -R "$FX/proc-basic" "$tmp/trees/$t" || return 1
	done
	head -c 12 "$FX/proc-basic/stat" >"$tmp/trees/stat-cut/stat" &&
	printf 'MemTotal:       16384000 kB\nMemFr' >"$tmp/trees/meminfo-cut/meminfo" &&
	: >"$tmp/trees/loadavg-empty/loadavg" &&
	printf '\e[2J\xff\n%s\n\e]0;pwn\a\n' "$(cat "$FX/proc-basic/uptime")" \
		>"$tmp/trees/uptime-hostile/uptime" || return 1
	chown -R 0:0 "$tmp/trees" &&
	chown -R 65534 "$tmp/trees/tree/20" "$tmp/trees/moving/20" &&
	chown -R 4000000 "$tmp/trees/tree/21" "$tmp/trees/moving/21"
}

# The trees, or in $reason why the cases cannot run here.
reason=
if [ "$(id -u)" != 0 ]; then
	reason="needs root to give the tree copies known owners"
elif [ "$(getent passwd 0 | cut -d: -f1)" != root ]; then
	reason="uid 0 is not named root here"
elif [ "$(getent passwd 65534 | cut -d: -f1)" != nobody ]; then
	reason="uid 65534 is not named nobody here"
elif getent passwd 4000000 >/dev/null; then
	reason="uid 4000000 has a name here"
elif ! make_trees; then
	reason="cannot make the tree copies in $tmp"
fi

# normalise FORMAT < output > normalised output (see the top of this file).
normalise() {
	LC_ALL=C awk -v fmt="$1" -v now="$(date +%s)" '
	# Whether ns value v is a wall-clock time within an hour of now.
	function wall(v) { return v / 1e9 > now - 3600 && v / 1e9 < now + 3600 }
	# Replace the numbers of JSON member "key" (a null is no number) by "<what>": all of them
	# when kind is "any", those that pass wall() when "wall", those below a minute ("cpu").
	function member(line, key, kind, what,    out, s, v, n) {
		out = ""
		n = length(key) + 3
		while (match(line, "\"" key "\":-?[0-9][0-9.eE+-]*")) {
			s = substr(line, RSTART, RLENGTH)
			v = substr(s, n + 1) + 0
			if (kind == "any" || (kind == "wall" && wall(v)) || (kind == "cpu" && v < 6e10))
				s = "\"" key "\":\"<" what ">\""
			out = out substr(line, 1, RSTART - 1) s
			line = substr(line, RSTART + RLENGTH)
		}
		return out line
	}
	fmt == "txt" {
		sub(/^cputop - [0-9][0-9]:[0-9][0-9]:[0-9][0-9] up /, "cputop - HH:MM:SS up ")
		sub(/^Cost: cputop [0-9]+\.[0-9][0-9]% CPU/, "Cost: cputop N.NN% CPU")
	}
	fmt == "json" {
		$0 = member($0, "timestamp_ns", "wall", "wall clock")
		$0 = member($0, "exit_timestamp_ns", "wall", "wall clock")
		# The members of "cost", which starts with them.
		if (match($0, /"cost":\{"cpu_ns":[0-9]+,"cpu_pct":[^,]*,/)) {
			at = RSTART
			len = RLENGTH
			s = substr($0, at, len)
			s = member(s, "cpu_ns", "cpu", "cputop cpu")
			s = member(s, "cpu_pct", "any", "cputop cpu")
			$0 = substr($0, 1, at - 1) s substr($0, at + len)
		}
	}
	fmt == "csv" && NR > 1 && match($0, /^[0-9]+,/) && wall(substr($0, 1, RLENGTH - 1) + 0) {
		$0 = "<wall clock>" substr($0, RLENGTH)
	}
	{ print }'
}

# Print the difference between expected file $1 and output $2, as TAP comments. JSON is a
# line a snapshot: the diff of the pretty-printed objects is the readable one, when they
# parse and it shows something. jq rewrites numbers, so a difference in their digits alone
# shows only in the raw diff, which comes then with where its lines first differ.
show_diff() {
	local d at line col
	if [[ $1 == *.json ]]; then
		d=$(diff -u <(jq . "$1" 2>/dev/null) <(jq . "$2" 2>/dev/null))
		if [ -n "$d" ] && jq . "$1" >/dev/null 2>&1 && jq . "$2" >/dev/null 2>&1; then
			echo "# pretty-printed by jq:"
			head -n 80 <<<"$d" | sed 's/^/# /'
			return
		fi
		# "FILE1 FILE2 differ: byte B, line L": the column is B less the bytes before L.
		at=$(cmp "$1" "$2" 2>/dev/null | sed -n 's/.*byte \([0-9]*\), line \([0-9]*\).*/\1 \2/p')
		if [ -n "$at" ]; then
			read -r col line <<<"$at"
			col=$((col - $(head -n $((line - 1)) "$1" | wc -c)))
			echo "# line $line first differs at byte $col:"
			for f in "$1" "$2"; do
				sed -n "${line}p" "$f" | cut -b "$((col > 60 ? col - 60 : 1))-$((col + 60))" |
					sed 's/^/#   /'
			done
		fi
	fi
	diff -u "$1" "$2" | head -n 80 | sed 's/^/# /'
}

# run CASE FORMAT TREE ARGS: cputop's output, status and stderr in $tmp/run/CASE.{out,rc,err}.
run() {
	local format=$2
	[ "$format" = txt ] && format=text
	# shellcheck disable=SC2086
	timeout 60 "$CPUTOP" -b --format "$format" --proc-root "$tmp/trees/$3" \
		--sys-root "${SYS[$3]:-$FX/metrics/empty/sys}" $4 >"$tmp/run/$1.out" 2>"$tmp/run/$1.err"
	echo $? >"$tmp/run/$1.rc"
}

# Microseconds on the wall clock, in REPLY (bash's EPOCHREALTIME; no process started).
now_us() { REPLY=${EPOCHREALTIME//[!0-9]/}; }

# The moving cases: each on its own copy of the tree, all at once, then the tree changed
# under each once its first snapshot is out, the sooner the better: its second read is
# MOVING_DELAY seconds after its start.
moving_reason=$reason
[ -z "$reason" ] && [ -z "${EPOCHREALTIME:-}" ] && moving_reason="bash has no EPOCHREALTIME"
if [ -z "$moving_reason" ]; then
	mkdir -p "$tmp/run"
	moving=()
	declare -A started
	for c in "${CASES[@]}"; do
		IFS='|' read -r name fmts tree args <<<"$c"
		[ "$tree" = moving ] || continue
		for fmt in $fmts; do
			cp -a "$tmp/trees/moving" "$tmp/trees/moving-$name.$fmt" || exit 1
			SYS[moving-$name.$fmt]=${SYS[moving]}
			moving+=("$name.$fmt")
		done
	done
	for c in "${CASES[@]}"; do
		IFS='|' read -r name fmts tree args <<<"$c"
		[ "$tree" = moving ] || continue
		for fmt in $fmts; do
			now_us
			started[$name.$fmt]=$REPLY
			run "$name.$fmt" "$fmt" "moving-$name.$fmt" "$args" &
			pids_to_kill+=($!)
		done
	done
	# The least time left between a tree's change and its second read, in ms.
	margin=$((MOVING_DELAY * 1000))
	for m in "${moving[@]}"; do
		for _ in $(seq 200); do
			[ -s "$tmp/run/$m.out" ] || [ -e "$tmp/run/$m.rc" ] && break
			sleep 0.05
		done
		cp -R "$FX/proc-tree-next/." "$tmp/trees/moving-$m/" &&
			rm -rf "$tmp/trees/moving-$m/"{14,21,30/task/31}
		now_us
		left=$(((started[$m] - REPLY) / 1000 + MOVING_DELAY * 1000))
		[ "$left" -lt "$margin" ] && margin=$left
	done
	note "the moving trees changed ${margin} ms or more before their second snapshot"
	[ "$margin" -ge 500 ] ||
		moving_reason="a tree changed only ${margin} ms before its second snapshot: too near"
fi

# The other cases, one after the other, while the moving ones sleep to their second snapshot;
# then those are waited for.
mkdir -p "$EXPECTED" "$tmp/run"
if [ -z "$reason" ]; then
	for c in "${CASES[@]}"; do
		IFS='|' read -r name fmts tree args <<<"$c"
		[ "$tree" = moving ] && continue
		for fmt in $fmts; do run "$name.$fmt" "$fmt" "$tree" "$args"; done
	done
fi
wait

declare -A known
for c in "${CASES[@]}"; do
	IFS='|' read -r name fmts tree args <<<"$c"
	for fmt in $fmts; do
		case_name="$name.$fmt"
		want=$EXPECTED/$case_name
		known[$case_name]=1
		why=$reason
		[ "$tree" = moving ] && why=$moving_reason
		if [ -n "$why" ]; then
			skip "$case_name" "$why"
			continue
		fi
		normalise "$fmt" <"$tmp/run/$case_name.out" >"$tmp/got"
		rc=$(cat "$tmp/run/$case_name.rc")
		if [ "$rc" != 0 ] || [ -s "$tmp/run/$case_name.err" ]; then
			not_ok "$case_name"
			note "cputop $args: status $rc$([ "$rc" = 124 ] && echo ', timed out')"
			sed 's/^/# stderr: /' "$tmp/run/$case_name.err"
		elif [ "$UPDATE" = 1 ]; then
			if cmp -s "$tmp/got" "$want"; then
				ok "$case_name"
			else
				cp "$tmp/got" "$want"
				ok "$case_name"
				note "$want rewritten"
			fi
		elif [ ! -e "$want" ]; then
			not_ok "$case_name"
			note "no $want (--update makes it)"
		elif cmp -s "$want" "$tmp/got"; then
			ok "$case_name"
		else
			not_ok "$case_name"
			note "differs from $want (- expected, + got):"
			show_diff "$want" "$tmp/got"
		fi
	done
done

# An expected file that no case makes is a case renamed or removed without its file.
stale=()
for f in "$EXPECTED"/*; do
	[ -e "$f" ] || continue
	[ -n "${known[$(basename "$f")]:-}" ] || stale+=("$f")
done
if [ "${#stale[@]}" = 0 ]; then
	ok "every expected file belongs to a case"
else
	not_ok "every expected file belongs to a case"
	printf '# no case for %s\n' "${stale[@]}"
fi
exit "$tap_failed"
