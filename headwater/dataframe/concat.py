"""``hw.concat``: frames stacked by rows, or placed side by side by columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from headwater.dataframe.column import full_null
from headwater.dataframe.column.cast import concat_columns
from headwater.dataframe.construct import check_lengths
from headwater.dataframe.frame import DataFrame
from headwater.dataframe.series import Series

__all__ = ["concat"]


def concat(objs: Sequence[DataFrame | Series], axis: int | str = 0, ignore_index: bool = True) -> Any:
    """Stack frames by rows (``axis=0``) or join them side by side (``axis=1``).

    By rows, columns are matched by name; a column missing from one frame is null in its
    rows, and dtypes are promoted (int + float -> float, dictionaries unified).

    Examples
    --------
    >>> import headwater as hw
    >>> a = hw.DataFrame({"x": [1, 2]})
    >>> b = hw.DataFrame({"x": [3.5], "y": ["s"]})
    >>> hw.concat([a, b]).to_dict()
    {'x': [1.0, 2.0, 3.5], 'y': [None, None, 's']}
    >>> hw.concat([a, hw.DataFrame({"z": [0, 0]})], axis=1).columns
    ['x', 'z']
    """
    objs = [o for o in objs if o is not None]
    if not objs:
        raise ValueError("concat needs at least one DataFrame or Series")
    if axis in (1, "columns"):
        return _by_columns(objs)
    if axis not in (0, "rows", "index"):
        raise ValueError(f"axis must be 0/'rows' or 1/'columns', got {axis!r}")
    if all(isinstance(o, Series) for o in objs):
        col = concat_columns([o._column for o in objs])
        return Series._from_column(col, objs[0].name)
    frames = [o.to_frame() if isinstance(o, Series) else o for o in objs]
    names: list[str] = []
    for f in frames:
        names += [n for n in f.columns if n not in names]
    out = {}
    for name in names:
        like = next(f._columns[name] for f in frames if name in f._columns)
        parts = [
            f._columns[name] if name in f._columns else full_null(len(f), like.dtype, like.backend)
            for f in frames
        ]
        try:
            out[name] = concat_columns(parts)
        except TypeError as exc:
            raise type(exc)(f"column {name!r}: {exc}") from None
    return DataFrame._from_columns(out)


def _by_columns(objs: Sequence[DataFrame | Series]) -> DataFrame:
    out = {}
    for o in objs:
        items = {o.name or str(len(out)): o._column}.items() if isinstance(o, Series) else o._columns.items()
        for name, col in items:
            if name in out:
                raise ValueError(f"column {name!r} appears in more than one frame; rename it first")
            out[name] = col
    check_lengths(out)
    return DataFrame._from_columns(out)
