"""Tensors assembled from several tensors: block_diag and cartesian_prod.

Both are built from differentiable ops (``pad``, ``cat``, ``meshgrid``, ``stack``),
so gradients flow back to every input block.
"""

from __future__ import annotations

from functools import reduce as _fold

from headwater.autograd.ops.conversion import to
from headwater.autograd.ops.join import cat, stack
from headwater.autograd.ops.padding import pad
from headwater.autograd.ops.shape import reshape
from headwater.autograd.ops.tiling import meshgrid
from headwater.tensor.creation import zeros
from headwater.tensor.promotion import promote_types
from headwater.tensor.tensor import Tensor

__all__ = ["block_diag", "cartesian_prod"]


def _tensors(tensors: tuple, op: str) -> tuple:
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(f"{op}: expected Tensors, got {type(t).__name__}")
    return tensors


def block_diag(*tensors: Tensor) -> Tensor:
    """A block-diagonal matrix from the given blocks (0-D is 1x1, 1-D is one row),
    zeros elsewhere; the dtype is the blocks' promoted dtype.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.block_diag(hw.as_tensor([[1, 2]]), hw.as_tensor(3)).tolist()
    [[1, 2, 0], [0, 0, 3]]
    """
    _tensors(tensors, "block_diag")
    if not tensors:
        return zeros(1, 0)
    blocks = []
    for t in tensors:
        if t.ndim > 2:
            raise ValueError(f"block_diag: blocks must have at most 2 dimensions, got shape {t.shape}")
        blocks.append(reshape(t, (1, -1) if t.ndim < 2 else t.shape))
    dtype = _fold(promote_types, [b.dtype for b in blocks])
    width = sum(b.shape[1] for b in blocks)
    rows, left = [], 0
    for b in blocks:
        rows.append(pad(to(b, dtype), (left, width - left - b.shape[1])))
        left += b.shape[1]
    return cat(rows, 0)


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """Every combination of one element from each 1-D tensor, one per row (the last
    tensor varies fastest); with one tensor, that tensor.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.cartesian_prod(hw.as_tensor([1, 2]), hw.as_tensor([3, 4])).tolist()
    [[1, 3], [1, 4], [2, 3], [2, 4]]
    """
    _tensors(tensors, "cartesian_prod")
    if not tensors:
        raise TypeError("cartesian_prod: expected at least one 1-D tensor")
    for t in tensors:
        if t.ndim != 1:
            raise ValueError(f"cartesian_prod: expected 1-D tensors, got shape {t.shape}")
    if len(tensors) == 1:
        return tensors[0]
    dtype = _fold(promote_types, [t.dtype for t in tensors])
    grids = meshgrid(*[to(t, dtype) for t in tensors], indexing="ij")
    return stack([reshape(g, (-1,)) for g in grids], 1)
