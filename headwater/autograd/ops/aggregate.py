"""Aggregates beyond the sums of :mod:`reduce`: prod, nansum, nanmean,
count_nonzero, aminmax, var_mean and std_mean.

``prod``'s backward is exact where the input holds zeros (a slice with one zero
sends the product of the others to it; with two or more, every gradient is 0).
``nansum``, ``nanmean`` and ``aminmax`` are built from existing ops.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from headwater.autograd.function import Op, wrap, xp_of
from headwater.autograd.ops.arithmetic import div
from headwater.autograd.ops.reduce import Dims, amax, amin, mean, norm_dims, reduce_dims, std, sum, var
from headwater.autograd.ops.select import isnan, where
from headwater.tensor.tensor import Tensor

__all__ = ["prod", "nansum", "nanmean", "count_nonzero", "aminmax", "AminmaxResult", "var_mean", "std_mean"]

AminmaxResult = namedtuple("AminmaxResult", ["min", "max"])


def _tensor(input: Any, op: str) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(input).__name__}")
    return input


class Prod(Op):
    saves = (0,)
    saves_output = True

    def forward(self, a, axis=None, keepdim=False):
        self.a, self.axis, self.keepdim = a, axis, keepdim
        self.full = a.prod(axis=axis, keepdims=True)
        if keepdim:
            return self.full
        return self.full.reshape(()) if axis is None else self.full.squeeze(axis=axis)

    def backward(self, g):
        xp = xp_of(g)
        a, axis = self.a, self.axis
        g = g.reshape(self.full.shape)
        zero = a == 0
        zeros = zero.sum(axis=axis, keepdims=True)
        safe = xp.where(zero, 1, a)
        others = safe.prod(axis=axis, keepdims=True)  # product of the nonzero entries
        no_zero = g * self.full / safe
        one_zero = xp.where(zero & (zeros == 1), g * others, 0)
        return xp.where(zeros == 0, no_zero, one_zero).astype(g.dtype, copy=False)


def prod(input: Tensor, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Product of the elements (along ``dim`` when given); integers and bools give
    int64, as in PyTorch.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> hw.prod(x).item(), x.prod(1).tolist(), hw.prod(hw.as_tensor([True, True])).dtype
    (24.0, [2.0, 12.0], dtype('int64'))
    """
    _tensor(input, "prod")
    if dtype is not None:
        input = input.to(dtype)
    if dim is not None and not isinstance(dim, int):
        raise TypeError(f"prod: dim must be one int (or None for all elements), got {dim!r}; "
                        f"reduce one dimension at a time")
    if input.array.dtype.kind in "biu" and input.array.dtype != "int64":
        input = input.long()
    axis = None if dim is None else norm_dims(dim, input.ndim, "prod")[0]
    if input.ndim == 0:
        axis = None
    return Prod.apply(input, axis=axis, keepdim=keepdim)


def nansum(input: Tensor, dim: Dims = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Sum treating NaN as zero (NaN positions get no gradient).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nansum(hw.as_tensor([1.0, float("nan"), 2.0])).item()
    3.0
    """
    _tensor(input, "nansum")
    if dtype is not None:
        input = input.to(dtype)
    if input.array.dtype.kind == "f":
        input = where(isnan(input), 0.0, input)
    return sum(input, dim, keepdim)


def nanmean(input: Tensor, dim: Dims = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Mean of the values that are not NaN (NaN where a slice holds only NaN). NaN
    inputs get no gradient, also in a slice of NaN only (where PyTorch's is NaN).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nanmean(hw.as_tensor([[1.0, float("nan")], [2.0, 4.0]]), dim=1).tolist()
    [1.0, 3.0]
    """
    _tensor(input, "nanmean")
    if dtype is not None:
        input = input.to(dtype)
    if input.array.dtype.kind != "f":
        raise TypeError(f"nanmean: expected a float tensor, got {input.dtype}; cast it with .float() first")
    axes = reduce_dims(dim, input.ndim, "nanmean")
    valid = wrap(~xp_of(input.array).isnan(input.array))
    count = sum(valid, axes, keepdim).to(input.dtype)
    return div(nansum(input, axes, keepdim), count)


class CountNonzero(Op):
    differentiable = False

    def forward(self, a, axes=None):
        xp = xp_of(a)
        return xp.asarray(xp.count_nonzero(a, axis=axes), dtype="int64")


def count_nonzero(input: Tensor, dim: Dims = None) -> Tensor:
    """How many elements are nonzero (along ``dim``, an int or a tuple), as int64.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.count_nonzero(hw.as_tensor([[0, 1], [2, 0]]), dim=0).tolist()
    [1, 1]
    """
    _tensor(input, "count_nonzero")
    axes = reduce_dims(dim, input.ndim, "count_nonzero")
    return CountNonzero.apply(input, axes=axes)


def aminmax(input: Tensor, *, dim: int | None = None, keepdim: bool = False) -> AminmaxResult:
    """The smallest and largest values, as ``(min, max)`` (along ``dim`` when given).

    Examples
    --------
    >>> import headwater as hw
    >>> lo, hi = hw.aminmax(hw.as_tensor([[1.0, 5.0], [3.0, -2.0]]), dim=1)
    >>> lo.tolist(), hi.tolist()
    ([1.0, -2.0], [5.0, 3.0])
    """
    _tensor(input, "aminmax")
    if dim is not None and not isinstance(dim, int):
        raise TypeError(f"aminmax: dim must be one int or None, got {dim!r}")
    return AminmaxResult(amin(input, dim, keepdim), amax(input, dim, keepdim))


def _moment_args(dim: Any, unbiased: Any, correction: Any, op: str) -> tuple[Any, int]:
    if isinstance(dim, bool):  # the old overload var_mean(input, unbiased)
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(f"{op}: give correction= or unbiased=, not both")
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    return dim, correction


def var_mean(input: Tensor, dim: Dims | bool = None, unbiased: bool | None = None,
             keepdim: bool = False, *, correction: int | None = None) -> tuple[Tensor, Tensor]:
    """The variance and the mean over ``dim``, as a tuple ``(var, mean)``.

    ``correction`` (default 1, Bessel's) is subtracted from the count in the
    variance's denominator; ``unbiased=False`` means ``correction=0``.

    Examples
    --------
    >>> import headwater as hw
    >>> v, m = hw.var_mean(hw.as_tensor([1.0, 2.0, 3.0, 4.0]), correction=0)
    >>> v.item(), m.item()
    (1.25, 2.5)
    """
    dim, correction = _moment_args(dim, unbiased, correction, "var_mean")
    input = _tensor(input, "var_mean")
    return var(input, dim, keepdim, correction=correction), mean(input, dim, keepdim)


def std_mean(input: Tensor, dim: Dims | bool = None, unbiased: bool | None = None,
             keepdim: bool = False, *, correction: int | None = None) -> tuple[Tensor, Tensor]:
    """The standard deviation and the mean over ``dim``, as a tuple ``(std, mean)``
    (see :func:`var_mean` for ``correction`` and ``unbiased``).

    Examples
    --------
    >>> import headwater as hw
    >>> s, m = hw.std_mean(hw.as_tensor([[2.0, 4.0], [1.0, 1.0]]), dim=1, unbiased=False)
    >>> s.tolist(), m.tolist()
    ([1.0, 0.0], [3.0, 1.0])
    """
    dim, correction = _moment_args(dim, unbiased, correction, "std_mean")
    input = _tensor(input, "std_mean")
    return std(input, dim, keepdim, correction=correction), mean(input, dim, keepdim)
