#!/usr/bin/env bash
# The second command: build and run every test (unit, figure fixtures, import, CLI end to end).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"
