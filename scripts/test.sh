#!/usr/bin/env bash
# The second command: build and run every test — unit, figure fixtures, import, CLI and server end
# to end (ctest), then the browser tests (web/e2e: Debian chromium driven by playwright-core
# against `taizhang serve` on a fresh demo database; the test starts and stops the server itself).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
scripts/build-web.sh
# The store and figure tests run on both SQLite and PostgreSQL. For PostgreSQL, a throwaway server
# (scripts/pg_temp.sh: its own initdb in a temporary directory, a free port on 127.0.0.1) on which
# the tests create one database per test; TZ_TEST_PG is its URL, and TZ_TEST_PG_REQUIRED=1 makes
# a test fail, rather than skip, when it cannot reach it. Stopped by PID and removed on every
# exit, failure and Ctrl+C included.
pg_temp="$PWD/scripts/pg_temp.sh"
pg_dir=$(mktemp -d -t taizhang-pg.XXXXXX)
trap '"$pg_temp" stop "$pg_dir" || true; rm -rf "$pg_dir"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
TZ_TEST_PG=$("$pg_temp" start "$pg_dir")
export TZ_TEST_PG TZ_TEST_PG_REQUIRED=1
ctest --test-dir build --output-on-failure -j "$(nproc)"
TAIZHANG_BIN="$PWD/build/src/cli/taizhang" npm --prefix web run test:e2e
