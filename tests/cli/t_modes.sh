# t_modes.sh: output modes, agreement with sqlite3 -csv/-json, alignment by
# display width, escaping of hostile bytes, mode defaults on a terminal.
. tests/lib.sh

db=$T/modes.db
fixture "$db" "
create table t(id integer primary key, n, r, s, b);
insert into t values
 (1, 42, 2.5, 'plain', x'414243'),
 (2, -7, 0.1, 'comma, and \"quotes\"', null),
 (3, 9223372036854775807, 1e15, 'line1
line2', x''),
 (4, 0, 1.0, '', x'e697a5'),
 (5, null, -0.000123, 'it''s', null),
 (6, 100, 123456789.125, 'tab	sep', null),
 (7, 1, 1e300, 'unicode é ü 日本語 🙂', null),
 (8, 2, 3.0, ' leading space', null);"
q="select * from t order by id"

for m in csv json; do
	for h in -header -noheader; do
		sqlite3 -readonly -$m $h "$db" "$q" >"$T/want.$m" 2>&1
		"$LITECON" -$m $h "$db" "$q" >"$T/got.$m" 2>&1
		if cmp -s "$T/want.$m" "$T/got.$m"; then ok "-$m $h agrees with sqlite3 byte for byte"; else
			not_ok "-$m $h agrees with sqlite3" "$(diff "$T/want.$m" "$T/got.$m" | head)"; fi
	done
done

expect_out "json keeps integers as numbers and reals as reals" \
	'[{"i":42,"big":9223372036854775807,"r":2.0,"s":"42"}]' -json "$db" "select 42 i, 9223372036854775807 big, 2.0 r, '42' s"
expect_out "json writes [] for no rows" '[]' -json "$db" "select 1 where 0"
expect_out "jsonl writes one object per line" '{"id":1,"s":"plain"}
{"id":2,"s":"comma, and \"quotes\""}' -jsonl "$db" "select id, s from t where id<3"

expect_out "box aligns wide characters by display width" \
'┌────┬──────────┬────────┐
│ id │    s     │   r    │
├────┼──────────┼────────┤
│  1 │ 日本語   │    2.5 │
│ 22 │ 🙂x      │ -0.125 │
│  3 │ ascii ok │        │
└────┴──────────┴────────┘' -box "$db" "select 1 id, '日本語' s, 2.5 r union all select 22, '🙂x', -0.125 union all select 3, 'ascii ok', null"

expect_out "table mode" \
'+---+-----+
| a |  b  |
+---+-----+
| 1 | xyz |
+---+-----+' -table "$db" "select 1 a, 'xyz' b"

expect_out "markdown mode" \
'| a |  b  |
|---|-----|
| 1 | xyz |' -markdown "$db" "select 1 a, 'xyz' b"

expect_out "line mode" \
'    a = 1
bbbbb = x

    a = 2
bbbbb = y' -line "$db" "select 1 a, 'x' bbbbb union all select 2, 'y'"

expect_out "list mode with header and nullvalue" \
'a|b
1|NULL' -list -header -nullvalue NULL "$db" "select 1 a, null b"
expect_out "tsv mode" "$(printf 'a\tb\n1\tx')" -tsv -header "$db" "select 1 a, 'x' b"
expect_out "--mode NAME and -separator" '1;2' --mode list -separator ';' "$db" "select 1, 2"
expect_out "--mode=NAME" '1,2' --mode=csv "$db" "select 1, 2"
expect_out "box -noheader hides the header" \
'┌───┐
│ 1 │
└───┘' -box -noheader "$db" "select 1 a"
expect_out "box shows the header of an empty result" \
'┌───┐
│ a │
├───┤
└───┘' -box "$db" "select 1 a where 0"
expect_err "unknown mode is a usage error" 2 'unknown output mode' --mode fancy "$db" "select 1"

# Hostile bytes: ESC sequences (colour, OSC 52 clipboard write), C1 CSI,
# invalid UTF-8, NUL.
hq="select char(27)||'[31mred'||char(27)||']52;c;aGk='||char(7) a, x'ff41' b, char(155)||'2J' c"
for m in box table markdown line list; do
	run -$m "$db" "$hq"
	if [ "$rc" = 0 ] && ! LC_ALL=C grep -q $'\x1b\|\x07\|\xff\|\xc2\x9b' "$T/out" && grep -q '\^\[\[31mred' "$T/out"; then
		ok "-$m escapes ESC, BEL, C1 and invalid UTF-8"
	else not_ok "-$m escapes hostile bytes" "$(od -c "$T/out" | head -5)"; fi
done
expect_out "list shows ESC as ^[ and bad bytes as \\xNN" '^[[31mred|\xffA|\u009b2J' -list "$db" "select char(27)||'[31mred', cast(x'ff41' as text), char(155)||'2J'"
expect_out "json escapes controls and replaces invalid UTF-8" \
	'[{"a":"\u001b[31m\u0007","b":"\ufffdA","c":"\u009b"}]' -json "$db" "select char(27)||'[31m'||char(7) a, cast(x'ff41' as text) b, char(155) c"
run -csv "$db" "select char(27)||'x'"
if LC_ALL=C grep -q $'\x1b' "$T/out"; then ok "csv to a pipe keeps bytes exact"; else not_ok "csv to a pipe keeps bytes exact"; fi
out=$(on_tty "$LITECON" -csv "$db" "select char(27)||'x'")
if [ "$out" = '^[x' ]; then ok "csv on a terminal escapes ESC"; else not_ok "csv on a terminal escapes ESC" "got: $out"; fi
out=$(on_tty "$LITECON" "$db" "select 1 a")
case $out in *"┌───┐"*) ok "box is the default on a terminal" ;; *) not_ok "box is the default on a terminal" "$out" ;; esac
expect_out "list is the default on a pipe" '1|x' "$db" "select 1, 'x'"
expect_out "blob shown as hex in display modes" "x'00ff'" -list "$db" "select x'00ff'"
expect_out "hostile column names are escaped" '^[[2J' -list -header "$db" "select 1 as \"$(printf '\033')[2J\" where 0"
