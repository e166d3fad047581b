"""Run one question of one solution in this (fresh) process and print one JSON line.

Memory is the growth of the resident set during the first run: after loading the
data and returning freed heap pages (malloc_trim), the kernel's high-water mark (VmHWM) is reset through /proc/self/clear_refs,
the question runs once, and peak = VmHWM - RSS before the run. It counts every
allocator (NumPy, Arrow, Polars, DuckDB) the same way; pages freed and reused
inside the run are counted once. Time is the median wall time of the next runs.

    python worker.py --solution pandas --task groupby --question q1 --rows 1e6
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import importlib
import json
import statistics
import sys
import time

import datagen


def _status(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} missing from /proc/self/status")


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _trim() -> None:
    """Give freed heap pages back to the kernel, so the run's growth is not hidden by them."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _paths(task: str, rows: int):
    if task == "groupby":
        return datagen.cached_groupby(rows)
    return datagen.cached_join(rows)


def run(solution: str, task: str, question: str, rows: int, runs: int, check: bool) -> dict:
    module = importlib.import_module(f"solution_{solution}")
    paths = _paths(task, rows)
    data = (module.load_groupby if task == "groupby" else module.load_join)(paths)
    answer = getattr(module, task.upper())[question]
    sync = getattr(module, "synchronize", lambda: None)
    gc.collect()
    _trim()
    before = _status("VmRSS")
    exact = _reset_peak()
    result = answer(data)
    sync()
    peak = _status("VmHWM") - before if exact else None
    nrow = len(module.to_pandas(result)) if solution == "duckdb" else len(result)
    del result
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = answer(data)
        sync()
        times.append(time.perf_counter() - start)
        del result
    out = {
        "solution": solution, "task": task, "question": question, "rows": rows,
        "seconds": statistics.median(times), "times": times, "peak_bytes": peak,
        "result_rows": nrow,
    }
    if check:
        from check import compare_with_pandas

        out["check"] = compare_with_pandas(module, task, question, data, paths)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--solution", required=True)
    parser.add_argument("--task", choices=["groupby", "join"], required=True)
    parser.add_argument("--question", required=True)
    parser.add_argument("--rows", type=float, default=1e6)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--check", action="store_true", help="compare the answer with pandas'")
    args = parser.parse_args(argv)
    if args.solution == "headwater":
        import headwater as hw

        hw.set_device(args.device)
    result = run(args.solution, args.task, args.question, int(args.rows), args.runs, args.check)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
