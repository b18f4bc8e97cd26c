# t_script.sh: scripts on stdin and with -f: statements over several lines,
# dot-commands, errors with line numbers, -bail, .quit, incomplete input.
. tests/lib.sh

db=$T/s.db
fixture "$db" "create table t(a, b); insert into t values (1,'x'),(2,'y');
create table other(z); create index t_a on t(a); create view vw as select a from t;"

cat >"$T/s1.sql" <<'SQL'
-- a comment line
select a
  from t
 where a = 1;
.mode csv
.headers on
select a, b from t order by a;
.print done
SQL
expect_out "script: multi-line statements and dot-commands" '1
a,b
1,x
2,y
done' -f "$T/s1.sql" "$db"

run "$db" <"$T/s1.sql"
[ "$rc" = 0 ] && [ "$(tail -1 "$T/out")" = done ] && ok "the same script on stdin" || not_ok "script on stdin" "rc=$rc"

printf 'select 1;\nselect * from nosuch;\nselect 2;\n' >"$T/s2.sql"
run -f "$T/s2.sql" "$db"
if [ "$rc" = 1 ] && [ "$(cat "$T/out")" = "$(printf '1\n2')" ] && grep -q "s2.sql:2: no such table: nosuch" "$T/err"; then
	ok "a script goes on after an error, names the line, exits 1"; else not_ok "script error" "rc=$rc $(cat "$T/out") $(cat "$T/err")"; fi
run -bail -f "$T/s2.sql" "$db"
[ "$rc" = 1 ] && [ "$(cat "$T/out")" = 1 ] && ok "-bail stops at the first error" || not_ok "-bail" "rc=$rc $(cat "$T/out")"
printf 'select 1;\n.quit\nselect 2;\n' | { run "$db"; [ "$rc" = 0 ] && [ "$(cat "$T/out")" = 1 ] && ok ".quit stops the script" || not_ok ".quit" "$(cat "$T/out")"; }
printf 'select 1;\n.exit 7\n' | { run "$db"; [ "$rc" = 7 ] && ok ".exit CODE sets the status" || not_ok ".exit 7" "rc=$rc"; }
printf 'select 1;\nselect 2' | { run "$db"; [ "$(cat "$T/out")" = "$(printf '1\n2')" ] && ok "a last statement without ';' still runs" || not_ok "unterminated" "$(cat "$T/out")"; }
printf 'select 1; select 2;\n' | { run "$db"; [ "$(cat "$T/out")" = "$(printf '1\n2')" ] && ok "two statements on one line" || not_ok "two on a line"; }
printf "select 'a;b';\n" | { run "$db"; [ "$(cat "$T/out")" = "a;b" ] && ok "a ';' inside a string does not end the statement" || not_ok "semicolon in string" "$(cat "$T/out")"; }

expect_out ".tables lists tables and views" 'other
t
vw' "$db" .tables
expect_out ".tables PATTERN" 't' "$db" ".tables t"
expect_out ".schema PATTERN" 'CREATE TABLE other(z);' "$db" ".schema other"
expect_out ".indexes" 't_a' "$db" .indexes
expect_out ".databases" "main: $(realpath "$db") r/o" "$db" .databases
expect_out ".headers on and .mode line via abbreviations" 'a = 1' "$db" ".head on" ".mo line" "select 1 a"
expect_out ".nullvalue and .separator" '1;-' "$db" ".separator ;" ".nullvalue -" "select 1, null"
expect_err "ambiguous abbreviation" 2 'ambiguous' "$db" ".t"
expect_err "unknown dot-command" 2 'unknown command .frob' "$db" ".frob"
expect_err "dot-command usage" 2 'usage: .headers on\|off' "$db" ".headers maybe"
expect_err "bad .mode lists the modes" 2 'unknown mode "fancy"; the modes are: box' "$db" ".mode fancy"
run "$db" .help
grep -q '^\.tables ?PATTERN?' "$T/out" && grep -q '^\.mode ?MODE?' "$T/out" && ok ".help is generated from the table" || not_ok ".help" "$(cat "$T/out")"
expect_err ".timeout applies to the next statements" 1 'time limit of 0.2 s' "$db" ".timeout 0.2" \
	"with recursive c(x) as (select 1 union all select x+1 from c) select count(*) from c"
run "$db" ".timer on" "select 1"
grep -q '^Run Time: real' "$T/err" && [ "$(cat "$T/out")" = 1 ] && ok ".timer prints to stderr" || not_ok ".timer" "$(cat "$T/err")"
printf ".print 'quoted words' \"and\\\\tescapes\"\n" | { run "$db"; [ "$(cat "$T/out")" = "$(printf 'quoted words and\tescapes')" ] && ok "dot-command quoting" || not_ok "quoting" "$(cat "$T/out")"; }
printf -- '-- a comment\n/* and another */\n.mode csv\nselect 1, 2;\n' | { run "$db"; [ "$(cat "$T/out")" = "1,2" ] && ok "comment lines before a dot-command" || not_ok "comment before dot" "$(cat "$T/out") $(cat "$T/err")"; }
expect_out ".separator resolves \\t as sqlite3 does" "$(printf '1\t2')" "$db" '.separator \t' "select 1, 2"
expect_err "SQL arguments and -f together are a usage error" 2 'not both' -f "$T/s1.sql" "$db" "select 1"
