#!/usr/bin/env bash
# Builds and runs the benchmarks in bench/ (not part of the test suite: timings are measured and
# printed against DESIGN.md's budgets; only the HTTP bench, last, turns a miss into exit 1).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
./build/bench/report_bench --benchmark_min_time=1 "$@"
./build/bench/import_bench "$@"
./build/bench/xlsx_import_bench
# A city (200 towns of 宜春市) on SQLite beside PostgreSQL, and the batched planner against one
# query per aggregate (about 15 minutes on 2 cores): on a throwaway
# PostgreSQL server (scripts/pg_temp.sh), stopped by PID whatever happens.
pg_dir=$(mktemp -d -t taizhang-bench-pg.XXXXXX)
trap 'scripts/pg_temp.sh stop "$pg_dir" || true; rm -rf "$pg_dir"' EXIT
./build/bench/scale_bench --pg "$(scripts/pg_temp.sh start "$pg_dir")"
# The HTTP budget (p99 < 20 ms for a 50-row ledger page at 64 connections), beside nginx serving
# the same bytes. It exits 1 when the budget is missed, and so does this script.
if command -v wrk >/dev/null && { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; }; then
  bench/http_bench.sh
else
  echo "http_bench: skipped, wrk or nginx is missing (scripts/deps.sh installs wrk and nginx-light)"
fi
