#!/usr/bin/env bash
# bench/backup.sh BUILD_DIR: a full pull of the 1M-order database over ssh
# (sshd on 127.0.0.1) against the ways people do it today, in one run:
#   litecon backup host:/db DEST
#   ssh host "sqlite3 db '.backup /tmp/x'" && scp host:/tmp/x .   (target: litecon <= 0.65x)
#   ssh host cat db > x   (the channel's own limit, and unsafe)     (target: litecon <= 1.2x)
#   an incremental re-backup with 1% of pages changed                (target: <= 0.15x of a full one)
# Figures only. BENCH_DIR (default BUILD_DIR/bench).
set -u
build=${1:-build}
cd "$(dirname "$0")/.."
LITECON=$build/litecon
bench=${BENCH_DIR:-$build/bench}
. tests/lib.sh
. tests/ssh/fixture.sh
export LITECON_AGENT=$build/litecon-agent
mkdir -p "$bench"
store=$bench/orders-1000000
if [ ! -f "$store/.complete" ]; then
	rm -rf "$store"; "$build/litecon-load" init "$store" --orders 1000000 --quiet >/dev/null || exit 1
	touch "$store/.complete"
fi
src=$T/src.db
cp "$(realpath "$store")/production.sqlite3" "$src"   # a copy we may change for the incremental run
sshd_start >/dev/null || { echo "backup bench: sshd did not start" >&2; exit 1; }
L=("$LITECON" backup --quiet -i "$SSH_KEY" -o UserKnownHostsFile="$KH_PLAIN" -o StrictHostKeyChecking=yes)
O=(-i "$SSH_KEY" -o UserKnownHostsFile="$KH_PLAIN" -o StrictHostKeyChecking=yes -o BatchMode=yes)
R="ssh://$SSH_USER@127.0.0.1:$SSHD_PORT$src"
size=$(stat -c %s "$src")
secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>"$T/err" || { echo "failed: $* $(cat "$T/err")" >&2; }; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
"${L[@]}" "$R" "$T/warm.db" 2>/dev/null   # upload the helper, warm the cache
for r in 1 2 3; do
	rm -f "$T/full.db"
	secs "${L[@]}" "$R" "$T/full.db" >>"$T/lc"; echo >>"$T/lc"
	rm -f "$T/x.db" /tmp/litecon-bench-x.db
	secs bash -c "ssh ${O[*]} -p $SSHD_PORT $SSH_USER@127.0.0.1 \"sqlite3 '$src' '.backup /tmp/litecon-bench-x.db'\" && scp -q ${O[*]} -P $SSHD_PORT $SSH_USER@127.0.0.1:/tmp/litecon-bench-x.db '$T/x.db'" >>"$T/bs"; echo >>"$T/bs"
	secs bash -c "ssh ${O[*]} -p $SSHD_PORT $SSH_USER@127.0.0.1 cat '$src' > '$T/cat.db'" >>"$T/cat"; echo >>"$T/cat"
done
rm -f /tmp/litecon-bench-x.db
# Incremental: change ~1% of the pages (a contiguous 1% of orders), back up again over the full backup.
n=$(sqlite3 "$src" "select count(*) / 100 from orders")
for r in 1 2 3; do
	sqlite3 "$src" "update orders set updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now') where id between $((r * 100000)) and $((r * 100000 + n));"
	secs "${L[@]}" "$R" "$T/full.db" >>"$T/inc"; echo >>"$T/inc"
done
"$LITECON" backup -i "$SSH_KEY" -o UserKnownHostsFile="$KH_PLAIN" --quiet "$R" "$T/full.db" 2>"$T/last"
sshd_stop
lc=$(median <"$T/lc"); bs=$(median <"$T/bs"); ct=$(median <"$T/cat"); inc=$(median <"$T/inc")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "backup over ssh of a $((size / 1048576)) MiB database (1M orders), median of 3"
echo "  litecon backup (pull, verified)          ${lc} s"
echo "  ssh sqlite3 .backup + scp                ${bs} s   litecon ratio $(ratio "$lc" "$bs") (target <= 0.65)"
echo "  ssh cat db > x (unsafe, channel limit)   ${ct} s   litecon ratio $(ratio "$lc" "$ct") (target <= 1.2)"
echo "  litecon incremental, ~1% pages changed   ${inc} s   $(ratio "$inc" "$lc") of a full one (target <= 0.15)"
sed -n 's/^litecon: //p' "$T/last" | sed 's/^/  last: /'
