# tests/lib.sh: helpers for the CLI test scripts. Each check prints one TAP
# line, "ok - NAME" or "not ok - NAME" (plus "# " lines explaining a
# failure); tests/run.sh counts them. Sourced by tests/cli/t_*.sh.
#   LITECON  the binary under test (default build/litecon)
#   LITECON_WRAP  a command to run it under (valgrind ...), or empty
#   T        a scratch directory, removed at exit
set -u
LITECON=${LITECON:-build/litecon}
LITECON_LOAD=${LITECON_LOAD:-$(dirname "$LITECON")/litecon-load}
T=$(mktemp -d "${TMPDIR:-/tmp}/litecon-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export LC_ALL=C.UTF-8
# tmux panes and script(1) run their command lines with $SHELL. Those lines
# are bash (printf %q's $'...'), and a Ctrl-C sent to a pane reaches the
# shell that waits for litecon too: dash then ends the pane once litecon
# exits, bash does not. CI runs with SHELL=/bin/sh.
export SHELL=/bin/bash

ok()     { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; shift; for l in "$@"; do printf '# %s\n' "$l"; done; }

# check NAME COMMAND...: passes when the command succeeds
check() {
	local name=$1; shift
	if "$@" >"$T/.out" 2>&1; then ok "$name"; else not_ok "$name" "$(head -c 2000 "$T/.out")"; fi
}

# run ARGS...: run litecon, stdout in $T/out, stderr in $T/err, status in $rc
LITECON_WRAP=${LITECON_WRAP:-}
run() { $LITECON_WRAP "$LITECON" "$@" >"$T/out" 2>"$T/err"; rc=$?; }

# expect_rc NAME RC ARGS...: litecon exits RC
expect_rc() {
	local name=$1 want=$2; shift 2
	run "$@"
	if [ "$rc" = "$want" ]; then ok "$name"; else
		not_ok "$name" "exit $rc, wanted $want" "stderr: $(head -c 600 "$T/err")"; fi
}

# expect_out NAME EXPECTED ARGS...: litecon exits 0 and prints exactly EXPECTED (plus newline)
expect_out() {
	local name=$1 want=$2; shift 2
	run "$@"
	printf '%s\n' "$want" >"$T/want"
	if [ "$rc" = 0 ] && cmp -s "$T/want" "$T/out"; then ok "$name"; else
		not_ok "$name" "exit $rc" "stderr: $(head -c 600 "$T/err")" "diff:" "$(diff "$T/want" "$T/out" | head -20)"; fi
}

# expect_err NAME RC PATTERN ARGS...: exits RC, and stderr's first line matches
# PATTERN (grep -E); stderr is that one sentence (plus the usage line for RC 2)
expect_err() {
	local name=$1 want=$2 pat=$3; shift 3
	run "$@"
	local lines max=1; lines=$(wc -l <"$T/err")
	[ "$want" = 2 ] && max=2
	if [ "$rc" = "$want" ] && head -1 "$T/err" | grep -Eq -- "$pat" && [ "$lines" -le $max ] ; then ok "$name"; else
		not_ok "$name" "exit $rc, wanted $want" "stderr ($lines lines): $(head -c 600 "$T/err")" "pattern: $pat"; fi
}

# on_tty CMD...: run CMD with a pseudo-terminal as stdout (util-linux script)
on_tty() {
	script -qec "$(printf '%q ' "$@")" /dev/null </dev/null | tr -d '\r'
}

# wal_writer DB SQL: a sqlite3 connection to DB that runs SQL without
# checkpointing and stays open (fed through a fifo on fd 9), so DB's -wal
# holds the frames; wal_writer_stop ends it.
wal_writer() {
	mkfifo "$T/wal-fifo"
	sqlite3 "$1" <"$T/wal-fifo" >/dev/null 2>&1 &
	WAL_WRITER=$!
	exec 9>"$T/wal-fifo"
	echo "pragma wal_autocheckpoint=0; $2" >&9
	for _ in $(seq 50); do [ -s "$1-wal" ] && break; sleep 0.1; done
}
wal_writer_stop() { echo "select 1;" >&9; exec 9>&-; wait "$WAL_WRITER" 2>/dev/null; rm -f "$T/wal-fifo"; }

# fixture DB SQL: make a database with the sqlite3 CLI
fixture() { sqlite3 "$1" "$2"; }
