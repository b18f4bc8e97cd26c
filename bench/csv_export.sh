#!/bin/sh
# bench/csv_export.sh BUILD_DIR: export `SELECT * FROM orders` as CSV with litecon and with
# `sqlite3 -readonly -csv`, interleaved, and print the median wall times, their ratio and peak RSS.
#
#   BUILD_DIR      where litecon and litecon-load are (default: build)
#   BENCH_DIR      where the stores and the timing helper are cached (default: BUILD_DIR/bench)
#   BENCH_ORDERS   store sizes to run, in orders (default: "100000 1000000")
#   BENCH_ROUNDS   timed runs of each tool per size (default: 5)
#
# For each size: make the store once with `litecon-load init` (reused on later runs; delete
# BENCH_DIR to rebuild it), check the two outputs are byte-identical (cmp), run one untimed
# warm-up of each, then BENCH_ROUNDS rounds alternating litecon, sqlite3, litecon, sqlite3 ...
# with the output to /dev/null. Timing is by bench/peakrss.c (fork/exec + wait4: CLOCK_MONOTONIC
# wall, rusage CPU and ru_maxrss), built here with cc.
#
# Figures only: nothing here asserts a time or a size (shared machines are noisy). The exit
# status is 0 unless a command failed.
set -eu
export LC_ALL=C

build=${1:-build}
bench=${BENCH_DIR:-$build/bench}
sizes=${BENCH_ORDERS:-100000 1000000}
rounds=${BENCH_ROUNDS:-5}
here=$(cd "$(dirname "$0")" && pwd)
litecon=$build/litecon
load=$build/litecon-load

die() { echo "csv_export: $*" >&2; exit 1; }
[ -x "$litecon" ] || die "$litecon is missing (run make first)"
[ -x "$load" ] || die "$load is missing (run make first)"
command -v sqlite3 >/dev/null 2>&1 || die "sqlite3 is not installed (scripts/deps.sh test)"
case $rounds in '' | *[!0-9]* | 0) die "BENCH_ROUNDS must be a positive integer" ;; esac
mkdir -p "$bench"

# The timing helper (a fraction of a second to build; always rebuilt so it matches its source).
helper=$bench/peakrss
${CC:-cc} -O2 -std=c11 -o "$helper" "$here/peakrss.c" || die "cannot build $helper"

stat=$bench/peakrss.out
lc_out=$bench/out.litecon.csv
sq_out=$bench/out.sqlite3.csv
trap 'rm -f "$lc_out" "$sq_out"' EXIT
# timed LABEL CMD...: run CMD with its output to /dev/null; append "LABEL wall cpu maxrss_kb" to $log.
timed() {
	label=$1; shift
	if ! "$helper" -o "$stat" -- "$@" >/dev/null; then
		die "failed: $* ($(cat "$stat" 2>/dev/null))"
	fi
	sed -n 's/^wall=\([^ ]*\) .* cpu=\([^ ]*\) maxrss_kb=\([^ ]*\) .*/\1 \2 \3/p' "$stat" |
		{ read -r w c m; echo "$label $w $c $m"; } >>"$log"
}
# median LABEL FIELD: median of column FIELD (2 wall, 3 cpu) over the LABEL lines of $log.
median() {
	awk -v l="$1" '$1 == l { print $'"$2"' }' "$log" | sort -n |
		awk '{ v[NR] = $1 } END { if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m }'
}
minmax() {
	awk -v l="$1" '$1 == l { if (n++ == 0 || $2 < lo) lo = $2; if ($2 > hi) hi = $2 }
		END { printf "%.3f-%.3f", lo, hi }' "$log"
}
peak_mb() {
	awk -v l="$1" '$1 == l && $4 > m { m = $4 } END { printf "%.1f", m / 1024 }' "$log"
}

rss_summary=""
for n in $sizes; do
	case $n in '' | *[!0-9]*) die "BENCH_ORDERS: '$n' is not a number" ;; esac
	dir=$bench/orders-$n
	db=$dir/production.sqlite3
	if [ -f "$dir/.complete" ] && [ -f "$db" ]; then
		made="reused"
	else
		echo "csv_export: building a $n-order store in $dir (once; it is cached) ..." >&2
		rm -f "$dir/.complete"
		"$load" init "$dir" --orders "$n" --force --quiet || die "litecon-load init $dir failed"
		: >"$dir/.complete"
		made="built"
	fi
	rows=$(sqlite3 -init /dev/null -readonly "$db" "SELECT count(*) FROM orders") ||
		die "cannot count the orders in $db"

	sql="SELECT * FROM orders"

	# Same bytes? (This first pass also brings the store into the page cache.)
	"$litecon" -csv "$db" "$sql" >"$lc_out" || die "failed: $litecon -csv $db \"$sql\""
	sqlite3 -init /dev/null -readonly -csv "$db" "$sql" >"$sq_out" || die "failed: sqlite3 -readonly -csv $db \"$sql\""
	bytes=$(wc -c <"$sq_out" | tr -d ' ')
	if diff=$(cmp "$lc_out" "$sq_out" 2>&1); then
		same="identical (cmp: $bytes bytes)"
	else
		same="DIFFERENT: $diff (litecon $(wc -c <"$lc_out" | tr -d ' ') bytes, sqlite3 $bytes bytes)"
	fi
	rm -f "$lc_out" "$sq_out"

	log=$bench/csv_export-$n.log
	: >"$log"
	# One untimed warm-up each, then the interleaved rounds.
	"$litecon" -csv "$db" "$sql" >/dev/null || die "failed: $litecon -csv $db \"$sql\""
	sqlite3 -init /dev/null -readonly -csv "$db" "$sql" >/dev/null || die "failed: sqlite3 -readonly -csv $db \"$sql\""
	i=0
	while [ "$i" -lt "$rounds" ]; do
		timed litecon "$litecon" -csv "$db" "$sql"
		timed sqlite3 sqlite3 -init /dev/null -readonly -csv "$db" "$sql"
		i=$((i + 1))
	done

	sq_med=$(median sqlite3 2)
	lc_med=$(median litecon 2)
	ratio=$(awk -v a="$lc_med" -v b="$sq_med" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
	cpu_ratio=$(awk -v a="$(median litecon 3)" -v b="$(median sqlite3 3)" \
		'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
	mb=$(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1048576 }')

	echo "csv export, $n orders ($mb MB of CSV), $rounds rounds alternating"
	echo "  store                    $db ($rows orders, $made)"
	echo "  output                   $same"
	printf '  %-24s median %s s  (%s)   cpu %s s   peak RSS %s MB\n' "sqlite3 -readonly -csv" \
		"$sq_med" "$(minmax sqlite3)" "$(median sqlite3 3)" "$(peak_mb sqlite3)"
	printf '  %-24s median %s s  (%s)   cpu %s s   peak RSS %s MB\n' "litecon -csv" \
		"$lc_med" "$(minmax litecon)" "$(median litecon 3)" "$(peak_mb litecon)"
	printf '  %-24s %s  (target <= 1.10)   cpu ratio %s\n' "ratio litecon/sqlite3" "$ratio" "$cpu_ratio"
	echo
	rss_summary="$rss_summary  $n orders: $(peak_mb litecon) MB"
done
echo "litecon peak RSS by store size:$rss_summary  (target <= 16 MB at any size)"
echo "(wall times: median, min-max in brackets; cpu: median user+sys; MB = 2^20 bytes; ru_maxrss)"
