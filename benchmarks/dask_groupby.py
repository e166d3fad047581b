"""db-benchmark groupby questions on a 2-worker dask.distributed LocalCluster.

Three ways to answer the same questions on the same Parquet files (the G1 table of
db_benchmark/datagen.py, cut into ``--files`` files):

* ``headwater.dask`` on the cluster (partitions are Headwater frames),
* ``dask.dataframe`` on pandas on an identical cluster,
* single-process Headwater (``hw.read_parquet`` of all files), where it fits.

Each cluster solution gets a fresh cluster of ``--workers`` processes with one thread
each; the data is read and persisted in worker memory, then every question runs
``--runs`` times and the median wall time is reported (the answer is brought back to
the client, as ``compute()`` does; ``--on-cluster`` questions instead persist their
answer on the workers and are checked by rows and column sums: q10's answer at 1e8 rows
is as large as the table, and gathering it into one worker or the client is what a
worker of 8 GiB cannot do). Peak memory per worker is the largest resident
set size a worker reached over the whole solution (``ru_maxrss``). Answers are
checked against each other (sorted, floats to 1e-6 relative).

    python benchmarks/dask_groupby.py --rows 1e7            # the issue asks 1e8; make it a flag
    python benchmarks/dask_groupby.py --rows 1e6 --runs 1 --questions q1 q3
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import resource
import statistics
import sys
import time

import numpy as np
import pyarrow.parquet as pq

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "db_benchmark"))
sys.path.insert(0, str(HERE.parent))

import datagen  # noqa: E402
from questions import GROUPBY  # noqa: E402

# questions with many groups (N/K): their answers are hash-partitioned into as many
# partitions as there are files, in both cluster solutions
MANY_GROUPS = {"q3", "q5", "q7", "q10"}


def parquet_files(n: int, k: int, files: int) -> list[str]:
    """``files`` Parquet files of the G1 table (generated once, cached with the db-benchmark data)."""
    folder = datagen.data_dir() / f"G1_{n:.0e}_{k:.0e}_0_0_{files}files".replace("+0", "")
    paths = [folder / f"part{i}.parquet" for i in range(files)]
    if not all(p.exists() for p in paths):
        folder.mkdir(parents=True, exist_ok=True)
        table = datagen.groupby_table(n, k)
        step = -(-n // files)
        for i, p in enumerate(paths):
            pq.write_table(table.slice(i * step, step), p.with_suffix(".tmp"))
            p.with_suffix(".tmp").rename(p)
    return [str(p) for p in paths]


# --- headwater.dask ------------------------------------------------------------------
def hwd_questions(split_out: int) -> dict:
    GB = dict(as_index=False, sort=False, dropna=False)

    def so(q):
        return {"split_out": split_out} if q in MANY_GROUPS else {}

    def q7(x):
        g = x.groupby("id3", **GB).agg(v1=("v1", "max"), v2=("v2", "min"), **so("q7"))
        return g.assign(range_v1_v2=g["v1"] - g["v2"])[["id3", "range_v1_v2"]]

    def q8(x):
        top = x[x["v3"].notna()][["id6", "v3"]]
        return top.shuffle("id6", split_out).map_partitions(
            lambda p: p.sort_values("v3", ascending=False).groupby("id6", **GB).head(2))

    def q9(x):
        v1, v2 = x["v1"].astype("float64"), x["v2"].astype("float64")
        d = x[["id2", "id4"]].assign(v1=v1, v2=v2, xy=v1 * v2, xx=v1 * v1, yy=v2 * v2)
        m = d.groupby(["id2", "id4"], **GB).agg(n=("v1", "count"), x=("v1", "sum"), y=("v2", "sum"),
                                                xy=("xy", "sum"), xx=("xx", "sum"), yy=("yy", "sum"))
        return m.map_partitions(_r2)

    return {
        "q1": lambda x: x.groupby("id1", **GB).agg({"v1": "sum"}),
        "q2": lambda x: x.groupby(["id1", "id2"], **GB).agg({"v1": "sum"}),
        "q3": lambda x: x.groupby("id3", **GB).agg({"v1": "sum", "v3": "mean"}, **so("q3")),
        "q4": lambda x: x.groupby("id4", **GB).agg({"v1": "mean", "v2": "mean", "v3": "mean"}),
        "q5": lambda x: x.groupby("id6", **GB).agg({"v1": "sum", "v2": "sum", "v3": "sum"}, **so("q5")),
        "q6": lambda x: x.groupby(["id4", "id5"], **GB).agg(median_v3=("v3", "median"), sd_v3=("v3", "std"),
                                                            split_out=split_out),
        "q7": q7,
        "q8": q8,
        "q9": q9,
        "q10": lambda x: x.groupby(["id1", "id2", "id3", "id4", "id5", "id6"], **GB).agg(
            v3=("v3", "sum"), count=("v1", "size"), **so("q10")),
    }


def _r2(m):
    cov = m["xy"] - m["x"] * m["y"] / m["n"]
    vx = m["xx"] - m["x"] ** 2 / m["n"]
    vy = m["yy"] - m["y"] ** 2 / m["n"]
    return m[["id2", "id4"]].assign(r2=cov * cov / (vx * vy))


# --- dask.dataframe on pandas ----------------------------------------------------------
def dd_questions(split_out: int) -> dict:
    GB = dict(sort=False, dropna=False, observed=True)

    def so(q):
        return {"split_out": split_out} if q in MANY_GROUPS else {}

    def q7(x):
        g = x.groupby("id3", **GB).agg({"v1": "max", "v2": "min"}, **so("q7")).reset_index()
        return g.assign(range_v1_v2=g["v1"] - g["v2"])[["id3", "range_v1_v2"]]

    def q8(x):
        top = x[~x["v3"].isna()][["id6", "v3"]]
        return top.shuffle("id6", npartitions=split_out).map_partitions(
            lambda p: p.sort_values("v3", ascending=False).groupby("id6", **GB).head(2),
            meta=top._meta)

    def q9(x):
        v1, v2 = x["v1"].astype("float64"), x["v2"].astype("float64")
        d = x[["id2", "id4"]].assign(v1=v1, v2=v2, xy=v1 * v2, xx=v1 * v1, yy=v2 * v2)
        m = d.groupby(["id2", "id4"], **GB).agg({"v1": ["count", "sum"], "v2": "sum", "xy": "sum", "xx": "sum",
                                                "yy": "sum"})
        m.columns = ["n", "x", "y", "xy", "xx", "yy"]
        return m.reset_index().map_partitions(_r2)

    return {
        "q1": lambda x: x.groupby("id1", **GB).agg({"v1": "sum"}).reset_index(),
        "q2": lambda x: x.groupby(["id1", "id2"], **GB).agg({"v1": "sum"}).reset_index(),
        "q3": lambda x: x.groupby("id3", **GB).agg({"v1": "sum", "v3": "mean"}, **so("q3")).reset_index(),
        "q4": lambda x: x.groupby("id4", **GB).agg({"v1": "mean", "v2": "mean", "v3": "mean"}).reset_index(),
        "q5": lambda x: x.groupby("id6", **GB).agg({"v1": "sum", "v2": "sum", "v3": "sum"}, **so("q5")).reset_index(),
        "q6": lambda x: _q6_dd(x, GB, split_out),
        "q7": q7,
        "q8": q8,
        "q9": q9,
        "q10": lambda x: x.groupby(["id1", "id2", "id3", "id4", "id5", "id6"], **GB).agg(
            {"v3": "sum", "v1": "size"}, **so("q10")).reset_index().rename(columns={"v1": "count"}),
    }


def _q6_dd(x, GB, split_out):
    g = x.groupby(["id4", "id5"], **GB).agg({"v3": ["median", "std"]}, split_out=split_out)
    g.columns = ["median_v3", "sd_v3"]
    return g.reset_index()


# --- running ----------------------------------------------------------------------------
def _peak_rss(client) -> dict:
    return client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)


def _as_pandas(result):
    return result if hasattr(result, "iloc") and not hasattr(result, "_columns") else result.to_pandas()


def _normalised(frame):
    import pandas as pd

    out = {}
    for name in frame.columns:
        col = frame[name]
        if isinstance(col.dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(col.dtype):
            out[name] = col.astype(object).where(col.notna(), None).astype(str)
        else:
            out[name] = col.astype("float64")
    frame = pd.DataFrame(out)
    return frame.sort_values(list(frame.columns), kind="stable").reset_index(drop=True)


def _same(a, b) -> bool:
    import pandas as pd

    a, b = _normalised(_as_pandas(a)), _normalised(_as_pandas(b))
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False
    for name in a.columns:
        numeric = pd.api.types.is_numeric_dtype(a[name].dtype) and pd.api.types.is_numeric_dtype(b[name].dtype)
        if not numeric:
            if not (a[name].astype(str).to_numpy() == b[name].astype(str).to_numpy()).all():
                return False
        elif not np.allclose(a[name].to_numpy(), b[name].to_numpy(), rtol=1e-6, equal_nan=True):
            return False
    return True


def _summary(answer, client) -> dict:
    """What is checked of an answer kept on the cluster: its rows and the sum of every
    numeric column, computed where the answer lies."""
    import dask

    out = {"rows": len(answer)}
    for name in answer.columns:
        if _numeric(answer.dtypes[name]):
            out[name] = float(dask.compute(answer[name].sum(), scheduler=client)[0])
    return out


def _numeric(dtype) -> bool:
    try:
        return np.dtype(str(dtype)).kind in "iuf"
    except TypeError:  # category, string[pyarrow], ...
        return False


def _same_summary(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(np.isclose(a[k], b[k], rtol=1e-9) for k in a)


def run_cluster(solution: str, files: list[str], questions: list[str], args) -> dict:
    import dask
    from distributed import Client, LocalCluster, wait

    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      memory_limit=args.memory_limit, silence_logs=40) as cluster, Client(cluster) as client:
        if solution == "headwater.dask":
            import headwater.dask as hwd

            data = hwd.read_parquet(files)
            table = hwd_questions(len(files))
        else:
            import dask.dataframe as dd

            data = dd.read_parquet(files)
            table = dd_questions(len(files))
        data = client.persist(data)
        dask.compute(data.map_partitions(len), scheduler=client) if solution != "headwater.dask" else len(data)
        out: dict = {"times": {}, "answers": {}}
        for q in questions:
            times = []
            kept = q in args.on_cluster
            for _ in range(args.runs):
                start = time.perf_counter()
                if kept:  # computed and left on the workers: no single process holds it
                    answer = client.persist(table[q](data))
                    wait(answer)
                else:
                    answer = table[q](data).compute()
                times.append(time.perf_counter() - start)
            out["times"][q] = statistics.median(times)
            out["answers"][q] = _summary(answer, client) if kept else _as_pandas(answer)
            rows = out["answers"][q]["rows"] if kept else len(answer)
            where = ", kept on the workers" if kept else ""
            print(f"{solution:16s} {q:4s} {out['times'][q]:8.3f} s  ({rows} rows{where})", flush=True)
            del answer
        out["peak_rss"] = _peak_rss(client)
    return out


def run_single(files: list[str], questions: list[str], args) -> dict:
    import solution_headwater

    import headwater as hw

    start = time.perf_counter()
    data = hw.read_parquet(files)
    load = time.perf_counter() - start
    out: dict = {"times": {}, "answers": {}, "load": load}
    for q in questions:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            answer = solution_headwater.GROUPBY[q](data)
            times.append(time.perf_counter() - start)
        out["times"][q] = statistics.median(times)
        out["answers"][q] = answer.to_pandas()
        print(f"{'headwater (1 process)':16s} {q:4s} {out['times'][q]:8.3f} s", flush=True)
    out["peak_rss"] = {"this process": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=float, default=1e7, help="rows of G1 (the issue's full size is 1e8)")
    parser.add_argument("--k", type=int, default=100)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="8GiB", help="per worker")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--questions", nargs="*", default=list(GROUPBY))
    parser.add_argument("--solutions", nargs="*", default=["headwater.dask", "dask.dataframe", "headwater"])
    parser.add_argument("--on-cluster", nargs="*", default=None,
                        help="questions whose answers are computed and kept on the workers (persist) instead "
                             "of brought to the client, and checked by rows and column sums; default: q10 "
                             "from 5e7 rows, whose answer is as large as the table")
    parser.add_argument("--json", help="write the measurements here")
    args = parser.parse_args()
    if args.on_cluster is None:
        args.on_cluster = ["q10"] if args.rows >= 5e7 else []
    n = int(args.rows)
    files = parquet_files(n, args.k, args.files)
    results = {}
    for solution in args.solutions:
        if solution == "headwater":
            results[solution] = run_single(files, args.questions, args)
        else:
            results[solution] = run_cluster(solution, files, args.questions, args)
    if args.json:  # the measurements first: a failing check must not lose them
        pathlib.Path(args.json).write_text(json.dumps({"times": {s: r["times"] for s, r in results.items()},
                                                       "peak_rss": {s: r["peak_rss"] for s, r in results.items()}}))
    reference = results.get("headwater.dask")
    checks = {}
    for solution, res in results.items():
        if reference is None or res is reference:
            continue
        checks[solution] = {q: _same_summary(reference["answers"][q], res["answers"][q]) if q in args.on_cluster
                            else _same(reference["answers"][q], res["answers"][q]) for q in args.questions}
    print("\nquestion  " + "  ".join(f"{s:>16s}" for s in results) + "   hwd vs dask.dataframe")
    for q in args.questions:
        row = "  ".join(f"{results[s]['times'][q]:16.3f}" for s in results)
        ratio = ""
        if "dask.dataframe" in results and "headwater.dask" in results:
            ratio = f"{results['dask.dataframe']['times'][q] / results['headwater.dask']['times'][q]:.2f}x"
        print(f"{q:8s}  {row}   {ratio}")
    for solution, res in results.items():
        peaks = ", ".join(f"{v / 2**20:.0f} MiB" for v in res["peak_rss"].values())
        print(f"peak memory {solution}: {peaks}")
    print("answers equal to headwater.dask's:", json.dumps(checks))
    if args.json:
        summary = {"rows": n, "files": args.files, "workers": args.workers, "runs": args.runs,
                   "machine": f"{platform.machine()} {os.cpu_count()} cores",
                   "times": {s: r["times"] for s, r in results.items()},
                   "peak_rss": {s: r["peak_rss"] for s, r in results.items()}, "checks": checks}
        pathlib.Path(args.json).write_text(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
