"""TPC-H side by side: Headwater and pandas (the same pandas code), Polars, DuckDB (SQL).

Generates the tables with ``tpchgen-cli`` (once per scale factor), loads each engine
from the same Arrow tables, then for every query runs each engine once to warm up and
``--repeat`` times more, interleaved, and reports the median. Every answer is checked
against DuckDB's (``check.py``); a wrong or failed answer is reported, never timed.

    python benchmarks/tpch/run.py --sf 1 --repeat 3 [--write benchmarks/RESULTS.md]

``--write`` replaces the section "## TPC-H (issue 14)" of the results file; with
``--raw`` (Headwater, Polars and DuckDB read the raw files, types kept) the section
"## TPC-H on the raw files (issue 15)".
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import platform
import statistics
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from tpch import check, data, queries_pandas, queries_polars, queries_sql  # noqa: E402

SECTION = "## TPC-H (issue 14)"
RAW_SECTION = "## TPC-H on the raw files (issue 15)"
ENGINES = ("headwater", "pandas", "polars", "duckdb")


def runner(engine: str, tables: dict):
    """A function ``q -> answer`` for one engine."""
    if engine == "headwater":
        import headwater as hw

        sync = hw.get_backend().synchronize

        def run(q):
            out = queries_pandas.QUERIES[q](tables, hw)
            sync()
            return out
        return run
    if engine == "pandas":
        return lambda q: queries_pandas.QUERIES[q](tables, pd)
    if engine == "polars":
        return lambda q: queries_polars.QUERIES[q](tables)
    con = tables["__con__"]
    return lambda q: con.sql(queries_sql.SQL[q]).to_arrow_table()


def run(sf: float, repeat: int, queries: list[int], engines: list[str], data_dir: Path,
        raw: bool = False, clock: str = "wall") -> dict:
    now = time.process_time if clock == "cpu" else time.perf_counter
    start = time.perf_counter()
    directory = data.generate(sf, data_dir)
    arrow = data.load_arrow(directory)
    print(f"tables at sf {sf} ready in {time.perf_counter() - start:.1f} s", flush=True)
    if raw:  # the files' own types, each engine's own reader (pandas keeps the portable tables)
        loaded = {e: data.load_raw(directory, e) if e != "pandas" else data.to_engine(arrow, e)
                  for e in set(engines) | {"duckdb"}}
    else:  # Headwater through its own reader, so string columns keep the file's layout
        loaded = {e: data.load_headwater(directory) if e == "headwater" else data.to_engine(arrow, e)
                  for e in set(engines) | {"duckdb"}}
    runs = {e: runner(e, loaded[e]) for e in loaded}
    results: dict[int, dict[str, object]] = {}
    for q in queries:
        reference = check.as_pandas(runs["duckdb"](q))
        row: dict[str, object] = {}
        live = []
        for e in engines:
            try:
                problems = check.compare(runs[e](q), reference, q)  # also the warm-up
            except Exception as exc:  # noqa: BLE001  (reported, not timed)
                problems = [f"{type(exc).__name__}: {exc}".splitlines()[0][:160]]
                if os.environ.get("TPCH_TRACEBACK"):
                    traceback.print_exc()
            if problems:
                row[e] = problems[0]
            else:
                live.append(e)
                row[e] = []
        for _ in range(repeat):
            for e in live:
                gc.collect()
                t0 = now()
                runs[e](q)
                row[e].append(now() - t0)
        for e in live:
            row[e] = statistics.median(row[e])
        results[q] = row
        print(f"q{q:<2d} " + "  ".join(
            f"{e} {row[e] * 1e3:9.1f} ms" if isinstance(row[e], float) else f"{e} FAILED ({row[e]})"
            for e in engines), flush=True)
    return results


def _ratio(row: dict, a: str, b: str) -> float | None:
    x, y = row.get(a), row.get(b)
    return x / y if isinstance(x, float) and isinstance(y, float) else None


def _geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def markdown(results: dict, sf: float, repeat: int, engines: list[str], raw: bool = False,
             clock: str = "wall") -> str:
    import polars as pl

    loading = ("Headwater, Polars and DuckDB read the raw files with their own readers and "
               "keep their types (decimal128(15, 2) as Headwater's exact decimal dtype, date32, "
               "string_view); pandas gets decimals as float64 (load time not counted)" if raw else
               "Data from `tpchgen-cli`, decimals cast to float64 and dates to datetime64[ns] on "
               "loading (load time not counted); pandas, Polars and DuckDB start from the same "
               "pyarrow tables, Headwater reads the files with `read_parquet(decimal=\"float\")` "
               "(the same values; string columns the file stores dictionary-encoded stay "
               "dictionaries, as they would for a user)")
    lines = [
        RAW_SECTION if raw else SECTION, "",
        f"`python benchmarks/tpch/run.py --sf {sf:g} --repeat {repeat}{' --raw' if raw else ''}"
        f"{' --clock cpu' if clock == 'cpu' else ''}`; machine: "
        f"{os.cpu_count()}-core {platform.machine()} CPU, no GPU (shared with other jobs); "
        f"pandas {pd.__version__}, Polars {pl.__version__}, NumPy {np.__version__}. "
        f"{loading}. The pandas code of `queries_pandas.py` runs "
        "unchanged on pandas and on Headwater; every answer is checked against DuckDB's. "
        f"Median of {repeat} runs after a warm-up"
        f"{' (CPU time of the process, all threads)' if clock == 'cpu' else ''}. "
        "Ratio < 1 means Headwater is faster.", "",
        "| query | " + " | ".join(f"{e} (ms)" for e in engines)
        + " | Headwater / pandas | Headwater / Polars |",
        "|---|" + "---:|" * (len(engines) + 2),
    ]
    vs_pandas, vs_polars = [], []
    for q, row in results.items():
        cells = [f"{row[e] * 1e3:.1f}" if isinstance(row[e], float) else "failed" for e in engines]
        rp, rq = _ratio(row, "headwater", "pandas"), _ratio(row, "headwater", "polars")
        if rp is not None:
            vs_pandas.append(rp)
        if rq is not None:
            vs_polars.append(rq)
        lines.append(f"| q{q} | " + " | ".join(cells)
                     + f" | {'' if rp is None else f'{rp:.2f}'} | {'' if rq is None else f'{rq:.2f}'} |")
    lines += ["", f"Geometric mean Headwater / pandas over {len(vs_pandas)} queries: "
              f"{_geomean(vs_pandas):.2f}; Headwater / Polars over {len(vs_polars)}: "
              f"{_geomean(vs_polars):.2f}."]
    failed = {q: row["headwater"] for q, row in results.items()
              if "headwater" in row and not isinstance(row["headwater"], float)}
    if failed:
        lines += ["", "Queries Headwater could not answer:", ""]
        lines += [f"- q{q}: {why}" for q, why in failed.items()]
    return "\n".join(lines) + "\n"


def write_section(path: str, text: str, section: str = SECTION) -> None:
    """Replace this benchmark's section of ``path`` (append it when absent)."""
    old = open(path).read() if os.path.exists(path) else "# Benchmark results\n"
    if section in old:
        head, rest = old.split(section, 1)
        nxt = rest.find("\n## ")
        old = head + text + (rest[nxt + 1:] if nxt >= 0 else "")
    else:
        old = old.rstrip("\n") + "\n\n" + text
    with open(path, "w") as f:
        f.write(old)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sf", type=float, default=1.0, help="scale factor (default 1)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--queries", default="1-22", help="e.g. 1-22 or 1,3,5")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--data-dir", default=None,
                        help="where the tables are (default: a tpch-sf<SF> folder in the temp dir)")
    parser.add_argument("--write", default=None, help="results file to update")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall time, or the process's CPU time (all threads; fairer on a loaded machine)")
    parser.add_argument("--raw", action="store_true",
                        help="Headwater, Polars and DuckDB read the raw files with their types")
    args = parser.parse_args()
    if "-" in args.queries:
        lo, hi = map(int, args.queries.split("-"))
        queries = list(range(lo, hi + 1))
    else:
        queries = [int(q) for q in args.queries.split(",")]
    engines = args.engines.split(",")
    data_dir = Path(args.data_dir or Path(os.environ.get("TMPDIR", "/tmp")) / f"tpch-sf{args.sf:g}")
    results = run(args.sf, args.repeat, queries, engines, data_dir, raw=args.raw, clock=args.clock)
    text = markdown(results, args.sf, args.repeat, engines, raw=args.raw, clock=args.clock)
    print(text)
    if args.write:
        write_section(args.write, text, RAW_SECTION if args.raw else SECTION)


if __name__ == "__main__":
    main()
