# t_hostile.sh: hostile input end to end. Data that tries to drive the
# terminal (CSI, OSC 52 clipboard writes, OSC 8 links, C1 controls, invalid
# UTF-8, NUL, CR, BEL) in every output mode, to a pipe and to a terminal;
# a 100 MB blob (20 MB in the sanitizer pass) and a 2000-column row in
# every mode, in bounded memory;
# table and column names with quotes, spaces, non-ASCII and escapes through
# .tables, .schema, stats and check; remote targets with shell
# metacharacters. (Write attempts: t_readonly.sh; hostile helpers:
# t_agent.sh; hostile paths over a real sshd: t_ssh.sh.)
. tests/lib.sh

AGENT=$(dirname "$LITECON")/litecon-agent
[ -x "$AGENT" ] || AGENT=build/litecon-agent
modes=(box table markdown csv tsv json jsonl line list)
cc -O2 -o "$T/maxrss" tests/tools/maxrss.c || { not_ok "build maxrss"; exit 0; }

# term_safe FILE: what a terminal may be shown: valid UTF-8 (no code point
# past U+10FFFF), no C0 control but LF and TAB, no DEL, no C1 control.
term_safe() {
	local f=$1 c0
	if ! iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 || LC_ALL=C grep -q $'[\xf5-\xff]\|\xf4[\x90-\xbf]' "$f"; then
		echo "invalid UTF-8: $(od -An -tx1 "$f" | head -3)"; return 1; fi
	c0=$(LC_ALL=C tr -d '\n\t\040-\176\200-\377' <"$f" | wc -c)
	if [ "$c0" != 0 ]; then echo "$c0 C0/DEL bytes: $(LC_ALL=C tr -d '\n\t\040-\176\200-\377' <"$f" | od -An -c | head -2)"; return 1; fi
	if LC_ALL=C grep -q $'\xc2[\x80-\x9f]' "$f"; then echo "a C1 control: $(LC_ALL=C grep -a $'\xc2[\x80-\x9f]' "$f" | od -An -c | head -2)"; return 1; fi
	return 0
}

# tty ARGS...: litecon with a terminal as stdout (no CR added to LF, so a
# CR in the output is one litecon wrote); output in $T/out, status in $rc.
tty() {
	script -qec "stty -onlcr; $(printf '%q ' "$LITECON" "$@")" /dev/null </dev/null >"$T/out" 2>&1
	rc=$?
}

json_valid() { # FILE: 1 when it is one JSON text (SQLite's json_valid)
	sqlite3 :memory: "select json_valid(readfile('$1'))"
}

# ---- bytes that try to drive the terminal, in every mode ----

ESC=$'\e' BEL=$'\a'
db=$T/hostile.db
fixture "$db" "create table h(id integer primary key, v);
insert into h(v) values
 (char(27)||'[2J'||char(27)||'[31mred'),
 (char(27)||']52;c;aGVsbG8='||char(7)),
 (char(27)||']52;c;aGk='||char(27)||'\\'),
 (char(27)||']8;;http://evil.example/'||char(27)||'\\link'||char(27)||']8;;'||char(27)||'\\'),
 (char(155)||'2J'||char(157)||'0;title'||char(156)),
 (cast(x'9b324a' as text)),
 (cast(x'fffec0afeda080f4908080e697' as text)),
 (cast(x'610062000063' as text)),
 (x'1b5d35323b633b61476b3d07'),
 (x'00'),
 ('bell'||char(7)||' bs'||char(8)||' cr'||char(13)||'overwrite del'||char(127)),
 ('ok: 日本語 é 🙂');"
q="select id, v as \"${ESC}]52;c;aGk=${BEL}name\" from h order by id"

for m in "${modes[@]}"; do
	run -$m -header "$db" "$q"
	case $m in
	csv|tsv)  # exact to a pipe, as sqlite3
		if [ "$rc" = 0 ] && LC_ALL=C grep -q $'\e]52;c;aGVsbG8=\a' "$T/out" && grep -q 'ok: 日本語 é 🙂' "$T/out"; then
			ok "-$m to a pipe keeps hostile bytes exact (a machine format, as sqlite3)"
		else not_ok "-$m to a pipe keeps bytes exact" "exit $rc" "$(head -c 300 "$T/out" | od -c | head -3)"; fi ;;
	*)
		why=$(term_safe "$T/out")
		if [ "$rc" = 0 ] && [ -z "$why" ] && grep -q 'ok: 日本語 é 🙂' "$T/out"; then
			ok "-$m to a pipe: CSI, OSC 52, OSC 8, C1, invalid UTF-8, NUL, CR, BEL and DEL escaped"
		else not_ok "-$m to a pipe escapes hostile bytes" "exit $rc" "$why"; fi ;;
	esac
	tty -$m -header "$db" "$q"
	why=$(term_safe "$T/out")
	if [ "$rc" = 0 ] && [ -z "$why" ] && grep -q 'ok: 日本語 é 🙂' "$T/out"; then
		ok "-$m on a terminal: every hostile byte escaped, the rest intact"
	else not_ok "-$m on a terminal escapes hostile bytes" "exit $rc" "$why" "$(head -c 300 "$T/out")"; fi
done
run -json "$db" "$q"
[ "$(json_valid "$T/out")" = 1 ] && ok "-json of hostile bytes is valid JSON" || not_ok "-json valid" "$(head -c 300 "$T/out")"
run -jsonl "$db" "$q"
{ printf '['; paste -sd, "$T/out"; printf ']'; } >"$T/jsonl.json"
[ "$(json_valid "$T/jsonl.json")" = 1 ] && ok "-jsonl of hostile bytes: every line valid JSON" || not_ok "-jsonl valid" "$(head -c 300 "$T/out")"
run --agent "$AGENT" -box "$db" "$q"
why=$(term_safe "$T/out")
"$LITECON" -box "$db" "$q" >"$T/local" 2>&1
[ "$rc" = 0 ] && [ -z "$why" ] && cmp -s "$T/out" "$T/local" && ok "through the helper: the same escaped bytes" || not_ok "hostile via helper" "$why"

# ---- a hostile schema, a hostile helper: their text in error messages and reports ----

evil=$T/evilschema.db
fixture "$evil" "create table t(a); pragma writable_schema=1;
insert into sqlite_schema values('table', char(27)||']52;c;aGk='||char(7)||'x', 'x', 0, 'create table garbage garbage');"
for c in query stats check; do
	args=("$evil"); [ "$c" = query ] && args+=("select 1") || args=("$c" "$evil")
	tty "${args[@]}"
	why=$(term_safe "$T/out")
	if [ "$rc" = 4 ] && [ -z "$why" ] && grep -qF '^[]52;c;aGk=^Gx' "$T/out"; then
		ok "$c: a schema naming an object with OSC 52: the error shows it escaped, exit 4"
	else not_ok "$c: hostile schema error escaped" "exit $rc" "$why" "$(cat -v "$T/out")"; fi
done

# A store file whose name holds OSC 52: its schema name is made plain.
st=$T/evilstore
mkdir -p "$st"
fixture "$st/production.sqlite3" "create table t(a)"
fixture "$st/production_${ESC}]52;c;aGk=${BEL}.sqlite3" "create table u(a)"
for c in backup stats .databases; do
	case $c in
	backup) tty backup --quiet "$st" "$T/evilstore.bak" ;;
	stats) tty stats "$st" ;;
	*) tty "$st" "$c" ;;
	esac
	why=$(term_safe "$T/out")
	if [ "$rc" = 0 ] && [ -z "$why" ] && grep -qF '_]52;c;aGk=_' "$T/out"; then
		ok "$c of a store holding a file named with OSC 52: schema _]52;c;aGk=_, nothing raw"
	else not_ok "$c of a store with a hostile file name" "exit $rc" "$why" "$(cat -v "$T/out" | head -10)"; fi
done

# Fake helpers replay frames (docs/protocol.md) built with printf.
. tests/tools/frames.sh
fake() { # NAME: a helper that writes $T/NAME.frames, then waits for EOF
	printf '#!/bin/sh\ncat %q\nexec cat >/dev/null\n' "$T/$1.frames" >"$T/$1"
	chmod +x "$T/$1"
}
osc=$'\e]52;c;aGk=\a\e[2J\xc2\x9b\xff'
start() { # magic, HELLO, DBS and END for OPEN
	printf '\nlitecon-agent-frames\n'
	{ be 2 1; be 2 1; pstr "litecon-agent 0.1.0"; } | frame 1 0
	{ be 2 1; pstr main; pstr /srv/storage/production.sqlite3; } | frame 21 1
	frame 20 1 </dev/null
}
{ printf '\nlitecon-agent-frames\n'; { be 1 3; pstr "$osc it broke"; } | frame 24 0; } >"$T/status.frames"; fake status
{ start; pstr "$osc log" | frame 23 2; { be 2 1; pstr "$osc col"; } | frame 16 2
  { be 4 1; be 1 3; pstr "$osc cell"; } | frame 17 2; be 8 1 | frame 18 2; frame 20 2 </dev/null; } >"$T/rows.frames"; fake rows
{ start; { be 1 1; pstr "$osc no such table"; } | frame 19 2; } >"$T/error.frames"; fake error
{ start; { pstr files; pstr ""; pstr "$osc note"; be 1 0; be 2 2; pstr schema; pstr path; } | frame 22 2
  { be 4 1; be 1 3; pstr main; be 1 3; pstr "$osc path"; } | frame 17 2
  { pstr orders; pstr "$osc absent"; pstr ""; be 1 1; be 2 0; } | frame 22 2
  be 8 $((0x41D954FC40000000)) | frame 20 2; } >"$T/stats.frames"; fake stats
hostile_helper() { # NAME WANT-RC ARGS...: on a terminal, exit WANT-RC, nothing unescaped
	local name=$1 want=$2; shift 2
	tty --agent "$T/$name" "$@"
	why=$(term_safe "$T/out")
	if [ "$rc" = "$want" ] && [ -z "$why" ] && grep -qF '^[]52;c;aGk=^G^[[2J' "$T/out"; then
		ok "a helper's $name text with OSC 52, CSI, C1 and a bad byte: shown escaped, exit $want"
	else not_ok "hostile helper $name" "exit $rc (wanted $want)" "$why" "$(cat -v "$T/out" | head -20)"; fi
}
hostile_helper status 4 "$db" "select 1"
hostile_helper rows 0 -box "$db" "select 1"
hostile_helper error 1 "$db" "select 1"
hostile_helper stats 0 stats "$db"

# ---- a 100 MB blob in every mode ----

# The sanitizer pass (make check runs every script twice) looks for memory
# errors, which a smaller blob finds as well: 20 MB there, 100 MB otherwise.
big=$T/big.db
case "$LITECON" in *san*) mb=${HOSTILE_BLOB_MB:-20} ;; *) mb=${HOSTILE_BLOB_MB:-100} ;; esac
fixture "$big" "create table b(id integer primary key, v blob);
insert into b values (1, randomblob($mb*1024*1024)), (2, x'1b5b324a');"
bytes=$((mb * 1024 * 1024))
# Peak RSS as a multiple of the blob: SQLite holds the value (1x); display
# modes show 256 bytes of it; csv/tsv copy it to a cell and a line; JSON
# escapes it (up to 6 bytes a byte). ASan's allocator and quarantine cost more.
case "$LITECON" in *san*) f=3 ;; *) f=1 ;; esac
for m in "${modes[@]}"; do
	"$T/maxrss" "$LITECON" -$m "$big" "select * from b order by id" >"$T/out" 2>"$T/err"; rc=$?
	k=$(tail -1 "$T/err" | awk '$1 == "maxrss" {print $2}')
	size=$(wc -c <"$T/out")
	case $m in
	csv|tsv) limit=$((bytes / 1024 * 4 * f)); shape=$([ "$size" -ge "$bytes" ] && echo y) ;;
	json|jsonl) limit=$((bytes / 1024 * 6 * f)); shape=$([ "$size" -ge "$bytes" ] && head -c 20 "$T/out" | grep -q '{"id":1,"v":"' && echo y) ;;
	*) limit=$((bytes / 1024 * 3 / 2 * f)); shape=$([ "$size" -lt 65536 ] && grep -q "($bytes bytes)" "$T/out" && [ -z "$(term_safe "$T/out")" ] && echo y) ;;
	esac
	if [ "$rc" = 0 ] && [ -n "$k" ] && [ "$k" -lt "$limit" ] && [ "$shape" = y ]; then
		ok "-$m of a $mb MB blob: ${size} bytes out, peak ${k} KiB (< $limit)"
	else not_ok "-$m of a $mb MB blob" "exit $rc, peak ${k:-?} KiB (limit $limit), $size bytes out" "$(head -c 300 "$T/err")"; fi
done
"$LITECON" -csv "$big" "select v from b where id = 1" | sha256sum >"$T/local.sum"
"$T/maxrss" "$LITECON" --agent "$AGENT" -csv "$big" "select v from b where id = 1" 2>"$T/err" | sha256sum >"$T/agent.sum"
k=$(tail -1 "$T/err" | awk '$1 == "maxrss" {print $2}')
cmp -s "$T/local.sum" "$T/agent.sum" && [ -n "$k" ] && [ "$k" -lt $((bytes / 1024 * 5 * f)) ] \
	&& ok "a $mb MB blob through the helper (one ROWS frame): the same bytes, peak ${k} KiB" \
	|| not_ok "100 MB blob via helper" "peak ${k:-?} KiB" "$(head -c 300 "$T/err")"

# ---- a 2000-column row in every mode ----

wide=$T/wide.db
cols=$(seq -f 'c%g' 2000 | paste -sd, -)
vals=$(seq -f "'v%g'" 2000 | paste -sd, -)
fixture "$wide" "create table w($cols); insert into w values ($vals); insert into w values ($vals);"
for m in csv json; do
	sqlite3 -readonly -$m -header "$wide" "select * from w" >"$T/want" 2>&1
	run -$m -header "$wide" "select * from w"
	[ "$rc" = 0 ] && cmp -s "$T/want" "$T/out" && ok "-$m of a 2000-column row agrees with sqlite3 byte for byte" \
		|| not_ok "-$m 2000 columns" "exit $rc" "$(cmp "$T/want" "$T/out")"
done
for m in "${modes[@]}"; do
	run -$m -header "$wide" "select * from w"
	case $m in
	line) n=$(grep -c ' = v' "$T/out") ;;
	json|jsonl) n=$(grep -o '"c[0-9]*":"v' "$T/out" | wc -l) ;;
	*) n=$(grep -o 'v[0-9][0-9]*' "$T/out" | wc -l) ;;
	esac
	if [ "$rc" = 0 ] && [ "$n" = 4000 ] && grep -q 'c2000' "$T/out"; then ok "-$m of 2000 columns: all 4000 values and the last name"
	else not_ok "-$m 2000 columns" "exit $rc, $n values" "$(head -c 300 "$T/err")"; fi
done
tty -box "$wide" "select * from w"
[ "$rc" = 0 ] && [ -z "$(term_safe "$T/out")" ] && [ "$(grep -o 'v[0-9][0-9]*' "$T/out" | wc -l)" = 4000 ] \
	&& ok "-box of 2000 columns on a terminal" || not_ok "box 2000 columns tty" "exit $rc"
run --agent "$AGENT" -csv -header "$wide" "select * from w"
sqlite3 -readonly -csv -header "$wide" "select * from w" >"$T/want"
[ "$rc" = 0 ] && cmp -s "$T/want" "$T/out" && ok "2000 columns through the helper (one COLUMNS frame)" || not_ok "2000 columns via helper" "exit $rc"

# ---- table and column names ----

names=$T/names.db
fixture "$names" "create table \"we\"\"ird tbl\"(\"col umn\" integer primary key autoincrement, \"x\"\"y\", \"ко́л\");
create table \"日本 orders\"(id integer primary key autoincrement, \"total €\");
create table \"evil${ESC}]52;c;aGk=${BEL}\"(id integer primary key autoincrement, \"c${ESC}[2J\");
create view \"v 'q'\" as select 1 as \"it's\";
create index \"idx ${ESC}[5m\" on \"日本 orders\"(\"total €\");
insert into \"we\"\"ird tbl\"(\"x\"\"y\", \"ко́л\") values ('a', 'б'), ('c', 'д');
insert into \"日本 orders\"(\"total €\") values (9.5);
insert into \"evil${ESC}]52;c;aGk=${BEL}\"(\"c${ESC}[2J\") values (char(27)||']52;c;aGk='||char(7));"

# name_check NAME [WEIRD]: $T/out has the names (WEIRD: how the one with a
# quote shows; .schema shows SQL, with the quote doubled) and no escape
name_check() {
	local why; why=$(term_safe "$T/out")
	if [ "$rc" -le 1 ] && [ -z "$why" ] && grep -qF "${2:-we\"ird tbl}" "$T/out" && grep -qF '日本 orders' "$T/out" \
		&& grep -qF 'evil^[]52;c;aGk=^G' "$T/out"; then ok "$1"
	else not_ok "$1" "exit $rc" "$why" "$(head -c 400 "$T/out")" "$(head -c 300 "$T/err" 2>/dev/null)"; fi
}
run "$names" .tables; name_check ".tables: quotes, spaces, non-ASCII shown, escapes escaped"
grep -qF "v 'q'" "$T/out" && ok ".tables lists a view named with quotes" || not_ok ".tables view" "$(cat "$T/out")"
tty "$names" .tables; name_check ".tables on a terminal"
run "$names" .schema; name_check ".schema: CREATE statements of hostile names escaped" 'we""ird tbl'
grep -qF 'idx ^[[5m' "$T/out" && grep -qF '"ко́л"' "$T/out" && ok ".schema shows the index and non-ASCII column names" || not_ok ".schema names" "$(cat "$T/out")"
tty "$names" .schema; name_check ".schema on a terminal" 'we""ird tbl'
run "$names" '.schema we"ird%'
[ "$rc" = 0 ] && grep -qF 'we""ird tbl' "$T/out" && ! grep -q '日本' "$T/out" && ok ".schema PATTERN with a double quote" || not_ok ".schema quote pattern" "$(cat "$T/out" "$T/err")"
run "$names" ".schema it's%"
[ "$rc" = 0 ] && ok ".schema PATTERN with a single quote is a pattern, not SQL" || not_ok ".schema it's" "exit $rc $(cat "$T/err")"
run stats --orders "日本 orders" "$names"; name_check "stats: sequences of hostile table names, escaped"
tty stats --orders "日本 orders" "$names"; name_check "stats on a terminal"
run stats --json --orders "日本 orders" "$names"
[ "$rc" = 0 ] && [ "$(json_valid "$T/out")" = 1 ] && grep -qF 'we\"ird tbl' "$T/out" && grep -qF '日本 orders' "$T/out" \
	&& [ -z "$(term_safe "$T/out")" ] && ok "stats --json: hostile names, valid JSON" || not_ok "stats --json names" "exit $rc" "$(head -c 400 "$T/out")"
run check --orders "日本 orders" --keep "we\"ird tbl" "$names"
why=$(term_safe "$T/out")
[ "$rc" -le 1 ] && [ -z "$why" ] && ok "check: hostile names, escaped" || not_ok "check names" "exit $rc" "$why"
run -header -list "$names" 'select * from "we""ird tbl"'
[ "$(head -1 "$T/out")" = 'col umn|x"y|ко́л' ] && ok "column names with a space, a quote and non-ASCII as they are" || not_ok "column names" "$(head -1 "$T/out")"
for c in .tables .schema; do
	"$LITECON" "$names" $c >"$T/a" 2>&1; "$LITECON" --agent "$AGENT" "$names" $c >"$T/b" 2>&1
	cmp -s "$T/a" "$T/b" && ok "$c of hostile names: the same bytes through the helper" || not_ok "$c via helper" "$(diff "$T/a" "$T/b" | head -5)"
done

# ---- remote targets with shell metacharacters (nothing listens: exit 4) ----

# Run from inside $T, so that a marker a shell word would create is ./pwned.N
# (a '/' before the ':' would make the target a local path).
L=$(cd "$(dirname "$LITECON")" && pwd)/$(basename "$LITECON")
S=(-F /dev/null -o StrictHostKeyChecking=yes -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5 -o BatchMode=yes -p 1)
runin() { (cd "$T" && XDG_CONFIG_HOME="$T/xdg" $LITECON_WRAP "$L" "${S[@]}" "$@") >"$T/out" 2>"$T/err"; rc=$?; }
pwned() { ls "$T" | grep pwned; }
evil=(
 '127.0.0.1:/srv/$(touch pwned.1)/production.sqlite3'
 '127.0.0.1:/srv/`touch pwned.2`;touch pwned.3|cat>pwned.4&'
 'ssh://deploy@127.0.0.1:1/srv/it'"'"'s "here" $(touch pwned.5)'
 'deploy@127.0.0.1:~/$HOME/*/{a,b}/../!x'
 '127.0.0.1:/srv/a b  c > pwned.6'
)
for t in "${evil[@]}"; do
	runin "$t" "select 1"
	if [ "$rc" = 4 ] && [ "$(wc -l <"$T/err")" = 1 ] && [ -z "$(pwned)" ]; then
		ok "remote path with shell metacharacters: exit 4, nothing run: $(printf '%s' "$t" | cut -c1-50)"
	else not_ok "remote target $t" "exit $rc" "$(cat "$T/err")" "$(pwned)"; fi
done
hostile=(
 'h$(touch pwned.7):/srv/db'
 'h;touch pwned.8:/srv/db'
 '-oProxyCommand=touch pwned.9:/x'
 'u@-oProxyCommand=touch pwned.10:/x'
 '-oProxyCommand=touch pwned.11@h:/x'
 'ssh://-oProxyCommand=touch pwned.12/x'
 '@shop;touch pwned.13'
 "h:/x$ESC]52;c;aGk=$BEL"
 "127.0.0.1:/srv/a	b"
)
for t in "${hostile[@]}"; do
	runin "$t" "select 1"
	why=$(term_safe "$T/err")
	if [ "$rc" != 0 ] && [ -z "$(pwned)" ] && [ -z "$why" ]; then
		ok "hostile host, user or name: exit $rc, nothing run, message escaped: $(printf '%s' "$t" | cut -c1-40 | cat -v)"
	else not_ok "hostile target $(printf '%s' "$t" | cat -v)" "exit $rc" "$why" "$(cat -v "$T/err")" "$(pwned)"; fi
done
