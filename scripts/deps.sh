#!/bin/sh
# scripts/deps.sh: install the system packages litecon builds and tests with.
# Debian/Ubuntu: apt-get (as root) or sudo apt-get; elsewhere: name the packages and stop.
# Usage: scripts/deps.sh [build|test]   (test = build + what the test tiers run)
set -eu
need_build="pkg-config libsqlite3-dev libncursesw5-dev libssh2-1-dev libreadline-dev libzstd-dev"
need_test="openssh-server openssh-client tmux sqlite3 valgrind clang libclang-rt-dev sudo zstd"
want=$need_build
[ "${1:-build}" = test ] && want="$need_build $need_test"

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
	for p in $want; do
		st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		case $st in *"ok installed"*) ;; *) missing="$missing $p" ;; esac
	done
else
	echo "litecon: this is not a Debian system; install these packages with your package manager:$want" >&2
	for t in pkg-config cc; do
		command -v $t >/dev/null 2>&1 || { echo "litecon: '$t' is missing" >&2; exit 1; }
	done
	exit 0
fi
[ -z "$missing" ] && exit 0
echo "litecon: installing:$missing" >&2
if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
	echo "litecon: need root or sudo to install:$missing" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >&2
