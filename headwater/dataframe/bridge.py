"""The zero-copy bridge from columns to tensors, and DLPack both ways.

``Series.to_tensor()`` wraps the column's own device buffer in a Tensor: no copy,
no host crossing. ``DataFrame.to_tensor()`` stacks columns into one 2-d tensor with
a single write per column into a new device array. DLPack lets other libraries
(PyTorch, JAX, CuPy) share the same memory: ``series.__dlpack__()`` exports it and
:func:`from_dlpack` imports theirs as a Tensor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from headwater.dataframe.column.base import Column
from headwater.tensor.devices import get_backend
from headwater.tensor.dtypes import to_dtype
from headwater.tensor.tensor import Tensor

__all__ = [
    "NullValuesError",
    "column_to_tensor",
    "frame_to_tensor",
    "column_dlpack",
    "column_dlpack_device",
    "from_dlpack",
]

# DLPack device types (dlpack.h): kDLCPU = 1, kDLCUDA = 2, kDLCUDAHost = 3, kDLCUDAManaged = 13.
_DL_CPU = 1
_DL_CUDA = (2, 3, 13)


class NullValuesError(ValueError):
    """A column with nulls was asked to become a tensor, which has no nulls."""


def _payload(col: Column, name: Any) -> Any:
    """The device array a tensor of ``col`` wraps: values, codes or int64 nanoseconds."""
    if col.layout == "plain":  # plain strings have no codes: encoded on the host first
        col = col.as_dictionary()
    if col.kind in ("string", "categorical", "datetime", "timedelta", "int", "uint", "float", "bool"):
        return col.data
    if col.kind == "decimal":
        raise TypeError(f"column {name!r} of dtype {col.dtype} cannot become a tensor (its int64 "
                        f"values are scaled by 10**{col.dtype.scale}); cast it with .astype(float) first")
    raise TypeError(f"column {name!r} of dtype {col.dtype} cannot become a tensor")


def _check_no_nulls(col: Column, name: Any, fix: str) -> None:
    if col.mask is not None and col.null_count:
        raise NullValuesError(
            f"column {name!r} has {col.null_count} null value(s) and a tensor cannot hold "
            f"nulls; {fix}"
        )


def column_to_tensor(col: Column, name: Any = None, fill: Any = None) -> Tensor:
    """A Tensor over the column's buffer (shared, no copy); see ``Series.to_tensor``.

    String and categorical columns give their int32 codes, datetimes and timedeltas
    their int64 nanoseconds. A column with nulls is an error unless ``fill`` is
    given, in which case null rows get ``fill`` in a new array (one device copy).

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.dataframe.column import build_column
    >>> from headwater.dataframe.bridge import column_to_tensor
    >>> col = build_column(np.array([1.0, 2.0]))
    >>> column_to_tensor(col, "x").array is col.data
    True
    """
    data = _payload(col, name)
    if fill is None:
        _check_no_nulls(col, name, "fill them first (series.fillna(...)) or pass fill=...")
        return Tensor(data)
    if col.mask is None:
        return Tensor(data)
    xp = col.xp
    return Tensor(xp.where(col.mask, data, data.dtype.type(fill)))


def frame_to_tensor(
    columns: dict[str, Column],
    names: Sequence[str] | None = None,
    dtype: Any = "float32",
    fill: Any = None,
) -> Tensor:
    """Stack columns into an ``(n_rows, n_columns)`` Tensor: one device copy.

    Parameters
    ----------
    columns : dict of name to Column
        The frame's columns.
    names : list of str, optional
        Which columns, in which order (default: all).
    dtype : str or dtype
        The tensor's dtype (``"float32"`` by default).
    fill : scalar or dict, optional
        Value for null rows, for all columns or per column name. Without it a
        column with nulls is an error naming the column.

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.dataframe.column import build_column
    >>> from headwater.dataframe.bridge import frame_to_tensor
    >>> cols = {"a": build_column(np.array([1, 2])), "b": build_column(np.array([0.5, 1.5]))}
    >>> frame_to_tensor(cols, ["b", "a"]).tolist()
    [[0.5, 1.0], [1.5, 2.0]]
    """
    if names is None:
        names = list(columns)
    elif isinstance(names, str):
        names = [names]
    missing = [n for n in names if n not in columns]
    if missing:
        raise KeyError(f"to_tensor: column(s) {missing} not in the frame; it has {list(columns)}")
    target = to_dtype(dtype)
    if not names:
        raise ValueError("to_tensor needs at least one column; pass columns=[...]")
    cols = [columns[n] for n in names]
    backend = cols[0].backend
    for n, c in zip(names, cols):
        if c.backend is not backend:
            raise ValueError(
                f"column {n!r} is on {c.device} but {names[0]!r} is on {cols[0].device}; "
                f"move the frame to one device with .to(device) first"
            )
    xp = backend.xp
    n_rows = len(cols[0])
    out = xp.empty((n_rows, len(cols)), dtype=target)
    for j, (name, col) in enumerate(zip(names, cols)):
        data = _payload(col, name)
        value = fill.get(name) if isinstance(fill, dict) else fill
        if col.mask is None:
            out[:, j] = data
        elif value is None:
            _check_no_nulls(col, name, "fill them first (df.fillna(...)) or pass fill=... to to_tensor")
            out[:, j] = data
        else:
            out[:, j] = xp.where(col.mask, data, data.dtype.type(value))
    return Tensor(out)


def column_dlpack(col: Column, name: Any, **kwargs: Any) -> Any:
    """A DLPack capsule of the column's buffer (shared memory); nulls are an error.

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.dataframe.column import build_column
    >>> from headwater.dataframe.bridge import column_dlpack
    >>> type(column_dlpack(build_column(np.arange(3.0)), "x")).__name__
    'PyCapsule'
    """
    _check_no_nulls(col, name, "fill them first (series.fillna(...)); DLPack has no validity mask")
    return _payload(col, name).__dlpack__(**kwargs)


def column_dlpack_device(col: Column) -> tuple[int, int]:
    """The DLPack ``(device_type, device_id)`` of the column's buffer.

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.dataframe.column import build_column
    >>> from headwater.dataframe.bridge import column_dlpack_device
    >>> column_dlpack_device(build_column(np.arange(3.0)))
    (1, 0)
    """
    return col.data.__dlpack_device__()


def from_dlpack(obj: Any) -> Tensor:
    """A Tensor sharing the memory of any DLPack producer (PyTorch, JAX, CuPy, NumPy).

    CPU memory becomes a NumPy-backed tensor and CUDA memory a CuPy-backed one;
    nothing is copied.

    Parameters
    ----------
    obj : object with ``__dlpack__`` and ``__dlpack_device__``

    Raises
    ------
    TypeError
        ``obj`` does not speak DLPack.
    ValueError
        The memory is on a device Headwater cannot use.

    Examples
    --------
    >>> import numpy as np, headwater as hw
    >>> a = np.arange(4.0)
    >>> t = hw.from_dlpack(a)
    >>> np.shares_memory(t.array, a)
    True
    """
    if isinstance(obj, Tensor):
        return obj
    if not hasattr(obj, "__dlpack__") or not hasattr(obj, "__dlpack_device__"):
        raise TypeError(
            f"from_dlpack needs an object with __dlpack__ and __dlpack_device__ (a PyTorch, "
            f"JAX, CuPy or NumPy array), got {type(obj).__name__}"
        )
    kind, _ = obj.__dlpack_device__()
    if int(kind) == _DL_CPU:
        return Tensor(np.from_dlpack(obj))
    if int(kind) in _DL_CUDA:
        return Tensor(get_backend("cuda").xp.from_dlpack(obj))
    raise ValueError(
        f"from_dlpack: DLPack device type {int(kind)} is neither the CPU (1) nor CUDA (2); "
        f"copy the data to one of those first"
    )
