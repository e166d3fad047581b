"""Polars answers, as in db-benchmark's groupby-polars.py and join-polars.py (eager)."""

from __future__ import annotations

import polars as pl


def load_groupby(path):
    return pl.read_parquet(path)


def load_join(paths):
    return {name: pl.read_parquet(p) for name, p in paths.items()}


def to_pandas(result):
    return result.to_pandas()


GROUPBY = {
    "q1": lambda x: x.group_by("id1").agg(pl.sum("v1")),
    "q2": lambda x: x.group_by(["id1", "id2"]).agg(pl.sum("v1")),
    "q3": lambda x: x.group_by("id3").agg(pl.sum("v1"), pl.mean("v3")),
    "q4": lambda x: x.group_by("id4").agg(pl.mean("v1"), pl.mean("v2"), pl.mean("v3")),
    "q5": lambda x: x.group_by("id6").agg(pl.sum("v1"), pl.sum("v2"), pl.sum("v3")),
    "q6": lambda x: x.group_by(["id4", "id5"]).agg(
        pl.median("v3").alias("median_v3"), pl.std("v3").alias("sd_v3")),
    "q7": lambda x: x.group_by("id3").agg((pl.max("v1") - pl.min("v2")).alias("range_v1_v2")),
    "q8": lambda x: x.drop_nulls("v3").sort("v3", descending=True).group_by("id6")
    .agg(pl.col("v3").head(2).alias("largest2_v3")).explode("largest2_v3"),
    "q9": lambda x: x.group_by(["id2", "id4"]).agg((pl.corr("v1", "v2") ** 2).alias("r2")),
    "q10": lambda x: x.group_by(["id1", "id2", "id3", "id4", "id5", "id6"]).agg(
        pl.sum("v3").alias("v3"), pl.count("v1").alias("count")),
}

JOIN = {
    "q1": lambda d: d["x"].join(d["small"], on="id1"),
    "q2": lambda d: d["x"].join(d["medium"], on="id2"),
    "q3": lambda d: d["x"].join(d["medium"], how="left", on="id2"),
    "q4": lambda d: d["x"].join(d["medium"], on="id5"),
    "q5": lambda d: d["x"].join(d["big"], on="id3"),
}
