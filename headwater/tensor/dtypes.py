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
    "bfloat16",
    "finfo",
    "iinfo",
]

dtype_class = np.dtype  # the class of every dtype (hw.dtype)
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


class _UnsupportedDType:
    """A torch dtype name the NumPy/CuPy backends cannot hold (``hw.bfloat16``).

    The name exists so that scripts comparing against it (``dtype == hw.bfloat16``)
    run; using it to make or convert a tensor raises :class:`DTypeError`.
    """

    def __init__(self, name: str, instead: str) -> None:
        self.name, self.instead = name, instead

    def __repr__(self) -> str:
        return f"headwater.{self.name}"

    def error(self) -> DTypeError:
        return DTypeError(
            f"{self.name} is not supported: NumPy and CuPy have no {self.name} arrays; "
            f"use {self.instead} instead"
        )


bfloat16 = _UnsupportedDType("bfloat16", "hw.float16 (or hw.float32)")


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
    if isinstance(spec, np.dtype) and spec in _SUPPORTED:
        return spec
    if isinstance(spec, _UnsupportedDType):
        raise spec.error()
    if spec is float:
        return _default_float
    if spec is int:
        return int64
    if spec is bool:
        return bool_
    if isinstance(spec, str):
        name = spec[len("torch."):] if spec.startswith("torch.") else spec
        if name == "bfloat16":
            raise bfloat16.error()
        if name in _ALIASES:
            return _ALIASES[name]
        spec = name
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


class finfo:
    """Limits of a float dtype, as ``torch.finfo`` (the default dtype when omitted).

    Attributes are Python floats: ``bits eps max min tiny smallest_normal resolution``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.finfo(hw.float32).eps == 2.0 ** -23, hw.finfo().bits
    (True, 32)
    """

    def __init__(self, type: Any = None) -> None:
        dt = _default_float if type is None else to_dtype(type)
        if not is_floating(dt):
            raise DTypeError(f"finfo needs a float dtype, got {dt}; use hw.iinfo for integers")
        info = np.finfo(dt)
        self.dtype = dt
        self.bits = int(info.bits)
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0 ** -int(info.precision)

    def __repr__(self) -> str:
        return f"finfo(resolution={self.resolution}, min={self.min}, max={self.max}, eps={self.eps}, dtype={self.dtype})"


class iinfo:
    """Limits of an integer dtype, as ``torch.iinfo``: ``bits min max``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.iinfo(hw.int8).min, hw.iinfo(hw.uint8).max
    (-128, 255)
    """

    def __init__(self, type: Any) -> None:
        dt = to_dtype(type)
        if dt.kind not in "iu":
            raise DTypeError(f"iinfo needs an integer dtype, got {dt}; use hw.finfo for floats")
        info = np.iinfo(dt)
        self.bits, self.min, self.max = int(info.bits), int(info.min), int(info.max)
        self.dtype = dt

    def __repr__(self) -> str:
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype})"
