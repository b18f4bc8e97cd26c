#!/bin/sh
# bench/stats_cpu.sh BUILD_DIR: CPU time of one `litecon stats` on the 1M-order
# demo store (issue target: <= 20 ms with a warm cache), measured while the
# load writer commits 500 orders/s, and whether the writer saw any error.
# Also prints the same figures for `sqlite3` running the equivalent queries
# for scale, and litecon's bare start-up cost. Figures only; never asserts.
#   BENCH_DIR (default BUILD_DIR/bench), BENCH_STATS_ORDERS (default 1000000),
#   BENCH_ROUNDS (default 20)
set -eu
export LC_ALL=C
build=${1:-build}
bench=${BENCH_DIR:-$build/bench}
orders=${BENCH_STATS_ORDERS:-1000000}
rounds=${BENCH_ROUNDS:-20}
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "stats_cpu: $*" >&2; exit 1; }
mkdir -p "$bench"
helper=$bench/peakrss
${CC:-cc} -O2 -std=c11 -o "$helper" "$here/peakrss.c" || die "cannot build $helper"
store=$bench/orders-$orders
if [ ! -f "$store/.complete" ]; then
	rm -rf "$store"
	echo "building a $orders-order store in $store ..."
	"$build/litecon-load" init "$store" --orders "$orders" --quiet >/dev/null || die "litecon-load init failed"
	touch "$store/.complete"
fi
# Work on a copy so the writer does not grow the cached store.
work=$bench/stats-store
rm -rf "$work"; mkdir -p "$work"
cp "$store"/*.sqlite3 "$work"/
trap 'kill $load 2>/dev/null; rm -rf "$work"' EXIT
load=""
cpu_ms() { # CMD...: median CPU ms over $rounds runs (after one warm-up)
	"$helper" -o "$bench/pr.out" -- "$@" >/dev/null 2>&1 || true
	i=0; : >"$bench/cpu.log"
	while [ $i -lt "$rounds" ]; do
		"$helper" -o "$bench/pr.out" -- "$@" >/dev/null 2>&1 || die "failed: $*"
		sed -n 's/.* cpu=\([^ ]*\) .*/\1/p' "$bench/pr.out" >>"$bench/cpu.log"
		i=$((i + 1))
	done
	sort -n "$bench/cpu.log" | awk '{ v[NR] = $1 } END { printf "%.1f", 1000 * (NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2) }'
}
base=$(cpu_ms "$build/litecon" --version)
idle=$(cpu_ms "$build/litecon" stats --json "$work")
"$build/litecon-load" run "$work" --rate 500 --quiet 2>"$bench/stats-load.err" &
load=$!
sleep 2
full=$(cpu_ms "$build/litecon" stats --json "$work")
q="select max(id) from orders; select count(*) from orders where created_at >= strftime('%Y-%m-%d %H:%M:%S','now','-1 days');
select count(*) from orders where created_at >= strftime('%Y-%m-%d %H:%M:%S','now','-1 hours');"
sq=$(cpu_ms sqlite3 -readonly "$work/production.sqlite3" "$q")
kill $load; wait $load 2>/dev/null || true
errs=$(sed -n 's/.* \([0-9]*\) errors in .*/\1/p' "$bench/stats-load.err")
echo "stats CPU, $orders-order store, warm cache, median of $rounds"
echo "  litecon stats --json, store idle          $idle ms   (target <= 20 ms)"
echo "  litecon stats --json, writer 500 orders/s $full ms"
echo "  litecon --version (start-up alone)        $base ms"
echo "  sqlite3 with three of the same queries    $sq ms"
echo "  load writer errors during the run         ${errs:-?}"
