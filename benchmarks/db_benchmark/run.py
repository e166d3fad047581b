"""db-benchmark groupby and join: Headwater against pandas, Polars and DuckDB.

Every (solution, question) runs in a fresh process (``worker.py``): load the data,
run once to measure peak memory, then ``--runs`` timed runs; the median is reported.
Headwater's answers are checked against pandas'. Data is generated once
(``datagen.py``) and cached as Parquet.

    python benchmarks/db_benchmark/run.py --rows 1e6
    python benchmarks/db_benchmark/run.py --rows 1e7 --device cuda --write
"""

from __future__ import annotations

import argparse
import json
import math
import pathlib
import platform
import subprocess
import sys
import time

import datagen
from questions import TASKS

HERE = pathlib.Path(__file__).resolve().parent
RESULTS = HERE.parent / "RESULTS.md"
SECTION = "## db-benchmark groupby and join (issue 5)"
SOLUTIONS = ["headwater", "pandas", "polars", "duckdb"]


def _worker(solution: str, task: str, question: str, args: argparse.Namespace) -> dict:
    cmd = [sys.executable, str(HERE / "worker.py"), "--solution", solution, "--task", task,
           "--question", question, "--rows", str(args.rows), "--runs", str(args.runs),
           "--device", args.device if solution == "headwater" else "cpu"]
    if solution == "headwater" and not args.no_check:
        cmd.append("--check")
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout, cwd=HERE)
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        return {"solution": solution, "task": task, "question": question, "error": tail[0][:200]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _fmt_s(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _fmt_mb(value: int | None) -> str:
    return "-" if value is None else f"{value / 2**20:.0f}"


def _geomean(values: list[float]) -> float | None:
    values = [v for v in values if v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def table(records: list[dict], solutions: list[str]) -> str:
    """A Markdown table: seconds and peak MB per solution, ratios, Headwater's check."""
    by = {(r["task"], r["question"], r["solution"]): r for r in records}
    head = ["task", "question"] + [f"{s} s" for s in solutions] + ["hw/pandas", "hw/fastest"] + \
        [f"{s} MB" for s in solutions] + ["hw/pandas mem", "check"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    ratios: dict[str, list[float]] = {"pandas": [], "fastest": []}
    for task, questions in TASKS.items():
        for q, title in questions.items():
            rows = [by.get((task, q, s), {}) for s in solutions]
            if not any(rows):
                continue
            secs = {s: r.get("seconds") for s, r in zip(solutions, rows)}
            mem = {s: r.get("peak_bytes") for s, r in zip(solutions, rows)}
            hw_s, pd_s = secs.get("headwater"), secs.get("pandas")
            others = [v for s, v in secs.items() if s != "headwater" and v]
            r_pd = hw_s / pd_s if hw_s and pd_s else None
            r_fast = hw_s / min(others) if hw_s and others else None
            if r_pd:
                ratios["pandas"].append(r_pd)
            if r_fast:
                ratios["fastest"].append(r_fast)
            hw_mem, pd_mem = mem.get("headwater"), mem.get("pandas")
            r_mem = f"{hw_mem / pd_mem:.2f}" if hw_mem and pd_mem else "-"
            hw = by.get((task, q, "headwater"), {})
            check = hw.get("check", hw.get("error", "-"))
            cells = [task, f"{q} {title}"] + [
                _fmt_s(secs[s]) if secs[s] is not None else ("err" if "error" in r else "-")
                for s, r in zip(solutions, rows)
            ] + [f"{r_pd:.2f}" if r_pd else "-", f"{r_fast:.2f}" if r_fast else "-"] + \
                [_fmt_mb(mem[s]) for s in solutions] + [r_mem, check]
            lines.append("| " + " | ".join(cells) + " |")
    g_pd, g_fast = _geomean(ratios["pandas"]), _geomean(ratios["fastest"])
    lines.append("")
    lines.append(f"Geometric mean Headwater/pandas: {g_pd:.3f}" if g_pd else "Geometric mean: -")
    if g_fast:
        lines.append(f"Geometric mean Headwater/fastest other: {g_fast:.3f}")
    return "\n".join(lines)


def machine(device: str) -> str:
    import os

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    text = f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"
    if device == "cuda":
        import headwater as hw

        props = hw.get_backend("cuda").device_properties()
        text += f", GPU {props['name']}"
    return text


def versions() -> str:
    import importlib

    found = []
    for name in ("numpy", "pandas", "polars", "duckdb", "pyarrow"):
        try:
            found.append(f"{name} {importlib.import_module(name).__version__}")
        except ImportError:
            found.append(f"{name} not installed")
    return ", ".join(found)


def available(solutions: list[str]) -> list[str]:
    """The solutions whose library imports here (Polars and DuckDB are optional)."""
    import importlib.util

    return [s for s in solutions if s in ("headwater", "pandas") or importlib.util.find_spec(s)]


def write_section(body: str) -> None:
    """Replace (or append) this benchmark's section of benchmarks/RESULTS.md."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    start = text.find(SECTION)
    if start >= 0:
        nxt = text.find("\n## ", start + len(SECTION))
        text = text[:start] + body.rstrip() + "\n" + (text[nxt:] if nxt >= 0 else "")
    else:
        text = text.rstrip() + "\n\n" + body.rstrip() + "\n"
    RESULTS.write_text(text)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=float, default=1e6, help="1e6 or 1e7 (any N works)")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="Headwater's device")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per question (median)")
    parser.add_argument("--task", choices=["groupby", "join", "all"], default="all")
    parser.add_argument("--questions", default="", help="comma list such as q1,q3 (default all)")
    parser.add_argument("--solutions", default=",".join(SOLUTIONS))
    parser.add_argument("--timeout", type=float, default=900, help="seconds per question and solution")
    parser.add_argument("--no-check", action="store_true", help="skip checking Headwater against pandas")
    parser.add_argument("--write", action="store_true", help=f"write the table into {RESULTS.name}")
    parser.add_argument("--json", type=pathlib.Path, help="also save raw records here")
    args = parser.parse_args(argv)
    args.rows = int(args.rows)
    solutions = [s.strip() for s in args.solutions.split(",") if s.strip()]
    unknown = sorted(set(solutions) - set(SOLUTIONS))
    if unknown:
        parser.error(f"unknown solution(s) {unknown}; choose from {SOLUTIONS}")
    missing = sorted(set(solutions) - set(available(solutions)))
    if missing:
        print(f"skipping {missing}: not installed", file=sys.stderr)
        solutions = available(solutions)
    tasks = list(TASKS) if args.task == "all" else [args.task]
    wanted = {q.strip() for q in args.questions.split(",") if q.strip()}
    started = time.time()
    for task in tasks:  # generate outside the timed workers
        datagen.cached_groupby(args.rows) if task == "groupby" else datagen.cached_join(args.rows)
    records = []
    for task in tasks:
        for q in TASKS[task]:
            if wanted and q not in wanted:
                continue
            for solution in solutions:
                record = _worker(solution, task, q, args)
                records.append(record)
                shown = record.get("seconds", record.get("error"))
                print(f"{task} {q} {solution}: {shown} {record.get('check', '')}", file=sys.stderr, flush=True)
    body = "\n".join([
        SECTION, "",
        f"`python benchmarks/db_benchmark/run.py --rows {args.rows:.0e} --device {args.device} "
        f"--runs {args.runs}`; {time.strftime('%Y-%m-%d', time.gmtime())}.",
        "",
        f"Machine: {machine(args.device)}; Headwater on {args.device}. {versions()}.",
        "",
        "Seconds: median of the timed runs, each question in a fresh process after loading "
        "(load time excluded). MB: growth of the resident set during one run (VmHWM reset "
        "through /proc/self/clear_refs before the run). Ratios below 1 mean Headwater is "
        "faster / smaller. check: Headwater's answer compared with pandas'.",
        "",
        table(records, solutions),
        "",
        f"Total wall time {time.time() - started:.0f} s.",
    ])
    print(body)
    if args.json:
        args.json.write_text(json.dumps(records, indent=1))
    if args.write:
        write_section(body)


if __name__ == "__main__":
    main()
