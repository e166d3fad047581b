"""Stacking along a fixed axis (hstack, vstack, dstack, column_stack) and taking a
tensor apart (unbind, narrow), all built from ``cat``, ``atleast_*d`` and indexing.
"""

from __future__ import annotations

from collections.abc import Sequence

from headwater.autograd.ops.indexing import getitem
from headwater.autograd.ops.join import _tensors, cat
from headwater.autograd.ops.reduce import norm_dims
from headwater.autograd.ops.shape import atleast_1d, atleast_2d, atleast_3d, reshape
from headwater.tensor.tensor import Tensor

__all__ = ["hstack", "vstack", "row_stack", "dstack", "column_stack", "unbind", "narrow"]


def _each(tensors: Sequence[Tensor], op: str, lift) -> list[Tensor]:
    return [lift(t) for t in _tensors(tensors, op)]


def hstack(tensors: Sequence[Tensor]) -> Tensor:
    """Join along dimension 1 (dimension 0 for 1-D tensors).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.hstack([hw.as_tensor([1, 2]), hw.as_tensor([3])]).tolist()
    [1, 2, 3]
    """
    parts = _each(tensors, "hstack", atleast_1d)
    return cat(parts, 0 if parts[0].ndim == 1 else 1)


def vstack(tensors: Sequence[Tensor]) -> Tensor:
    """Join along dimension 0, 1-D tensors taken as rows; also ``row_stack``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.vstack([hw.as_tensor([1, 2]), hw.as_tensor([3, 4])]).tolist()
    [[1, 2], [3, 4]]
    """
    return cat(_each(tensors, "vstack", atleast_2d), 0)


row_stack = vstack


def dstack(tensors: Sequence[Tensor]) -> Tensor:
    """Join along dimension 2 (depth), after :func:`atleast_3d`.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.dstack([hw.as_tensor([1, 2]), hw.as_tensor([3, 4])]).tolist()
    [[[1, 3], [2, 4]]]
    """
    return cat(_each(tensors, "dstack", atleast_3d), 2)


def column_stack(tensors: Sequence[Tensor]) -> Tensor:
    """Join as columns: 0-d and 1-D tensors become columns, then everything is
    joined along dimension 1.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.column_stack([hw.as_tensor([1, 2]), hw.as_tensor([[3], [4]])]).tolist()
    [[1, 3], [2, 4]]
    """
    parts = [reshape(t, (t.numel(), 1)) if t.ndim <= 1 else t for t in _tensors(tensors, "column_stack")]
    return cat(parts, 1)


def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """The slices along ``dim``, each without that dimension.

    Examples
    --------
    >>> import headwater as hw
    >>> [t.tolist() for t in hw.unbind(hw.as_tensor([[1, 2], [3, 4]]), 1)]
    [[1, 3], [2, 4]]
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"unbind: expected a Tensor, got {type(input).__name__}")
    (axis,) = norm_dims(dim, input.ndim, "unbind")
    lead = (slice(None),) * axis
    return tuple(getitem(input, lead + (i,)) for i in range(input.shape[axis]))


def narrow(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """``length`` elements along ``dim`` from ``start`` (negative counts from the end).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.narrow(hw.arange(6).reshape(2, 3), 1, 1, 2).tolist()
    [[1, 2], [4, 5]]
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"narrow: expected a Tensor, got {type(input).__name__}")
    (axis,) = norm_dims(dim, input.ndim, "narrow")
    n = input.shape[axis]
    start = int(start)
    if start < 0:
        start += n
    if not 0 <= start <= n or length < 0 or start + length > n:
        raise IndexError(
            f"narrow: start {start} and length {length} do not fit dimension {dim} of size {n}"
        )
    return getitem(input, (slice(None),) * axis + (slice(start, start + length),))
