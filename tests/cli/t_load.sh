#!/bin/sh
# tests/cli/t_load.sh: checks litecon-load, the demo-store builder and load generator, with the sqlite3 CLI:
# init makes four WAL files with the Rails/Solid tables and N orders and refuses to overwrite without --force;
# run writes at a rate with no errors, keeps orders contiguous and items attached, moves the queue, and stops
# on SIGTERM and when its --parent exits. Prints "ok - name" / "not ok - name"; exits 0 only if all pass.
# Usage: LITECON_LOAD=path/to/litecon-load sh tests/cli/t_load.sh   (default build/litecon-load)
set -u
LOAD=${LITECON_LOAD:-build/litecon-load}
fails=0
passes=0

ok() { passes=$((passes + 1)); echo "ok - $1"; }
notok() { fails=$((fails + 1)); echo "not ok - $1"; [ $# -gt 1 ] && echo "#   $2"; return 0; }
check() { name=$1; shift; if "$@"; then ok "$name"; else notok "$name"; fi; }
q() { sqlite3 -batch -noheader "$@" 2>&1; }

if [ ! -x "$LOAD" ]; then notok "litecon-load is built" "no executable at $LOAD"; exit 1; fi
if ! command -v sqlite3 >/dev/null 2>&1; then notok "sqlite3 CLI is installed"; exit 1; fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/t_load.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
S=$tmp/storage
M=$S/production.sqlite3
Q=$S/production_queue.sqlite3

# ---- init ----
"$LOAD" init "$S" --orders 2000 --seed 3 --quiet 2>"$tmp/init.err"
check "init exits 0" [ $? -eq 0 ]

all_wal=yes
for f in production production_queue production_cache production_cable; do
	[ -f "$S/$f.sqlite3" ] && [ "$(q "$S/$f.sqlite3" 'PRAGMA journal_mode')" = wal ] || all_wal="no ($f)"
done
check "init makes four files in WAL mode" [ "$all_wal" = yes ]

tables_of() { q "$1" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name)"; }
want_main="ar_internal_metadata order_items orders products schema_migrations users"
want_queue="ar_internal_metadata schema_migrations solid_queue_blocked_executions solid_queue_claimed_executions solid_queue_failed_executions solid_queue_jobs solid_queue_pauses solid_queue_processes solid_queue_ready_executions solid_queue_recurring_executions solid_queue_recurring_tasks solid_queue_scheduled_executions solid_queue_semaphores"
check "main has the shop tables" [ "$(tables_of "$M")" = "$want_main" ]
check "queue has the Solid Queue tables" [ "$(tables_of "$Q")" = "$want_queue" ]
check "cache has solid_cache_entries" [ "$(tables_of "$S/production_cache.sqlite3")" = "ar_internal_metadata schema_migrations solid_cache_entries" ]
check "cable has solid_cable_messages" [ "$(tables_of "$S/production_cable.sqlite3")" = "ar_internal_metadata schema_migrations solid_cable_messages" ]
check "init writes 2000 orders" [ "$(q "$M" 'SELECT count(*) FROM orders')" = 2000 ]
check "every order has 1 to 4 items and the right total" [ "$(q "$M" "SELECT count(*) FROM orders o WHERE (SELECT count(*) FROM order_items WHERE order_id = o.id) NOT BETWEEN 1 AND 4 OR abs(o.total - (SELECT sum(quantity * unit_price) FROM order_items WHERE order_id = o.id)) > 0.001")" = 0 ]
check "init seeds jobs in every state" [ "$(q "$Q" "SELECT (SELECT count(*) FROM solid_queue_ready_executions) > 100 AND (SELECT count(*) FROM solid_queue_scheduled_executions) > 0 AND (SELECT count(*) FROM solid_queue_claimed_executions) > 0 AND (SELECT count(*) FROM solid_queue_blocked_executions) > 0 AND (SELECT count(*) FROM solid_queue_failed_executions) > 0 AND (SELECT count(*) FROM solid_queue_jobs WHERE finished_at IS NOT NULL) > 0 AND (SELECT count(*) FROM solid_queue_pauses) = 1")" = 1 ]
check "init seeds live and stale processes" [ "$(q "$Q" "SELECT group_concat(kind, ',') FROM (SELECT kind FROM solid_queue_processes ORDER BY id)")" = "Supervisor,Worker,Worker,Dispatcher,Scheduler,Worker" ]

"$LOAD" init "$S" --orders 10 --quiet 2>"$tmp/refuse.err"
rc=$?
r=no; [ $rc -eq 2 ] && [ "$(q "$M" 'SELECT count(*) FROM orders')" = 2000 ] && r=yes
check "init refuses an existing store (exit 2)" [ $r = yes ]

"$LOAD" init "$S" --orders 2000 --seed 3 --force --quiet 2>>"$tmp/init.err"
rc=$?
r=no; [ $rc -eq 0 ] && [ "$(q "$M" 'SELECT count(*) FROM orders')" = 2000 ] && r=yes
check "init --force replaces the store" [ $r = yes ]

# ---- run ----
counts() { q "$Q" "SELECT (SELECT count(*) FROM solid_queue_ready_executions) || ' ' || (SELECT count(*) FROM solid_queue_claimed_executions) || ' ' || (SELECT count(*) FROM solid_queue_jobs WHERE finished_at IS NOT NULL)"; }
before=$(counts)
"$LOAD" run "$S" --rate 500 --duration 3 --quiet 2>"$tmp/run.err"
rc=$?
summary=$(tail -n 1 "$tmp/run.err")
check "run --rate 500 --duration 3 exits 0" [ $rc -eq 0 ]
case $summary in *" 0 errors in "*) ok "run reports 0 errors" ;; *) notok "run reports 0 errors" "$summary" ;; esac
orders=$(q "$M" 'SELECT count(*) FROM orders')
r=no; [ "$orders" -ge 3200 ] && [ "$orders" -le 3600 ] && r=yes
check "run adds about 1500 orders ($((orders - 2000)))" [ $r = yes ]
check "orders: sqlite_sequence = MAX(id) = COUNT(*)" [ "$(q "$M" "SELECT (SELECT seq FROM sqlite_sequence WHERE name = 'orders') = max(id) AND max(id) = count(*) FROM orders")" = 1 ]
check "every order_item's order exists" [ "$(q "$M" 'SELECT count(*) FROM order_items WHERE order_id NOT IN (SELECT id FROM orders)')" = 0 ]
after=$(counts)
set -- $before
rb=$1 cb=$2 fb=$3
set -- $after
r=no; [ "$rb" != "$1" ] && [ "$cb" != "$2" ] && [ "$fb" != "$3" ] && r=yes
check "ready, claimed and finished counts changed ($before -> $after)" [ $r = yes ]
check "queue heartbeats are fresh except the stale worker" [ "$(q "$Q" "SELECT count(*) FROM solid_queue_processes WHERE last_heartbeat_at < strftime('%Y-%m-%d %H:%M:%f', 'now', '-5 minutes')")" = 1 ]
fk=""
for f in "$S"/*.sqlite3; do fk="$fk$(q "$f" 'PRAGMA foreign_key_check')$(q "$f" 'PRAGMA quick_check' | grep -v '^ok$')"; done
check "files pass quick_check and foreign_key_check" [ -z "$fk" ]

# ---- stopping ----
"$LOAD" run "$S" --rate 50 --quiet 2>"$tmp/term.err" &
lp=$!
sleep 1
kill -TERM "$lp"
wait "$lp"
rc=$?
r=no; [ $rc -eq 0 ] && grep -q ' orders/s)$' "$tmp/term.err" && r=yes
check "run stops on SIGTERM with exit 0 and a summary" [ $r = yes ]

sleep 1 &
pp=$!
start=$(date +%s%N)
timeout 10 "$LOAD" run "$S" --rate 50 --parent "$pp" --quiet 2>"$tmp/parent.err"
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
r=no; [ $rc -eq 0 ] && [ "$ms" -lt 2000 ] && r=yes
check "run stops within a second after --parent exits (${ms} ms, parent lived 1000 ms)" [ $r = yes ]
wait "$pp" 2>/dev/null

echo "# t_load: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
