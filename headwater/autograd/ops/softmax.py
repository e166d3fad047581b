"""Softmax and log-softmax along one dimension, each with a fused backward."""

from __future__ import annotations

from headwater.autograd.amp import autocast_mode
from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops.elementwise import float_input
from headwater.autograd.ops.reduce import norm_dims
from headwater.tensor.tensor import Tensor

__all__ = ["softmax", "log_softmax", "log_softmax_array"]


def log_softmax_array(xp, a, axis):
    """Log-softmax of an xp array (shared with the fused cross-entropy)."""
    shifted = a - a.max(axis=axis, keepdims=True)
    return shifted - xp.log(xp.exp(shifted).sum(axis=axis, keepdims=True))


class Softmax(Op):
    saves_output = True

    def forward(self, a, axis=-1):
        xp = xp_of(a)
        e = xp.exp(a - a.max(axis=axis, keepdims=True))
        e /= e.sum(axis=axis, keepdims=True)
        self.out, self.axis = e, axis
        return e

    def backward(self, g):
        out = self.out
        return out * (g - (g * out).sum(axis=self.axis, keepdims=True))


class LogSoftmax(Op):
    saves_output = True

    def forward(self, a, axis=-1):
        xp = xp_of(a)
        self.out, self.axis = log_softmax_array(xp, a, axis), axis
        return self.out

    def backward(self, g):
        xp = xp_of(g)
        return g - xp.exp(self.out) * g.sum(axis=self.axis, keepdims=True)


def _axis(input: Tensor, dim: int | None, op: str) -> int:
    if dim is None:
        raise TypeError(f"{op}: give dim= explicitly (PyTorch's implicit dim is deprecated)")
    return norm_dims(dim, input.ndim, op)[0]


def softmax(input: Tensor, dim: int | None = None) -> Tensor:
    """``exp(x) / sum(exp(x))`` along ``dim``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.softmax(hw.zeros(2, 2), dim=1).tolist()
    [[0.5, 0.5], [0.5, 0.5]]
    """
    input = float_input(input, "softmax")
    if autocast_mode.active:
        (input,) = autocast_mode.full_precision(input)
    return Softmax.apply(input, axis=_axis(input, dim, "softmax"))


def log_softmax(input: Tensor, dim: int | None = None) -> Tensor:
    """``log(softmax(x))`` along ``dim``, computed without overflow.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.log_softmax(hw.zeros(1, 2), dim=1)[0, 0].item(), 4)
    -0.6931
    """
    input = float_input(input, "log_softmax")
    if autocast_mode.active:
        (input,) = autocast_mode.full_precision(input)
    return LogSoftmax.apply(input, axis=_axis(input, dim, "log_softmax"))
