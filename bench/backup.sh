#!/usr/bin/env bash
# bench/backup.sh BUILD_DIR: a full pull of the 1M-order database over ssh
# (sshd on 127.0.0.1) against the ways people do it today, in one run:
#   litecon backup host:/db DEST
#   ssh host "sqlite3 db '.backup /tmp/x'" && scp host:/tmp/x .   (target: litecon <= 0.65x)
#   ssh host cat db > x   (the channel's own limit, and unsafe)     (target: litecon <= 1.2x)
#   an incremental re-backup with ~1% of pages changed              (target: <= 0.15x of a full one)
# plus the fixed costs every one of them pays, to read the ratios by:
#   ssh host true         (connection + the login shell's start-up)
#   quick_check of the 340 MB result on its own (what every litecon backup ends with)
#   litecon backup --compress never (loopback has no network to spare, so
#   zstd costs more CPU than it saves there)
# Then once over a slower link, the project's relay at BENCH_LINK_KBPS
# (default 25000; its pacing gives about 100 Mbit/s; 0 skips it): litecon (zstd), litecon
# --compress never, ssh cat, and the incremental re-backup.
# BENCH_ROUNDS rounds (default 5), the full pulls alternating; medians
# with min-max. Figures only. BENCH_DIR (default BUILD_DIR/bench).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
build=${1:-build}
cd "$(dirname "$0")/.."
LITECON=$build/litecon
bench=${BENCH_DIR:-$build/bench}
rounds=${BENCH_ROUNDS:-5}
link=${BENCH_LINK_KBPS:-25000}
. tests/lib.sh
. bench/sshd.inc
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
H="$SSH_USER@127.0.0.1"
R="ssh://$H:$SSHD_PORT$src"
size=$(stat -c %s "$src")
secs() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>"$T/err" || { echo "failed: $* $(cat "$T/err")" >&2; }; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'; }
stats() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "%.3f s  (%.3f-%.3f)", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, v[1], v[NR] }'; }
median() { stats "$1" | cut -d' ' -f1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
full() { rm -f "$T/full.db" "$T/.full.db.litecon-hashes"; secs "${L[@]}" "$@" "$R" "$T/full.db"; }

"${L[@]}" "$R" "$T/warm.db" 2>/dev/null   # upload the helper, warm the cache
for r in $(seq "$rounds"); do
	full >>"$T/lc"
	full --compress never >>"$T/lcn"
	rm -f "$T/x.db" /tmp/litecon-bench-x.db
	secs bash -c "ssh ${O[*]} -p $SSHD_PORT $H \"sqlite3 '$src' '.backup /tmp/litecon-bench-x.db'\" && scp -q ${O[*]} -P $SSHD_PORT $H:/tmp/litecon-bench-x.db '$T/x.db'" >>"$T/bs"
	secs bash -c "ssh ${O[*]} -p $SSHD_PORT $H cat '$src' > '$T/cat.db'" >>"$T/cat"
	secs ssh "${O[@]}" -p "$SSHD_PORT" "$H" true >>"$T/true"
done
rm -f /tmp/litecon-bench-x.db
for r in $(seq "$rounds"); do
	secs sqlite3 -readonly "$T/full.db" "pragma mmap_size=$size" "pragma quick_check" >>"$T/qc"
done
# Incremental: each round changes ~1% of the pages (a contiguous run of
# orders, as many rows as fill leaves worth 1% of the pages) and backs up
# again over the backup of the round before.
pages=$(sqlite3 "$src" "pragma page_count")
n=$(sqlite3 "$src" "select count(*) * ($pages / 100) / (select count(*) from dbstat where name = 'orders' and pagetype = 'leaf') from orders")
full >/dev/null
for r in $(seq "$rounds"); do
	lo=$(( (r * 150000) % 900000 + 1 ))
	sqlite3 "$src" "update orders set updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now') where id between $lo and $((lo + n));"
	secs "${L[@]}" "$R" "$T/full.db" >>"$T/inc"
	cp "$T/err" "$T/last"
done
if [ "$link" -gt 0 ]; then  # one round through the relay at $link kB/s
	relay_start --rate "$link" >/dev/null || { echo "backup bench: the relay did not start" >&2; exit 1; }
	R="ssh://$H:$RELAY_PORT$src"
	L=("${L[@]/$KH_PLAIN/$KH_RELAY}"); O=("${O[@]/$KH_PLAIN/$KH_RELAY}")
	full >"$T/k_lc"
	full --compress never >"$T/k_lcn"
	secs bash -c "ssh ${O[*]} -p $RELAY_PORT $H cat '$src' > '$T/cat.db'" >"$T/k_cat"
	sqlite3 "$src" "update orders set updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now') where id between 1 and $((1 + n));"
	secs "${L[@]}" "$R" "$T/full.db" >"$T/k_inc"
	relay_stop
fi
sshd_stop
sent=$(sed -n 's/.* \([0-9]*\) sent over the wire.*/\1/p' "$T/last")
lc=$(median "$T/lc"); bs=$(median "$T/bs"); ct=$(median "$T/cat"); inc=$(median "$T/inc")
echo "backup over ssh of a $((size / 1048576)) MiB database (1M orders, $pages pages), $rounds rounds, median (min-max)"
echo "  litecon backup (pull, verified)          $(stats "$T/lc")"
echo "  litecon backup --compress never          $(stats "$T/lcn")   ratios $(ratio "$(median "$T/lcn")" "$(median "$T/bs")") / $(ratio "$(median "$T/lcn")" "$(median "$T/cat")")"
echo "  ssh sqlite3 .backup + scp                $(stats "$T/bs")   litecon ratio $(ratio "$lc" "$bs") (target <= 0.65)"
echo "  ssh cat db > x (unsafe, channel limit)   $(stats "$T/cat")   litecon ratio $(ratio "$lc" "$ct") (target <= 1.2)"
echo "  litecon incremental, ${sent:-?} of $pages pages sent   $(stats "$T/inc")   $(ratio "$inc" "$lc") of a full one (target <= 0.15)"
echo "  fixed costs: ssh host true $(stats "$T/true");  quick_check of the result (mmap) $(stats "$T/qc")"
sed -n 's/^litecon: //p' "$T/last" | sed 's/^/  last: /'
if [ "$link" -gt 0 ]; then
	k=$(cat "$T/k_lc"); kn=$(cat "$T/k_lcn"); kc=$(cat "$T/k_cat"); ki=$(cat "$T/k_inc")
	mbit=$(awk -v s="$size" -v t="$kc" 'BEGIN { printf "%.0f", s * 8 / t / 1e6 }')
	echo "over a slower link (tests/tools/relay --rate $link: ssh cat moves $mbit Mbit/s through it), one round:"
	echo "  litecon backup (zstd)          $k s   ratio to ssh cat $(ratio "$k" "$kc") (target <= 1.2)"
	echo "  litecon backup --compress never $kn s"
	echo "  ssh cat db > x                 $kc s"
	echo "  litecon incremental (~1%)      $ki s   $(ratio "$ki" "$k") of a full one (target <= 0.15), $(ratio "$ki" "$kn") of an uncompressed one"
fi
