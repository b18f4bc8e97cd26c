# t_backup.sh: litecon backup under a live writer (local and over ssh):
# every backup passes integrity_check and is a consistent snapshot, the
# writer sees no error; incremental re-backups send little; a cut
# connection or a full disk leaves DEST as it was and no .partial; backups
# kept on the host; store directories with manifest.json; odd DEST names.
. tests/lib.sh
. tests/ssh/fixture.sh

sshd_start || { not_ok "sshd starts"; exit 0; }
AGENT=$(dirname "$LITECON")/litecon-agent
[ -x "$AGENT" ] || AGENT=build/litecon-agent
export LITECON_AGENT=$AGENT
S=(-i "$SSH_KEY" -o UserKnownHostsFile="$KH_PLAIN" -o StrictHostKeyChecking=yes)
d=$T/store
"$LITECON_LOAD" init "$d" --orders 20000 --seed 9 >/dev/null 2>&1 || not_ok "store"
R="ssh://$SSH_USER@127.0.0.1:$SSHD_PORT$d"

consistent() { # DB: integrity ok, every item's order exists, ids contiguous
	local r
	r=$(sqlite3 -readonly "$1" "pragma integrity_check;
		select count(*) from order_items i left join orders o on o.id = i.order_id where o.id is null;
		select count(*) = max(id) and max(id) = (select seq from sqlite_sequence where name = 'orders') from orders;" 2>&1 | tr '\n' ' ')
	[ "$r" = "ok 0 1 " ] || { echo "$r"; return 1; }
}

"$LITECON_LOAD" run "$d" --rate 600 --quiet 2>"$T/load.err" &
load=$!
sleep 1
bad=0
for i in $(seq 10); do
	"$LITECON" backup --quiet "$d/production.sqlite3" "$T/local-$i.db" 2>>"$T/b.err" || bad=$((bad + 1))
	r=$(consistent "$T/local-$i.db") || { bad=$((bad + 1)); echo "local $i: $r" >>"$T/b.err"; }
	"$LITECON" backup --quiet "${S[@]}" "$R/production.sqlite3" "$T/ssh-$i.db" 2>>"$T/b.err" || bad=$((bad + 1))
	r=$(consistent "$T/ssh-$i.db") || { bad=$((bad + 1)); echo "ssh $i: $r" >>"$T/b.err"; }
done
kill $load; wait $load
[ "$bad" = 0 ] && ok "20 backups under a 600 orders/s writer (10 local, 10 over ssh): integrity_check ok, consistent snapshots" \
	|| not_ok "backups under load" "$(grep -v '^litecon: backup of' "$T/b.err" | head -5)"
grep -q ' 0 errors ' "$T/load.err" && ok "the writer saw no error during the backups" || not_ok "writer errors" "$(cat "$T/load.err")"
grep -q 'verified (quick_check, SHA-256)' "$T/b.err" && ok "the summary line names the verification" || not_ok "summary"
[ -z "$(ls "$T"/*.partial 2>/dev/null)" ] && ok "no .partial file remains" || not_ok "partial left"

# Incremental: 1% of the pages change, the re-backup sends at most 3%.
cp "$d/production.sqlite3" "$T/static.db"
"$LITECON" backup --quiet "$T/static.db" "$T/inc.db" 2>"$T/e1" || not_ok "first backup"
total=$(sqlite3 "$T/static.db" "pragma page_count")
n=$(sqlite3 "$T/static.db" "select count(*) / 100 from orders")
sqlite3 "$T/static.db" "update orders set status = 'refunded' where id between 5000 and 5000 + $n;"
"$LITECON" backup --quiet "$T/static.db" "$T/inc.db" 2>"$T/e2" || not_ok "re-backup"
sent=$(sed -n 's/.* \([0-9]*\) sent over the wire.*/\1/p' "$T/e2")
[ -n "$sent" ] && [ $((sent * 100)) -le $((total * 3)) ] && ok "re-backup after ~1% of rows changed sends $sent of $total pages (<= 3%)" \
	|| not_ok "incremental" "sent=$sent total=$total $(cat "$T/e2")"
[ "$(sqlite3 -readonly "$T/inc.db" "select count(*) from orders where status = 'refunded' and id between 5000 and 5000 + $n")" = $((n + 1)) ] \
	&& ok "the incremental backup has the changed rows" || not_ok "incremental content"
"$LITECON" backup --quiet "${S[@]}" "ssh://$SSH_USER@127.0.0.1:$SSHD_PORT$T/static.db" "$T/inc.db" 2>"$T/e3"
grep -q ' 0 sent over the wire' "$T/e3" && ok "an unchanged database re-backed up over ssh sends no page" || not_ok "incremental ssh" "$(cat "$T/e3")"

# Store directory: one file per database plus manifest.json.
run backup --quiet "$d" "$T/storebk"
if [ "$rc" = 0 ] && [ -f "$T/storebk/manifest.json" ] && [ -f "$T/storebk/production_queue.sqlite3" ] \
	&& [ "$(sqlite3 :memory: "select json_array_length(readfile('$T/storebk/manifest.json'), '\$.files')")" = 4 ]; then
	ok "a store backs up as a directory with manifest.json (4 files)"; else not_ok "store backup" "rc=$rc $(cat "$T/err")"; fi
sha=$(sqlite3 :memory: "select json_extract(readfile('$T/storebk/manifest.json'), '\$.files[0].sha256')")
[ "$sha" = "$(sha256sum "$T/storebk/production.sqlite3" | cut -c1-64)" ] && ok "the manifest's SHA-256 matches the file" || not_ok "manifest sha"

# A backup kept on the host, written by the helper.
run backup --quiet "${S[@]}" "$R/production.sqlite3" "127.0.0.1:$T/on host's.db"
[ "$rc" = 0 ] && [ "$(sqlite3 -readonly "$T/on host's.db" 'pragma quick_check')" = ok ] && ok "a backup kept on the host (DEST with a space and a quote)" \
	|| not_ok "on-host backup" "rc=$rc $(cat "$T/err")"
weird="$T/we ird \"q\" \$(touch pwn).db"
run backup --quiet "$d/production.sqlite3" "$weird"
[ "$rc" = 0 ] && [ -f "$weird" ] && [ ! -e pwn ] && ok "a local DEST with spaces, quotes and \$()" || not_ok "weird dest" "$(cat "$T/err")"

# A cut connection mid-backup: DEST as it was, no .partial, exit 4.
cp "$T/ssh-1.db" "$T/keep.db"; before=$(sha256sum <"$T/keep.db")
relay_start
"$LITECON" backup --quiet --max-rate 0.5 -i "$SSH_KEY" -o UserKnownHostsFile="$KH_RELAY" \
	"ssh://$SSH_USER@127.0.0.1:$RELAY_PORT$d/production.sqlite3" "$T/keep.db" >"$T/out" 2>"$T/err" &
pid=$!
sleep 2.5
kill -USR2 "$RELAY_PID"
wait $pid; rc=$?
relay_stop
[ "$rc" = 4 ] && [ "$(sha256sum <"$T/keep.db")" = "$before" ] && [ ! -e "$T/keep.db.partial" ] \
	&& ok "a cut connection mid-backup: exit 4, DEST unchanged, no .partial" || not_ok "cut backup" "rc=$rc $(cat "$T/err") $(ls "$T" | grep partial)"

# A full disk: a clean error, DEST as it was, no partial file.
cp "$T/local-1.db" "$T/full.db"; before=$(sha256sum <"$T/full.db")
(ulimit -f 512; "$LITECON" backup --quiet "$d/production.sqlite3" "$T/full.db") >"$T/out" 2>"$T/err"; rc=$?
[ "$rc" = 6 ] && [ "$(wc -l <"$T/err")" = 1 ] && [ "$(sha256sum <"$T/full.db")" = "$before" ] && [ ! -e "$T/full.db.partial" ] \
	&& ok "no room to write (a file size limit): one sentence, exit 6, DEST unchanged" || not_ok "full disk" "rc=$rc $(cat "$T/err")"
if [ "$(id -u)" = 0 ] && mkdir -p "$T/tiny" && mount -t tmpfs -o size=2m tmpfs "$T/tiny" 2>/dev/null; then
	run backup --quiet "${S[@]}" "$R/production.sqlite3" "127.0.0.1:$T/tiny/b.db"
	[ "$rc" = 6 ] && [ -z "$(ls -A "$T/tiny")" ] && ok "a full tmpfs for a backup kept on the host: clean error, nothing left" \
		|| not_ok "tmpfs full" "rc=$rc $(cat "$T/err") $(ls -A "$T/tiny")"
	run backup --quiet "$d/production.sqlite3" "$T/tiny/c.db"
	[ "$rc" = 6 ] && [ -z "$(ls -A "$T/tiny")" ] && ok "a full tmpfs for a local backup: clean error, nothing left" || not_ok "tmpfs local" "rc=$rc $(cat "$T/err")"
	umount "$T/tiny"
fi
out=$(on_tty "$LITECON" backup --max-rate 20 "$d/production.sqlite3" "$T/tty.db")
case $out in *"pages"*"MB/s"*"ETA"*"verified (quick_check, SHA-256)"*) ok "on a terminal: a progress bar (pages, MB/s, ETA), then the summary" ;;
	*) not_ok "progress bar" "$out" ;; esac
run backup --verify full "$d/production.sqlite3" "$T/full-check.db"
[ "$rc" = 0 ] && grep -q 'verified (integrity_check, SHA-256)' "$T/err" && ok "--verify full runs integrity_check" || not_ok "--verify full" "$(cat "$T/err")"
expect_err "--verify takes quick or full" 2 'takes quick or full' backup --verify sometimes "$d" "$T/x"
expect_err "backup needs a DEST" 2 'backup takes a TARGET and a DEST' backup "$d"
expect_err "a host DEST on another host than the target's" 2 "on the target's own host" backup "${S[@]}" "$R/production.sqlite3" "otherhost:/tmp/x.db"
expect_err "a host DEST with a local target" 2 'for remote targets' backup "$d/production.sqlite3" "somehost:/tmp/x.db"
sshd_stop
