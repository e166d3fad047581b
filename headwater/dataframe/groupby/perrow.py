"""Per-row group methods: shift, diff, pct_change, cumulative sums/products/extremes,
ngroup and nth.

The rows are ordered by group once on the device (``segment_argsort``); a shift
reads the row ``periods`` places earlier in that order when it lies in the same
group, and a running reduction is a segmented scan (log2(rows) element-wise passes,
each combining a row with the row ``2**k`` places before it in the same group).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column import build_column
from headwater.dataframe.column.base import Column
from headwater.dataframe.groupby.window import positions

__all__ = ["GroupByPerRowMixin", "segmented_scan"]

_SCANS = {
    "cumsum": ("add", 0),
    "cumprod": ("multiply", 1),
    "cummax": ("maximum", None),
    "cummin": ("minimum", None),
}


def segmented_scan(xp: Any, values: Any, segments: Any, op: str) -> Any:
    """Running ``op`` of ``values`` within runs of equal ``segments`` (both in run order).

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.dataframe.groupby.perrow import segmented_scan
    >>> segmented_scan(np, np.array([1, 2, 3, 4]), np.array([0, 0, 1, 1]), "add").tolist()
    [1, 3, 3, 7]
    """
    fn = getattr(xp, op)
    out = values.copy()
    n, step = int(values.shape[0]), 1
    while step < n:
        same = segments[step:] == segments[:-step]
        out[step:] = xp.where(same, fn(out[step:], out[:-step]), out[step:])
        step *= 2
    return out


def _identity(col: Column, op: str, start: Any) -> Any:
    if start is not None:
        return start
    dtype = col.data.dtype
    if dtype.kind == "f":
        return -np.inf if op == "maximum" else np.inf
    if dtype.kind == "b":
        return op == "minimum"
    info = np.iinfo(dtype)
    return info.min if op == "maximum" else info.max


class GroupByPerRowMixin:
    """``shift diff pct_change cumsum cumprod cummax cummin ngroup nth`` of a groupby."""

    def _order(self) -> tuple[Any, Any]:
        """Rows in group order (stable) and the slot of each of those rows."""
        keys = self.keys
        backend = self._frame._backend()
        order = backend.segment_argsort(keys.ids, keys.m) if keys.m else backend.xp.zeros(0, dtype=np.int64)
        return order, keys.ids[order]

    def _per_column(self, fn: Any) -> Any:
        out = {}
        for name in self._value_names():
            col = self._frame._columns[name]
            try:
                out[name] = fn(col)
            except (TypeError, ValueError) as exc:
                raise type(exc)(f"column {name!r} ({col.dtype}): {exc}") from None
        return self._per_row(out)

    def _source_rows(self, periods: int) -> Any:
        """For every row, the row ``periods`` places earlier in its group, or -1."""
        xp = self._frame._backend().xp
        order, slots = self._order()
        n = int(order.shape[0])
        idx = xp.arange(n, dtype=np.int64) - int(periods)
        inside = (idx >= 0) & (idx < n)
        safe = xp.where(inside, idx, 0)
        ok = inside & (slots[safe] == slots) & (slots >= 0)
        src = xp.where(ok, order[safe], -1)
        out = xp.full(n, -1, dtype=np.int64)
        out[order] = src
        return out

    def shift(self, periods: int = 1, freq: Any = None, axis: Any = None, fill_value: Any = None) -> Any:
        """Each value ``periods`` rows earlier in its group (null where there is none).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": [1, 2, 1, 1], "v": [1, 2, 3, 4]})
        >>> df.groupby("k")["v"].shift().to_list()
        [None, None, 1, 3]
        """
        if freq is not None or axis is not None:
            raise NotImplementedError("groupby shift(freq=, axis=) is not supported; shift by rows")
        src = self._source_rows(periods)

        def one(col: Column) -> Column:
            out = col.take(src, allow_missing=True)
            return out if fill_value is None else out.fillna(fill_value).astype(col.dtype)

        return self._per_column(one)

    def diff(self, periods: int = 1) -> Any:
        """Each value minus the value ``periods`` rows earlier in its group.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": [1, 2, 1, 1], "v": [1.0, 2.0, 3.0, 7.0]})
        >>> df.groupby("k")["v"].diff().to_list()
        [None, None, 2.0, 4.0]
        """
        src = self._source_rows(periods)
        return self._per_column(lambda c: c.binary_op("sub", c.take(src, allow_missing=True)))

    def pct_change(self, periods: int = 1, fill_method: Any = None, limit: Any = None, freq: Any = None) -> Any:
        """Relative change from the value ``periods`` rows earlier in the group.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": [1, 1, 2], "v": [2.0, 3.0, 5.0]})
        >>> df.groupby("k")["v"].pct_change().to_list()
        [None, 0.5, None]
        """
        if fill_method is not None or limit is not None or freq is not None:
            raise NotImplementedError("pct_change(fill_method=, limit=, freq=) is not supported; "
                                      "fill first with groupby(...).ffill()")
        src = self._source_rows(periods)
        return self._per_column(lambda c: c.binary_op("truediv", c.take(src, allow_missing=True)).binary_op("sub", 1))

    def _scan(self, name: str, skipna: bool = True) -> Any:
        op, start = _SCANS[name]
        backend = self._frame._backend()
        xp = backend.xp
        order, slots = self._order()

        def one(col: Column) -> Column:
            if col.kind not in ("int", "uint", "float", "bool"):
                raise TypeError(f"{name} needs a numeric column")
            data = col.data.astype(np.int64) if col.kind == "bool" else col.data
            valid = col.missing_mask()
            fill = _identity(col, op, start)
            values = data if valid is None else xp.where(valid, data, fill)
            ran = segmented_scan(xp, values[order], slots, op)
            out = xp.empty_like(ran)
            out[order] = ran
            mask = valid
            if not skipna and valid is not None:  # once missing, missing for the rest of the group
                seen = segmented_scan(xp, (~valid)[order].astype(np.int8), slots, "maximum")
                after = xp.empty_like(seen)
                after[order] = seen
                mask = after == 0
            if self.keys.has_dropped:
                dropped = self.keys.ids >= 0
                mask = dropped if mask is None else mask & dropped
            return build_column(out, mask)

        return self._per_column(one)

    def cumsum(self, skipna: bool = True) -> Any:
        """Running sum within each group (missing values stay missing and are skipped).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": [1, 2, 1], "v": [1, 5, 2]})
        >>> df.groupby("k")["v"].cumsum().to_list()
        [1, 5, 3]
        """
        return self._scan("cumsum", skipna)

    def cumprod(self, skipna: bool = True) -> Any:
        """Running product within each group.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"k": [1, 1], "v": [2, 3]}).groupby("k")["v"].cumprod().to_list()
        [2, 6]
        """
        return self._scan("cumprod", skipna)

    def cummax(self, skipna: bool = True) -> Any:
        """Running maximum within each group.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"k": [1, 1, 1], "v": [2, 1, 3]}).groupby("k")["v"].cummax().to_list()
        [2, 2, 3]
        """
        return self._scan("cummax", skipna)

    def cummin(self, skipna: bool = True) -> Any:
        """Running minimum within each group.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"k": [1, 1, 1], "v": [2, 1, 3]}).groupby("k")["v"].cummin().to_list()
        [2, 1, 1]
        """
        return self._scan("cummin", skipna)

    def ngroup(self, ascending: bool = True) -> Any:
        """The group number of each row (0 to ngroups - 1; null for a dropped key).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"k": ["b", "a", "b"]}).groupby("k").ngroup().to_list()
        [1, 0, 1]
        """
        from headwater.dataframe.series import Series

        ids = self.keys.group_ids()
        number = ids if ascending else (self.keys.n - 1 - ids)
        valid = ids >= 0 if self.keys.has_dropped else None
        return Series._from_column(build_column(number.astype(np.int64), valid), None,
                                   keys=self._frame._keys, rows=self._frame._rows)

    def nth(self, n: int | list[int], dropna: Any = None) -> Any:
        """The ``n``-th row of each group (negative: from the end), in row order, as pandas.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": [1, 2, 1, 1], "v": [1, 2, 3, 4]})
        >>> df.groupby("k").nth(1)["v"].to_list()
        [3]
        >>> df.groupby("k").nth(-1)["v"].to_list()
        [2, 4]
        """
        if dropna is not None:
            raise NotImplementedError("nth(dropna=) is not supported; dropna() the frame first")
        backend = self._frame._backend()
        wanted = [n] if isinstance(n, (int, np.integer)) else list(n)
        keep = None
        for value in wanted:
            pos, valid = positions(backend, self.keys, ascending=value >= 0)
            hit = pos == (value if value >= 0 else -value - 1)
            if valid is not None:
                hit = hit & valid
            keep = hit if keep is None else keep | hit
        out = self._frame._filter_rows(keep)
        if isinstance(self._selection, str):
            return out[self._selection]
        return out if self._selection is None else out[self._by + [c for c in self._value_names()]]
