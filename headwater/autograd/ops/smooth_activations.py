"""Smooth activations: mish logsigmoid softsign tanhshrink glu softmin.

The elementwise ones are :class:`~headwater.autograd.ops.piecewise_activations.Pointwise`
ops (formula and derivative); ``glu`` and ``softmin`` are built from ``chunk``,
``sigmoid``, ``mul``, ``neg`` and ``softmax``.
"""

from __future__ import annotations

from typing import Any

from headwater.autograd.ops.activations import sigmoid
from headwater.autograd.ops.arithmetic import mul, neg
from headwater.autograd.ops.conversion import to
from headwater.autograd.ops.join import chunk
from headwater.autograd.ops.piecewise_activations import pointwise, run
from headwater.autograd.ops.reduce import norm_dims
from headwater.autograd.ops.softmax import softmax
from headwater.tensor.dtypes import to_dtype
from headwater.tensor.tensor import Tensor

__all__ = ["mish", "logsigmoid", "softsign", "tanhshrink", "glu", "softmin"]


def _softplus(xp, a):
    return xp.maximum(a, 0) + xp.log1p(xp.exp(-abs(a)))


def _sigmoid(xp, a):
    e = xp.exp(-abs(a))  # never overflows
    return xp.where(a >= 0, 1 / (1 + e), e / (1 + e))


def _mish_grad(xp, a, out):
    t = xp.tanh(_softplus(xp, a))
    return t + a * _sigmoid(xp, a) * (1 - t * t)


_Mish = pointwise("mish", lambda xp, a: a * xp.tanh(_softplus(xp, a)), _mish_grad)
_LogSigmoid = pointwise(
    "logsigmoid",
    lambda xp, a: xp.minimum(a, 0) - xp.log1p(xp.exp(-abs(a))),
    lambda xp, a, out: _sigmoid(xp, -a),
)
_Softsign = pointwise("softsign", lambda xp, a: a / (1 + abs(a)), lambda xp, a, out: 1 / (1 + abs(a)) ** 2)
_Tanhshrink = pointwise("tanhshrink", lambda xp, a: a - xp.tanh(a), lambda xp, a, out: xp.tanh(a) ** 2)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * tanh(softplus(x))``.

    Examples
    --------
    >>> import headwater as hw
    >>> [round(v, 4) for v in hw.nn.functional.mish(hw.as_tensor([-1.0, 1.0])).tolist()]
    [-0.3034, 0.8651]
    """
    return run(_Mish, input, inplace)


def logsigmoid(input: Tensor) -> Tensor:
    """``log(sigmoid(x))``, computed without overflow.

    Examples
    --------
    >>> import headwater as hw
    >>> [round(v, 4) for v in hw.nn.functional.logsigmoid(hw.as_tensor([0.0, -100.0])).tolist()]
    [-0.6931, -100.0]
    """
    return run(_LogSigmoid, input, False)


def softsign(input: Tensor) -> Tensor:
    """``x / (1 + |x|)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.softsign(hw.as_tensor([-3.0, 1.0])).tolist()
    [-0.75, 0.5]
    """
    return run(_Softsign, input, False)


def tanhshrink(input: Tensor) -> Tensor:
    """``x - tanh(x)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.tanhshrink(hw.zeros(2)).tolist()
    [0.0, 0.0]
    """
    return run(_Tanhshrink, input, False)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """Gated linear unit: ``input`` split in halves ``a, b`` along ``dim``, then
    ``a * sigmoid(b)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.glu(hw.as_tensor([[2.0, 0.0]])).tolist()
    [[1.0]]
    """
    (axis,) = norm_dims(dim, input.ndim, "glu")
    if input.shape[axis] % 2:
        raise ValueError(f"glu: dimension {dim} must have an even size, got {input.shape[axis]}")
    a, b = chunk(input, 2, axis)
    return mul(a, sigmoid(b))


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """``softmax(-x)`` along ``dim`` (computed in ``dtype`` when given).

    Examples
    --------
    >>> import headwater as hw
    >>> [round(v, 4) for v in hw.nn.functional.softmin(hw.as_tensor([0.0, 1.0]), dim=0).tolist()]
    [0.7311, 0.2689]
    """
    if dtype is not None:
        input = to(input, to_dtype(dtype))
    return softmax(neg(input), dim)
