#!/usr/bin/env bash
# Builds and runs the benchmarks in bench/ (not part of the test suite: timings are measured and
# printed against DESIGN.md's budgets, never asserted).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
./build/bench/report_bench --benchmark_min_time=1 "$@"
./build/bench/import_bench "$@"
./build/bench/xlsx_import_bench
