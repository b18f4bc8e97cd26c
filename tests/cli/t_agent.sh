# t_agent.sh: litecon-agent over a pipe (--agent PATH on a local target):
# the whole corpus gives the same bytes as in process; the helper writes
# nothing but frames, exits at EOF, runs niced, cancels on Ctrl-C; hostile
# or broken helpers end in one sentence and exit 4, never a crash.
. tests/lib.sh

AGENT=${LITECON_AGENT_BIN:-$(dirname "$LITECON")/litecon-agent}
[ -x "$AGENT" ] || AGENT=build/litecon-agent
d=$T/store
"$LITECON_LOAD" init "$d" --orders 2000 --seed 3 >/dev/null 2>&1 || { not_ok "litecon-load init"; exit 0; }
db=$T/hostile.db
fixture "$db" "create table \"we\"\"ird tbl\"(\"col umn\", x); insert into \"we\"\"ird tbl\" values
 (char(27)||']52;c;aGk='||char(7), x'ff00fe'), ('日本語', null), (1e300, -0.0);"

corpus=(
 "-box|$d|select * from orders order by id limit 50"
 "-csv|$d|select * from orders order by id desc limit 300"
 "-json|$d|select id, status, total from orders limit 100"
 "-jsonl|$d|select * from queue.solid_queue_jobs limit 40"
 "-line|$d|select * from queue.solid_queue_processes"
 "-table|$d|select count(*), sum(total) from orders"
 "-markdown|$d|select * from users limit 5"
 "-tsv|$d|select * from products limit 20"
 "-list|$d|.tables"
 "-list|$d|.schema orders"
 "-list|$d|.databases"
 "-list|$d|delete from orders"
 "-list|$d|pragma wal_checkpoint"
 "-list|$d|select * from nosuch"
 "-box|$db|select * from \"we\"\"ird tbl\""
 "-json|$db|select * from \"we\"\"ird tbl\""
 "-csv|$db|select * from \"we\"\"ird tbl\""
 "-list|$d|select 1 where 0"
 "-list|$d|stats --json"
)
n=0
for c in "${corpus[@]}"; do
	IFS='|' read -r mode target sql <<<"$c"
	n=$((n + 1))
	if [ "${sql%% *}" = stats ]; then
		"$LITECON" stats --json "$target" | sed -E 's/"taken_at":"[^"]*"//; s/"openers":[^]]*]//; s/"(latency_s|heartbeat_age_s)":[0-9.e+-]+//g' >"$T/a" 2>"$T/ae"; ra=$?
		"$LITECON" --agent "$AGENT" stats --json "$target" | sed -E 's/"taken_at":"[^"]*"//; s/"openers":[^]]*]//; s/"(latency_s|heartbeat_age_s)":[0-9.e+-]+//g' >"$T/b" 2>"$T/be"; rb=$?
	else
		"$LITECON" "$mode" "$target" "$sql" >"$T/a" 2>"$T/ae"; ra=$?
		"$LITECON" --agent "$AGENT" "$mode" "$target" "$sql" >"$T/b" 2>"$T/be"; rb=$?
	fi
	if [ "$ra" = "$rb" ] && cmp -s "$T/a" "$T/b" && cmp -s "$T/ae" "$T/be"; then ok "corpus #$n same bytes and status through the helper ($mode $sql)"
	else not_ok "corpus #$n ($mode $sql)" "status $ra vs $rb" "$(diff "$T/a" "$T/b" | head -5)" "$(diff "$T/ae" "$T/be" | head -5)"; fi
done
run --agent "$AGENT" check "$d"
[ "$rc" = 1 ] && grep -q 'failed jobs' "$T/out" && ok "check through the helper" || not_ok "check via agent" "rc=$rc $(cat "$T/err")"

want=$(sha256sum "$AGENT" | cut -c1-64)
[ "$("$AGENT" --version | sed 's/.*sha256 //')" = "$want" ] && ok "the helper's SHA-256 of itself matches sha256sum (SHA-NI where the CPU has it)" || not_ok "agent sha"
[ "$(LITECON_SHA_PORTABLE=1 "$AGENT" --version | sed 's/.*sha256 //')" = "$want" ] && ok "the portable SHA-256 agrees" || not_ok "portable sha"

# The helper's stdout holds frames only: with no input it says STATUS and exits 0.
"$AGENT" </dev/null >"$T/frames" 2>"$T/agent.err"; rc=$?
want=$(printf '\nlitecon-agent-frames\n\000\000\000\026\030\000\000\000\000\000\000\000\000\014end of input' | od -An -c)
[ "$rc" = 0 ] && [ "$(od -An -c <"$T/frames")" = "$want" ] && [ ! -s "$T/agent.err" ] \
	&& ok "at EOF the helper writes one STATUS frame and exits 0" || not_ok "agent EOF" "rc=$rc $(od -c "$T/frames" | head -3)"
head -c 100 /dev/urandom | "$AGENT" >"$T/frames" 2>/dev/null; rc=$?
[ "$(od -An -tu1 -j22 -N5 "$T/frames" | awk '{print $5}')" = 24 ] && ok "garbage input: the helper answers with a STATUS frame only" || not_ok "agent garbage" "$(od -c "$T/frames" | head)"

# Ctrl-C during a statement: CANCEL, "cancelled", 130, helper gone.
long="with recursive c(x) as (select 1 union all select x+1 from c) select count(*) from c"
"$LITECON" --agent "$AGENT" "$d" "$long" >"$T/out" 2>"$T/err" &
pid=$!
sleep 1
apid=$(pgrep -P $pid -f litecon-agent | head -1)
ni=$(ps -o ni= -p "$apid" 2>/dev/null | tr -d ' ')
[ "$ni" = 10 ] && ok "the helper runs at nice 10" || not_ok "helper nice" "ni=$ni pid=$apid"
kill -INT $pid; wait $pid; rc=$?
[ "$rc" = 130 ] && grep -qx 'litecon: cancelled' "$T/err" && ok "Ctrl-C cancels through the helper: 130" || not_ok "cancel via agent" "rc=$rc $(cat "$T/err")"
sleep 0.3
kill -0 "$apid" 2>/dev/null && not_ok "the helper is gone after the cancel" || ok "the helper is gone after the cancel"

# The client dies: the helper sees EOF and exits by itself.
"$LITECON" --agent "$AGENT" "$d" "$long" >/dev/null 2>&1 &
pid=$!
sleep 1
apid=$(pgrep -P $pid -f litecon-agent | head -1)
kill -KILL $pid; wait $pid 2>/dev/null
for _ in $(seq 30); do kill -0 "$apid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$apid" 2>/dev/null && { not_ok "the helper exits when litecon is killed"; kill -9 "$apid"; } || ok "the helper exits when litecon is killed"

# Hostile or broken helpers: one sentence, exit 4.
for m in garbage noisy huge truncated oldmajor exit badrows; do
	FAKE_AGENT=$m timeout 30 "$LITECON" --agent tests/tools/fake_agent.sh "$d" "select 1" >"$T/out" 2>"$T/err"; rc=$?
	[ "$rc" = 4 ] && [ "$(wc -l <"$T/err")" = 1 ] && ok "fake helper '$m': one sentence, exit 4" || not_ok "fake helper $m" "rc=$rc $(cat "$T/err")"
done
# Compressed pages (ZPAGES) from a hostile helper: bounded, one sentence, exit 4, DEST never made.
for m in zbomb:always zjunk:always zunasked:never; do
	FAKE_AGENT=${m%%:*} timeout 30 "$LITECON" backup --quiet --compress "${m#*:}" --agent tests/tools/fake_agent.sh \
		"$d" "$T/z.db" >"$T/out" 2>"$T/err"; rc=$?
	if [ "$rc" = 4 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q ZPAGES "$T/err" && [ ! -e "$T/z.db" ] && [ ! -e "$T/z.db.partial" ]; then
		ok "fake helper '${m%%:*}' (compressed pages): one sentence, exit 4, no DEST, no .partial"
	else not_ok "fake helper ${m%%:*}" "rc=$rc $(cat "$T/err")" "$(ls "$T" | grep z.db)"; fi
done
# SIGTERM (or SIGHUP) to a helper writing a backup kept on its host: it stops
# as a CANCEL stops it, removes the .partial, and exits.
. tests/tools/frames.sh
mkfifo "$T/ain"
"$AGENT" <"$T/ain" >"$T/aout" 2>/dev/null &
ap=$!
exec 7>"$T/ain"
{ { be 2 1; be 2 2; pstr test; } | frame 1 1
  { pstr "$d"; be 4 30000; } | frame 2 2
  { pstr main; be 4 0; pstr ""; printf '\100\323\210\000\000\000\000\000'; pstr "$T/kept.db"; be 1 0; be 1 0; } | frame 7 3
} >&7  # max_rate 20000 bytes/s: the copy lasts
for _ in $(seq 100); do [ -e "$T/kept.db.partial" ] && break; sleep 0.05; done
[ -e "$T/kept.db.partial" ] || not_ok "the kept backup started" "$(ls "$T")"
kill -TERM "$ap"
for _ in $(seq 100); do kill -0 "$ap" 2>/dev/null || break; sleep 0.05; done
exec 7>&-
kill -0 "$ap" 2>/dev/null && { not_ok "the helper exits on SIGTERM"; kill -9 "$ap"; } \
	|| { [ ! -e "$T/kept.db.partial" ] && [ ! -e "$T/kept.db" ] && ok "SIGTERM to a helper writing a kept backup: it exits, no .partial, no DEST" \
	|| not_ok "SIGTERM left files" "$(ls "$T" | grep kept)"; }
wait "$ap" 2>/dev/null
# Backup frames out of order or out of bounds: one sentence naming the frame, exit 4, no DEST.
for m in binfo2:BINFO pgbig:PAGES nodone:END noinfo:BDONE; do
	FAKE_AGENT=${m%%:*} timeout 30 "$LITECON" backup --quiet --compress never --agent tests/tools/fake_agent.sh \
		"$d" "$T/f.db" >"$T/out" 2>"$T/err"; rc=$?
	if [ "$rc" = 4 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q "unexpected ${m#*:} frame" "$T/err" && [ ! -e "$T/f.db" ] && [ ! -e "$T/f.db.partial" ]; then
		ok "fake helper '${m%%:*}' (backup frames): one sentence, exit 4, no DEST, no .partial"
	else not_ok "fake helper ${m%%:*}" "rc=$rc $(cat "$T/err")" "$(ls "$T" | grep f.db)"; fi
done
grep -q 'protocol 2' "$T/err" || FAKE_AGENT=oldmajor "$LITECON" --agent tests/tools/fake_agent.sh "$d" "select 1" 2>"$T/err" >/dev/null
grep -q 'speaks protocol 2, this litecon 1' "$T/err" && ok "a protocol major mismatch says so" || not_ok "major mismatch" "$(cat "$T/err")"

REAL_AGENT=$AGENT FAKE_AGENT=junkfirst run --agent tests/tools/fake_agent.sh "$d" "select 8"
[ "$rc" = 0 ] && [ "$(cat "$T/out")" = 8 ] && ok "noise printed before the helper starts (a chatty .bashrc) is skipped" || not_ok "junk first" "rc=$rc $(cat "$T/err")"

# As root, nothing beside the database ends up owned by root.
if [ "$(id -u)" = 0 ]; then
	o=$T/owned; mkdir "$o"; cp "$d/production.sqlite3" "$o/"; rm -f "$o"/*-wal "$o"/*-shm
	chown -R nobody:nogroup "$o"
	"$LITECON" --agent "$AGENT" "$o/production.sqlite3" "select count(*) from orders" >/dev/null 2>&1
	bad=$(find "$o" -user root | head -3)
	[ -z "$bad" ] && ok "as root the helper leaves no root-owned files beside the database" || not_ok "root-owned files" "$bad"
else
	ok "as root the helper leaves no root-owned files (not root: nothing to check)"
fi
