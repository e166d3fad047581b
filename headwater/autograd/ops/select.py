"""Choosing between values: maximum, minimum, where, and comparisons (no grad)."""

from __future__ import annotations

import operator
from typing import Any

from headwater.autograd.broadcast import unbroadcast
from headwater.autograd.function import Op, wrap, xp_of
from headwater.autograd.ops.arithmetic import operands
from headwater.tensor.backend.blend import blend
from headwater.tensor.promotion import operand_dtypes
from headwater.tensor.tensor import Tensor

__all__ = [
    "maximum", "minimum", "where", "eq", "ne", "lt", "le", "gt", "ge",
    "logical_and", "logical_or", "logical_not", "isnan", "isfinite",
]


def _data(x: Any) -> Any:
    return x.array if isinstance(x, Tensor) else x


class _Extremum(Op):
    saves = (0, 1)
    pick: Any = None

    def forward(self, a, b):
        xp = xp_of(a if hasattr(a, "shape") else b)
        self.a, self.b = a, b
        return getattr(xp, self.name)(a, b)

    def backward(self, g):
        a, b = self.a, self.b
        # ties split the gradient evenly, as in PyTorch
        wa = (a > b) + 0.5 * (a == b) if self.name == "maximum" else (a < b) + 0.5 * (a == b)
        na, nb = self.needs
        return (
            unbroadcast(g * wa, a.shape) if na else None,
            unbroadcast(g * (1 - wa), b.shape) if nb else None,
        )


class Maximum(_Extremum):
    name = "maximum"


class Minimum(_Extremum):
    name = "minimum"


class Where(Op):
    saves = (0,)

    def forward(self, cond, a, b):
        xp = xp_of(cond)
        self.cond = cond
        self.sa = getattr(a, "shape", None)
        self.sb = getattr(b, "shape", None)
        return blend(xp, cond, a, b)

    def backward(self, g):
        xp = xp_of(g)
        _, na, nb = self.needs
        zero = xp.zeros((), g.dtype)
        return (
            None,
            unbroadcast(blend(xp, self.cond, g, zero), self.sa) if na else None,
            unbroadcast(blend(xp, self.cond, zero, g), self.sb) if nb else None,
        )


class _Compare(Op):
    differentiable = False

    def forward(self, a, b):
        return _reflect[self.name](a, b)


_reflect = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}

_compare_ops = {name: type(name.capitalize(), (_Compare,), {"name": name}) for name in _reflect}


def _compare(name: str, input: Any, other: Any) -> Tensor:
    a, b = operands(input, other, name)
    return _compare_ops[name].apply(a, b)


def eq(input: Tensor, other: Tensor | float) -> Tensor:
    """Elementwise ``==`` as a bool tensor.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.eq(hw.as_tensor([1, 2]), 2).tolist()
    [False, True]
    """
    return _compare("eq", input, other)


def ne(input: Tensor, other: Tensor | float) -> Tensor:
    """Elementwise ``!=`` as a bool tensor.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ne(hw.as_tensor([1, 2]), 2).tolist()
    [True, False]
    """
    return _compare("ne", input, other)


def lt(input: Tensor, other: Tensor | float) -> Tensor:
    """Elementwise ``<`` as a bool tensor.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.lt(hw.as_tensor([1, 2]), 2).tolist()
    [True, False]
    """
    return _compare("lt", input, other)


def le(input: Tensor, other: Tensor | float) -> Tensor:
    """Elementwise ``<=`` as a bool tensor.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.le(hw.as_tensor([1, 3]), 2).tolist()
    [True, False]
    """
    return _compare("le", input, other)


def gt(input: Tensor, other: Tensor | float) -> Tensor:
    """Elementwise ``>`` as a bool tensor.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.gt(hw.as_tensor([1, 3]), 2).tolist()
    [False, True]
    """
    return _compare("gt", input, other)


def ge(input: Tensor, other: Tensor | float) -> Tensor:
    """Elementwise ``>=`` as a bool tensor.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ge(hw.as_tensor([1, 2]), 2).tolist()
    [False, True]
    """
    return _compare("ge", input, other)


class _Logical(Op):
    differentiable = False

    def forward(self, a, b=None):
        xp = xp_of(a)
        if self.name == "logical_not":
            return xp.logical_not(a)
        if self.name == "isnan":
            return xp.isnan(a)
        if self.name == "isfinite":
            return xp.isfinite(a)
        return getattr(xp, self.name)(a, b)


_logical = {
    n: type(n, (_Logical,), {"name": n})
    for n in ("logical_and", "logical_or", "logical_not", "isnan", "isfinite")
}


def logical_and(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise logical and (also ``a & b`` on bool tensors).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.logical_and(hw.as_tensor([True, True]), hw.as_tensor([True, False])).tolist()
    [True, False]
    """
    return _logical["logical_and"].apply(input, other)


def logical_or(input: Tensor, other: Tensor) -> Tensor:
    """Elementwise logical or (also ``a | b`` on bool tensors).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.logical_or(hw.as_tensor([True, False]), hw.as_tensor([False, False])).tolist()
    [True, False]
    """
    return _logical["logical_or"].apply(input, other)


def logical_not(input: Tensor) -> Tensor:
    """Elementwise logical not (also ``~a`` on bool tensors).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.logical_not(hw.as_tensor([True, False])).tolist()
    [False, True]
    """
    return _logical["logical_not"].apply(input)


def isnan(input: Tensor) -> Tensor:
    """Where the values are NaN.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.isnan(hw.as_tensor([1.0, float("nan")])).tolist()
    [False, True]
    """
    return _logical["isnan"].apply(input)


def isfinite(input: Tensor) -> Tensor:
    """Where the values are neither NaN nor infinite.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.isfinite(hw.as_tensor([1.0, float("inf")])).tolist()
    [True, False]
    """
    return _logical["isfinite"].apply(input)


def maximum(input: Tensor, other: Tensor | float) -> Tensor:
    """Elementwise maximum, broadcasting; ties split the gradient evenly.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.maximum(hw.as_tensor([1.0, 5.0]), hw.as_tensor([3.0, 2.0])).tolist()
    [3.0, 5.0]
    """
    a, b = operands(input, other, "maximum")
    return Maximum.apply(a, b)


def minimum(input: Tensor, other: Tensor | float) -> Tensor:
    """Elementwise minimum, broadcasting; ties split the gradient evenly.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.minimum(hw.as_tensor([1.0, 5.0]), hw.as_tensor([3.0, 2.0])).tolist()
    [1.0, 2.0]
    """
    a, b = operands(input, other, "minimum")
    return Minimum.apply(a, b)


def where(condition: Tensor, input: Tensor | float, other: Tensor | float) -> Tensor:
    """``input`` where ``condition`` holds, else ``other``, broadcasting; the dtype
    follows torch's promotion of ``input`` and ``other`` (two Python floats give the
    default float dtype).

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([1.0, -2.0])
    >>> hw.where(x > 0, x, 0.0).tolist()
    [1.0, 0.0]
    """
    if not isinstance(condition, Tensor) or condition.array.dtype.kind != "b":
        got = condition.dtype if isinstance(condition, Tensor) else type(condition).__name__
        raise TypeError(f"where: condition must be a bool tensor, got {got}")
    a, b = operands(input, other, "where")
    if not isinstance(a, Tensor) and not isinstance(b, Tensor):
        # two numbers: torch's result dtype (where(c, 1.0, -1.0) is the default float)
        xp, dt = xp_of(condition.array), operand_dtypes(a, b)
        a, b = wrap(xp.full((), a, dtype=dt)), wrap(xp.full((), b, dtype=dt))
    return Where.apply(condition, a, b)
