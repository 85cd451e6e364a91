# Shared by the integration tests: TAP output, the binaries, and parsers of batch output.
# Sourced from tests/integration/test_*.sh, run from the repository root.
set -u
CPUTOP=${CPUTOP:-build/cputop}
WORKLOAD=${WORKLOAD:-build/tests/workload}
NCPU=$(nproc)
tap_n=0
tap_failed=0	# how many checks failed so far
pids_to_kill=()

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
not_ok() { tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $*"; }
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1 # SKIP $2"; }
# check NAME COND-COMMAND...: ok when the command succeeds.
check() { local name=$1; shift; if "$@"; then ok "$name"; else not_ok "$name"; fi; }
note() { echo "# $*"; }
# The end of every test script, early ones (all skipped) included: status 1 when any check
# failed, so that a script run alone says what its checks said, 0 otherwise.
finish() { exit $((tap_failed > 0)); }

cleanup() {
	local p
	for p in "${pids_to_kill[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
}
trap cleanup EXIT

# Start a workload in the background; sets WL_PID once it has printed "ready PID".
# Its output goes to $1 (a file); the rest of the arguments are the workload's.
start_workload() {
	local out=$1 i
	shift
	"$WORKLOAD" "$@" >"$out" &
	pids_to_kill+=($!)
	for i in $(seq 100); do
		WL_PID=$(awk '/^ready/ { print $2 }' "$out")
		[ -n "$WL_PID" ] && return 0
		sleep 0.05
	done
	echo "# workload $* did not start"
	return 1
}

# Whether the eBPF source works here: as root, with BTF, cputop says "Source: eBPF".
bpf_available() {
	[ "$(id -u)" = 0 ] && [ -r /sys/kernel/btf/vmlinux ] &&
		"$CPUTOP" -b -n 1 --top 1 2>/dev/null | grep -q '^Source: eBPF'
}

# The rows of iteration $2 (1-based) of batch output file $1, as "PID USER S THR CPU USR SYS
# TIME COMMAND" (COMMAND may have spaces; it is the rest of the line).
rows_of() {
	awk -v want="$2" '/^cputop - / { it++; intable = 0; next }
		it == want && /^ +PID USER/ { intable = 1; next }
		it == want && intable && NF >= 9 { print }' "$1"
}

# steal% of all CPUs in iteration $2 of batch output $1 (the %Cpu(s) line's st).
steal_of() {
	awk -v want="$2" '/^cputop - / { it++ } it == want && /^%Cpu/ { gsub(",", ""); print $16 }' "$1"
}

# The interval of iteration $2 in seconds, from the Source line.
interval_of() {
	awk -v want="$2" '/^cputop - / { it++ } it == want && /^Source:/ {
		for (i = 1; i <= NF; i++) if ($i == "interval") { print $(i + 1); exit } }' "$1"
}

iterations_of() { grep -c '^cputop - ' "$1"; }

# TIME+ (M:SS.hh) in seconds.
time_s() { awk -v t="$1" 'BEGIN { split(t, a, ":"); printf "%.2f\n", a[1] * 60 + a[2] }'; }

# Float comparisons: fcmp "A >= B".
fcmp() { awk "BEGIN { exit !($*) }"; }

# Column $4 (a header name, e.g. SYSC) of process $3 in iteration $2 of batch output $1,
# whatever --fields chose; COMMAND, the last column, is left out of the lookup.
field_of() {
	awk -v want="$2" -v pid="$3" -v name="$4" '/^cputop - / { it++; col = 0; next }
		it == want && $1 == "PID" { for (i = 1; i <= NF; i++) if ($i == name) col = i; next }
		it == want && col && $1 == pid { print $col; exit }' "$1"
}

# all_intervals OUT PID FIELD COND: in every interval after the first of batch output OUT,
# column FIELD of PID meets COND, an awk condition on v (e.g. "v > 10"); the values are
# printed as a note. At least 2 such intervals.
all_intervals() {
	local out=$1 pid=$2 name=$3 cond=$4 it v bad=0 vals=
	for it in $(seq 2 "$(iterations_of "$out")"); do
		v=$(field_of "$out" "$it" "$pid" "$name")
		vals="$vals $v"
		[ -n "$v" ] && awk -v v="$v" "BEGIN { exit !($cond) }" || bad=1
	done
	note "$name of $pid per interval:$vals (want $cond)"
	[ "$bad" = 0 ] && [ "$(iterations_of "$out")" -ge 3 ]
}

# The "Sums:" line of iteration $2 (--cpus): "CTXT CSW SYSC_CPUS SYSC_TASKS", per second.
sums_of() {
	awk -v want="$2" '/^cputop - / { it++ } it == want && /^Sums:/ {
		gsub(/[,;]|\/s/, ""); print $3, $7, $9, $12; exit }' "$1"
}

# Wall-clock time now, in ns since the Unix epoch.
wall_ns() { date +%s%N; }

# Wait (up to 10 s) until file $1 has a line matching the extended regex $2, e.g. until a
# cputop started in the background has printed its first snapshot.
wait_for_line() {
	local i
	for i in $(seq 200); do
		grep -qE -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "# no line matching $2 in $1"
	return 1
}

# The column headers of iteration $2 of batch output $1 (the process, tree or group table),
# blanks squeezed: "PID USER S ..." or "CNT USER THR ...".
header_of() {
	awk -v want="$2" '/^cputop - / { it++; next }
		it == want && ($1 == "PID" || $1 == "CNT") { $1 = $1; print; exit }' "$1"
}

# Column $4 (a header name, e.g. CNT) of the group whose key is $3 (its COMMAND with
# --group comm, its USER with --group user) in iteration $2 of batch output $1.
group_field_of() {
	awk -v want="$2" -v key="$3" -v name="$4" '/^cputop - / { it++; col = 0; kc = 0; next }
		it == want && $1 == "CNT" {
			for (i = 1; i <= NF; i++) {
				if ($i == name) col = i
				if ($i == "COMMAND" || ($i == "USER" && !kc)) kc = i
			}
			last = ($kc == "COMMAND"); next
		}
		it == want && col && kc {
			k = $kc
			if (last) for (i = kc + 1; i <= NF; i++) k = k " " $i
			if (k == key) { print $col; exit }
		}' "$1"
}

# The records of CSV file $1 (RFC 4180, no line break inside a field), one per line, fields
# unquoted and separated by \037 (US); a record that is not valid CSV prints "!malformed: LINE".
csv_records() {
	awk '{
		# st: 0 at a field start, 1 in a plain field, 2 in quotes, 3 after the closing quote
		out = ""; f = ""; st = 0; bad = 0
		for (i = 1; i <= length($0); i++) {
			c = substr($0, i, 1)
			if (st == 2) {
				if (c != "\"") f = f c
				else if (substr($0, i + 1, 1) == "\"") { f = f c; i++ }
				else st = 3
			} else if (c == ",") { out = out f "\037"; f = ""; st = 0 }
			else if (c == "\"") { if (st == 0) st = 2; else bad = 1 }
			else if (st == 3) bad = 1
			else { f = f c; st = 1 }
		}
		if (st == 2) bad = 1
		if (bad) print "!malformed: " $0; else print out f
	}' "$1"
}

# A loopback TCP port that nothing listens on now (for a server a test starts).
free_port() {
	local p
	while :; do
		p=$((RANDOM % 30000 + 20000))
		ss -Hltn "sport = :$p" | grep -q . || { echo "$p"; return; }
	done
}

# wait_cmd SECS CMD: until the shell command CMD (a string) succeeds, at most SECS seconds.
wait_cmd() {
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		eval "$2" && return 0
		sleep 0.1
	done
	return 1
}
