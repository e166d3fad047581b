"""Tensor dtypes: NumPy dtype objects under PyTorch's names.

``hw.float32`` is ``numpy.dtype("float32")``. NumPy and CuPy share these dtype
objects, so a dtype never needs converting between devices, and ``t.dtype ==
hw.float32`` reads as in PyTorch. ``float16`` exists on both backends; it is slow on
the CPU, where NumPy emulates it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "bool_",
    "float16",
    "float32",
    "float64",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "to_dtype",
    "is_floating",
    "get_default_dtype",
    "set_default_dtype",
    "DTypeError",
]

float16 = np.dtype("float16")
float32 = np.dtype("float32")
float64 = np.dtype("float64")
int8 = np.dtype("int8")
int16 = np.dtype("int16")
int32 = np.dtype("int32")
int64 = np.dtype("int64")
uint8 = np.dtype("uint8")
bool_ = np.dtype("bool")

_SUPPORTED = (float16, float32, float64, int8, int16, int32, int64, uint8, bool_)
_ALIASES = {
    "float": float32,
    "double": float64,
    "half": float16,
    "long": int64,
    "int": int32,
    "short": int16,
    "bool": bool_,
}
_default_float = float32


class DTypeError(TypeError):
    """A tensor has a dtype the operation cannot use (for example an integer
    tensor that should require gradients)."""


def to_dtype(spec: Any) -> np.dtype:
    """The dtype named by ``spec``: a dtype, a name (``"float32"``, ``"long"``) or
    a Python type (``float`` is the default float dtype, ``int`` is int64).

    Raises
    ------
    DTypeError
        ``spec`` names no dtype that tensors support.

    Examples
    --------
    >>> from headwater.tensor.dtypes import to_dtype
    >>> to_dtype("float64"), to_dtype(float), to_dtype("long")
    (dtype('float64'), dtype('float32'), dtype('int64'))
    """
    if spec is float:
        return _default_float
    if spec is int:
        return int64
    if spec is bool:
        return bool_
    if isinstance(spec, str) and spec in _ALIASES:
        return _ALIASES[spec]
    try:
        dt = np.dtype(spec)
    except TypeError:
        raise DTypeError(
            f"{spec!r} is not a dtype; use one of hw.float16, hw.float32, hw.float64, "
            f"hw.int8, hw.int16, hw.int32, hw.int64, hw.uint8, hw.bool_"
        ) from None
    if dt not in _SUPPORTED:
        raise DTypeError(
            f"dtype {dt} is not supported by tensors; supported: "
            f"{', '.join(str(d) for d in _SUPPORTED)}"
        )
    return dt


def is_floating(dtype: np.dtype) -> bool:
    """True for float16, float32 and float64.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.tensor.dtypes import is_floating
    >>> is_floating(hw.float32), is_floating(hw.int64)
    (True, False)
    """
    return dtype.kind == "f"


def get_default_dtype() -> np.dtype:
    """The dtype Python floats become (float32 unless changed).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.get_default_dtype()
    dtype('float32')
    """
    return _default_float


def set_default_dtype(dtype: Any) -> None:
    """Make ``dtype`` (float32 or float64) the dtype Python floats become.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.set_default_dtype(hw.float64); hw.as_tensor([1.5]).dtype
    dtype('float64')
    >>> hw.set_default_dtype(hw.float32)
    """
    global _default_float
    dt = to_dtype(dtype)
    if not is_floating(dt):
        raise DTypeError(f"the default dtype must be a float dtype, got {dt}")
    _default_float = dt
