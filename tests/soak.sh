#!/usr/bin/env bash
# tests/soak.sh: litecon under load for SOAK_SECONDS (default 600; `make
# check` runs 60 through tests/tier/soak.sh, `make soak` the long one).
#
# First a baseline: the load writer alone at 500 orders/s on a copy of a
# demo store, sampling the -wal size (for min(SOAK_SECONDS/2, 60) s). Then
# on a fresh copy, with the writer at 500 orders/s, all at once: `stats`
# every second, a dashboard in tmux refreshing every second through the
# helper, 1000 random read queries, and 20 backups (10 local, 10 over ssh
# against the test sshd). At the end: the writer saw no error; orders'
# sqlite_sequence = max(id) = count(*); every backup passes integrity_check
# and holds every order its items point to; the -wal stayed within 2x of
# the baseline's; no helper is left running. Prints the figures. TAP out.
#   LITECON, LITECON_LOAD (default build/...), SOAK_SECONDS, SOAK_RATE (500)
. "$(dirname "$0")/lib.sh"
. tests/ssh/fixture.sh
secs=${SOAK_SECONDS:-600}
rate=${SOAK_RATE:-500}
base_secs=$((secs / 2 < 60 ? secs / 2 : 60))
LC=$(cd "$(dirname "$LITECON")" && pwd)/$(basename "$LITECON")
AGENT=$(dirname "$LC")/litecon-agent
[ -x "$AGENT" ] || AGENT=$PWD/build/litecon-agent
TM="tmux -L litecon-soak-$$"
export TMUX_TMPDIR=$T
trap '$TM kill-server 2>/dev/null; pkill -f "litecon-load run $T" 2>/dev/null; relay_stop; sshd_stop; rm -rf "$T"' EXIT

"$LITECON_LOAD" init "$T/seed" --orders 20000 --seed 5 --quiet >/dev/null 2>&1 || { not_ok "soak: demo store"; exit 0; }
fresh() { rm -rf "$1"; mkdir -p "$1"; cp "$T/seed"/*.sqlite3 "$1"/; }

# wal_watch FILE OUT: the largest size FILE reaches, into OUT, until killed
wal_watch() {
	local max=0 s
	while :; do
		s=$(stat -c %s "$1" 2>/dev/null || echo 0)
		[ "$s" -gt "$max" ] && max=$s && echo "$max" >"$2"
		sleep 0.25
	done
}

# ---- baseline: the writer alone ----
fresh "$T/base"
echo 0 >"$T/wal.base"
wal_watch "$T/base/production.sqlite3-wal" "$T/wal.base" &
w=$!
"$LITECON_LOAD" run "$T/base" --rate "$rate" --duration "$base_secs" --quiet 2>"$T/base.err"
kill $w; wait $w 2>/dev/null
wal_base=$(cat "$T/wal.base")

# ---- the soak ----
store=$T/store
fresh "$store"
echo 0 >"$T/wal.soak"
wal_watch "$store/production.sqlite3-wal" "$T/wal.soak" &
watcher=$!
"$LITECON_LOAD" run "$store" --rate "$rate" --duration "$secs" --quiet 2>"$T/writer.err" &
writer=$!
t_end=$((SECONDS + secs))

# stats every second
( n=0 f=0; while [ $SECONDS -lt $t_end ]; do
	"$LC" stats --json "$store" >/dev/null 2>>"$T/stats.err" || f=$((f + 1)); n=$((n + 1)); sleep 1
  done; echo "$n $f" >"$T/stats.count" ) &
stats=$!

# the dashboard, refreshing every second through the helper
$TM new -d -x 120 -y 40 "env LANG=C.UTF-8 HOME=$T XDG_STATE_HOME=$T $LC --agent $AGENT --refresh 1 $store 2>$T/tui.err; echo \"[exit \$?]\" >$T/tui.exit; sleep 3600"

# 1000 random read queries, in 20 scripts of 50
queries() {
	local i id
	for i in $(seq 50); do
		id=$((RANDOM * 32768 + RANDOM))
		case $((RANDOM % 6)) in
		0) echo "select * from orders where id = $((id % 20000 + 1));" ;;
		1) echo "select count(*) from order_items where order_id = $((id % 20000 + 1));" ;;
		2) echo "select status, count(*) from orders where id > $((id % 20000)) group by status;" ;;
		3) echo "select id, total from orders order by id desc limit $((id % 20 + 1));" ;;
		4) echo "select queue_name, count(*) from queue.solid_queue_ready_executions group by 1;" ;;
		5) echo "select o.id, sum(i.quantity) from orders o join order_items i on i.order_id = o.id where o.id between $((id % 20000)) and $((id % 20000 + 50)) group by o.id;" ;;
		esac
	done
}
( qn=0 qf=0; for b in $(seq 20); do
	queries >"$T/q.sql"
	"$LC" -f "$T/q.sql" "$store" >/dev/null 2>>"$T/queries.err" || qf=$((qf + 1))
	qn=$((qn + 50)); sleep $((secs / 25 > 0 ? secs / 25 : 1))
  done; echo "$qn $qf" >"$T/queries.count" ) &
qs=$!

# 20 backups: 10 local, 10 over ssh
mkdir -p "$T/bk"
sshd_ok=0
sshd_start && sshd_ok=1
SSH=(-i "$SSH_KEY" -o UserKnownHostsFile="$KH_PLAIN" -o StrictHostKeyChecking=yes)
bfail=0
for b in $(seq "${SOAK_BACKUPS:-20}"); do
	if [ $((b % 2)) = 1 ]; then src=$store; else src="ssh://$SSH_USER@127.0.0.1:$SSHD_PORT$store"; fi
	LITECON_AGENT=$AGENT "$LC" "${SSH[@]}" backup --quiet "$src" "$T/bk/$b" >/dev/null 2>>"$T/backup.err" || bfail=$((bfail + 1))
	sleep $((secs / 22 > 0 ? secs / 22 : 1))
done

wait $writer; wait $stats; wait $qs
$TM send-keys q
for _ in $(seq 100); do [ -s "$T/tui.exit" ] && break; sleep 0.1; done
kill $watcher; wait $watcher 2>/dev/null
wal_soak=$(cat "$T/wal.soak")

# ---- the verdict ----
werr=$(sed -n 's/.* \([0-9]*\) errors in .*/\1/p' "$T/writer.err")
wrate=$(sed -n 's/.*(\([0-9.]*\) orders\/s).*/\1/p' "$T/writer.err")
[ "$werr" = 0 ] && ok "soak: the writer saw no error (${wrate} orders/s)" || not_ok "soak: writer errors" "$(cat "$T/writer.err")"
read -r seq mx cnt < <(sqlite3 -readonly "$store/production.sqlite3" \
	"select (select seq from sqlite_sequence where name = 'orders'), max(id), count(*) from orders" | tr '|' ' ')
[ "$seq" = "$mx" ] && [ "$mx" = "$cnt" ] && ok "soak: orders' sqlite_sequence = max(id) = count(*) ($seq)" \
	|| not_ok "soak: orders lost" "seq=$seq max=$mx count=$cnt"
good=0
for b in $(seq 20); do
	f=$T/bk/$b/production.sqlite3
	[ -f "$f" ] && [ "$(sqlite3 -readonly "$f" 'pragma integrity_check')" = ok ] &&
		[ "$(sqlite3 -readonly "$f" 'select count(*) from order_items i left join orders o on o.id = i.order_id where o.id is null')" = 0 ] &&
		[ -f "$T/bk/$b/manifest.json" ] && good=$((good + 1))
done
[ "$good" = 20 ] && [ "$bfail" = 0 ] && ok "soak: 20 backups (10 local, 10 over ssh), each passes integrity_check and is consistent" \
	|| not_ok "soak: backups" "good=$good failed=$bfail sshd=$sshd_ok" "$(head -5 "$T/backup.err")"
read -r sn sf <"$T/stats.count"
[ "$sf" = 0 ] && [ "$sn" -gt 0 ] && ok "soak: stats every second, $sn runs, none failed" || not_ok "soak: stats" "$sn runs, $sf failed: $(head -3 "$T/stats.err")"
read -r qn qf <"$T/queries.count"
[ "$qn" = 1000 ] && [ "$qf" = 0 ] && ok "soak: 1000 random read queries, none failed" || not_ok "soak: queries" "$qn run, $qf scripts failed: $(head -3 "$T/queries.err")"
grep -q '^\[exit 0\]$' "$T/tui.exit" 2>/dev/null && ok "soak: the dashboard refreshed throughout and quit with status 0" \
	|| not_ok "soak: dashboard" "$(cat "$T/tui.exit" "$T/tui.err" 2>/dev/null | head -5)"
limit=$((wal_base * 2))
[ "$wal_soak" -le "$limit" ] && ok "soak: the -wal peaked at $wal_soak bytes, within 2x of $wal_base without litecon" \
	|| not_ok "soak: the WAL grew" "peak $wal_soak bytes with litecon, $wal_base without (limit $limit)"
left=$(pgrep -f "^$AGENT" ; for p in $(_fx_descendants "${SSHD_PID:-1}" 2>/dev/null); do ps -o args= -p "$p" 2>/dev/null | grep -q litecon-agent && echo "$p"; done)
[ -z "$left" ] && ok "soak: no helper is left running" || not_ok "soak: helpers left" "$(ps -o pid,args -p $left 2>/dev/null)"
echo "# soak: ${secs} s at ${rate} orders/s: writer ${wrate} orders/s, ${werr} errors; orders ${cnt}; stats runs ${sn};" \
	"queries ${qn}; backups ${good}/20 good; -wal peak ${wal_soak} B (baseline ${wal_base} B over ${base_secs} s)"
exit 0
