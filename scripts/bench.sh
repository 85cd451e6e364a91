#!/usr/bin/env bash
# What watching costs: cputop against top, pidstat and bpftrace (README.md, "What watching
# costs" and "Benchmark").
# Usage: scripts/bench.sh [--quick] [REPS]   as root, after `make all build/evbench
# build/floor.bpf.o` (`make bench` builds and runs it); CPUTOP=PATH benches another build
# (EVBENCH=PATH, FLOOR=PATH: their own, as `make test SANITIZE=1` passes them); BASE=PATH, a
# build to compare with in the same run (the one before a change), attached as cputop is.
#   1. CPU per refresh at N idle processes: the median refresh of a run of cputop, top or
#      pidstat (each prints a burst of output per refresh) after its second burst, which
#      leaves out start-up (its BPF load varies by more than a refresh costs)
#   2. ns per getppid() and per switch of a pinned pipe ping-pong, with each contender
#      attached: nothing, empty BPF programs on the same hooks (the floor), cputop's modes,
#      bpftrace doing the same per-thread accounting; each against nothing attached just
#      before it (2 * REPS + 1 pairs)
#   3. time from fork to the first line at the largest N; 4. peak RSS there
#   5. CPU per scrape: cputop's GET /metrics (--listen) against prometheus-node-exporter's, each
#      alone on a loopback port, warmed by a second of scrapes: its CPU (its CPU-time clock, all
#      threads) under 50 scrapes/s for 10 s, less what its CPU at rest over the 5 s before
#      (cputop refreshes on its own) would have been, over the answers; with scrapeload's p99
#   6. cputop under load, once: 200 scrapes/s for 20 s over 4 connections with 1,000 more
#      processes alive: p99 latency, the spacing of its refreshes meanwhile (interval_ns of its
#      JSON lines), its RSS before and after; then scrapes beside 100 connections that never
#      finish a request
#   5 and 6 need SCRAPELOAD=PATH (build/scrapeload) and cputop's --listen; 5 node_exporter too
#   (NODE_EXPORTER=PATH, or prometheus-node-exporter in PATH). What is missing is skipped.
# Each figure is the median of REPS repetitions (5; 2 with --quick), and each repetition
# measures every contender in turn, so that the drift of this shared machine falls on all.
# --quick (make test): N=1000 only, fewer iterations, and only what its guards compare: the
# syscall cost of cputop and of the floor, cputop's and top's refresh, cputop's start-up (no
# switch cost, no --no-syscalls or hash mode, no pidstat or bpftrace, no scrapes); exits 1 if a
# guard fails (a gross regression against a peer measured in the same run, never a fixed figure).
set -eu
cd "$(dirname "$0")/.."
quick=0
if [ "${1:-}" = --quick ]; then
	quick=1
	shift
fi
reps=${1:-$((quick ? 2 : 5))}
treps=$((2 * reps + 1))		# tracing pairs are quick and noisy: more of them
# --quick guards the syscall cost against the floor's: on a slow day (getppid() at 1 us, not
# 0.2) five pairs once put the floor at +108 ns, where a full run of that day found +193.
[ $quick = 0 ] || treps=$((treps > 7 ? treps : 7))
# The refreshes measured: 4 after the first 2 (start-up), a delay apart; --quick's half as
# long, as a refresh costs the same CPU whatever the delay.
[ $quick = 1 ] && delay=0.5 || delay=1
ct=${CPUTOP:-build/cputop} ev=${EVBENCH:-build/evbench} floor=${FLOOR:-build/floor.bpf.o}
base=${BASE:-}
sl=
[ $quick = 1 ] || sl=${SCRAPELOAD:-build/scrapeload}
for f in $ct $ev $floor $base $sl; do
	[ -e $f ] || { echo "bench.sh: no $f (make bench builds it)" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "bench.sh: run as root (BPF)" >&2; exit 2; }
if [ $quick = 1 ]; then
	calls=500000 trips=50000 sizes="1000"
else
	calls=3000000 trips=200000 sizes="100 1000 5000"
fi
big=${sizes##* }
cpu=$(($(nproc) - 1))
at_rest=$(ls -d /proc/[0-9]* | wc -l)
has() { $ct --help 2>&1 | grep -q -- "$1"; }
modes="nothing floor cputop"
if [ $quick = 0 ]; then
	has --no-syscalls && modes+=" nosys"
	has --bpf-storage && modes+=" hash"
	[ -z "$base" ] || modes+=" base"
fi
# The figures of the tracing pairs: ns per getppid() (sys), and per switch (sw).
figs="sys sw"
[ $quick = 0 ] || figs=sys

# bpftrace doing what cputop does: each thread's on-CPU time cut at switches and at system
# call entry and exit, into user and system time, in maps keyed by thread id.
bt_probes='
tracepoint:sched:sched_switch {
	$t = nsecs;
	$p = args->prev_pid;
	if (@start[$p]) {
		if (@insys[$p]) { @sys[$p] += $t - @start[$p]; }
		else { @usr[$p] += $t - @start[$p]; }
	}
	@start[args->next_pid] = $t;
}
tracepoint:raw_syscalls:sys_enter {
	$t = nsecs;
	if (@start[tid]) { @usr[tid] += $t - @start[tid]; }
	@start[tid] = $t;
	@insys[tid] = 1;
}
tracepoint:raw_syscalls:sys_exit {
	$t = nsecs;
	if (@start[tid]) { @sys[tid] += $t - @start[tid]; }
	@start[tid] = $t;
	@insys[tid] = 0;
}
END { clear(@start); clear(@insys); clear(@usr); clear(@sys); }'
# BEGIN runs once every probe is attached.
bt_prog="BEGIN { printf(\"ready\\n\"); } $bt_probes"
bt_once="BEGIN { printf(\"ready\\n\"); exit(); } $bt_probes"

tmp=$(mktemp -d)
bg=
srv=		# the server of the scrape figures
idle=		# and its idle connections
tracefs=
cleanup() {
	for p in $bg $srv $idle; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	[ -z "$tracefs" ] || umount "$tracefs"
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# bpftrace's tracepoints need tracefs; mount it for this run if it is not.
if [ $quick = 0 ] && command -v bpftrace >/dev/null; then
	modes+=" bpftrace"
	if ! mountpoint -q /sys/kernel/tracing; then
		mount -t tracefs nodev /sys/kernel/tracing
		tracefs=/sys/kernel/tracing
	fi
fi

# Start CMD... in the background as $bg, output to $tmp/bg.out, until a line matches $1.
start_bg() {
	local want=$1 i
	shift
	"$@" >"$tmp/bg.out" 2>"$tmp/bg.err" &
	bg=$!
	for i in $(seq 600); do
		grep -q "$want" "$tmp/bg.out" && return 0
		kill -0 $bg 2>/dev/null || break
		sleep 0.05
	done
	echo "bench.sh: $* did not print $want: $(cat "$tmp/bg.out" "$tmp/bg.err")" >&2
	exit 1
}

stop_bg() {
	kill "$bg"
	wait "$bg" || true
	bg=
}

attach() {
	case $1 in
	nothing) ;;
	floor) start_bg '^attached' $ev attach $floor ;;
	# As it runs for a user: a refresh a second, the cost window before each included.
	cputop) start_bg '^Source: eBPF' $ct -b -d 1 --top 1 ;;
	nosys) start_bg '^Source: eBPF' $ct -b -d 1 --top 1 --no-syscalls ;;
	hash) start_bg '^Source: eBPF' $ct -b -d 1 --top 1 --bpf-storage hash ;;
	base) start_bg '^Source: eBPF' $base -b -d 1 --top 1 ;;
	bpftrace) start_bg '^ready' bpftrace -e "$bt_prog" ;;
	esac
}

# CPU per refresh (ms, to $tmp/ref.$1) and peak RSS (MiB, to $tmp/rss.$1) of a run of CMD...
refresh_cost() {
	local out=$1 r
	shift
	r=$($ev refresh "$@" 2>>"$tmp/err") || {
		echo "bench.sh: $* failed: $(cat "$tmp/err")" >&2
		exit 1
	}
	echo "$r" | awk '{ print $1 / 1e6 }' >>"$tmp/ref.$out"
	echo "$r" | awk '{ print $2 / 1024 }' >>"$tmp/rss.$out"
}

# The ms from fork to the first line of CMD... (to "ready" for bpftrace), appended to $1.
first() {
	local out=$1
	shift
	local ns
	ns=$($ev first "$@" 2>>"$tmp/err") || {
		echo "bench.sh: $* failed: $(cat "$tmp/err")" >&2
		exit 1
	}
	calc "$ns / 1e6" >>"$out"
}

# Refresh cost at N idle processes: files $tmp/ref.TOOL.N get ms per refresh, one per rep.
refresh() {
	local n=$1 r
	start_bg '^ready' $ev spawn "$n"
	for r in $(seq "$reps"); do
		# 6 bursts of output each: the median of the last 4 refreshes is measured.
		refresh_cost cputop.$n $ct -b -d $delay -n 6
		refresh_cost top.$n top -b -d $delay -n 6
		# pidstat's first burst is its banner, before its first read of /proc
		[ $quick = 1 ] || refresh_cost pidstat.$n pidstat 1 5
		if [ "$n" = "$big" ]; then
			first "$tmp/start.cputop" $ct -b -n 1
			first "$tmp/start.top" top -b -n 1
			case " $modes " in *" bpftrace "*)
				first "$tmp/start.bpftrace" -m ready bpftrace -e "$bt_once" ;;
			esac
		fi
	done
	stop_bg
}

med() {
	[ -s "$1" ] || { echo nan; return; }
	sort -g "$1" | awk '{ v[NR] = $1 }
		END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# Half the spread of the values in file $1: the noise of a figure.
noise() { sort -g "$1" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print (hi - lo) / 2 }'; }
# calc EXPR: the value of an awk expression; nan if a figure in it is missing.
calc() { case "$*" in *nan*) echo nan ;; *) awk "BEGIN { print ($*) }" ;; esac; }
# A row: FIGURE CPUTOP PEER RATIO GOAL MET; an empty field prints as -.
row() {
	printf '%-48s %10s %10s %7s %-14s %s\n' "$1" "${2:--}" "${3:--}" "${4:--}" "${5:--}" "${6:--}"
}
fmt() { [ "$2" = nan ] && echo n/a || awk -v v="$2" "BEGIN { printf \"$1\", v }"; }
# yes or NO: whether awk condition $1 holds; n/a if a figure in it is missing.
met() {
	case "$1" in
	*nan*) echo n/a ;;
	*) awk "BEGIN { exit !($1) }" && echo yes || echo NO ;;
	esac
}

echo "cputop benchmark: medians of $reps refresh runs and of $treps tracing pairs," \
	"$calls getppid() and $trips round trips on CPU $cpu;" \
	"$at_rest processes at rest"
# Another monitor's programs would be in every figure, nothing attached included. Those of a
# process that has just ended go a moment later (freed after an RCU grace period): wait 3 s.
tracing() { bpftool prog show 2>/dev/null | grep -cE '^[0-9]+: (tracing|raw_tracepoint|tracepoint)' || true; }
for _ in $(seq 30); do
	others=$(tracing)
	[ "$others" = 0 ] && break
	sleep 0.1
done
[ "$others" = 0 ] || echo "note: $others tracing BPF programs were already loaded"

# 2. Tracing cost, first: it wants a quiet machine, before the idle processes exist. The host
#    drifts by more than a hook costs (a switch from 1,800 to 2,300 ns between runs): each
#    contender is measured right after nothing attached, and its figure is the median of those
#    pairs' differences. "nothing" against nothing again is the noise of that difference.
probe() {
	taskset -c $cpu $ev syscall $calls >>"$tmp/sys.$1"
	[ $quick = 1 ] || $ev switch $trips $cpu >>"$tmp/sw.$1"
}
order=(${modes#nothing })
[ $quick = 1 ] || order=(again "${order[@]}")
for r in $(seq "$treps"); do
	# Each repetition starts one contender further on, so that none always follows another.
	for i in "${!order[@]}"; do
		m=${order[$(((i + r) % ${#order[@]}))]}
		probe nothing
		[ $m = again ] || attach $m
		probe $m
		[ $m = again ] || stop_bg
		for f in $figs; do
			paste <(tail -n 1 "$tmp/$f.nothing") <(tail -n 1 "$tmp/$f.$m") |
				awk '{ print $2 - $1 }' >>"$tmp/d$f.$m"
		done
	done
done
for n in $sizes; do
	refresh "$n"
done

# 5. and 6. The scrapes, at rest: each server alone, started for each repetition, the order
#    turning as in 2. None with --quick.
srate=50 ssecs=10 sidle=5
ne=${NODE_EXPORTER:-$(command -v prometheus-node-exporter || command -v node_exporter || true)}
scrapers=()
if [ $quick = 0 ]; then
	[ -z "$ne" ] || scrapers+=(node)
	! has --listen || scrapers+=(cputop)
fi
# A loopback port that nothing listens on (nor connects from).
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 20000))
		grep -qi ":$(printf %04X $p) " /proc/net/tcp /proc/net/tcp6 2>/dev/null || break
	done
	echo $p
}
# serve NAME PORT CMD...: CMD in the background as $srv, its output to $tmp/NAME.out and .err,
# once http://127.0.0.1:PORT/metrics answers 2xx (some 10 s at most).
serve() {
	local name=$1 port=$2 i
	shift 2
	"$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	srv=$!
	for i in $(seq 100); do
		$sl -r 1 -t 1 "http://127.0.0.1:$port/metrics" 2>/dev/null | grep -q ' errors=0 ' &&
			return 0
		kill -0 $srv 2>/dev/null || break
		sleep 0.1
	done
	echo "bench.sh: $* did not serve /metrics on port $port: $(tail -n 3 "$tmp/$name.err")" >&2
	exit 1
}
unserve() {
	kill $srv
	wait $srv || true
	srv=
}
# field KEY: the value of KEY=VALUE in scrapeload's line on stdin.
field() { tr ' ' '\n' | sed -n "s/^$1=//p"; }
# One repetition of the cost of a scrape of server NAME, run as CMD... with @PORT@ in its
# arguments replaced by its port. Appends to $tmp/scpu.NAME the us of CPU per answer, to
# sp99.NAME the p99 ms, to skib.NAME the KiB per answer, to serr.NAME the errors.
scrape_cost() {
	local name=$1 port url a b c out ok
	shift
	port=$(free_port)
	serve "$name" $port "${@//@PORT@/$port}"
	url=http://127.0.0.1:$port/metrics
	# Its first answers build what later ones reuse (buffers, caches, a Go heap): not timed.
	$sl -r $srate -t 1 "$url" >/dev/null
	a=$($ev cputime $srv)
	sleep $sidle
	b=$($ev cputime $srv)
	out=$($sl -r $srate -t $ssecs "$url")
	c=$($ev cputime $srv)
	unserve
	ok=$(($(field requests <<<"$out") - $(field errors <<<"$out")))
	field errors <<<"$out" >>"$tmp/serr.$name"
	if [ $ok = 0 ]; then
		echo nan | tee -a "$tmp/sp99.$name" "$tmp/skib.$name" >>"$tmp/scpu.$name"
		return
	fi
	# "CPU_NS NOW_NS" at the start of rest, at its end (the load's start), at the load's end:
	# the load's CPU less the same span at rest's rate.
	echo "$a $b $c" | awk -v ok=$ok '{
		rest = ($3 - $1) / ($4 - $2)
		print ($5 - $3 - rest * ($6 - $4)) / ok / 1e3 }' >>"$tmp/scpu.$name"
	field p99_ms <<<"$out" >>"$tmp/sp99.$name"
	calc "$(field bytes <<<"$out") / $ok / 1024" >>"$tmp/skib.$name"
}
scrape() {
	case $1 in
	node) scrape_cost node "$ne" --web.listen-address=127.0.0.1:@PORT@ ;;
	cputop) scrape_cost cputop $ct --listen 127.0.0.1:@PORT@ --format none -d 1 ;;
	esac
}
for r in $(seq "$reps"); do
	for i in "${!scrapers[@]}"; do
		scrape "${scrapers[$(((i + r) % ${#scrapers[@]}))]}"
	done
done

# 6. cputop at 200 scrapes/s for 20 s with 1,000 more processes, its JSON to $tmp/load.out:
#    files $tmp/load.sl and idle.sl get scrapeload's lines, load.fig "REFRESHES LATE MAX_MS
#    RSS0_MIB RSS1_MIB".
rss() { awk '/^VmRSS:/ { print $2 / 1024 }' /proc/$1/status; }
if [[ " ${scrapers[*]} " == *" cputop "* ]]; then
	start_bg '^ready' $ev spawn 1000
	port=$(free_port)
	url=http://127.0.0.1:$port/metrics
	serve load $port $ct --listen 127.0.0.1:$port --format json -d 1
	# Past start-up: its first refreshes, and answers that size its buffers.
	$sl -r 50 -t 2 "$url" >/dev/null
	rss0=$(rss $srv)
	t0=$(date +%s%N)
	$sl -r 200 -t 20 -c 4 "$url" >"$tmp/load.sl"
	t1=$(date +%s%N)
	rss1=$(rss $srv)
	# Then 20 scrapes/s beside 100 connections that never finish a request: they must not
	# hold up the others (a server that serves one connection at a time, or that runs out of
	# connections or threads, would).
	$sl -i 100 "$url" >"$tmp/idle.out" 2>"$tmp/idle.err" &
	idle=$!
	for i in $(seq 100); do
		grep -q '^idle' "$tmp/idle.out" && break
		kill -0 $idle 2>/dev/null || break
		sleep 0.1
	done
	if grep -q '^idle 100$' "$tmp/idle.out"; then
		$sl -r 20 -t 3 "$url" >"$tmp/idle.sl" 2>>"$tmp/err" || true
	else
		echo "note: no 100 idle connections: $(cat "$tmp/idle.err")"
	fi
	kill $idle 2>/dev/null || true
	wait $idle || true
	idle=
	unserve
	stop_bg
	# The refreshes made under the load: each interval_ns (since the one before) against the
	# delay. Within a JSON line, timestamp_ns comes before interval_ns; neither is nested.
	grep -oE '[{,]"(timestamp|interval)_ns":[0-9]+' "$tmp/load.out" |
		awk -F: -v t0=$t0 -v t1=$t1 '
		/timestamp/ { ts = $2 + 0 }
		/interval/ && ts >= t0 + 0 && ts <= t1 + 0 && $2 + 0 > 0 {
			n++
			late += $2 > 1.1e9
			if ($2 + 0 > max) max = $2 + 0
		}
		END { print n + 0, late + 0, n ? max / 1e6 : "nan" }' >"$tmp/load.fig"
	echo "$rss0 $rss1" >>"$tmp/load.fig"
fi

row figure cputop peer ratio goal met?
peers=top
[ $quick = 1 ] || peers+=" pidstat"
for n in $sizes; do
	for p in $peers; do
		c=$(med "$tmp/ref.cputop.$n") v=$(med "$tmp/ref.$p.$n")
		goal= ok=
		if [ $p = top ] && [ "$n" = 1000 ]; then goal='<=0.15' ok=$(met "$c <= 0.15 * $v"); fi
		if [ $p = top ] && [ "$n" = 5000 ]; then goal='<=0.10' ok=$(met "$c <= 0.10 * $v"); fi
		row "refresh, ms CPU, N=$n, vs $p" "$(fmt %.2f "$c")" "$(fmt %.2f "$v")" \
			"$(fmt %.3f "$(calc "$c / $v")")" "$goal" "$ok"
	done
done
if [ "$big" = 5000 ]; then
	slope() { calc "($(med "$tmp/ref.$1.5000") - $(med "$tmp/ref.$1.1000")) / 4000 * 1000"; }
	c=$(slope cputop) v=$(slope top)
	row "refresh, us per extra process, vs top" "$(fmt %.2f "$c")" "$(fmt %.2f "$v")" \
		"$(fmt %.3f "$(calc "$c / $v")")" '<=0.05' "$(met "$c <= 0.05 * $v")"
fi

s0=$(med "$tmp/sys.nothing") w0=$(med "$tmp/sw.nothing")
# The ns that contender $2 adds to figure $1 (sys or sw): the median paired difference.
added() { med "$tmp/d$1.$2"; }
row "syscall, ns, nothing attached" "" "$(fmt %.1f "$s0")"
sf=$(added sys floor) sc=$(added sys cputop) sb=$(added sys bpftrace)
row "syscall, +ns, empty programs (the floor)" "" "$(fmt %+.1f "$sf")"
row "syscall, +ns, default vs the floor" "$(fmt %+.1f "$sc")" "$(fmt %+.1f "$sf")" \
	"$(fmt %.2f "$(calc "$sc / $sf")")" '<=2.00' "$(met "$sc <= 2 * $sf")"
row "syscall, +ns, default vs bpftrace" "$(fmt %+.1f "$sc")" "$(fmt %+.1f "$sb")" \
	"$(fmt %.2f "$(calc "$sc / $sb")")" '<=0.33' "$(met "$sc <= $sb / 3")"
# Not measured with --quick: the noise, the other modes, switches.
if [ $quick = 0 ]; then
	n0=$(noise "$tmp/dsys.again") sn=$(added sys nosys)
	row "syscall, +ns, --no-syscalls vs noise" "$(fmt %+.1f "$sn")" "$(fmt ±%.1f "$n0")" "" \
		'<=noise' "$(met "$sn <= $n0")"
	sh=$(added sys hash)
	row "syscall, +ns, --bpf-storage hash vs default" "$(fmt %+.1f "$sh")" "$(fmt %+.1f "$sc")" \
		"$(fmt %.2f "$(calc "$sh / $sc")")"
	row "switch, ns, nothing attached" "" "$(fmt %.1f "$w0")"
	row "switch, +ns, empty programs (the floor)" "" "$(fmt %+.1f "$(added sw floor)")"
	for m in cputop nosys hash bpftrace; do
		w=$(added sw $m)
		goal= ok=
		case $m in
		cputop) label="default" goal='<=1.30' ok=$(met "$w <= 0.30 * $w0") ;;
		nosys) label="--no-syscalls" goal='<=1.10,+250' ok=$(met "$w <= 0.10 * $w0 && $w <= 250") ;;
		hash) label="--bpf-storage hash" ;;
		bpftrace) label="bpftrace (not cputop)" ;;
		esac
		row "switch, +ns, $label vs nothing" "$(fmt %+.1f "$w")" "$(fmt %.1f "$w0")" \
			"$(fmt %.3f "$(calc "1 + $w / $w0")")" "$goal" "$ok"
	done
	row "switch, +ns, default vs bpftrace" "$(fmt %+.1f "$(added sw cputop)")" \
		"$(fmt %+.1f "$(added sw bpftrace)")" \
		"$(fmt %.2f "$(calc "$(added sw cputop) / $(added sw bpftrace)")")"
	# What a change costs: this build's figures less the base build's, paired in one run.
	if [ -n "$base" ]; then
		for f in sys sw; do
			c=$(added $f cputop) b=$(added $f base)
			[ $f = sys ] && label=syscall || label=switch
			row "$label, +ns, default vs BASE" "$(fmt %+.1f "$c")" "$(fmt %+.1f "$b")" \
				"$(fmt %.2f "$(calc "$c / $b")")" '<=BASE+10ns' "$(met "$c - $b <= 10")"
		done
	fi
fi

c=$(med "$tmp/start.cputop") v=$(med "$tmp/start.top") b=$(med "$tmp/start.bpftrace")
row "start-up, ms to first line, N=$big, vs top" "$(fmt %.1f "$c")" "$(fmt %.1f "$v")" \
	"$(fmt %.2f "$(calc "$c / $v")")" '<150ms,<1' "$(met "$c < 150 && $c < $v")"
row "start-up, ms to first line, N=$big, vs bpftrace" "$(fmt %.1f "$c")" "$(fmt %.1f "$b")" \
	"$(fmt %.2f "$(calc "$c / $b")")"
c=$(med "$tmp/rss.cputop.$big") v=$(med "$tmp/rss.top.$big")
row "peak RSS, MiB, N=$big, vs top" "$(fmt %.1f "$c")" "$(fmt %.1f "$v")" \
	"$(fmt %.2f "$(calc "$c / $v")")" '<2' "$(met "$c < 2 * $v")"

if [ $quick = 0 ]; then
	c=$(med "$tmp/scpu.cputop") v=$(med "$tmp/scpu.node")
	row "scrape, us CPU per /metrics, vs node_exporter" "$(fmt %.1f "$c")" "$(fmt %.1f "$v")" \
		"$(fmt %.3f "$(calc "$c / $v")")"
	c=$(med "$tmp/sp99.cputop") v=$(med "$tmp/sp99.node")
	row "scrape at $srate/s, p99 ms, vs node_exporter" "$(fmt %.2f "$c")" "$(fmt %.2f "$v")" \
		"$(fmt %.2f "$(calc "$c / $v")")"
	c=$(med "$tmp/skib.cputop") v=$(med "$tmp/skib.node")
	row "scrape, KiB per /metrics, vs node_exporter" "$(fmt %.1f "$c")" "$(fmt %.1f "$v")" \
		"$(fmt %.2f "$(calc "$c / $v")")"
	for s in cputop node; do
		[ ! -s "$tmp/serr.$s" ] ||
			[ "$(awk '{ n += $1 } END { print n }' "$tmp/serr.$s")" = 0 ] ||
			echo "note: $s answered scrapes with errors: $(tr '\n' ' ' <"$tmp/serr.$s")"
	done
	[ -n "$ne" ] || echo "skipped: no prometheus-node-exporter (NODE_EXPORTER=PATH)"
	if [ -s "$tmp/load.fig" ]; then
		read -r n late max <"$tmp/load.fig"
		read -r rss0 rss1 < <(sed -n 2p "$tmp/load.fig")
		p=$(field p99_ms <"$tmp/load.sl") e=$(field errors <"$tmp/load.sl")
		row "scrape at 200/s, N=1000, p99 ms" "$(fmt %.2f "$p")" "" "" '<20' \
			"$(met "$p < 20")"
		row "scrape at 200/s, N=1000, errors" "$e" "" "" 0 "$(met "$e == 0")"
		row "refreshes under 200/s, late >10% of -d, of" "$late/$n" "" "" 0 \
			"$(met "$late == 0 && $n > 0")"
		row "refreshes under 200/s, longest interval, ms" "$(fmt %.1f "$max")" "" "" \
			'<=1100' "$(met "$max <= 1100")"
		row "RSS, MiB, after 200/s x 20 s vs before" "$(fmt %.1f "$rss1")" \
			"$(fmt %.1f "$rss0")" "$(fmt %.2f "$(calc "$rss1 / $rss0")")" '<=1.10' \
			"$(met "$rss1 <= 1.1 * $rss0")"
		if [ -s "$tmp/idle.sl" ]; then
			p=$(field p99_ms <"$tmp/idle.sl") e=$(field errors <"$tmp/idle.sl")
		else
			p=nan e=nan
		fi
		row "scrape beside 100 idle conns, p99 ms, errors" "$(fmt %.2f "$p"), $e" "" "" \
			'<20,0' "$(met "$p < 20 && $e == 0")"
	else
		echo "skipped: no --listen (cputop's scrape figures and load check)"
	fi
fi

[ $quick = 1 ] || exit 0
# The guards of --quick: gross regressions only. The floor, two empty programs, measures
# from +35 to +90 ns over a noisy ~160 ns call from one run to the next; it is taken as at
# least 90 ns, so that a floor measured low fails no one (cputop's own figure has been
# +140 to +205 ns, for about +60 ns of work over the floor).
base=$(calc "$sf > 90 ? $sf : 90")
c=$(med "$tmp/ref.cputop.1000") v=$(med "$tmp/ref.top.1000") st=$(med "$tmp/start.cputop")
fails=0
# guard COND TEXT...: "guard ok: TEXT" or "guard FAIL: TEXT", for test_bench.sh.
guard() {
	local cond=$1
	shift
	if [ "$(met "$cond")" = yes ]; then echo "guard ok: $*"; else echo "guard FAIL: $*"; fails=1; fi
}
counted=
[ "$base" = "$sf" ] || counted="; counted as +$base"
guard "$sc <= 3 * $base" "per-syscall cost $(fmt %+.0f "$sc") ns, under 3x the empty-program" \
	"floor ($(fmt %+.0f "$sf") ns$counted)"
guard "$c <= $v / 3" "refresh cost $(fmt %.2f "$c") ms CPU at N=1000, under 1/3 of top's" \
	"($(fmt %.2f "$v") ms)"
guard "$st <= 1000" "start-up $(fmt %.0f "$st") ms to the first line at N=$big, under 1 s"
exit $fails
