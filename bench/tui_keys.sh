#!/bin/sh
# bench/tui_keys.sh BUILD_DIR: how fast the dashboard answers a key while a
# query is in flight (issue target: within 50 ms). In a detached tmux on the
# 1M-order demo store, a grid filter that matches nothing makes the host
# scan every order; while that runs, `?` is sent and the pane is polled
# until the help is drawn. The figure includes tmux's own send-keys and
# capture-pane round trips, so it is an upper bound. Figures only.
#   BENCH_DIR (default BUILD_DIR/bench), BENCH_STATS_ORDERS (default 1000000),
#   BENCH_ROUNDS (default 7)
set -eu
export LC_ALL=C
build=${1:-build}
bench=${BENCH_DIR:-$build/bench}
orders=${BENCH_STATS_ORDERS:-1000000}
rounds=${BENCH_ROUNDS:-7}
die() { echo "tui_keys: $*" >&2; exit 1; }
command -v tmux >/dev/null || die "tmux is needed (scripts/deps.sh test installs it)"
mkdir -p "$bench"
store=$bench/orders-$orders
if [ ! -f "$store/.complete" ]; then
	rm -rf "$store"
	echo "building a $orders-order store in $store ..."
	"$build/litecon-load" init "$store" --orders "$orders" --quiet >/dev/null || die "litecon-load init failed"
	touch "$store/.complete"
fi
sock=tui-keys-$$
trap 'tmux -L $sock kill-server 2>/dev/null' EXIT
lc=$(cd "$(dirname "$build/litecon")" && pwd)/litecon
klog=$(cd "$bench" && pwd)/keys.log
: >"$klog"
tmux -L "$sock" new -d -x 120 -y 40 "env LANG=C.UTF-8 LITECON_KEYLOG=$klog $lc $store; sleep 5"
has() { tmux -L "$sock" capture-pane -p | grep -q -- "$1"; }
wait_has() { i=0; while ! has "$1"; do i=$((i + 1)); [ $i -lt 3000 ] || die "no '$1' on screen"; sleep 0.01; done; }
wait_has 'Orders'
tmux -L "$sock" send-keys : ; tmux -L "$sock" send-keys -l "table orders"; tmux -L "$sock" send-keys Enter
wait_has 'row 1 of page 1'
: >"$bench/keys.ms"; : >"$bench/keys.inner"
# what tmux itself costs: a key to `cat` and back, in the same way
tmux -L "$sock" new-window -d -n echo "cat"
sleep 0.3
: >"$bench/keys.tmux"
for k in a b c d e; do
	t0=$(date +%s%N); tmux -L "$sock" send-keys -t echo "$k"
	until tmux -L "$sock" capture-pane -p -t echo | grep -q "$k"; do sleep 0.01; done
	echo $(( ($(date +%s%N) - t0) / 1000000 )) >>"$bench/keys.tmux"
done
n=0
while [ $n -lt "$rounds" ]; do
	tmux -L "$sock" send-keys / ; tmux -L "$sock" send-keys -l "no such text $n"; tmux -L "$sock" send-keys Enter
	wait_has 'running'
	lines=$(wc -l <"$klog")
	t0=$(date +%s%N)
	tmux -L "$sock" send-keys '?'
	wait_has 'Everywhere'
	t1=$(date +%s%N)
	inner=$(tail -n +$((lines + 1)) "$klog" | sort -n | tail -1)
	echo "$inner" >>"$bench/keys.inner"
	tmux -L "$sock" send-keys Escape   # leave the help
	wait_has 'main.orders'
	running=no; has 'running' && running=yes
	echo "$(( (t1 - t0) / 1000000 )) $running" >>"$bench/keys.ms"
	tmux -L "$sock" send-keys Escape   # cancel the scan
	sleep 0.5
	n=$((n + 1))
done
busy=$(awk '$2 == "yes"' "$bench/keys.ms" | wc -l)
med=$(sort -n "$bench/keys.ms" | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2) }')
max=$(sort -n "$bench/keys.ms" | tail -1 | cut -d' ' -f1)
imed=$(sort -n "$bench/keys.inner" | awk '{ v[NR] = $1 } END { printf "%.1f", (NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2) / 1000 }')
imax=$(sort -n "$bench/keys.inner" | tail -1 | awk '{ printf "%.1f", $1 / 1000 }')
tmed=$(sort -n "$bench/keys.tmux" | awk '{ v[NR] = $1 } END { print v[int((NR+1)/2)] }')
echo "key to screen while the host scans $orders orders, median of $rounds"
echo "  ? -> help drawn, inside litecon  median $imed ms, max $imax ms (target <= 50 ms)"
echo "  ? -> help drawn, seen via tmux   median $med ms, max $max ms (tmux's own key-to-screen: $tmed ms)"
echo "  the scan still running   in $busy of $rounds rounds when the help was drawn"
