"""Headwater answers: the pandas code of solution_pandas.py, written against ``hw``.

The device is chosen by the worker (``hw.set_device``); string keys stay
dictionary-encoded (int32 codes on the device), as they come from Parquet.
"""

from __future__ import annotations

import headwater as hw

GB = dict(as_index=False, sort=False, dropna=False)


def load_groupby(path):
    return hw.read_parquet(str(path))


def load_join(paths):
    return {name: hw.read_parquet(str(p)) for name, p in paths.items()}


def to_pandas(result):
    return result.to_pandas()


def synchronize():
    hw.get_backend().synchronize()


def _q7(x):
    g = x.groupby("id3", **GB).agg(v1=("v1", "max"), v2=("v2", "min"))
    return g.assign(range_v1_v2=g["v1"] - g["v2"])[["id3", "range_v1_v2"]]


def _q8(x):
    top = x[~x["v3"].isna()][["id6", "v3"]].sort_values("v3", ascending=False)
    return top.groupby("id6", **GB).head(2)


def _r2(x):
    v1, v2 = x["v1"].astype("float64"), x["v2"].astype("float64")
    d = hw.DataFrame({"id2": x["id2"], "id4": x["id4"], "v1": v1, "v2": v2,
                      "xy": v1 * v2, "xx": v1 * v1, "yy": v2 * v2})
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
    "q7": _q7,
    "q8": _q8,
    "q9": _r2,
    "q10": lambda x: x.groupby(["id1", "id2", "id3", "id4", "id5", "id6"], **GB).agg(
        v3=("v3", "sum"), count=("v1", "size")),
}

JOIN = {
    "q1": lambda d: hw.merge(d["x"], d["small"], how="inner", on="id1"),
    "q2": lambda d: hw.merge(d["x"], d["medium"], how="inner", on="id2"),
    "q3": lambda d: hw.merge(d["x"], d["medium"], how="left", on="id2"),
    "q4": lambda d: hw.merge(d["x"], d["medium"], how="inner", on="id5"),
    "q5": lambda d: hw.merge(d["x"], d["big"], how="inner", on="id3"),
}
