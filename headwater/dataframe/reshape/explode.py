"""``explode``: one row per list element (an empty or null list gives one null row), as
pandas; the elements are one device gather from the list column's element column and
the other columns repeat by one device gather."""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column.base import Column, UnsupportedOperation
from headwater.dataframe.errors import missing_column
from headwater.tensor.transfer import to_host

__all__ = ["explode_frame", "explode_series", "list_elements"]


def _layout(col: Column) -> tuple[Any, Any, Column]:
    """(offset of each row's first element, length of its list (0 for null), the
    element column), all on the device."""
    if col.kind != "list":
        raise UnsupportedOperation(f"explode needs a list column, got {col.dtype}; make lists with "
                                   f".str.split(...) first")
    return col.row_lists()


def _exploded(col: Column, starts: Any, lengths: Any, elements: Column) -> tuple[Any, Column]:
    """(parent row of each output row, the output values): one row per element, one null
    row per empty or null list."""
    xp, backend = col.xp, col.backend
    counts = xp.maximum(lengths, 1)
    parent = backend.repeat(xp.arange(len(col), dtype=np.int64), counts)
    first = xp.cumsum(counts) - counts
    within = xp.arange(parent.shape[0], dtype=np.int64) - first[parent]
    index = xp.where(lengths[parent] > 0, starts[parent] + within, -1)
    return parent, elements.take(index, allow_missing=True, checked=True)


def explode_series(series: Any, ignore_index: bool = False) -> Any:
    """``Series.explode``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.Series([["a", "b"], [], None, ["c"]]).explode().to_list()
    ['a', 'b', None, None, 'c']
    """
    parent, values = _exploded(series._column, *_layout(series._column))
    return series._from_column(values, series.name) if ignore_index else \
        series.to_frame("__v__")._take_rows(parent)._from_columns({"__v__": values})["__v__"].rename(series.name)


def explode_frame(frame: Any, column: Any, ignore_index: bool = False) -> Any:
    """``DataFrame.explode`` of one or several list columns (of equal lengths per row).

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"k": [1, 2], "tags": [["x", "y"], ["z"]]})
    >>> df.explode("tags").to_dict()
    {'k': [1, 1, 2], 'tags': ['x', 'y', 'z']}
    """
    names = [column] if isinstance(column, str) else list(column)
    if not names:
        raise ValueError("column must be nonempty")
    for name in names:
        if name not in frame._columns:
            raise missing_column(name, frame._columns)
    layouts = {name: _layout(frame._columns[name]) for name in names}
    first = layouts[names[0]][1]
    xp = frame._columns[names[0]].xp
    for name in names[1:]:
        if not bool(to_host(xp.all(xp.maximum(layouts[name][1], 1) == xp.maximum(first, 1)))):
            raise ValueError("columns must have matching element counts")
    parent = None
    exploded: dict[str, Column] = {}
    for name in names:
        parent, exploded[name] = _exploded(frame._columns[name], *layouts[name])
    rest = frame._take_rows(parent)
    out = {name: exploded.get(name, col) for name, col in rest._columns.items()}
    if ignore_index:
        from headwater.dataframe.frame import DataFrame

        return DataFrame._from_columns(out)
    return rest._from_columns(out)


def list_elements(col: Column, position: int) -> Column:
    """The element at ``position`` of each list (negative from the end; null when the
    list is shorter or null), as ``s.str[i]`` on lists."""
    starts, lengths, elements = col.row_lists()
    xp = col.xp
    index = lengths + position if position < 0 else xp.full(lengths.shape[0], position, dtype=np.int64)
    ok = (index >= 0) & (index < lengths)
    return elements.take(xp.where(ok, starts + index, -1), allow_missing=True, checked=True)
