#!/usr/bin/env bash
# The one script to run on a lent GPU machine, within about 5 minutes in all:
# offline install, the whole suite with HEADWATER_DEVICE=cuda on 8 workers (one shared
# CuPy kernel cache, a per-test timeout), then a short benchmark pass against pandas and
# PyTorch on the same machine (warm-up, then the median of 3). It writes at most 8 files
# under $OUT: summary.txt, gpu_results.md (ready to paste into benchmarks/RESULTS.md),
# failed.txt, logs.tar.gz (every log), junit.xml.
#
#   OUT=/tmp/gpu-logs bash scripts/gpu_check.sh                # the full check
#   OUT=/tmp/gpu-logs bash scripts/gpu_check.sh --rerun-failed # only last run's failures (<= 3 min)
#   HEADWATER_DEVICE=cpu bash scripts/gpu_check.sh --dry-run   # proves the script on the CPU
#
# The kernel cache and the failure list live in .gpu-logs/ (git-ignored), which the lent
# machine keeps between calls while it stays warm, so a second run reuses both. Wheels
# the GPU image lacks (pydantic and its deps, polars, duckdb, pytest-timeout) may be
# carried in .whl/ (see README, "Development") and are installed without network.
set -uo pipefail
cd "$(dirname "$0")/.."
MODE=full
for arg in "$@"; do
    case "$arg" in
        --rerun-failed) MODE=rerun ;;
        --dry-run) MODE=dry ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "gpu_check.sh: unknown argument $arg (use --rerun-failed or --dry-run)" >&2; exit 2 ;;
    esac
done

OUT="${OUT:-$(mktemp -d)}"
STATE="$PWD/.gpu-logs"
LOGS="$STATE/logs"
mkdir -p "$OUT" "$LOGS"
rm -f "$LOGS"/*.log
SUMMARY="$OUT/summary.txt"
RESULTS="$OUT/gpu_results.md"
: > "$SUMMARY"
note() { echo "$*" | tee -a "$SUMMARY"; }
START=$(date +%s)
elapsed() { echo $(( $(date +%s) - START ))s; }

PY="${PYTHON:-python3}"
if [ "$MODE" = dry ]; then
    export HEADWATER_DEVICE="${HEADWATER_DEVICE:-cpu}"
    WORKERS=2; TEST_TIMEOUT=240; PER_TEST=120
    SELECT=(tests/tensor tests/autograd/test_autograd_engine.py)
    ROWS_DB=1e5; ROWS_E2E=20000; STEPS=20; RUNS=1; LIMIT_SCALE=6
    GROUPBY_Q=q1; JOIN_Q=q1
else
    export HEADWATER_DEVICE=cuda
    WORKERS="${WORKERS:-8}"; TEST_TIMEOUT="${TEST_TIMEOUT:-170}"; PER_TEST="${PER_TEST:-60}"
    SELECT=()
    ROWS_DB="${ROWS_DB:-1e7}"; ROWS_E2E="${ROWS_E2E:-1000000}"; STEPS="${STEPS:-200}"; RUNS=3
    LIMIT_SCALE=1; GROUPBY_Q="${GROUPBY_Q:-q1,q3,q5,q7,q10}"; JOIN_Q="${JOIN_Q:-q1,q3,q5}"
fi
note "mode: $MODE, device: $HEADWATER_DEVICE, workers: $WORKERS"

# -- offline install --------------------------------------------------------------------
if compgen -G ".whl/*.whl" > /dev/null; then
    "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
        --target /tmp/site .whl/*.whl > "$LOGS/wheels.log" 2>&1 \
        && note "wheels: installed $(ls .whl/*.whl | wc -l) carried wheels" \
        || note "wheels: install FAILED (see wheels.log)"
    export PYTHONPATH="/tmp/site${PYTHONPATH:+:$PYTHONPATH}"
fi
if ! "$PY" -c "import headwater" > /dev/null 2>&1; then
    "$PY" -m pip install --no-deps --no-build-isolation -e . > "$LOGS/install.log" 2>&1 \
        && note "install: ok" || { note "install: FAILED (see install.log)"; cat "$LOGS/install.log"; exit 1; }
fi
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"

# One CuPy kernel cache for every worker and every run.
export CUPY_CACHE_DIR="$STATE/cupy-cache"
mkdir -p "$CUPY_CACHE_DIR"

nvidia-smi > "$LOGS/nvidia-smi.log" 2>&1 || true
"$PY" -m headwater.pipelines.cli info > "$LOGS/info.log" 2>&1
note "card: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -n 1 || echo none)"
note "cupy: $("$PY" -c 'import cupy; print(cupy.__version__, "CUDA runtime", cupy.cuda.runtime.runtimeGetVersion())' 2>/dev/null || echo 'not importable')"

# -- the suite --------------------------------------------------------------------------
PYTEST=("$PY" -m pytest -q -p no:cacheprovider -rs --junitxml="$OUT/junit.xml")
"$PY" -c "import xdist" 2>/dev/null && PYTEST+=(-n "$WORKERS") || note "pytest-xdist missing: tests run serially"
"$PY" -c "import pytest_timeout" 2>/dev/null && PYTEST+=(--timeout "$PER_TEST") \
    || note "pytest-timeout missing: no per-test timeout (carry its wheel in .whl/)"
if [ "$MODE" = rerun ]; then
    if [ ! -s "$STATE/failed.txt" ]; then
        note "rerun: no failures recorded in .gpu-logs/failed.txt; nothing to rerun"
        exit 0
    fi
    mapfile -t SELECT < "$STATE/failed.txt"
    TEST_TIMEOUT="${TEST_TIMEOUT_RERUN:-160}"
    note "rerun: ${#SELECT[@]} tests from the last run"
fi
timeout "$TEST_TIMEOUT" "${PYTEST[@]}" "${SELECT[@]}" > "$LOGS/pytest.log" 2>&1
rc=$?
[ $rc -eq 124 ] && note "tests: stopped by the $TEST_TIMEOUT s limit"
grep -E '^(FAILED|ERROR) ' "$LOGS/pytest.log" | sed -E 's/^(FAILED|ERROR) //; s/ - .*//' | sort -u > "$STATE/failed.txt"
cp "$STATE/failed.txt" "$OUT/failed.txt"
note "tests: exit $rc; $(tail -n 1 "$LOGS/pytest.log"); $(wc -l < "$STATE/failed.txt") failed ($(elapsed))"

# -- benchmarks (not in rerun mode) -------------------------------------------------------
{
    echo "## GPU check ($(date -u +%Y-%m-%d))"
    echo
    echo "Card: $(grep '^card:' "$SUMMARY" | cut -d' ' -f2-). $(grep '^cupy:' "$SUMMARY")."
    echo "Tests: $(grep '^tests:' "$SUMMARY" | cut -d' ' -f2-)."
    echo
} > "$RESULTS"
bench() {  # name, seconds, command...
    local name="$1" limit=$(( $2 * LIMIT_SCALE )); shift 2
    timeout "$limit" "$@" > "$LOGS/$name.log" 2>&1
    local status=$?
    note "benchmark $name: exit $status ($(elapsed))"
    { echo "### $name"; echo; echo '```'; tail -n 25 "$LOGS/$name.log"; echo '```'; echo; } >> "$RESULTS"
}
if [ "$MODE" != rerun ]; then
    DEV="$HEADWATER_DEVICE"; [ "$DEV" = cuda ] || DEV=cpu
    bench db_groupby "${BENCH_DB_TIMEOUT:-70}" "$PY" benchmarks/db_benchmark/run.py --device "$DEV" \
        --rows "$ROWS_DB" --runs "$RUNS" --task groupby --questions "$GROUPBY_Q" --solutions headwater,pandas
    bench db_join "${BENCH_DB_TIMEOUT:-70}" "$PY" benchmarks/db_benchmark/run.py --device "$DEV" \
        --rows "$ROWS_DB" --runs "$RUNS" --task join --questions "$JOIN_Q" --solutions headwater,pandas
    for batch in 256 32; do
        bench "train_mlp_b$batch" "${BENCH_MLP_TIMEOUT:-40}" "$PY" benchmarks/train_mlp.py --device "$DEV" \
            --runs "$RUNS" --steps "$STEPS" --batch "$batch"
    done
    for extra in benchmarks/train_cnn.py benchmarks/train_lstm.py; do
        [ -e "$extra" ] && bench "$(basename "$extra" .py)" 40 "$PY" "$extra" --device "$DEV" --runs "$RUNS"
    done
    bench end_to_end "${BENCH_E2E_TIMEOUT:-60}" "$PY" benchmarks/end_to_end.py --device "$DEV" \
        --rows "$ROWS_E2E" --runs "$RUNS" --check
fi

tar -czf "$OUT/logs.tar.gz" -C "$STATE" logs
note "done in $(elapsed); files in $OUT: $(ls "$OUT" | tr '\n' ' ')"
echo "----- summary -----"
cat "$SUMMARY"
exit $rc
