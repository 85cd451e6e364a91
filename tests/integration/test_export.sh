#!/usr/bin/env bash
# --listen's HTTP side, on a live eBPF cputop: both text formats (promtool), counters that never
# go down, /snapshot and /stream, the limits (methods, streams, the Host, request size, 500 idle
# connections), beside the interactive view, and twice 10,000 command names against the
# bounded tables. Its figures against a real Prometheus are test_prometheus.sh's.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
tmp=$(mktemp -d)
SOCK=cputop-export-$$
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; cleanup; rm -rf "$tmp"' EXIT
checks=(promtool openmetrics monotone snapshot stream stream-limit methods host-check
	big-request idle-conns names-bounded beside-tui)

if ! bpf_available || ! command -v promtool >/dev/null || ! command -v curl >/dev/null ||
   ! command -v tmux >/dev/null; then
	for t in "${checks[@]}"; do skip "$t" "needs root, eBPF, promtool, curl and tmux"; done
	finish
fi

CT_PORT=$(free_port)
URL=http://127.0.0.1:$CT_PORT
taskset -c 0 "$CPUTOP" --listen "127.0.0.1:$CT_PORT" --format none -d 0.25 --export-streams 2 \
	--export-limit 200 2>"$tmp/cputop.err" &
CT_PID=$!
pids_to_kill+=($CT_PID)
start_workload "$tmp/spin.out" spin 30 1 || exit 1
SPIN_PID=$WL_PID
if ! wait_cmd 5 "curl -s '$URL/metrics' | grep -q '^cputop_program_cpu_seconds_total{program=\"ct-spin\"'"; then
	note "cputop never served ct-spin:"; sed 's/^/# /' "$tmp/cputop.err"
	for t in "${checks[@]}"; do not_ok "$t"; done
	finish
fi

# Twice 10,000 new command names, before any JSON is asked for: the program series stay within
# --export-limit 200 (and "(other programs)"), and the second burst leaves cputop's memory about where
# the first did (what it took for a refresh of 10,000 exits is used again), but for the 48
# bytes its history of programs keeps of each name.
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$CT_PID/status"; }
rss0=$(rss)
taskset -c 0 "$WORKLOAD" names 10000 >"$tmp/names.out"
sleep 1
rss1=$(rss)
taskset -c 0 "$WORKLOAD" names 10000 10000 >"$tmp/names.out"
sleep 1
curl -s "$URL/metrics" >"$tmp/names.txt"
progs=$(grep -c '^cputop_program_exits_total{' "$tmp/names.txt")
rss2=$(rss)
note "after 2 x 10,000 names: $progs programs exported, RSS $rss0 -> $rss1 -> $rss2 kB"
# Under ASan, freed memory waits in its quarantine: RSS says nothing there.
asan=0
ldd "$CPUTOP" 2>/dev/null | grep -q libasan && asan=1
if [ "$progs" -le 201 ] &&
	grep -q '^cputop_program_exits_total{program="(other programs)"} ' "$tmp/names.txt" &&
	{ [ $asan = 1 ] || [ $((rss2 - rss1)) -lt 4096 ]; } && kill -0 "$CT_PID"; then
	ok names-bounded; else not_ok names-bounded; fi

curl -s "$URL/metrics" >"$tmp/m1.txt"
if promtool check metrics <"$tmp/m1.txt" >"$tmp/promtool.out" 2>&1 &&
   grep -q '^cputop_program_cpu_seconds_total{program="ct-spin",mode="user"} ' "$tmp/m1.txt"; then
	ok promtool
else
	not_ok promtool; sed 's/^/# /' "$tmp/promtool.out" | head -20
fi

# OpenMetrics when the Accept header prefers it (as Prometheus' does): its type, the family
# names without _total, and # EOF last.
om_type=$(curl -s -o "$tmp/om.txt" -w '%{content_type}' -H \
	'Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' \
	"$URL/metrics")
if [ "${om_type%%;*}" = application/openmetrics-text ] &&
	grep -q '^# TYPE cputop_program_cpu_seconds counter$' "$tmp/om.txt" &&
	[ "$(tail -n 1 "$tmp/om.txt")" = "# EOF" ] &&
	[ "$(curl -s -o /dev/null -w '%{content_type}' "$URL/metrics")" = \
	  "text/plain; version=0.0.4; charset=utf-8" ]; then
	ok openmetrics; else not_ok openmetrics; fi

# Five scrapes over five refreshes: no counter of a series seen twice ever went down.
for i in 1 2 3 4 5; do curl -s "$URL/metrics" >"$tmp/mono$i.txt"; sleep 0.3; done
down=$(awk '/^#/ { next } $1 ~ /_total/ { if (($1 in v) && $2 + 0 < v[$1]) { print $1, v[$1], $2 }
	v[$1] = $2 + 0 }' "$tmp"/mono[1-5].txt)
series=$(grep -c '_total' "$tmp/mono5.txt")
if [ -z "$down" ] && [ "$series" -gt 20 ]; then ok monotone; else
	not_ok monotone; note "$series counters; went down: $down"; fi

# /snapshot: the object --format json prints; /stream: one per refresh, newer each time.
curl -s -D "$tmp/snap.h" "$URL/snapshot" >"$tmp/snap.json"
if grep -qi '^content-type: application/json' "$tmp/snap.h" &&
	jq -e '.source.kind == "ebpf" and (.rows | length) > 0 and (.exits | type) == "array"' \
	"$tmp/snap.json" >/dev/null; then
	ok snapshot; else not_ok snapshot; fi
timeout 1.5 curl -sN "$URL/stream" >"$tmp/stream.txt"
mapfile -t stamps < <(sed -n 's/^data: //p' "$tmp/stream.txt" | jq -r '.timestamp_ns')
if [ "${#stamps[@]}" -ge 2 ] && [ "${stamps[1]}" -gt "${stamps[0]}" ] &&
   [ "$(grep -c '^data: {' "$tmp/stream.txt")" = "${#stamps[@]}" ]; then ok stream; else
	not_ok stream; note "${#stamps[@]} events: ${stamps[*]}"; fi

# --export-streams 2: a third at once is told to come back. A stream waiting for a refresh
# learns that its client has gone at the next: the one above has ended a refresh later.
sleep 0.5
curl -sN "$URL/stream" >"$tmp/s1.txt" & s1=$!
curl -sN "$URL/stream" >"$tmp/s2.txt" & s2=$!
pids_to_kill+=($s1 $s2)
wait_cmd 5 "grep -q '^data' '$tmp/s1.txt' && grep -q '^data' '$tmp/s2.txt'"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$URL/stream")
kill $s1 $s2 2>/dev/null
if [ "$code" = 503 ]; then ok stream-limit; else not_ok stream-limit; note "a third stream: $code"; fi

# GET and HEAD only; HEAD has the headers and no body; an unknown path is 404.
post=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/metrics")
head_len=$(curl -s -I "$URL/metrics" | tr -d '\r' | awk -F': ' 'tolower($1) == "content-length" { print $2 }')
nf=$(curl -s -o /dev/null -w '%{http_code}' "$URL/nothing")
if [ "$post" = 405 ] && [ "$nf" = 404 ] && [ "${head_len:-0}" -gt 1000 ] &&
	curl -s "$URL/" | grep -q 'href="/metrics"'; then
	ok methods; else not_ok methods; fi

# Beside the interactive view too: the same frames, served between its keys and refreshes.
TUI_PORT=$(free_port)
HOME=$tmp XDG_CONFIG_HOME=$tmp tmux -L "$SOCK" new-session -d -s tui -x 120 -y 30 \
	"taskset -c 0 $CPUTOP -d 0.5 --listen 127.0.0.1:$TUI_PORT"
if wait_cmd 5 "curl -s '127.0.0.1:$TUI_PORT/metrics' | grep -q '^cputop_program_cpu_seconds_total{program=\"ct-spin\"'" &&
   tmux -L "$SOCK" capture-pane -p -t tui | grep -q 'ct-spin'; then
	ok beside-tui
else
	not_ok beside-tui; tmux -L "$SOCK" capture-pane -p -t tui | head -5 | sed 's/^/# /'
fi
tmux -L "$SOCK" kill-server 2>/dev/null

# On loopback, a Host that is not it (a page's own name resolved to 127.0.0.1: DNS rebinding)
# is refused; the loopback names and HTTP/1.0's no Host at all are served.
evil=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: attacker.example:80' "$URL/snapshot")
named=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: localhost:$CT_PORT" "$URL/metrics")
bare=$(curl -s -o /dev/null -w '%{http_code}' -0 -H 'Host:' "$URL/metrics")
if [ "$evil" = 421 ] && [ "$named" = 200 ] && [ "$bare" = 200 ]; then ok host-check; else
	not_ok host-check; note "foreign Host: $evil, localhost: $named, none: $bare"; fi

# A request whose headers do not fit its connection's memory is refused, and cputop goes on.
big=$(head -c 20000 /dev/zero | tr '\0' x)
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $big" "$URL/metrics")
if [ "$code" -ge 400 ] && [ "$code" -lt 500 ] &&
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$URL/metrics")" = 200 ]; then
	ok big-request; else not_ok big-request; fi

# 500 connections opened and left idle do not keep others from being served.
idle_fds=()
for i in $(seq 500); do
	exec {fd}<>"/dev/tcp/127.0.0.1/$CT_PORT" || break
	idle_fds+=("$fd")
done
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$URL/metrics")
for fd in "${idle_fds[@]}"; do exec {fd}>&-; done
if [ "${#idle_fds[@]}" = 500 ] && [ "$code" = 200 ]; then ok idle-conns; else
	not_ok idle-conns; note "${#idle_fds[@]} idle, then $code"; fi

kill "$SPIN_PID" 2>/dev/null
finish
