"""``merge_asof``: each left row joins the nearest right row by an ordered key.

The ``on`` values of both sides get joint ranks (one sorted factorize), the ``by`` keys
joint group ids; ``group * stride + rank`` is then one sortable integer per row, and a
binary search of the right side's keys finds each left row's candidate on the device
(the last one at or before it, the first at or after it, or the closer of the two).
As pandas: both sides must be sorted by ``on``, the left row order is kept, and a left
row without a match gets nulls.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column.base import Column
from headwater.dataframe.column.cast import concat_columns
from headwater.dataframe.errors import missing_column
from headwater.tensor.transfer import to_host

__all__ = ["merge_asof"]

_DIRECTIONS = ("backward", "forward", "nearest")


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _joint_ids(backend: Any, left: list[Column], right: list[Column], sort: bool) -> tuple[Any, Any, int]:
    """Ids shared by both sides for the key columns (-1 where a key is missing)."""
    ids_list, sizes = [], []
    for lcol, rcol in zip(left, right):
        both = concat_columns([lcol, rcol])
        values, mask = both.factorize_key()
        ids, uniques = backend.factorize(values, mask, sort=sort)
        ids_list.append(ids)
        sizes.append(int(uniques.shape[0]))
    ids, n = backend.combine_ids(ids_list, sizes, sort=sort)
    n_left = len(left[0])
    return ids[:n_left], ids[n_left:], n


def _sorted(xp: Any, values: Any) -> bool:
    return values.shape[0] < 2 or bool(to_host(xp.all(values[1:] >= values[:-1])))


def _distance_values(col: Column) -> Any:
    return col.data.astype(np.float64) if col.kind in ("int", "uint", "float", "bool") else col.data


def merge_asof(left: Any, right: Any, on: str | None = None, left_on: str | None = None,
               right_on: str | None = None, left_index: bool = False, right_index: bool = False,
               by: Any = None, left_by: Any = None, right_by: Any = None,
               suffixes: tuple[str, str] = ("_x", "_y"), tolerance: Any = None,
               allow_exact_matches: bool = True, direction: str = "backward") -> Any:
    """Join each left row to the right row with the nearest ``on`` key, as ``pandas.merge_asof``.

    Parameters
    ----------
    left, right : DataFrame
        Both sorted by their ``on`` column.
    on, left_on, right_on : str
        The ordered key (numbers or datetimes).
    by, left_by, right_by : str or list of str, optional
        Match only rows with equal ``by`` keys.
    tolerance : number or Timedelta, optional
        Farthest allowed distance.
    allow_exact_matches : bool
        False: an equal key is not a match (strictly before/after).
    direction : {"backward", "forward", "nearest"}
        The last right row at or before, the first at or after, or the closer (ties
        go backward, as pandas).

    Examples
    --------
    >>> import headwater as hw
    >>> trades = hw.DataFrame({"t": [1, 5, 10], "qty": [100, 200, 300]})
    >>> quotes = hw.DataFrame({"t": [0, 4, 6, 10], "bid": [1.0, 1.1, 1.2, 1.3]})
    >>> hw.merge_asof(trades, quotes, on="t").to_dict()
    {'t': [1, 5, 10], 'qty': [100, 200, 300], 'bid': [1.0, 1.1, 1.3]}
    >>> hw.merge_asof(trades, quotes, on="t", allow_exact_matches=False)["bid"].to_list()
    [1.0, 1.1, 1.2]
    """
    from headwater.dataframe.frame import DataFrame

    if left_index or right_index:
        raise NotImplementedError("merge_asof(left_index=/right_index=) is not supported: rows have no "
                                  "index; pass the key column as on= (reset_index() first)")
    if direction not in _DIRECTIONS:
        raise ValueError(f"direction invalid: {direction!r}; choose from {_DIRECTIONS}")
    lkey = left_on if left_on is not None else on
    rkey = right_on if right_on is not None else on
    if lkey is None or rkey is None:
        raise ValueError("merge_asof needs on= (or left_on= and right_on=)")
    lby, rby = _names(left_by if left_by is not None else by), _names(right_by if right_by is not None else by)
    if len(lby) != len(rby):
        raise ValueError("left_by and right_by must name the same number of columns")
    for frame, names in ((left, [lkey, *lby]), (right, [rkey, *rby])):
        for name in names:
            if name not in frame._columns:
                raise missing_column(name, frame._columns)
    lcol, rcol = left._columns[lkey], right._columns[rkey]
    if lcol.kind != rcol.kind and {lcol.kind, rcol.kind} - {"int", "uint", "float"}:
        raise TypeError(f"incompatible merge keys: {lcol.dtype} and {rcol.dtype}; cast one with .astype(...)")
    if lcol.kind not in ("int", "uint", "float", "datetime", "timedelta"):
        raise TypeError(f"merge_asof needs an ordered numeric or datetime key, got {lcol.dtype}")
    for side, col in (("left", lcol), ("right", rcol)):
        if col.null_count:
            raise ValueError(f"Merge keys contain null values on {side} side")
    backend = left._backend()
    xp = backend.xp
    lv, rv = _distance_values(lcol), _distance_values(rcol)
    if not _sorted(xp, lv):
        raise ValueError("left keys must be sorted")
    if not _sorted(xp, rv):
        raise ValueError("right keys must be sorted")
    lrank, rrank, n_ranks = _joint_ids(backend, [lcol], [rcol], sort=True)
    stride = n_ranks + 1
    if lby:
        lgroup, rgroup, _ = _joint_ids(backend, [left._columns[n] for n in lby],
                                       [right._columns[n] for n in rby], sort=False)
    else:
        lgroup = xp.zeros(len(lcol), dtype=xp.int64)
        rgroup = xp.zeros(len(rcol), dtype=xp.int64)
    rkeys = xp.where(rgroup >= 0, rgroup * stride + rrank, -1)
    order = backend.stable_argsort(rkeys)
    rsorted = rkeys[order]
    lkeys = lgroup * stride + lrank
    n_right = len(rcol)

    def candidate(side: str, shift: int) -> tuple[Any, Any]:
        pos = xp.searchsorted(rsorted, lkeys, side=side).astype(xp.int64) + shift
        ok = (pos >= 0) & (pos < n_right) & (lgroup >= 0)
        safe = xp.clip(pos, 0, max(n_right - 1, 0))
        row = order[safe] if n_right else safe
        ok &= (rgroup[row] == lgroup) if n_right else ok
        return row, ok

    if direction in ("backward", "nearest"):
        back, back_ok = candidate("right" if allow_exact_matches else "left", -1)
    if direction in ("forward", "nearest"):
        fwd, fwd_ok = candidate("left" if allow_exact_matches else "right", 0)
    if direction == "backward":
        row, ok = back, back_ok
    elif direction == "forward":
        row, ok = fwd, fwd_ok
    else:
        d_back = xp.abs(lv - rv[back]) if n_right else lv
        d_fwd = xp.abs(rv[fwd] - lv) if n_right else lv
        use_fwd = fwd_ok & (~back_ok | (d_fwd < d_back))
        row = xp.where(use_fwd, fwd, back)
        ok = use_fwd | back_ok
    if tolerance is not None and n_right:
        limit = _tolerance(lcol, tolerance)
        ok &= xp.abs(lv - rv[row]) <= limit
    indices = xp.where(ok, row, -1)
    out: dict[str, Column] = {}
    right_names = [n for n in right._columns if n not in (rby if lby else []) and not (n == rkey and lkey == rkey)]
    for name, col in left._columns.items():
        out[name + suffixes[0] if name in right_names and name != lkey else name] = col
    for name in right_names:
        target = name + suffixes[1] if name in left._columns else name
        out[target] = right._columns[name].take(indices, allow_missing=True, checked=True)
    return DataFrame._from_columns(out)


def _tolerance(col: Column, tolerance: Any) -> Any:
    if col.kind in ("datetime", "timedelta"):
        import pandas as pd

        delta = pd.Timedelta(tolerance)
        if delta < pd.Timedelta(0):
            raise ValueError("tolerance must be positive")
        return int(delta.value)
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float, np.number)) or tolerance < 0:
        raise ValueError(f"tolerance must be a non-negative number for a {col.dtype} key, got {tolerance!r}")
    return float(tolerance)
