#!/bin/sh
# bench/tui_cpu.sh BUILD_DIR: what the dashboard costs the store host. The
# TUI runs in a detached tmux at one refresh per second on the 1M-order demo
# store, its reads going through litecon-agent (--agent: the same helper a
# remote host runs, here over a pipe), while the load writer commits 500
# orders/s. Prints the helper's CPU time over the window as a share of one
# core (issue target: <= 2%), the client's, and the writer's achieved rate
# and errors (it must never wait on the dashboard). Figures only.
#   BENCH_DIR (default BUILD_DIR/bench), BENCH_STATS_ORDERS (default 1000000),
#   BENCH_TUI_SECONDS (default 60)
set -eu
export LC_ALL=C
build=${1:-build}
bench=${BENCH_DIR:-$build/bench}
orders=${BENCH_STATS_ORDERS:-1000000}
secs=${BENCH_TUI_SECONDS:-60}
die() { echo "tui_cpu: $*" >&2; exit 1; }
command -v tmux >/dev/null || die "tmux is needed (scripts/deps.sh test installs it)"
mkdir -p "$bench"
store=$bench/orders-$orders
if [ ! -f "$store/.complete" ]; then
	rm -rf "$store"
	echo "building a $orders-order store in $store ..."
	"$build/litecon-load" init "$store" --orders "$orders" --quiet >/dev/null || die "litecon-load init failed"
	touch "$store/.complete"
fi
work=$bench/tui-store
rm -rf "$work"; mkdir -p "$work"
cp "$store"/*.sqlite3 "$work"/
sock=tui-bench-$$
load=""
trap 'tmux -L $sock kill-server 2>/dev/null; [ -z "$load" ] || kill $load 2>/dev/null; rm -rf "$work"' EXIT
abs() { (cd "$(dirname "$1")" && echo "$(pwd)/$(basename "$1")"); }
lc=$(abs "$build/litecon"); agent=$(abs "$build/litecon-agent")
"$build/litecon-load" run "$work" --rate 500 --duration $((secs + 30)) 2>"$bench/tui-load.err" >/dev/null &
load=$!
tmux -L "$sock" new -d -x 120 -y 40 "env LANG=C.UTF-8 $lc --agent $agent --refresh 1 $work; sleep 5"
ticks() { # PID: utime + stime in clock ticks
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}
client=""; helper=""
for _ in $(seq 100); do
	client=$(pgrep -f "^$lc --agent" | head -1 || true)
	[ -n "$client" ] && helper=$(pgrep -P "$client" | head -1 || true)
	[ -n "$helper" ] && break
	sleep 0.1
done
[ -n "$helper" ] || die "the dashboard's helper did not start"
sleep 5  # first refresh, catalog, warm cache
h0=$(ticks "$helper"); c0=$(ticks "$client"); t0=$(date +%s.%N)
sleep "$secs"
h1=$(ticks "$helper"); c1=$(ticks "$client"); t1=$(date +%s.%N)
tmux -L "$sock" send-keys q
wait $load 2>/dev/null || true
load=""
hz=$(getconf CLK_TCK)
rate=$(sed -n 's/.*(\([0-9.]*\) orders\/s).*/\1/p' "$bench/tui-load.err")
errs=$(sed -n 's/.* \([0-9]*\) errors in .*/\1/p' "$bench/tui-load.err")
awk -v h=$((h1 - h0)) -v c=$((c1 - c0)) -v hz="$hz" -v t0="$t0" -v t1="$t1" -v n="$orders" 'BEGIN {
	w = t1 - t0
	printf "dashboard at 1 refresh/s on the %d-order store, writer at 500 orders/s, %.0f s window\n", n, w
	printf "  helper (litecon-agent) CPU   %.2f s = %.2f%% of one core   (target <= 2%%)\n", h / hz, 100 * h / hz / w
	printf "  client (litecon TUI) CPU     %.2f s = %.2f%% of one core\n", c / hz, 100 * c / hz / w
}'
echo "  load writer achieved         ${rate:-?} orders/s, ${errs:-?} errors"
