#!/usr/bin/env bash
# Hostile input from a recorded /proc tree (tests/fixtures/proc-hostile, read with
# --proc-root, so no root or eBPF is needed): truncated, oversized and malformed files cost
# only the entries they belong to, which are counted on the Source line, and no name reaches
# the output raw in any format or view.
#
# The tree: well-formed 1000 (goodone), 1001 (a name with ')' and spaces; its second thread
# 1009 has a truncated stat), 1002 (no schedstat: figures from the ticks), 1003 (an empty
# status), 1004 (the longest name, 15 bytes: ESC[2J, a newline, invalid UTF-8, DEL, a C1
# CSI); broken 1005 (stat cut mid-line), 1006 (a 64 KiB stat, a name with ')' and spaces),
# 1007 (a non-numeric field), 1008 (an empty stat), 1010 (a NUL in the name).
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT
FX=tests/fixtures/proc-hostile
EVIL='?[2J???x??evi??'
GOOD="1000 1001 1002 1003 1004"
BAD="1005 1006 1007 1008 1009 1010"
# USER: the owner of the checked-out tree, by name (its number if it has none); the text
# table cuts a name longer than 8 columns to 7 and '+'.
OWNER_FULL=$(getent passwd "$(stat -c %u "$FX/1000")" | cut -d: -f1)
OWNER_FULL=${OWNER_FULL:-$(stat -c %u "$FX/1000")}
OWNER=$OWNER_FULL
[ "${#OWNER}" -gt 8 ] && OWNER="${OWNER:0:7}+"

# No C0 control but the newline, no DEL, no C1 (raw or as UTF-8), and valid UTF-8 throughout.
clean() {
	! LC_ALL=C grep -qaP '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$1" &&
		iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1
}

# all CMD... [-- CMD...]...: whether every command, the ones between "--", succeeds.
all() {
	local cmd=()
	while [ $# -gt 0 ]; do
		if [ "$1" = -- ]; then
			"${cmd[@]}" || return 1
			cmd=()
		else
			cmd+=("$1")
		fi
		shift
	done
	"${cmd[@]}"
}

# The row of PID $3 in iteration $2 of text output $1, blanks squeezed.
row() { rows_of "$1" "$2" | awk -v pid="$3" '$1 == pid { $1 = $1; print; exit }'; }

# Whether every PID of $3 ("" for none) and none of $4 has a row in iteration $2 of $1.
pids_are() {
	local p
	for p in $3; do [ -n "$(row "$1" "$2" "$p")" ] || return 1; done
	for p in $4; do [ -z "$(row "$1" "$2" "$p")" ] || return 1; done
	[ "$(rows_of "$1" "$2" | wc -l)" = "$(wc -w <<<"$3")" ]
}

# --- Text ---
"$CPUTOP" -b -n 2 -d 0.1 --proc-root "$FX" >"$tmp/txt" 2>"$tmp/txt.err"
rc=$?
check "text: exits 0 with nothing on stderr" [ "$rc" = 0 -a ! -s "$tmp/txt.err" ]
check "text: two snapshots" [ "$(iterations_of "$tmp/txt")" = 2 ]
check "text: each Source line counts the 6 tasks unreadable (5 processes, 1 thread)" \
	[ "$(grep -c '^Source: .*, 6 tasks unreadable' "$tmp/txt")" = 2 ]
for it in 1 2; do
	check "text $it: the well-formed processes have rows, the broken ones none" \
		pids_are "$tmp/txt" $it "$GOOD" "$BAD"
	# PID USER S THR %CPU %USR %SYS TIME+ COMMAND; %CPU is 0 (the tree does not change).
	check "text $it: goodone's figures (1 thread, TIME+ from schedstat)" \
		[ "$(row "$tmp/txt" $it 1000)" = "1000 $OWNER S 1 0.0 0.0 0.0 0:00.42 goodone" ]
	check "text $it: a name with ')' and spaces, its unreadable thread left out" \
		[ "$(row "$tmp/txt" $it 1001)" = "1001 $OWNER R 1 0.0 0.0 0.0 0:00.50 x) S 1 (y" ]
	check "text $it: without schedstat, the time comes from the ticks" \
		[ "$(row "$tmp/txt" $it 1002)" = "1002 $OWNER S 1 0.0 0.0 0.0 0:00.10 noschedstat" ]
	check "text $it: an empty status does not matter" \
		[ "$(row "$tmp/txt" $it 1003)" = "1003 $OWNER S 1 0.0 0.0 0.0 0:00.25 emptystatus" ]
	check "text $it: the hostile name is printed sanitised, one '?' a bad byte" \
		[ "$(row "$tmp/txt" $it 1004)" = "1004 $OWNER S 1 0.0 0.0 0.0 0:00.13 $EVIL" ]
done
check "text: no control byte, no invalid UTF-8" clean "$tmp/txt"

# --- CSV ---
"$CPUTOP" -b -n 2 -d 0.1 --format csv --proc-root "$FX" >"$tmp/csv" 2>"$tmp/csv.err"
rc=$?
check "csv: exits 0 with nothing on stderr" [ "$rc" = 0 -a ! -s "$tmp/csv.err" ]
check "csv: no control byte, no invalid UTF-8" clean "$tmp/csv"
csv_records "$tmp/csv" >"$tmp/csv.rec"
check "csv: every record is valid CSV" [ "$(grep -c '^!malformed' "$tmp/csv.rec")" = 0 ]
check "csv: a header and five rows a snapshot" [ "$(wc -l <"$tmp/csv")" = 11 ]
# pid user state threads cpu_ns user_ns sys_ns time_ns command, from the named columns, of
# the first snapshot (figures since start; the second's are of its interval, all 0).
awk -F '\037' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	NR <= 6 { print $c["pid"], $c["user"], $c["state"], $c["threads"], $c["cpu_ns"],
		$c["user_ns"], $c["sys_ns"], $c["time_ns"], $c["command"] }' "$tmp/csv.rec" |
	LC_ALL=C sort >"$tmp/csv.rows"
cat >"$tmp/csv.want" <<EOF
1000 $OWNER_FULL S 1 420000000 336000000 84000000 420000000 goodone
1001 $OWNER_FULL R 1 500000000 375000000 125000000 500000000 x) S 1 (y
1002 $OWNER_FULL S 1 100000000 70000000 30000000 100000000 noschedstat
1003 $OWNER_FULL S 1 250000000 200000000 50000000 250000000 emptystatus
1004 $OWNER_FULL S 1 130000000 100000000 30000000 130000000 $EVIL
EOF
if diff "$tmp/csv.want" "$tmp/csv.rows" >"$tmp/csv.diff"; then
	ok "csv: the well-formed processes with their nanoseconds, the broken ones absent"
else
	not_ok "csv: the well-formed processes with their nanoseconds, the broken ones absent"
	sed 's/^/# /' "$tmp/csv.diff"
fi
check "csv: the second snapshot has the same processes, with the same names" \
	[ "$(awk -F '\037' 'NR >= 7 { print $2, $NF }' "$tmp/csv.rec" | LC_ALL=C sort | tr '\n' ,)" = \
	  "$(awk -F '\037' 'NR >= 2 && NR <= 6 { print $2, $NF }' "$tmp/csv.rec" | LC_ALL=C sort | tr '\n' ,)" ]

# --- JSON ---
"$CPUTOP" -b -n 2 -d 0.1 --format json --proc-root "$FX" >"$tmp/json" 2>"$tmp/json.err"
rc=$?
check "json: exits 0 with nothing on stderr" [ "$rc" = 0 -a ! -s "$tmp/json.err" ]
check "json: no control byte, no invalid UTF-8" clean "$tmp/json"
check "json: two lines, each a JSON object" \
	[ "$(jq -c 'type == "object"' "$tmp/json" 2>/dev/null | grep -c true)" = 2 ]
check "json: task_errors is 6 in each snapshot" \
	[ "$(jq -c '.source.task_errors' "$tmp/json" 2>/dev/null | tr '\n' ' ')" = "6 6 " ]
got=$(jq -r '.rows | sort_by(.pid) | map("\(.pid)=\(.command)=\(.time_ns)") | join(" ")' \
	"$tmp/json" 2>/dev/null | sort -u)
want="1000=goodone=420000000 1001=x) S 1 (y=500000000 1002=noschedstat=100000000"
want="$want 1003=emptystatus=250000000 1004=$EVIL=130000000"
check "json: the well-formed processes, names sanitised, the broken ones absent" \
	[ "$got" = "$want" ]

# --- The other views: the same tree, every name still made safe ---
for args in "-H" "--tree" "--group comm" "--group user" "--cpus" \
	    "--fields PID,USER,COMMAND,CNT,CREDITS,WAIT%" "-o COMMAND" "--filter evi"; do
	for fmt in text csv json; do
		# shellcheck disable=SC2086
		"$CPUTOP" -b -n 2 -d 0.1 --format $fmt $args --proc-root "$FX" \
			>"$tmp/v" 2>"$tmp/v.err"
		rc=$?
		check "$args --format $fmt: exits 0, output clean" \
			all [ "$rc" = 0 -a ! -s "$tmp/v.err" ] -- clean "$tmp/v"
	done
done
"$CPUTOP" -b -n 1 -H --proc-root "$FX" >"$tmp/h"
check "-H: thread 1001 shown, its truncated sibling 1009 not" \
	[ -n "$(row "$tmp/h" 1 1001)" -a -z "$(row "$tmp/h" 1 1009)" ]
"$CPUTOP" -b -n 1 --filter evi --proc-root "$FX" >"$tmp/f"
check "--filter matches the hostile name and shows it sanitised" \
	[ "$(rows_of "$tmp/f" 1 | awk '{ print $1, $9 }')" = "1004 $EVIL" ]

# --- System files: copies of the tree with one file damaged ---
variant() {
	rm -rf "$tmp/root"
	cp -a "$FX" "$tmp/root"
}
# Truncated meminfo: only the memory lines go.
variant
printf 'MemTotal:       16384000 kB\nMemFr' >"$tmp/root/meminfo"
"$CPUTOP" -b -n 2 -d 0.1 --proc-root "$tmp/root" >"$tmp/m" 2>"$tmp/m.err"
rc=$?
check "truncated meminfo: exits 0, memory unavailable, the table intact" \
	all [ "$rc" = 0 -a "$(grep -c '^MiB Mem : unavailable' "$tmp/m")" = 2 ] -- \
	pids_are "$tmp/m" 2 "$GOOD" "$BAD"
# Oversized: a 64 KiB line of junk after the real contents is read past.
for f in stat meminfo loadavg uptime; do
	variant
	printf 'junk%065536d\n' 0 >>"$tmp/root/$f"
	"$CPUTOP" -b -n 2 -d 0.1 --proc-root "$tmp/root" >"$tmp/o" 2>"$tmp/o.err"
	rc=$?
	check "oversized $f (a 64 KiB junk line): exits 0, same figures" \
		all [ "$rc" = 0 -a ! -s "$tmp/o.err" ] -- pids_are "$tmp/o" 2 "$GOOD" "$BAD" -- \
		grep -q '^cputop - .* up  3:25,  load average: 0.52, 0.41, 0.30$' "$tmp/o" -- \
		grep -q '^MiB Mem :  16000.0 total' "$tmp/o" -- grep -q '^%Cpu(s): 15.7 us' "$tmp/o"
done
# Truncated, empty, or with control bytes and invalid UTF-8: a system file that no longer
# parses costs only its own figures, which say "unavailable" with the reason; one that still
# does (junk lines in stat or meminfo are skipped, uptime's first number is whole) keeps them.
# The tasks and the other figures stay, and nothing raw reaches stdout or stderr.
declare -A lost=([stat]='^%Cpu\(s\): unavailable \(/proc/stat: ' [meminfo]='^MiB Mem : unavailable'
	[loadavg]='load average: unavailable \(/proc/loadavg: '
	[uptime]='^cputop - [0-9:]* up unavailable \(/proc/uptime: ')
declare -A shown=([stat]='^%Cpu\(s\): +[0-9]+\.[0-9] us' [meminfo]='^MiB Mem :  16000.0 total'
	[loadavg]='load average: 0.52, 0.41, 0.30$' [uptime]='^cputop - [0-9:]* up  3:25, ')
declare -A kept=([stat]="${shown[loadavg]}" [meminfo]="${shown[stat]}" [loadavg]="${shown[meminfo]}"
	[uptime]="${shown[stat]}")
declare -A json=([stat]='.cpu.stat_unavailable | type == "string"'
	[meminfo]='.memory.available == false' [loadavg]='.load.available == false'
	[uptime]='.uptime_ns == null')
unparsable=" cut:stat empty:stat cut:meminfo empty:meminfo cut:loadavg empty:loadavg "
unparsable+="hostile:loadavg empty:uptime hostile:uptime "
for f in stat meminfo loadavg uptime; do
	for how in cut empty hostile; do
		variant
		case $how in
		cut) head -c 12 "$FX/$f" >"$tmp/root/$f" ;;
		empty) : >"$tmp/root/$f" ;;
		hostile) printf '\e[2J\xff\n%s\n\e]0;pwn\a\n' "$(cat "$FX/$f")" >"$tmp/root/$f" ;;
		esac
		"$CPUTOP" -b -n 2 -d 0.1 --proc-root "$tmp/root" >"$tmp/s" 2>"$tmp/s.err"
		rc=$?
		"$CPUTOP" -b -n 1 --proc-root "$tmp/root" --format json >"$tmp/j" 2>/dev/null
		note "$how $f: status $rc, $(iterations_of "$tmp/s") snapshots," \
			"$(grep -c unavailable "$tmp/s") lines unavailable"
		if [[ $unparsable == *" $how:$f "* ]]; then
			want=${lost[$f]} verdict="unavailable, with why" jq="${json[$f]}"
		else
			want=${shown[$f]} verdict="still shown" jq="(${json[$f]}) | not"
		fi
		check "$how $f: goes on, its figures $verdict, the rest intact, output clean" \
			all [ "$rc" = 0 -a ! -s "$tmp/s.err" ] -- \
			[ "$(grep -Ec "$want" "$tmp/s")" = 2 ] -- \
			[ "$(grep -Ec "${kept[$f]}" "$tmp/s")" = 2 ] -- \
			[ "$(grep -c unavailable "$tmp/s")" = "$([ "$want" = "${lost[$f]}" ] &&
				echo 2 || echo 0)" ] -- \
			pids_are "$tmp/s" 2 "$GOOD" "$BAD" -- clean "$tmp/s"
		check "$how $f: JSON agrees, valid and clean" \
			all jq -e "$jq" "$tmp/j" -- clean "$tmp/j"
	done
done
finish
