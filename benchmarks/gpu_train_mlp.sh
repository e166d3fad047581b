#!/usr/bin/env bash
# MLP training on the GPU: Headwater against PyTorch eager on the same card.
# Run by scripts/gpu_check.sh on a GPU machine; prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
"$PY" benchmarks/train_mlp.py --device cuda --runs "${RUNS:-5}" --steps "${STEPS:-200}"
