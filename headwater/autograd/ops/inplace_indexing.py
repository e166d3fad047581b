"""In-place writes at indices: ``scatter_ scatter_add_ scatter_reduce_ index_add_
index_fill_ index_copy_ masked_fill_ masked_scatter_``.

Unlike the arithmetic in-place ops (which are never recorded), these are recorded
when gradients are (see :mod:`headwater.autograd.ops.recorded_inplace`), as PyTorch
records ``scores.masked_fill_(mask, -inf)`` inside a model.
"""

from __future__ import annotations

from typing import Any

from headwater.autograd.ops import masking, scattering
from headwater.autograd.ops.recorded_inplace import write_in_place as _in_place
from headwater.tensor.tensor import Tensor

__all__ = [
    "scatter_", "scatter_add_", "scatter_reduce_", "index_add_", "index_fill_",
    "index_copy_", "masked_fill_", "masked_scatter_",
]


def scatter_(self: Tensor, dim: int, index: Tensor, src: Any = None, *, value: Any = None,
             reduce: str | None = None) -> Tensor:
    """:func:`~headwater.autograd.ops.scattering.scatter` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(3).scatter_(0, hw.as_tensor([2]), hw.ones(1)).tolist()
    [0.0, 0.0, 1.0]
    """
    return _in_place(self, scattering.scatter, "scatter_", dim, index, src, value=value, reduce=reduce)


def scatter_add_(self: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """:func:`~headwater.autograd.ops.scattering.scatter_add` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(2).scatter_add_(0, hw.as_tensor([1, 1]), hw.ones(2)).tolist()
    [0.0, 2.0]
    """
    return _in_place(self, scattering.scatter_add, "scatter_add_", dim, index, src)


def scatter_reduce_(self: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *,
                    include_self: bool = True) -> Tensor:
    """:func:`~headwater.autograd.ops.scattering.scatter_reduce` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ones(2).scatter_reduce_(0, hw.as_tensor([0, 0]), hw.as_tensor([2.0, 3.0]), "prod").tolist()
    [6.0, 1.0]
    """
    return _in_place(self, scattering.scatter_reduce, "scatter_reduce_", dim, index, src, reduce,
                     include_self=include_self)


def index_add_(self: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: float = 1) -> Tensor:
    """:func:`~headwater.autograd.ops.scattering.index_add` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(3).index_add_(0, hw.as_tensor([0, 2]), hw.ones(2), alpha=2).tolist()
    [2.0, 0.0, 2.0]
    """
    return _in_place(self, scattering.index_add, "index_add_", dim, index, source, alpha=alpha)


def index_fill_(self: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
    """:func:`~headwater.autograd.ops.scattering.index_fill` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(3).index_fill_(0, hw.as_tensor([1]), 4.0).tolist()
    [0.0, 4.0, 0.0]
    """
    return _in_place(self, scattering.index_fill, "index_fill_", dim, index, value)


def index_copy_(self: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """:func:`~headwater.autograd.ops.scattering.index_copy` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(3).index_copy_(0, hw.as_tensor([0]), hw.as_tensor([9.0])).tolist()
    [9.0, 0.0, 0.0]
    """
    return _in_place(self, scattering.index_copy, "index_copy_", dim, index, source)


def masked_fill_(self: Tensor, mask: Tensor, value: Any) -> Tensor:
    """:func:`~headwater.autograd.ops.masking.masked_fill` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([1.0, -1.0])
    >>> x.masked_fill_(x < 0, 0.0).tolist()
    [1.0, 0.0]
    """
    return _in_place(self, masking.masked_fill, "masked_fill_", mask, value)


def masked_scatter_(self: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """:func:`~headwater.autograd.ops.masking.masked_scatter` in place.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(3).masked_scatter_(hw.as_tensor([False, True, True]), hw.as_tensor([1.0, 2.0])).tolist()
    [0.0, 1.0, 2.0]
    """
    return _in_place(self, masking.masked_scatter, "masked_scatter_", mask, source)
