#!/usr/bin/env bash
# db-benchmark groupby and join at 1e7 rows with Headwater on the GPU, side by side with
# pandas (and Polars/DuckDB where installed) on the same machine's CPU. Run by
# scripts/gpu_check.sh on a GPU machine; prints the Markdown table (copy it into
# benchmarks/RESULTS.md under the issue 5 section, naming the GPU).
#
#   bash benchmarks/gpu_db_benchmark.sh            # RUNS=2 ROWS=1e7 by default
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
export HEADWATER_DB_BENCHMARK_DATA="${HEADWATER_DB_BENCHMARK_DATA:-/tmp/headwater-db-benchmark}"
"$PY" benchmarks/db_benchmark/run.py --device cuda --rows "${ROWS:-1e7}" --runs "${RUNS:-2}" \
    --json "${OUT:-/tmp}/gpu_db_benchmark.json"
