# t_store.sh: a store directory opens the main file and ATTACHes the others
# under their short names; each stays read-only.
. tests/lib.sh

d=$T/storage
mkdir "$d"
fixture "$d/production.sqlite3" "pragma journal_mode=wal; create table orders(id integer primary key autoincrement, total); insert into orders(total) values (5),(7);" >/dev/null
fixture "$d/production_queue.sqlite3" "pragma journal_mode=wal; create table solid_queue_ready_executions(id integer primary key, queue_name); insert into solid_queue_ready_executions(queue_name) values ('default'),('default'),('mailers');" >/dev/null
fixture "$d/production_cache.sqlite3" "create table solid_cache_entries(id integer primary key, key blob);"
fixture "$d/production_cable.sqlite3" "create table solid_cable_messages(id integer primary key, payload blob);"
touch "$d/notes.txt"

expect_out "directory: main plus cable, cache, queue" "main
cable
cache
queue" "$d" "select name from pragma_database_list order by seq"
expect_out "queue.* works from a one-liner" 'default|2
mailers|1' "$d" "select queue_name, count(*) from queue.solid_queue_ready_executions group by 1 order by 1"
expect_out "main tables without a prefix" '12' "$d" "select sum(total) from orders"
expect_out ".tables prefixes attached databases" 'orders
cable.solid_cable_messages
cache.solid_cache_entries
queue.solid_queue_ready_executions' "$d" .tables
expect_rc "writes to an attached database are refused" 3 "$d" "delete from queue.solid_queue_ready_executions"
expect_rc "ATTACH of one more file is refused" 3 "$d" "attach '$d/production.sqlite3' as again"
expect_out "a trailing slash works too" '2' "$d/" "select count(*) from orders"

d2=$T/dev
mkdir "$d2"
fixture "$d2/development.sqlite3" "create table a(x);"
fixture "$d2/test.sqlite3" "create table b(x);"
expect_out "no common stem: the first file is main, the others by name" "main
test" "$d2" "select name from pragma_database_list order by seq"
