#!/usr/bin/env bash
# tests/tier/fuzz.sh BUILD: the short fuzz run of `make check`. Builds the
# libFuzzer targets (mk/fuzz.mk: make fuzz-build) and runs each one for
# FUZZ_CHECK_SECONDS (default 10) from its seed corpus, tests/fuzz/corpus/
# NAME/, which holds a regression input for every bug the fuzzers found:
# each is replayed first. One TAP line per target, with its runs and
# runs per second. A crash, a leak, UB or a broken oracle is "not ok",
# with the sanitizer's report; the input is kept in BUILD/fuzz/crash/.
# `make fuzz` is the long run (FUZZ_SECONDS, default 300 per target).
set -u
cd "$(dirname "$0")/../.."
B=${1:-build}
secs=${FUZZ_CHECK_SECONDS:-10}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/litecon-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

if ! command -v clang >/dev/null 2>&1; then
	echo "not ok - fuzz: clang is not installed (scripts/deps.sh test installs it)"
	exit 0
fi
if ! make -s --no-print-directory BUILD="$B" fuzz-build >"$scratch/build.log" 2>&1; then
	echo "not ok - fuzz targets build"
	grep -v '^clang \|^ar ' "$scratch/build.log" | head -30 | sed 's/^/# /'
	exit 0
fi
echo "ok - fuzz targets build"

# Why a target failed: the sanitizer's or libFuzzer's report, briefly.
report() {
	grep -E -A14 '^==[0-9]+==ERROR|runtime error|^mode |deadly signal|timeout after|out-of-memory' "$1" |
		grep -v '^    #[0-9]* 0x[0-9a-f]* in fuzzer::' | head -30 | sed 's/^/# /'
	grep -E 'Test unit written' "$1" | sed 's/^/# /'
}

mkdir -p "$B/fuzz/crash"
for src in tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c); t=${t#fuzz_}
	bin=$B/fuzz/fuzz_$t
	if [ ! -x "$bin" ]; then
		if [ "$t" = theme ] && [ ! -e src/tui/theme.c ]; then
			echo "ok - fuzz $t # SKIP src/tui/theme.c is not in this tree"
		else
			echo "not ok - fuzz $t: $bin was not built"
		fi
		continue
	fi
	log=$B/fuzz/$t.check.log
	mkdir -p "$scratch/$t"
	"$bin" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$B/fuzz/crash/$t-" "$scratch/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1
	st=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	seeds=$(find "tests/fuzz/corpus/$t" -type f | wc -l)
	if [ "$st" = 0 ] && [ -n "$runs" ]; then
		echo "ok - fuzz $t: $seeds seeds replayed, $runs runs in ${secs} s ($rate/s), no crash, leak or UB"
	else
		echo "not ok - fuzz $t: exit $st after ${runs:-?} runs (log: $log)"
		report "$log"
	fi
done
