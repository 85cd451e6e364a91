#!/usr/bin/env bash
# Short batch sessions of cputop under valgrind's memcheck, each of which must run to its end
# with no memory error (invalid read or write, use of uninitialised memory, bad free) and no
# leak: the eBPF source in text, JSON and CSV (the CSV one with --exit-log, so that exits come
# through the ring buffer, which valgrind must let cputop mmap), the /proc source in text, and
# threads (-H) with a PID filter. Their figures are printed as TAP diagnostics.
#
# Leaks: definitely, indirectly and possibly lost must all be 0. A batch run frees everything
# before it exits (valgrind finds 0 bytes in use at exit), so a "possibly lost" block, one whose
# only pointer points into its middle, is one we lost too. Still-reachable memory (a library's
# cache kept to the end) is no leak: it is printed, not judged.
#
# An ASan build (make test SANITIZE=1: build-san/) cannot run under valgrind: both replace
# malloc and both want the shadow memory. There the same sessions run without valgrind, checked
# by ASan, LSan and UBSan themselves, rather than skip (a skip fails CI, which sets
# CPUTOP_REQUIRE_BPF=1). They catch invalid accesses and leaks as valgrind does, but not a read
# of uninitialised memory: that is memcheck's alone, and the plain build's run has it.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
tmp=$(mktemp -d)
SUPP=tests/integration/valgrind.supp
# A hung session must not hang make test. An eBPF session takes about 12 s of CPU, 10 of them
# before the program loads: libbpf reads the kernel's BTF (5.5 MB) through fread(), which sysfs
# serves 4 KiB a read(), and memcheck checks the whole rest of the buffer at each of the 1,350.
LIMIT=150
declare -A pid_of rc_of

# Stop the sessions still running (the test was interrupted): timeout passes TERM on to
# valgrind, which passes it on to cputop, which ends as on ^C.
stop_sessions() {
	local p
	for p in "${pid_of[@]}"; do kill -TERM "$p" 2>/dev/null; done
}
trap 'stop_sessions; cleanup; rm -rf "$tmp"' EXIT

echo "1..16"
if ! command -v valgrind >/dev/null; then
	for i in $(seq 16); do skip "valgrind $i" "valgrind is not installed"; done
	finish
fi

# --errors-for-leak-kinds=none: the exit status and ERROR SUMMARY then count memory errors
# alone, and leaks are judged kind by kind from the LEAK SUMMARY. The suppressions are for
# valgrind's own false positives (see the file). valgrind 3.19 does not know four of the bpf()
# commands cputop's libbpf uses: BPF_LINK_CREATE (28, attaching), BPF_ENABLE_STATS (32, the
# hooks' cost), BPF_ITER_CREATE (33, every refresh) and BPF_PROG_BIND_MAP (35, at load). It
# warns and makes the call unchecked; none of them writes to the caller's memory (each returns
# a descriptor or 0), so all that goes unchecked is that their inputs are defined. The warnings
# are counted in the diagnostics.
vg_opts=(--tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect,possible
	--errors-for-leak-kinds=none --error-exitcode=99 --num-callers=30 --time-stamp=yes -s
	--suppressions="$SUPP")
asan=0
grep -q __asan_init "$CPUTOP" && asan=1

# Start cputop with flags "$@" as session $1, in the background: under valgrind, whose report
# goes to $tmp/$1.vg, or on an ASan build bare, the sanitizers' reports going to $tmp/$1.san.*.
start_session() {
	local name=$1
	shift
	if [ "$asan" = 1 ]; then
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$tmp/$name.san" \
		UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$tmp/$name.san" \
			timeout -k 5 "$LIMIT" "$CPUTOP" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	else
		timeout -k 5 "$LIMIT" valgrind "${vg_opts[@]}" --log-file="$tmp/$name.vg" \
			"$CPUTOP" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	fi
	pid_of[$name]=$!
	wall_ns >"$tmp/$name.t0"
}

# Wait for session $1; sets rc_of[$1] (124: killed after LIMIT seconds).
finish_session() {
	wait "${pid_of[$1]}"
	rc_of[$1]=$?
	unset "pid_of[$1]"
	wall_ns >"$tmp/$1.t1"
}

# The figures of valgrind report $1: "ERRORS SUPPRESSED DEF_BYTES DEF_BLOCKS IND_BYTES
# IND_BLOCKS POS_BYTES POS_BLOCKS REACHABLE_BYTES SECONDS", or nothing when it has no ERROR
# SUMMARY (valgrind never got to the end); the leak figures are "?" when it has no leak summary.
vg_figures() {
	awk '{
		# "==PID== ", with --time-stamp=yes "==D:HH:MM:SS.mmm PID== " (time since start)
		t = ""
		if (match($0, /^[=-][=-][0-9]+:[0-9]+:[0-9]+:[0-9.]+ /))
			t = substr($0, 3, RLENGTH - 3)
		sub(/^[=-][=-][0-9:. ]*[=-][=-] */, "")
		gsub(/,/, "")
	}
	/^ERROR SUMMARY:/ {
		err = $3; sup = $9; done = 1
		split(t, c, ":"); secs = ((c[1] * 24 + c[2]) * 60 + c[3]) * 60 + c[4]
	}
	/^All heap blocks were freed/ { leak = 1; for (k in f) f[k] = 0 }
	/^LEAK SUMMARY:/ { leak = 1 }
	/^definitely lost:/ { f["db"] = $3; f["dk"] = $6 }
	/^indirectly lost:/ { f["ib"] = $3; f["ik"] = $6 }
	/^possibly lost:/ { f["pb"] = $3; f["pk"] = $6 }
	/^still reachable:/ { f["rb"] = $3 }
	BEGIN { split("db dk ib ik pb pk rb", keys); for (i in keys) f[keys[i]] = "?" }
	END {
		if (!done)
			exit
		printf "%s %s %s %s %s %s %s %s %s %.1f\n", err, sup, f["db"], f["dk"], f["ib"],
			f["ik"], f["pb"], f["pk"], f["rb"], secs
	}' "$1"
}

# The same figures from the sanitizers' reports of session $1: memory errors are the reports
# of ASan and UBSan, leaks LSan's "N byte(s) leaked in M allocation(s)" (ASan's LSan does not
# tell direct from indirect: both count as definitely lost here). With gcc 12, UBSan built with
# ASan ignores log_path and reports on stderr: both are read.
san_figures() {
	cat "$tmp/$1".san.* "$tmp/$1.err" 2>/dev/null | awk '
	/ERROR: AddressSanitizer|runtime error:/ { err++ }
	/SUMMARY: AddressSanitizer: [0-9]+ byte\(s\) leaked/ { db += $3; dk += $7 }
	END { printf "%d 0 %d %d 0 0 0 0 0 -\n", err, db, dk }'
}

# What a failed session left behind, as TAP diagnostics: valgrind's report without its
# warnings about bpf() commands it does not know (see above), or the sanitizers' reports,
# then cputop's stderr.
dump_session() {
	if [ "$asan" = 1 ]; then
		cat "$tmp/$1".san.* 2>/dev/null | head -n 120 | sed 's/^/# /'
	else
		grep -v 'WARNING: unhandled eBPF command' "$tmp/$1.vg" | head -n 160 | sed 's/^/# /'
	fi
	head -n 20 "$tmp/$1.err" | sed 's/^/# stderr: /'
}

# Judge session $1 of format $2 (text, json or csv) and source $3 (ebpf or proc): three tests,
# that it ran to its end (3 refreshes, all from source $3, and $4 if given: 0 or 1, what the
# session's own output must show, described by $5), that it had no memory error, and that it
# leaked nothing.
judge_session() {
	local name=$1 fmt=$2 src=$3 also=${4:-1} what=${5:+, $5} n=0 nsrc=0 figs secs unhandled how
	local ran=1 errs=1 leaks=1
	local e sup db dk ib ik pb pk rb vsecs t
	case $fmt in
	text)
		n=$(iterations_of "$tmp/$name.out")
		nsrc=$(grep -c "^Source: $([ "$src" = ebpf ] && echo eBPF || echo /proc)" \
			"$tmp/$name.out")
		;;
	json)
		n=$(grep -c '^{"timestamp_ns":' "$tmp/$name.out")
		nsrc=$(grep -c "\"source\":{\"kind\":\"$src\"" "$tmp/$name.out")
		;;
	csv)
		n=$(awk -F, 'NR > 1 && !seen[$1]++ { n++ } END { print n + 0 }' "$tmp/$name.out")
		# Rows do not say their source; --exit-log, which this session is given, makes
		# cputop exit 1 without eBPF.
		nsrc=$n
		;;
	esac
	secs=$(awk -v a="$(cat "$tmp/$name.t0")" -v b="$(cat "$tmp/$name.t1")" \
		'BEGIN { printf "%.1f", (b - a) / 1e9 }')
	if [ "$asan" = 1 ]; then
		figs=$(san_figures "$name")
		how="ASan build, no valgrind"
	else
		figs=$(vg_figures "$tmp/$name.vg")
		unhandled=$(grep -o 'unhandled eBPF command [0-9]*' "$tmp/$name.vg" |
			awk '{ print $4 }' | sort -n | uniq -c |
			awk '{ printf " %s (%sx)", $2, $1 }')
		how="valgrind${unhandled:+; bpf() commands valgrind does not check:$unhandled}"
	fi
	read -r e sup db dk ib ik pb pk rb vsecs <<<"${figs:-? ? ? ? ? ? ? ? ? -}"
	# valgrind's own clock is exact; the wall clock, read once the session is waited for, is
	# an upper bound
	[ "$vsecs" = - ] || secs=$vsecs
	note "$name: exit status ${rc_of[$name]}, $n refreshes ($nsrc from $src), $secs s;" \
		"$e errors ($sup suppressed); lost: $db B definitely ($dk blocks)," \
		"$ib B indirectly ($ik), $pb B possibly ($pk); $rb B still reachable; $how"
	# 99 is valgrind's (cputop's own status is then lost): errors are the next test's business.
	case ${rc_of[$name]} in 0 | 99) ;; *) ran=0 ;; esac
	[ "$n" = 3 ] && [ "$nsrc" = 3 ] && [ "$also" = 1 ] || ran=0
	# The exit status says valgrind found an error (99) even if the report were cut short.
	[ "${rc_of[$name]}" != 99 ] && [ "$e" = 0 ] || errs=0
	[ "$db$dk$ib$ik$pb$pk" = 000000 ] || leaks=0
	if [ "$asan" = 1 ]; then
		check "$name: runs to its end under ASan (exit 0, 3 refreshes from $src$what)" \
			[ "$ran" = 1 ]
		check "$name: no memory error (no ASan or UBSan report)" [ "$errs" = 1 ]
		check "$name: no leak (no LSan report)" [ "$leaks" = 1 ]
	else
		t="$name: runs to its end under valgrind (exit 0 or 99, 3 refreshes from $src$what)"
		check "$t" [ "$ran" = 1 ]
		t="$name: no memory error (ERROR SUMMARY: 0 errors, valgrind exit status not 99)"
		check "$t" [ "$errs" = 1 ]
		check "$name: no leak (0 bytes definitely, indirectly or possibly lost)" \
			[ "$leaks" = 1 ]
	fi
	[ "$ran$errs$leaks" = 111 ] || dump_session "$name"
}

start=$(wall_ns)
[ "$asan" = 1 ] && note "$CPUTOP is an ASan build, which valgrind cannot run: the sessions run" \
	"bare, checked by ASan, LSan and UBSan"

# The eBPF sessions run side by side (most of their time is the program's load, CPU-bound
# under valgrind), and with them the /proc one. A loop of short-lived processes keeps exits
# coming for the ring buffer.
bpf=0
if bpf_available; then
	bpf=1
elif [ "$(id -u)" = 0 ] && [ -r /sys/kernel/btf/vmlinux ] &&
	! "$CPUTOP" -b -n 1 --top 1 >/dev/null 2>&1; then
	# Not eBPF missing but cputop failing (a sanitizer's abort, a crash): the sessions say how.
	note "root with kernel BTF, yet $CPUTOP -b -n 1 failed: the eBPF sessions run all the same"
	bpf=1
fi
if [ "$bpf" = 1 ]; then
	(while :; do /bin/true; sleep 0.05; done) >/dev/null 2>&1 &
	churn=$!
	pids_to_kill+=("$churn")
	start_session ebpf-text -b -n 3 -d 0.2
	start_session ebpf-json -b -n 3 -d 0.2 --format json
	start_session ebpf-csv -b -n 3 -d 0.2 --format csv --exit-log "$tmp/exits.log"
fi
start_session proc-text -b -n 3 -d 0.2 --no-bpf
# In the order they should end, so that the wall clock read at each end is close.
finish_session proc-text
if [ "$bpf" = 1 ]; then
	for s in ebpf-text ebpf-json ebpf-csv; do finish_session "$s"; done
	kill -9 "$churn" 2>/dev/null
	wait "$churn" 2>/dev/null
	judge_session ebpf-text text ebpf
	judge_session ebpf-json json ebpf
	judge_session ebpf-csv csv ebpf
	exits=$(grep -c . "$tmp/exits.log" 2>/dev/null)
	sleeps=$(grep -c '^cputop_exit,comm=sleep,' "$tmp/exits.log" 2>/dev/null)
	note "exit log: ${exits:-no} exits, ${sleeps:-0} of them the churn loop's sleep"
	check "ebpf-csv: exits come through the ring buffer (the churn loop's in the exit log)" \
		[ "${sleeps:-0}" -ge 1 ]
else
	for s in ebpf-text ebpf-json ebpf-csv; do
		for t in "runs to its end" "no memory error" "no leak"; do
			skip "$s: $t" "eBPF unavailable (not root, no BTF, or load failed)"
		done
	done
	skip "ebpf-csv: exits come through the ring buffer" \
		"eBPF unavailable (not root, no BTF, or load failed)"
fi
judge_session proc-text text proc

# Threads: a process of two threads, one of them spinning, alone (-p) and thread by thread (-H),
# read from /proc/PID/task (the eBPF source reads threads as it reads processes).
# (The file first: start_workload may read it before the workload's shell has created it.)
: >"$tmp/wl"
if start_workload "$tmp/wl" threads 1 30; then
	start_session proc-threads -b -n 3 -d 0.2 --no-bpf -H -p "$WL_PID"
	finish_session proc-threads
	kill -9 "$WL_PID" 2>/dev/null
	wait "$WL_PID" 2>/dev/null
	rows=$(rows_of "$tmp/proc-threads.out" 3 | awk '$NF == "ct-threads"' | wc -l)
	note "proc-threads: $rows rows of ct-threads (PID $WL_PID) in the last refresh"
	judge_session proc-threads text proc "$([ "$rows" -ge 2 ] && echo 1 || echo 0)" \
		"its 2 threads in the last"
else
	for t in "runs to its end" "no memory error" "no leak"; do
		not_ok "proc-threads: $t (the workload did not start)"
	done
fi
secs=$(awk -v a="$start" -v b="$(wall_ns)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
note "all sessions: $secs s wall clock"
finish
