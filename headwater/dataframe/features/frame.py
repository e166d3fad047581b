"""How feature ops read columns from a frame and hand new columns back.

Ops work on the frame's columns (``df._columns``) and never copy what they do not
change: a transform returns a new frame over the same column objects, with the
changed columns replaced and new ones appended.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from headwater.dataframe.column import build_column
from headwater.dataframe.column.base import Column
from headwater.dataframe.features.base import FeatureOpError

__all__ = [
    "require_columns",
    "column",
    "numeric_values",
    "float_column",
    "with_columns",
    "output_dtype",
]

_NUMERIC_KINDS = ("int", "uint", "float", "bool")


def require_columns(df: Any, names: Iterable[str], who: str) -> None:
    """Raise a KeyError naming the columns of ``names`` missing from ``df``."""
    cols = getattr(df, "_columns", None)
    if cols is None:
        raise TypeError(f"{who} works on a headwater DataFrame, got {type(df).__name__}; "
                        f"convert it with hw.DataFrame(...) or hw.from_pandas(...)")
    missing = [n for n in names if n not in cols]
    if missing:
        raise KeyError(f"{who}: column(s) {missing} not in the frame; it has {list(cols)}")


def column(df: Any, name: str) -> Column:
    """The column ``name`` of ``df``."""
    return df._columns[name]


def numeric_values(col: Column, name: str, who: str) -> tuple[Any, Any]:
    """(float64 values, validity or None) of a numeric or bool column; NaN counts as missing."""
    if col.kind not in _NUMERIC_KINDS:
        raise FeatureOpError(
            f"{who} needs numeric columns, but {name!r} is {col.dtype}; encode it first "
            f"(Categorify, OneHot or HashBucket) or leave it out of columns=[...]"
        )
    xp = col.xp
    values = col.data.astype(xp.float64, copy=False)
    return values, col.missing_mask()


def output_dtype(col: Column) -> Any:
    """The dtype a numeric transform returns: the input's float dtype, else float64."""
    return col.data.dtype if col.kind == "float" else np.dtype(np.float64)


def float_column(values: Any, valid: Any, dtype: Any = None) -> Column:
    """A float column over ``values`` with ``valid`` as its mask (None = no nulls)."""
    if dtype is not None and values.dtype != dtype:
        values = values.astype(dtype)
    return build_column(values, valid)


def with_columns(df: Any, new: dict[str, Column], drop: Iterable[str] = ()) -> Any:
    """A frame with ``new`` columns replacing same-named ones in place, others appended.

    Columns in ``drop`` are left out. No column buffer is copied.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.dataframe.features.frame import with_columns
    >>> df = hw.DataFrame({"a": [1], "b": [2]})
    >>> list(with_columns(df, {"c": df._columns["a"]}, drop=["a"]).columns)
    ['b', 'c']
    """
    dropped = set(drop)
    out: dict[str, Column] = {}
    for name, col in df._columns.items():
        if name in dropped:
            continue
        out[name] = new.get(name, col)
    for name, col in new.items():
        if name not in out:
            out[name] = col
    return type(df)._from_columns(out)
