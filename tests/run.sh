#!/usr/bin/env bash
# Run every test program given and count TAP results: cmocka binaries (CMOCKA_MESSAGE_OUTPUT=TAP)
# and test scripts alike print "ok N - name" or "not ok N - name". A "# SKIP" result counts as
# passed, unless CPUTOP_REQUIRE_BPF=1 (CI), where it fails. Ends with "N passed, N failed".
set -u
export CMOCKA_MESSAGE_OUTPUT=TAP
passed=0 failed=0 skipped=0
for t in "$@"; do
	echo "# $t"
	out=$(mktemp)
	"$t" >"$out" 2>&1
	rc=$?
	cat "$out"
	p=$(grep -E '^ok [0-9]+' "$out" | grep -vc '# SKIP' || true)
	s=$(grep -E '^ok [0-9]+' "$out" | grep -c '# SKIP' || true)
	f=$(grep -cE '^not ok [0-9]+' "$out" || true)
	rm -f "$out"
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
