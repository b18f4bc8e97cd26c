#!/usr/bin/env bash
# tests/run.sh BUILD: run every test tier and end with "N passed, N failed".
#   unit + cli           against BUILD/
#   unit + cli again     against BUILD/san/ (ASan + UBSan)
#   valgrind             a memcheck run of the CLI tier's core cases
#   tests/tier/*.sh      further tiers (fuzz, soak), each given BUILD
# VALGRIND_ONLY=1 runs only the valgrind tier.
set -u
cd "$(dirname "$0")/.."
B=${1:-build}
pass=0 fail=0 failed_names=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT

tally() { # tier name, then a command whose stdout is TAP lines
	local tier=$1; shift
	local t0=$SECONDS
	"$@" >"$log" 2>&1
	local st=$? p f
	p=$(grep -c '^ok ' "$log"); f=$(grep -c '^not ok ' "$log")
	if [ "$st" != 0 ] && [ "$f" = 0 ]; then f=1; echo "not ok - $tier exited $st" >>"$log"; fi
	pass=$((pass + p)); fail=$((fail + f))
	printf '%-28s %4d passed %3d failed  (%ds)\n' "$tier" "$p" "$f" $((SECONDS - t0))
	if [ "$f" != 0 ]; then
		grep -A8 '^not ok' "$log" | sed 's/^/    /' | head -60
		failed_names+=("$tier")
	fi
}

cli_tier() { # BUILD dir
	local b=$1 t st=0
	for t in tests/cli/t_*.sh; do
		# The fixture's own test runs no litecon: once is enough.
		case $t in */t_fixture.sh) [ "$b" = "$B" ] || continue ;; esac
		echo "# $t"
		LITECON=$b/litecon LITECON_LOAD=$b/litecon-load bash "$t" || st=1
	done
	return $st
}

valgrind_tier() {
	LITECON_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect" \
		LITECON=$B/litecon bash tests/valgrind.sh
}

if [ "${VALGRIND_ONLY:-0}" = 1 ]; then
	tally "valgrind" valgrind_tier
else
	tally "unit" "$B/unit"
	tally "cli" cli_tier "$B"
	export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
	tally "unit (asan+ubsan)" "$B/san/unit"
	tally "cli (asan+ubsan)" cli_tier "$B/san"
	tally "valgrind" valgrind_tier
	# More tiers, one file each (fuzz, soak): tests/tier/NAME.sh BUILD, TAP out.
	for t in tests/tier/*.sh; do
		[ -e "$t" ] || continue
		tally "$(basename "$t" .sh)" bash "$t" "$B"
	done
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
