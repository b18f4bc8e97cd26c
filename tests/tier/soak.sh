#!/usr/bin/env bash
# tests/tier/soak.sh BUILD: the short soak of `make check` (tests/soak.sh
# for SOAK_CHECK_SECONDS, default 60); `make soak` runs the long one.
cd "$(dirname "$0")/../.."
B=${1:-build}
SOAK_SECONDS=${SOAK_CHECK_SECONDS:-60} LITECON=$B/litecon LITECON_LOAD=$B/litecon-load bash tests/soak.sh
