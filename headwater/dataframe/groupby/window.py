"""Per-row group results: position in the group (cumcount, head) and rank.

Both sort the rows by (group, value) once on the device (the backend's
``segment_argsort``) and read positions off the sorted order; nothing loops in
Python.
"""

from __future__ import annotations

from typing import Any

from headwater.dataframe.column import build_column
from headwater.dataframe.column.base import Column
from headwater.dataframe.groupby.keys import GroupKeys

__all__ = ["positions", "rank_column", "RANK_METHODS"]

RANK_METHODS = ("average", "min", "max", "first", "dense")


def _scatter(xp: Any, order: Any, values: Any, n_rows: int, dtype: Any) -> Any:
    out = xp.empty(n_rows, dtype=dtype)
    out[order] = values
    return out


def positions(backend: Any, keys: GroupKeys, ascending: bool = True) -> tuple[Any, Any]:
    """(position of each row in its group, validity: False for a dropped null key)."""
    xp = backend.xp
    ids = keys.ids
    n_rows = len(ids)
    order = backend.segment_argsort(ids, keys.m)
    counts = keys.sizes
    starts = xp.cumsum(counts) - counts
    ordered_ids = ids[order]
    safe = xp.where(ordered_ids >= 0, ordered_ids, 0)
    rank = xp.arange(n_rows, dtype=xp.int64) - starts[safe] if keys.m else xp.zeros(n_rows, dtype=xp.int64)
    if not ascending:
        rank = counts[safe] - 1 - rank
    out = _scatter(xp, order, rank, n_rows, xp.int64)
    valid = None if not keys.has_dropped else ids >= 0
    return out, valid


def _descending_key(xp: Any, values: Any) -> Any:
    if values.dtype.kind == "f":
        return -values
    return ~values  # exact order reversal for signed, unsigned and bool


def rank_column(col: Column, keys: GroupKeys, method: str = "average", ascending: bool = True,
                pct: bool = False) -> Column:
    """Rank of each value within its group (1-based, float64; missing stays missing)."""
    backend, xp = col.backend, col.xp
    values = col.sort_key()
    if not ascending:
        values = _descending_key(xp, values)
    valid = col.missing_mask()
    kept = keys.ids >= 0 if valid is None else valid & (keys.ids >= 0)
    order = backend.segment_argsort(keys.ids, keys.m, values, kept)
    n_kept = int(backend.to_host(xp.count_nonzero(kept)))
    order = order[:n_kept]
    ids_s, vals_s = keys.ids[order], values[order]
    idx = xp.arange(n_kept, dtype=xp.int64)
    new_tie = xp.ones(n_kept, dtype=bool)
    new_tie[1:] = ids_s[1:] != ids_s[:-1]
    new_tie[1:] |= vals_s[1:] != vals_s[:-1]
    sizes = xp.bincount(ids_s, minlength=keys.m)
    group_start = (xp.cumsum(sizes) - sizes)[ids_s] if n_kept else idx
    pos = idx - group_start
    tie_id = xp.cumsum(new_tie) - 1
    tie_first = pos[xp.flatnonzero(new_tie)][tie_id] if n_kept else pos
    tie_size = xp.bincount(tie_id, minlength=1)[tie_id] if n_kept else pos
    if method == "average":
        rank = tie_first + (tie_size - 1) / 2.0 + 1
    elif method == "min":
        rank = tie_first + 1
    elif method == "max":
        rank = tie_first + tie_size
    elif method == "first":
        rank = pos + 1
    else:  # dense
        rank = tie_id - tie_id[group_start] + 1 if n_kept else pos
    rank = rank.astype(xp.float64)
    if pct:
        per_group = sizes if method != "dense" else \
            xp.bincount(ids_s, weights=new_tie.astype(xp.float64), minlength=keys.m)
        rank = rank / per_group[ids_s]
    out = xp.full(len(keys.ids), xp.nan, dtype=xp.float64)
    out[order] = rank
    return build_column(out)
