"""Type promotion of Tensor operations, as PyTorch defines it.

Operands fall into three priority classes: tensors with dimensions, 0-d tensors, and
Python numbers. Each class is promoted on its own (``promote_types``), then a lower
class may only raise the result's *category* (bool < integer < float), never its
width within a category: ``float32 tensor + 0-d float64 -> float32``,
``int32 tensor + 0-d float64 -> float64``, ``int64 tensor + 2.5 -> float32`` (a
Python float counts as the default dtype, ``hw.get_default_dtype()``), a Python int
as int64 and a bool as bool. NumPy's own rules differ (``int64 + float32 ->
float64``), so every Tensor op that mixes dtypes goes through :func:`result_type`.
Series and DataFrame arithmetic keeps pandas' rules and does not use this module.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from headwater.tensor.dtypes import get_default_dtype, to_dtype
from headwater.tensor.tensor import Tensor

__all__ = ["promote_types", "result_type", "can_cast", "operand_dtypes", "scalar_dtype"]

_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}
_INT64 = np.dtype("int64")
_BOOL = np.dtype("bool")


@lru_cache(maxsize=None)
def _promote(a: np.dtype, b: np.dtype) -> np.dtype:
    ca, cb = _CATEGORY[a.kind], _CATEGORY[b.kind]
    if ca != cb:
        return a if ca > cb else b
    if a.kind == b.kind:
        return a if a.itemsize >= b.itemsize else b
    unsigned, signed = (a, b) if a.kind == "u" else (b, a)
    if signed.itemsize > unsigned.itemsize:
        return signed
    return np.dtype(f"int{min(8 * 2 * unsigned.itemsize, 64)}")  # uint8 + int8 -> int16


def promote_types(type1: Any, type2: Any) -> np.dtype:
    """The smallest dtype both ``type1`` and ``type2`` convert to without losing
    their category, as ``torch.promote_types``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.promote_types(hw.int64, hw.float32), hw.promote_types(hw.uint8, hw.int8)
    (dtype('float32'), dtype('int16'))
    """
    return _promote(to_dtype(type1), to_dtype(type2))


def scalar_dtype(value: Any) -> np.dtype:
    """The dtype a Python (or NumPy) number takes part in promotion with."""
    if isinstance(value, (bool, np.bool_)):
        return _BOOL
    if isinstance(value, (int, np.integer)):
        return _INT64
    if isinstance(value, (float, np.floating)):
        return get_default_dtype()
    raise TypeError(
        f"unsupported operand of type {type(value).__name__}; use a Tensor or a "
        f"Python number (bool, int or float)"
    )


def _combine(higher: np.dtype | None, lower: np.dtype | None) -> np.dtype | None:
    """A lower priority class raises the category of a higher one, never its width."""
    if higher is None:
        return lower
    if lower is None or higher.kind == "f":
        return higher
    if higher.kind == "b" or lower.kind == "f":
        return _promote(higher, lower)
    return higher


def operand_dtypes(*operands: Any) -> np.dtype:
    """The result dtype of an operation on ``operands`` (Tensors and numbers; None
    entries are skipped)."""
    dims = zeros = wrapped = None
    for x in operands:
        if x is None:
            continue
        if isinstance(x, Tensor):
            dt = x.array.dtype
            if x.array.ndim:
                dims = dt if dims is None else _promote(dims, dt)
            else:
                zeros = dt if zeros is None else _promote(zeros, dt)
        else:
            dt = scalar_dtype(x)
            wrapped = dt if wrapped is None else _promote(wrapped, dt)
    out = _combine(dims, _combine(zeros, wrapped))
    if out is None:
        raise TypeError("result_type needs at least one Tensor or number")
    return out


def result_type(tensor: Any, other: Any) -> np.dtype:
    """The dtype an operation on ``tensor`` and ``other`` gives, as
    ``torch.result_type``: each may be a Tensor or a Python number.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.result_type(hw.arange(3), 2.5)
    dtype('float32')
    >>> hw.result_type(hw.ones(2), hw.tensor(1.0, dtype=hw.float64))
    dtype('float32')
    >>> hw.result_type(hw.arange(3, dtype=hw.int32), hw.tensor(1.0, dtype=hw.float64))
    dtype('float64')
    """
    return operand_dtypes(tensor, other)


def can_cast(from_: Any, to: Any) -> bool:
    """Whether ``from_`` may be cast to ``to`` by an in-place or ``out=`` operation,
    as ``torch.can_cast``: never to a lower category (float to int, int to bool).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.can_cast(hw.float64, hw.float16), hw.can_cast(hw.float32, hw.int64)
    (True, False)
    """
    a, b = to_dtype(from_), to_dtype(to)
    return _CATEGORY[a.kind] <= _CATEGORY[b.kind]

