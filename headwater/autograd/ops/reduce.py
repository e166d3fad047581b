"""Reductions: sum, mean, var, std, max, min, logsumexp, argmax, argmin, cumsum.

``mean``, ``var`` and ``std`` are built from ``sum`` and arithmetic.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops.arithmetic import add, mul, neg
from headwater.autograd.ops.elementwise import float_input, sqrt
from headwater.tensor.tensor import Tensor

__all__ = [
    "sum", "mean", "var", "std", "max", "min", "amax", "amin", "logsumexp",
    "argmax", "argmin", "cumsum", "any", "all", "norm_dims", "reduce_dims",
]

Dims = int | tuple[int, ...] | list[int] | None
MaxResult = namedtuple("MaxResult", ["values", "indices"])


def norm_dims(dim: Dims, ndim: int, op: str) -> tuple[int, ...] | None:
    """``dim`` as a tuple of non-negative axes (None for all), checked against ``ndim``."""
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    out = []
    for d in dims:
        rank = ndim if ndim > 0 else 1
        if not -rank <= d < rank:
            raise IndexError(f"{op}: dim {d} is out of range for a tensor with {ndim} dimension(s)")
        out.append(d % rank)
    return tuple(out)


def reduce_dims(dim: Dims, ndim: int, op: str) -> tuple[int, ...] | None:
    """As :func:`norm_dims`, except that an empty ``dim`` (``()`` or ``[]``) means
    every dimension, as PyTorch's ``sum``, ``mean``, ``var`` and ``amax`` read it."""
    if dim is not None and not isinstance(dim, int) and len(dim) == 0:
        return None
    return norm_dims(dim, ndim, op)


def _expand_back(g: Any, shape: tuple, axes: tuple | None, keepdim: bool) -> Any:
    """Reshape a reduced gradient so it broadcasts against the input shape."""
    if keepdim or axes is None and g.ndim == 0:
        return g
    if axes is None:
        return g
    kept = list(g.shape)
    for ax in sorted(axes):
        kept.insert(ax, 1)
    return g.reshape(kept)


class Sum(Op):
    def forward(self, a, axes=None, keepdim=False):
        self.shape, self.axes, self.keepdim = a.shape, axes, keepdim
        return a.sum(axis=axes, keepdims=keepdim)

    def backward(self, g):
        xp = xp_of(g)
        g = _expand_back(g, self.shape, self.axes, self.keepdim)
        return xp.broadcast_to(g, self.shape)


class _Extreme(Op):
    saves = (0,)
    saves_output = True

    def forward(self, a, axes=None, keepdim=False):
        xp = xp_of(a)
        if a.size == 0:
            raise ValueError(f"{self.name} of an empty tensor has no value")
        full = getattr(xp, self.name)(a, axis=axes, keepdims=True)
        self.a, self.full, self.axes, self.keepdim = a, full, axes, keepdim
        if keepdim:
            return full
        return full.reshape(()) if axes is None else full.squeeze(axis=axes)

    def backward(self, g):
        g = _expand_back(g, self.a.shape, self.axes, self.keepdim)
        if self.axes is None and not self.keepdim:
            g = g.reshape((1,) * self.a.ndim)
        hit = self.a == self.full
        # ties share the gradient evenly
        return g * hit / hit.sum(axis=self.axes, keepdims=True)


class Amax(_Extreme):
    name = "amax"


class Amin(_Extreme):
    name = "amin"


class LogSumExp(Op):
    saves = (0,)
    saves_output = True

    def forward(self, a, axes=None, keepdim=False):
        xp = xp_of(a)
        m = xp.max(a, axis=axes, keepdims=True)
        m = xp.where(xp.isfinite(m), m, 0)
        full = xp.log(xp.exp(a - m).sum(axis=axes, keepdims=True)) + m
        self.a, self.full, self.axes, self.keepdim = a, full, axes, keepdim
        if keepdim:
            return full
        return full.reshape(()) if axes is None else full.squeeze(axis=axes)

    def backward(self, g):
        xp = xp_of(g)
        if not self.keepdim:
            g = g.reshape(self.full.shape)
        return g * xp.exp(self.a - self.full)


class Cumsum(Op):
    def forward(self, a, axis=0):
        xp = xp_of(a)
        self.axis = axis
        return xp.cumsum(a, axis=axis)

    def backward(self, g):
        xp = xp_of(g)
        return xp.flip(xp.cumsum(xp.flip(g, axis=self.axis), axis=self.axis), axis=self.axis)


class _Index(Op):
    differentiable = False

    def forward(self, a, axis=None, keepdim=False):
        xp = xp_of(a)
        if a.size == 0:
            raise ValueError(f"{self.name} of an empty tensor has no value")
        out = getattr(xp, self.name)(a, axis=axis)
        if keepdim:
            out = xp.expand_dims(out, axis) if axis is not None else out.reshape((1,) * a.ndim)
        return out.astype("int64", copy=False)


class Argmax(_Index):
    name = "argmax"


class Argmin(_Index):
    name = "argmin"


class _Truth(Op):
    differentiable = False

    def forward(self, a, axes=None, keepdim=False):
        xp = xp_of(a)
        return getattr(xp, self.name)(a, axis=axes, keepdims=keepdim)


class Any_(_Truth):
    name = "any"


class All_(_Truth):
    name = "all"


def sum(input: Tensor, dim: Dims = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Sum over ``dim`` (all dimensions by default).

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.ones(2, 3)
    >>> hw.sum(x).item(), x.sum(dim=1).tolist(), x.sum(0, keepdim=True).shape
    (6.0, [3.0, 3.0], (1, 3))
    """
    if dtype is not None:
        input = input.to(dtype)
    axes = reduce_dims(dim, input.ndim, "sum")
    if input.array.dtype.kind == "b":
        input = input.long()
    return Sum.apply(input, axes=axes, keepdim=keepdim)


def _count(input: Tensor, axes: tuple | None) -> int:
    if axes is None:
        return input.array.size
    n = 1
    for ax in axes:
        n *= input.array.shape[ax]
    return n


def mean(input: Tensor, dim: Dims = None, keepdim: bool = False) -> Tensor:
    """Mean over ``dim`` (all dimensions by default), as ``sum / n``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.as_tensor([[1.0, 3.0], [5.0, 7.0]]).mean(dim=0).tolist()
    [3.0, 5.0]
    """
    input = float_input(input, "mean")
    axes = reduce_dims(dim, input.ndim, "mean")
    n = _count(input, axes)
    return mul(Sum.apply(input, axes=axes, keepdim=keepdim), 1.0 / n if n else float("nan"))


def var(
    input: Tensor, dim: Dims = None, keepdim: bool = False, *, correction: int = 1,
    unbiased: bool | None = None,
) -> Tensor:
    """Variance over ``dim`` with Bessel's correction by default (``correction=1``).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.as_tensor([1.0, 2.0, 3.0, 4.0]).var().item()
    1.6666...
    """
    if unbiased is not None:
        correction = 1 if unbiased else 0
    input = float_input(input, "var")
    axes = reduce_dims(dim, input.ndim, "var")
    n = _count(input, axes)
    centred = add(input, neg(mean(input, dim=axes, keepdim=True)))
    total = Sum.apply(mul(centred, centred), axes=axes, keepdim=keepdim)
    denom = n - correction
    return mul(total, 1.0 / denom if denom > 0 else float("nan"))


def std(
    input: Tensor, dim: Dims = None, keepdim: bool = False, *, correction: int = 1,
    unbiased: bool | None = None,
) -> Tensor:
    """Standard deviation, ``sqrt(var)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.as_tensor([2.0, 4.0]).std(correction=0).item()
    1.0
    """
    return sqrt(var(input, dim, keepdim, correction=correction, unbiased=unbiased))


def amax(input: Tensor, dim: Dims = None, keepdim: bool = False) -> Tensor:
    """Largest value over ``dim``; ties share the gradient evenly.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.amax(hw.as_tensor([[1.0, 4.0], [3.0, 2.0]]), dim=1).tolist()
    [4.0, 3.0]
    """
    return Amax.apply(input, axes=reduce_dims(dim, input.ndim, "amax"), keepdim=keepdim)


def amin(input: Tensor, dim: Dims = None, keepdim: bool = False) -> Tensor:
    """Smallest value over ``dim``; ties share the gradient evenly.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.amin(hw.as_tensor([[1.0, 4.0], [3.0, 2.0]]), dim=1).tolist()
    [1.0, 2.0]
    """
    return Amin.apply(input, axes=reduce_dims(dim, input.ndim, "amin"), keepdim=keepdim)


def max(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    """The largest value; with ``dim``, ``(values, indices)`` along it; with a
    Tensor as second argument, the elementwise ``maximum``.

    With ``dim`` the gradient goes to the returned index, as in PyTorch; without it
    (and in ``amax``) tied maxima share it evenly.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([[1.0, 4.0], [3.0, 2.0]])
    >>> x.max().item()
    4.0
    >>> values, indices = x.max(dim=1)
    >>> values.tolist(), indices.tolist()
    ([4.0, 3.0], [1, 0])
    """
    if isinstance(dim, Tensor):
        from headwater.autograd.ops.select import maximum

        return maximum(input, dim)
    if dim is None:
        return amax(input)
    return _along(input, dim, keepdim, argmax(input, dim, keepdim=True))


def min(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    """The smallest value; with ``dim``, ``(values, indices)``; with a Tensor, the
    elementwise ``minimum``.

    Examples
    --------
    >>> import headwater as hw
    >>> values, indices = hw.as_tensor([[1.0, 4.0], [3.0, 2.0]]).min(dim=1)
    >>> values.tolist(), indices.tolist()
    ([1.0, 2.0], [0, 1])
    """
    if isinstance(dim, Tensor):
        from headwater.autograd.ops.select import minimum

        return minimum(input, dim)
    if dim is None:
        return amin(input)
    return _along(input, dim, keepdim, argmin(input, dim, keepdim=True))


def _along(input: Tensor, dim: int, keepdim: bool, index: Tensor) -> MaxResult:
    """(values, indices) at ``index`` (kept dims) along ``dim``, built from gather."""
    from headwater.autograd.ops.indexing import gather
    from headwater.autograd.ops.shape import squeeze

    (axis,) = norm_dims(dim, input.ndim, "max")
    values = gather(input, axis, index)
    if keepdim:
        return MaxResult(values, index)
    return MaxResult(squeeze(values, axis), squeeze(index, axis))


def logsumexp(input: Tensor, dim: Dims = None, keepdim: bool = False) -> Tensor:
    """``log(sum(exp(x)))`` over ``dim``, computed without overflow.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.logsumexp(hw.zeros(4), dim=0).item(), 4)
    1.3863
    """
    input = float_input(input, "logsumexp")
    return LogSumExp.apply(input, axes=norm_dims(dim, input.ndim, "logsumexp"), keepdim=keepdim)


def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the largest value (of the flattened tensor when ``dim`` is None).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.argmax(hw.as_tensor([[1.0, 4.0], [3.0, 2.0]]), dim=1).tolist()
    [1, 0]
    """
    axis = None if dim is None else norm_dims(dim, input.ndim, "argmax")[0]
    return Argmax.apply(input, axis=axis, keepdim=keepdim)


def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the smallest value (of the flattened tensor when ``dim`` is None).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.argmin(hw.as_tensor([3.0, 1.0, 2.0])).item()
    1
    """
    axis = None if dim is None else norm_dims(dim, input.ndim, "argmin")[0]
    return Argmin.apply(input, axis=axis, keepdim=keepdim)


def cumsum(input: Tensor, dim: int) -> Tensor:
    """Running sum along ``dim``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.cumsum(hw.as_tensor([1.0, 2.0, 3.0]), dim=0).tolist()
    [1.0, 3.0, 6.0]
    """
    return Cumsum.apply(input, axis=norm_dims(dim, input.ndim, "cumsum")[0])


def any(input: Tensor, dim: Dims = None, keepdim: bool = False) -> Tensor:
    """Whether any value is true (nonzero) over ``dim``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.any(hw.as_tensor([0, 1])).item()
    True
    """
    return Any_.apply(input, axes=norm_dims(dim, input.ndim, "any"), keepdim=keepdim)


def all(input: Tensor, dim: Dims = None, keepdim: bool = False) -> Tensor:
    """Whether every value is true (nonzero) over ``dim``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.all(hw.as_tensor([0, 1])).item()
    False
    """
    return All_.apply(input, axes=norm_dims(dim, input.ndim, "all"), keepdim=keepdim)
