"""Shape changes: reshape/view, flatten, squeeze, unsqueeze, permute, transpose,
expand. ``reshape``, ``permute`` and ``expand`` are the primitives; the rest are
built from them. Outputs share memory and the version counter with the input.
"""

from __future__ import annotations

from typing import Any

from headwater.autograd.broadcast import unbroadcast
from headwater.autograd.errors import ShapeError
from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops.reduce import norm_dims
from headwater.tensor.tensor import Tensor

__all__ = [
    "reshape", "view", "flatten", "squeeze", "unsqueeze", "permute", "transpose",
    "expand", "shape_args",
]


def shape_args(shape: tuple) -> tuple[int, ...]:
    """Accept both ``f(2, 3)`` and ``f((2, 3))``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


class Reshape(Op):
    is_view = True

    def forward(self, a, shape=()):
        self.in_shape = a.shape
        return a.reshape(shape)

    def backward(self, g):
        return g.reshape(self.in_shape)


class Permute(Op):
    is_view = True

    def forward(self, a, axes=()):
        xp = xp_of(a)
        self.axes = axes
        return xp.transpose(a, axes)

    def backward(self, g):
        xp = xp_of(g)
        inverse = [0] * len(self.axes)
        for i, ax in enumerate(self.axes):
            inverse[ax] = i
        return xp.transpose(g, inverse)


class Expand(Op):
    is_view = True

    def forward(self, a, shape=()):
        xp = xp_of(a)
        self.in_shape = a.shape
        return xp.broadcast_to(a, shape)

    def backward(self, g):
        return unbroadcast(g, self.in_shape)


def reshape(input: Tensor, *shape: Any) -> Tensor:
    """The same data in a new shape (one dimension may be -1).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.arange(6).reshape(2, -1).shape
    (2, 3)
    """
    shape = shape_args(shape)
    return Reshape.apply(input, shape=shape)


def view(input: Tensor, *shape: Any) -> Tensor:
    """As :func:`reshape` (NumPy decides whether a copy is needed).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(4).view(2, 2).shape
    (2, 2)
    """
    return reshape(input, *shape)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dimensions ``start_dim..end_dim`` into one.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(2, 3, 4).flatten(1).shape
    (2, 12)
    """
    if input.ndim == 0:
        return reshape(input, 1)
    s, e = norm_dims((start_dim, end_dim), input.ndim, "flatten")
    if s > e:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    shape = input.shape
    return reshape(input, shape[:s] + (-1,) + shape[e + 1:])


def squeeze(input: Tensor, dim: int | tuple[int, ...] | None = None) -> Tensor:
    """Remove dimensions of size 1 (all of them, or those in ``dim``).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(1, 3, 1).squeeze().shape, hw.zeros(1, 3, 1).squeeze(0).shape
    ((3,), (3, 1))
    """
    axes = norm_dims(dim, input.ndim, "squeeze")
    shape = tuple(
        n for i, n in enumerate(input.shape) if not (n == 1 and (axes is None or i in axes))
    )
    return reshape(input, shape)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """Insert a dimension of size 1 at ``dim``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(3).unsqueeze(0).shape, hw.zeros(3).unsqueeze(-1).shape
    ((1, 3), (3, 1))
    """
    (axis,) = norm_dims(dim, input.ndim + 1, "unsqueeze")
    shape = list(input.shape)
    shape.insert(axis, 1)
    return reshape(input, tuple(shape))


def permute(input: Tensor, *dims: Any) -> Tensor:
    """Reorder the dimensions.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(2, 3, 4).permute(2, 0, 1).shape
    (4, 2, 3)
    """
    axes = norm_dims(shape_args(dims), input.ndim, "permute")
    if sorted(axes) != list(range(input.ndim)):
        raise ShapeError(f"permute: {shape_args(dims)} is not an ordering of the {input.ndim} dimensions")
    return Permute.apply(input, axes=axes)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap two dimensions.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(2, 3).transpose(0, 1).shape
    (3, 2)
    """
    a, b = norm_dims((dim0, dim1), input.ndim, "transpose")
    axes = list(range(input.ndim))
    axes[a], axes[b] = axes[b], axes[a]
    return Permute.apply(input, axes=tuple(axes))


def expand(input: Tensor, *sizes: Any) -> Tensor:
    """Broadcast to a larger shape without copying (-1 keeps a size).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(3, 1).expand(3, 4).shape
    (3, 4)
    """
    sizes = shape_args(sizes)
    lead = len(sizes) - input.ndim
    if lead < 0:
        raise ShapeError(f"expand: {sizes} has fewer dimensions than the tensor's shape {input.shape}")
    shape = tuple(input.shape[i - lead] if n == -1 else n for i, n in enumerate(sizes))
    return Expand.apply(input, shape=shape)
