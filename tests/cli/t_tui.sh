# t_tui.sh: the dashboard through a real terminal (a detached tmux of
# 120x40) on a demo store with the load writer running: the panes and their
# numbers, the queue moving, help, drilling into a queue and an order,
# :table orders paged to the end of 100k rows, filter, sort, row detail,
# the query editor (a query, a refused write, a cancelled long query),
# themes (and a bad theme file), NO_COLOR, hostile bytes, resizes to 80x24,
# 60x20 and 200x60, q leaving the terminal sane, the demo command, the same
# dashboard over ssh with a cut connection it recovers from, and one
# session under valgrind. Every wait polls the pane with a bound; no test
# asserts a duration.
. tests/lib.sh

export TMUX_TMPDIR=$T  # the server's socket goes away with $T
TM="tmux -L litecon-tui-$$"
trap '$TM kill-server 2>/dev/null; pkill -f "litecon-load run $T" 2>/dev/null; rm -rf "$T"' EXIT
. tests/ssh/fixture.sh
LITECON=$(cd "$(dirname "$LITECON")" && pwd)/$(basename "$LITECON")
LOAD=$(cd "$(dirname "$LITECON_LOAD")" && pwd)/$(basename "$LITECON_LOAD")
SAN=0; case $LITECON in */san/*) SAN=1 ;; esac
mkdir -p "$T/home" "$T/state"

store=$T/store
"$LOAD" init "$store" --orders 100000 --seed 11 >/dev/null 2>&1 || not_ok "demo store"
"$LOAD" run "$store" --rate 200 --duration 900 --quiet >"$T/writer.out" 2>"$T/writer.err" &
WRITER=$!

# start ARGS...: litecon ARGS in a fresh tmux session; "[exit N]" when it ends,
# then `stty -a` so the test can see the terminal was left sane.
start() {
	local cmd; cmd=$(printf '%q ' "$@")
	$TM kill-server 2>/dev/null
	for _ in $(seq 50); do $TM has-session 2>/dev/null || break; sleep 0.1; done
	$TM new -d -x "${W:-120}" -y "${H:-40}" "cd $(printf %q "$PWD"); env LANG=C.UTF-8 HOME=$T/home XDG_STATE_HOME=$T/state \
		ASAN_OPTIONS=${ASAN_OPTIONS:-}:log_path=$T/asan ${ENV_EXTRA:-} $WRAP $(printf %q "$LITECON") $cmd 2>$T/stderr; \
		echo \"[exit \$?]\"; stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo)' | tr '\n' ' '; echo; sleep 600"
}
WRAP=

pane() { $TM capture-pane -p 2>/dev/null | sed 's/ *$//'; }
# wait_for REGEX [SECONDS]
wait_for() {
	local n=$(( ${2:-20} * 10 ))
	for _ in $(seq "$n"); do
		pane >"$T/pane"
		grep -Eq -- "$1" "$T/pane" && return 0
		sleep 0.1
	done
	return 1
}
check() {  # NAME REGEX [SECONDS]
	if wait_for "$2" "${3:-20}"; then ok "$1"; else not_ok "$1" "no match for: $2" "$(cat "$T/pane")"; fi
}
keys() { $TM send-keys -l -- "$1"; }
cmdline() { $TM send-keys :; keys "$1"; $TM send-keys Enter; }
quit_clean() {  # NAME: back to the dashboard, then q
	$TM send-keys Escape Escape Escape; sleep 0.2
	$TM send-keys q
	if wait_for '^\[exit 0\]$' 30; then ok "$1"; else not_ok "$1" "$(tail -5 "$T/pane")"; fi
	wait_for '^-?icanon' 10
	grep -Eq '^icanon echo *$' "$T/pane" && ok "$1: the terminal is sane afterwards (icanon, echo)" \
		|| not_ok "$1: terminal sane" "$(tail -3 "$T/pane")"
	if ls "$T"/asan* >/dev/null 2>&1; then not_ok "$1: sanitizer clean" "$(head -c 1500 "$T"/asan*)"; rm -f "$T"/asan*; fi
}
depth() { grep -Eo 'depth [0-9]+' "$T/pane" | head -1; }

# ---- the dashboard ----
start "$store"
check "the dashboard opens: status bar with the target and a live connection" "^ .*/store  ● up  rtt [0-9]+ ms  local"
check "the Orders pane shows the rate and the latest orders" '│[0-9.]+/min  last hour [0-9]+' 
check "the Queue pane shows depth, queues and workers" 'depth [0-9]+  failed [0-9]+  workers [0-9]+'
grep -Eq '│default +[0-9]+' "$T/pane" && grep -Eq 'Worker +worker-' "$T/pane" && ok "queues and worker heartbeats are listed" || not_ok "queue rows" "$(cat "$T/pane")"
check "the WAL pane lists every file with sizes and frames" '│main +[0-9.]+ [KMG]i.* wal '
grep -Eq '│queue +[0-9.]+ ' "$T/pane" && ok "the WAL pane lists the queue database too" || not_ok "wal queue" "$(cat "$T/pane")"
check "the Sequences pane compares seq and max(id)" '│main +orders +[0-9]+ +[0-9]+'
check "the Openers pane shows the writer holding the files" '│main +(db|wal|shm) +[0-9]+ .*litecon-load'
check "sparklines are drawn" '[▁▂▃▄▅▆▇█]{2,}' 15
check "the alert line reports findings from the rules" '^ (ERROR|WARNING) |✓ no findings'
wait_for 'depth [0-9]+'; d1=$(depth)
moved=0
for _ in $(seq 30); do sleep 0.5; pane >"$T/pane"; [ "$(depth)" != "$d1" ] && { moved=1; break; }; done
[ "$moved" = 1 ] && ok "the queue depth moves with the writer ($d1 -> $(depth))" || not_ok "queue depth moves" "$d1 stayed"
grep -Eq '^ Tab next  Enter open  q quit  \? help' "$T/pane" && ok "the hint line is made from the key table" || not_ok "hints" "$(tail -1 "$T/pane")"

# ---- the dashboard's filter ----
$TM send-keys /; keys "pending"; $TM send-keys Enter   # the writer's new orders are pending
check "/ filters the dashboard's panes" '┌─ Orders  /pending'
check "matching orders are listed" '^│ +[0-9]+ pending '
others=$(grep -E '^│ +[0-9]+ (paid|cancelled|refunded|shipped) ' "$T/pane" | wc -l)
[ "$others" = 0 ] && ok "only matching orders are listed" || not_ok "dashboard filter" "$(cat "$T/pane")"
$TM send-keys /; $TM send-keys C-u Enter
check "an empty filter clears it" '┌─ Orders ─'

# ---- help ----
$TM send-keys '?'
check "? shows every key from the key table" '^│Everywhere'
grep -q '│  Tab        next pane' "$T/pane" && ok "help lists the dashboard's keys" || not_ok "help keys" "$(cat "$T/pane")"
$TM send-keys End
check "help lists the editor's keys and the ':' commands" '│  :table NAME'
grep -q '│  F5         run the query' "$T/pane" && ok "help lists the editor's run key" || not_ok "help editor" "$(cat "$T/pane")"
$TM send-keys Escape

# ---- drill in: a queue, an order ----
wait_for '┌─ Orders'
$TM send-keys Tab Enter
check "Enter on a queue shows its ready and failed jobs" '─ queue [a-z]+: ready and failed jobs'
check "the job grid has rows" '│(ready|failed) +[0-9]+ +[A-Za-z]+Job'
$TM send-keys Escape; $TM send-keys Tab Tab Tab Tab
wait_for '┌─ Orders'
$TM send-keys Enter
check "Enter on an order shows its detail" '─ order [0-9]+ '
check "the order's detail lists its fields and items" '│items \([0-9]+ rows?\):'
grep -Eq '^│status +(pending|paid|cancelled|refunded|shipped)' "$T/pane" && ok "one field per line" || not_ok "fields" "$(cat "$T/pane")"
$TM send-keys Escape

# ---- the table browser ----
cmdline "table orders"
check ":table orders opens the grid on the first page" 'row 1 of page 1 \(500 rows\)  \[start\]'
$TM send-keys G
check "G pages to the end of a 100k-row table (keyset, not OFFSET)" 'of page 1 from the end \(500 rows\)  \[end\]'
last=$(grep -Eo '^│ *[0-9]+ ' "$T/pane" | tail -1 | tr -dc 0-9)
max=$("$LITECON" "$store" "select max(id) from orders")
[ -n "$last" ] && [ "$last" -gt 100000 ] && [ "$last" -le "$max" ] && ok "the last page ends near max(id) ($last of $max)" || not_ok "last page" "$last $max"
for _ in $(seq 20); do $TM send-keys PPage; done
check "PgUp past the top of the last page reads the page before" 'of page 2 from the end'
$TM send-keys g
check "g goes back to the first page" 'row 1 of page 1 \(500 rows\)  \[start\]'
$TM send-keys l l s
check "s sorts by the current column on the host" 'sorted by status asc'
$TM send-keys /; keys "refunded"; $TM send-keys Enter
check "/ filters the grid on the host" 'row 1 of page 1 .*filter /refunded'
bad=$(grep -E '^│ *[0-9]+ ' "$T/pane" | grep -vc refunded)
[ "$bad" = 0 ] && ok "every row shown matches the filter" || not_ok "filter rows" "$(cat "$T/pane")"
$TM send-keys Enter
check "Enter shows the row's detail, one field per line" '^│status +refunded'
$TM send-keys Escape
cmdline "export $store/production.sqlite3-wal"
check ":export onto the store's own -wal is refused" 'production.sqlite3-wal would overwrite'
[ ! -e "$store/production.sqlite3-wal.partial" ] && ok ":export wrote nothing beside the store" || not_ok "export partial beside the store"
cmdline "export $T/orders page.csv"
check ":export writes the grid's rows" 'exported [0-9]+ rows to'
$TM send-keys Escape
[ -s "$T/orders page.csv" ] && head -1 "$T/orders page.csv" | grep -q '^rowid,id,user_id,status' && [ ! -e "$T/orders page.csv.partial" ] \
	&& ok "the export is CSV with a header, no partial file" || not_ok "export file" "$(head -2 "$T/orders page.csv")"
$TM send-keys t
check "t lists the tables of every database with row counts" '│queue +solid_queue_jobs +table +~?[0-9]+'
check "big tables get an estimated count (~)" '│main +orders +table +~[0-9]+' 60
$TM send-keys Escape
cmdline "table nosuch"
check "a table that does not exist is one clear message" 'no table called nosuch'

# ---- the query editor ----
$TM send-keys e
check "e opens the query editor" 'query \(F5 runs, Tab completes, Ctrl-P history\)'
keys "select status, count(*) as n from orders o where o.stat"; $TM send-keys Tab
check "Tab completes a column after alias." 'where o\.status'
keys " is not null group by 1 order by 1"; $TM send-keys F5
check "F5 runs the query; the result is in the grid" '│status +n'
grep -Eq '^ [0-9]+ rows? in [0-9]+ ms' "$T/pane" && grep -Eq '^│paid +[0-9]+' "$T/pane" && ok "the result and its timing" || not_ok "editor result" "$(cat "$T/pane")"
$TM send-keys F6 C-u
keys "delete from orders"; $TM send-keys C-g
check "a write is refused with the read-only message, inline" 'error: refused \(litecon is read-only\): DELETE'
$TM send-keys C-u
keys "with recursive c(x) as (select 1 union all select x+1 from c) select count(*) from c"; $TM send-keys F5
check "a long query shows a spinner" 'running \([0-9.]+ s\): Esc or Ctrl-C cancels'
$TM send-keys Escape
check "Esc cancels it and the editor stays" 'error: cancelled'
$TM send-keys C-p
check "Ctrl-P brings back the history" '│with recursive c\(x\)'
$TM send-keys Escape
grep -q 'select status, count(\*) as n from orders o where o.status is not null' "$T/state/litecon/history" \
	&& ok "the editor's history is the shell's file" || not_ok "history file" "$(cat "$T/state/litecon/history")"

# ---- the backup action ----
cmdline "backup '$T/tui backup'"
check ":backup shows a progress bar, then the verified summary" 'backup of 4 databases to .*tui backup done in [0-9.]+ s, each verified' 60
[ -f "$T/tui backup/manifest.json" ] && [ "$(sqlite3 "$T/tui backup/production.sqlite3" 'pragma integrity_check')" = ok ] \
	&& ok "the TUI's backup is the store with its manifest, and it is sound" || not_ok "tui backup files" "$(ls "$T/tui backup")"
cmdline "backup --verify frequently '$T/tui bad'"
check ":backup with a bad option: one line says so, nothing starts" 'verify takes one of quick\|full, not "frequently"'
[ ! -e "$T/tui bad" ] && ok "the refused :backup wrote nothing" || not_ok "refused :backup wrote" "$(ls "$T")"
cmdline "backup --verify=full '$T/tui full'"
check ":backup --verify=full runs integrity_check on each database" 'backup of 4 databases to .*tui full done in [0-9.]+ s, each verified \(integrity_check' 90

# ---- a backup runs beside the dashboard ----
# On a connection of its own: the Orders pane keeps moving (the writer adds
# 200 orders/s) while the bar is up. --max-rate makes the backup last.
quit_clean "q before the slow backup"
start --max-rate 6 "$store"
wait_for '┌─ Orders'
latest() { grep -Eo '^│ +[0-9]+ (pending|paid|shipped|refunded|cancelled)' "$T/pane" | grep -Eo '[0-9]+' | sort -n | tail -1; }
cmdline "backup '$T/slow backup'"
moved=0 first=
for _ in $(seq 300); do
	pane >"$T/pane"
	grep -q ' backup main ' "$T/pane" || { [ -n "$first" ] && break; sleep 0.1; continue; }
	now=$(latest); first=${first:-$now}
	[ -n "$now" ] && [ "$now" != "$first" ] && { moved=1; break; }
	sleep 0.1
done
[ "$moved" = 1 ] && ok "the dashboard keeps refreshing while a backup runs (latest order $first, then $now, under the bar)" \
	|| not_ok "refresh during a backup" "first=$first" "$(cat "$T/pane")"
check "the slow backup (--max-rate) ends verified" 'backup of 4 databases to .*slow backup done in [0-9.]+ s, each verified' 90
cmdline "backup '$T/cut backup'"
wait_for ' backup main ' 20
$TM send-keys q
wait_for '^\[exit 0\]$' 30 && [ -z "$(find "$T/cut backup" -name '*.partial' 2>/dev/null)" ] \
	&& ok "q during a backup: the dashboard exits 0, the backup stops, no .partial is left" \
	|| not_ok "q during a backup" "$(tail -5 "$T/pane")" "$(ls -a "$T/cut backup" 2>&1)"
start "$store"
wait_for '┌─ Orders'

# ---- themes ----
cmdline "theme light"
check ":theme switches the colours" 'theme light'
printf 'normal = fg=default\nborder = fg=purple\n' >"$T/bad.theme"
cmdline "theme $T/bad.theme"
check "a bad theme file is a clear error with file:line, the theme stays" "theme light kept: .*bad.theme:2: unknown colour"
quit_clean "q quits from the dashboard with status 0"

start --theme "$T/bad.theme" "$store"
check "--theme with a bad file: the message, and the default theme is used" 'using the default theme: .*bad.theme:2: unknown colour'
$TM capture-pane -p -e >"$T/esc"
grep -q $'\e\\[3[0-7]m\|\e\\[38;5;' "$T/esc" && ok "colours are drawn" || not_ok "colours" "$(head -c 300 "$T/esc" | od -c | head)"
quit_clean "q again"
ENV_EXTRA="NO_COLOR=1" start "$store"
wait_for '┌─ Orders'
$TM capture-pane -p -e >"$T/esc"
grep -q $'\e\\[3[0-7]m\|\e\\[38;5;\|\e\\[4[0-7]m' "$T/esc" && not_ok "NO_COLOR gives mono" "$(grep -ao $'\e\\[[0-9;]*m' "$T/esc" | sort -u | head)" || ok "NO_COLOR gives mono (no colour sequences)"
quit_clean "q under NO_COLOR"

# ---- resizes ----
start "$store"
wait_for '┌─ Sequences'
$TM resize-window -x 80 -y 24
check "at 80x24 every pane is still drawn" '┌─ Openers'
grep -q '┌─ Orders' "$T/pane" && grep -q '┌─ WAL' "$T/pane" && [ "$(LC_ALL=C.UTF-8 wc -L <"$T/pane")" -le 80 ] \
	&& ok "at 80x24 nothing spills past the edge" || not_ok "80x24" "$(cat "$T/pane")"
$TM resize-window -x 60 -y 20
check "under 80x24: a clear message, not garbage" '^litecon needs at least 80x24; this terminal is 60x20\.$'
$TM resize-window -x 200 -y 60
check "at 200x60 the panes grow" '┌─ Openers ─{150}'
quit_clean "q after the resizes"

# ---- hostile bytes ----
evil=$T/evil.db
fixture "$evil" "create table t(id integer primary key, v text); insert into t(v) values
 (char(27) || ']52;c;ZXZpbA==' || char(7) || 'clip'), (char(27) || '[31mred' || char(27) || '[0m'), ('tab' || char(9) || 'nul' || char(0) || 'x');"
start "$evil"
wait_for '┌─ Orders'
cmdline "table t"
check "control bytes in a cell are shown escaped (^[)" '\^\[\]52;c;ZXZpbA==\^Gclip'
$TM capture-pane -p -e >"$T/esc"
grep -q $'\e\\]52' "$T/esc" && not_ok "no OSC 52 reaches the terminal" || ok "no OSC 52 reaches the terminal"
grep -q '\^\[\[31mred' "$T/pane" && ok "an ANSI colour in a cell is shown, not obeyed" || not_ok "ansi" "$(cat "$T/pane")"
quit_clean "q after hostile data"

# ---- litecon demo opens the TUI ----
W=120 H=40 start demo "$T/demo" --rate 100
check "litecon demo builds the store and opens the dashboard" "^ .*/demo  ● up" 120
quit_clean "q leaves the demo"
sleep 0.3
pgrep -f "litecon-load run $T/demo" >/dev/null && not_ok "the demo's writer stops with the TUI" || ok "the demo's writer stops with the TUI"

# ---- over ssh, through a relay that cuts the connection ----
if sshd_start && relay_start; then
	AGENT=$(dirname "$LITECON")/litecon-agent
	[ -x "$AGENT" ] || AGENT=$PWD/build/litecon-agent
	ENV_EXTRA="LITECON_AGENT=$AGENT"
	start -i "$SSH_KEY" -o UserKnownHostsFile="$KH_RELAY" -o StrictHostKeyChecking=yes "ssh://$SSH_USER@127.0.0.1:$RELAY_PORT$store"
	check "ssh: the dashboard opens on a remote store" "● up  rtt [0-9]+ ms  litecon-agent [0-9.]+, protocol 1\\.[0-9]+" 60
	check "ssh: the panes are filled from the helper" '│main +orders +[0-9]+ +[0-9]+' 30
	cmdline "table orders"
	check "ssh: :table orders pages through the helper" 'row 1 of page 1 \(500 rows\)' 30
	$TM send-keys Escape
	kill -USR2 "$RELAY_PID"
	check "ssh: a cut connection shows 'reconnecting' and the screen stays up" 'connection lost: reconnecting' 30
	check "ssh: it reconnects by itself" "● up  rtt" 60
	check "ssh: and refreshes again" '│main +orders +[0-9]+ +[0-9]+' 30
	quit_clean "ssh: q leaves"
	ENV_EXTRA=
else
	not_ok "sshd and the relay start for the TUI tests"
fi

# ---- valgrind: one session (normal build only) ----
if [ "$SAN" = 0 ]; then
	WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --log-file=$T/vg.log"
	start "$store"
	wait_for '│[0-9.]+/min' 90
	$TM send-keys Tab Enter; wait_for 'ready and failed jobs' 60; $TM send-keys Escape
	cmdline "table orders"; wait_for 'row 1 of page 1' 60
	$TM send-keys G; wait_for 'from the end' 60; $TM send-keys s; wait_for 'sorted by' 60
	$TM send-keys Enter; wait_for '^│status' 60; $TM send-keys Escape Escape
	$TM send-keys e; keys "select count(*) from orders where status = 'paid'"; $TM send-keys F5; wait_for 'rows? in' 60
	$TM send-keys Escape
	$TM send-keys '?'; wait_for '^│Everywhere' 60; $TM send-keys Escape
	for _ in $(seq 600); do pane >"$T/pane"; grep -q '^│Everywhere' "$T/pane" || break; sleep 0.1; done
	$TM send-keys q  # each key once its screen is up: valgrind is slow
	wait_for '^\[exit 0\]$' 90 || $TM send-keys Escape Escape q  # a key lost on a loaded machine
	if wait_for '^\[exit 0\]$' 90; then ok "valgrind: a TUI session (dashboard, drill-in, grid, editor, help) exits 0"; else
		not_ok "valgrind: TUI session" "$(tail -5 "$T/pane")"; fi
	[ -s "$T/vg.log" ] && not_ok "valgrind: the TUI session is clean" "$(head -40 "$T/vg.log")" || ok "valgrind: the TUI session is clean"
	WRAP=
fi
kill "$WRITER" 2>/dev/null; wait "$WRITER" 2>/dev/null
grep -q ' 0 errors' "$T/writer.err" && ok "the writer saw no error while the TUI read" || not_ok "writer errors" "$(head -5 "$T/writer.err")"
$TM kill-server 2>/dev/null
exit 0
