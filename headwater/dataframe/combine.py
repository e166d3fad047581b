"""Filling from neighbours and from another object: ``interpolate``, ``combine_first``
and ``update``.

``interpolate`` reads the previous and next present rows of each missing value
(:mod:`.missing`) and fills linearly by position on the device. ``combine_first`` and
``update`` take values from another object with the same rows, or aligned on the keys
when both are keyed, as pandas aligns on labels.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column import Column, build_column
from headwater.dataframe.keys import align_pair, check_same_rows
from headwater.dataframe.missing import backward_positions, forward_positions

__all__ = ["CombineMixin", "interpolate_column"]


def interpolate_column(col: Column, limit_direction: str = "forward") -> Column:
    """Missing values of a numeric column filled linearly between their present
    neighbours; before the first present value they stay missing (``"forward"``, pandas'
    default) and after the last one they take its value."""
    if col.kind not in ("int", "uint", "float"):
        return col
    valid = col.missing_mask()
    if valid is None:
        return col
    xp = col.xp
    n = len(col)
    prev, nxt = forward_positions(valid), backward_positions(valid)
    data = col.data.astype(np.float64)
    lo = xp.where(prev >= 0, prev, 0)
    hi = xp.where(nxt >= 0, nxt, 0)
    pos = xp.arange(n, dtype=np.float64)
    span = xp.where((prev >= 0) & (nxt >= 0) & (nxt > prev), (nxt - prev).astype(np.float64), 1.0)
    frac = (pos - lo) / span
    between = (prev >= 0) & (nxt >= 0)
    filled = xp.where(between, data[lo] + (data[hi] - data[lo]) * frac, xp.where(prev >= 0, data[lo], data[hi]))
    if limit_direction == "forward":
        ok = prev >= 0
    elif limit_direction == "backward":
        ok = nxt >= 0
    elif limit_direction == "both":
        ok = (prev >= 0) | (nxt >= 0)
    else:
        raise ValueError(f"limit_direction must be 'forward', 'backward' or 'both', got {limit_direction!r}")
    out = xp.where(valid, data, filled)
    return build_column(out, valid | ok)


def _other_columns(obj: Any, other: Any, what: str) -> tuple[dict, dict, dict | None]:
    """``(self columns, other columns, keys)`` on the same rows (aligned when keyed)."""
    mine = obj._columns if hasattr(obj, "_columns") else {"v": obj._column}
    theirs = other._columns if hasattr(other, "_columns") else {"v": other._column}
    if check_same_rows(obj, other, what) == "align":
        keys, mine, theirs = align_pair(obj._keys, mine, other._keys, theirs, what)
        return mine, theirs, keys
    if len(obj) != len(other):
        raise ValueError(f"{what}: {len(obj)} and {len(other)} rows; align them on keys (set_index) first")
    return mine, theirs, None


def _first_present(a: Column | None, b: Column | None) -> Column:
    if a is None:
        return b
    if b is None:
        return a
    return a.where(a.valid() & ~a.is_missing(), b)


class CombineMixin:
    """``interpolate``, ``combine_first`` and ``update`` of a Series or DataFrame."""

    def interpolate(self, method: str = "linear", *, axis: Any = 0, limit: int | None = None,
                    inplace: bool = False, limit_direction: str | None = None, limit_area: Any = None,
                    **kwargs: Any) -> Any:
        """Missing values filled linearly between their present neighbours (numeric columns).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, None, 3.0, None]).interpolate().to_list()
        [1.0, 2.0, 3.0, 3.0]
        """
        if method not in ("linear", "index") or limit is not None or limit_area is not None or kwargs:
            raise NotImplementedError(
                "interpolate supports method='linear' only, without limit=/limit_area=; fill the rest with "
                "ffill()/bfill()"
            )
        if axis not in (0, "index"):
            raise NotImplementedError("interpolate(axis=1) is not supported")
        out = self._map(lambda c: interpolate_column(c, limit_direction or "forward"))
        if inplace:
            self._inplace(out, True)
            return self
        return out

    def combine_first(self, other: Any) -> Any:
        """Values of this object, and ``other``'s where this one is missing (or lacks the
        column); keyed objects align on their keys.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, None]).combine_first(hw.Series([5.0, 6.0])).to_list()
        [1.0, 6.0]
        """
        mine, theirs, keys = _other_columns(self, other, "combine_first")
        if not hasattr(self, "_columns"):
            col = _first_present(mine["v"], theirs["v"])
            return self._from_column(col, self.name) if keys is None else self._from_column(
                col, self.name, keys=keys, rows=None)
        names = list(mine) + [n for n in theirs if n not in mine]
        cols = {n: _first_present(mine.get(n), theirs.get(n)) for n in names}
        return self._from_columns(cols) if keys is None else self._from_columns(cols, keys=keys, rows=None)

    def update(self, other: Any, join: str = "left", overwrite: bool = True, filter_func: Any = None,
               errors: str = "ignore") -> None:
        """In place: values replaced by ``other``'s present values (same-named columns;
        keyed objects align on their keys). Returns None, as pandas.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"a": [1, 2, 3]})
        >>> df.update(hw.DataFrame({"a": [10, None, 30]}))
        >>> df["a"].to_list()
        [10, 2, 30]
        """
        if join != "left" or filter_func is not None:
            raise NotImplementedError("update(join=, filter_func=) is not supported; join='left' only")
        mine = self._columns if hasattr(self, "_columns") else {"v": self._column}
        theirs = other._columns if hasattr(other, "_columns") else {"v": other._column}
        if check_same_rows(self, other, "update") == "align":
            from headwater.dataframe.keys import align_to

            theirs = {n: align_to(self._keys, other._keys, c, "update") for n, c in theirs.items() if n in mine}
        elif len(self) != len(other):
            raise ValueError(f"update: {len(self)} and {len(other)} rows; align them on keys (set_index) first")
        for name, col in theirs.items():
            if name not in mine:
                continue
            current = mine[name]
            present = col.valid() & ~col.is_missing()
            if not overwrite:
                present = present & ~(current.valid() & ~current.is_missing())
            if errors == "raise" and bool((present & current.valid()).any()):
                raise ValueError(f"update(errors='raise'): column {name!r} has values in both objects")
            new = current.where(~present, col.astype(current.dtype))
            if hasattr(self, "_columns"):
                self._columns[name] = new
            else:
                self._column = new
