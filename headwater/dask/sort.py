"""hwd sort_values: sample-based range partitioning, then a stable sort of each partition."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from dask.highlevelgraph import HighLevelGraph

from headwater.dask import collection, partition, shuffle, tree

__all__ = ["sort_values"]

_SAMPLES = 64  # sample values per input partition


def _sample(frame: Any, key: str) -> tuple[list[Any], int]:
    """Up to ``_SAMPLES`` evenly spaced non-missing values of ``key`` (sorted), and the partition's length."""
    values = frame[key].dropna().sort_values()
    n = len(values)
    if n == 0:
        return [], 0
    picks = np.unique(np.linspace(0, n - 1, min(_SAMPLES, n)).astype(np.int64))
    return values.iloc[picks].tolist(), n


def _boundaries(samples: list[tuple[list[Any], int]], npartitions: int) -> list[Any]:
    """``npartitions - 1`` cut values: quantiles of the samples, each weighted by its partition's size."""
    values: list[Any] = []
    weights: list[float] = []
    for picks, n in samples:
        values.extend(picks)
        weights.extend([n / len(picks)] * len(picks) if picks else [])
    if not values:
        return []
    order = sorted(range(len(values)), key=values.__getitem__)
    cum = np.cumsum([weights[i] for i in order])
    targets = cum[-1] * np.arange(1, npartitions) / npartitions
    cuts = np.searchsorted(cum, targets).clip(0, len(order) - 1)
    return list(dict.fromkeys(values[order[i]] for i in cuts))  # distinct and in order


def _range_buckets(frame: Any, key: str, bounds: list[Any], npartitions: int, ascending: bool,
                   na_last: bool) -> Any:
    """Bucket of each row: how many cut values lie below its key (equal keys share a bucket)."""
    column = frame[key]
    xp = frame._get_column(key).xp
    bucket = xp.zeros(len(frame), dtype=xp.int64)
    for b in bounds:
        above = (column > b).fillna(False)
        bucket = bucket + above._column.data.astype(xp.int64)
    last = max(len(bounds), 0)
    if not ascending:
        bucket = last - bucket
    valid = frame._get_column(key).missing_mask()  # validity: False at nulls and NaN
    return bucket if valid is None else xp.where(valid, bucket, last if na_last else 0)


def _local_sort(frame: Any, by: list[str], ascending: list[bool], na_position: str) -> Any:
    return frame.sort_values(by, ascending=ascending, na_position=na_position, kind="stable")


def sort_values(frame: Any, by: str | list[str], ascending: bool | list[bool] = True, na_position: str = "last",
                npartitions: int | None = None, **kwargs: Any) -> Any:
    """Rows in the order of ``by``, across partitions (a stable sort, as ``kind="stable"``).

    Each partition sends a sample of the first key; quantiles of the samples cut the
    key range into ``npartitions`` ranges (default: the input's count); rows move to
    the partition of their range and each partition is sorted. Ties keep their
    global order. The output partitions differ in size as the data's distribution
    differs from the sample's.

    Examples
    --------
    >>> import headwater as hw, headwater.dask as hwd
    >>> d = hwd.from_headwater(hw.DataFrame({"a": [3, 1, None, 2, 5, 4]}), npartitions=3)
    >>> d.sort_values("a").compute()["a"].tolist()
    [1.0, 2.0, 3.0, 4.0, 5.0, None]
    >>> d.sort_values("a", ascending=False, na_position="first").compute()["a"].tolist()
    [None, 5.0, 4.0, 3.0, 2.0, 1.0]
    """
    for name in kwargs:
        raise NotImplementedError(f"hwd sort_values does not support {name}=; it takes by, ascending, "
                                  "na_position and npartitions (the sort is always stable)")
    keys = [by] if isinstance(by, str) else list(by)
    frame._check_columns(keys)
    asc = [ascending] * len(keys) if isinstance(ascending, bool) else list(ascending)
    if len(asc) != len(keys):
        raise ValueError(f"ascending has {len(asc)} entries for {len(keys)} sort keys")
    if na_position not in ("first", "last"):
        raise ValueError(f"na_position must be 'first' or 'last', got {na_position!r}")
    n = npartitions or frame.npartitions
    local = functools.partial(_local_sort, by=keys, ascending=asc, na_position=na_position)
    if n == 1:
        return tree.tree_reduce(frame, partition.identity, local, frame._meta,
                                split_every=max(frame.npartitions, 2), prefix="sort-one")
    name = collection.fresh_name("sort-bounds", frame._name, keys[0], n)
    dsk = {(name, 0): (_boundaries, [(_sample, k, keys[0]) for k in frame.__dask_keys__()], n)}
    bounds = collection.Scalar(HighLevelGraph.from_collections(name, dsk, dependencies=[frame]), name)
    ranged = shuffle.shuffle(frame, _range_buckets, n, keys[0], (name, 0), n, asc[0], na_position == "last",
                             prefix="sort-shuffle", extra=[bounds])
    return ranged.map_partitions(local, meta=frame._meta)
