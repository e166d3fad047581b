"""Piecewise activations: relu6 hardtanh elu selu celu hardswish hardsigmoid
threshold softshrink hardshrink prelu rrelu.

Each elementwise one is a :class:`Pointwise` op: a forward formula and its
derivative on xp arrays, with PyTorch's choice of gradient at the kinks (for
example hardtanh's gradient is 0 at exactly ``min_val`` and ``max_val``).
``inplace=True`` writes the result into the input (recorded for backward, see
:mod:`headwater.autograd.ops.recorded_inplace`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from headwater.autograd.function import Op, wrap, xp_of
from headwater.autograd.ops.arithmetic import mul
from headwater.autograd.ops.elementwise import float_input
from headwater.autograd.ops.recorded_inplace import write_in_place
from headwater.autograd.ops.select import where
from headwater.autograd.ops.shape import reshape
from headwater.tensor.random import uniform_array
from headwater.tensor.tensor import Tensor

__all__ = [
    "Pointwise", "pointwise", "relu6", "hardtanh", "elu", "selu", "celu", "hardswish",
    "hardsigmoid", "threshold", "softshrink", "hardshrink", "prelu", "rrelu",
]

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


class Pointwise(Op):
    """An elementwise op given by ``f(xp, a, **params)`` and its derivative
    ``df(xp, a, out, **params)``."""

    saves = (0,)
    f: ClassVar[Callable[..., Any]]
    df: ClassVar[Callable[..., Any]]

    def forward(self, a, **params):
        xp = xp_of(a)
        self.a, self.params = a, params
        self.out = type(self).f(xp, a, **params)
        return self.out.astype(a.dtype, copy=False)

    def backward(self, g):
        xp = xp_of(g)
        return (g * type(self).df(xp, self.a, self.out, **self.params)).astype(g.dtype, copy=False)


def pointwise(name: str, f: Callable[..., Any], df: Callable[..., Any]) -> type[Pointwise]:
    """A :class:`Pointwise` op class named ``name``."""
    return type(name, (Pointwise,), {"name": name, "f": staticmethod(f), "df": staticmethod(df)})


def run(op: type[Pointwise], input: Tensor, inplace: bool, **params: Any) -> Tensor:
    """Apply ``op`` to a float ``input``, or write it into ``input`` with ``inplace``."""
    x = float_input(input, op.name)
    if inplace:
        if x is not input:
            raise TypeError(f"{op.name}: inplace=True needs a float tensor, got {input.dtype}")
        return write_in_place(input, lambda t: op.apply(t, **params), op.name + "_")
    return op.apply(x, **params)


_Hardtanh = pointwise(
    "hardtanh",
    lambda xp, a, lo, hi: xp.clip(a, lo, hi),
    lambda xp, a, out, lo, hi: (a > lo) & (a < hi),
)
_Elu = pointwise(
    "elu",
    lambda xp, a, alpha, scale, input_scale: scale * xp.where(
        a > 0, a, alpha * xp.expm1(xp.minimum(a, 0) * input_scale)),
    lambda xp, a, out, alpha, scale, input_scale: xp.where(
        a > 0, scale, scale * alpha * input_scale * xp.exp(xp.minimum(a, 0) * input_scale)),
)
_Hardswish = pointwise(
    "hardswish",
    lambda xp, a: a * xp.clip(a + 3, 0, 6) / 6,
    lambda xp, a, out: xp.where(a <= -3, 0, xp.where(a < 3, a / 3 + 0.5, 1)),
)
_Hardsigmoid = pointwise(
    "hardsigmoid",
    lambda xp, a: xp.clip(a + 3, 0, 6) / 6,
    lambda xp, a, out: ((a > -3) & (a < 3)) / 6,
)
_Threshold = pointwise(
    "threshold",
    lambda xp, a, th, value: xp.where(a > th, a, value),
    lambda xp, a, out, th, value: a > th,
)
_Softshrink = pointwise(
    "softshrink",
    lambda xp, a, lambd: xp.where(a > lambd, a - lambd, xp.where(a < -lambd, a + lambd, 0)),
    lambda xp, a, out, lambd: abs(a) > lambd,
)
_Hardshrink = pointwise(
    "hardshrink",
    lambda xp, a, lambd: xp.where(abs(a) > lambd, a, 0),
    lambda xp, a, out, lambd: abs(a) > lambd,
)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """``input`` clipped to ``[min_val, max_val]``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.hardtanh(hw.as_tensor([-2.0, 0.5, 3.0])).tolist()
    [-1.0, 0.5, 1.0]
    """
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val ({min_val}) must not exceed max_val ({max_val})")
    return run(_Hardtanh, input, inplace, lo=min_val, hi=max_val)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """``min(max(x, 0), 6)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.relu6(hw.as_tensor([-1.0, 3.0, 8.0])).tolist()
    [0.0, 3.0, 6.0]
    """
    return hardtanh(input, 0.0, 6.0, inplace)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere.

    Examples
    --------
    >>> import headwater as hw
    >>> [round(v, 4) for v in hw.nn.functional.elu(hw.as_tensor([-1.0, 2.0])).tolist()]
    [-0.6321, 2.0]
    """
    return run(_Elu, input, inplace, alpha=alpha, scale=1.0, input_scale=1.0)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """Scaled ELU with the self-normalising constants (``scale * elu(x, alpha)``,
    alpha ~ 1.6733, scale ~ 1.0507).

    Examples
    --------
    >>> import headwater as hw
    >>> [round(v, 4) for v in hw.nn.functional.selu(hw.as_tensor([-1.0, 1.0])).tolist()]
    [-1.1113, 1.0507]
    """
    return run(_Elu, input, inplace, alpha=SELU_ALPHA, scale=SELU_SCALE, input_scale=1.0)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``.

    Examples
    --------
    >>> import headwater as hw
    >>> [round(v, 4) for v in hw.nn.functional.celu(hw.as_tensor([-1.0, 1.0]), alpha=2.0).tolist()]
    [-0.7869, 1.0]
    """
    if alpha == 0:
        raise ValueError("celu: alpha must not be 0")
    return run(_Elu, input, inplace, alpha=alpha, scale=1.0, input_scale=1.0 / alpha)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * relu6(x + 3) / 6``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.hardswish(hw.as_tensor([-4.0, 0.0, 4.0])).tolist()
    [-0.0, 0.0, 4.0]
    """
    return run(_Hardswish, input, inplace)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """``relu6(x + 3) / 6``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.hardsigmoid(hw.as_tensor([-4.0, 0.0, 4.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    return run(_Hardsigmoid, input, inplace)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """``x`` where ``x > threshold``, else ``value``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.threshold(hw.as_tensor([0.5, 2.0]), 1.0, -1.0).tolist()
    [-1.0, 2.0]
    """
    return run(_Threshold, input, inplace, th=threshold, value=value)


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """``x - lambd`` above ``lambd``, ``x + lambd`` below ``-lambd``, 0 between.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.softshrink(hw.as_tensor([-2.0, 0.25, 1.0])).tolist()
    [-1.5, 0.0, 0.5]
    """
    if lambd < 0:
        raise ValueError(f"softshrink: lambd must be non-negative, got {lambd}")
    return run(_Softshrink, input, False, lambd=lambd)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """``x`` where ``|x| > lambd``, else 0.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.hardshrink(hw.as_tensor([-2.0, 0.25, 1.0])).tolist()
    [-2.0, 0.0, 1.0]
    """
    return run(_Hardshrink, input, False, lambd=lambd)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """``x`` where positive, ``weight * x`` elsewhere; ``weight`` holds one slope or
    one per channel (dimension 1 of ``input``), and is learned.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.prelu(hw.as_tensor([[-1.0, -2.0]]), hw.as_tensor([0.1, 0.5])).tolist()
    [[-0.1, -1.0]]
    """
    if not isinstance(weight, Tensor):
        raise TypeError(f"prelu: weight must be a Tensor, got {type(weight).__name__}")
    n = weight.numel()
    if n != 1:
        channels = input.shape[1] if input.ndim >= 2 else 1
        if channels != n:
            raise ValueError(
                f"prelu: weight has {n} slopes but input of shape {input.shape} has {channels} "
                f"channel(s) (dimension 1)"
            )
        weight = reshape(weight, (1, n) + (1,) * (input.ndim - 2))
    elif weight.ndim:
        weight = reshape(weight, ())
    return where(input > 0, input, mul(weight, input))


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:
    """Randomised leaky ReLU: negative values are scaled by a slope drawn uniformly
    from ``[lower, upper]`` per element while training (from ``hw.manual_seed``'s
    stream), and by ``(lower + upper) / 2`` otherwise.

    Examples
    --------
    >>> import headwater as hw
    >>> [round(v, 4) for v in hw.nn.functional.rrelu(hw.as_tensor([-1.0, 1.0])).tolist()]
    [-0.2292, 1.0]
    """
    if not 0 <= lower <= upper:
        raise ValueError(f"rrelu: need 0 <= lower <= upper, got lower={lower}, upper={upper}")
    x = float_input(input, "rrelu")
    if training:
        slope = wrap(uniform_array(x.shape, lower, upper, x.dtype, x.device))
    else:
        slope = (lower + upper) / 2

    def fn(t: Tensor) -> Tensor:
        return where(t > 0, t, mul(t, slope))

    return write_in_place(input, fn, "rrelu_") if inplace else fn(x)
