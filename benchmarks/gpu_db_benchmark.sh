#!/usr/bin/env bash
# db-benchmark groupby and join at 1e7 rows with Headwater on the GPU, side by side with
# pandas on the same machine's CPU (the issue's GPU target is a ratio to pandas). Run by
# scripts/gpu_check.sh on a GPU machine; prints the Markdown table (copy it into
# benchmarks/RESULTS.md under the issue 5 section, naming the GPU). Each question runs
# in a fresh process that loads 1e7 rows, so the whole run takes several minutes:
# give gpu_check.sh BENCH_TIMEOUT=1200, or narrow it with TASK=groupby / SOLUTIONS=.
#
#   bash benchmarks/gpu_db_benchmark.sh   # ROWS=1e7 RUNS=2 SOLUTIONS=headwater,pandas TASK=all
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
export HEADWATER_DB_BENCHMARK_DATA="${HEADWATER_DB_BENCHMARK_DATA:-/tmp/headwater-db-benchmark}"
"$PY" benchmarks/db_benchmark/run.py --device cuda --rows "${ROWS:-1e7}" --runs "${RUNS:-2}" \
    --solutions "${SOLUTIONS:-headwater,pandas}" --task "${TASK:-all}" --json "${OUT:-/tmp}/gpu_db_benchmark.json"
