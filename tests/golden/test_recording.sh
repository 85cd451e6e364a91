#!/usr/bin/env bash
# The compatibility promise of docs/record-format.md: tests/fixtures/record/v1.rec, written by
# cputop 0.1.0 (format 1.0: two runs of the recorder appended, a spinner, a 3-thread process
# and 20 short-lived children in the first), is replayed by every later build to the output
# in tests/golden/recording/recording-*, byte for byte, with nothing on stderr. The figures
# are all the recording's; TZ=UTC fixes the clock of the text header. A change of output that
# is meant (a new JSON member) is taken with --update, after reading the diff; a build that
# cannot read the file any more fails here.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
EXPECTED=tests/golden/recording
REC=tests/fixtures/record/v1.rec
UPDATE=0
[ "${1:-}" = --update ] && UPDATE=1
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT
export TZ=UTC

# The third sample of the first run: --begin gives it after the one before it.
t3=1796629959517977892

# NAME|ARGS
CASES=(
	"json|--format json --top 20"
	"txt|-b --top 10"
	"csv|--format csv --top 10"
	"group-json|--format json --group comm --top 10"
	"tree-txt|-b --tree --filter ct-"
	"begin-json|--format json --top 20 --begin @$((t3 / 1000000000)).$((t3 % 1000000000)) -n 2"
)
for c in "${CASES[@]}"; do
	name=${c%%|*} args=${c#*|}
	out=$tmp/$name err=$tmp/$name.err
	# shellcheck disable=SC2086
	"$CPUTOP" --replay "$REC" $args >"$out" 2>"$err"
	rc=$?
	if [ "$UPDATE" = 1 ]; then
		cp "$out" "$EXPECTED/recording-$name"
		continue
	fi
	check "v1 recording, $name: exits 0, nothing on stderr" [ "$rc" -eq 0 -a ! -s "$err" ]
	if cmp -s "$EXPECTED/recording-$name" "$out"; then
		ok "v1 recording, $name: as expected"
	else
		not_ok "v1 recording, $name: as expected"
		diff "$EXPECTED/recording-$name" "$out" | head -20 | sed 's/^/# /'
	fi
done
finish
