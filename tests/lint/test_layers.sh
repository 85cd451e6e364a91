#!/usr/bin/env bash
# The include-direction check (scripts/check-layers.sh): the tree passes it, and each kind of
# wrong-way include, planted in a copy of the tree, makes it fail and names the line.
set -u
cd "$(dirname "$0")/../.."
check=scripts/check-layers.sh
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }

if out=$("$check" src 2>&1); then
	ok "src/ includes run one way"
else
	not_ok "src/ includes run one way"
	sed 's/^/# /' <<<"$out"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# FILE (under src/) and the header it must not include.
plants=(
	"model/model.h source/procfs/procfs.h"
	"model/snapshot.c view/columns.h"
	"lib/text.c model/snapshot.h"
	"view/columns.c source/source.h"
	"view/tui/tui.c sink/batch.h"
	"sink/json.c source/source.h"
	"source/procfs/procfs.c view/settings.h"
	"model/history.c cli.h"
)
for p in "${plants[@]}"; do
	read -r file hdr <<<"$p"
	rm -rf "$tmp/src"
	cp -r src "$tmp/src"
	printf '#include "%s"\n' "$hdr" >>"$tmp/src/$file"
	line=$(wc -l <"$tmp/src/$file")
	if out=$("$check" "$tmp/src" 2>&1); then
		not_ok "$file including $hdr is refused"
	elif grep -q "^$tmp/src/$file:$line: .*\"$hdr\"" <<<"$out"; then
		ok "$file including $hdr is refused"
	else
		not_ok "$file including $hdr is refused, naming the line"
		sed 's/^/# /' <<<"$out"
	fi
done
# A folder that is no layer is refused too: a new one must be placed on purpose.
rm -rf "$tmp/src" && cp -r src "$tmp/src" && mkdir "$tmp/src/misc" && touch "$tmp/src/misc/x.c"
if "$check" "$tmp/src" >/dev/null 2>&1; then
	not_ok "a folder that is no layer is refused"
else
	ok "a folder that is no layer is refused"
fi
exit $((failed > 0))
