#!/usr/bin/env bash
# --listen checked by a real Prometheus (Debian's), started here on a loopback port with a
# 1 s scrape interval: a pinned spinner's CPU rate, the sum over all programs against
# /proc/stat's busy time over the same scrapes, a burst of short-lived children against their
# getrusage(). The HTTP side itself is test_export.sh's.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT
checks=(spinner-rate sum-vs-stat burst-getrusage)

if ! bpf_available || ! command -v prometheus >/dev/null || ! command -v curl >/dev/null; then
	for t in "${checks[@]}"; do skip "$t" "needs root, eBPF, prometheus and curl"; done
	finish
fi

CT_PORT=$(free_port)
# On CPU 0, with Prometheus: CPU 1 is the spinner's alone. A counter moves at each refresh and
# a scrape sees where it was at the last one: over a 15 s window, the rate is exact to a
# refresh at each end, so refreshes come four times a scrape.
taskset -c 0 "$CPUTOP" --listen "127.0.0.1:$CT_PORT" --format none -d 0.25 \
	2>"$tmp/cputop.err" &
CT_PID=$!
pids_to_kill+=($CT_PID)
start_workload "$tmp/spin.out" spin 30 1 || exit 1
SPIN_PID=$WL_PID

PROM_PORT=$(free_port)
cat >"$tmp/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: cputop
    static_configs:
      - targets: ['127.0.0.1:$CT_PORT']
EOF
taskset -c 0 prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
	--web.listen-address="127.0.0.1:$PROM_PORT" --log.level=error >"$tmp/prom.log" 2>&1 &
pids_to_kill+=($!)
PROM=http://127.0.0.1:$PROM_PORT

# An instant PromQL query's first value, or nothing.
promql() {
	curl -s "$PROM/api/v1/query" --data-urlencode "query=$1" |
		jq -r '.data.result[0].value[1] // empty'
}

# The busy ticks (user, nice, system, irq, softirq) of all CPUs in /proc/stat, as cputop's
# reconciliation counts them, and USER_HZ.
stat_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
HZ=$(getconf CLK_TCK)

if ! wait_cmd 15 "[ \"\$(promql 'up{job=\"cputop\"}')\" = 1 ]"; then
	note "Prometheus never scraped cputop:"; sed 's/^/# /' "$tmp/prom.log" "$tmp/cputop.err"
	for t in "${checks[@]}"; do not_ok "$t"; done
	finish
fi
# The window starts once Prometheus has the series: 15 s of /proc/stat, with a burst of
# short-lived children on CPU 0 in it.
stat0=$(stat_busy)
t0=$(date +%s.%N)

# 200 children of about 10 ms each, between refreshes, on CPU 0: their getrusage(), to hold
# their program's counter to once the window is over.
taskset -c 0 "$WORKLOAD" burst 200 10 2 >"$tmp/burst.out"
kids_ns=$(awk '/^children_ns/ { print $2 }' "$tmp/burst.out")

# --- Prometheus over the window ---
sleep "$(awk -v t0="$t0" -v now="$(date +%s.%N)" 'BEGIN { w = t0 + 16 - now; print (w > 0 ? w : 0) }')"
stat1=$(stat_busy)
t1=$(date +%s.%N)
spin_rate=$(promql 'rate(cputop_program_cpu_seconds_total{program="ct-spin",mode="user"}[15s])')
# Both rates over the same scrapes: the tasks' sum, and /proc/stat read at the same refreshes
# (which the test's own reading of /proc/stat, over a window a refresh apart, confirms).
all_rate=$(promql 'sum(rate(cputop_program_cpu_seconds_total[15s]))')
busy_rate=$(promql 'rate(cputop_system_cpu_busy_seconds_total[15s])')
stat_rate=$(awk -v a="$stat0" -v b="$stat1" -v hz="$HZ" -v t0="$t0" -v t1="$t1" \
	'BEGIN { print (b - a) / hz / (t1 - t0) }')
note "ct-spin user rate $spin_rate; all programs $all_rate CPUs, /proc/stat $busy_rate" \
	"(the test's own reading: $stat_rate)"
check spinner-rate awk -v r="${spin_rate:-0}" 'BEGIN { exit !(r >= 0.95 && r <= 1.05) }'
check sum-vs-stat awk -v a="${all_rate:-0}" -v b="${busy_rate:-0}" -v s="$stat_rate" \
	'BEGIN { exit !(b > 0 && a / b >= 0.95 && a / b <= 1.05 && b / s >= 0.85 && b / s <= 1.15) }'
kill "$SPIN_PID" 2>/dev/null

burst=$(promql 'sum(cputop_program_cpu_seconds_total{program="ct-burst"})')
note "ct-burst: $burst s in Prometheus, getrusage $kids_ns ns"
check burst-getrusage awk -v p="${burst:-0}" -v k="${kids_ns:-0}" \
	'BEGIN { exit !(k > 0 && p * 1e9 / k >= 0.9 && p * 1e9 / k <= 1.1) }'
finish
