#!/usr/bin/env bash
# The one script to run on a GPU machine: install without network, run the whole
# suite on CUDA, run the GPU benchmarks, write logs under $OUT, print a summary last.
#
#   OUT=/tmp/gpu-logs bash scripts/gpu_check.sh
#
# Wheels the GPU image lacks (pydantic and its deps, polars, duckdb) may be carried
# in .whl/ (see README, "Development") and are installed from there without network.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT:-$(mktemp -d)}"
mkdir -p "$OUT"
SUMMARY="$OUT/summary.txt"
: > "$SUMMARY"
note() { echo "$*" | tee -a "$SUMMARY"; }

PY="${PYTHON:-python3}"
if compgen -G ".whl/*.whl" > /dev/null; then
    "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
        --target /tmp/site .whl/*.whl > "$OUT/wheels.log" 2>&1 \
        && note "wheels: installed $(ls .whl/*.whl | wc -l) carried wheels" \
        || note "wheels: install FAILED (see wheels.log)"
    export PYTHONPATH="/tmp/site${PYTHONPATH:+:$PYTHONPATH}"
fi
"$PY" -m pip install --no-deps --no-build-isolation -e . > "$OUT/install.log" 2>&1 \
    && note "install: ok" || { note "install: FAILED (see install.log)"; cat "$OUT/install.log"; exit 1; }

nvidia-smi > "$OUT/nvidia-smi.txt" 2>&1 || true
HEADWATER_DEVICE=cuda "$PY" -m headwater.pipelines.cli info > "$OUT/info.txt" 2>&1
note "device: $(grep -m1 -E '^ *gpu' "$OUT/info.txt" | sed 's/^ *//')"

export HEADWATER_DEVICE=cuda
timeout "${TEST_TIMEOUT:-420}" "$PY" -m pytest -q -p no:cacheprovider --maxfail=50 \
    --junitxml="$OUT/junit.xml" > "$OUT/pytest.log" 2>&1
rc=$?
note "tests (HEADWATER_DEVICE=cuda): exit $rc; $(tail -n 1 "$OUT/pytest.log")"

# GPU benchmarks: each script writes its own table; missing ones are skipped.
for bench in benchmarks/gpu_*.sh; do
    [ -e "$bench" ] || continue
    name="$(basename "$bench" .sh)"
    timeout "${BENCH_TIMEOUT:-300}" bash "$bench" > "$OUT/$name.log" 2>&1
    note "benchmark $name: exit $? (see $name.log)"
done

echo "----- summary -----"
cat "$SUMMARY"
exit $rc
