"""Loading the eight TPC-H tables from their raw ``tpchgen-cli`` Parquet files, side by side:
``hw.read_parquet``, ``pandas.read_parquet`` (pyarrow engine) and ``polars.read_parquet``.

Each engine reads every file with its own reader and its own types (Headwater: decimals
as the exact decimal dtype, date32 as datetime64, strings dictionary-encoded where the
file stores them so). Runs are interleaved across engines; each figure is the median
of ``--repeat`` runs, after a warm-up run that brings the files into the page cache.

    python benchmarks/load.py --sf 1 --repeat 3 [--clock cpu] [--data-dir /work/data/tpch-sf1] [--write benchmarks/RESULTS.md]

``--clock cpu`` times with ``time.process_time`` (CPU seconds of all the process's
threads), which a shared, loaded machine distorts less than wall time.

``--write`` replaces the section "## Loading TPC-H (issue 15)" of the results file.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from tpch import data  # noqa: E402
from tpch.run import write_section  # noqa: E402

SECTION = "## Loading TPC-H (issue 15)"
ENGINES = ("headwater", "pandas", "polars")


def reader(engine: str):
    """A function ``path -> frame`` for one engine, synchronised where it runs async."""
    if engine == "headwater":
        import headwater as hw

        sync = hw.get_backend().synchronize

        def read(path):
            out = hw.read_parquet(path)
            sync()
            return out
        return read
    if engine == "pandas":
        import pandas as pd

        return lambda path: pd.read_parquet(path, engine="pyarrow")
    if engine == "polars":
        import polars as pl

        return pl.read_parquet
    raise ValueError(f"unknown engine {engine!r}; one of {', '.join(ENGINES)}")


def run(directory: Path, repeat: int, engines: list[str], clock: str = "wall") -> dict[str, dict[str, float]]:
    """Median seconds per table and engine (and a "total" row: the median of the sums)."""
    now = time.process_time if clock == "cpu" else time.perf_counter
    readers = {e: reader(e) for e in engines}
    times: dict[str, dict[str, list[float]]] = {t: {e: [] for e in engines} for t in data.TABLES}
    totals: dict[str, list[float]] = {e: [] for e in engines}
    for attempt in range(repeat + 1):  # the first pass warms the page cache and imports
        for e in engines:
            total = 0.0
            for t in data.TABLES:
                gc.collect()
                t0 = now()
                frame = readers[e](str(directory / f"{t}.parquet"))
                took = now() - t0
                del frame
                total += took
                if attempt:
                    times[t][e].append(took)
            if attempt:
                totals[e].append(total)
                print(f"run {attempt}: {e} {total:.2f} s", flush=True)
    out = {t: {e: statistics.median(v) for e, v in row.items()} for t, row in times.items()}
    out["total"] = {e: statistics.median(v) for e, v in totals.items()}
    return out


def markdown(results: dict, sf: float, repeat: int, engines: list[str], load: str, clock: str = "wall") -> str:
    import numpy as np
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    lines = [
        SECTION, "",
        f"`python benchmarks/load.py --sf {sf:g} --repeat {repeat} --clock {clock}` "
        f"({'CPU seconds of all threads' if clock == 'cpu' else 'wall seconds'}): the eight raw "
        f"`tpchgen-cli` Parquet files, each engine with its own reader and types; machine: "
        f"{os.cpu_count()}-core {platform.machine()} CPU, no GPU, device cpu, shared with other "
        f"jobs and loaded (load average {load} during the run), so the times are inflated for "
        f"every engine and the ratios matter more; pandas {pd.__version__}, Polars "
        f"{pl.__version__}, pyarrow {pa.__version__}, NumPy {np.__version__}. Median of {repeat} "
        f"interleaved runs after a warm-up. Ratio < 1 means Headwater is faster.", "",
        "| table | " + " | ".join(f"{e} (s)" for e in engines) + " | Headwater / pandas | Headwater / Polars |",
        "|---|" + "---:|" * (len(engines) + 2),
    ]
    for t, row in results.items():
        cells = [f"{row[e]:.3f}" for e in engines]
        rp = row["headwater"] / row["pandas"] if "pandas" in row and row["pandas"] else None
        rq = row["headwater"] / row["polars"] if "polars" in row and row["polars"] else None
        name = f"**{t}**" if t == "total" else t
        lines.append(f"| {name} | " + " | ".join(cells)
                     + f" | {'' if rp is None else f'{rp:.2f}'} | {'' if rq is None else f'{rq:.2f}'} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sf", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--data-dir", default=None,
                        help="where the tables are (default: a tpch-sf<SF> folder in the temp dir)")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall seconds, or CPU seconds of all threads (time.process_time)")
    parser.add_argument("--write", default=None, help="results file to update")
    args = parser.parse_args()
    engines = args.engines.split(",")
    directory = Path(args.data_dir or Path(os.environ.get("TMPDIR", "/tmp")) / f"tpch-sf{args.sf:g}")
    data.generate(args.sf, directory)
    before = os.getloadavg()[0]
    results = run(directory, args.repeat, engines, args.clock)
    after = os.getloadavg()[0]
    text = markdown(results, args.sf, args.repeat, engines, f"{min(before, after):.0f} to {max(before, after):.0f}",
                    args.clock)
    print(text)
    if args.write:
        write_section(args.write, text, SECTION)


if __name__ == "__main__":
    main()
