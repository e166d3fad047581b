"""``DataFrame.resample(rule, on=...)``: rows into time bins, one result row per bin.

The bins are pandas' own: pandas lays out the labels for the first and last time (a
two-row host series, so ``origin``, ``offset``, ``closed``, ``label`` and calendar
rules such as ``"ME"`` or ``"W"`` mean what they mean in pandas); each row then finds
its bin by a binary search of the edges on the device, and the aggregation is a
groupby over the bin numbers. Every bin between the first and the last comes back,
empty ones too (0 for ``sum``/``count``/``size``/``nunique``, null otherwise), keyed by
the bin labels (named as the ``on`` column), as pandas indexes them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from headwater.dataframe.column import build_column
from headwater.dataframe.column.base import Column
from headwater.dataframe.errors import missing_column
from headwater.tensor.transfer import to_host

__all__ = ["Resampler"]

_END_TYPES = {"ME", "YE", "QE", "BME", "BYE", "BQE", "W"}
_ZERO_WHEN_EMPTY = {"sum", "count", "size", "nunique"}
_AGGS = ("sum", "mean", "min", "max", "count", "size", "first", "last", "median", "std", "var",
         "nunique", "prod")


def _is_end_type(rule: Any) -> bool:
    code = pd.tseries.frequencies.to_offset(rule).rule_code
    return code in _END_TYPES or ("-" in code and code[:code.find("-")] in _END_TYPES)


class Resampler:
    """Time bins of a frame's rows (see ``DataFrame.resample``).

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"ts": hw.to_datetime(hw.Series(["2024-01-01 10:00", "2024-01-03 09:00"])),
    ...                    "v": [1.0, 2.0]})
    >>> df.resample("D", on="ts").sum().reset_index().to_dict()
    {'ts': [Timestamp('2024-01-01 00:00:00'), Timestamp('2024-01-02 00:00:00'), Timestamp('2024-01-03 00:00:00')], 'v': [1.0, 0.0, 2.0]}
    """

    def __init__(self, frame: Any, rule: Any, on: str | None = None, closed: str | None = None,
                 label: str | None = None, origin: Any = "start_day", offset: Any = None,
                 level: Any = None, axis: Any = 0, convention: Any = None, group_keys: bool = False,
                 kind: Any = None) -> None:
        if on is None:
            # a frame keyed by one datetime column (``set_index("ts")``) bins by that key,
            # as pandas bins by a DatetimeIndex
            keys = getattr(frame, "_keys", None) or {}
            if len(keys) != 1 or next(iter(keys.values())).kind != "datetime":
                raise TypeError("resample needs on='<datetime column>' or a frame keyed by one "
                                "datetime column (set_index('<datetime column>'))")
            on = next(iter(keys))
            frame = frame.reset_index()
        if level is not None or kind is not None or axis not in (0, "index"):
            raise NotImplementedError("resample(level=, kind=, axis=1) is not supported; pass on=")
        if on not in frame._columns:
            raise missing_column(on, frame._columns)
        col = frame._columns[on]
        if col.kind != "datetime":
            raise TypeError(f"resample(on={on!r}) needs a datetime column, got {col.dtype}")
        for name, value in (("closed", closed), ("label", label)):
            if value not in (None, "left", "right"):
                raise ValueError(f"{name} must be 'left' or 'right', got {value!r}")
        end = _is_end_type(rule) or origin in ("end", "end_day")
        self._closed = closed or ("right" if end else "left")
        self._label = label or ("right" if end else "left")
        self._frame, self._rule, self._on = frame, rule, on
        self._options = {"closed": self._closed, "label": self._label, "origin": origin, "offset": offset}
        self._bins: tuple[Any, Any, Any] | None = None
        self._series = False

    def _layout(self) -> tuple[Any, Column, int]:
        """(bin number of every row, the label column, number of bins)."""
        if self._bins is not None:
            return self._bins
        col = self._frame._columns[self._on]
        xp = col.xp
        valid = col.mask
        present = col.data if valid is None else col.data[valid]
        tz = getattr(col, "tz", None)
        if present.shape[0] == 0:
            labels = pd.DatetimeIndex([], tz=tz)
        else:
            ends = [int(to_host(xp.min(present))), int(to_host(xp.max(present)))]
            stamps = pd.to_datetime(ends, unit="ns", utc=tz is not None)
            if tz is not None:
                stamps = stamps.tz_convert(tz)
            labels = pd.Series([0, 0], index=stamps).resample(self._rule, **self._options).size().index
        step = pd.tseries.frequencies.to_offset(self._rule)
        if self._closed == "left":
            edges = labels if self._label == "left" else labels - step
        else:
            edges = labels if self._label == "right" else labels + step
        edge_values = np.asarray(edges.asi8, dtype=np.int64)
        if self._closed == "right" and _is_end_type(self._rule):  # a month/week end takes its whole day
            edge_values = edge_values + (86_400 * 10**9 - 1)
        edge_ns = col.backend.to_device(edge_values)
        side = "right" if self._closed == "left" else "left"
        ids = xp.searchsorted(edge_ns, col.data, side=side).astype(xp.int64)
        if self._closed == "left":
            ids = ids - 1
        inside = (ids >= 0) & (ids < len(labels))
        if valid is not None:
            inside &= valid
        ids = xp.where(inside, ids, -1)
        label_col = build_column(col.backend.to_device(np.asarray(labels.asi8, dtype=np.int64)), None,
                                 col.dtype, tz=tz)
        self._bins = (ids, label_col, len(labels))
        return self._bins

    def _aggregate(self, plan: list[tuple[str, str, str]]) -> Any:
        from headwater.dataframe.frame import DataFrame
        from headwater.dataframe.groupby import DataFrameGroupBy

        ids, labels, n_bins = self._layout()
        xp = labels.xp
        work = dict(self._frame._columns)
        work["__bin__"] = build_column(ids, ids >= 0)
        grouped = DataFrameGroupBy(DataFrame._from_columns(work), ["__bin__"], sort=True, dropna=True, as_index=False)
        named = {f"{out}\x00": (col, how) for out, col, how in plan}
        result = grouped.agg(**named)
        if getattr(result, "_keys", None):
            result = result.reset_index()
        bins = result._columns["__bin__"].data
        out: dict[str, Column] = {}
        for out_name, _, how in plan:
            got = result._columns[f"{out_name}\x00"]
            data = xp.zeros(n_bins, dtype=got.data.dtype)
            data[bins] = got.data
            if how in _ZERO_WHEN_EMPTY:
                valid = xp.ones(n_bins, dtype=bool)
                if got.mask is not None:
                    valid[bins] = got.mask
            else:
                valid = xp.zeros(n_bins, dtype=bool)
                valid[bins] = True if got.mask is None else got.mask
            out[out_name] = got._with(data, None if bool(to_host(xp.all(valid))) else valid)
        table = DataFrame._from_columns(out, keys={self._on: labels})  # keyed by the bins, as pandas
        if self._series and len(out) == 1:  # resample(...)["v"].sum() is a Series, as pandas
            from headwater.dataframe.series import Series

            name = next(iter(out))
            return Series._from_column(out[name], name, keys=table._keys)
        return table

    def _values(self) -> list[str]:
        return [name for name in self._frame._columns if name != self._on]

    def _one(self, how: str) -> Any:
        if how == "size":  # a Series, as pandas
            table = self._aggregate([("size", self._on, "size")])
            from headwater.dataframe.series import Series

            return Series._from_column(table._columns["size"], None, keys=table._keys)
        return self._aggregate([(name, name, how) for name in self._values()])

    def agg(self, func: Any = None, **named: Any) -> Any:
        """One aggregation for every column, a list (columns ``<col>_<agg>``), a dict
        column -> name(s), or named aggregations ``out=("col", "sum")``.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"ts": hw.date_range("2024-01-01", periods=4, freq="12h"), "v": [1, 2, 3, 4]})
        >>> df.resample("D", on="ts").agg({"v": ["min", "max"]})["v_max"].to_list()
        [2, 4]
        """
        if named:
            return self._aggregate([(out, spec[0], spec[1]) for out, spec in named.items()])
        if isinstance(func, str):
            return self._one(func)
        if isinstance(func, (list, tuple)):
            return self._aggregate([(f"{c}_{a}", c, a) for c in self._values() for a in func])
        if isinstance(func, dict):
            flat = all(isinstance(a, str) for a in func.values())
            return self._aggregate([(c if flat else f"{c}_{a}", c, a) for c, aggs in func.items()
                                    for a in ([aggs] if isinstance(aggs, str) else aggs)])
        raise TypeError(f"resample.agg takes a name, a list, a dict or named aggregations, got {func!r}")

    aggregate = agg

    def __getattr__(self, name: str) -> Any:
        if name in _AGGS:
            return lambda *args, **kw: self._one(name)
        raise AttributeError(f"Resampler has no attribute {name!r}; aggregations: {', '.join(_AGGS)}")

    def __getitem__(self, key: Any) -> Any:
        names = [key] if isinstance(key, str) else list(key)
        frame = self._frame[[self._on, *[n for n in names if n != self._on]]]
        out = Resampler(frame, self._rule, self._on, **self._options)
        out._bins = self._bins
        out._series = isinstance(key, str)
        return out
