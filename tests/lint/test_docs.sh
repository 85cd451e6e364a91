#!/usr/bin/env bash
# The documents follow the field table: every column that `cputop --help` lists (from the
# table) has its entry in the manual, and every key of a JSON row or a CSV header, in every
# view, is in docs/output.md. A new field without its documentation fails here.
set -u
cd "$(dirname "$0")/../.."
CPUTOP=${CPUTOP:-build/cputop}
FX=tests/fixtures/proc-basic
n=0 failed=0
check() {
	n=$((n + 1))
	if [ -n "$2" ]; then
		failed=$((failed + 1))
		echo "not ok $n - $1"
		sed 's/^/# missing: /' <<<"$2"
	else
		echo "ok $n - $1"
	fi
}

cols=$("$CPUTOP" --help | sed -n '/^COLUMNS/,$p' | awk 'NR > 1 { print $1 }')
[ "$(wc -l <<<"$cols")" -ge 20 ] || check "--help lists the columns" "its COLUMNS section"
# In the manual's Columns section, each as a tagged paragraph's tag: .B NAME, or a pair of
# them, .BR "NAME1 ", " NAME2".
man=$(sed -n '/^\.SS Columns/,/^\.SS /p' docs/cputop.8 | sed -n 's/^\.BR\? //p' |
      tr -d '"' | tr ',' '\n' | tr -d ' ')
missing=$(while read -r c; do
	grep -qxF -- "$c" <<<"$man" || echo "$c"
done <<<"$cols")
check "every column of the field table has its entry in cputop.8" "$missing"

keys=$(for v in "" "-H" "--tree" "--group comm" "--group user" "--group cgroup" "--group unit" \
	 "--group container"; do
	"$CPUTOP" -b -n 1 --format json $v --proc-root "$FX" | jq -r '.rows[] | keys[]'
	"$CPUTOP" -b -n 1 --format csv $v --proc-root "$FX" | head -1 | tr , '\n'
done | sort -u)
[ "$(wc -l <<<"$keys")" -ge 20 ] || check "rows have keys" "the rows' keys"
missing=$(while read -r k; do grep -qF "\`$k\`" docs/output.md || echo "$k"; done <<<"$keys")
check "every JSON row member and CSV column is in docs/output.md" "$missing"
exit $((failed > 0))
