# tests/valgrind.sh: the core CLI paths under valgrind memcheck; any error
# or definite leak fails the case (LITECON carries the valgrind command).
. tests/lib.sh

db=$T/v.db
fixture "$db" "create table t(id integer primary key, s, r, b); insert into t values
 (1, 'x', 1.5, x'00ff'), (2, '日本語'||char(27), null, null);"
for m in box table markdown csv tsv json jsonl line list; do
	expect_rc "valgrind clean: -$m" 0 -$m -header "$db" "select * from t"
done
expect_rc "valgrind clean: refusal" 3 "$db" "delete from t"
expect_rc "valgrind clean: SQL error" 1 "$db" "select * from nosuch"
expect_rc "valgrind clean: missing file" 4 "$T/nosuch.db" "select 1"
printf '.mode csv\nselect 1;\n.tables\n.schema\n.bogus\nselect * from t;\n' >"$T/s.sql"
expect_rc "valgrind clean: script with dot-commands" 2 -f "$T/s.sql" "$db"
expect_rc "valgrind clean: usage error" 2 --nope
