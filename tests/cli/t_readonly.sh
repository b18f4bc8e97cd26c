# t_readonly.sh: every write form is refused with exit 3 and a message that
# says why; the database file and its -wal stay byte for byte the same and
# nothing is created on disk; read-only pragmas stay allowed.
. tests/lib.sh

d=$T/store
mkdir -p "$d"
db=$d/production.sqlite3
fixture "$db" "pragma journal_mode=wal; create table orders(id integer primary key autoincrement, total);
create index orders_total on orders(total); create view v as select * from orders;
create trigger tr after insert on orders begin select 1; end;
insert into orders(total) values (1),(2),(3);" >/dev/null

# Keep a writer connection open so the -wal file exists and holds frames.
wal_writer "$db" "insert into orders(total) values (4);"

snapshot() { (cd "$d" && ls -a && sha256sum production.sqlite3 production.sqlite3-wal); }
snapshot >"$T/before"

writes=(
 "insert into orders(total) values (9)"
 "insert or replace into orders(id,total) values (1,9)"
 "replace into orders(id,total) values (1,9)"
 "insert into orders(total) values (9) returning id"
 "insert into orders(id,total) values (1,9) on conflict(id) do update set total=9"
 "update orders set total=0"
 "update orders set total=0 returning *"
 "delete from orders"
 "delete from orders where id=1 returning id"
 "with x as (select 1) insert into orders(total) select * from x"
 "with x as (select id from orders) delete from orders where id in x"
 "with x as (select 1) update orders set total=(select * from x)"
 "create table t(a)"
 "create table if not exists orders(a)"
 "create table t2 as select * from orders"
 "create temp table t(a)"
 "create temporary table t(a)"
 "create temp view tv as select 1"
 "create temp trigger tt after insert on orders begin select 1; end"
 "create index i on orders(total)"
 "create unique index i on orders(id)"
 "create view v2 as select 1"
 "create trigger t3 after delete on orders begin select 1; end"
 "create virtual table f using fts5(x)"
 "drop table orders"
 "drop table if exists nosuch"
 "drop index orders_total"
 "drop view v"
 "drop trigger tr"
 "alter table orders add column x"
 "alter table orders rename to o2"
 "alter table orders rename column total to t"
 "attach '$T/new.db' as x"
 "attach database ':memory:' as m"
 "detach main"
 "vacuum"
 "vacuum into '$T/copy.db'"
 "reindex"
 "reindex orders"
 "analyze"
 "analyze orders"
 "pragma journal_mode=delete"
 "pragma main.journal_mode=delete"
 "pragma user_version=5"
 "pragma application_id=5"
 "pragma wal_checkpoint"
 "pragma wal_checkpoint(truncate)"
 "pragma writable_schema=1"
 "pragma query_only=0"
 "pragma optimize"
 "pragma incremental_vacuum"
 "pragma auto_vacuum=1"
 "begin"
 "begin immediate"
 "begin exclusive"
 "savepoint s"
 "commit"
 "select load_extension('/tmp/x.so')"
 "  /* comment */ -- line comment
    insert into orders(total) values (9)"
)
n=0
for w in "${writes[@]}"; do
	n=$((n + 1))
	run "$db" "$w"
	if [ "$rc" = 3 ] && grep -q 'refused (litecon is read-only): ' "$T/err" && [ "$(wc -l <"$T/err")" = 1 ]; then
		ok "refused #$n: $(echo "$w" | head -1 | cut -c1-60)"
	else
		not_ok "refused #$n: $w" "exit $rc" "$(cat "$T/err")"
	fi
done
run "$db" "select count(*) from orders" "insert into orders(total) values (1)"
if [ "$rc" = 3 ] && [ "$(cat "$T/out")" = 4 ]; then ok "a write after a read: the read prints, then exit 3"; else not_ok "write after read" "rc=$rc out=$(cat "$T/out")"; fi
run -f /dev/stdin "$db" <<<"select 1;
delete from orders;
select 2;"
if [ "$rc" = 3 ] && [ "$(cat "$T/out")" = "$(printf '1\n2')" ]; then ok "a script goes on after a refusal and exits 3"; else not_ok "script refusal" "rc=$rc $(cat "$T/out")"; fi

snapshot >"$T/after"
if cmp -s "$T/before" "$T/after"; then ok "database and -wal unchanged, nothing created"; else
	not_ok "database and -wal unchanged, nothing created" "$(diff "$T/before" "$T/after")"; fi
[ ! -e "$T/new.db" ] && [ ! -e "$T/copy.db" ] && ok "ATTACH and VACUUM INTO created no file" || not_ok "ATTACH and VACUUM INTO created no file"

run "$db" "delete from orders"
grep -q 'DELETE removes rows from table orders' "$T/err" && ok "DELETE refusal says what it would do" || not_ok "DELETE reason" "$(cat "$T/err")"
run "$db" "pragma wal_checkpoint"
grep -q 'runs a checkpoint' "$T/err" && ok "wal_checkpoint refusal says it checkpoints" || not_ok "checkpoint reason" "$(cat "$T/err")"

reads=(
 "pragma table_info(orders)" "pragma table_xinfo(orders)" "pragma index_list(orders)"
 "pragma index_info(orders_total)" "pragma foreign_key_list(orders)" "pragma page_count"
 "pragma page_size" "pragma freelist_count" "pragma journal_mode" "pragma database_list"
 "pragma integrity_check" "pragma quick_check" "pragma compile_options" "pragma user_version"
 "pragma wal_autocheckpoint" "select * from pragma_table_info('orders')"
 "with recursive c(x) as (select 1 union all select x+1 from c where x<5) select sum(x) from c"
 "explain query plan select * from orders where total > 1" "select * from v" "select * from sqlite_schema"
)
for r in "${reads[@]}"; do expect_rc "allowed: $r" 0 "$db" "$r"; done

wal_writer_stop
expect_err "a write to a missing table is still refused as a write" 3 'DELETE removes rows' "$db" "delete from nosuch"
expect_err "an insert into a missing table too" 3 'INSERT adds rows' "$db" "insert into nosuch values (1)"
