"""Shape changes: reshape/view, flatten, unflatten, squeeze, unsqueeze, permute,
transpose/swapaxes, movedim, mT, expand/broadcast_to, atleast_1d/2d/3d.
``reshape``, ``permute`` and ``expand`` are the primitives; the rest are built from
them. Outputs share memory and the version counter with the input.
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
    "expand", "shape_args", "unflatten", "swapaxes", "swapdims", "movedim", "moveaxis",
    "matrix_transpose", "broadcast_to", "atleast_1d", "atleast_2d", "atleast_3d",
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


def unflatten(input: Tensor, dim: int, sizes: Any) -> Tensor:
    """Split dimension ``dim`` into ``sizes`` (one of them may be -1).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(2, 12).unflatten(1, (3, -1)).shape
    (2, 3, 4)
    """
    (axis,) = norm_dims(dim, input.ndim, "unflatten")
    sizes = tuple(sizes)
    if not sizes:
        raise ValueError("unflatten: sizes must name at least one dimension")
    n = input.shape[axis]
    known = 1
    for k in sizes:
        if k != -1:
            known *= k
    if sizes.count(-1) > 1:
        raise ShapeError(f"unflatten: sizes {sizes} may hold at most one -1")
    fits = (known and n % known == 0) if -1 in sizes else known == n
    if not fits:
        raise ShapeError(f"unflatten: sizes {sizes} do not multiply to dim {dim}'s size {n}")
    return reshape(input, input.shape[:axis] + sizes + input.shape[axis + 1:])


def swapaxes(input: Tensor, axis0: int, axis1: int) -> Tensor:
    """Swap two dimensions (as :func:`transpose`); also ``swapdims``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.swapaxes(hw.zeros(2, 3, 4), 0, 2).shape
    (4, 3, 2)
    """
    return transpose(input, axis0, axis1)


swapdims = swapaxes


def movedim(input: Tensor, source: int | tuple[int, ...], destination: int | tuple[int, ...]) -> Tensor:
    """Move dimensions from ``source`` to ``destination``, keeping the others in
    order; also ``moveaxis``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.movedim(hw.zeros(2, 3, 4), 0, -1).shape, hw.zeros(2, 3, 4).movedim((0, 1), (2, 0)).shape
    ((3, 4, 2), (3, 4, 2))
    """
    src = norm_dims(source, input.ndim, "movedim")
    dst = norm_dims(destination, input.ndim, "movedim")
    if len(src) != len(dst):
        raise ValueError(f"movedim: source {source} and destination {destination} differ in length")
    if len(set(src)) != len(src) or len(set(dst)) != len(dst):
        raise ValueError(f"movedim: repeated dims in source {source} or destination {destination}")
    rest = iter(d for d in range(input.ndim) if d not in src)
    placed = dict(zip(dst, src))
    axes = tuple(placed[i] if i in placed else next(rest) for i in range(input.ndim))
    return Permute.apply(input, axes=axes)


moveaxis = movedim


def matrix_transpose(input: Tensor) -> Tensor:
    """The last two dimensions swapped (``Tensor.mT``).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(5, 2, 3).mT.shape
    (5, 3, 2)
    """
    if input.ndim < 2:
        raise ShapeError(f"mT: expected a tensor with at least 2 dimensions, got shape {input.shape}")
    return transpose(input, -2, -1)


def broadcast_to(input: Tensor, size: Any) -> Tensor:
    """``input`` broadcast to ``size`` without copying (as :func:`expand`).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.broadcast_to(hw.zeros(3), (2, 3)).shape
    (2, 3)
    """
    return expand(input, tuple(size))


def _atleast(tensors: tuple, n: int, op: str) -> Any:
    if len(tensors) == 1 and isinstance(tensors[0], (tuple, list)):
        return tuple(_atleast(tuple(tensors[0]), n, op))
    outs = []
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(f"{op}: expected Tensors, got {type(t).__name__}")
        shape = t.shape
        if t.ndim < n:
            # PyTorch's layouts: () -> (1, 1, 1); (n,) -> (1, n[, 1]); (m, n) -> (m, n, 1)
            shape = {0: (1,) * n, 1: (1,) + shape + (1,) * (n - 2), 2: shape + (1,)}[t.ndim]
        outs.append(reshape(t, shape) if shape != t.shape else t)
    return outs[0] if len(outs) == 1 else tuple(outs)


def atleast_1d(*tensors: Any) -> Any:
    """Each tensor with at least one dimension (a tuple for several tensors).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.atleast_1d(hw.as_tensor(1.0)).shape
    (1,)
    """
    return _atleast(tensors, 1, "atleast_1d")


def atleast_2d(*tensors: Any) -> Any:
    """Each tensor with at least two dimensions: ``(n,)`` becomes ``(1, n)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.atleast_2d(hw.zeros(3)).shape, [t.shape for t in hw.atleast_2d(hw.zeros(()), hw.zeros(2, 2))]
    ((1, 3), [(1, 1), (2, 2)])
    """
    return _atleast(tensors, 2, "atleast_2d")


def atleast_3d(*tensors: Any) -> Any:
    """Each tensor with at least three dimensions: ``(n,)`` becomes ``(1, n, 1)`` and
    ``(m, n)`` becomes ``(m, n, 1)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.atleast_3d(hw.zeros(3)).shape, hw.atleast_3d(hw.zeros(2, 3)).shape
    ((1, 3, 1), (2, 3, 1))
    """
    return _atleast(tensors, 3, "atleast_3d")
