#!/usr/bin/env bash
# Where the scheduler counters go, and the IPC path: a pinned task never migrates, a
# sched_yield() loop is counted on its own CPU only, IPC is a figure or '-' with the reason,
# and its counting path works on software counters. No figure here is held to a rate (those
# are test_sched.sh's), so this runs under ASan too.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT
tests="migr-pinned yields ipc-unavailable-or-counted ipc-software-path ipc-software-cycles"
if ! bpf_available; then
	for t in $tests; do skip "$t" "eBPF unavailable (not root, no BTF, or load failed)"; done
	finish
fi
last_cpu=$((NCPU - 1))
fields=PID,%CPU,SYSC,VCSW,ICSW,WAIT%,MAXW,IOW%,MIGR,COMMAND

# What each check watches runs at once, but for the sched_yield() loop, which needs its CPU to
# itself: a pinned spinner (1. and 3.'s counting path), an unpinned one (3.) and a sleeper 1000
# times a second (3.), each watched by its own cputop. No figure here is a rate that the
# others' load would move; what each check holds is where a count goes and how it is paired.
start_workload "$tmp/pin" spin 5 "$last_cpu" || exit 1
pinned=$WL_PID
start_workload "$tmp/s" spin 5 || exit 1
spinner=$WL_PID
start_workload "$tmp/r" sysrate 50000 5 || exit 1
sleeper=$WL_PID
cts=()
"$CPUTOP" -b -d 1 -n 4 -p "$pinned" --fields "$fields" >"$tmp/b6" &
cts+=($!)
"$CPUTOP" -b -d 1 -n 3 -p "$spinner" --fields PID,%CPU,IPC,COMMAND >"$tmp/b9" &
cts+=($!)
# A task's counters advance at its switch-out: a spinner alone on a tickless CPU may not
# switch out in a whole interval (its IPC then blank, no cycle counted yet). cputop on its CPU
# preempts it at every refresh.
CPUTOP_PMU=software taskset -c "$last_cpu" "$CPUTOP" -b -d 1 -n 3 -p "$pinned" \
	--fields PID,%CPU,IPC,COMMAND >"$tmp/b10" &
cts+=($!)
CPUTOP_PMU=software "$CPUTOP" -b -d 1 -n 3 -p "$sleeper" --format json >"$tmp/j10" &
cts+=($!)
wait "${cts[@]}"

# 1. Migrations: none for a pinned task.
check "a pinned task shows MIGR 0" all_intervals "$tmp/b6" "$pinned" MIGR "v == 0"
kill "$pinned" "$spinner" "$sleeper" 2>/dev/null
wait "$pinned" "$spinner" "$sleeper" 2>/dev/null

# 2. sched_yield() per CPU: a yielding loop pinned to the last CPU, counted on that CPU only.
start_workload "$tmp/y" yield 4 "$last_cpu" || exit 1
"$CPUTOP" -b -d 1 -n 3 --cpus --top 1 >"$tmp/b8"
yld_of() {
	awk -v cpu="$1" '/^cputop - / { it++ } it == 3 && /^CPU / {
		for (i = 1; i <= NF; i++) if ($i == "YLD") col = i; next }
		it == 3 && col && $1 == cpu { v = $col; m = 1
			if (v ~ /k$/) m = 1e3; if (v ~ /M$/) m = 1e6; print v * m; exit }' "$tmp/b8"
}
y=$(yld_of "$last_cpu") y0=$(yld_of 0)
note "YLD in interval 3: CPU $last_cpu $y/s, CPU 0 $y0/s"
check "a sched_yield() loop shows in the YLD column of its CPU" \
	fcmp "${y:-0} > 10000 && ${y0:-1e9} < 100"
kill "$WL_PID" 2>/dev/null

# 3. IPC: without a PMU the column says why; with one, it counts. CPUTOP_PMU=software puts
# cpu-clock in both counters, so the counting path shows IPC 1 and cycles = on-CPU ns.
ipc=$(field_of "$tmp/b9" 3 "$spinner" IPC)
note "IPC of a spinner: '$ipc'; $(grep '^IPC:' "$tmp/b9" | tail -1)"
check "IPC is a figure, or '-' with the reason on an IPC: line" eval \
	'[[ $ipc =~ ^[0-9.]+$ ]] || { [ "$ipc" = - ] && grep -q "^IPC: unavailable, ." "$tmp/b9"; }'
ipc=$(field_of "$tmp/b10" 3 "$pinned" IPC)
check "the counting path: a spinner's IPC on software counters is 1 ($ipc)" \
	fcmp "${ipc:-0} >= 0.95 && ${ipc:-0} <= 1.05"
# Counts close at switch-out: a task that sleeps 1000 times a second closes them all within
# the interval. cpu-clock is wall time on the CPU, which sum_exec_runtime is not: time the
# hypervisor stole (CONFIG_PARAVIRT_TIME_ACCOUNTING) and interrupts are in the one only. So
# its cycles are near its on-CPU time (0.88x to 1.7x seen on this busy VM), never more than
# the interval: the pairing of reads is what the software path checks, not accuracy.
read -r cyc ns iv < <(tail -1 "$tmp/j10" |
	jq -r '"\(.rows[0].cycles // 0) \(.rows[0].cpu_ns) \(.interval_ns)"')
note "a sleeper 1000 times a second, last interval of $iv ns: cycles $cyc, cpu_ns $ns"
check "its cycles are of the order of its on-CPU time, within the interval" \
	fcmp "${cyc:-0} >= 0.5 * ${ns:-1} && ${cyc:-0} <= ${iv:-0}"
finish
