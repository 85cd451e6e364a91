#!/usr/bin/env bash
# The interactive view, driven for real: cputop runs in a tmux pane on its own tmux server,
# keys go in with send-keys, the screen comes back with capture-pane. Run from the repository
# root (make test does).
. tests/integration/lib.sh

SOCK=cputop-test-$$
WORK=$(mktemp -d)
export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/config
mkdir -p "$HOME"
RC=$XDG_CONFIG_HOME/cputop/cputoprc

T() { tmux -L "$SOCK" "$@"; }
screen_text() { T capture-pane -p -t tui 2>/dev/null; }

CG=	# the cgroups this test made, removed at its end
tui_cleanup() {
	local d i
	T kill-server 2>/dev/null
	cleanup
	for d in $CG; do
		for i in $(seq 50); do rmdir "$d" 2>/dev/null && break; sleep 0.1; done
	done
	rm -rf "$WORK"
}
trap tui_cleanup EXIT

# wait_for SECS CMD...: until CMD succeeds on a fresh capture (in $SCREEN), at most SECS.
wait_for() {
	local secs=$1 i
	shift
	for ((i = 0; i < secs * 10; i++)); do
		SCREEN=$(screen_text)
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
has() { grep -qF -- "$1" <<<"$SCREEN"; }
lacks() { ! grep -qF -- "$1" <<<"$SCREEN"; }

# The table rows on screen: the lines after the column header line.
rows() { awk '/^ +PID USER/ { t = 1; next } t && NF >= 9' <<<"$SCREEN"; }
# Column N (1-based) of the visible rows.
col() { rows | awk -v c="$1" '{ print $c }'; }
# Whether column N is ordered: "num-asc", "num-desc", "time-desc" (TIME+ M:SS.hh).
ordered() {
	local c=$1 how=$2
	[ "$(rows | wc -l)" -ge 3 ] || return 1
	col "$c" | awk -v how="$how" '
		{ v = $1; if (how == "time-desc") { split(v, a, ":"); v = a[1] * 60 + a[2] } }
		NR > 1 && how ~ /asc/ && v < last { bad = 1 }
		NR > 1 && how ~ /desc/ && v > last { bad = 1 }
		{ last = v } END { exit bad }'
}
first_comm() { rows | awk 'NR == 1 { print $9 }'; }
nrows() { rows | wc -l; }
only_rows_with() { [ "$(nrows)" -ge 1 ] && ! rows | grep -qv -- "$1"; }
key() { T send-keys -t tui "$@"; }
# A mouse event in X10 encoding (what ncurses reads for TERM=screen): button code, 1-based
# column and line, each offset by 32.
mouse() {
	local seq
	seq=$(printf '\033[M%b%b%b' "\\x$(printf %x $((32 + $1)))" \
		"\\x$(printf %x $((32 + $2)))" "\\x$(printf %x $((32 + $3)))")
	T send-keys -t tui -l "$seq"
}
# A left click: a press and a release (code 3), as a terminal sends them.
click() { mouse 0 "$1" "$2"; mouse 3 "$1" "$2"; }
# The screen line (1-based) holding TEXT.
line_of() { grep -nF -- "$1" <<<"$SCREEN" | head -1 | cut -d: -f1; }

# A fresh shell in a 120x40 pane, then cputop in it with the given arguments.
start_tui() {
	local i
	T kill-server 2>/dev/null
	# A server still shutting down makes new-session fail: try again shortly.
	for i in 1 2 3 4 5; do
		T -f /dev/null new-session -d -s tui -x 120 -y 40 "env -i PATH=$PATH HOME=$HOME \
XDG_CONFIG_HOME=$XDG_CONFIG_HOME TERM=screen LANG=C.UTF-8 ${TUI_ENV:-} \
bash --norc --noprofile" 2>/dev/null && break
		sleep 0.2
	done
	T set-option -g default-terminal screen >/dev/null
	key "cd $PWD && PS1='shell\$ ' && clear" Enter
	key "$CPUTOP $*" Enter
	wait_for 10 has "PID USER"
}
# This test's cputop: the pane's shell's child. Other cputops may run on the machine meanwhile
# (other users, other test runs), and the pane's shell is gone with the tmux server.
cputop_pid() {
	local shell
	shell=$(T display-message -p -t tui '#{pane_pid}' 2>/dev/null) &&
		pgrep -n -P "$shell" -f "^$CPUTOP"
}
cputop_gone() { [ -z "$(cputop_pid)" ]; }
shell_usable() {
	wait_for 5 cputop_gone || return 1
	key "echo alive-\$((6 * 7))" Enter
	wait_for 5 has "alive-42" && has 'echo alive-$((6 * 7))'
}

# A failed check shows the screen it last saw, as TAP comments.
check() {
	local name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		not_ok "$name"
		sed 's/^/#   | /' <<<"$(screen_text)"
	fi
}

if ! command -v tmux >/dev/null; then
	not_ok "tmux is installed (make deps installs it)"
	exit 1
fi

# --- Header and table, and a busy process on top under P. ---
start_workload "$WORK/spin.out" spin 60
SPIN=$WL_PID
if start_tui -d 0.5; then ok "the view starts: header and table"; else not_ok "the view starts"; fi
if [ "${CPUTOP_REQUIRE_BPF:-0}" = 1 ]; then
	check "the header names the eBPF source" has "Source: eBPF"
fi
check "the header has uptime, tasks, per-CPU meters, memory and swap" \
	eval 'has "load average:" && has "Tasks:" && has " 0[" && has "Mem[" && has "Swp["'
# Within two refreshes (0.5 s each) plus the drawing.
check "a busy named process is the top row under P within two refreshes" \
	wait_for 2 eval '[ "$(first_comm)" = ct-spin ]'

# The recording the replay at the end reads: six samples a second apart, each at its own
# second on the clock. It takes 5 s, so it is made in the background, beside the view's
# tests: a batch cputop at -d 1 is no load to them once started (and it starts after the
# check above, which reads %CPU).
"$CPUTOP" -b -d 1 -n 6 --format none --record "$WORK/r.rec" &
RECORDER=$!
pids_to_kill+=($RECORDER)

# --- Sorting keys. ---
key N
check "N sorts by PID, lowest first" wait_for 3 ordered 1 num-asc
key R
check "R reverses the sort" wait_for 3 ordered 1 num-desc
key T
check "T sorts by TIME+, highest first" wait_for 3 ordered 8 time-desc
key P
check "P sorts by %CPU, highest first" wait_for 3 ordered 5 num-desc
key '>'
check "> moves the sort to the next column (%USR)" \
	wait_for 3 eval 'has "Sort: %USR" && ordered 6 num-desc'
key '<' '<'
check "< moves the sort back past %CPU to THR" \
	wait_for 3 eval 'has "Sort: THR" && ordered 4 num-desc'
key P

# --- Filter. ---
key / c t - s p
check "a filter narrows the table as it is typed" wait_for 3 only_rows_with ct-sp
key Enter
check "the filter stays after Enter, and says so" \
	wait_for 3 eval 'only_rows_with ct-spin && has "Filter: ct-sp"'
key o Escape
check "Esc at the filter prompt clears it" wait_for 3 eval '[ "$(nrows)" -gt 5 ] && lacks "Filter:"'
key / S P I N Enter
check "the filter ignores case" wait_for 3 only_rows_with ct-spin
key / C-u Enter
check "an empty filter clears it" wait_for 3 eval '[ "$(nrows)" -gt 5 ]'

# --- Meters. ---
key 1
check "1 shows one aggregate CPU meter" wait_for 3 eval 'has "CPU[" && lacks " 0["'
key 1
check "1 again shows a meter per CPU" wait_for 3 eval 'lacks "CPU[" && has " 0[" && has " 1["'
key g
check "g hides the CPU history graph" wait_for 3 lacks "100%"
key g
check "g shows it again" wait_for 3 has "100%"

# --- Per-CPU panel and columns. ---
key c
check "c shows the per-CPU panel: a CPU header, a row per CPU and all" wait_for 3 eval \
	'grep -q "^CPU  *us  *sy" <<<"$SCREEN" && grep -q "^all " <<<"$SCREEN" &&
	 grep -q "^$((NCPU - 1)) " <<<"$SCREEN"'
check "the panel has the eBPF counters and the interrupt columns" \
	wait_for 3 eval 'grep -q "^CPU .* CSW .* SYSC .* LOC" <<<"$SCREEN"'
key c
check "c again hides it" wait_for 3 eval '! grep -q "^all " <<<"$SCREEN"'
key f
check "f opens the column prompt with the current columns" \
	wait_for 3 has "Columns (h lists them): PID,USER,S,THR,%CPU,%USR,%SYS,TIME+,COMMAND"
key C-u "PID,USER,S,THR,%CPU,SYSC,WAIT%,TIME+,COMMAND" Enter
check "f sets the columns: SYSC and WAIT% replace %USR and %SYS" \
	wait_for 3 eval 'grep -q "PID USER .* %CPU  *SYSC WAIT%  *TIME+" <<<"$SCREEN" && lacks "%USR"'
key f C-u "PID,USER,S,THR,%CPU,%USR,%SYS,TIME+,COMMAND" Enter
check "f puts the default columns back" wait_for 3 has "%USR  %SYS"

# --- Detail pane. ---
key / c t - s p i n Enter
wait_for 3 only_rows_with ct-spin
key Enter
check "Enter opens the detail pane of the selected process" \
	wait_for 3 eval 'has "Process $SPIN: ct-spin" && has "%CPU over the last" && has "TID S"'
# Three refreshes at 0.5 s, with room for a host that holds the view back.
check "the detail graph fills in as refreshes go by" \
	wait_for 8 eval 'grep -q "%CPU over the last [3-9] refreshes" <<<"$SCREEN"'
key Escape
check "Esc closes the detail pane" wait_for 3 eval 'has "PID USER" && lacks "%CPU over the last"'
start_workload "$WORK/brief.out" name ct-brief 60
key / C-u c t - b r i e f Enter
wait_for 3 only_rows_with ct-brief
key Enter
# It ends once its pane shows: a life of a few seconds would be a guess at how long that takes.
wait_for 3 has "Process $WL_PID: ct-brief"
kill "$WL_PID"
check "the detail pane stays with its process after it exits, and says so" \
	wait_for 5 has "Process $WL_PID has gone"
key k
check "k there refuses rather than signal another process" wait_for 3 has "No process selected"
key Escape
key / C-u Enter

# --- Mouse (on eight sleepers, so that no row comes or goes meanwhile). ---
for i in 1 2 3 4 5 6 7 8; do start_workload "$WORK/w$i.out" name ct-wheel 60; done
key / c t - w h e e l Enter N
check "eight sleepers in PID order" wait_for 3 eval '[ "$(nrows)" = 8 ] && ordered 1 num-asc'
hl=$(line_of "PID USER")
x=$(awk 'match($0, /%CPU/) { print RSTART; exit }' <<<"$SCREEN")
click "$x" "$hl"
check "a click on the %CPU header sorts by it" wait_for 3 has "Sort: %CPU high first"
click "$x" "$hl"
check "a second click reverses it" wait_for 3 has "Sort: %CPU low first"
key N
wait_for 3 ordered 1 num-asc
target=$(rows | awk 'NR == 2 { print $1 }')
click 3 $((hl + 2))
key Enter
check "a click selects a row (Enter shows its PID)" wait_for 3 has "Process $target: ct-wheel"
key Escape
wait_for 3 has "PID USER"
target=$(rows | awk 'NR == 5 { print $1 }')
mouse 65 3 $((hl + 1))		# wheel down: three rows
key Enter
check "the wheel moves the selection three rows" wait_for 3 has "Process $target: ct-wheel"
key Escape
key / C-u Enter

# --- Threads. ---
start_workload "$WORK/threads.out" threads 2 60
THR=$WL_PID
key / c t - t h r Enter
check "one row for a multi-threaded process" wait_for 3 eval '[ "$(nrows)" = 1 ]'
key H
check "H shows one row per thread" wait_for 3 eval '[ "$(nrows)" = 3 ]'
key H
check "H again folds them" wait_for 3 eval '[ "$(nrows)" = 1 ]'
key Home r 7 Enter
check "r on a process renices all its threads" wait_for 3 eval \
	'has "PID $THR reniced to 7 (3 threads)" && [ "$(ps -L -o ni= -p $THR | sort -u | tr -d " ")" = 7 ]'
kill "$THR" 2>/dev/null
key / C-u Enter

# --- Prompts: kill, renice, delay, user. ---
start_workload "$WORK/victim.out" name ct-victim 60
VICTIM=$WL_PID
key / c t - v i c Enter
wait_for 3 eval 'only_rows_with ct-victim'
key r
check "r asks for a nice value" wait_for 3 has "Renice PID $VICTIM (ct-victim) to value:"
key 5 Enter
check "r renices the process" wait_for 3 eval \
	'has "PID $VICTIM reniced to 5" && [ "$(ps -o ni= -p $VICTIM | tr -d " ")" = 5 ]'
key k
check "k asks for a signal, TERM by default" \
	wait_for 3 has "Send PID $VICTIM (ct-victim) signal [TERM]:"
key Escape
sleep 0.3
check "Esc at the kill prompt sends nothing" kill -0 "$VICTIM"
key k Enter
check "k then Enter ends the process and says so" \
	wait_for 3 eval 'has "Sent SIGTERM to PID $VICTIM" && ! kill -0 $VICTIM 2>/dev/null'
key / C-u Enter
wait_for 3 eval '[ "$(nrows)" -gt 5 ]'
sleep 0.6	# the victim's exited row goes after one refresh; then select a live one
key Home k
wait_for 3 has "signal [TERM]:"
key B O G U S Enter
check "a bad signal name is an error on the status line" \
	wait_for 3 has "'BOGUS' is not a signal"
key d a b c Enter
check "a bad delay is an error on the status line, and the view goes on" \
	wait_for 3 eval 'has "is not a delay" && has "Delay: 0.5s"'
key s 0 . 3 Enter
check "s sets the delay" wait_for 3 has "Delay: 0.3s"
key u n o b o d y - a t - a l l Enter
check "an unknown user is an error" wait_for 3 has "unknown user 'nobody-at-all'"
key u r o o t Enter
check "u shows only that user's processes" \
	wait_for 3 eval 'has "User: root" && [ "$(col 2 | sort -u)" = root ]'
key u Enter
wait_for 3 lacks "User: root"

# --- Pause. ---
key Z
wait_for 3 has "Paused"
clock1=$(awk '/^cputop - / { print $3; exit }' <<<"$SCREEN")
sleep 1.5
SCREEN=$(screen_text)
clock2=$(awk '/^cputop - / { print $3; exit }' <<<"$SCREEN")
check "Z freezes the display ($clock1 = $clock2)" test "$clock1" = "$clock2"
key Z
check "Z again resumes it" wait_for 3 eval \
	'[ "$(awk "/^cputop - / { print \$3; exit }" <<<"$SCREEN")" != "$clock1" ]'

# --- Help. ---
key h
check "h shows the key list" wait_for 3 has "cputop keys"
key x
check "any key closes it" wait_for 3 has "PID USER"

# --- Resize. ---
T resize-window -t tui -x 20 -y 5
sleep 1
check "a 20x5 terminal keeps it running, showing what fits" \
	eval 'kill -0 $(cputop_pid) && wait_for 3 has "PID"'
T resize-window -t tui -x 300 -y 40
check "a 300-column terminal uses the width" wait_for 3 eval \
	'has "PID USER" && awk "length(\$0) > 250 { f = 1 } END { exit !f }" <<<"$SCREEN"'
T resize-window -t tui -x 120 -y 40
check "back to 120x40, the whole header returns" wait_for 3 has "Mem["

# --- W writes the rc file; a restart reads it; flags win over it. ---
key N 1 /
key c t - Enter
key W
check "W writes the rc file and says where" wait_for 3 has "Wrote $RC"
check "the rc file has the settings" \
	grep -qx 'sort=-PID' "$RC" && grep -qx 'meters=all' "$RC" && grep -qx 'filter=ct-' "$RC"
check "the rc file is mode 0644" test "$(stat -c %a "$RC")" = 644
key q
check "q exits and the shell is usable" shell_usable
start_tui
check "a restart reads the rc file" wait_for 3 eval \
	'has "Sort: PID low first" && has "CPU[" && has "Filter: ct-" && only_rows_with ct-'
key q
wait_for 3 has 'shell$'
start_tui -o %CPU --filter ct-spin
check "flags override the rc file" wait_for 3 eval \
	'has "Sort: %CPU high first" && has "Filter: ct-spin" && has "CPU["'
key q
rm -f "$RC"
echo 'delay=fast' >"$RC"
start_tui
check "a bad rc file is reported on the status line, not fatal" wait_for 3 eval \
	'has "cputoprc: line 1: delay:" && has "PID USER"'
key q
rm -f "$RC"

# --- Hostile names never reach the terminal raw. ---
start_tui -d 0.3
start_workload "$WORK/evil.out" name $'\e[2J\e[31mevil\x07' 60
EVIL=$WL_PID
key / e v i l Enter
check "an escape-laden name shows as text, and the screen survives it" wait_for 3 eval \
	'rows | grep -qF "?[2J?[31mevil?" && has "PID USER" && has "Tasks:"'
key q
wait_for 3 has 'shell$'
kill "$EVIL" 2>/dev/null
key "$CPUTOP -d 0.2 -n 3; echo status=\$?" Enter
check "-n 3 ends the view by itself, status 0" wait_for 5 has "status=0"

# --- Read-only, colours, signals. ---
start_tui --readonly
key k
check "--readonly refuses k" wait_for 3 has "Read-only (--readonly): kill is disabled"
key r
check "--readonly refuses r" wait_for 3 has "renice is disabled"
if T capture-pane -p -e -t tui | grep -q $'\e\\[[34][0-7]m'; then
	ok "colours on a colour terminal"
else
	not_ok "colours on a colour terminal"
fi
kill -TERM "$(cputop_pid)"
check "SIGTERM ends it and restores the terminal" shell_usable
TUI_ENV=NO_COLOR=1 start_tui
if T capture-pane -p -e -t tui | grep -q $'\e\\[[34][0-7]m'; then
	not_ok "NO_COLOR gives a plain view"
else
	ok "NO_COLOR gives a plain view"
fi
# Exited processes, shown for the interval they exited in, are dimmed (SGR 2). Two that use
# 0.2 s of CPU each, so that their rows sort near the top; the wait is for those two only (a
# bare wait would wait for every workload started above, up to a minute).
dimmed_exit() {
	local a b i
	"$WORKLOAD" cpu 200 >/dev/null &
	a=$!
	"$WORKLOAD" cpu 200 >/dev/null &
	b=$!
	wait "$a" "$b"
	for i in $(seq 30); do
		T capture-pane -p -e -t tui | grep -a $'\e\\[2m' | grep -aq ' X ' && return 0
		sleep 0.1
	done
	return 1
}
check "exited processes are dimmed" dimmed_exit
key C-c
check "Ctrl-C ends it and restores the terminal" shell_usable
start_tui
kill -HUP "$(cputop_pid)"
check "SIGHUP ends it and restores the terminal" shell_usable

# --- Programs, the tree, the system metrics. ---
kill "$SPIN" 2>/dev/null
start_workload "$WORK/spin2.out" spin 30
SPIN=$WL_PID
# The spinner under a limit of 0.2 CPU: v1's CFS quota at its v2 path on a hybrid host like
# this one (as systemd makes a unit's), or v2's cpu.max where v2 has the cpu controller.
LIMITED=cputop-tui-$$
if [ -w /sys/fs/cgroup/unified/cgroup.procs ] && [ -w /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]; then
	for d in /sys/fs/cgroup/unified/$LIMITED /sys/fs/cgroup/cpu/$LIMITED; do
		mkdir "$d" && CG="$CG $d" && echo "$SPIN" >"$d/cgroup.procs" || LIMITED=
	done
	[ -z "$LIMITED" ] || echo 20000 >"/sys/fs/cgroup/cpu/$LIMITED/cpu.cfs_quota_us"
elif grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null &&
     mkdir "/sys/fs/cgroup/$LIMITED"; then
	CG=/sys/fs/cgroup/$LIMITED
	echo "20000 100000" >"$CG/cpu.max" && echo "$SPIN" >"$CG/cgroup.procs" || LIMITED=
else
	LIMITED=
fi
[ -n "$LIMITED" ] || skip "a throttled cgroup's colour" "no cgroup with a cpu controller here"
start_tui -d 0.3
check "the system metrics lines show, each collector or why not" wait_for 3 eval \
	'has "Intr: " && has "Freq: " && has "Temp: " && has "Net: " && has "Disk: " && has "Paging: "'
key m
check "m hides the system metrics" wait_for 3 eval 'lacks "Paging: " && has "PID USER"'
key a
check "a shows one row per command: CNT first, CREDITS, the spinner's row" wait_for 3 eval \
	'has "CNT USER" && has "CREDITS COMMAND" && grep -qE "^ +1 .* ct-spin" <<<"$SCREEN"'
key k
check "k refuses a program row" wait_for 3 has "a leaves the per-program view"
key a
check "a again: one row per user, no COMMAND column" wait_for 3 eval \
	'has "CNT USER" && lacks "COMMAND" && grep -qE "^ +[0-9]+ root " <<<"$SCREEN"'
key a
check "a a third time: one row per cgroup, its LIMIT, THR% and PSI%, its path last" \
	wait_for 3 eval 'has "LIMIT  THR%  PSI%  CREDITS CGROUP" && grep -qE " /\$" <<<"$SCREEN"'
if [ -n "$LIMITED" ]; then
	check "the spinner's cgroup shows its 0.2-CPU limit" wait_for 3 eval \
		'grep -qE " 0\.20 .* /$LIMITED\$" <<<"$SCREEN"'
	# The selected row has the selection's colour: select the root's, which the selection
	# then follows as %CPU re-sorts the two (the first row, or the last).
	for _ in 1 2 3 4 5; do
		T capture-pane -e -p -t tui | grep -qE "^.\[46m.* /\$" && break
		screen_text | awk '/CREDITS CGROUP *$/ { t = 1; next } t && NF' | head -1 |
			grep -qE " / *\$" && key Home || key End
		sleep 0.4
	done
	check "a cgroup throttled at its limit is drawn in the warning colour (yellow)" wait_for 3 \
		eval 'T capture-pane -e -p -t tui | grep -F "/$LIMITED" | grep -q "\[[0-9;]*33m"'
fi
key V
check "V in the view by cgroup: the cgroup tree, each cgroup under its parent" wait_for 3 eval \
	'has "Cgroup tree" && grep -qE "^ .* /\$" <<<"$SCREEN" && grep -qE "\`- " <<<"$SCREEN"'
key a
check "a a fourth time: one row per systemd unit" wait_for 3 has "CREDITS UNIT"
key a
check "a a fifth time: one row per container" wait_for 3 has "CREDITS CONTAINER"
key a
check "a a sixth time: back to processes" wait_for 3 has "PID USER"
key V
check "V shows the tree: this cputop under its shell" wait_for 3 eval \
	'grep -qE "\`- cputop" <<<"$SCREEN"'
key Home -
check "- folds the selected subtree into its row" wait_for 3 eval \
	'rows | head -1 | grep -qE "\(\+[0-9]+\)$"'
key +
check "+ unfolds it" wait_for 3 eval '! rows | head -1 | grep -qE "\(\+[0-9]+\)$"'
key q
kill "$SPIN" 2>/dev/null

# Only what changed goes to the terminal: an ordinary refresh (the clock, the meters, the
# graph scrolling, a few figures) writes a fraction of a full repaint, which Ctrl-L forces
# and a clear() in every frame would make of each. Ten refreshes: each wrote 600 to 1,700
# bytes against a repaint's 3,900 to 7,000, over ten as over twenty.
start_tui -d 0.2
wait_for 5 has "PID USER" || true
sleep 1
T pipe-pane -t tui -o "cat >>$WORK/pane.out"
sleep 2
T pipe-pane -t tui
T pipe-pane -t tui -o "cat >>$WORK/full.out"
key C-l
sleep 0.3
T pipe-pane -t tui
bytes=$(wc -c <"$WORK/pane.out") full=$(wc -c <"$WORK/full.out")
note "10 refreshes wrote $bytes bytes, $((bytes / 10)) each; a full repaint $full"
check "a refresh sends only the changes: on average under half a full repaint" \
	[ "$full" -gt 2000 -a "$bytes" -gt 0 -a $((bytes / 10)) -lt $((full / 2)) ]
key q

# --- The longest hostile name: newline, invalid UTF-8, C1, DEL, a cut sequence. ---
# 15 bytes (the kernel's limit), each bad byte a '?'; the table, a detail, the tree and the
# kill prompt show it so, and the screen keeps its layout.
start_tui -d 0.3
start_workload "$WORK/evil2.out" name $'\e[2J\n\xff\xfe\x9b\x7fevil\xe2\x82' 60
EVIL2=$WL_PID
key / e v i l Enter
check "a name with a newline and invalid UTF-8 is one row of safe text" wait_for 3 eval \
	'[ "$(rows | awk "{ print \$1, \$9 }")" = "$EVIL2 ?[2J?????evil??" ] &&
	 has "PID USER" && has "Tasks:" && [ "$(grep -c "^Tasks:" <<<"$SCREEN")" = 1 ]'
key V
check "the tree shows it as safe text too" wait_for 3 eval \
	'rows | grep -qF "?[2J?????evil??" && has "PID USER"'
key V k
check "the kill prompt quotes it sanitised" \
	wait_for 3 has "Send PID $EVIL2 (?[2J?????evil??) signal [TERM]:"
key Escape
sleep 0.3
check "Esc at that prompt leaves it running" kill -0 "$EVIL2"
key q
check "q after a hostile name leaves a usable shell" shell_usable
kill "$EVIL2" 2>/dev/null

# --- A replay: the clock is the sample's; t and T step, b jumps, space pauses. ---
# The six samples recorded since the start, a second apart.
wait "$RECORDER"
mapfile -t clocks < <("$CPUTOP" --replay "$WORK/r.rec" --format json |
	jq -r '.timestamp_ns / 1e9 | floor | strflocaltime("%Y-%m-%d %H:%M:%S")')
note "recorded samples at: ${clocks[*]}"
# It opens paused on the first sample.
start_tui --replay "$WORK/r.rec"
check "a replay says so, with the first sample's date and time, paused" wait_for 3 eval \
	'has "replay of ${clocks[0]}" && has "Source: recording of" && has "Paused"'
key T
check "T on the first sample: none before it, said so" wait_for 3 eval \
	'has "No sample before this one" && has "replay of ${clocks[0]}"'
key t
check "t: the next sample" wait_for 3 has "replay of ${clocks[1]}"
key t t
check "t t: two more" wait_for 3 has "replay of ${clocks[3]}"
key T
check "T: the sample before" wait_for 3 has "replay of ${clocks[2]}"
key b
check "b asks for a time" wait_for 3 has "Jump to"
key "${clocks[4]}" Enter
check "b with a date and time: that sample" wait_for 3 has "replay of ${clocks[4]}"
# Samples a second apart: 1.5 s before the one shown is half a second after the one before it.
key b
T send-keys -t tui -l -- -1.5s
key Enter
check "b -1.5s: the first sample from 1.5 s before the one shown" \
	wait_for 3 has "replay of ${clocks[3]}"
key b "a while ago" Enter
check "b with no time says so, and stays" wait_for 3 eval \
	'has "Not a time" && has "replay of ${clocks[3]}"'
key d 0.2 Enter
key Space
check "space plays a sample each delay, from there to the end" \
	wait_for 5 eval 'has "replay of ${clocks[5]}" && has "end of the recording"'
key k
check "k does nothing in a replay" wait_for 2 eval 'lacks "Send PID" && has "PID USER"'
key q
check "q ends the replay" shell_usable
finish
