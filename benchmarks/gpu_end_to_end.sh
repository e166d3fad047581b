#!/usr/bin/env bash
# End to end on the GPU: CSV -> features -> one epoch, Headwater against pandas + PyTorch.
# Run by scripts/gpu_check.sh on a GPU machine; prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
"$PY" benchmarks/end_to_end.py --device cuda --rows "${ROWS:-1000000}" --runs "${RUNS:-2}" --check
