#!/bin/sh
# bench/run.sh [BUILD_DIR]: run every bench/*.sh benchmark in turn with BUILD_DIR (default: build).
# `make bench` builds BUILD_DIR/litecon and BUILD_DIR/litecon-load, then runs this.
# Benchmarks print figures and never assert times; the exit status is nonzero only if one failed.
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
failed=""
for b in "$here"/*.sh; do
	name=$(basename "$b" .sh)
	[ "$name" = run ] && continue
	echo "== $name"
	sh "$b" "$build" || failed="$failed $name"
done
if [ -n "$failed" ]; then
	echo "bench: failed:$failed" >&2
	exit 1
fi
exit 0
