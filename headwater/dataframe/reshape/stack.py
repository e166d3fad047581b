"""``DataFrame.stack`` and ``Series.unstack`` / ``DataFrame.unstack``: moving the column
names into the keys and one key level into the columns, as pandas does.

Headwater's keys are named columns, so two unnamed levels cannot share the name None:
an unnamed level is called ``level_i`` (what pandas' ``reset_index`` would call it),
which is the one visible difference (``.index.names``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column import build_column, column_from_host
from headwater.dataframe.column.cast import common_columns
from headwater.dataframe.keys import require_labels

__all__ = ["stack_frame", "unstack_series", "unstack_frame"]


def _level_names(keys: dict) -> list[str]:
    return [f"level_{i}" if name is None else name for i, name in enumerate(keys)]


def stack_frame(frame: Any, dropna: Any = None, sort: Any = None, future_stack: bool = True) -> Any:
    """The values as one Series keyed by (row label, column name), row by row, missing
    values kept (pandas 3's ``stack``)."""
    from headwater.dataframe.labels import _positions
    from headwater.dataframe.series import Series

    if dropna is not None or sort is not None:
        raise NotImplementedError("stack(dropna=, sort=) belong to pandas' legacy stack; pandas 3 keeps "
                                  "missing values and the column order: drop them with .dropna() after")
    require_labels(frame, "stack()", "reset_index(drop=True) first (rows get positions)")
    cols = common_columns(list(frame._columns.values()))
    n, k = len(frame), len(cols)
    backend = frame._backend()
    xp = backend.xp
    rows = dict(frame._keys) if frame._keys else {None: _positions(n, backend)}
    take = xp.repeat(xp.arange(n, dtype=np.int64), k)
    keys = {name: col.take(take) for name, col in zip(_level_names(rows), rows.values())}
    names = column_from_host(list(frame._columns), dtype="string", device=frame.device)
    keys[f"level_{len(rows)}"] = names.take(xp.tile(xp.arange(k, dtype=np.int64), n))
    order = xp.arange(n * k, dtype=np.int64)
    column = _interleave(xp, cols, n, k, order)
    return Series._from_column(column, None, keys=keys, rows=None)


def _interleave(xp: Any, cols: list, n: int, k: int, order: Any) -> Any:
    if not cols:
        return build_column(xp.zeros(0, dtype=np.float64))
    if cols[0].kind in ("string", "categorical"):
        from headwater.dataframe.column.cast import concat_columns

        stacked = concat_columns(cols)  # column after column
        positions = (order % k) * n + order // k  # row by row
        return stacked.take(positions)
    data = xp.stack([c.data for c in cols], axis=1).reshape(-1)
    if all(c.mask is None for c in cols):
        return cols[0]._with(data, None)
    mask = xp.stack([c.mask if c.mask is not None else xp.ones(n, dtype=bool) for c in cols], axis=1)
    return cols[0]._with(data, mask.reshape(-1))


def unstack_series(s: Any, level: Any = -1, fill_value: Any = None, sort: bool = True) -> Any:
    """Move key ``level`` into the columns: a frame keyed by the other keys, one column
    per value of that key (named by the value as a string), sorted as pandas."""
    from headwater.dataframe.reshape.pivot import pivot

    names = list(s._keys)
    if len(names) < 2:
        raise ValueError("unstack needs a Series with at least two key levels (groupby on two keys, or "
                         "set_index with two columns); use to_frame() for one")
    if not sort:
        raise NotImplementedError("unstack(sort=False) is not supported; the result is sorted as pandas'")
    pos = _level_position(names, level)
    key_names = _level_names(s._keys)
    value = "__value__" if s.name in key_names or s.name is None else s.name
    from headwater.dataframe.frame import DataFrame

    frame = DataFrame._from_columns({**dict(zip(key_names, s._keys.values())), value: s._column},
                                    keys={}, rows=None)
    out = pivot(frame, index=[n for i, n in enumerate(key_names) if i != pos], columns=key_names[pos],
                values=value)
    return out.fillna(fill_value) if fill_value is not None else out


def unstack_frame(frame: Any, level: Any = -1, fill_value: Any = None, sort: bool = True) -> Any:
    """A frame with one value column unstacked as its Series; with several, pandas' two
    column levels are flattened to ``<column>_<value>``."""
    if len(frame._columns) == 1:
        name = next(iter(frame._columns))
        return unstack_series(frame[name], level, fill_value, sort)
    raise NotImplementedError("DataFrame.unstack with several value columns needs two column levels; "
                              "unstack one column at a time: df[col].unstack()")


def _level_position(names: list, level: Any) -> int:
    if isinstance(level, int) and not isinstance(level, bool):
        if not -len(names) <= level < len(names):
            raise IndexError(f"unstack: level {level} is out of range for {len(names)} key levels")
        return level % len(names)
    if level in names:
        return names.index(level)
    raise KeyError(f"unstack: level {level!r} is not a key; the keys are {names}")
