#!/usr/bin/env bash
# make install into a scratch root: the binary, the manual and the recorder's systemd unit,
# whose ExecStart names the installed binary and whose options cputop takes (run for one
# refresh into a scratch directory); systemd-analyze verifies the unit.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT

make -s --no-print-directory install DESTDIR="$tmp/root" PREFIX=/usr/local \
	>"$tmp/make.out" 2>&1
check "make install: it installs" [ $? -eq 0 ]
unit=$tmp/root/usr/local/lib/systemd/system/cputop-record.service
check "make install: the binary" [ -x "$tmp/root/usr/local/bin/cputop" ]
check "make install: the manual" [ -s "$tmp/root/usr/local/share/man/man8/cputop.8" ]
check "make install: the recorder's unit" [ -s "$unit" ]
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
note "ExecStart=$exec_start"
check "the unit starts the installed binary" [ "${exec_start%% *}" = /usr/local/bin/cputop ]
check "the unit records every 10 s into /var/log/cputop, a file a day" \
	grep -q -- '-d 10 --record /var/log/cputop' <<<"$exec_start"
# Its options, as the service runs them, but into a scratch directory and for one refresh.
mkdir "$tmp/log"
args=${exec_start#* }
# shellcheck disable=SC2086
"$CPUTOP" ${args//\/var\/log\/cputop/$tmp/log} -n 1 2>"$tmp/err"
check "the unit's options run: a recording is written" \
	[ -s "$tmp/log/cputop-$(date +%Y%m%d).rec" ]
if command -v systemd-analyze >/dev/null; then
	# verify looks the binary up in the real root: the scratch one's path is given instead;
	# and the manual, which is not installed there.
	sed "s|^ExecStart=/usr/local/bin/cputop|ExecStart=$(realpath "$CPUTOP")|" "$unit" \
		>"$tmp/cputop-record.service"
	systemd-analyze verify --man=no "$tmp/cputop-record.service" >"$tmp/verify" 2>&1
	rc=$?
	note "systemd-analyze verify: $(tr '\n' ' ' <"$tmp/verify")"
	check "systemd-analyze verifies the unit" [ "$rc" -eq 0 ]
else
	skip "systemd-analyze verifies the unit" "no systemd-analyze"
fi
finish
