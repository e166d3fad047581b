"""More binary math, broadcasting: fmod, remainder, floor division, rounded
division, atan2, hypot, copysign, xlogy, float_power, and the fused forms lerp,
addcmul and addcdiv (composites of ``+ - * /``).

Operands are promoted by :func:`~headwater.autograd.ops.arithmetic.operands`, as
every other binary op is; the transcendental ones (atan2, hypot, copysign, xlogy)
compute integers in the default float dtype, as PyTorch does.
"""

from __future__ import annotations

from typing import Any

from headwater.autograd.broadcast import unbroadcast
from headwater.autograd.function import Op, wrap, xp_of
from headwater.autograd.ops.arithmetic import Scalar, add, mul, operands, pow, sub
from headwater.autograd.ops.arithmetic import div as true_div
from headwater.tensor.dtypes import get_default_dtype, is_floating, to_dtype
from headwater.tensor.tensor import Tensor

__all__ = [
    "fmod", "remainder", "floor_divide", "div_rounded", "atan2", "arctan2", "hypot",
    "lerp", "addcmul", "addcdiv", "copysign", "xlogy", "xlog1py", "float_power",
]

Operand = Tensor | Scalar


def _shape(x: Any) -> tuple:
    return getattr(x, "shape", ())


class _Binary(Op):
    saves = (0, 1)

    def forward(self, a, b):
        self.a, self.b = a, b
        return self.kernel(xp_of(a if hasattr(a, "shape") else b), a, b)

    def kernel(self, xp, a, b):
        raise NotImplementedError

    def grads(self, xp, g, a, b):
        raise NotImplementedError

    def backward(self, g):
        na, nb = self.needs
        ga, gb = self.grads(xp_of(g), g, self.a, self.b)
        return (
            unbroadcast(ga, _shape(self.a)) if na else None,
            unbroadcast(gb, _shape(self.b)) if nb else None,
        )


def _trunc_div(xp, a, b):
    q = xp.floor_divide(a, b)
    if q.dtype.kind not in "iu":
        return xp.trunc(a / b)
    # floor differs from trunc where the signs differ and the division is inexact
    fix = (xp.remainder(a, b) != 0) & ((a < 0) != (b < 0))
    return q + fix


class Fmod(_Binary):
    def kernel(self, xp, a, b):
        return xp.fmod(a, b)

    def grads(self, xp, g, a, b):
        return g, -g * _trunc_div(xp, a, b)


class Remainder(_Binary):
    def kernel(self, xp, a, b):
        return xp.remainder(a, b)

    def grads(self, xp, g, a, b):
        return g, -g * xp.floor_divide(a, b)


class FloorDivide(_Binary):
    name = "floor_divide"
    differentiable = False

    def kernel(self, xp, a, b):
        return xp.floor_divide(a, b)


class _RoundedDiv(_Binary):
    # the result is a step function of both inputs: zero gradient, as in PyTorch
    def grads(self, xp, g, a, b):
        return xp.zeros_like(g), xp.zeros_like(g)


class TruncDiv(_RoundedDiv):
    name = "div_trunc"

    def kernel(self, xp, a, b):
        return _trunc_div(xp, a, b)


class FloorDiv(_RoundedDiv):
    name = "div_floor"

    def kernel(self, xp, a, b):
        return xp.floor_divide(a, b)


class Atan2(_Binary):
    def kernel(self, xp, a, b):
        return xp.arctan2(a, b)

    def grads(self, xp, g, a, b):
        r2 = a * a + b * b
        return g * b / r2, -g * a / r2


class Hypot(_Binary):
    saves_output = True

    def kernel(self, xp, a, b):
        self.out = xp.hypot(a, b)
        return self.out

    def grads(self, xp, g, a, b):
        return g * a / self.out, g * b / self.out


class Copysign(_Binary):
    saves_output = True

    def kernel(self, xp, a, b):
        self.out = xp.copysign(a, b)
        return self.out

    def grads(self, xp, g, a, b):
        safe = xp.where(a == 0, 1, a)
        ratio = xp.where(a == 0, 0, self.out / safe)
        return g * ratio, xp.zeros_like(g)


class _XLog(_Binary):
    """``a * log(b)`` (``shift`` 0) or ``a * log1p(b)`` (``shift`` 1), 0 where ``a`` is 0 and
    ``b`` is not NaN: the logarithm is taken at ``b + shift``."""

    shift = 0

    def _log(self, xp, b, zero):
        return xp.log(xp.where(zero, 1, b)) if self.shift == 0 else xp.log1p(xp.where(zero, 0, b))

    def kernel(self, xp, a, b):
        a, b = _arrays(xp, a, b)
        zero = (a == 0) & ~xp.isnan(b)
        return xp.where(zero, 0, a * self._log(xp, b, zero)).astype(a.dtype, copy=False)

    def grads(self, xp, g, a, b):
        a, b = _arrays(xp, a, b)
        zero = (a == 0) & (b <= -self.shift)
        ga = xp.where(zero, 0, g * self._log(xp, b, zero))
        return ga.astype(g.dtype, copy=False), g * a / (b if self.shift == 0 else 1 + b)


class Xlogy(_XLog):
    shift = 0


class Xlog1py(_XLog):
    shift = 1


def _arrays(xp, a, b):
    """Both operands as arrays (a Python number takes the other side's dtype)."""
    if not hasattr(a, "shape"):
        a = xp.asarray(a, dtype=b.dtype)
    if not hasattr(b, "shape"):
        b = xp.asarray(b, dtype=a.dtype)
    return a, b


def _float_operands(input: Operand, other: Operand, op: str) -> tuple[Any, Any]:
    """Promoted operands, with integer tensors (and two Python ints) made float."""
    a, b = operands(input, other, op)
    ta, tb = isinstance(a, Tensor), isinstance(b, Tensor)
    if ta and not is_floating(a.array.dtype) and not (tb and is_floating(b.array.dtype)):
        a = wrap(a.array.astype(get_default_dtype()))
    if tb and not is_floating(b.array.dtype):
        b = wrap(b.array.astype(a.array.dtype if isinstance(a, Tensor) else get_default_dtype()))
    return a, b


def _check_tensor(x: Any, y: Any, op: str) -> None:
    if not isinstance(x, Tensor) and not isinstance(y, Tensor):
        raise TypeError(f"{op}: expected at least one Tensor, got {type(x).__name__} and {type(y).__name__}")


def fmod(input: Operand, other: Operand) -> Tensor:
    """Elementwise C-style remainder: the result has the sign of ``input``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.fmod(hw.as_tensor([5, -5]), 3).tolist()
    [2, -2]
    """
    _check_tensor(input, other, "fmod")
    return Fmod.apply(*operands(input, other, "fmod"))


def remainder(input: Operand, other: Operand) -> Tensor:
    """Elementwise Python-style remainder (``input % other``): the result has the
    sign of ``other``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.remainder(hw.as_tensor([5, -5]), 3).tolist()
    [2, 1]
    """
    _check_tensor(input, other, "remainder")
    return Remainder.apply(*operands(input, other, "remainder"))


def floor_divide(input: Operand, other: Operand) -> Tensor:
    """Elementwise ``input // other``, rounded toward minus infinity (integers stay
    integers). Not differentiable, as in PyTorch.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.floor_divide(hw.as_tensor([5, -5]), 3).tolist()
    [1, -2]
    """
    _check_tensor(input, other, "floor_divide")
    return FloorDivide.apply(*operands(input, other, "floor_divide"))


def div_rounded(input: Operand, other: Operand, rounding_mode: str | None) -> Tensor:
    """``div(input, other, rounding_mode=...)``: ``None`` is true division,
    ``"trunc"`` rounds toward zero and ``"floor"`` toward minus infinity (integers
    stay integers with those two; their gradient is zero).

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([5, -5])
    >>> hw.div(x, 3, rounding_mode="trunc").tolist(), hw.div(x, 3, rounding_mode="floor").tolist()
    ([1, -1], [1, -2])
    """
    if rounding_mode is None:
        return true_div(input, other)
    if rounding_mode not in ("trunc", "floor"):
        raise ValueError(f"div: rounding_mode must be None, 'trunc' or 'floor', got {rounding_mode!r}")
    _check_tensor(input, other, "div")
    kind = TruncDiv if rounding_mode == "trunc" else FloorDiv
    return kind.apply(*operands(input, other, "div"))


def atan2(input: Operand, other: Operand) -> Tensor:
    """Elementwise angle of the point ``(other, input)``: ``atan(input / other)`` in
    the right quadrant; also ``arctan2``.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.atan2(hw.as_tensor([1.0]), hw.as_tensor([-1.0])).item(), 4)
    2.3562
    """
    _check_tensor(input, other, "atan2")
    return Atan2.apply(*_float_operands(input, other, "atan2"))


arctan2 = atan2


def hypot(input: Operand, other: Operand) -> Tensor:
    """Elementwise ``sqrt(input**2 + other**2)`` without overflow.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.hypot(hw.as_tensor([3.0]), hw.as_tensor([4.0])).tolist()
    [5.0]
    """
    _check_tensor(input, other, "hypot")
    return Hypot.apply(*_float_operands(input, other, "hypot"))


def copysign(input: Operand, other: Operand) -> Tensor:
    """Elementwise ``|input|`` with the sign of ``other`` (float result).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.copysign(hw.as_tensor([1.0, -2.0]), -1.0).tolist()
    [-1.0, -2.0]
    """
    _check_tensor(input, other, "copysign")
    return Copysign.apply(*_float_operands(input, other, "copysign"))


def xlogy(input: Operand, other: Operand) -> Tensor:
    """Elementwise ``input * log(other)``, defined as 0 where ``input`` is 0 (unless
    ``other`` is NaN), as in PyTorch and SciPy.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.xlogy(hw.as_tensor([0.0, 2.0]), hw.as_tensor([0.0, 1.0])).tolist()
    [0.0, 0.0]
    """
    _check_tensor(input, other, "xlogy")
    return Xlogy.apply(*_float_operands(input, other, "xlogy"))


def xlog1py(input: Operand, other: Operand) -> Tensor:
    """Elementwise ``input * log1p(other)``, 0 where ``input`` is 0 (unless ``other``
    is NaN), as ``torch.special.xlog1py``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.special.xlog1py(hw.as_tensor([0.0, 2.0]), hw.as_tensor([-1.0, 0.0])).tolist()
    [0.0, 0.0]
    """
    _check_tensor(input, other, "xlog1py")
    return Xlog1py.apply(*_float_operands(input, other, "xlog1py"))


def float_power(input: Operand, exponent: Operand) -> Tensor:
    """``input ** exponent`` computed in float64 whatever the inputs' dtypes.

    Examples
    --------
    >>> import headwater as hw
    >>> out = hw.float_power(hw.as_tensor([2.0], dtype=hw.float32), 3)
    >>> out.tolist(), out.dtype
    ([8.0], dtype('float64'))
    """
    _check_tensor(input, exponent, "float_power")
    f64 = to_dtype("float64")
    a = input.to(f64) if isinstance(input, Tensor) else float(input)
    b = exponent.to(f64) if isinstance(exponent, Tensor) else float(exponent)
    return pow(a, b)


def lerp(input: Tensor, end: Tensor, weight: Operand) -> Tensor:
    """Linear interpolation ``input + weight * (end - input)``, broadcasting.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.lerp(hw.zeros(2), hw.as_tensor([10.0, 20.0]), 0.25).tolist()
    [2.5, 5.0]
    """
    if not isinstance(input, Tensor) or not isinstance(end, Tensor):
        raise TypeError("lerp: input and end must be Tensors; weight may be a number or a Tensor")
    return add(input, mul(weight, sub(end, input)))


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Scalar = 1) -> Tensor:
    """``input + value * tensor1 * tensor2``, broadcasting.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.addcmul(hw.ones(2), hw.as_tensor([2.0, 3.0]), hw.as_tensor([4.0, 5.0]), value=0.5).tolist()
    [5.0, 8.5]
    """
    prod = mul(tensor1, tensor2)
    return add(input, prod if value == 1 else mul(prod, value))


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Scalar = 1) -> Tensor:
    """``input + value * tensor1 / tensor2``, broadcasting.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.addcdiv(hw.ones(2), hw.as_tensor([2.0, 3.0]), hw.as_tensor([4.0, 6.0]), value=2).tolist()
    [2.0, 2.0]
    """
    quot = true_div(tensor1, tensor2)
    return add(input, quot if value == 1 else mul(quot, value))
