#!/usr/bin/env bash
# The command line and batch output: errors, filters, sorting, threads, hostile names,
# the /proc fallback, signals and pipes. Runs with either source; eBPF parts need root.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT

# Bad input: exit status 2 and one line on stderr that names the problem.
for args in "-n x" "-n 0" "-d -1" "-d abc" "-p abc" "-o BOGUS" "-u no_such_user_cputop" \
	    "--frobnicate" "--top 0" "-d"; do
	# shellcheck disable=SC2086
	"$CPUTOP" -b $args >"$tmp/out" 2>"$tmp/err"
	rc=$?
	check "cputop -b $args exits 2 with one message ($(head -c 70 "$tmp/err"))" \
		[ "$rc" = 2 -a "$(wc -l <"$tmp/err")" = 1 -a ! -s "$tmp/out" ]
done

# --no-bpf: the /proc source says so, and still measures a spinner.
start_workload "$tmp/spin" spin 6 || exit 1
"$CPUTOP" -b --no-bpf -d 1 -n 3 -p "$WL_PID" >"$tmp/np"
check "--no-bpf names the /proc source and why" grep -q '^Source: /proc (--no-bpf given)' "$tmp/np"
read -r pid user s thr cpu rest < <(rows_of "$tmp/np" 3)
st=$(steal_of "$tmp/np" 3)
note "/proc source: spinner %CPU $cpu (steal $st%)"
#    What the hypervisor steals the kernel leaves out of a task's time: the bar is 90% of the
#    rest, the steal being the average of all CPUs (the spinner's may have had NCPU times it).
check "--no-bpf shows the spinner near 100% of what was not stolen" \
	fcmp "${cpu:-0} >= 90 * (100 - $NCPU * ${st:-0}) / 100"
# Done with it: left spinning, it would take a CPU from the threads below.
kill "$WL_PID" 2>/dev/null
wait "$WL_PID" 2>/dev/null

# A user without privileges gets the /proc source and one line saying why.
if [ "$(id -u)" = 0 ]; then
	bin=$(mktemp -d)
	chmod 755 "$bin"
	cp "$CPUTOP" "$bin/cputop"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$bin/cputop" -b -n 2 -d 0.5 \
		>"$tmp/nr" 2>"$tmp/nr.err"
	rc=$?
	rm -rf "$bin"
	check "non-root run works and says why eBPF is off" \
		[ "$rc" = 0 -a "$(grep -c '^Source: /proc (not permitted' "$tmp/nr")" = 2 ]
	check "non-root run lists tasks" [ "$(rows_of "$tmp/nr" 2 | wc -l)" -gt 5 ]
else
	skip "non-root run works and says why eBPF is off" "needs root to drop privileges"
	skip "non-root run lists tasks" "needs root to drop privileges"
fi

# Filters and sorting on the live system.
"$CPUTOP" -b -n 1 -o PID >"$tmp/pid"
rows_of "$tmp/pid" 1 | awk '{ print $1 }' >"$tmp/pid.col"
check "-o PID sorts by PID ascending" sort -c -n "$tmp/pid.col"
"$CPUTOP" -b -n 1 -o -TIME+ >"$tmp/time"
rows_of "$tmp/time" 1 | while read -r _ _ _ _ _ _ _ t _; do time_s "$t"; done >"$tmp/time.col"
check "-o -TIME+ sorts by TIME+ low to high" sort -c -g "$tmp/time.col"
"$CPUTOP" -b -n 1 -o +COMMAND >"$tmp/cmd"
rows_of "$tmp/cmd" 1 | awk '{ print $9 }' >"$tmp/cmd.col"
check "-o +COMMAND sorts names high to low" \
	bash -c "LC_ALL=C sort -c -r \"$tmp/cmd.col\""
"$CPUTOP" -b -n 1 --top 3 >"$tmp/top3"
check "--top 3 prints three rows" [ "$(rows_of "$tmp/top3" 1 | wc -l)" = 3 ]
"$CPUTOP" -b -n 1 -u root >"$tmp/u"
check "-u root keeps only root's processes" \
	[ "$(rows_of "$tmp/u" 1 | awk '$2 != "root"' | wc -l)" = 0 -a "$(rows_of "$tmp/u" 1 | wc -l)" -gt 0 ]

# Threads: folded into one row by default, one row each with -H. The threads spin for longer
# than the two runs can take even with a slow start (ASan, a loaded machine), then are stopped:
# a thread that ended inside the second run's interval would halve its sum.
start_workload "$tmp/thr" threads 3 20 || exit 1
tp=$WL_PID
"$CPUTOP" -b -d 0.5 -n 2 -p "$tp" >"$tmp/t1"
"$CPUTOP" -b -d 0.5 -n 2 -H -p "$tp" >"$tmp/t2"
kill "$tp" 2>/dev/null
wait "$tp" 2>/dev/null
read -r pid user s thr cpu rest < <(rows_of "$tmp/t1" 2)
note "ct-threads: THR $thr %CPU $cpu; -H rows: $(rows_of "$tmp/t2" 2 | wc -l)"
check "threads are folded into their process (THR 4, CPU of all threads)" \
	[ "$thr" = 4 -a "$(rows_of "$tmp/t1" 2 | wc -l)" = 1 ]
check "-H shows one row per thread" [ "$(rows_of "$tmp/t2" 2 | wc -l)" = 4 ]
hsum=$(rows_of "$tmp/t2" 2 | awk '{ s += $5 } END { print s + 0 }')
note "-H rows sum to $hsum%"
check "three spinning threads make the process row, and their rows, exceed one CPU" \
	fcmp "${cpu:-0} > 100 && $hsum > 100"

# Hostile names: escape sequences and newlines never reach the output raw.
start_workload "$tmp/name" name $'\e[31mevil\n\x07x' 5 || exit 1
for src in "" "--no-bpf"; do
	# shellcheck disable=SC2086
	"$CPUTOP" -b -n 1 $src -p "$WL_PID" >"$tmp/h"
	check "hostile process name is printed sanitised ${src:-(default source)}" \
		[ "$(LC_ALL=C tr -d '\n\040-\176' <"$tmp/h" | wc -c)" = 0 -a \
		  "$(rows_of "$tmp/h" 1 | awk '{ print $9 }')" = "?[31mevil??x" ]
done

# A closed pipe ends cputop quietly with status 0.
"$CPUTOP" -b -d 0.05 2>"$tmp/pipe.err" | head -3 >/dev/null
rc=${PIPESTATUS[0]}
check "cputop -b | head exits 0 without a message" [ "$rc" = 0 -a ! -s "$tmp/pipe.err" ]

# --proc-root reads a recorded tree.
if [ -d tests/fixtures/proc-basic ]; then
	"$CPUTOP" -b -n 1 --proc-root tests/fixtures/proc-basic >"$tmp/fx"
	check "--proc-root reads a fixture tree" \
		[ $? = 0 -a "$(rows_of "$tmp/fx" 1 | wc -l)" -gt 0 ]
fi
finish
