"""Ranks from factorized values: dense ids, counts per id, and a stable order for ties."""

from __future__ import annotations

import numpy as np

from headwater.dataframe.column import Column, build_column
from headwater.dataframe.unique import factorize_column

__all__ = ["rank_column"]

_METHODS = ("average", "min", "max", "first", "dense")


def rank_column(col: Column, method: str = "average", ascending: bool = True, pct: bool = False) -> Column:
    """1-based float64 ranks of ``col``'s values; missing rows get a null rank."""
    if method not in _METHODS:
        raise ValueError(f"method must be one of {', '.join(_METHODS)}, got {method!r}")
    xp = col.xp
    ids, uniques = factorize_column(col, sort=True)
    n = len(uniques)
    valid = ids >= 0
    if not ascending:
        ids = xp.where(valid, n - 1 - ids, -1)
    counts = xp.bincount(xp.where(valid, ids, n), minlength=n + 1)[:n]
    ends = xp.cumsum(counts)
    starts = ends - counts
    safe = xp.where(valid, ids, 0)
    if method == "dense":
        rank = (safe + 1).astype(np.float64)
        total = n
    elif method == "min":
        rank = (xp.take(starts, safe) + 1).astype(np.float64) if n else safe.astype(np.float64)
    elif method == "max":
        rank = xp.take(ends, safe).astype(np.float64) if n else safe.astype(np.float64)
    elif method == "average":
        rank = ((xp.take(starts, safe) + 1 + xp.take(ends, safe)) / 2.0) if n else safe.astype(np.float64)
    else:  # first: ties ranked in order of appearance
        order = xp.argsort(xp.where(valid, ids, n), kind="stable")
        position = xp.empty_like(order)
        position[order] = xp.arange(order.shape[0], dtype=order.dtype)
        rank = (position + 1).astype(np.float64)
    if pct:
        total_valid = xp.count_nonzero(valid) if method != "dense" else total
        rank = rank / total_valid
    return build_column(rank.astype(np.float64), None if col.missing_mask() is None else valid)
