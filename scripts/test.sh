#!/usr/bin/env bash
# The second command: build and run every test — unit, figure fixtures, import, CLI and server end
# to end (ctest), then the browser tests (web/e2e: Debian chromium driven by playwright-core
# against `taizhang serve` on a fresh demo database; the test starts and stops the server itself).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
scripts/build-web.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"
TAIZHANG_BIN="$PWD/build/src/cli/taizhang" npm --prefix web run test:e2e
