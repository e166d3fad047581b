"""Order statistics: median (the lower median, as PyTorch) and mode.

Positions are found without gradient and the values read with ``gather``, so the
gradient goes to the element each result came from.

- ``median`` of a slice holding NaN is NaN (at the first NaN's position); otherwise
  the element of rank ``(n - 1) // 2`` in a stable sort.
- ``mode`` is the most frequent value; among equally frequent values the smallest,
  and its index is the last position holding it, as PyTorch returns.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from headwater.autograd.function import wrap, xp_of
from headwater.autograd.ops.conversion import clone
from headwater.autograd.ops.indexing import gather
from headwater.autograd.ops.reduce import norm_dims
from headwater.autograd.ops.shape import reshape, squeeze
from headwater.tensor.tensor import Tensor

__all__ = ["median", "mode", "MedianResult", "ModeResult"]

MedianResult = namedtuple("MedianResult", ["values", "indices"])
ModeResult = namedtuple("ModeResult", ["values", "indices"])


def _check(input: Any, op: str) -> None:
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(input).__name__}")
    if input.numel() == 0:
        raise ValueError(f"{op}: the tensor is empty, so it has no {op}")


def _median_index(a: Any, axis: int) -> Any:
    """Kept-dim positions of the lower median of each slice along ``axis``."""
    xp = xp_of(a)
    order = xp.argsort(a, axis=axis, kind="stable")
    n = a.shape[axis]
    pos = xp.full(a.shape[:axis] + (1,) + a.shape[axis + 1:], (n - 1) // 2, dtype="int64")
    if a.dtype.kind == "f":
        nans = xp.isnan(a).sum(axis=axis, keepdims=True)
        pos = xp.where(nans > 0, n - nans, pos)  # NaN sorts last: the first NaN
    return xp.take_along_axis(order, pos, axis=axis).astype("int64", copy=False)


def _mode_index(a: Any, axis: int) -> Any:
    """Kept-dim positions of the mode of each slice along ``axis``."""
    xp = xp_of(a)
    last = xp.moveaxis(a, axis, -1)
    s = xp.sort(last, axis=-1)
    n = s.shape[-1]
    pos = xp.arange(n)
    starts = xp.concatenate([xp.ones(s.shape[:-1] + (1,), dtype=bool), s[..., 1:] != s[..., :-1]], axis=-1)
    run_start = xp.maximum.accumulate(xp.where(starts, pos, 0), axis=-1)
    length = pos - run_start + 1  # length of the run so far
    longest = length.max(axis=-1, keepdims=True)
    # the first run to reach the longest length holds the smallest such value
    first = xp.argmax((length == longest).astype("int8"), axis=-1)[..., None]
    value = xp.take_along_axis(s, first, axis=-1)
    where = xp.where(last == value, pos, -1).max(axis=-1, keepdims=True)
    return xp.moveaxis(where, -1, axis).astype("int64", copy=False)


def _pick(input: Tensor, dim: int | None, keepdim: bool, op: str, find, result: type) -> Any:
    _check(input, op)
    if dim is None:
        flat = reshape(input, -1)
        index = wrap(find(flat.array, 0))
        return reshape(gather(flat, 0, index), ())
    if input.ndim == 0:
        norm_dims(dim, 0, op)
        return result(clone(input), wrap(xp_of(input.array).zeros((), dtype="int64")))
    (axis,) = norm_dims(dim, input.ndim, op)
    index = wrap(find(input.array, axis))
    values = gather(input, axis, index)
    if keepdim:
        return result(values, index)
    return result(squeeze(values, axis), wrap(index.array.squeeze(axis)))


def median(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:
    """The lower median (the element of rank ``(n - 1) // 2``); with ``dim``,
    ``(values, indices)`` along it. NaN wins: a slice with NaN has median NaN.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([[4.0, 1.0, 3.0, 2.0], [0.0, 9.0, 8.0, 7.0]])
    >>> x.median().item()
    3.0
    >>> values, indices = x.median(dim=1)
    >>> values.tolist(), indices.tolist()
    ([2.0, 7.0], [3, 3])
    """
    return _pick(input, dim, keepdim, "median", _median_index, MedianResult)


def mode(input: Tensor, dim: int = -1, keepdim: bool = False) -> ModeResult:
    """The most frequent value along ``dim`` (the smallest among ties) and the last
    position holding it, as ``(values, indices)``.

    Examples
    --------
    >>> import headwater as hw
    >>> values, indices = hw.mode(hw.as_tensor([[1, 3, 3, 2, 2, 5], [4, 4, 1, 1, 4, 1]]))
    >>> values.tolist(), indices.tolist()
    ([2, 1], [4, 5])
    """
    if dim is None:
        raise TypeError("mode: dim must be an int (mode is taken along one dimension)")
    return _pick(input, dim, keepdim, "mode", _mode_index, ModeResult)
