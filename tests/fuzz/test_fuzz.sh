#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz and reports each as a TAP test: "ok N - fuzz
# TARGET: EXECS runs, cov X", "not ok" when it found a crash, a leak or undefined behaviour
# (the reproducer is then in $FUZZ_DIR/crash-TARGET-*). Run from anywhere; the targets are
# built by `make fuzzers` (make test and make fuzz build them first).
#   FUZZ_DIR   where the targets are (build/fuzz)
#   FUZZ_SECS  0 (make test): each target replays its seeds in tests/fuzz/corpus/TARGET once
#              (-runs=0: seconds in all) and fuzzes nothing; N (60 for make fuzz): each
#              target fuzzes for N seconds, starting from its seeds
#   FUZZ_KEEP  1: what the runs find is kept in $FUZZ_DIR/corpus/TARGET for the next run
#              (make fuzz); otherwise a temporary directory, so that each run starts alike
# The seeds in tests/fuzz/corpus/TARGET are only read, never written.
set -u
cd "$(dirname "$0")/../.." || exit 1
dir=${FUZZ_DIR:-build/fuzz}
secs=${FUZZ_SECS:-0}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0
shopt -s nullglob
targets=(tests/fuzz/fuzz_*.c)
[ ${#targets[@]} -gt 0 ] || { echo "not ok 1 - no fuzz target in tests/fuzz"; exit 1; }
for src in "${targets[@]}"; do
	t=$(basename "$src" .c)
	t=${t#fuzz_}
	n=$((n + 1))
	bin=$dir/fuzz_$t
	if [ ! -x "$bin" ]; then
		echo "not ok $n - fuzz $t: no $bin (make fuzzers builds it)"
		failed=$((failed + 1))
		continue
	fi
	seeds=tests/fuzz/corpus/$t
	nseeds=$(find "$seeds" -type f 2>/dev/null | wc -l)
	if [ "$nseeds" = 0 ]; then
		echo "not ok $n - fuzz $t: no seed in $seeds"
		failed=$((failed + 1))
		continue
	fi
	log=$tmp/$t.log
	opts=(-print_final_stats=1 -artifact_prefix="$dir/crash-$t-" -close_fd_mask=3)
	if [ "$secs" = 0 ]; then
		# Each seed once (and the empty input), nothing written.
		"$bin" -runs=0 "${opts[@]}" "$seeds" >"$log" 2>&1
	else
		if [ "${FUZZ_KEEP:-0}" = 1 ]; then
			out=$dir/corpus/$t
		else
			out=$tmp/corpus/$t
		fi
		mkdir -p "$out"
		# The first directory takes the new inputs; the seeds come second, read only.
		"$bin" -max_total_time="$secs" "${opts[@]}" "$out" "$seeds" >"$log" 2>&1
	fi
	rc=$?
	done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)
	execs=$(sed -nE 's/^#([0-9]+)[[:space:]]+DONE.*/\1/p' <<<"$done_line")
	cov=$(sed -nE 's/.* cov: ([0-9]+) .*/\1/p' <<<"$done_line")
	ft=$(sed -nE 's/.* ft: ([0-9]+) .*/\1/p' <<<"$done_line")
	if [ $rc = 0 ] && [ -n "$execs" ]; then
		what="$execs runs"
		[ "$secs" = 0 ] && what="its $nseeds seeds replayed"
		echo "ok $n - fuzz $t: $what, cov $cov ft $ft"
	else
		echo "not ok $n - fuzz $t: exit status $rc${execs:+, $execs runs}"
		failed=$((failed + 1))
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -5 |
			sed 's/^/# /'
	fi
	[ -n "$done_line" ] && echo "# $t: $done_line"
done
exit $((failed > 0))
