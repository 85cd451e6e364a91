#!/usr/bin/env bash
# The regression guard of the benchmark: scripts/bench.sh --quick measures cputop against the
# empty-program floor and top in the same run, and each of its guards is a test here.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT
guards="per-syscall-cost refresh-cost start-up"
# The helpers of the build under test, as make test passes them (build-san/ with SANITIZE=1).
EVBENCH=${EVBENCH:-build/evbench}
FLOOR=${FLOOR:-build/floor.bpf.o}
export EVBENCH FLOOR
# Run by hand on an ASan build (make test leaves this script out with SANITIZE=1): a guard
# against top or the floor would measure the sanitizer, not cputop.
if ldd "$CPUTOP" 2>/dev/null | grep -q libasan; then
	for g in $guards; do skip "$g" "$CPUTOP is built with ASan: its speed means nothing"; done
	finish
fi
if ! bpf_available || [ ! -x "$EVBENCH" ] || [ ! -e "$FLOOR" ]; then
	why="eBPF unavailable (not root, no BTF, or load failed), or no $EVBENCH or $FLOOR"
	for g in $guards; do
		if [ "${CPUTOP_REQUIRE_BPF:-0}" = 1 ]; then not_ok "$g: $why"; else skip "$g" "$why"; fi
	done
	finish
fi

scripts/bench.sh --quick >"$tmp/out" 2>&1
rc=$?
sed 's/^/# /' "$tmp/out"
n=0
while read -r verdict text; do
	n=$((n + 1))
	if [ "$verdict" = ok: ]; then ok "$text"; else not_ok "$text"; fi
done < <(sed -n 's/^guard //p' "$tmp/out")
[ $n = 3 ] || not_ok "bench.sh --quick printed $n guards of 3"
# A failed guard is reported above; a failure of the script itself is one more.
if [ $rc != 0 ] && ! grep -q '^guard FAIL' "$tmp/out"; then
	not_ok "bench.sh --quick failed (exit status $rc)"
fi
finish
