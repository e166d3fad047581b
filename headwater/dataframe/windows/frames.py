"""What a window runs over, and how its per-column results become a Series or frame.

A Series gives one column; a DataFrame every column but ``on`` (which comes back
unchanged, in place); a groupby its value columns, with the rows in group order, keyed
by the group keys and the rows' labels, as pandas' ``groupby(...).rolling(...)`` is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from headwater.dataframe.column import build_column
from headwater.dataframe.column.base import Column
from headwater.dataframe.errors import missing_column

__all__ = ["WindowTarget"]


def _types() -> tuple[type, type]:
    from headwater.dataframe.frame import DataFrame
    from headwater.dataframe.series import Series

    return Series, DataFrame


class WindowTarget:
    """The object a window runs over (Series, DataFrame or groupby)."""

    def __init__(self, obj: Any, groupby: Any, on: str | None, what: str) -> None:
        Series, DataFrame = _types()
        self.obj, self.groupby, self.on, self.what = obj, groupby, on, what
        self.groups = None
        if groupby is not None:
            frame = groupby._frame
            self.frame = frame
            self.names = groupby._value_names()
            self.columns = {name: frame._columns[name] for name in self.names}
            self.groups = groupby.keys
            self.series = isinstance(groupby._selection, str)
        elif isinstance(obj, Series):
            self.frame = None
            self.columns = {obj.name: obj._column}
            self.series = True
        elif isinstance(obj, DataFrame):
            self.frame = obj
            self.columns = dict(obj._columns)
            self.series = False
        else:
            raise TypeError(f"{what} runs over a Series, a DataFrame or a groupby, got {type(obj).__name__}")
        self.times = None
        if on is not None:
            if self.frame is None:
                raise TypeError(f"{what}(on=) needs a DataFrame; a Series has no other column to use")
            if on not in self.frame._columns:
                raise missing_column(on, self.frame._columns)
            col = self.frame._columns[on]
            if col.kind != "datetime":
                raise TypeError(f"{what}(on={on!r}) needs a datetime column, got {col.dtype}")
            if col.null_count:
                raise ValueError(f"{what}(on={on!r}): the column has missing times; drop those rows first")
            self.times = col.data
            self.columns.pop(on, None)
        first = next(iter(self.columns.values()), None)
        if first is None and self.frame is not None and self.frame._columns:
            first = next(iter(self.frame._columns.values()))
        self.backend = first.backend if first is not None else _default_backend()
        self.n_rows = len(first) if first is not None else 0

    def assemble(self, one: Callable[[Any, Column], Column], step: int | None) -> Any:
        """The result of ``one(name, column)`` for every column, as pandas shapes it."""
        Series, DataFrame = _types()
        results = {name: one(name, col) for name, col in self.columns.items()}
        if self.groupby is not None:
            return self._grouped(results)
        if self.series:
            name, col = next(iter(results.items()))
            out = self.obj._from_column(col, name)
        else:
            cols = {name: (self.frame._columns[name] if name == self.on else results[name])
                    for name in self.frame._columns}
            out = self.frame._from_columns(cols)
        return out if step is None else out.iloc[::step]

    def _grouped(self, results: dict[Any, Column]) -> Any:
        from headwater.dataframe.keys import require_labels
        from headwater.dataframe.windows.bounds import WindowOrder

        order = WindowOrder(self.backend, self.n_rows, self.groups)
        frame = self.frame
        keys = {name: frame._columns[name].take(order.order, checked=True) for name in self.groupby._by}
        if frame._keys:  # the frame's own labels follow its rows, as pandas' index level
            keys.update({name: col.take(order.order, checked=True) for name, col in frame._keys.items()})
        else:
            require_labels(frame, "groupby(...).rolling(...) labels its rows with pandas' row labels",
                           "reset_index(drop=True) on the frame first")
            positions = build_column(order.order.astype(self.backend.xp.int64))
            keys[f"level_{len(self.groupby._by)}"] = positions
        return grouped_result(keys, results, self.series)

    def combine(self, func: Any, call: Callable[[str], Any]) -> Any:
        """Several aggregations: a list (or a dict column -> name(s) on frames)."""
        Series, DataFrame = _types()
        if isinstance(func, dict):
            if self.series:
                raise TypeError(f"{self.what}.agg with a dict needs a DataFrame; pass a list of names")
            plan = [(col, a) for col, aggs in func.items() for a in ([aggs] if isinstance(aggs, str) else aggs)]
            flat = all(isinstance(a, str) for a in func.values())
        elif isinstance(func, (list, tuple)):
            plan = [(col, a) for col in self.columns for a in func]
            flat = False
        else:
            raise TypeError(f"{self.what}.agg takes a name, a list of names or a dict, got {type(func).__name__}")
        done = {a: call(a) for a in dict.fromkeys(a for _, a in plan)}
        out: dict[str, Column] = {}
        if self.series and isinstance(func, (list, tuple)):
            for a, result in done.items():
                out[a] = result._column
            first = next(iter(done.values()))
            return DataFrame._from_columns(out, keys=first._keys)
        for col, a in plan:
            if col not in self.columns:
                raise missing_column(col, self.columns)
            out[col if flat else f"{col}_{a}"] = done[a]._columns[col]
        return next(iter(done.values()))._from_columns(out)  # the results' keys and rows


def grouped_result(keys: dict[str, Column], values: dict[Any, Column], series: bool) -> Any:
    """Rows in group order, keyed by the group keys and the rows' own labels (pandas'
    ``(key, row)`` index): a Series for one selected column, else a frame."""
    Series, DataFrame = _types()
    if series:
        name, col = next(iter(values.items()))
        return Series._from_column(col, name, keys=keys)
    return DataFrame._from_columns(values, keys=keys)


def _default_backend() -> Any:
    from headwater.tensor.devices import get_backend

    return get_backend()
