"""Arithmetic: ``+ - * / **``, negation and absolute value, with broadcasting.

``sub`` is built from ``add`` and ``neg``; the others are primitives. Python scalars
stay scalars (no device array is made for them), so ``x * 2`` costs one kernel.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.autograd.broadcast import unbroadcast
from headwater.autograd.function import Op, wrap, xp_of
from headwater.autograd.ops.conversion import Cast
from headwater.tensor.dtypes import get_default_dtype, is_floating
from headwater.tensor.promotion import operand_dtypes
from headwater.tensor.tensor import Tensor

__all__ = ["add", "sub", "mul", "div", "pow", "neg", "abs", "operands"]

Scalar = int | float | bool


def operands(a: Any, b: Any, op: str) -> tuple[Any, Any]:
    """A binary op's operands brought to PyTorch's type promotion.

    The result dtype is :func:`headwater.tensor.promotion.operand_dtypes` (torch's
    ``result_type``); every Tensor operand of another dtype is cast to it (keeping its
    gradient), and Python numbers stay numbers (NumPy scalars are read as Python
    numbers), which NumPy and CuPy then apply in the tensor's dtype. So
    ``int64 + float32`` gives float32 and ``float32 + 0-d float64`` float32, as in
    PyTorch, where NumPy alone would give float64 for both.
    """
    if isinstance(a, np.generic):
        a = a.item()
    if isinstance(b, np.generic):
        b = b.item()
    ta, tb = isinstance(a, Tensor), isinstance(b, Tensor)
    if ta and tb:
        if a.array.dtype == b.array.dtype:
            return a, b
    elif ta or tb:
        t, x = (a, b) if ta else (b, a)
        if not isinstance(x, Scalar):
            raise TypeError(f"{op}: unsupported operand of type {type(x).__name__}; use a Tensor or a number")
        kind = t.array.dtype.kind
        if kind == "f" or (kind in "iu" and isinstance(x, int) and not isinstance(x, bool)
                           and _fits(x, t.array.dtype)):
            return a, b  # a number never widens a tensor of its category or above
    else:
        for x in (a, b):
            if not isinstance(x, Scalar):
                raise TypeError(f"{op}: unsupported operand of type {type(x).__name__}; use a Tensor or a number")
        return a, b
    out = operand_dtypes(a, b)
    return _to(a, out), _to(b, out)


def _fits(value: int, dtype: np.dtype) -> bool:
    info = np.iinfo(dtype)
    return info.min <= value <= info.max


def _to(x: Any, dtype: np.dtype) -> Any:
    """``x`` in ``dtype``: Tensors cast (in the graph when they need a gradient), and an
    integer too large for an integer dtype wrapped around, as torch does."""
    if isinstance(x, Tensor):
        return x if x.array.dtype == dtype else _cast(x, dtype)
    if dtype.kind in "iu" and isinstance(x, int) and not isinstance(x, bool) and not _fits(x, dtype):
        return np.array(x, dtype=np.int64 if -(1 << 63) <= x < (1 << 63) else np.uint64).astype(dtype)[()]
    return x


def _cast(t: Tensor, dtype: np.dtype) -> Tensor:
    if t._requires_grad:  # a float tensor cast to another float dtype
        return Cast.apply(t, dtype=dtype)
    return wrap(t.array.astype(dtype))


class Add(Op):
    def forward(self, a, b):
        return a + b

    def backward(self, g):
        x, y = self.inputs
        na, nb = self.needs
        return (
            unbroadcast(g, x.array.shape) if na else None,
            unbroadcast(g, y.array.shape) if nb else None,
        )


class Neg(Op):
    def forward(self, a):
        return -a

    def backward(self, g):
        return -g


class Mul(Op):
    saves = (0, 1)

    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, g):
        na, nb = self.needs
        a, b = self.a, self.b
        return (
            unbroadcast(g * b, a.shape) if na else None,
            unbroadcast(g * a, b.shape) if nb else None,
        )


class Div(Op):
    name = "div"
    saves = (0, 1)

    def forward(self, a, b):
        self.a, self.b = a, b
        return a / b

    def backward(self, g):
        na, nb = self.needs
        a, b = self.a, self.b
        ga = g / b
        return (
            unbroadcast(ga, a.shape) if na else None,
            unbroadcast(-ga * a / b, b.shape) if nb else None,
        )


class Pow(Op):
    saves = (0, 1)
    saves_output = True

    def forward(self, a, b):
        self.a, self.b = a, b
        self.out = a**b
        return self.out

    def backward(self, g):
        na, nb = self.needs
        a, b = self.a, self.b
        ga = gb = None
        if na:
            # d(a**b)/da = b * a**(b-1), which is 0 (not 0 * inf) where b == 0
            if hasattr(b, "shape"):
                xp = xp_of(g)
                d = xp.where(b == 0, 0, b * a ** (xp.where(b == 0, 1, b) - 1))
            else:
                d = b * a ** (b - 1) if b != 0 else xp_of(g).zeros_like(a)
            ga = unbroadcast(g * d, a.shape)
        if nb:
            xp = xp_of(self.out)
            # d(a**b)/db = a**b * log(a); PyTorch defines it as 0 where a == 0
            safe = xp.where(a == 0, 1, a)
            gb = unbroadcast(g * self.out * xp.log(safe), b.shape)
        return ga, gb


class Abs(Op):
    saves = (0,)

    def forward(self, a):
        xp = xp_of(a)
        self.a = a
        return xp.abs(a)

    def backward(self, g):
        xp = xp_of(self.a)
        return g * xp.sign(self.a)


def add(input: Tensor | Scalar, other: Tensor | Scalar, *, alpha: Scalar = 1) -> Tensor:
    """``input + alpha * other``, broadcasting.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.add(hw.ones(2), hw.as_tensor([[1.0], [2.0]])).tolist()
    [[2.0, 2.0], [3.0, 3.0]]
    """
    if alpha != 1:
        other = mul(other, alpha)
    a, b = operands(input, other, "add")
    return Add.apply(a, b)


def sub(input: Tensor | Scalar, other: Tensor | Scalar, *, alpha: Scalar = 1) -> Tensor:
    """``input - alpha * other``, built from ``add`` and ``neg``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.sub(hw.ones(2), 3.0).tolist()
    [-2.0, -2.0]
    """
    a, b = operands(input, other, "sub")
    if not isinstance(b, Tensor):
        return Add.apply(a, -alpha * b)
    if alpha != 1:
        b = mul(b, alpha)
    return Add.apply(a, Neg.apply(b))


def mul(input: Tensor | Scalar, other: Tensor | Scalar) -> Tensor:
    """Elementwise product, broadcasting.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.mul(hw.as_tensor([1.0, 2.0]), 3).tolist()
    [3.0, 6.0]
    """
    a, b = operands(input, other, "mul")
    return Mul.apply(a, b)


def div(input: Tensor | Scalar, other: Tensor | Scalar, *, rounding_mode: str | None = None) -> Tensor:
    """True division (integers give floats, as in PyTorch), broadcasting; with
    ``rounding_mode="trunc"`` or ``"floor"`` the quotient is rounded (see
    :func:`~headwater.autograd.ops.binary.div_rounded`).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.div(hw.as_tensor([1, 3]), 2).tolist()
    [0.5, 1.5]
    """
    if rounding_mode is not None:
        from headwater.autograd.ops.binary import div_rounded

        return div_rounded(input, other, rounding_mode)
    a, b = operands(input, other, "div")
    if isinstance(a, Tensor) and not is_floating(a.array.dtype):
        a = _cast(a, get_default_dtype())  # int / int is the default float dtype
    if isinstance(b, Tensor) and not is_floating(b.array.dtype):
        b = _cast(b, get_default_dtype())
    return Div.apply(a, b)


def pow(input: Tensor | Scalar, exponent: Tensor | Scalar) -> Tensor:
    """``input ** exponent``, broadcasting; either side may be a number.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.pow(hw.as_tensor([2.0, 3.0]), 2).tolist()
    [4.0, 9.0]
    """
    a, b = operands(input, exponent, "pow")
    return Pow.apply(a, b)


def neg(input: Tensor) -> Tensor:
    """``-input``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.neg(hw.as_tensor([1.0, -2.0])).tolist()
    [-1.0, 2.0]
    """
    return Neg.apply(input)


def abs(input: Tensor) -> Tensor:
    """Elementwise absolute value (gradient ``sign(x)``, 0 at 0).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.abs(hw.as_tensor([-1.5, 2.0])).tolist()
    [1.5, 2.0]
    """
    return Abs.apply(input)
