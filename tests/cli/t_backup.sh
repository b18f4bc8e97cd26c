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

# Over ssh the pages travel zstd-compressed (--compress auto); never and
# always (here through a local helper's pipe) give the same file.
RS="ssh://$SSH_USER@127.0.0.1:$SSHD_PORT$T/static.db"
"$LITECON" backup --quiet "${S[@]}" "$RS" "$T/zc.db" 2>"$T/z1" || not_ok "compressed pull" "$(cat "$T/z1")"
"$LITECON" backup --quiet --compress never "${S[@]}" "$RS" "$T/zn.db" 2>"$T/z2" || not_ok "plain pull" "$(cat "$T/z2")"
"$LITECON" backup --quiet --compress always --agent "$AGENT" "$T/static.db" "$T/za.db" 2>"$T/z3" || not_ok "compressed pipe" "$(cat "$T/z3")"
cmp -s "$T/zc.db" "$T/zn.db" && cmp -s "$T/zc.db" "$T/za.db" \
	&& ok "--compress auto, never and always give byte-identical backups" || not_ok "compress modes differ"
net() { sed -n 's/.*, \([0-9.]*\) \([KMG]*i*B\) on the network.*/\1 \2/p' "$1" |
	awk '{ m = $2 == "KiB" ? 1024 : $2 == "MiB" ? 1048576 : $2 == "GiB" ? 1073741824 : 1; printf "%d\n", $1 * m }'; }
zc=$(net "$T/z1"); zn=$(net "$T/z2")
[ -n "$zc" ] && [ -n "$zn" ] && [ "$zc" -lt $((zn / 2)) ] \
	&& ok "over ssh the pages travel compressed: $zc bytes on the network, $zn with --compress never" \
	|| not_ok "compressed on the network" "$(cat "$T/z1" "$T/z2")"

# The hash sidecar: the next backup starts from it, but only while DEST is
# untouched. A page of DEST changed in place (mtime put back) is noticed
# (ctime), sent again, and the result is the snapshot, byte for byte.
side="$T/.inc.db.litecon-hashes"
[ -s "$side" ] && ok "a backup keeps its page hashes beside it ($(basename "$side"))" || not_ok "sidecar" "$(ls -a "$T" | head)"
"$LITECON" backup --quiet "$T/static.db" "$T/fresh.db" 2>/dev/null
cmp -s "$T/inc.db" "$T/fresh.db" && ok "two backups of an unchanged database are byte-identical" || not_ok "identical backups"
touch -r "$T/inc.db" "$T/mtime.ref"
printf 'garbage!' | dd of="$T/inc.db" bs=1 seek=$((4096 * 7 + 100)) conv=notrunc 2>/dev/null
touch -r "$T/mtime.ref" "$T/inc.db"  # same size, same mtime: only the ctime tells
"$LITECON" backup --quiet "$T/static.db" "$T/inc.db" 2>"$T/e4" || not_ok "re-backup over a changed DEST" "$(cat "$T/e4")"
sent=$(sed -n 's/.* \([0-9]*\) sent over the wire.*/\1/p' "$T/e4")
[ "$sent" = 1 ] && cmp -s "$T/inc.db" "$T/fresh.db" && ok "DEST changed behind the sidecar's back: rehashed, the page sent again, result identical" \
	|| not_ok "stale sidecar" "sent=$sent $(cat "$T/e4")"
printf 'X' | dd of="$side" bs=1 seek=200 conv=notrunc 2>/dev/null  # one byte of page 8's hash
"$LITECON" backup --quiet "$T/static.db" "$T/inc.db" 2>"$T/e5"
sent=$(sed -n 's/.* \([0-9]*\) sent over the wire.*/\1/p' "$T/e5")
[ "$sent" = 0 ] && cmp -s "$T/inc.db" "$T/fresh.db" && ok "a damaged sidecar is not trusted (DEST is hashed again)" \
	|| not_ok "damaged sidecar" "sent=$sent $(cat "$T/e5")"

# A sidecar that is right about DEST's stat but wrong about a page (what a
# disk error under the file would look like): the page is not sent, the
# copy fails the digest of its own pages, and the backup is taken again
# from DEST's own pages.
le64() { local i; for i in 0 1 2 3 4 5 6 7; do printf "\\x$(printf %02x $(( ($1 >> (8 * i)) & 255 )))"; done; }
forge_sidecar() { # DEST SIDECAR: a sidecar for DEST's stat now, with the old sidecar's hashes
	local st m c n; read -r -a st <<<"$(stat -c '%d %i %s %.9Y %.9Z' "$1")"
	m=${st[3]} c=${st[4]} n=$(( ($(stat -c %s "$2") - 80 - 32) / 16 ))
	{ printf 'litecon-hashes-1'; le64 "${st[0]}"; le64 "${st[1]}"; le64 "${st[2]}"
	  le64 "${m%.*}"; le64 $((10#${m#*.})); le64 "${c%.*}"; le64 $((10#${c#*.})); le64 $((4096 | n << 32))
	  head -c -32 "$2" | tail -c +81; } >"$T/forged"
	{ cat "$T/forged"; printf "$(sha256sum "$T/forged" | cut -c1-64 | sed 's/../\\x&/g')"; } >"$2"
}
printf 'garbage!' | dd of="$T/inc.db" bs=1 seek=$((4096 * 7 + 100)) conv=notrunc 2>/dev/null
forge_sidecar "$T/inc.db" "$side"
"$LITECON" backup --quiet "$T/static.db" "$T/inc.db" 2>"$T/e6"; rc=$?
[ "$rc" = 0 ] && grep -q 'does not match its page hashes' "$T/e6" && cmp -s "$T/inc.db" "$T/fresh.db" \
	&& ok "DEST differs from a plausible sidecar: the digest of the written file catches it, the backup is redone from DEST" \
	|| not_ok "forged sidecar" "rc=$rc $(cat "$T/e6")" "$(cmp "$T/inc.db" "$T/fresh.db")"

# Store directory: one file per database plus manifest.json.
run backup --quiet "$d" "$T/storebk"
if [ "$rc" = 0 ] && [ -f "$T/storebk/manifest.json" ] && [ -f "$T/storebk/production_queue.sqlite3" ] \
	&& [ "$(sqlite3 :memory: "select json_array_length(readfile('$T/storebk/manifest.json'), '\$.files')")" = 4 ]; then
	ok "a store backs up as a directory with manifest.json (4 files)"; else not_ok "store backup" "rc=$rc $(cat "$T/err")"; fi
sha=$(sqlite3 :memory: "select json_extract(readfile('$T/storebk/manifest.json'), '\$.files[0].sha256')")
[ "$sha" = "$(sha256sum "$T/storebk/production.sqlite3" | cut -c1-64)" ] && ok "the manifest's SHA-256 matches the file" || not_ok "manifest sha"
# A store is all or nothing: when one database fails (here: another backup holds its .partial),
# none is replaced and the manifest still describes the files beside it.
sqlite3 "$d/production.sqlite3" "update orders set updated_at = 'changed' where id = 1"
before=$(cat "$T/storebk/production.sqlite3" "$T/storebk/manifest.json" | sha256sum)
flock "$T/storebk/production_cable.sqlite3.partial" sleep 60 &
holder=$!
for _ in $(seq 50); do [ -e "$T/storebk/production_cable.sqlite3.partial" ] && break; sleep 0.05; done
run backup --quiet "$d" "$T/storebk"
kill $holder; wait $holder 2>/dev/null; rm -f "$T/storebk/production_cable.sqlite3.partial"
[ "$rc" = 6 ] && grep -q 'another backup is writing' "$T/err" && [ "$(cat "$T/storebk/production.sqlite3" "$T/storebk/manifest.json" | sha256sum)" = "$before" ] \
	&& [ -z "$(ls "$T/storebk" | grep '\.partial$')" ] \
	&& ok "a store backup failing at its second database replaces none (manifest unchanged, no .partial)" \
	|| not_ok "store all or nothing" "rc=$rc $(cat "$T/err")" "$(ls "$T/storebk")"

# A backup kept on the host, written by the helper.
run backup --quiet "${S[@]}" "$R/production.sqlite3" "127.0.0.1:$T/on host's.db"
[ "$rc" = 0 ] && [ "$(sqlite3 -readonly "$T/on host's.db" 'pragma quick_check')" = ok ] && ok "a backup kept on the host (DEST with a space and a quote)" \
	|| not_ok "on-host backup" "rc=$rc $(cat "$T/err")"
# A store kept on the host: its directory made, every file verified, renamed together, manifest.json.
run backup --quiet "${S[@]}" "$R" "127.0.0.1:$T/kept store"
sha=$(sqlite3 :memory: "select json_extract(readfile('$T/kept store/manifest.json'), '\$.files[0].sha256')" 2>/dev/null)
[ "$rc" = 0 ] && [ "$sha" = "$(sha256sum "$T/kept store/production.sqlite3" | cut -c1-64)" ] \
	&& [ "$(sqlite3 :memory: "select json_array_length(readfile('$T/kept store/manifest.json'), '\$.files')")" = 4 ] \
	&& ok "a store kept on the host: its directory, 4 files and manifest.json (SHA-256s match)" || not_ok "kept store" "rc=$rc $(cat "$T/err")"
sqlite3 "$d/production.sqlite3" "update orders set updated_at = 'kept' where id = 2"
before=$(cat "$T/kept store/production.sqlite3" "$T/kept store/manifest.json" | sha256sum)
flock "$T/kept store/production_cable.sqlite3.partial" sleep 60 &
holder=$!
for _ in $(seq 50); do [ -e "$T/kept store/production_cable.sqlite3.partial" ] && break; sleep 0.05; done
run backup --quiet "${S[@]}" "$R" "127.0.0.1:$T/kept store"
kill $holder; wait $holder 2>/dev/null; rm -f "$T/kept store/production_cable.sqlite3.partial"
[ "$rc" = 6 ] && [ "$(cat "$T/kept store/production.sqlite3" "$T/kept store/manifest.json" | sha256sum)" = "$before" ] \
	&& [ -z "$(ls "$T/kept store" | grep '\.partial$')" ] \
	&& ok "a store kept on the host is all or nothing too (the verified first file given up, no .partial)" \
	|| not_ok "kept store all or nothing" "rc=$rc $(cat "$T/err")" "$(ls "$T/kept store")"
# Kept on the host, and slow: the helper sends PROGRESS meanwhile, so --timeout 1 (litecon
# takes 31 s of silence for a lost helper) does not end a 40 s backup.
run backup --quiet --timeout 1 --max-rate 0.25 "${S[@]}" "$R/production.sqlite3" "127.0.0.1:$T/slow kept.db"
[ "$rc" = 0 ] && [ "$(sqlite3 -readonly "$T/slow kept.db" 'pragma quick_check')" = ok ] \
	&& ok "a slow backup kept on the host outlasts the helper's silence limit (PROGRESS frames)" || not_ok "slow kept backup" "rc=$rc $(cat "$T/err")"
hside="$T/.on host's.db.litecon-hashes"
if [ -s "$hside" ]; then
	printf 'garbage!' | dd of="$T/on host's.db" bs=1 seek=$((4096 * 7 + 100)) conv=notrunc 2>/dev/null
	forge_sidecar "$T/on host's.db" "$hside"
	run backup --quiet "${S[@]}" "$R/production.sqlite3" "127.0.0.1:$T/on host's.db"
	run2() { "$LITECON" backup --quiet "$d/production.sqlite3" "$T/here.db" 2>/dev/null; }
	[ "$rc" = 0 ] && run2 && cmp -s "$T/on host's.db" "$T/here.db" \
		&& ok "on the host too: a DEST that differs from its sidecar is caught and backed up again" \
		|| not_ok "on-host forged sidecar" "rc=$rc $(cat "$T/err")"
else
	not_ok "the helper keeps a sidecar beside a backup kept on the host" "$(ls -a "$T" | head -30)"
fi
weird="$T/we ird \"q\" \$(touch pwn).db"
run backup --quiet "$d/production.sqlite3" "$weird"
[ "$rc" = 0 ] && [ -f "$weird" ] && [ ! -e pwn ] && ok "a local DEST with spaces, quotes and \$()" || not_ok "weird dest" "$(cat "$T/err")"

# A schema change still in the WAL (a table created, never checkpointed,
# its writer still open: page 1 in the WAL is newer than in the file): the
# backup has the new table and passes its check.
w=$T/walp1.db
sqlite3 "$w" "pragma journal_mode=wal; create table a(x); insert into a select randomblob(200) from generate_series(1, 20000);" >/dev/null
wal_writer "$w" "create table b(y); insert into b select value from generate_series(1, 5000);"
sleep 0.3
"$LITECON" backup --quiet "$w" "$T/walp1-copy.db" 2>"$T/e"; rc=$?
wal_writer_stop
got=$(sqlite3 -readonly "$T/walp1-copy.db" "select count(*) from b; pragma quick_check;" 2>&1 | tr '\n' ' ')
[ "$rc" = 0 ] && [ "$got" = "5000 ok " ] && ok "a schema change still in the WAL (page 1 newer there than in the file): the backup has it, whole" \
	|| not_ok "page 1 in the WAL" "rc=$rc got=$got $(cat "$T/e")"

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
(ulimit -f 512; "$LITECON" backup --quiet "${S[@]}" "$R/production.sqlite3" "$T/full.db") >"$T/out" 2>"$T/err"; rc=$?
[ "$rc" = 6 ] && [ "$(wc -l <"$T/err")" = 1 ] && grep -q 'File too large' "$T/err" && [ "$(sha256sum <"$T/full.db")" = "$before" ] \
	&& [ ! -e "$T/full.db.partial" ] && ok "no room for a pull over ssh: the write error, exit 6 (not the helper's 'cancelled'), DEST unchanged" \
	|| not_ok "full disk over ssh" "rc=$rc $(cat "$T/err")"
if [ "$(id -u)" = 0 ] && mkdir -p "$T/tiny" && mount -t tmpfs -o size=2m tmpfs "$T/tiny" 2>/dev/null; then
	run backup --quiet "${S[@]}" "$R/production.sqlite3" "127.0.0.1:$T/tiny/b.db"
	[ "$rc" = 6 ] && [ -z "$(ls -A "$T/tiny")" ] && ok "a full tmpfs for a backup kept on the host: clean error, nothing left" \
		|| not_ok "tmpfs full" "rc=$rc $(cat "$T/err") $(ls -A "$T/tiny")"
	run backup --quiet "$d/production.sqlite3" "$T/tiny/c.db"
	[ "$rc" = 6 ] && [ -z "$(ls -A "$T/tiny")" ] && ok "a full tmpfs for a local backup: clean error, nothing left" || not_ok "tmpfs local" "rc=$rc $(cat "$T/err")"
	# Room for one backup but not for the copy an incremental one starts from.
	sqlite3 "$T/small.db" "create table t(x); with recursive n(i) as (select 1 union all select i + 1 from n where i < 1100)
		insert into t select randomblob(1000) from n;"
	run backup --quiet "$T/small.db" "$T/tiny/s.db"
	sqlite3 "$T/small.db" "update t set x = randomblob(1000) where rowid < 20"
	cp "$T/tiny/s.db" "$T/s.before"
	run backup --quiet "$T/small.db" "$T/tiny/s.db"
	[ "$rc" = 6 ] && cmp -s "$T/tiny/s.db" "$T/s.before" && [ -z "$(ls "$T/tiny" | grep partial)" ] \
		&& ok "no room for the copy an incremental backup starts from: exit 6, DEST unchanged, no .partial" \
		|| not_ok "tmpfs incremental" "rc=$rc $(cat "$T/err") $(ls -a "$T/tiny")"
	umount "$T/tiny"
fi
out=$(on_tty "$LITECON" backup --max-rate 20 "$d/production.sqlite3" "$T/tty.db")
case $out in *"pages"*"MB/s"*"ETA"*"verified (quick_check, SHA-256)"*) ok "on a terminal: a progress bar (pages, MB/s, ETA), then the summary" ;;
	*) not_ok "progress bar" "$out" ;; esac
run backup --verify full "$d/production.sqlite3" "$T/full-check.db"
[ "$rc" = 0 ] && grep -q 'verified (integrity_check, SHA-256)' "$T/err" && ok "--verify full runs integrity_check" || not_ok "--verify full" "$(cat "$T/err")"
expect_err "--verify takes quick or full" 2 'takes one of quick\|full, not "sometimes"' backup --verify sometimes "$d" "$T/x"
expect_err "--compress takes auto, always or never, before anything is opened" 2 'takes one of auto\|always\|never' backup --compress sometimes "ssh://nobody@127.0.0.1:1/x" "$T/x"
expect_err "the dashboard's :backup options are checked before anything is opened too" 2 'takes one of auto\|always\|never' --compress sometimes "ssh://nobody@127.0.0.1:1/x"
expect_err "so are the shell's (.backup takes them as its defaults)" 2 'takes one of quick\|full' shell --verify twice "ssh://nobody@127.0.0.1:1/x"
# The shell's .backup: the command line's options are its defaults, its own words override them.
run --verify full "$d/production.sqlite3" ".backup $T/dot-full.db"
[ "$rc" = 0 ] && grep -q 'verified (integrity_check, SHA-256)' "$T/err" && consistent "$T/dot-full.db" >/dev/null \
	&& ok ".backup in a one-liner takes --verify full from the command line" || not_ok ".backup --verify from the command line" "$(cat "$T/err")"
run "${S[@]}" "$R/production.sqlite3" ".backup --verify full --compress never --max-rate 50 --quiet '$T/dot opts.db'"
[ "$rc" = 0 ] && grep -q 'verified (integrity_check, SHA-256)' "$T/err" && grep -q 'sent over the wire' "$T/err" \
	&& grep -Eq '\(([0-9.]+ [KMG]iB), \1 on the network\)' "$T/err" && consistent "$T/dot opts.db" >/dev/null \
	&& ok ".backup --verify full --compress never --max-rate 50 --quiet DEST over ssh: integrity_check, pages sent uncompressed" \
	|| not_ok ".backup with its own options" "$(cat "$T/err")"
run --verify full "$d/production.sqlite3" ".backup --verify=quick $T/dot-quick.db"
[ "$rc" = 0 ] && grep -q 'verified (quick_check, SHA-256)' "$T/err" && ok ".backup's own --verify overrides the command line's" \
	|| not_ok ".backup --verify override" "$(cat "$T/err")"
expect_err ".backup with an unknown option: exit 2, one sentence, nothing written" 2 '^litecon: unknown option --fast; \.backup takes' \
	"$d/production.sqlite3" ".backup --fast $T/dot-bad.db"
expect_err ".backup with two DESTs" 2 'backup takes one DEST' "$d/production.sqlite3" ".backup $T/dot-bad.db $T/dot-bad2.db"
expect_err ".backup --max-rate without a number" 2 'max-rate needs a number' "$d/production.sqlite3" ".backup --max-rate fast $T/dot-bad.db"
expect_err ".backup with options and no DEST" 2 'backup needs a DEST' "$d/production.sqlite3" ".backup --quiet"
[ ! -e "$T/dot-bad.db" ] && [ ! -e "$T/dot-bad2.db" ] && [ ! -e "$T/dot-bad.db.partial" ] \
	&& ok "a refused .backup writes nothing" || not_ok "refused .backup wrote" "$(ls "$T" | grep dot-bad)"
# DEST onto the database being read (or its -wal): refused before anything is written.
sqlite3 "$T/self.db" "pragma journal_mode=wal; create table t(x); insert into t values (1);" >/dev/null
cp "$T/self.db" "$T/self.copy"
expect_err "a DEST that is the source database itself: refused, one sentence" 2 'would overwrite .*self.db, a database litecon is reading' \
	backup "$T/self.db" "$T/./self.db"
expect_err "a DEST that is the source's -wal: refused" 2 'would overwrite .*self.db-wal, part of a database' backup "$T/self.db" "$T/self.db-wal"
expect_err "a store backed up into its own directory: refused" 2 'would overwrite .*production.sqlite3, a database' backup "$d" "$d"
cmp -s "$T/self.db" "$T/self.copy" && [ -z "$(ls "$d" "$T" | grep -e '\.partial$')" ] \
	&& ok "after those refusals the databases are unchanged and no .partial exists" || not_ok "self-backup changed something" "$(ls "$d")"
run backup --quiet "${S[@]}" "$R/production.sqlite3" "127.0.0.1:$d/production.sqlite3"
[ "$rc" = 2 ] && grep -q 'would overwrite .*production.sqlite3, a database litecon is reading' "$T/err" \
	&& [ "$(sqlite3 -readonly "$d/production.sqlite3" 'select count(*) >= 20000 from orders')" = 1 ] \
	&& ok "a DEST on the host onto the database the helper reads: the helper refuses, exit 2" || not_ok "host self-backup" "rc=$rc $(cat "$T/err")"
run "$T/self.db" ".output $T/self.db" "select 1;"
[ "$rc" = 2 ] && grep -q 'would overwrite' "$T/err" && cmp -s "$T/self.db" "$T/self.copy" \
	&& ok ".output onto the database being read: refused, the file unchanged" || not_ok ".output self" "rc=$rc $(cat "$T/err")"
# A backup writes DEST.partial first: never onto a database of that name.
sqlite3 "$T/live.partial" "pragma journal_mode=wal; create table t(x); insert into t values (7);" >/dev/null
expect_err "a DEST whose .partial is the database being read: refused" 2 'live.partial would overwrite .*live.partial, a database' \
	backup "$T/live.partial" "$T/live"
[ "$(sqlite3 "$T/live.partial" 'select x from t')" = 7 ] && [ ! -e "$T/live" ] \
	&& ok "the database named like the .partial is untouched" || not_ok "live.partial changed" "$(ls -l "$T" | grep live)"
# Two backups to one DEST at once: the second is refused, the first ends verified and is sound.
"$LITECON" backup --quiet --max-rate 4 "$d/production.sqlite3" "$T/twice.db" 2>"$T/twice1.err" &
first=$!
for _ in $(seq 100); do [ -e "$T/twice.db.partial" ] && break; sleep 0.05; done
run backup --quiet "$d/production.sqlite3" "$T/twice.db"
wait $first; rc1=$?
[ "$rc" = 6 ] && grep -q 'another backup is writing .*twice.db.partial' "$T/err" && [ "$rc1" = 0 ] && consistent "$T/twice.db" >/dev/null \
	&& ok "a second backup to a DEST being written: exit 6, one sentence; the first ends verified and sound" \
	|| not_ok "two backups to one DEST" "rc=$rc rc1=$rc1 $(cat "$T/err" "$T/twice1.err")"
echo junk >"$T/stale.db.partial"
run backup --quiet "$d/production.sqlite3" "$T/stale.db"
[ "$rc" = 0 ] && [ ! -e "$T/stale.db.partial" ] && consistent "$T/stale.db" >/dev/null \
	&& ok "a .partial left by a backup that died is reused, and gone afterwards" || not_ok "stale .partial" "rc=$rc $(cat "$T/err")"
# Reading one as a script would open and close it: POSIX drops this process's locks on it.
expect_err ".read of the database being read: refused, one sentence" 2 'self.db is the database .*self.db, which litecon is reading, not a script' \
	"$T/self.db" ".read $T/self.db"
expect_err "-f with a store's -wal: refused" 2 'production.sqlite3-wal is .*production.sqlite3-wal, which litecon is reading' \
	-f "$d/production.sqlite3-wal" "$d"
expect_err "backup needs a DEST" 2 'backup takes a TARGET and a DEST' backup "$d"
expect_err "a host DEST on another host than the target's" 2 "on the target's own host" backup "${S[@]}" "$R/production.sqlite3" "otherhost:/tmp/x.db"
expect_err "a host DEST with a local target" 2 'for remote targets' backup "$d/production.sqlite3" "somehost:/tmp/x.db"
expect_err "a host DEST with a local target through a helper (--agent): refused too" 2 'for remote targets' \
	backup --agent "$AGENT" "$d/production.sqlite3" "somehost:$T/through-agent.db"
[ ! -e "$T/through-agent.db" ] && ok "nothing was written on this machine for it" || not_ok "host DEST written locally"
sshd_stop
