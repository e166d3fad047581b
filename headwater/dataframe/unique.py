"""Distinct values and duplicates, through the backend's factorize and combine_ids.

Missing values (null, and NaN in floats) form one group of their own here, as in
pandas' ``drop_duplicates`` and ``value_counts(dropna=False)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from headwater.dataframe.column.base import Column
from headwater.tensor.transfer import to_host

__all__ = ["factorize_column", "factorize_columns", "nunique", "duplicated_rows", "value_ids"]


def value_ids(col: Column, sort: bool = True) -> tuple[Any, Any, int]:
    """(ids, uniques xp array, n) with missing rows at id -1."""
    values, valid = col.factorize_key() if col.layout != "plain" else (col.codes(sort)[0], col.mask)
    ids, uniques = col.backend.factorize(values, valid, sort=sort)
    return ids, uniques, int(uniques.shape[0])


def factorize_column(col: Column, sort: bool = True) -> tuple[Any, Column]:
    """(ids, uniques column): ids index the distinct values, -1 for missing rows."""
    ids, uniques, n = value_ids(col, sort)
    if col.layout == "plain":  # the distinct strings are the rows where each id first appears
        if n == 0:
            return ids, col.slice(0, 0)
        first = col.backend.segment_first_index(ids, n)
        return ids, col.take(first, checked=True).with_mask(None)
    if col.kind in ("string", "categorical"):
        unique_col = col._with(uniques.astype(np.int32), None)
        if sort and col.kind == "string":
            order = col.xp.argsort(unique_col.sort_key(), kind="stable")
            rank = col.xp.empty_like(order)
            rank[order] = col.xp.arange(n, dtype=order.dtype)
            unique_col = unique_col.take(order)
            ids = col.xp.where(ids >= 0, col.xp.take(rank, col.xp.maximum(ids, 0)) if n else ids, -1)
        return ids, unique_col
    return ids, col._with(uniques.astype(col.data.dtype), None)


def factorize_columns(cols: Sequence[Column], sort: bool = True) -> tuple[Any, Any]:
    """One id per distinct row of ``cols`` (missing is a value), and each id's first row."""
    backend = cols[0].backend
    parts, sizes = [], []
    for col in cols:
        ids, _, n = value_ids(col, sort)
        parts.append(ids + 1)  # missing (-1) becomes its own group 0
        sizes.append(n + 1)
    ids, n = backend.combine_ids(parts, sizes, sort=sort)
    first = backend.segment_first_index(ids, n)
    # a single key comes back as it is, with a slot for "missing" that may be empty
    present = first >= 0
    remap = backend.xp.cumsum(present) - 1
    return backend.xp.take(remap, ids), first[present]


def nunique(col: Column, dropna: bool = True) -> int:
    """Number of distinct values (missing counted once when ``dropna=False``)."""
    _, _, n = value_ids(col, sort=False)
    if not dropna and col.missing_mask() is not None:
        n += int(to_host(col.xp.any(col.is_missing())))
    return n


def duplicated_rows(cols: Sequence[Column], keep: str | bool = "first") -> Any:
    """xp bool array: True for rows that repeat an earlier (or later) row of ``cols``."""
    if keep not in ("first", "last", False):
        raise ValueError(f"keep must be 'first', 'last' or False, got {keep!r}")
    xp = cols[0].xp
    n_rows = len(cols[0])
    if n_rows == 0:
        return xp.zeros(0, dtype=bool)
    ids, first = factorize_columns(cols, sort=False)
    backend = cols[0].backend
    n = int(first.shape[0])
    if keep is False:
        counts = xp.bincount(ids, minlength=n)
        return xp.take(counts, ids) > 1
    keeper = first if keep == "first" else backend.segment_first_index(ids, n, last=True)
    rows = xp.arange(n_rows)
    return xp.take(keeper, ids) != rows
