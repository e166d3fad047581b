"""What the tasks run on one partition: concatenation, splitting by bucket, hashing.

Everything here takes and returns plain Headwater DataFrames and Series (or arrays of
the partition's device), so one worker runs it without knowing about the graph.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from headwater.dataframe.concat import concat
from headwater.dataframe.features.hash_bucket import HashBucket, splitmix64
from headwater.dataframe.features.vocab import is_dictionary
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
        column = frame._get_column(key)
        if is_dictionary(column) and hasattr(column, "as_dictionary"):
            column = column.as_dictionary()  # the plain string layout: words once, as a dictionary
        if is_dictionary(column) and _is_text(column.dictionary.type):
            # text: hash each distinct word once (on the host dictionary), gather by code
            table = (hash_strings(column.dictionary, seed) % np.uint64(_PRIME)).astype(np.int64)
            xp = column.xp
            values = xp.take(column.backend.to_device(table), column.data) if len(table) else \
                xp.zeros(len(column), dtype=xp.int64)
            valid = column.mask
        else:
            column = HashBucket(columns=[key], num_buckets=_PRIME, seed=seed).transform(frame[[key]])._get_column(key)
            xp = column.xp
            values = column.data.astype(xp.int64)
            valid = column.missing_mask()
        if valid is not None:
            values = xp.where(valid, values, 0)
        combined = values if combined is None else (combined * 1_000_003 + values) % _PRIME
    if combined is None:
        raise ValueError("hash partitioning needs at least one key column")
    return combined % n


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def hash_strings(words: pa.Array, seed: int = 0) -> np.ndarray:
    """uint64 hashes of Arrow strings: a polynomial over each string's bytes, then SplitMix64.

    Vectorised over the bytes (a prefix sum of ``byte * P**position`` differenced at
    the offsets), so a dictionary of 10^5 words hashes in a millisecond; equal strings
    hash equally in any array, whatever their position.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from headwater.dask.partition import hash_strings
    >>> h = hash_strings(pa.array(["ab", "", "ab", "ba"]))
    >>> bool(h[0] == h[2]), bool(h[0] != h[3]), bool(h[1] != h[0])
    (True, True, True)
    """
    n = len(words)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    words = words.cast(pa.large_string()) if pa.types.is_string(words.type) else words
    buffers = words.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int64)[words.offset:words.offset + n + 1]
    data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None else np.zeros(0, np.uint8)
    base = int(offsets[0])
    lengths = np.diff(offsets)
    data = data[base:int(offsets[-1])].astype(np.uint64)
    starts = offsets[:-1] - base
    position = np.arange(len(data), dtype=np.int64) - np.repeat(starts, lengths)
    powers = np.cumprod(np.full(max(int(lengths.max(initial=0)), 1), np.uint64(1099511628211), dtype=np.uint64))
    with np.errstate(over="ignore"):
        prefix = np.concatenate([[np.uint64(0)], np.cumsum(data * powers[position], dtype=np.uint64)])
        sums = prefix[offsets[1:] - base] - prefix[starts]
    return splitmix64(np, sums ^ lengths.astype(np.uint64), seed)


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
