"""Selecting by masks and flat positions: masked_fill, masked_select,
masked_scatter, take, take_along_dim, and the positions of true values (nonzero,
argwhere, one-argument ``where``).

``masked_select``, ``take`` and ``take_along_dim`` are built from ``getitem``,
``expand`` and ``gather``, whose backward already scatters the gradient back.
"""

from __future__ import annotations

from typing import Any

from headwater.autograd.errors import ShapeError
from headwater.autograd.function import Op, wrap, xp_of
from headwater.autograd.ops import select
from headwater.autograd.ops.indexing import _int_index, gather, getitem
from headwater.autograd.ops.reduce import norm_dims
from headwater.autograd.ops.shape import expand, reshape
from headwater.tensor.tensor import Tensor

__all__ = [
    "masked_fill", "masked_select", "masked_scatter", "take", "take_along_dim", "nonzero",
    "argwhere", "where",
]


def _bool_mask(mask: Any, op: str) -> Tensor:
    if not isinstance(mask, Tensor) or mask.array.dtype.kind != "b":
        got = mask.dtype if isinstance(mask, Tensor) else type(mask).__name__
        raise TypeError(f"{op}: mask must be a bool tensor, got {got}; compare first (e.g. x > 0)")
    return mask


def _broadcast_shape(a: tuple, b: tuple, op: str) -> tuple:
    out = []
    for x, y in zip(((1,) * (len(b) - len(a))) + a, ((1,) * (len(a) - len(b))) + b):
        if x != y and 1 not in (x, y):
            raise ShapeError(f"{op}: shapes {a} and {b} do not broadcast")
        out.append(max(x, y) if 0 not in (x, y) else 0)
    return tuple(out)


def masked_fill(input: Tensor, mask: Tensor, value: float | Tensor) -> Tensor:
    """``input`` with ``value`` where the bool ``mask`` (broadcast to ``input``'s
    shape) holds.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([1.0, -2.0, 3.0])
    >>> hw.masked_fill(x, x < 0, 0.0).tolist()
    [1.0, 0.0, 3.0]
    """
    _bool_mask(mask, "masked_fill")
    if isinstance(value, Tensor) and value.ndim != 0:
        raise ValueError(f"masked_fill: value must be a number or a 0-d tensor, got shape {value.shape}")
    if _broadcast_shape(input.shape, mask.shape, "masked_fill") != input.shape:
        raise ShapeError(f"masked_fill: mask of shape {mask.shape} does not broadcast to input {input.shape}")
    if isinstance(value, Tensor):
        value = value.to(input.dtype)
    elif input.array.dtype.kind in "iub":
        value = wrap(xp_of(input.array).asarray(value, dtype=input.dtype))
    return select.where(mask, value, input)


def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    """The values of ``input`` where ``mask`` holds, as a 1-D tensor (both are
    broadcast to a common shape first).

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([[1.0, 2.0], [3.0, 4.0]])
    >>> hw.masked_select(x, hw.as_tensor([True, False])).tolist()
    [1.0, 3.0]
    """
    _bool_mask(mask, "masked_select")
    shape = _broadcast_shape(input.shape, mask.shape, "masked_select")
    if input.shape != shape:
        input = expand(input, shape)
    if mask.shape != shape:
        mask = wrap(xp_of(mask.array).broadcast_to(mask.array, shape))
    return getitem(input, mask)


class MaskedScatter(Op):
    def forward(self, a, mask, src):
        xp = xp_of(a)
        mask = xp.broadcast_to(mask, a.shape)
        n = int(mask.sum())
        if n > src.size:
            raise ValueError(f"masked_scatter: mask holds {n} true values but source has only {src.size}")
        self.mask, self.n, self.src_shape = mask, n, src.shape
        out = a.copy()
        out[mask] = src.reshape(-1)[:n]
        return out

    def backward(self, g):
        xp = xp_of(g)
        ga = xp.where(self.mask, xp.zeros((), g.dtype), g)
        gs = xp.zeros(self.src_shape, g.dtype).reshape(-1)
        gs[: self.n] = g[self.mask]
        return ga, None, gs.reshape(self.src_shape)


def masked_scatter(input: Tensor, mask: Tensor, source: Tensor) -> Tensor:
    """A copy of ``input`` with the leading values of ``source`` written, in row-major
    order, where ``mask`` (broadcast to ``input``'s shape) holds.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.zeros(4)
    >>> hw.masked_scatter(x, hw.as_tensor([True, False, True, False]), hw.as_tensor([5.0, 6.0, 7.0])).tolist()
    [5.0, 0.0, 6.0, 0.0]
    """
    _bool_mask(mask, "masked_scatter")
    if _broadcast_shape(input.shape, mask.shape, "masked_scatter") != input.shape:
        raise ShapeError(f"masked_scatter: mask of shape {mask.shape} does not broadcast to input {input.shape}")
    if not isinstance(source, Tensor) or source.dtype != input.dtype:
        got = source.dtype if isinstance(source, Tensor) else type(source).__name__
        raise TypeError(f"masked_scatter: source must be a Tensor of the input's dtype {input.dtype}, got {got}")
    return MaskedScatter.apply(input, mask, source)


def take(input: Tensor, index: Tensor) -> Tensor:
    """``input`` read as 1-D at the integer ``index`` (the result has ``index``'s
    shape; negative positions count from the end).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.take(hw.as_tensor([[4.0, 3.0], [5.0, 7.0]]), hw.as_tensor([[0, 3], [-1, 1]])).tolist()
    [[4.0, 7.0], [7.0, 3.0]]
    """
    index = _int_index(index, "take")
    n = input.numel()
    if n == 0 and index.numel():
        raise IndexError("take: cannot take from an empty tensor")
    return getitem(reshape(input, -1), index)


def take_along_dim(input: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """Values along ``dim`` at ``indices``, with the other dimensions broadcast
    (``dim=None`` reads both as 1-D), as ``numpy.take_along_axis``.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([[10.0, 30.0, 20.0], [60.0, 40.0, 50.0]])
    >>> hw.take_along_dim(x, hw.argmax(x, dim=1, keepdim=True), dim=1).tolist()
    [[30.0], [60.0]]
    """
    indices = _int_index(indices, "take_along_dim")
    if dim is None:
        return getitem(reshape(input, -1), reshape(indices, -1))
    if indices.ndim != input.ndim:
        raise ValueError(
            f"take_along_dim: input and indices need the same number of dimensions, got "
            f"{input.ndim} and {indices.ndim}"
        )
    (axis,) = norm_dims(dim, input.ndim, "take_along_dim")
    rest_in = tuple(1 if i == axis else n for i, n in enumerate(input.shape))
    rest_ix = tuple(1 if i == axis else n for i, n in enumerate(indices.shape))
    common = _broadcast_shape(rest_in, rest_ix, "take_along_dim")
    in_shape = tuple(input.shape[axis] if i == axis else n for i, n in enumerate(common))
    ix_shape = tuple(indices.shape[axis] if i == axis else n for i, n in enumerate(common))
    if input.shape != in_shape:
        input = expand(input, in_shape)
    if indices.shape != ix_shape:
        indices = wrap(xp_of(indices.array).broadcast_to(indices.array, ix_shape))
    return gather(input, axis, indices)


class NonZero(Op):
    differentiable = False

    def forward(self, a):
        xp = xp_of(a)
        return xp.stack(xp.nonzero(a), axis=1).astype("int64") if a.ndim else xp.zeros(
            (int(bool(a)), 0), "int64")


def nonzero(input: Tensor, *, as_tuple: bool = False) -> Tensor | tuple[Tensor, ...]:
    """Positions of the non-zero values: an ``(n, ndim)`` int64 tensor, or with
    ``as_tuple=True`` one 1-D tensor per dimension (usable as an index).

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([[0, 2], [3, 0]])
    >>> hw.nonzero(x).tolist()
    [[0, 1], [1, 0]]
    >>> [t.tolist() for t in hw.nonzero(x, as_tuple=True)]
    [[0, 1], [1, 0]]
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"nonzero: expected a Tensor, got {type(input).__name__}")
    out = NonZero.apply(input)
    if not as_tuple:
        return out
    if input.ndim == 0:
        return (wrap(out.array[:, 0] if out.array.shape[1] else xp_of(out.array).zeros(out.shape[0], "int64")),)
    return tuple(wrap(out.array[:, k]) for k in range(input.ndim))


def argwhere(input: Tensor) -> Tensor:
    """Positions of the non-zero values as an ``(n, ndim)`` int64 tensor
    (``nonzero(input)``).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.argwhere(hw.as_tensor([0.0, 1.0, 2.0])).tolist()
    [[1], [2]]
    """
    return nonzero(input)


def where(condition: Tensor, input: Tensor | float | None = None,
          other: Tensor | float | None = None) -> Tensor | tuple[Tensor, ...]:
    """``input`` where ``condition`` holds, else ``other``, broadcasting; with only
    ``condition``, its true positions as ``nonzero(condition, as_tuple=True)``.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([1.0, -2.0])
    >>> hw.where(x > 0, x, 0.0).tolist()
    [1.0, 0.0]
    >>> hw.where(x > 0)[0].tolist()
    [0]
    """
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
    if input is None or other is None:
        raise TypeError("where: pass both input and other, or only the condition")
    return select.where(condition, input, other)
