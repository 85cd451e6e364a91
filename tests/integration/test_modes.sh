#!/usr/bin/env bash
# The eBPF program's other forms: the light mode (--no-syscalls) and the hash-map fallback
# (--bpf-storage hash). Each passes the whole accuracy suite (test_accuracy_modes.sh), and
# what makes it different is checked here: the hooks it attaches, the maps it creates, the
# counters it cannot give, and the cost it reports.
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT

if ! bpf_available || ! command -v bpftool >/dev/null; then
	for t in mode-hooks mode-split hash-maps hash-emptied task-forced cost; do
		skip "$t" "eBPF unavailable (not root, no BTF, or no bpftool)"
	done
	finish
fi

# Start cputop with flags "$@" in batch mode, once it has attached; sets CT, and OBJ to the
# BTF id its programs and maps share (the one newest on_switch's: bpftool here lists no pids).
attach() {
	local before
	before=$(bpftool prog show 2>/dev/null | awk '/ name on_switch / { print $1 }')
	"$CPUTOP" -b -d 0.5 "$@" >"$tmp/attached" 2>&1 &
	CT=$!
	pids_to_kill+=("$CT")
	for _ in $(seq 100); do
		if grep -q '^Source: eBPF' "$tmp/attached"; then
			OBJ=$(bpftool prog show 2>/dev/null | awk -v old="$before" '
				/^[0-9]+: / { mine = $4 == "on_switch" && index(" " old " ", " " $1 " ") == 0 }
				mine && $1 == "btf_id" { print $2 }' | tail -1)
			return 0
		fi
		sleep 0.05
	done
	echo "# cputop $* did not attach: $(head -c 300 "$tmp/attached")"
	return 1
}
detach() { kill "$CT" 2>/dev/null; wait "$CT" 2>/dev/null; }
# The names of the programs of object $OBJ, sorted, and its maps as "TYPE NAME MAX_ENTRIES".
progs_of() { bpftool prog show 2>/dev/null | awk -v b="$OBJ" '/^[0-9]+: / { name = $4 }
	$1 == "btf_id" && $2 == b { print name }' | sort | tr '\n' ' '; }
maps_of() { bpftool map show 2>/dev/null | awk -v b="$OBJ" '/^[0-9]+: / { type = $2; name = $4 }
	/max_entries/ { for (i = 1; i < NF; i++) if ($i == "max_entries") max = $(i + 1) }
	$1 == "btf_id" && $2 == b { print type, name, max }'; }

# 1. The light mode attaches no system call hook, says so, and gives no system call counts.
attach --no-syscalls -n 3 || exit 1
progs=$(progs_of)
note "--no-syscalls programs: $progs"
check "--no-syscalls loads the switch hook and the iterator, no sys_enter or sys_exit" \
	[ "$progs" = "dump_task on_switch " ]
wait "$CT"
check "--no-syscalls says so on the Source line" \
	grep -q "^Source: eBPF (exact ns from sched_switch, user/sys by the kernel's ticks (--no-syscalls)" \
	"$tmp/attached"
"$CPUTOP" -b -n 2 -d 0.3 --no-syscalls --fields pid,sysc,command -p $$ >"$tmp/nosys"
sysc=$(field_of "$tmp/nosys" 2 $$ SYSC)
check "--no-syscalls shows SYSC as unavailable ('$sysc')" [ "$sysc" = "-" ]
attach || exit 1
progs=$(progs_of)
detach
check "the default mode loads both system call hooks ($progs)" \
	[ "$progs" = "dump_task on_switch on_sys_enter on_sys_exit " ]

# 2. The hash form: one hash map as large as pid_max, no task storage; entries go with exits.
attach --bpf-storage hash || exit 1
maps=$(maps_of)
pid_max=$(cat /proc/sys/kernel/pid_max)
note "maps: $(echo $maps)"
check "--bpf-storage hash creates acct_hash of pid_max ($pid_max) entries, no task storage" \
	bash -c 'grep -qx "hash acct_hash $2" <<<"$1" && ! grep -q task_storage <<<"$1"' _ \
	"$maps" "$pid_max"
id=$(bpftool map show 2>/dev/null | awk -v b="$OBJ" '/^[0-9]+: / { id = $1; name = $4 }
	$1 == "btf_id" && $2 == b && name == "acct_hash" { sub(":", "", id); print id }')
"$WORKLOAD" burst 400 2 >/dev/null
sleep 0.6
entries=$(bpftool map dump id "$id" 2>/dev/null | grep -c '"key"')
tasks=$(ls -d /proc/[0-9]*/task/[0-9]* 2>/dev/null | wc -l)
detach
note "after 400 processes came and went: $entries entries for $tasks live tasks"
check "the hash map drops each task at its exit (entries <= live tasks + 20)" \
	[ "$entries" -gt 0 -a "$entries" -le $((tasks + 20)) ]
check "--bpf-storage hash says so on the Source line" \
	grep -q "^Source: eBPF (.*; state in a hash map)" "$tmp/attached"

# 3. Task storage asked for by name, on a kernel that has it.
attach --bpf-storage task || exit 1
maps=$(maps_of)
detach
check "--bpf-storage task uses task storage and no hash map" \
	bash -c 'grep -q "^task_storage acct_map " <<<"$1" && ! grep -q acct_hash <<<"$1"' _ \
	"$maps"

# 4. What watching costs: with 200,000 system calls a second traced, the hooks' run time is
#    measured and above nothing, and cputop's own CPU is reported; JSON carries both.
start_workload "$tmp/sys" sysrate 200000 5 || exit 1
"$CPUTOP" -b -d 0.5 -n 4 --format json >"$tmp/cost.json"
read -r cpu hooks < <(tail -1 "$tmp/cost.json" | jq -r '"\(.cost.cpu_pct) \(.cost.bpf_hooks_pct)"')
first=$(head -1 "$tmp/cost.json" | jq -c '[.cost.cpu_pct, .cost.bpf_hooks_pct]')
note "cost: cputop $cpu% CPU, hooks $hooks%; first snapshot $first"
check "JSON cost: cputop's CPU and its hooks' run time measured, null in the first snapshot" \
	fcmp "$cpu > 0 && $cpu < 50 && $hooks > 0.1 && $hooks < 100 && \"$first\" == \"[null,null]\""
finish
