#!/usr/bin/env bash
# The eBPF accounting against the kernel's own figures, with real workloads.
#
# ACCURACY_FORMS: the forms of the eBPF program to hold to them, one a line, each as the flags
# that choose it (test_accuracy_modes.sh passes "--no-syscalls" and "--bpf-storage hash"); the
# default, one form with no flag. Each workload runs once, watched by one cputop per form side
# by side: they read the same kernel figures, and each form's checks are its own, named with
# its flags when any are given.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT

forms=()
while IFS= read -r f; do forms+=("$f"); done <<<"${ACCURACY_FORMS:-}"
# The prefix of form $1's check names: "[FLAGS] ", or nothing for the default form.
label() { [ -z "${forms[$1]}" ] || echo "[${forms[$1]}] "; }

if ! bpf_available; then
	for i in "${!forms[@]}"; do
		for t in spinner-user dd-sys time-vs-schedstat exit-burst exit-rows exit-across \
			reconciliation; do
			skip "$(label "$i")$t" "eBPF unavailable (not root, no BTF, or load failed)"
		done
	done
	finish
fi
last_cpu=$((NCPU - 1))

# forms_start OUT ARGS...: cputop ARGS with each form's flags, in the background, each pinned
# to CPU $PIN if set, form N's output to OUT.N; their PIDs in CTS.
forms_start() {
	local out=$1 i
	shift
	CTS=()
	for i in "${!forms[@]}"; do
		# shellcheck disable=SC2086
		${PIN:+taskset -c "$PIN"} "$CPUTOP" ${forms[$i]} "$@" >"$out.$i" &
		CTS+=($!)
	done
}

# 1. A user-space spinner alone on its CPU (cputop on another one) never switches out:
#    the iterator must close its running stretch, so every interval shows it at 100% user.
#    On a virtual machine the hypervisor may steal part of that CPU: the kernel leaves stolen
#    time out of a task's run time, so the bar is 95% of what was not stolen (the st figure
#    is the average of all CPUs: the spinner's CPU may have had up to NCPU times as much).
start_workload "$tmp/spin" spin 7 "$last_cpu" || exit 1
PIN=0 forms_start "$tmp/b1" -b -d 0.5 -n 5 -p "$WL_PID"
wait "${CTS[@]}"
for f in "${!forms[@]}"; do
	bad=0
	for it in 2 3 4 5; do
		read -r pid user s thr cpu usr sys rest < <(rows_of "$tmp/b1.$f" "$it")
		st=$(steal_of "$tmp/b1.$f" "$it")
		note "$(label "$f")interval $it: pid $pid %CPU $cpu %USR $usr %SYS $sys (steal $st%)"
		fcmp "$cpu >= 95 * (100 - $NCPU * $st) / 100 && $usr >= 0.99 * $cpu" || bad=1
	done
	name="pinned spinner shows >= 95% CPU and >= 95% user in every interval after the first"
	check "$(label "$f")$name" [ "$bad" = 0 -a "$(iterations_of "$tmp/b1.$f")" = 5 ]
done
kill "$WL_PID" 2>/dev/null

# 2. Copying /dev/zero to /dev/null in large blocks is almost all kernel time.
dd if=/dev/zero of=/dev/null bs=4M 2>/dev/null &
dd_pid=$!
pids_to_kill+=($dd_pid)
sleep 0.2
forms_start "$tmp/b2" -b -d 0.5 -n 3 -p "$dd_pid"
wait "${CTS[@]}"
for f in "${!forms[@]}"; do
	bad=0
	for it in 2 3; do
		read -r pid user s thr cpu usr sys rest < <(rows_of "$tmp/b2.$f" "$it")
		note "$(label "$f")dd interval $it: %CPU $cpu %USR $usr %SYS $sys"
		fcmp "$cpu >= 50 && $sys >= 0.8 * $cpu" || bad=1
	done
	check "$(label "$f")dd from /dev/zero to /dev/null is >= 80% system time" [ "$bad" = 0 ]
done
kill "$dd_pid" 2>/dev/null

# 3. TIME+ against se.sum_exec_runtime: a task uses 1.5 s of CPU under cputop's eyes, stops,
#    and the two totals are compared while it sleeps.
forms_start "$tmp/b3" -b -d 0.5 -n 8
sleep 0.3
start_workload "$tmp/fixed" fixed 1500 || exit 1
while ! grep -q done "$tmp/fixed"; do sleep 0.05; done
wait "${CTS[@]}"
kernel=$(awk '{ printf "%.3f", $1 / 1e9 }' "/proc/$WL_PID/schedstat")
for f in "${!forms[@]}"; do
	shown=$(rows_of "$tmp/b3.$f" 8 | awk -v p="$WL_PID" '$1 == p { print $8 }')
	note "$(label "$f")TIME+ $shown, schedstat $kernel s"
	check "$(label "$f")TIME+ agrees with /proc/PID/schedstat within 2%" \
		fcmp "$(time_s "${shown:-0}") >= 0.98 * $kernel && $(time_s "${shown:-0}") <= 1.02 * $kernel"
done

# 4. Hundreds of processes living a few ms each, exiting between refreshes: the exited rows
#    carry the CPU they used; top, reading /proc at refresh time, sees almost none of it.
forms_start "$tmp/b4" -b -d 1 -n 5
top -b -d 1 -n 5 -w 200 >"$tmp/top4" 2>/dev/null &
tp=$!
sleep 1.3
"$WORKLOAD" burst 300 4 2 >"$tmp/burst"
wait "${CTS[@]}" "$tp"
real=$(awk '/^children_ns/ { printf "%.4f", $2 / 1e9 }' "$tmp/burst")
top_seen=$(awk '$NF == "ct-burst" { s += $9 / 100 } END { printf "%.4f", s }' "$tmp/top4")
for f in "${!forms[@]}"; do
	seen=0 exited=0
	for it in 2 3 4 5; do
		iv=$(interval_of "$tmp/b4.$f" "$it")
		s=$(rows_of "$tmp/b4.$f" "$it" | awk -v iv="$iv" '$9 == "ct-burst" { s += $5 / 100 * iv }
			END { printf "%.4f", s }')
		x=$(rows_of "$tmp/b4.$f" "$it" | awk '$9 == "ct-burst" && $3 == "X"' | wc -l)
		seen=$(awk -v a="$seen" -v b="$s" 'BEGIN { printf "%.4f", a + b }')
		exited=$((exited + x))
	done
	note "$(label "$f")children used $real s (getrusage); cputop shows $seen s in $exited" \
		"exited rows; top $top_seen s"
	check "$(label "$f")300 short-lived processes: shown CPU within 10% of what they used" \
		fcmp "$real > 0.5 && $seen >= 0.9 * $real && $seen <= 1.1 * $real"
	check "$(label "$f")each short-lived process is one exited row" \
		[ "$exited" -ge 290 -a "$exited" -le 300 ]
done

# 5. A process that lives across refreshes and then exits: each interval shows its share, and
#    the exit row only the last part, so the shares add up to the CPU it used.
PIN=0 forms_start "$tmp/b6" -b -d 1 -n 6
sleep 1.2
start_workload "$tmp/spin6" cpu 2500 "$last_cpu" || exit 1
wait "${CTS[@]}"
for f in "${!forms[@]}"; do
	sum=0 xrows=0
	for it in 2 3 4 5 6; do
		iv=$(interval_of "$tmp/b6.$f" "$it")
		s=$(rows_of "$tmp/b6.$f" "$it" | awk -v p="$WL_PID" -v iv="$iv" '$1 == p { s += $5 / 100 * iv }
			END { printf "%.4f", s }')
		x=$(rows_of "$tmp/b6.$f" "$it" | awk -v p="$WL_PID" '$1 == p && $3 == "X"' | wc -l)
		sum=$(awk -v a="$sum" -v b="$s" 'BEGIN { printf "%.4f", a + b }')
		xrows=$((xrows + x))
	done
	note "$(label "$f")2.5 s of CPU across refreshes: intervals add up to $sum s, $xrows exit row(s)"
	name="a process exiting after several refreshes: interval shares add up to its CPU (+-5%)"
	check "$(label "$f")$name" fcmp "$sum >= 2.5 * 0.95 && $sum <= 2.5 * 1.05 && $xrows == 1"
done

# 6. On a loaded machine the rows (live and exited) add up to the CPUs' busy time.
# /proc/stat samples at the tick: 2 s intervals give it 2 * HZ samples per CPU to be fair with.
for i in $(seq "$NCPU"); do start_workload "$tmp/load$i" spin 7 || exit 1; done
forms_start "$tmp/b5" -b -d 2 -n 3
wait "${CTS[@]}"
for f in "${!forms[@]}"; do
	bad=0
	for it in 2 3; do
		rows=$(rows_of "$tmp/b5.$f" "$it" | awk '{ s += $5 } END { printf "%.1f", s }')
		busy=$(awk -v want="$it" -v n="$NCPU" '/^cputop - / { it++ } it == want && /^%Cpu/ {
			gsub(",", ""); printf "%.1f", ($2 + $4 + $6 + $12 + $14) * n }' "$tmp/b5.$f")
		note "$(label "$f")interval $it: rows sum to $rows%, /proc/stat busy $busy%"
		# Two hogs on two CPUs, less what the hypervisor steals (up to a quarter seen here).
		fcmp "$rows >= 0.95 * $busy && $rows <= 1.05 * $busy && $busy > 120" || bad=1
	done
	check "$(label "$f")summed %CPU of all rows is within 5% of /proc/stat busy time under load" \
		[ "$bad" = 0 ]
done
finish
