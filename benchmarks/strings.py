"""String operations on a high-cardinality column: Headwater's plain layout vs pandas.

The column is TPC-H's ``l_comment`` (read from a ``tpchgen-cli`` lineitem Parquet file
with ``--lineitem``) or, without one, a generated equivalent: 10 to 43 characters of
words from the TPC-H text grammar's vocabulary, nearly every row distinct (600,000
rows is scale factor 0.1). Times ``str.contains`` of a literal, ``str.len``,
``str.slice``, ``str.lower``, equality with a scalar and a groupby count on the
column, for Headwater (plain layout), pandas ``string[pyarrow]`` and pandas
``object``, as medians of interleaved runs. Run:

    python benchmarks/strings.py --rows 600000 --repeat 5 [--clock cpu] [--write benchmarks/RESULTS.md]

``--write`` replaces the section "## Strings in Arrow's layout (issue 15)".
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import headwater as hw  # noqa: E402
from frame_ops import median_times  # noqa: E402

SECTION = "## Strings in Arrow's layout (issue 15)"
_WORDS = ("furiously quickly carefully blithely slyly ironic final regular express special pending "
          "bold even silent unusual daring fluffy idle busy ruthless thin close dogged permanent "
          "deposits requests accounts packages instructions theodolites foxes pinto beans asymptotes "
          "dependencies excuses platelets courts ideas dolphins warhorses sheaves frets sauternes "
          "wake sleep haggle nag use boost affix detect integrate cajole thrash among above along "
          "across after against around according to").split()


def comments(rows: int, seed: int = 0) -> pa.Array:
    """Text like TPC-H's ``l_comment``: words joined by spaces, cut to 10-43 characters."""
    rng = np.random.default_rng(seed)
    words = np.array(_WORDS, dtype=object)
    picks = words[rng.integers(0, len(words), size=(rows, 8))]
    cut = rng.integers(10, 44, size=rows)
    return pa.array([" ".join(p)[:c] for p, c in zip(picks, cut)], pa.string())


def load(path: str | None, rows: int) -> pa.Array:
    if path:
        return pq.read_table(path, columns=["l_comment"]).column("l_comment").combine_chunks().cast(pa.string())
    return comments(rows)


OPS = {
    "str.contains('special')": (lambda s: s.str.contains("special", regex=False),) * 2,
    "str.len()": (lambda s: s.str.len(),) * 2,
    "str.slice(2, 12)": (lambda s: s.str.slice(2, 12),) * 2,
    "str.lower()": (lambda s: s.str.lower(),) * 2,
    "== scalar": (lambda s: s == "carefully final deposits",) * 2,
    "str.split(' ')": (lambda s: s.str.split(" "),) * 2,
    "str.find('the')": (lambda s: s.str.find("the"),) * 2,
    "str.zfill(45)": (lambda s: s.str.zfill(45),) * 2,
    "+ '!'": (lambda s: s + "!",) * 2,
    "groupby(s).size()": (lambda s: hw.DataFrame({"s": s}).groupby("s").size(),
                          lambda s: pd.DataFrame({"s": s}).groupby("s").size()),
}


def run(arr: pa.Array, repeat: int, clock: str = "wall") -> list[tuple[str, float, float, float]]:
    hs = hw.Series(arr)
    assert hs._column.layout == "plain"
    pa_s = pd.Series(arr, dtype="string[pyarrow]")
    obj = pd.Series(arr.to_pylist(), dtype=object)
    out = []
    for name, (hw_fn, pd_fn) in OPS.items():
        h, p, o = median_times([lambda: hw_fn(hs), lambda: pd_fn(pa_s), lambda: pd_fn(obj)], repeat,
                               lambda: None, time.process_time if clock == "cpu" else time.perf_counter)
        out.append((name, h, p, o))
    return out


def table(rows: list[tuple[str, float, float, float]], n: int, source: str, repeat: int,
          clock: str = "wall") -> str:
    lines = [SECTION, "",
             f"{n:,} rows of {source} (nearly all distinct), median of {repeat} interleaved runs, "
             f"{'CPU' if clock == 'cpu' else 'elapsed'} seconds, load average {os.getloadavg()[0]:.1f}; {platform.machine()} CPU ({os.cpu_count()} cores), NumPy backend. The machine "
             f"was shared with other jobs and loaded while this ran, so the figures are noisy.", "",
             "| operation | Headwater (plain) | pandas string[pyarrow] | pandas object | vs string[pyarrow] |",
             "|---|---|---|---|---|"]
    for name, h, p, o in rows:
        lines.append(f"| {name} | {h:.4f} | {p:.4f} | {o:.4f} | {h / p:.2f}x |")
    return "\n".join(lines) + "\n"


def write_section(path: str, text: str) -> None:
    old = open(path).read() if os.path.exists(path) else ""
    if SECTION in old:
        start = old.index(SECTION)
        nxt = old.find("\n## ", start + len(SECTION))
        old = old[:start] + text + ("" if nxt < 0 else old[nxt:])
    else:
        old = old.rstrip("\n") + "\n\n" + text
    with open(path, "w") as fh:
        fh.write(old)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=float, default=600_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lineitem", help="a tpchgen-cli lineitem Parquet file")
    parser.add_argument("--write", help="results file whose section to replace")
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                        help="elapsed time, or this process's CPU time (steadier on a loaded machine)")
    args = parser.parse_args()
    arr = load(args.lineitem, int(args.rows))
    source = "TPC-H l_comment" if args.lineitem else "generated l_comment-like text"
    text = table(run(arr, args.repeat, args.clock), len(arr), source, args.repeat, args.clock)
    print(text)
    if args.write:
        write_section(args.write, text)


if __name__ == "__main__":
    main()
