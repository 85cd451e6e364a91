#!/usr/bin/env bash
# Run every test program given and count TAP results: cmocka binaries (CMOCKA_MESSAGE_OUTPUT=TAP)
# and test scripts alike print "ok N - name" or "not ok N - name". A "# SKIP" result counts as
# passed, unless CPUTOP_REQUIRE_BPF=1 (CI), where it fails. Ends with "N passed, N failed".
# SANITIZER_LOGS=DIR (make test SANITIZE=1): ASan and LSan write their reports to files in
# DIR/TEST/ rather than to stderr, where a test that discards cputop's stderr, or never looks
# at its exit status, would lose them; each report is printed after its test and is one more
# failure. The files stay for a look afterwards. UBSan built in with ASan (gcc 12) ignores
# log_path and reports on stderr; -fno-sanitize-recover makes each report end the program with
# status 1, which the tests check.
set -u
export CMOCKA_MESSAGE_OUTPUT=TAP
passed=0 failed=0 skipped=0
san_opts_asan=${ASAN_OPTIONS:-} san_opts_ubsan=${UBSAN_OPTIONS:-}
if [ -n "${SANITIZER_LOGS:-}" ]; then
	mkdir -p "$SANITIZER_LOGS" && SANITIZER_LOGS=$(cd "$SANITIZER_LOGS" && pwd) || exit 1
fi
for t in "$@"; do
	echo "# $t"
	logs=
	if [ -n "${SANITIZER_LOGS:-}" ]; then
		logs=$SANITIZER_LOGS/$(basename "$t")
		rm -rf "$logs"
		mkdir -p "$logs"
		# Tests run cputop as nobody too (test_cli.sh): its report must be writable.
		chmod 1777 "$logs"
		# log_path first, so that a log_path of the caller's own still wins.
		export ASAN_OPTIONS="log_path=$logs/report${san_opts_asan:+:$san_opts_asan}"
		export UBSAN_OPTIONS="log_path=$logs/report${san_opts_ubsan:+:$san_opts_ubsan}"
	fi
	out=$(mktemp)
	"$t" >"$out" 2>&1
	rc=$?
	cat "$out"
	p=$(grep -E '^ok [0-9]+' "$out" | grep -vc '# SKIP' || true)
	s=$(grep -E '^ok [0-9]+' "$out" | grep -c '# SKIP' || true)
	f=$(grep -cE '^not ok [0-9]+' "$out" || true)
	rm -f "$out"
	if [ -n "$logs" ]; then
		for r in "$logs"/report.*; do
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
done
echo
[ "$skipped" -gt 0 ] && echo "($skipped of the passed were skipped)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
