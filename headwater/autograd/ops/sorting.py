"""Order: sort, argsort, msort, topk, kthvalue, searchsorted, bucketize.

The orderings are computed without gradient (indices carry none); the values are
then read with ``gather``, whose backward scatters the gradient to the positions
they came from. Sorts are stable, and NaN sorts as the largest value, as in
PyTorch.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from headwater.autograd.function import wrap, xp_of
from headwater.autograd.ops.indexing import gather
from headwater.autograd.ops.reduce import norm_dims
from headwater.autograd.ops.shape import reshape, squeeze
from headwater.tensor.tensor import Tensor

__all__ = [
    "sort", "argsort", "msort", "topk", "kthvalue", "searchsorted", "bucketize",
    "SortResult", "TopkResult", "KthvalueResult",
]

SortResult = namedtuple("SortResult", ["values", "indices"])
TopkResult = namedtuple("TopkResult", ["values", "indices"])
KthvalueResult = namedtuple("KthvalueResult", ["values", "indices"])


def _order(xp, a, axis: int, descending: bool) -> Any:
    """Stable argsort along ``axis``; descending keeps equal values in their
    original order (sorting the reversed array and reading it backwards)."""
    if not descending:
        return xp.argsort(a, axis=axis, kind="stable")
    n = a.shape[axis]
    rev = xp.flip(xp.argsort(xp.flip(a, axis=axis), axis=axis, kind="stable"), axis=axis)
    return (n - 1) - rev


def _check(input: Any, op: str) -> None:
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(input).__name__}")


def _indices(input: Tensor, dim: int, descending: bool, op: str) -> tuple[Tensor, int]:
    _check(input, op)
    (axis,) = norm_dims(dim, input.ndim, op)
    a = input.array if input.ndim else input.array.reshape(1)
    xp = xp_of(a)
    return wrap(_order(xp, a, axis, descending).astype("int64", copy=False)), axis


def _values(input: Tensor, axis: int, idx: Tensor) -> Tensor:
    if input.ndim == 0:
        return gather(reshape(input, 1), 0, idx).reshape(())
    return gather(input, axis, idx)


def argsort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    """Positions that sort ``input`` along ``dim`` (always a stable sort, so
    ``stable`` is accepted for compatibility and changes nothing).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.argsort(hw.as_tensor([3.0, 1.0, 2.0])).tolist()
    [1, 2, 0]
    >>> hw.argsort(hw.as_tensor([1, 2, 1]), descending=True).tolist()
    [1, 0, 2]
    """
    idx, _ = _indices(input, dim, descending, "argsort")
    return idx if input.ndim else idx.reshape(())


def sort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> SortResult:
    """The values of ``input`` sorted along ``dim`` and the positions they came from,
    as ``(values, indices)``; the gradient flows back to those positions. The sort
    is always stable (``stable`` changes nothing).

    Examples
    --------
    >>> import headwater as hw
    >>> values, indices = hw.sort(hw.as_tensor([[3.0, 1.0, 2.0]]), descending=True)
    >>> values.tolist(), indices.tolist()
    ([[3.0, 2.0, 1.0]], [[0, 2, 1]])
    """
    idx, axis = _indices(input, dim, descending, "sort")
    if input.ndim == 0:
        return SortResult(_values(input, axis, idx), idx.reshape(()))
    return SortResult(_values(input, axis, idx), idx)


def msort(input: Tensor) -> Tensor:
    """``input`` sorted along its first dimension.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.msort(hw.as_tensor([[2, 0], [1, 3]])).tolist()
    [[1, 0], [2, 3]]
    """
    return sort(input, dim=0).values


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> TopkResult:
    """The ``k`` largest (or with ``largest=False`` smallest) values along ``dim``
    and their positions, as ``(values, indices)``, in sorted order (also with
    ``sorted=False``, which torch leaves unspecified). Equal values keep their
    original order.

    Examples
    --------
    >>> import headwater as hw
    >>> v, i = hw.topk(hw.as_tensor([1.0, 5.0, 3.0, 4.0]), 2)
    >>> v.tolist(), i.tolist()
    ([5.0, 4.0], [1, 3])
    """
    _check(input, "topk")
    (axis,) = norm_dims(dim, input.ndim, "topk")
    n = input.shape[axis] if input.ndim else 1
    if not 0 <= k <= n:
        raise IndexError(f"topk: k={k} is out of range for dimension {dim} of size {n}")
    idx, axis = _indices(input, dim, largest, "topk")
    idx = wrap(idx.array[(slice(None),) * axis + (slice(0, k),)])
    if input.ndim == 0:
        return TopkResult(_values(input, axis, idx), idx.reshape(()))
    return TopkResult(_values(input, axis, idx), idx)


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> KthvalueResult:
    """The ``k``-th smallest value (``k`` counts from 1) along ``dim`` and its
    position, as ``(values, indices)``.

    Examples
    --------
    >>> import headwater as hw
    >>> v, i = hw.kthvalue(hw.as_tensor([[4.0, 1.0, 3.0], [0.0, 9.0, 8.0]]), 2)
    >>> v.tolist(), i.tolist()
    ([3.0, 8.0], [2, 2])
    """
    _check(input, "kthvalue")
    (axis,) = norm_dims(dim, input.ndim, "kthvalue")
    n = input.shape[axis] if input.ndim else 1
    if not 1 <= k <= n:
        raise IndexError(f"kthvalue: k={k} is out of range for dimension {dim} of size {n} (k counts from 1)")
    idx, axis = _indices(input, dim, False, "kthvalue")
    idx = wrap(idx.array[(slice(None),) * axis + (slice(k - 1, k),)])
    values = _values(input, axis, idx)
    if input.ndim == 0:
        return KthvalueResult(values, idx.reshape(()))
    if not keepdim:
        values, idx = squeeze(values, axis), wrap(idx.array.squeeze(axis))
    return KthvalueResult(values, idx)


def _rows_searchsorted(xp, seq, values, right: bool):
    """searchsorted for each row of ``seq`` (..., N) against the same row of
    ``values`` (..., M): one stable merge of both by (row, value), where a value
    goes before equal sequence entries (left) or after them (right)."""
    n, m = seq.shape[-1], values.shape[-1]
    rows = seq.reshape(-1, n).shape[0]
    dt = xp.result_type(seq.dtype, values.dtype)
    keys = xp.concatenate([seq.reshape(rows, n).astype(dt), values.reshape(rows, m).astype(dt)], axis=1)
    is_seq = xp.concatenate([xp.ones((rows, n), bool), xp.zeros((rows, m), bool)], axis=1)
    # ties: with right=False a value sorts before equal entries, so put values first
    flag = is_seq if not right else ~is_seq
    first = xp.argsort(flag.astype(xp.int8), axis=1, kind="stable")
    keyed = xp.take_along_axis(keys, first, axis=1)
    second = xp.argsort(keyed, axis=1, kind="stable")
    order = xp.take_along_axis(first, second, axis=1)
    seq_before = xp.cumsum(xp.take_along_axis(is_seq, order, axis=1), axis=1)
    out = xp.empty((rows, n + m), "int64")
    xp.put_along_axis(out, order, seq_before, axis=1)
    return out[:, n:].reshape(values.shape)


def searchsorted(sorted_sequence: Tensor, input: Tensor | float, *, out_int32: bool = False,
                 right: bool = False, side: str | None = None, sorter: Tensor | None = None) -> Tensor:
    """Where each value of ``input`` would go in ``sorted_sequence`` to keep it
    sorted: the first such position, or with ``right=True`` (``side="right"``) the
    last. A 1-D sequence serves every value; an N-D one is searched row by row
    against the matching rows of ``input``. ``sorter`` holds positions that sort an
    unsorted sequence.

    Examples
    --------
    >>> import headwater as hw
    >>> seq = hw.as_tensor([1, 3, 5, 7])
    >>> hw.searchsorted(seq, hw.as_tensor([3, 6])).tolist()
    [1, 3]
    >>> hw.searchsorted(seq, hw.as_tensor([3, 6]), right=True).tolist()
    [2, 3]
    """
    _check(sorted_sequence, "searchsorted")
    if side is not None:
        if side not in ("left", "right"):
            raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}")
        if right and side == "left":
            raise ValueError("searchsorted: right=True and side='left' disagree; pass one of them")
        right = side == "right"
    seq = sorted_sequence.array
    xp = xp_of(seq)
    scalar = not isinstance(input, Tensor)
    values = xp.asarray(input, dtype=seq.dtype) if scalar else input.array
    if sorter is not None:
        seq = xp.take_along_axis(seq, sorter.array, axis=-1)
    if seq.ndim == 0:
        raise ValueError("searchsorted: sorted_sequence must have at least one dimension")
    if seq.ndim == 1:
        out = xp.searchsorted(seq, values, side="right" if right else "left").astype("int64")
    else:
        if scalar or values.shape[:-1] != seq.shape[:-1]:
            raise ValueError(
                f"searchsorted: an N-D sorted_sequence of shape {seq.shape} needs input with the "
                f"same leading dimensions, got {getattr(values, 'shape', ())}"
            )
        out = _rows_searchsorted(xp, seq, values, right)
    out = xp.asarray(out)
    return wrap(out.astype("int32") if out_int32 else out)


def bucketize(input: Tensor | float, boundaries: Tensor, *, out_int32: bool = False,
              right: bool = False) -> Tensor:
    """The bucket of each value among the sorted 1-D ``boundaries``: ``i`` with
    ``boundaries[i-1] < x <= boundaries[i]`` (``right=True``: ``boundaries[i-1] <= x
    < boundaries[i]``).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.bucketize(hw.as_tensor([1, 5, 9]), hw.as_tensor([1, 4, 8])).tolist()
    [0, 2, 3]
    """
    _check(boundaries, "bucketize")
    if boundaries.ndim != 1:
        raise ValueError(f"bucketize: boundaries must be 1-D, got shape {boundaries.shape}; see searchsorted")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)
