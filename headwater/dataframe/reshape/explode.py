"""``explode``: one row per list element (an empty or null list gives one null row), as
pandas; the other columns repeat by one device gather."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from headwater.dataframe.column import column_from_arrow
from headwater.dataframe.column.base import Column, UnsupportedOperation
from headwater.dataframe.errors import missing_column

__all__ = ["explode_frame", "explode_series", "list_elements"]


def _layout(col: Column) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """(length of each row's list, 0 for null; offset of its first element; the elements)."""
    if col.kind != "list":
        raise UnsupportedOperation(f"explode needs a list column, got {col.dtype}; make lists with "
                                   f".str.split(...) first")
    arr = col.to_arrow()
    lengths = pc.fill_null(pc.list_value_length(arr), 0).to_numpy().astype(np.int64)
    starts = np.cumsum(lengths) - lengths
    return lengths, starts, pc.list_flatten(arr)


def _exploded(col: Column, lengths: np.ndarray, starts: np.ndarray, flat: pa.Array) -> tuple[Any, Column]:
    counts = np.maximum(lengths, 1)
    parent = np.repeat(np.arange(len(lengths), dtype=np.int64), counts)
    within = np.arange(len(parent), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    has = np.repeat(lengths > 0, counts)
    index = pa.array(np.where(has, np.repeat(starts, counts) + within, 0), pa.int64(), mask=~has)
    values = column_from_arrow(flat.take(index), device=col.device)
    return col.backend.to_device(parent), values


def explode_series(series: Any, ignore_index: bool = False) -> Any:
    """``Series.explode``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.Series([["a", "b"], [], None, ["c"]]).explode().to_list()
    ['a', 'b', None, None, 'c']
    """
    lengths, starts, flat = _layout(series._column)
    parent, values = _exploded(series._column, lengths, starts, flat)
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
    first = layouts[names[0]][0]
    for name in names[1:]:
        if not np.array_equal(np.maximum(layouts[name][0], 1), np.maximum(first, 1)):
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
    arr = col.to_arrow()
    lengths = pc.fill_null(pc.list_value_length(arr), 0).to_numpy().astype(np.int64)
    starts = np.cumsum(lengths) - lengths
    index = position if position >= 0 else lengths + position
    index = np.broadcast_to(np.asarray(index, dtype=np.int64), lengths.shape)
    ok = (index >= 0) & (index < lengths)
    take = pa.array(np.where(ok, starts + index, 0), pa.int64(), mask=~ok)
    return column_from_arrow(pc.list_flatten(arr).take(take), device=col.device)
