"""``as_strided``: a tensor read from another's elements by sizes and strides.

Headwater tensors do not share storage the way torch's views do, so the strides
address the input's elements in row-major (contiguous) order: the element at
``storage_offset + sum(i_k * stride_k)`` of ``input.flatten()``. For a contiguous
input (every tensor torch users usually call it on) that is torch's storage order.
The result is a copy, not a view that writes through; its gradient adds back into
every element it read (overlapping windows accumulate).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from headwater.autograd.function import wrap, xp_of
from headwater.autograd.ops.indexing import getitem
from headwater.autograd.ops.shape import reshape
from headwater.tensor.tensor import Tensor

__all__ = ["as_strided"]


def as_strided(input: Tensor, size: Sequence[int], stride: Sequence[int],
               storage_offset: int = 0) -> Tensor:
    """The tensor of shape ``size`` whose element ``i`` is element
    ``storage_offset + sum(i[k] * stride[k])`` of ``input`` in row-major order.

    Unlike torch's, the result is a copy (writing into it leaves ``input`` alone);
    sliding windows and overlapping reads work, and the gradient accumulates.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.arange(6).as_strided((2, 3), (1, 2)).tolist()
    [[0, 2, 4], [1, 3, 5]]
    >>> hw.arange(5.0).as_strided((3, 3), (1, 1)).tolist()  # sliding windows
    [[0.0, 1.0, 2.0], [1.0, 2.0, 3.0], [2.0, 3.0, 4.0]]
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"as_strided: expected a Tensor, got {type(input).__name__}")
    size, stride = tuple(int(s) for s in size), tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise ValueError(f"as_strided: size {size} and stride {stride} must have the same length")
    if any(s < 0 for s in size) or any(s < 0 for s in stride) or storage_offset < 0:
        raise ValueError("as_strided: sizes, strides and storage_offset must be non-negative")
    xp = xp_of(input.array)
    position = xp.full(size, int(storage_offset), dtype=np.int64)
    for k, (n, s) in enumerate(zip(size, stride)):
        shape = [1] * len(size)
        shape[k] = n
        position = position + (xp.arange(n, dtype=np.int64) * s).reshape(shape)
    last = storage_offset + sum((n - 1) * s for n, s in zip(size, stride)) if all(size) else -1
    if last >= input.numel():
        raise ValueError(
            f"as_strided: size {size}, stride {stride} and offset {storage_offset} read element "
            f"{last}, past the input's {input.numel()} elements"
        )
    return getitem(reshape(input, (-1,)), wrap(position))
