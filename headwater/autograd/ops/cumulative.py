"""Running reductions along a dimension: cumprod, cummax, cummin, logcumsumexp
(``cumsum`` lives with the sums in :mod:`reduce`).

- ``cumprod``'s backward is exact where the input holds zeros: before the first
  zero of a slice it is ``reverse_cumsum(g * out) / x``; at that zero it is the
  product of what precedes it times ``sum_{j >= z} g_j * prod_{z < k <= j} x_k``;
  after it, 0.
- ``cummax``/``cummin`` return ``(values, indices)``; on ties the index moves to the
  latest position, as in PyTorch. The values are read with ``gather``, so the
  gradient goes to the positions the indices name.
- ``logcumsumexp`` is a log-space prefix scan (``logaddexp`` over doubling
  strides, ``log2(n)`` passes), which never overflows; its backward splits the
  incoming gradient by sign and runs the same scan in reverse.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from headwater.autograd.function import Op, wrap, xp_of
from headwater.autograd.ops.conversion import clone
from headwater.autograd.ops.elementwise import float_input
from headwater.autograd.ops.indexing import gather
from headwater.autograd.ops.reduce import norm_dims
from headwater.autograd.ops.shape import reshape
from headwater.tensor.tensor import Tensor

__all__ = ["cumprod", "cummax", "cummin", "logcumsumexp", "CummaxResult", "CumminResult"]

CummaxResult = namedtuple("CummaxResult", ["values", "indices"])
CumminResult = namedtuple("CumminResult", ["values", "indices"])


def _axis(input: Any, dim: int, op: str) -> int:
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(input).__name__}")
    return norm_dims(dim, input.ndim, op)[0]


def _positions(xp: Any, a: Any, axis: int) -> Any:
    """0, 1, 2... along ``axis``, shaped to broadcast against ``a``."""
    shape = [1] * a.ndim
    shape[axis] = a.shape[axis]
    return xp.arange(a.shape[axis]).reshape(shape)


def _reverse_cumsum(xp: Any, a: Any, axis: int) -> Any:
    return xp.flip(xp.cumsum(xp.flip(a, axis=axis), axis=axis), axis=axis)


def _along(axis: int, sl: slice) -> tuple:
    return (slice(None),) * axis + (sl,)


def log_scan(xp: Any, a: Any, axis: int) -> Any:
    """``log(cumsum(exp(a)))`` along ``axis`` without overflow (Hillis-Steele scan)."""
    out = a.copy()
    n = a.shape[axis]
    step = 1
    while step < n:
        nxt = out.copy()
        nxt[_along(axis, slice(step, None))] = xp.logaddexp(
            out[_along(axis, slice(step, None))], out[_along(axis, slice(None, n - step))]
        )
        out = nxt
        step *= 2
    return out


class Cumprod(Op):
    saves = (0,)
    saves_output = True

    def forward(self, a, axis=0):
        xp = xp_of(a)
        self.a, self.axis = a, axis
        self.out = xp.cumprod(a, axis=axis)
        return self.out

    def backward(self, g):
        xp = xp_of(g)
        a, out, axis = self.a, self.out, self.axis
        zero = a == 0
        pos = _positions(xp, a, axis)
        has_zero = zero.any(axis=axis, keepdims=True)
        z = xp.argmax(zero.astype("int8"), axis=axis)
        z = xp.expand_dims(z, axis)  # first zero of each slice (0 when none)
        safe = xp.where(zero, 1, a)
        before = _reverse_cumsum(xp, g * out, axis) / safe
        after_z = xp.cumprod(xp.where(pos <= z, 1, a), axis=axis)
        tail = xp.where(pos >= z, g * after_z, 0).sum(axis=axis, keepdims=True)
        head = xp.where(pos < z, a, 1).prod(axis=axis, keepdims=True)
        at_z = xp.where(pos == z, head * tail, 0)
        return xp.where(~has_zero | (pos < z), before, at_z).astype(g.dtype, copy=False)


class LogCumSumExp(Op):
    saves = (0,)
    saves_output = True

    def forward(self, a, axis=0):
        xp = xp_of(a)
        self.a, self.axis = a, axis
        self.out = log_scan(xp, a, axis)
        return self.out

    def backward(self, g):
        xp = xp_of(g)
        a, out, axis = self.a, self.out, self.axis

        def part(mask):
            logs = xp.where(mask, xp.log(xp.where(mask, xp.abs(g), 1)), -xp.inf) - out
            return xp.exp(xp.flip(log_scan(xp, xp.flip(logs, axis=axis), axis), axis=axis) + a)

        return (part(g > 0) - part(g < 0)).astype(g.dtype, copy=False)


def cumprod(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Running product along ``dim`` (integers and bools give int64).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.cumprod(hw.as_tensor([1.0, 2.0, 3.0, 0.5]), dim=0).tolist()
    [1.0, 2.0, 6.0, 3.0]
    """
    axis = _axis(input, dim, "cumprod")
    if dtype is not None:
        input = input.to(dtype)
    if input.array.dtype.kind in "biu" and input.array.dtype != "int64":
        input = input.long()
    if input.ndim == 0:
        return reshape(Cumprod.apply(reshape(input, 1), axis=0), ())
    return Cumprod.apply(input, axis=axis)


def _running(input: Tensor, dim: int, op: str, result: type) -> Any:
    axis = _axis(input, dim, op)
    if input.ndim == 0:
        return result(clone(input), wrap(xp_of(input.array).zeros((), dtype="int64")))
    a = input.array
    xp = xp_of(a)
    accumulate = xp.maximum.accumulate if op == "cummax" else xp.minimum.accumulate
    run = accumulate(a, axis=axis)
    hit = a == run
    if a.dtype.kind == "f":
        hit = hit | xp.isnan(a)  # NaN stays the running value once seen
    pos = _positions(xp, a, axis)
    index = xp.maximum.accumulate(xp.where(hit, pos, 0), axis=axis).astype("int64", copy=False)
    index = wrap(index)
    return result(gather(input, axis, index), index)


def cummax(input: Tensor, dim: int) -> CummaxResult:
    """Running maximum along ``dim`` and where it was reached, as ``(values, indices)``.

    Examples
    --------
    >>> import headwater as hw
    >>> values, indices = hw.cummax(hw.as_tensor([1, 3, 2, 3]), dim=0)
    >>> values.tolist(), indices.tolist()
    ([1, 3, 3, 3], [0, 1, 1, 3])
    """
    return _running(input, dim, "cummax", CummaxResult)


def cummin(input: Tensor, dim: int) -> CumminResult:
    """Running minimum along ``dim`` and where it was reached, as ``(values, indices)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.cummin(hw.as_tensor([3.0, 1.0, 2.0]), dim=0).values.tolist()
    [3.0, 1.0, 1.0]
    """
    return _running(input, dim, "cummin", CumminResult)


def logcumsumexp(input: Tensor, dim: int) -> Tensor:
    """``log(cumsum(exp(x)))`` along ``dim``, computed without overflow.

    Examples
    --------
    >>> import headwater as hw
    >>> [round(v, 4) for v in hw.logcumsumexp(hw.as_tensor([0.0, 0.0, 1000.0]), dim=0).tolist()]
    [0.0, 0.6931, 1000.0]
    """
    axis = _axis(input, dim, "logcumsumexp")
    input = float_input(input, "logcumsumexp")
    if input.ndim == 0:
        return clone(input)
    return LogCumSumExp.apply(input, axis=axis)
