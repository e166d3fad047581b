"""Turning user data (dicts, records, pandas, Arrow) into named columns of one length."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from headwater.dataframe.column import (
    Column,
    column_from_arrow,
    column_from_host,
    column_from_scalar,
)
from headwater.dataframe.dtypes import kind_of
from headwater.dataframe.errors import LengthMismatchError
from headwater.tensor.devices import Device

__all__ = ["columns_from_data", "check_lengths", "is_scalar"]


def is_scalar(value: Any) -> bool:
    """True for a single value (number, string, timestamp, None) rather than a sequence."""
    if value is None or isinstance(value, (str, bytes, int, float, bool, complex, np.generic)):
        return True
    return type(value).__name__ in ("Timestamp", "Timedelta", "NAType", "NaTType", "datetime",
                                    "date", "timedelta", "Decimal")


def check_lengths(columns: Mapping[str, Column]) -> None:
    """Raise :class:`LengthMismatchError` naming the columns when lengths differ."""
    lengths = {name: len(col) for name, col in columns.items()}
    if len(set(lengths.values())) > 1:
        listing = ", ".join(f"{name!r}: {n} ({columns[name].dtype})" for name, n in lengths.items())
        raise LengthMismatchError(
            f"all columns must have the same length, got {listing}; pass values of one length "
            f"(a scalar is repeated to fill a column)"
        )


def from_python_values(values: Any, dtype: Any = None, device: str | Device | None = None) -> Column:
    """A column from constructor data, inferring the dtype as pandas does: a Python
    list of integers with missing values (``[1, None, 3]``) is float64 with NaN there
    in pandas (NumPy integers hold no missing value), so it is float64 with nulls here
    too. Typed data (NumPy, pandas, Arrow) and an explicit ``dtype=`` keep their dtype.

    Examples
    --------
    >>> from headwater.dataframe.construct import from_python_values
    >>> str(from_python_values([1, None, 3]).dtype), str(from_python_values([1, 2]).dtype)
    ('float64', 'int64')
    """
    col = column_from_host(values, dtype=dtype, device=device)
    if dtype is None and isinstance(values, (list, tuple)) and col.null_count and kind_of(col.dtype) in ("int", "uint"):
        col = col.astype("float64")
    return col


def _one(value: Any, device: str | Device | None, dtype: Any = None) -> Column:
    from headwater.dataframe.series import Series

    if isinstance(value, Series):
        col = value._column
        if device is not None:
            col = col.to(device)
        return col.astype(dtype) if dtype is not None else col
    return from_python_values(value, dtype=dtype, device=device)


def columns_from_data(data: Any, columns: list[str] | None = None, device: str | Device | None = None,
                      dtype: Any = None) -> dict[str, Column]:
    """Named columns of equal length from a dict, records, pandas, Arrow or a Headwater frame."""
    from headwater.dataframe.frame import DataFrame

    _check_unique_names(data)
    if data is None:
        out: dict[str, Column] = {}
    elif isinstance(data, DataFrame):
        out = {name: col if device is None else col.to(device) for name, col in data._columns.items()}
    elif isinstance(data, (pa.Table, pa.RecordBatch)):
        out = {str(name): column_from_arrow(data.column(i), device, name=str(name))
               for i, name in enumerate(data.column_names)}
    elif type(data).__name__ == "DataFrame" and hasattr(data, "iloc"):  # pandas
        out = {}
        for i, name in enumerate(data.columns):
            out[str(name)] = column_from_host(data.iloc[:, i], device=device)
    elif isinstance(data, Mapping):
        out = _from_mapping(data, device)
    elif isinstance(data, (list, tuple)) and data and all(isinstance(r, Mapping) for r in data):
        keys = list(dict.fromkeys(str(k) for r in data for k in r))
        table = pa.Table.from_pylist([{k: r.get(k) for k in keys} for r in data])
        out = {name: column_from_arrow(table.column(name), device) for name in table.column_names}
    elif isinstance(data, np.ndarray) and data.ndim == 2:
        names = columns or [str(i) for i in range(data.shape[1])]
        if len(names) != data.shape[1]:
            raise LengthMismatchError(f"{len(names)} column names for an array with {data.shape[1]} columns")
        out = {str(n): column_from_host(np.ascontiguousarray(data[:, i]), device=device) for i, n in enumerate(names)}
        columns = None
    elif isinstance(data, (list, tuple)) and not data:
        out = {}
    else:
        raise TypeError(
            f"cannot make a DataFrame from {type(data).__name__}; pass a dict of columns, a list "
            f"of dicts, a pandas DataFrame, a pyarrow Table or a 2-D NumPy array"
        )
    if columns is not None:
        from headwater.dataframe.errors import missing_column

        for name in columns:
            if name not in out:
                raise missing_column(name, out)
        out = {name: out[name] for name in columns}
    if dtype is not None:
        out = {name: col.astype(dtype) for name, col in out.items()}
    check_lengths(out)
    return out


def _check_unique_names(data: Any) -> None:
    names = None
    if isinstance(data, (pa.Table, pa.RecordBatch)):
        names = [str(n) for n in data.column_names]
    elif type(data).__name__ == "DataFrame" and hasattr(data, "iloc"):
        names = [str(n) for n in data.columns]
    if names is not None and len(set(names)) != len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        raise ValueError(f"column names must be unique; repeated: {dupes}. Rename them first")


def _from_mapping(data: Mapping, device: str | Device | None) -> dict[str, Column]:
    out: dict[str, Column] = {}
    scalars: dict[str, Any] = {}
    for name, value in data.items():
        if is_scalar(value):
            scalars[str(name)] = value
        else:
            out[str(name)] = _one(value, device)
    if scalars:
        lengths = {len(c) for c in out.values()}
        n = lengths.pop() if len(lengths) == 1 else (1 if not lengths else None)
        if n is None:
            check_lengths(out)
        full = {}
        for name in (str(k) for k in data):
            full[name] = out[name] if name in out else column_from_scalar(scalars[name], n, device=device)
        out = full
    return out
