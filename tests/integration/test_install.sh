#!/usr/bin/env bash
# make install into a scratch root: the binary, the manual and the recorder's and exporter's
# systemd units, whose ExecStart names the installed binary and whose options cputop takes (the
# recorder's run for one refresh into a scratch directory, the exporter's on a scratch port);
# systemd-analyze verifies the units.
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

# The exporter's: loopback only, and its options serve /metrics (on a scratch port).
xunit=$tmp/root/usr/local/lib/systemd/system/cputop-exporter.service
check "make install: the exporter's unit" [ -s "$xunit" ]
xstart=$(sed -n 's/^ExecStart=//p' "$xunit")
note "ExecStart=$xstart"
if [ "${xstart%% *}" = /usr/local/bin/cputop ] && grep -q -- '--listen 127.0.0.1:' <<<"$xstart"
then
	ok "the exporter's unit starts the installed binary, on loopback"
else
	not_ok "the exporter's unit starts the installed binary, on loopback"
fi
port=$(free_port)
xargs=${xstart#* }
# shellcheck disable=SC2086
"$CPUTOP" ${xargs/127.0.0.1:[0-9]*/127.0.0.1:$port} -n 20 2>"$tmp/xerr" &
xpid=$!
pids_to_kill+=($xpid)
code=
for i in $(seq 50); do
	code=$(curl -s -o "$tmp/metrics" -w '%{http_code}' "http://127.0.0.1:$port/metrics") &&
		[ "$code" = 200 ] && grep -q '^cputop_build_info' "$tmp/metrics" && break
	sleep 0.1
done
kill "$xpid" 2>/dev/null
check "the exporter's unit's options serve /metrics" [ "$code" = 200 ]

if command -v systemd-analyze >/dev/null; then
	# verify looks the binary up in the real root: the scratch one's path is given instead;
	# and the manual, which is not installed there.
	for u in "$unit" "$xunit"; do
		sed "s|^ExecStart=/usr/local/bin/cputop|ExecStart=$(realpath "$CPUTOP")|" "$u" \
			>"$tmp/${u##*/}"
		systemd-analyze verify --man=no "$tmp/${u##*/}" >"$tmp/verify" 2>&1
		rc=$?
		note "systemd-analyze verify ${u##*/}: $(tr '\n' ' ' <"$tmp/verify")"
		check "systemd-analyze verifies ${u##*/}" [ "$rc" -eq 0 ]
	done
else
	skip "systemd-analyze verifies the units" "no systemd-analyze"
fi
finish
