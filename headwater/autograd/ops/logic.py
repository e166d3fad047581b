"""Truth tests beyond comparisons: logical_xor, bitwise_xor (``^``), isinf,
isposinf, isneginf, isclose, and the whole-tensor answers allclose and equal.

None is differentiable. ``allclose`` and ``equal`` return Python bools, as in
PyTorch, so they read one value back from the device.
"""

from __future__ import annotations

from typing import Any

from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops.arithmetic import Scalar, operands
from headwater.autograd.ops.reduce import all as all_
from headwater.autograd.ops.select import eq
from headwater.tensor.dtypes import DTypeError
from headwater.tensor.tensor import Tensor

__all__ = [
    "logical_xor", "bitwise_xor", "isinf", "isposinf", "isneginf", "isclose", "allclose", "equal",
]


class _Test(Op):
    differentiable = False

    def forward(self, a, b=None, **params):
        xp = xp_of(a if hasattr(a, "shape") else b)
        return self.kernel(xp, a, b, **params)

    def kernel(self, xp, a, b, **params):
        raise NotImplementedError


class LogicalXor(_Test):
    name = "logical_xor"

    def kernel(self, xp, a, b):
        return xp.logical_xor(a, b)


class BitwiseXor(_Test):
    name = "bitwise_xor"

    def kernel(self, xp, a, b):
        return xp.bitwise_xor(a, b)


class _Infinite(_Test):
    sign = 0

    def kernel(self, xp, a, b):
        if a.dtype.kind != "f":
            return xp.zeros(a.shape, dtype=bool)
        if self.sign > 0:
            return a == xp.inf
        if self.sign < 0:
            return a == -xp.inf
        return xp.isinf(a)


IsInf = type("IsInf", (_Infinite,), {"name": "isinf"})
IsPosInf = type("IsPosInf", (_Infinite,), {"name": "isposinf", "sign": 1})
IsNegInf = type("IsNegInf", (_Infinite,), {"name": "isneginf", "sign": -1})


class IsClose(_Test):
    name = "isclose"

    def kernel(self, xp, a, b, rtol=1e-5, atol=1e-8, equal_nan=False):
        return xp.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


def _tensor(input: Any, op: str) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(input).__name__}")
    return input


def logical_xor(input: Tensor, other: Tensor | Scalar) -> Tensor:
    """Elementwise exclusive or of the values' truth (nonzero is true), as bool.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.logical_xor(hw.as_tensor([True, False, True]), hw.as_tensor([True, True, False])).tolist()
    [False, True, True]
    """
    return LogicalXor.apply(_tensor(input, "logical_xor"), other)


def bitwise_xor(input: Tensor, other: Tensor | int | bool) -> Tensor:
    """Elementwise bitwise exclusive or of integer or bool tensors (``a ^ b``).

    Raises
    ------
    DTypeError
        For float tensors; use ``logical_xor`` to compare their truth.

    Examples
    --------
    >>> import headwater as hw
    >>> (hw.as_tensor([3, 5]) ^ 6).tolist(), (hw.as_tensor([True]) ^ hw.as_tensor([True])).tolist()
    ([5, 3], [False])
    """
    a, b = operands(input, other, "bitwise_xor")
    for x in (a, b):
        if isinstance(x, Tensor) and x.array.dtype.kind not in "biu" or isinstance(x, float):
            raise DTypeError("bitwise_xor: expected integer or bool operands; use logical_xor for floats")
    return BitwiseXor.apply(a, b)


def isinf(input: Tensor) -> Tensor:
    """Where the values are +inf or -inf.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.isinf(hw.as_tensor([1.0, float("inf"), -float("inf")])).tolist()
    [False, True, True]
    """
    return IsInf.apply(_tensor(input, "isinf"))


def isposinf(input: Tensor) -> Tensor:
    """Where the values are +inf.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.isposinf(hw.as_tensor([1.0, float("inf"), -float("inf")])).tolist()
    [False, True, False]
    """
    return IsPosInf.apply(_tensor(input, "isposinf"))


def isneginf(input: Tensor) -> Tensor:
    """Where the values are -inf.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.isneginf(hw.as_tensor([1.0, float("inf"), -float("inf")])).tolist()
    [False, False, True]
    """
    return IsNegInf.apply(_tensor(input, "isneginf"))


def isclose(
    input: Tensor, other: Tensor | Scalar, rtol: float = 1e-05, atol: float = 1e-08,
    equal_nan: bool = False,
) -> Tensor:
    """Where ``|input - other| <= atol + rtol * |other|`` (equal infinities are
    close; NaNs only with ``equal_nan=True``), broadcasting.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.isclose(hw.as_tensor([1.0, 1.1]), hw.as_tensor([1.0 + 1e-9, 1.0])).tolist()
    [True, False]
    """
    a, b = operands(_tensor(input, "isclose"), other, "isclose")
    return IsClose.apply(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(
    input: Tensor, other: Tensor | Scalar, rtol: float = 1e-05, atol: float = 1e-08,
    equal_nan: bool = False,
) -> bool:
    """Whether every element of ``input`` is close to ``other`` (see :func:`isclose`).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.allclose(hw.ones(3), hw.ones(3) + 1e-9)
    True
    """
    return bool(all_(isclose(input, other, rtol, atol, equal_nan)).item())


def equal(input: Tensor, other: Tensor) -> bool:
    """Whether both tensors have the same shape and the same values.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.equal(hw.as_tensor([1, 2]), hw.as_tensor([1, 2])), hw.equal(hw.ones(2), hw.ones(3))
    (True, False)
    """
    _tensor(input, "equal")
    _tensor(other, "equal")
    if input.shape != other.shape:
        return False
    return bool(all_(eq(input, other)).item())
