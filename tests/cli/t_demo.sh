# t_demo.sh: litecon demo builds the store, runs the load writer while it
# shows the store, and the writer stops when litecon does.
. tests/lib.sh

d=$T/demo
LITECON_LOAD=$LITECON_LOAD "$LITECON" demo "$d" --no-tui >"$T/out" 2>"$T/err"; rc=$?
[ "$rc" = 0 ] && [ -f "$d/production.sqlite3" ] && [ -f "$d/production_queue.sqlite3" ] && ok "demo --no-tui builds the store, exit 0" \
	|| not_ok "demo --no-tui" "rc=$rc $(cat "$T/err")"
n=$("$LITECON" "$d" "select count(*) from orders")
[ "$n" -ge 90000 ] && ok "the demo store has ~100k orders ($n)" || not_ok "demo orders" "$n"
modes=$("$LITECON" "$d" "select group_concat(m) from (select journal_mode m from pragma_journal_mode)" )
[ "$modes" = wal ] && ok "the demo store is in WAL mode" || not_ok "wal" "$modes"
for t in solid_queue_jobs solid_queue_ready_executions solid_queue_failed_executions solid_queue_processes; do
	c=$("$LITECON" "$d" "select count(*) from queue.$t")
	[ "$c" -gt 0 ] && ok "queue.$t has rows" || not_ok "queue.$t" "$c"
done
before=$("$LITECON" "$d" "select max(id) from orders")
LITECON_LOAD=$LITECON_LOAD "$LITECON" demo "$d" --rate 200 >"$T/out" 2>"$T/err" &
demo=$!
sleep 4.5
kill -INT $demo; wait $demo; rc=$?
after=$("$LITECON" "$d" "select max(id) from orders")
[ "$rc" = 0 ] && ok "demo exits 0 on Ctrl-C" || not_ok "demo exit" "rc=$rc $(cat "$T/err")"
[ "$after" -gt "$before" ] && ok "the writer added orders while the demo ran ($before -> $after)" || not_ok "writer ran" "$before $after"
grep -q 'orders [0-9]* (last minute' "$T/out" && ok "demo shows the headline figures" || not_ok "headline" "$(cat "$T/out")"
sleep 0.3
pgrep -f "litecon-load run $d" >/dev/null && not_ok "the writer stopped with litecon" || ok "the writer stopped with litecon"
later=$("$LITECON" "$d" "select max(id) from orders"); sleep 0.5
[ "$later" = "$("$LITECON" "$d" "select max(id) from orders")" ] && ok "no writes after litecon exits" || not_ok "still writing"
