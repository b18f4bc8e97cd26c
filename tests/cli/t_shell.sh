# t_shell.sh: `litecon shell` through a real terminal (a detached tmux of
# 120x40): prompt and continuation prompt, a transcript of every
# dot-command, Tab completion (tables, columns after alias. and table.,
# schemas, dot-commands, paths), history kept across runs and Ctrl-R,
# Ctrl-C on a long query and at the prompt, the read-only refusal, the
# pager, Ctrl-D and .exit; the same core over ssh against the test sshd;
# one session under valgrind. Every wait polls the pane with a bound.
. tests/lib.sh

if ! command -v tmux >/dev/null; then
	ok "shell tests skipped: tmux is not installed # SKIP"
	exit 0
fi
export TMUX_TMPDIR=$T  # the server's socket goes away with $T
TM="tmux -L litecon-test-$$"
trap '$TM kill-server 2>/dev/null; rm -rf "$T"' EXIT
. tests/ssh/fixture.sh
LITECON=$(cd "$(dirname "$LITECON")" && pwd)/$(basename "$LITECON")
SAN=0; case $LITECON in */san/*) SAN=1 ;; esac
mkdir -p "$T/home" "$T/state"

db=$T/shop.sqlite3
fixture "$db" "create table t(a integer primary key, b text); insert into t values (1,'x'),(2,'y');
create table other(z); create index t_b on t(b); create view vw as select a from t;
create table \"odd name\"(\"col one\", two);"
store=$T/store
"$LITECON_LOAD" init "$store" --orders 300 --seed 7 >/dev/null 2>&1 || not_ok "demo store"

# ---- helpers ----

# start ARGS...: run `litecon shell ARGS` in a fresh tmux session; the pane
# shows "[exit N]" when it ends. ENV_EXTRA: more NAME=VALUE words for env.
start() {
	local cmd; cmd=$(printf '%q ' "$@")
	$TM kill-server 2>/dev/null
	for _ in $(seq 50); do $TM has-session 2>/dev/null || break; sleep 0.1; done
	$TM new -d -x 120 -y 40 "cd $(printf %q "$PWD"); env HOME=$T/home XDG_STATE_HOME=$T/state PAGER=cat \
		ASAN_OPTIONS=${ASAN_OPTIONS:-}:log_path=$T/asan ${ENV_EXTRA:-} $WRAP $(printf %q "$LITECON") shell $cmd; \
		echo \"[exit \$?]\"; sleep 600"
}
WRAP=

# pane: the screen and its scrollback, trailing blanks and blank lines dropped
pane() { $TM capture-pane -p -J -S -3000 2>/dev/null | sed 's/ *$//' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'; }

# wait_for REGEX [SECONDS]: poll the pane until a line matches (grep -E)
wait_for() {
	local n=$(( ${2:-20} * 10 ))
	for _ in $(seq "$n"); do
		pane >"$T/pane"
		grep -Eq -- "$1" "$T/pane" && return 0
		sleep 0.1
	done
	return 1
}

# keys TEXT: type TEXT literally (tmux takes a final ';' as its own separator)
keys() {
	case $1 in *\;) $TM send-keys -l -- "${1%;}\\;" ;; *) $TM send-keys -l -- "$1" ;; esac
}

# fresh: clear the screen and the scrollback, so the pane holds one prompt
fresh() {
	$TM send-keys C-l
	for _ in $(seq 100); do [ "$($TM capture-pane -p | grep -c .)" = 1 ] && break; sleep 0.05; done
	$TM clear-history
}

# cmd TEXT [SECONDS]: on a clear screen, type TEXT and Enter; wait for the
# next prompt; $T/out gets the lines between the two prompts.
cmd() {
	fresh
	keys "$1"
	$TM send-keys Enter
	for _ in $(seq $(( ${2:-20} * 10 ))); do
		pane >"$T/pane"
		[ "$(grep -Ec "^${P% }( |\$)" "$T/pane")" -ge 2 ] && [ "$(tail -1 "$T/pane")" = "${P% }" ] && break
		sleep 0.1
	done
	sed '1d;$d' "$T/pane" >"$T/out"
}

# expect NAME EXPECTED: the last command printed exactly EXPECTED
expect() {
	printf '%s\n' "$2" >"$T/want"
	if cmp -s "$T/want" "$T/out"; then ok "$1"; else not_ok "$1" "diff:" "$(diff "$T/want" "$T/out" | head -20)"; fi
}

# has NAME REGEX...: the last command's output matches every REGEX
has() {
	local name=$1 r; shift
	for r in "$@"; do
		grep -Eq -- "$r" "$T/out" || { not_ok "$name" "no match for: $r" "$(head -30 "$T/out")"; return; }
	done
	ok "$name"
}

# quit_with NAME STATUS TEXT: type TEXT and Enter (C-d: press Ctrl-D), then
# wait for "[exit STATUS]"; the sanitizer wrote no report
quit_with() {
	local name=$1 want=$2
	if [ "$3" = C-d ]; then $TM send-keys C-d; else keys "$3"; $TM send-keys Enter; fi
	if wait_for '^\[exit [0-9]+\]$' 30 && grep -q "^\[exit $want\]$" "$T/pane"; then ok "$name"; else
		not_ok "$name" "$(tail -5 "$T/pane")"; fi
	if ls "$T"/asan* >/dev/null 2>&1; then not_ok "$name: sanitizer clean" "$(head -c 1500 "$T"/asan*)"; rm -f "$T"/asan*; fi
}

# ---- prompt, SQL, continuation ----

P="shop:main> "
start "$db"
wait_for "^shop:main>" && grep -q "shell on .*shop.sqlite3 (1 database, read-only)" "$T/pane" \
	&& ok "the prompt names the target and the database (shop:main> ) after a one-line banner" \
	|| not_ok "prompt" "$(cat "$T/pane")"
cmd "select a, b from t order by a;"
expect "SQL on a terminal prints a box table" '┌───┬───┐
│ a │ b │
├───┼───┤
│ 1 │ x │
│ 2 │ y │
└───┴───┘'
fresh
keys "select 40"; $TM send-keys Enter
wait_for '^ +\.\.\.> $|^ +\.\.\.>$' && ok "an incomplete statement gets the continuation prompt" || not_ok "continuation" "$(cat "$T/pane")"
keys "+ 2 as n;"; $TM send-keys Enter
wait_for '│ 42 │' && grep -q '^      \.\.\.> + 2 as n;$' "$T/pane" && ok "the statement runs once complete; the continuation prompt is as wide as the prompt" \
	|| not_ok "continued statement" "$(cat "$T/pane")"

# ---- every dot-command ----

cmd ".tables"
expect ".tables" 'odd name
other
t
vw'
cmd ".tables o%"
expect ".tables PATTERN" 'odd name
other'
cmd ".schema t"
expect ".schema PATTERN shows the table and its indexes (as sqlite3)" 'CREATE TABLE t(a integer primary key, b text);
CREATE INDEX t_b on t(b);'
cmd ".indexes"
expect ".indexes" 't_b'
cmd ".databases"
expect ".databases" "main: $(realpath "$db") r/o"
cmd ".mode"
expect ".mode shows the mode (box on a terminal)" 'current output mode: box'
cmd ".mode csv"
cmd "select a, b from t;"
expect ".mode csv: headers off by default, as sqlite3" '1,x
2,y'
cmd ".headers on"
cmd "select a, b from t;"
expect ".headers on" 'a,b
1,x
2,y'
cmd ".headers off"
cmd "select 1;"
expect ".headers off" '1'
cmd ".mode nosuch"
has ".mode with an unknown mode lists the modes" 'unknown mode "nosuch"; the modes are: box table'
cmd ".mode list"
cmd ".timer on"
cmd "select 5;"
has ".timer on prints the run time after the result" '^5$' '^Run Time: real [0-9]+\.[0-9]{3}$'
cmd ".timer off"
cmd "select 5;"
expect ".timer off" '5'
cmd ".once $T/once.txt"
cmd "select 'to the file';"
cmd "select 'to the screen';"
[ "$(cat "$T/once.txt" 2>/dev/null)" = "to the file" ] && [ "$(cat "$T/out")" = "to the screen" ] \
	&& ok ".once FILE takes the next command's output only" || not_ok ".once" "$(cat "$T/once.txt")" "$(cat "$T/out")"
cmd ".output $T/output.txt"
cmd "select 'one';"
cmd ".tables v%"
cmd ".output"
cmd "select 'back';"
[ "$(cat "$T/output.txt")" = "$(printf 'one\nvw')" ] && [ "$(cat "$T/out")" = back ] \
	&& ok ".output FILE takes everything until .output" || not_ok ".output" "$(cat "$T/output.txt")" "$(cat "$T/out")"
cmd ".once '|tr a-z A-Z'"
cmd "select 'piped';"
expect ".once |command pipes the output through a command" 'PIPED'
printf "select 'read 1';\n.print from the file\nselect * from nosuch;\nselect 'read 2';\n" >"$T/r.sql"
cmd ".read $T/r.sql"
expect ".read FILE runs SQL and dot-commands, names the failing line, goes on" "read 1
from the file
litecon: $T/r.sql:3: no such table: nosuch, in: select * from nosuch
read 2"
cmd ".read $T/nosuch.sql"
expect ".read a missing file" "litecon: cannot read $T/nosuch.sql: No such file or directory"
cmd ".backup $T/copy.db" 60
[ "$(sqlite3 "$T/copy.db" 'select group_concat(b) from t' 2>&1)" = "x,y" ] && grep -q "backup of main" "$T/out" \
	&& ok ".backup DEST writes a verified copy" || not_ok ".backup" "$(cat "$T/out")"
cmd ".eqp on"
cmd "select b from t where a = 1;"
expect ".eqp on shows the query plan before the result" 'QUERY PLAN
`--SEARCH t USING INTEGER PRIMARY KEY (rowid=?)
x'
cmd ".eqp off"
cmd "select b from t where a = 1;"
expect ".eqp off" 'x'
cmd ".limit 1"
cmd "select a from t order by a; select 'after';"
expect ".limit N cuts each result and says so" '1
(more rows not shown: .limit 1 is set; .limit 0 shows all)
after'
cmd ".limit"
expect ".limit alone shows the limit" 'at most 1 rows per result'
cmd ".limit 0"
cmd "select count(*) from t;"
expect ".limit 0 shows everything" '2'
cmd ".timeout 0.3"
cmd "with recursive c(x) as (select 1 union all select x+1 from c) select count(*) from c;" 30
has ".timeout S stops a long statement at its limit" 'statement stopped at its time limit of 0.3 s'
cmd ".timeout 30"
cmd ".help"
n=0; while read -r name; do grep -q "^\.$name " "$T/out" || { n=1; not_ok ".help lists .$name"; }; done <<'EOF'
backup
check
databases
eqp
exit
headers
indexes
limit
mode
once
orders
output
pager
queue
quit
read
schema
stats
tables
timeout
timer
wal
EOF
[ "$n" = 0 ] && ok ".help lists every dot-command with its usage"
cmd ".help tim"
expect ".help PREFIX" '.timeout SECONDS         time limit for each statement (0 = none)
.timer on|off            print how long each statement took'
cmd ".ti on"
has "an ambiguous abbreviation is refused" 'ti is ambiguous'
cmd ".tab t"
expect "a unique abbreviation works (.tab = .tables)" 't'
cmd ".frob"
expect "an unknown dot-command" 'litecon: unknown command .frob; .help lists them'

# ---- refusals ----
cmd "delete from t;"
has "a write is refused with the read-only message" '^litecon: refused \(litecon is read-only\): DELETE'
cmd "begin;"
has "BEGIN is refused: the shell never holds a transaction open" '^litecon: refused \(litecon is read-only\)'
cmd "select count(*) from t;"
expect "the shell goes on after errors" '2'

# ---- Tab completion ----
fresh
keys "select * from ot"; $TM send-keys Tab
wait_for '^shop:main> select \* from other$' 5 && ok "Tab completes a table name" || not_ok "Tab table" "$(cat "$T/pane")"
$TM send-keys C-u
fresh
keys "select x.b fr"; $TM send-keys Tab; keys "t x where x."; $TM send-keys Tab Tab
wait_for '^x\.a +x\.b' 5 && ok "Tab Tab lists the columns after alias." || not_ok "Tab alias." "$(cat "$T/pane")"
$TM send-keys C-u
fresh
keys "select t.b"; $TM send-keys Tab
wait_for '^shop:main> select t\.b$' 5 && ok "Tab completes a column after table." || not_ok "Tab table." "$(cat "$T/pane")"
$TM send-keys C-u
fresh
keys "select tw"; $TM send-keys Tab
wait_for '^shop:main> select two$' 5 && ok "Tab completes a column name" || not_ok "Tab column" "$(cat "$T/pane")"
$TM send-keys C-u
fresh
keys "select * from od"; $TM send-keys Tab
wait_for '^shop:main> select \* from "odd name"$' 5 && ok "Tab quotes a name that needs quoting" || not_ok "Tab quoted" "$(cat "$T/pane")"
$TM send-keys C-u
fresh
keys "SEL"; $TM send-keys Tab; keys "1 fro"; $TM send-keys Tab
wait_for '^shop:main> SELECT 1 from$' 5 && ok "Tab completes SQL keywords in the case typed" || not_ok "Tab keyword" "$(cat "$T/pane")"
$TM send-keys C-u
fresh
keys ".sch"; $TM send-keys Tab
wait_for '^shop:main> \.schema$' 5 && ok "Tab completes a dot-command" || not_ok "Tab dot" "$(cat "$T/pane")"
$TM send-keys C-u
fresh
keys ".mode mark"; $TM send-keys Tab
wait_for '^shop:main> \.mode markdown$' 5 && ok "Tab completes a mode after .mode" || not_ok "Tab mode" "$(cat "$T/pane")"
$TM send-keys C-u
mkdir -p "$T/dir with-dash"; echo "select 'from dir';" >"$T/dir with-dash/in-file.sql"
keys ".read $T/dir"; $TM send-keys Tab
wait_for "^shop:main> \\.read '$T/dir with-dash/\$" 5 && ok "Tab completes a local path after .read" || not_ok "Tab path" "$(cat "$T/pane")"
$TM send-keys C-u
fixture "$db" "create table later_added(q)" 2>/dev/null
keys "select * from later"; $TM send-keys Tab
wait_for '^shop:main> select \* from later$' 3
$TM send-keys C-u
cmd ".tables later%"
fresh
keys "select * from later"; $TM send-keys Tab
wait_for '^shop:main> select \* from later_added$' 5 && ok "names are loaded again after .tables" || not_ok "reload" "$(cat "$T/pane")"
$TM send-keys C-u

# ---- Ctrl-C ----
cmd ".mode list"
fresh
keys "with recursive c(x) as (select 1 union all select x+1 from c) select count(*) from c;"
$TM send-keys Enter
got=1
for _ in 1 2 3 4 5; do
	sleep 0.5
	$TM send-keys C-c
	wait_for '^litecon: cancelled$' 4 && { got=0; break; }
done
[ "$got" = 0 ] && wait_for "^${P% }\$" 5 && ok "Ctrl-C cancels a long query and the prompt comes back" || not_ok "Ctrl-C query" "$(cat "$T/pane")"
cmd "select 'still here';"
expect "the shell works after a cancel" 'still here'
fresh
keys "select 1 +"; $TM send-keys Enter; keys "half typed"; $TM send-keys C-c
wait_for 'half typed\^C$' 5
keys "select 'clean';"; $TM send-keys Enter
wait_for '^clean$' 5 && ok "Ctrl-C at the prompt drops the half-typed statement" || not_ok "Ctrl-C prompt" "$(cat "$T/pane")"

# A bracketed paste of several lines: each line counts, dot-commands too.
fresh
printf '.mode csv\nselect 7, 8;\n.mode list\n' >"$T/paste"
$TM load-buffer "$T/paste"; $TM paste-buffer -p; $TM send-keys Enter
wait_for '^7,8$' 5 && ok "a pasted block runs line by line, dot-commands included" || not_ok "paste" "$(cat "$T/pane")"

# ---- the pager ----
quit_with "Ctrl-D leaves with status 0" 0 C-d
ENV_EXTRA="PAGER=sed\ s/^/PAGED:/" start "$db"
wait_for "^${P% }"
cmd ".mode list"
cmd "with recursive c(x) as (select 1 union all select x+1 from c where x < 60) select x from c;"
[ "$(grep -c '^PAGED:' "$T/out")" = 60 ] && ok "a result taller than the screen goes through \$PAGER" || not_ok "pager" "$(head -5 "$T/out")"
cmd "select 'short';"
expect "a short result does not" 'short'
cmd ".pager off"
cmd "with recursive c(x) as (select 1 union all select x+1 from c where x < 60) select x from c;"
[ "$(grep -c '^PAGED:' "$T/out")" = 0 ] && [ "$(grep -c '^[0-9]' "$T/out")" = 60 ] && ok ".pager off" || not_ok ".pager off" "$(head -5 "$T/out")"
quit_with ".exit CODE leaves with that status" 3 ".exit 3"

# ---- history across runs ----
start "$db"
wait_for "^${P% }"
cmd "select 'first run';"
quit_with ".quit leaves with status 0" 0 ".quit"
hist=$T/state/litecon/history
[ "$(stat -c %a "$T/state/litecon")" = 700 ] && [ "$(stat -c %a "$hist")" = 600 ] && grep -qx "select 'first run';" "$hist" \
	&& ok "history is kept in \$XDG_STATE_HOME/litecon/history (dir 0700, file 0600)" || not_ok "history file" "$(ls -la "$T/state/litecon")"
start "$db"
wait_for "^${P% }"
fresh
$TM send-keys Up
wait_for "^$P\\.quit\$" 5 && $TM send-keys Up && wait_for "^${P}select 'first run';\$" 5 \
	&& ok "the second run recalls the first run's lines (Up)" || not_ok "history recall" "$(cat "$T/pane")"
$TM send-keys C-c
fresh
$TM send-keys C-r; keys "first"
wait_for "\`first': select 'first run';" 5 && ok "Ctrl-R searches the history" || not_ok "Ctrl-R" "$(cat "$T/pane")"
$TM send-keys Enter
wait_for "^│ first run +│\$" 5 && ok "the line found with Ctrl-R runs" || not_ok "Ctrl-R run" "$(cat "$T/pane")"
quit_with "second run ends" 0 C-d

# ---- the store: .stats and its parts, .check ----
P="store:main> "
start "$store"
wait_for "^${P% }" && ok "a store directory: prompt store:main>" || not_ok "store prompt" "$(cat "$T/pane")"
cmd ".wal"
has ".wal shows each file's WAL" '^Files$' '^main +wal ' '^queue +wal '
cmd ".queue"
has ".queue shows queue depth and processes" '^Queues$' '^default ' '^Queue processes$'
cmd ".orders"
has ".orders shows order counts and the latest orders" '^Orders$' '^orders +300 ' '^Latest orders$'
cmd ".stats" 30
has ".stats shows the whole report" '^Files$' '^Orders$' '^Queues$' '^Sequences'
cmd ".check" 30
has ".check runs the health checks" 'failed jobs' 'problems? found'
cmd "select count(*) from queue.solid_queue_jobs where id > 0;"
has "an attached database by schema name" '^│ +[0-9]+ │$'
fresh
keys "select * from queue.solid_queue_fa"; $TM send-keys Tab
wait_for "^${P}select \\* from queue\\.solid_queue_failed_executions$" 5 && ok "Tab completes schema.table" || not_ok "Tab schema.table" "$(cat "$T/pane")"
$TM send-keys C-u
quit_with "store shell ends" 0 C-d

# ---- not a terminal: a script ----
printf '.mode csv\nselect 1;\n.tables t\nselect * from nosuch;\n' | { run shell "$db"
[ "$rc" = 1 ] && [ "$(cat "$T/out")" = "$(printf '1\nt')" ] && grep -q 'stdin:4: no such table' "$T/err" \
	&& ok "with stdin not a terminal, the shell reads a script" || not_ok "shell script" "rc=$rc $(cat "$T/out" "$T/err")"; }
expect_err "shell takes only a TARGET" 2 'too many arguments' shell "$db" "select 1"

# ---- over ssh ----
if sshd_start; then
	remote_cache_clean
	AGENT=$(dirname "$LITECON")/litecon-agent
	[ -x "$AGENT" ] || AGENT=$PWD/build/litecon-agent
	ENV_EXTRA="LITECON_AGENT=$AGENT"
	R="ssh://$SSH_USER@127.0.0.1:$SSHD_PORT$store"
	P="store:main> "
	start -i "$SSH_KEY" -o UserKnownHostsFile="$KH_PLAIN" -o StrictHostKeyChecking=yes "$R"
	wait_for "^${P% }" 60 && ok "ssh: the shell opens a remote store" || not_ok "ssh shell" "$(cat "$T/pane")"
	cmd "select count(*) from orders;"
	expect "ssh: a query" '┌──────────┐
│ count(*) │
├──────────┤
│      300 │
└──────────┘'
	cmd ".tables solid_queue_f%"
	expect "ssh: .tables" 'queue.solid_queue_failed_executions'
	fresh
	keys "select * from orders where statu"; $TM send-keys Tab
	wait_for "^${P}select \\* from orders where status$" 10 && ok "ssh: Tab completes from the remote catalog" || not_ok "ssh Tab" "$(cat "$T/pane")"
	$TM send-keys C-u
	cmd "delete from orders;"
	has "ssh: a write is refused with the read-only message" '^litecon: refused \(litecon is read-only\): DELETE'
	cmd ".wal" 30
	has "ssh: .wal" '^Files$' '^main +wal '
	fresh
	keys "with recursive c(x) as (select 1 union all select x+1 from c) select count(*) from c;"
	$TM send-keys Enter
	got=1
	for _ in 1 2 3 4 5; do
		sleep 0.5
		$TM send-keys C-c
		wait_for '^litecon: cancelled$' 6 && { got=0; break; }
	done
	[ "$got" = 0 ] && wait_for "^${P% }\$" 5 && ok "ssh: Ctrl-C cancels a long query and the prompt comes back" || not_ok "ssh Ctrl-C" "$(cat "$T/pane")"
	cmd "select 'remote still here';"
	has "ssh: the connection works after a cancel" 'remote still here'
	quit_with "ssh: Ctrl-D leaves with status 0" 0 C-d
	ENV_EXTRA=
else
	not_ok "sshd starts for the shell tests"
fi

# ---- valgrind: one session (normal build only) ----
if [ "$SAN" = 0 ] && command -v valgrind >/dev/null; then
	WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --log-file=$T/vg.log"
	P="shop:main> "
	start "$db"
	wait_for "^${P% }" 60
	cmd "select a, b from t;" 60
	cmd ".once $T/vg.txt" 60
	cmd ".tables" 60
	fresh
	keys "select * from ot"; $TM send-keys Tab
	wait_for '^shop:main> select \* from other$' 30
	$TM send-keys C-u
	keys "with recursive c(x) as (select 1 union all select x+1 from c) select count(*) from c;"
	$TM send-keys Enter
	for _ in 1 2 3 4 5; do sleep 1; $TM send-keys C-c; wait_for '^litecon: cancelled$' 10 && break; done
	cmd ".eqp on" 60
	cmd "select b from t where a = 2;" 60
	quit_with "valgrind: a shell session (SQL, dot-commands, Tab, Ctrl-C, Ctrl-D) is clean" 0 C-d
	[ -s "$T/vg.log" ] && not_ok "valgrind log is empty" "$(head -40 "$T/vg.log")"
	WRAP=
fi
$TM kill-server 2>/dev/null
exit 0
