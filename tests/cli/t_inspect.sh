# t_inspect.sh: litecon stats and check on a live demo store: figures move
# while the load writer runs, lost rows at the top of a sequence are named,
# a second process holding the file appears among the openers, JSON and
# Prometheus output parse, plain databases report sections as absent.
. tests/lib.sh

d=$T/store
"$LITECON_LOAD" init "$d" --orders 3000 --seed 7 >/dev/null 2>&1 || { not_ok "litecon-load init"; exit 0; }
"$LITECON_LOAD" run "$d" --rate 300 --duration 60 --quiet 2>"$T/load.err" &
load=$!
trap '[ -n "$load" ] && kill "$load" 2>/dev/null; rm -rf "$T"' EXIT
sleep 1.5

field() { # stats --json's SECTION[ROW].COL, via SQLite's JSON functions
	sqlite3 :memory: "select json_extract(readfile('$1'), '\$.$2')"
}
run stats --json "$d"; cp "$T/out" "$T/s1.json"
sleep 1.5
run stats --json "$d"; cp "$T/out" "$T/s2.json"
for f in s1 s2; do
	[ "$(sqlite3 :memory: "select json_valid(readfile('$T/$f.json'))")" = 1 ] && ok "stats --json is valid JSON ($f)" || not_ok "stats --json valid ($f)" "$(head -c 300 "$T/$f.json")"
done
q1=$(sqlite3 :memory: "select sum(value->>'ready') from json_each(readfile('$T/s1.json'), '\$.queues')")
q2=$(sqlite3 :memory: "select sum(value->>'ready') from json_each(readfile('$T/s2.json'), '\$.queues')")
w1=$(field "$T/s1.json" "files[0].wal_frames"); w2=$(field "$T/s2.json" "files[0].wal_frames")
o1=$(field "$T/s1.json" "orders[0].latest_id"); o2=$(field "$T/s2.json" "orders[0].latest_id")
[ "$q1" != "$q2" ] && ok "queue depth moves ($q1 -> $q2)" || not_ok "queue depth moves" "$q1 -> $q2"
[ "$w1" != "$w2" ] && ok "WAL frames move ($w1 -> $w2)" || not_ok "WAL frames move" "$w1 -> $w2"
[ "$o2" -gt "$o1" ] && ok "latest order id grows ($o1 -> $o2)" || not_ok "latest order id grows" "$o1 -> $o2"
[ "$(field "$T/s2.json" "queues[0].queue")" = default ] && ok "queues are listed by name" || not_ok "queue names"
[ "$(sqlite3 :memory: "select count(*) from json_each(readfile('$T/s2.json'), '\$.processes') where value->>'stale' = 1")" -ge 1 ] \
	&& ok "the stale worker is flagged" || not_ok "stale worker"

run stats "$d"
for h in Files Orders "Latest orders" Queues "Queue processes" "Sequences (ids handed out vs rows present)" "Processes with the files open"; do
	grep -qxF "$h" "$T/out" && ok "text stats has the $h block" || not_ok "text block $h"
done
grep -Eq 'main +wal +[0-9.]+ (KiB|MiB)' "$T/out" && ok "text stats uses human units" || not_ok "human units" "$(head -5 "$T/out")"

run stats --prometheus "$d"
awk '
	/^# HELP / { help[$3] = 1; next }
	/^# TYPE / { if (!help[$3] || $4 != "gauge") bad = bad " type:" $3; typed[$3] = 1; next }
	/^#/ { next }
	{ name = $1; sub(/\{.*/, "", name)
	  if ($0 !~ /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?[0-9][0-9.e+-]*$/) bad = bad " line:" $0
	  if (!typed[name]) bad = bad " untyped:" name }
	END { if (bad) { print bad; exit 1 } }' "$T/out" >"$T/prom.err" \
	&& ok "Prometheus exposition parses" || not_ok "Prometheus parses" "$(cat "$T/prom.err")"
grep -q '^litecon_wal_frames{db="main"} [0-9]' "$T/out" && ok "litecon_wal_frames{db=\"main\"}" || not_ok "wal_frames metric"
grep -q '^litecon_queue_ready{queue="default"} [0-9]' "$T/out" && ok "litecon_queue_ready{queue=\"default\"}" || not_ok "queue_ready metric"

"$LITECON" stats --watch 1 --json "$d" >"$T/watch" 2>&1 &
w=$!
sleep 2.5; kill -INT $w; wait $w; rc=$?
[ "$rc" = 0 ] && [ "$(grep -c '"schema_version"' "$T/watch")" -ge 2 ] && ok "stats --watch repeats until Ctrl-C, exit 0" || not_ok "--watch" "rc=$rc $(head -c 200 "$T/watch")"

# A second process holding the database open shows among the openers.
sleep 30 <"$d/production.sqlite3" &
holder=$!
run stats --json "$d"
n=$(sqlite3 :memory: "select count(*) from json_each(readfile('$T/out'), '\$.openers') where value->>'pid' = $holder and value->>'file' = 'db'")
[ "$n" = 1 ] && ok "a process holding the file is listed among the openers" || not_ok "opener listed" "$(head -c 400 "$T/out")"
kill $holder
run stats --json "$d"
n=$(sqlite3 :memory: "select count(*) from json_each(readfile('$T/out'), '\$.openers') where value->>'pid' = $load")
[ "$n" -ge 1 ] && ok "the load writer is listed among the openers" || not_ok "writer listed"

expect_rc "check on a store with failed jobs and a stale worker exits 1" 1 check "$d"
grep -q 'failed jobs' "$T/out" && grep -q 'has not sent a heartbeat' "$T/out" && ok "check names failed jobs and the stale worker" || not_ok "check findings" "$(cat "$T/out")"
if grep -q 'sequence' "$T/out"; then not_ok "no sequence finding before rows are lost" "$(cat "$T/out")"; else ok "no sequence finding before rows are lost"; fi
kill $load; wait $load; load=""
grep -q ' 0 errors ' "$T/load.err" && ok "the load writer saw no error while litecon read" || not_ok "writer errors" "$(cat "$T/load.err")"

# Two paid orders vanish: check names orders and 2.
sqlite3 "$d/production.sqlite3" "delete from order_items where order_id in (select id from orders order by id desc limit 2);
 delete from orders where id in (select id from orders order by id desc limit 2);"
run check "$d"
if [ "$rc" = 1 ] && grep -q 'ERROR.*2 ids handed out are gone from the top of orders' "$T/out"; then
	ok "check names orders and the 2 missing ids, exit 1"; else not_ok "lost rows found" "rc=$rc $(cat "$T/out")"; fi
run check --json "$d"
[ "$(sqlite3 :memory: "select count(*) from json_each(readfile('$T/out'), '\$.findings') where value->>'check'='sequence' and value->>'severity'='error'")" = 1 ] \
	&& ok "check --json reports the sequence finding" || not_ok "check --json" "$(cat "$T/out")"
run check --keep users "$d"
grep -q 'top of orders' "$T/out" && not_ok "--keep limits the sequence rule" || ok "--keep limits the sequence rule"

# A plain database: sections absent, not errors; healthy check.
p=$T/plain.db
fixture "$p" "pragma journal_mode=wal; create table notes(id integer primary key, body text);" >/dev/null
run stats --json "$p"
[ "$rc" = 0 ] && [ "$(field "$T/out" "orders")" = "" ] && grep -q '"absent":{"orders":"no table named orders"' "$T/out" \
	&& ok "plain file: orders absent, not an error" || not_ok "plain orders absent" "$(cat "$T/out")"
grep -q '"queues":"no Solid Queue tables' "$T/out" && ok "plain file: queue absent" || not_ok "plain queue absent"
expect_rc "check on a healthy plain file exits 0" 0 check "$p"
grep -qx 'healthy: no problems found' "$T/out" && ok "check says healthy" || not_ok "healthy text" "$(cat "$T/out")"
fixture "$T/rollback.db" "create table t(a);"
run check "$T/rollback.db"
[ "$rc" = 1 ] && grep -q 'not WAL' "$T/out" && ok "journal_mode not WAL is a finding" || not_ok "journal_mode finding" "$(cat "$T/out")"
run stats "$T/nosuch.db"
[ "$rc" = 4 ] && [ "$(wc -l <"$T/err")" = 1 ] && ok "stats on a missing file: one sentence, exit 4" || not_ok "stats missing" "$(cat "$T/err")"
cp "$p" "$T/secret.db"; chmod 000 "$T/secret.db"
if [ "$(id -u)" = 0 ]; then
	chmod 755 "$T"; setpriv --reuid=nobody --regid=nogroup --clear-groups "$LITECON" stats "$T/secret.db" >"$T/out" 2>"$T/err"; rc=$?
else run stats "$T/secret.db"; fi
[ "$rc" = 4 ] && grep -q 'Permission denied' "$T/err" && [ "$(wc -l <"$T/err")" = 1 ] && ok "unreadable database: one clear sentence" || not_ok "unreadable" "rc=$rc $(cat "$T/err")"
expect_err "stats takes only a target" 2 'too many arguments' stats "$p" "select 1"
