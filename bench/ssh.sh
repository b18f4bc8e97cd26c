#!/usr/bin/env bash
# bench/ssh.sh BUILD_DIR: litecon over SSH against OpenSSH + sqlite3, side by
# side in one run, on a throwaway sshd on 127.0.0.1 (tests/ssh/fixture.sh):
#   warm latency   many queries in one litecon connection, per query, vs
#                  `ssh host sqlite3 -json db q` through a ControlMaster (target <= 0.05x)
#   cold one-liner `litecon host:/db q` vs `ssh host sqlite3 db q`       (target <= 1.0x)
#   CSV export     1M orders vs `ssh host sqlite3 -csv db q`             (target <= 1.0x)
#   peak RSS       litecon <= 16 MB, litecon-agent on the host <= 10 MB
# Figures only; nothing is asserted. BENCH_DIR (default BUILD_DIR/bench).
set -u
build=${1:-build}
cd "$(dirname "$0")/.."
LITECON=$build/litecon
bench=${BENCH_DIR:-$build/bench}
. tests/lib.sh
. bench/sshd.inc
export LITECON_AGENT=$build/litecon-agent
mkdir -p "$bench"
cc -O2 -std=c11 -o "$bench/peakrss" bench/peakrss.c || exit 1
store=$bench/orders-1000000
if [ ! -f "$store/.complete" ]; then
	rm -rf "$store"; "$build/litecon-load" init "$store" --orders 1000000 --quiet >/dev/null || exit 1
	touch "$store/.complete"
fi
db=$(realpath "$store")/production.sqlite3
sshd_start >/dev/null || { echo "ssh bench: sshd did not start" >&2; exit 1; }
R="ssh://$SSH_USER@127.0.0.1:$SSHD_PORT$db"
L=("$LITECON" -i "$SSH_KEY" -o UserKnownHostsFile="$KH_PLAIN" -o StrictHostKeyChecking=yes)
O=(ssh -i "$SSH_KEY" -o UserKnownHostsFile="$KH_PLAIN" -o StrictHostKeyChecking=yes -o BatchMode=yes -p "$SSHD_PORT" "$SSH_USER@127.0.0.1")
"${L[@]}" "$R" "select 1" >/dev/null || { echo "ssh bench: litecon cannot connect" >&2; exit 1; }  # uploads the helper

secs() { "$bench/peakrss" -o "$bench/pr" -- "$@" >/dev/null 2>&1; sed -n 's/^wall=\([^ ]*\) .*maxrss_kb=\([^ ]*\) .*/\1 \2/p' "$bench/pr"; }
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.4f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Warm latency.
N=300
: >"$bench/q1.sql"; : >"$bench/qn.sql"
echo "select id, status, total from orders where id = 1;" >"$bench/q1.sql"
for i in $(seq $N); do echo "select id, status, total from orders where id = $((i * 3000));"; done >"$bench/qn.sql"
for r in 1 2 3; do
	set -- $(secs "${L[@]}" -json -f "$bench/q1.sql" "$R"); echo "$1" >>"$bench/w1"
	set -- $(secs "${L[@]}" -json -f "$bench/qn.sql" "$R"); echo "$1" >>"$bench/wn"
done
t1=$(median <"$bench/w1"); tn=$(median <"$bench/wn")
lc_q=$(awk -v a="$t1" -v b="$tn" -v n=$N 'BEGIN { printf "%.6f", (b - a) / (n - 1) }')
"${O[@]}" -o ControlMaster=yes -o ControlPath="$T/cm" -o ControlPersist=60 -fN
for i in $(seq 20); do set -- $(secs "${O[@]}" -o ControlPath="$T/cm" sqlite3 -json "$db" "'select id, status, total from orders where id = $((i * 3000))'"); echo "$1"; done >"$bench/cm"
cm_q=$(median <"$bench/cm")
"${O[@]}" -o ControlPath="$T/cm" -O exit 2>/dev/null

# Cold one-liners.
for r in 1 2 3 4 5; do
	set -- $(secs "${L[@]}" "$R" "select count(*) from orders where status = 'paid'"); echo "$1" >>"$bench/cl"
	set -- $(secs "${O[@]}" sqlite3 "$db" "\"select count(*) from orders where status = 'paid'\""); echo "$1" >>"$bench/co"
done
cl=$(median <"$bench/cl"); co=$(median <"$bench/co")

# CSV export of 1M orders, with the helper's peak RSS sampled on the host.
watch_agent() { # print the highest VmHWM (kB) of litecon-agent processes until told to stop
	local max=0 v
	while [ ! -e "$bench/stop" ]; do
		for p in $(pgrep -f "\.cache/litecon/.*/litecon-agent"); do
			v=$(awk '/^VmHWM/ { print $2 }' "/proc/$p/status" 2>/dev/null); [ -n "$v" ] && [ "$v" -gt "$max" ] && max=$v
		done
		sleep 0.05
	done
	echo "$max" >"$bench/agent_hwm"
}
: >"$bench/el"; : >"$bench/eo"; : >"$bench/er"
for r in 1 2 3; do
	rm -f "$bench/stop"; watch_agent & wpid=$!
	set -- $(secs "${L[@]}" -csv "$R" "select * from orders"); echo "$1" >>"$bench/el"; echo "$2" >>"$bench/er"
	touch "$bench/stop"; wait $wpid; cat "$bench/agent_hwm" >>"$bench/ea"
	set -- $(secs "${O[@]}" sqlite3 -csv "$db" "'select * from orders'"); echo "$1" >>"$bench/eo"
done
el=$(median <"$bench/el"); eo=$(median <"$bench/eo")
rss=$(sort -n "$bench/er" | tail -1); arss=$(sort -n "$bench/ea" | tail -1)
"${L[@]}" -csv "$R" "select * from orders" | cmp -s - <(sqlite3 -readonly -csv "$db" "select * from orders") && same=identical || same=DIFFERENT
sshd_stop
rm -f "$bench"/w1 "$bench"/wn "$bench"/cm "$bench"/cl "$bench"/co "$bench"/el "$bench"/eo "$bench"/er "$bench"/ea "$bench/stop"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
echo "litecon over ssh vs OpenSSH + sqlite3 (sshd on 127.0.0.1, 1M-order store)"
printf '  warm query   litecon %.2f ms/query (one connection, %d queries) vs ControlMaster ssh+sqlite3 %.1f ms: ratio %s (target <= 0.05)\n' \
	"$(awk -v v="$lc_q" 'BEGIN{print v*1000}')" $N "$(awk -v v="$cm_q" 'BEGIN{print v*1000}')" "$(ratio "$lc_q" "$cm_q")"
printf '  cold query   litecon %.3f s vs ssh host sqlite3 %.3f s: ratio %s (target <= 1.0)\n' "$cl" "$co" "$(ratio "$cl" "$co")"
printf '  CSV export   litecon %.3f s vs ssh host sqlite3 -csv %.3f s: ratio %s (target <= 1.0); output %s\n' "$el" "$eo" "$(ratio "$el" "$eo")" "$same"
printf '  peak RSS     litecon %.1f MB (target <= 16), litecon-agent on the host %.1f MB (target <= 10)\n' \
	"$(awk -v k="$rss" 'BEGIN{print k/1024}')" "$(awk -v k="$arss" 'BEGIN{print k/1024}')"
