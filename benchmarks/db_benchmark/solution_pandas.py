"""pandas answers, as in db-benchmark's groupby-pandas.py and join-pandas.py.

String keys are categoricals (db-benchmark reads id1..id3 as ``category``). Two
departures, both in pandas' favour: q9 computes the correlation from group sums
instead of ``apply`` (which takes minutes at 1e7 rows), and q8 keeps db-benchmark's
sort-then-head form.
"""

from __future__ import annotations

import pyarrow.parquet as pq

GB = dict(as_index=False, sort=False, observed=True, dropna=False)


def load_groupby(path):
    return pq.read_table(path).to_pandas()


def load_join(paths):
    return {name: pq.read_table(p).to_pandas() for name, p in paths.items()}


def to_pandas(result):
    return result


def _r2(x):
    d = x[["id2", "id4", "v1", "v2"]].assign(
        v1=x["v1"].astype("float64"), v2=x["v2"].astype("float64")
    )
    d = d.assign(xy=d["v1"] * d["v2"], xx=d["v1"] * d["v1"], yy=d["v2"] * d["v2"])
    m = d.groupby(["id2", "id4"], **GB).agg(
        n=("v1", "count"), x=("v1", "sum"), y=("v2", "sum"), xy=("xy", "sum"),
        xx=("xx", "sum"), yy=("yy", "sum"))
    cov = m["xy"] - m["x"] * m["y"] / m["n"]
    vx = m["xx"] - m["x"] ** 2 / m["n"]
    vy = m["yy"] - m["y"] ** 2 / m["n"]
    return m[["id2", "id4"]].assign(r2=cov * cov / (vx * vy))


GROUPBY = {
    "q1": lambda x: x.groupby("id1", **GB).agg({"v1": "sum"}),
    "q2": lambda x: x.groupby(["id1", "id2"], **GB).agg({"v1": "sum"}),
    "q3": lambda x: x.groupby("id3", **GB).agg({"v1": "sum", "v3": "mean"}),
    "q4": lambda x: x.groupby("id4", **GB).agg({"v1": "mean", "v2": "mean", "v3": "mean"}),
    "q5": lambda x: x.groupby("id6", **GB).agg({"v1": "sum", "v2": "sum", "v3": "sum"}),
    "q6": lambda x: x.groupby(["id4", "id5"], **GB).agg(
        median_v3=("v3", "median"), sd_v3=("v3", "std")),
    "q7": lambda x: x.groupby("id3", **GB).agg(v1=("v1", "max"), v2=("v2", "min")).assign(
        range_v1_v2=lambda d: d["v1"] - d["v2"])[["id3", "range_v1_v2"]],
    "q8": lambda x: x[~x["v3"].isna()][["id6", "v3"]].sort_values("v3", ascending=False)
    .groupby("id6", **GB).head(2),
    "q9": _r2,
    "q10": lambda x: x.groupby(["id1", "id2", "id3", "id4", "id5", "id6"], **GB).agg(
        v3=("v3", "sum"), count=("v1", "size")),
}

JOIN = {
    "q1": lambda d: d["x"].merge(d["small"], how="inner", on="id1"),
    "q2": lambda d: d["x"].merge(d["medium"], how="inner", on="id2"),
    "q3": lambda d: d["x"].merge(d["medium"], how="left", on="id2"),
    "q4": lambda d: d["x"].merge(d["medium"], how="inner", on="id5"),
    "q5": lambda d: d["x"].merge(d["big"], how="inner", on="id3"),
}
