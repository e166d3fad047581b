"""Joining and splitting: cat, stack, split, chunk; ``pad`` (from ``padding``) is
re-exported here for the callers that reach it as ``join.pad``."""

from __future__ import annotations

from collections.abc import Sequence

from headwater.autograd.errors import ShapeError
from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops.indexing import getitem
from headwater.autograd.ops.padding import pad  # noqa: F401  (re-exported)
from headwater.autograd.ops.reduce import norm_dims
from headwater.tensor.tensor import Tensor

__all__ = ["cat", "concat", "stack", "split", "chunk", "pad"]


class Cat(Op):
    def forward(self, *arrays, axis=0):
        xp = xp_of(arrays[0])
        self.axis = axis
        self.bounds = []
        total = 0
        for a in arrays[:-1]:
            total += a.shape[axis]
            self.bounds.append(total)
        return xp.concatenate(arrays, axis=axis)

    def backward(self, g):
        xp = xp_of(g)
        return tuple(xp.split(g, self.bounds, axis=self.axis))


class Stack(Op):
    def forward(self, *arrays, axis=0):
        xp = xp_of(arrays[0])
        self.axis = axis
        return xp.stack(arrays, axis=axis)

    def backward(self, g):
        lead = (slice(None),) * self.axis
        return tuple(g[lead + (i,)] for i in range(g.shape[self.axis]))


def _tensors(tensors: Sequence[Tensor], op: str) -> tuple[Tensor, ...]:
    tensors = tuple(tensors)
    if not tensors:
        raise ValueError(f"{op}: expected a non-empty sequence of tensors")
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(f"{op}: expected Tensors, got {type(t).__name__}")
    return tensors


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension.

    Raises
    ------
    ShapeError
        The other dimensions differ (the message lists the shapes).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.cat([hw.zeros(2, 1), hw.ones(2, 2)], dim=1).shape
    (2, 3)
    """
    tensors = _tensors(tensors, "cat")
    (axis,) = norm_dims(dim, tensors[0].ndim, "cat")
    first = tensors[0].shape
    for t in tensors[1:]:
        if t.ndim != len(first) or any(
            a != b for i, (a, b) in enumerate(zip(t.shape, first)) if i != axis
        ):
            raise ShapeError(
                f"cat: shapes {[x.shape for x in tensors]} differ outside dim {dim}; "
                f"all but the joined dimension must match"
            )
    return Cat.apply(*tensors, axis=axis)


concat = cat


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join same-shaped tensors along a new dimension.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.stack([hw.zeros(3), hw.ones(3)], dim=1).shape
    (3, 2)
    """
    tensors = _tensors(tensors, "stack")
    shapes = {t.shape for t in tensors}
    if len(shapes) > 1:
        raise ShapeError(f"stack: all tensors need one shape, got {[t.shape for t in tensors]}")
    (axis,) = norm_dims(dim, tensors[0].ndim + 1, "stack")
    return Stack.apply(*tensors, axis=axis)


def split(tensor: Tensor, split_size_or_sections: int | Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or pieces of
    the listed sizes.

    Examples
    --------
    >>> import headwater as hw
    >>> [p.shape for p in hw.split(hw.zeros(5, 2), 2)]
    [(2, 2), (2, 2), (1, 2)]
    >>> [p.shape for p in hw.split(hw.zeros(5), [1, 4])]
    [(1,), (4,)]
    """
    (axis,) = norm_dims(dim, tensor.ndim, "split")
    n = tensor.shape[axis]
    if isinstance(split_size_or_sections, int):
        if split_size_or_sections <= 0:
            raise ValueError(f"split: split_size must be positive, got {split_size_or_sections}")
        sizes = [min(split_size_or_sections, n - s) for s in range(0, n, split_size_or_sections)]
    else:
        sizes = list(split_size_or_sections)
        if sum(sizes) != n:
            raise ShapeError(f"split: sizes {sizes} add up to {sum(sizes)}, but dim {dim} has size {n}")
    pieces = []
    start = 0
    lead = (slice(None),) * axis
    for size in sizes:
        pieces.append(getitem(tensor, lead + (slice(start, start + size),)))
        start += size
    return tuple(pieces)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """``chunks`` pieces of equal size along ``dim`` (the last may be smaller).

    Examples
    --------
    >>> import headwater as hw
    >>> [p.shape for p in hw.chunk(hw.zeros(5), 2)]
    [(3,), (2,)]
    """
    if chunks <= 0:
        raise ValueError(f"chunk: chunks must be positive, got {chunks}")
    (axis,) = norm_dims(dim, input.ndim, "chunk")
    size = -(-input.shape[axis] // chunks)
    return split(input, max(size, 1), dim)
