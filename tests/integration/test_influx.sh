#!/usr/bin/env bash
# The exit log against a real InfluxDB (Debian's influxdb, 1.6): an influxd of the test's own,
# on loopback, takes the whole log on /write, and queries give back one point per exited test
# process, under its exact name, with the CPU its parent's getrusage says it used. The names
# are hostile to line protocol (space, comma, equals sign, backslash, double quote, UTF-8, a
# leading '#'): a real parser is what says whether the escaping is right.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
tmp=$(mktemp -d)
influx_pid='' top_pid=''

# influxd and cputop are killed here, not through pids_to_kill: once waited for, their PIDs may
# belong to someone else. The directory goes only once influxd, which writes in it, is gone.
stop_all() {
	local p
	for p in $top_pid $influx_pid; do kill -9 "$p" 2>/dev/null; done
	cleanup
	rm -rf "$tmp"
}
trap stop_all EXIT
# A signal ends the script through exit, so that the EXIT trap runs whatever ends it.
trap 'exit 1' INT TERM HUP

# Each name is a symbolic link to bash: exec sets comm from the path's last part, at most 15
# bytes. 1 is a control with nothing to escape. 2 to 4 must come back byte for byte: InfluxDB
# 1.x takes a tag value's backslashes as they are, and unescapes only '\,', '\=' and '\ '.
# 5 ends in a backslash, which its line protocol cannot carry exactly (influxdata/influxdb#5231:
# the backslash escapes the separator after it): its line must still be accepted, and its
# points be there, under whatever name.
names=(
	'ct-influx'
	'#ct a,b=c d'
	'"ct" é=1'
	'ct\x\\y'
	'ct end\'
)
exact=(1 1 1 1 0)
labels=(plain "leading hash, spaces, comma, equals" "double quotes, UTF-8, equals" backslashes
	"trailing backslash")

checks=(run write all-points)
for i in "${!names[@]}"; do checks+=("points-$((i + 1))" "cpu-$((i + 1))"); done
skip_all() {
	local t
	for t in "${checks[@]}"; do skip "$t" "$1"; done
	finish
}
bpf_available || skip_all "needs root and eBPF"
for t in influxd curl jq; do
	command -v "$t" >/dev/null || skip_all "needs $t (Debian packages influxdb, curl, jq)"
done

# --- An influxd of our own: everything in $tmp, HTTP and RPC on loopback, nothing else ---
# Start influxd on two free ports; 0 once /ping answers 204 from it, 2 if a port was taken
# meanwhile (try again), 1 on any other failure.
start_influxd() {
	local code i
	http_port=$(free_port)
	rpc_port=$(free_port)
	[ "$http_port" = "$rpc_port" ] && return 2
	url=http://127.0.0.1:$http_port
	rm -rf "$tmp/influx"
	mkdir -p "$tmp/influx"
	cat >"$tmp/influx/influxdb.conf" <<-EOF
		reporting-disabled = true
		bind-address = "127.0.0.1:$rpc_port"
		[meta]
		  dir = "$tmp/influx/meta"
		[data]
		  dir = "$tmp/influx/data"
		  wal-dir = "$tmp/influx/wal"
		  query-log-enabled = false
		[monitor]
		  store-enabled = false
		[subscriber]
		  enabled = false
		[retention]
		  enabled = false
		[shard-precreation]
		  enabled = false
		[continuous_queries]
		  enabled = false
		[http]
		  bind-address = "127.0.0.1:$http_port"
		  log-enabled = false
		  pprof-enabled = false
		[ifql]
		  enabled = false
		[logging]
		  level = "warn"
		  suppress-logo = true
		[[graphite]]
		  enabled = false
		[[collectd]]
		  enabled = false
		[[opentsdb]]
		  enabled = false
		[[udp]]
		  enabled = false
	EOF
	# A clean environment: INFLUXDB_* variables would override the file.
	env -i PATH="$PATH" influxd run -config "$tmp/influx/influxdb.conf" \
		>"$tmp/influx/log" 2>&1 &
	influx_pid=$!
	for i in $(seq 200); do
		if ! kill -0 "$influx_pid" 2>/dev/null; then
			wait "$influx_pid"
			influx_pid=
			grep -q 'address already in use' "$tmp/influx/log" && return 2
			return 1
		fi
		code=$(curl -s --noproxy '*' --max-time 2 -o /dev/null -w '%{http_code}' "$url/ping")
		[ "$code" = 204 ] && return 0
		sleep 0.05
	done
	return 1
}
influx_ok=1
for _ in 1 2 3 4 5; do
	start_influxd
	rc=$?
	[ "$rc" = 2 ] && continue
	[ "$rc" = 0 ] && influx_ok=0
	break
done
if [ "$influx_ok" != 0 ]; then
	note "influxd did not start (it exited, or /ping gave no 204 within 10 s); its log:"
	sed 's/^/# /' "$tmp/influx/log"
	for t in "${checks[@]}"; do not_ok "$t: no InfluxDB to check against"; done
	finish
fi
note "influxd $(influxd version 2>/dev/null | awk '{ print $2 }') on 127.0.0.1:$http_port (RPC $rpc_port)"

# influx_query Q: the JSON answer to InfluxQL Q in the test's database.
db=cputop_test
influx_query() {
	curl -s --noproxy '*' --max-time 10 -G "$url/query" --data-urlencode "db=$db" \
		--data-urlencode "q=$1"
}
curl -s --noproxy '*' --max-time 10 -XPOST "$url/query" --data-urlencode "q=CREATE DATABASE $db" \
	>"$tmp/create.json"
if ! jq -e '.results[0].error == null and .error == null' "$tmp/create.json" >/dev/null; then
	note "CREATE DATABASE: $(cat "$tmp/create.json")"
	for t in "${checks[@]}"; do not_ok "$t: no database to write to"; done
	finish
fi

# --- cputop with the exit log, while each name runs a few children one after the other ---
mkdir "$tmp/bin"
for i in "${!names[@]}"; do ln -s "$(command -v bash)" "$tmp/bin/${names[i]}"; done
"$CPUTOP" -b -d 0.25 --format text --exit-log "$tmp/exit.lp" >"$tmp/top.txt" 2>"$tmp/top.err" &
top_pid=$!
# Its first snapshot: the eBPF program is attached and every exit from now on is seen.
wait_for_line "$tmp/top.txt" '^cputop - ' || exit 1

# Name i runs 3 + i children, each a builtin loop of about 25 ms of CPU in user space, from a
# subshell of its own: the children's parent, whose times(1) says what they used (getrusage of
# its reaped children) and which does nothing else in between.
spawners=()
for i in "${!names[@]}"; do
	(
		echo "$BASHPID" >"$tmp/ppid.$i"
		for ((k = 0; k < 3 + i; k++)); do
			"$tmp/bin/${names[i]}" -c 'for ((j = 0; j < 20000; j++)); do :; done'
		done
		times >"$tmp/times.$i"
	) &
	spawners+=($!)
done
wait "${spawners[@]}"
# Two refreshes for the last exits, then SIGTERM: its last frame drains what is left.
sleep 0.6
kill -TERM "$top_pid"
wait "$top_pid"
rc=$?
top_pid=
note "the exit log: $(grep -c . "$tmp/exit.lp") lines; cputop ended with status $rc"
check "cputop --exit-log ran and ended with status 0 and no message" \
	eval '[ "$rc" = 0 ] && [ ! -s "$tmp/top.err" ] && [ -s "$tmp/exit.lp" ]'
[ -s "$tmp/top.err" ] && sed 's/^/# cputop: /' "$tmp/top.err"

# --- The whole log on /write, then what the queries give back ---
code=$(curl -s --noproxy '*' --max-time 20 -o "$tmp/write.body" -w '%{http_code}' -XPOST \
	"$url/write?db=$db&precision=ns" --data-binary "@$tmp/exit.lp")
check "/write takes the whole exit log: HTTP 204 (got $code)" [ "$code" = 204 ]
[ "$code" != 204 ] && note "/write answered: $(head -c 4000 "$tmp/write.body")"

lines=$(grep -c '^cputop_exit,' "$tmp/exit.lp")
points=$(influx_query 'SELECT count(pid) FROM cputop_exit' | jq -r '.results[0].series[0].values[0][1] // 0')
check "as many cputop_exit points as the log has lines ($points of $lines)" \
	[ "$points" = "$lines" -a "$lines" -gt 0 ]

for i in "${!names[@]}"; do
	want=${names[i]} n=$((3 + i)) ppid=$(cat "$tmp/ppid.$i")
	# getrusage of the children, in seconds: user + system of times(1)'s second line.
	used=$(awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, "m"); sub("s", "", t[2])
		s += t[1] * 60 + t[2] } } END { printf "%.3f", s }' "$tmp/times.$i")
	# Its children's points by their parent, whatever became of their name: one line a
	# comm, "count<TAB>cpu seconds<TAB>comm" (comm last and raw: jq's @tsv would escape it).
	influx_query "SELECT count(pid), sum(user_s), sum(sys_s) FROM cputop_exit
		WHERE ppid = $ppid GROUP BY comm" |
		jq -r '.results[0].series // [] | .[] |
			"\(.values[0][1])\t\(.values[0][2] + .values[0][3])\t\(.tags.comm)"' \
			>"$tmp/got.$i"
	cnt='' cpu='' comm=''
	IFS=$'\t' read -r cnt cpu comm <"$tmp/got.$i"
	series=$(grep -c . "$tmp/got.$i")
	note "${labels[i]}: $(printf %q "$want") ran $n times, using $used s (getrusage);" \
		"InfluxDB: $series name(s), $(printf %q "${comm:-}") ${cnt:-0} points, ${cpu:-0} s;" \
		"the log: $(grep -cF ",ppid=${ppid}i," "$tmp/exit.lp") lines"
	if [ "${exact[i]}" = 1 ]; then
		check "${labels[i]}: $n points, under the name byte for byte" \
			eval '[ "$series" = 1 ] && [ "$cnt" = "$n" ] && [ "$comm" = "$want" ]'
	else
		check "${labels[i]}: $n points, under one name (line protocol cannot carry it whole)" \
			eval '[ "$series" = 1 ] && [ "$cnt" = "$n" ]'
	fi
	check "${labels[i]}: their CPU within 10% of getrusage's" \
		fcmp "${cpu:-0} >= 0.9 * $used && ${cpu:-0} <= 1.1 * $used && $used > 0"
done
finish
