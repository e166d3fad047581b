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

__all__ = ["positions", "leading_rows", "rank_column", "RANK_METHODS"]

RANK_METHODS = ("average", "min", "max", "first", "dense")


def _scatter(xp: Any, order: Any, values: Any, n_rows: int, dtype: Any) -> Any:
    out = xp.empty(n_rows, dtype=dtype)
    out[order] = values
    return out


def positions(backend: Any, keys: GroupKeys, ascending: bool = True) -> tuple[Any, Any]:
    """(position of each row in its group, validity: False for a dropped null key)."""
    out = _positions(backend, keys.ids, keys.m, keys.sizes, ascending)
    valid = None if not keys.has_dropped else keys.ids >= 0
    return out, valid


def _positions(backend: Any, ids: Any, m: int, counts: Any, ascending: bool = True) -> Any:
    """Position of each row among the rows of its slot (``counts`` rows per slot)."""
    xp = backend.xp
    n_rows = len(ids)
    if not m:
        return xp.zeros(n_rows, dtype=xp.int64)
    order = backend.segment_argsort(ids, m)
    starts = xp.cumsum(counts) - counts
    ordered_ids = ids[order]
    safe = xp.where(ordered_ids >= 0, ordered_ids, 0)
    rank = xp.arange(n_rows, dtype=xp.int64) - starts[safe]
    if not ascending:
        rank = counts[safe] - 1 - rank
    return _scatter(xp, order, rank, n_rows, xp.int64)


def leading_rows(backend: Any, keys: GroupKeys, count: int, from_end: bool = False) -> Any:
    """xp bool: the rows among the first (or last) ``count`` of their group.

    Those rows usually all lie in a short prefix (suffix) of the frame, so only
    that part is ranked: the prefix grows four-fold until every group has
    ``min(count, size)`` rows in it.
    """
    xp = backend.xp
    ids = keys.ids[::-1] if from_end else keys.ids
    n_rows = len(ids)
    keep = xp.zeros(n_rows, dtype=bool)
    if count <= 0 or n_rows == 0:
        return keep
    m = keys.m
    wanted = xp.minimum(keys.sizes, count)
    size = min(n_rows, 1 << 16)
    while True:
        head = ids[:size]
        routed = xp.where(head >= 0, head, m) if keys.has_dropped else head
        have = xp.bincount(routed, minlength=m + 1)[:m]
        if size == n_rows or bool(backend.to_host((have >= wanted).all())):
            break
        size = min(n_rows, size * 2)
    if count <= _FEW:  # a few passes that each take the first remaining row of every slot
        kept = xp.zeros(size, dtype=bool)
        rows = xp.arange(size, dtype=xp.int64)
        routed = routed.copy() if routed is head else routed
        for _ in range(count):
            first = xp.full(m + 1, size, dtype=xp.int64)
            xp.minimum.at(first, routed, rows)
            hit = first[:m][first[:m] < size]
            kept[hit] = True
            routed[hit] = m
    else:
        kept = _positions(backend, head, m, have) < count
        if keys.has_dropped:
            kept &= head >= 0
    keep[:size] = kept
    return keep[::-1] if from_end else keep


# head(n) / tail(n) with n up to this take n scatter passes instead of ranking rows
_FEW = 4


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
