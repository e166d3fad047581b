"""What the tasks run on one partition: concatenation, splitting by bucket, hashing.

Everything here takes and returns plain Headwater DataFrames and Series (or arrays of
the partition's device), so one worker runs it without knowing about the graph.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from headwater.dataframe.concat import concat
from headwater.dataframe.features.hash_bucket import HashBucket
from headwater.tensor.transfer import to_host

__all__ = ["apply", "concat_partitions", "first", "head", "identity", "hash_buckets", "split_by_bucket",
           "split_by_hash", "positional"]

_PRIME = 2_147_483_647  # 2**31 - 1: per-column hashes are folded modulo this prime


def identity(x: Any) -> Any:
    return x


def first(results: Sequence[Any]) -> Any:
    return results[0]


def apply(func: Callable[..., Any], spec: list[Any], n_args: int, kw_names: list[str], *parts: Any) -> Any:
    """``func`` called with ``spec``'s literals and the partitions ``parts`` in their places."""
    supplied = iter(parts)
    values = [next(supplied) if item is None else item[1] for item in spec]
    return func(*values[:n_args], **dict(zip(kw_names, values[n_args:])))


def positional(obj: Any) -> Any:
    """``obj`` with positional rows (its keys kept), so partition-wise operands combine by position."""
    if obj._keys:
        return obj
    return obj.reset_index(drop=True)


def concat_partitions(parts: Sequence[Any], meta: Any) -> Any:
    """The partitions stacked in order (``meta`` when there are none).

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.dask.partition import concat_partitions
    >>> a = hw.DataFrame({"x": [1]})
    >>> concat_partitions([a, a], a.head(0))["x"].tolist()
    [1, 1]
    """
    parts = [p for p in parts if p is not None]
    if not parts:
        return meta
    if len(parts) == 1:
        return parts[0]
    keyed = bool(parts[0]._keys)
    return concat(list(parts), ignore_index=not keyed)


def head(obj: Any, n: int) -> Any:
    return obj.head(n)


def hash_buckets(frame: Any, keys: Sequence[str], n: int) -> Any:
    """int64 bucket ids in ``[0, n)`` (an array on the frame's device) from the values of ``keys``.

    Equal values get equal buckets in every partition, whatever their layout or
    dictionary (strings hash their text, 1 and 1.0 hash alike); nulls share one
    bucket, so null keys meet as pandas' joins and groupby(dropna=False) need.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.dask.partition import hash_buckets
    >>> a = hash_buckets(hw.DataFrame({"k": ["x", "y", "x"]}), ["k"], 4)
    >>> int(a[0]) == int(a[2]) and all(0 <= int(b) < 4 for b in a)
    True
    """
    combined = None
    for seed, key in enumerate(keys):
        hashed = HashBucket(columns=[key], num_buckets=_PRIME, seed=seed).transform(frame[[key]])
        column = hashed._get_column(key)
        xp = column.xp
        values = column.data.astype(xp.int64)
        valid = column.missing_mask()
        if valid is not None:
            values = xp.where(valid, values, 0)
        combined = values if combined is None else (combined * 1_000_003 + values) % _PRIME
    if combined is None:
        raise ValueError("hash partitioning needs at least one key column")
    return combined % n


def split_by_bucket(frame: Any, buckets: Any, n: int) -> list[Any]:
    """``frame`` cut into ``n`` frames by ``buckets`` (xp ints), each keeping the rows' order."""
    if len(frame) == 0:
        return [frame] * n
    xp = frame._get_column(frame.columns[0]).xp
    order = xp.argsort(buckets, kind="stable")
    counts = to_host(xp.bincount(buckets, minlength=n))
    bounds = np.concatenate([[0], np.cumsum(counts)]).tolist()
    ordered = positional(frame).iloc[order]
    return [ordered.iloc[bounds[j]:bounds[j + 1]] for j in range(n)]


def split_by_hash(frame: Any, keys: Sequence[str], n: int) -> list[Any]:
    """``frame`` cut into ``n`` hash buckets of ``keys``."""
    return split_by_bucket(frame, hash_buckets(frame, keys, n), n)
