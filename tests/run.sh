#!/usr/bin/env bash
# Run every test program given and count TAP results: cmocka binaries (CMOCKA_MESSAGE_OUTPUT=TAP)
# and test scripts alike print "ok N - name" or "not ok N - name". A "# SKIP" result counts as
# passed, unless CPUTOP_REQUIRE_BPF=1 (CI), where it fails. Ends with "N passed, N failed".
#
#   tests/run.sh [--shared] PROG... [--alone PROG...]...
#
# Programs after --shared may run two at a time (TEST_JOBS, 2), beside each other: they measure
# no CPU time or speed, and count nothing system-wide that another test would change. Those
# after --alone (the default) run one at a time with nothing beside them: what they measure
# would take in the other test's work. The shared ones run first, then the others, in the
# order given. Each program's output is kept until it ends and printed whole, with how long
# it took; the slowest are listed at the end.
#
# SANITIZER_LOGS=DIR (make test SANITIZE=1): ASan and LSan write their reports to files in
# DIR/TEST/ rather than to stderr, where a test that discards cputop's stderr, or never looks
# at its exit status, would lose them; each report is printed after its test and is one more
# failure. The files stay for a look afterwards. UBSan built in with ASan (gcc 12) ignores
# log_path and reports on stderr; -fno-sanitize-recover makes each report end the program with
# status 1, which the tests check.
set -u
export CMOCKA_MESSAGE_OUTPUT=TAP
jobs=${TEST_JOBS:-2}
passed=0 failed=0 skipped=0
san_opts_asan=${ASAN_OPTIONS:-} san_opts_ubsan=${UBSAN_OPTIONS:-}
if [ -n "${SANITIZER_LOGS:-}" ]; then
	mkdir -p "$SANITIZER_LOGS" && SANITIZER_LOGS=$(cd "$SANITIZER_LOGS" && pwd) || exit 1
fi
outs=$(mktemp -d) || exit 1
trap 'rm -rf "$outs"' EXIT

shared=() alone=() list=alone
for a in "$@"; do
	case $a in
	--shared) list=shared ;;
	--alone) list=alone ;;
	*) if [ $list = shared ]; then shared+=("$a"); else alone+=("$a"); fi ;;
	esac
done

now() { date +%s%N; }
# The tests running: their name, output file and start time, by PID.
declare -A test_of=() out_of=() start_of=()
n=0
# Start test $1 in the background.
start() {
	local t=$1 logs=
	n=$((n + 1))
	if [ -n "${SANITIZER_LOGS:-}" ]; then
		logs=$SANITIZER_LOGS/$(basename "$t")
		rm -rf "$logs"
		mkdir -p "$logs"
		# Tests run cputop as nobody too (test_cli.sh): its report must be writable.
		chmod 1777 "$logs"
	fi
	(
		if [ -n "$logs" ]; then
			# log_path first, so that a log_path of the caller's own still wins.
			export ASAN_OPTIONS="log_path=$logs/report${san_opts_asan:+:$san_opts_asan}"
			export UBSAN_OPTIONS="log_path=$logs/report${san_opts_ubsan:+:$san_opts_ubsan}"
		fi
		exec "$t"
	) >"$outs/$n" 2>&1 &
	test_of[$!]=$t out_of[$!]=$outs/$n start_of[$!]=$(now)
}

# Print the output of test $1 (file $2), which ended with status $3 after $4 ns, and count it.
report() {
	local t=$1 out=$2 rc=$3 p s f r secs
	echo "# $t"
	cat "$out"
	p=$(grep -E '^ok [0-9]+' "$out" | grep -vc '# SKIP' || true)
	s=$(grep -E '^ok [0-9]+' "$out" | grep -c '# SKIP' || true)
	f=$(grep -cE '^not ok [0-9]+' "$out" || true)
	if [ -n "${SANITIZER_LOGS:-}" ]; then
		for r in "$SANITIZER_LOGS/$(basename "$t")"/report.*; do
			[ -e "$r" ] || continue
			echo "not ok - $t: sanitizer report $r"
			sed 's/^/# /' "$r"
			f=$((f + 1))
		done
	fi
	if [ "${CPUTOP_REQUIRE_BPF:-0}" = 1 ] && [ "$s" -gt 0 ]; then
		echo "not ok - $t: $s skipped test(s) while CPUTOP_REQUIRE_BPF=1"
		f=$((f + s))
	else
		p=$((p + s))
		skipped=$((skipped + s))
	fi
	# A program that crashed or exited non-zero without reporting a failure still failed.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $t exited with status $rc"
		f=1
	fi
	if [ "$((p + f))" -eq 0 ]; then
		echo "not ok - $t reported no test"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	secs=$(awk -v ns="$4" 'BEGIN { printf "%.1f", ns / 1e9 }')
	echo "# $t: $secs s"
	echo "$secs $t" >>"$outs/times"
}

# Wait for the next test to end, and report it.
reap() {
	local pid rc
	wait -n -p pid
	rc=$?
	report "${test_of[$pid]}" "${out_of[$pid]}" "$rc" $(($(now) - start_of[$pid]))
	unset "test_of[$pid]" "out_of[$pid]" "start_of[$pid]"
}

# Run the tests $2..., at most $1 at a time.
run() {
	local most=$1 t
	shift
	for t in "$@"; do
		while [ ${#test_of[@]} -ge "$most" ]; do reap; done
		start "$t"
	done
	while [ ${#test_of[@]} -gt 0 ]; do reap; done
}

t0=$(now)
run "$jobs" "${shared[@]}"
run 1 "${alone[@]}"
echo
if [ -s "$outs/times" ]; then
	all=$(awk -v ns=$(($(now) - t0)) 'BEGIN { printf "%.1f", ns / 1e9 }')
	slowest=$(sort -rn "$outs/times" | head -n 5 |
		awk '{ printf "%s%s %s s", (NR > 1 ? ", " : ""), $2, $1 }')
	echo "# $all s in all; the slowest: $slowest"
fi
[ "$skipped" -gt 0 ] && echo "($skipped of the passed were skipped)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
