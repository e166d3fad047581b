"""Triangles and diagonals: tril, triu, diagonal, diag_embed, diag, trace.

``tril``/``triu`` mask the last two dimensions (batched); ``diagonal`` and
``diag_embed`` are each other's backward; ``diag`` and ``trace`` are built from
them. ``diagonal`` returns a copy (PyTorch returns a view).
"""

from __future__ import annotations

from typing import Any

from headwater.autograd.errors import ShapeError
from headwater.autograd.function import Op, xp_of
from headwater.autograd.function import wrap as _wrap
from headwater.autograd.ops.reduce import norm_dims, sum
from headwater.autograd.ops.select import where
from headwater.tensor.tensor import Tensor

__all__ = ["tril", "triu", "diagonal", "diag_embed", "diag", "trace", "fill_diagonal"]


class _Triangle(Op):
    lower = True

    def forward(self, a, k=0):
        xp = xp_of(a)
        n, m = a.shape[-2:]
        below = xp.tri(n, m, k, dtype=bool)  # j <= i + k
        self.keep = below if self.lower else ~xp.tri(n, m, k - 1, dtype=bool)
        return xp.where(self.keep, a, xp.zeros((), dtype=a.dtype))

    def backward(self, g):
        xp = xp_of(g)
        return xp.where(self.keep, g, xp.zeros((), dtype=g.dtype))


class Tril(_Triangle):
    name = "tril"


class Triu(_Triangle):
    name = "triu"
    lower = False


def _diag_positions(xp: Any, n: int, m: int, offset: int) -> tuple[Any, Any]:
    """Row and column indices of the ``offset`` diagonal of an ``n x m`` matrix."""
    length = max(0, min(n, m - offset) if offset >= 0 else min(n + offset, m))
    rows = xp.arange(length) + max(-offset, 0)
    return rows, rows + offset


class Diagonal(Op):
    def forward(self, a, offset=0, axes=(0, 1)):
        xp = xp_of(a)
        self.shape, self.offset, self.axes = a.shape, offset, axes
        moved = xp.moveaxis(a, axes, (-2, -1))
        rows, cols = _diag_positions(xp, moved.shape[-2], moved.shape[-1], offset)
        return moved[..., rows, cols]

    def backward(self, g):
        xp = xp_of(g)
        out = xp.zeros(self.shape, dtype=g.dtype)
        moved = xp.moveaxis(out, self.axes, (-2, -1))  # a view: writes land in out
        rows, cols = _diag_positions(xp, moved.shape[-2], moved.shape[-1], self.offset)
        moved[..., rows, cols] = g
        return out


class DiagEmbed(Op):
    def forward(self, a, offset=0, axes=(-2, -1)):
        xp = xp_of(a)
        size = a.shape[-1] + abs(offset)
        out = xp.zeros(a.shape[:-1] + (size, size), dtype=a.dtype)
        rows, cols = _diag_positions(xp, size, size, offset)
        out[..., rows, cols] = a
        self.offset, self.axes = offset, axes
        return xp.moveaxis(out, (-2, -1), axes)

    def backward(self, g):
        xp = xp_of(g)
        moved = xp.moveaxis(g, self.axes, (-2, -1))
        rows, cols = _diag_positions(xp, moved.shape[-2], moved.shape[-1], self.offset)
        return moved[..., rows, cols]


def _matrix(input: Any, op: str) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(input).__name__}")
    if input.ndim < 2:
        raise ShapeError(f"{op}: expected at least 2 dimensions, got shape {input.shape}")
    return input


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle of the last two dimensions (on and below the
    ``diagonal``-th diagonal), zeros elsewhere.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.tril(hw.ones(3, 3)).tolist()
    [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [1.0, 1.0, 1.0]]
    """
    return Tril.apply(_matrix(input, "tril"), k=int(diagonal))


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle of the last two dimensions (on and above the
    ``diagonal``-th diagonal), zeros elsewhere.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.triu(hw.ones(2, 3), diagonal=1).tolist()
    [[0.0, 1.0, 1.0], [0.0, 0.0, 1.0]]
    """
    return Triu.apply(_matrix(input, "triu"), k=int(diagonal))


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The ``offset`` diagonal of the planes spanned by ``dim1`` and ``dim2``, as a
    new last dimension.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.arange(9).reshape(3, 3)
    >>> hw.diagonal(x).tolist(), x.diagonal(offset=1).tolist()
    ([0, 4, 8], [1, 5])
    """
    axes = norm_dims((dim1, dim2), _matrix(input, "diagonal").ndim, "diagonal")
    if axes[0] == axes[1]:
        raise ValueError(f"diagonal: dim1 and dim2 must differ, got {dim1} and {dim2}")
    return Diagonal.apply(input, offset=int(offset), axes=axes)


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Matrices (in the planes of ``dim1``, ``dim2`` of the output) whose ``offset``
    diagonal holds the last dimension of ``input``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.diag_embed(hw.as_tensor([[1, 2]])).tolist()
    [[[1, 0], [0, 2]]]
    """
    if not isinstance(input, Tensor) or input.ndim < 1:
        raise ShapeError("diag_embed: expected a tensor with at least 1 dimension")
    axes = norm_dims((dim1, dim2), input.ndim + 1, "diag_embed")
    if axes[0] == axes[1]:
        raise ValueError(f"diag_embed: dim1 and dim2 must differ, got {dim1} and {dim2}")
    return DiagEmbed.apply(input, offset=int(offset), axes=axes)


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """A 1-D tensor made the ``diagonal``-th diagonal of a square matrix, or the
    ``diagonal``-th diagonal of a 2-D tensor.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.diag(hw.as_tensor([1, 2])).tolist(), hw.diag(hw.arange(4).reshape(2, 2)).tolist()
    ([[1, 0], [0, 2]], [0, 3])
    """
    if not isinstance(input, Tensor) or input.ndim not in (1, 2):
        got = input.shape if isinstance(input, Tensor) else type(input).__name__
        raise ShapeError(f"diag: expected a 1-D or 2-D tensor, got {got}")
    if input.ndim == 1:
        return diag_embed(input, diagonal)
    return Diagonal.apply(input, offset=int(diagonal), axes=(0, 1))


def trace(input: Tensor) -> Tensor:
    """The sum of the main diagonal of a 2-D tensor.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.trace(hw.arange(9.0).reshape(3, 3)).item()
    12.0
    """
    if not isinstance(input, Tensor) or input.ndim != 2:
        raise ShapeError("trace: expected a 2-D tensor")
    return sum(diagonal(input))


def fill_diagonal(input: Tensor, fill_value: float, wrap: bool = False) -> Tensor:
    """``input`` with its main diagonal set to ``fill_value`` (out of place; the
    method ``t.fill_diagonal_`` writes it in place, as torch's).

    Every dimension must have the same length when there are more than two. For a
    tall matrix, ``wrap=True`` starts the diagonal again every ``columns + 1`` rows.
    The gradient is zero on the diagonal.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(3, 2).fill_diagonal_(1.0, wrap=True).tolist()
    [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"fill_diagonal_: expected a Tensor, got {type(input).__name__}")
    shape = input.shape
    if input.ndim < 2:
        raise ValueError(f"fill_diagonal_: the tensor must have at least 2 dimensions, got shape {shape}")
    if input.ndim > 2 and len(set(shape)) != 1:
        raise ValueError(f"fill_diagonal_: all dimensions must have the same length, got shape {shape}")
    xp = xp_of(input.array)
    total = input.numel()
    if input.ndim == 2:
        rows, cols = shape
        step = cols + 1
        end = total if wrap and rows > cols else min(rows, cols) * cols
    else:
        step = (shape[0] ** input.ndim - 1) // max(shape[0] - 1, 1) if shape[0] > 1 else 1
        end = total
    mask = xp.zeros(total, dtype=bool)
    mask[0:end:step] = True
    value = xp.asarray(fill_value).astype(input.array.dtype)
    return where(_wrap(mask.reshape(shape)), _wrap(value), input)
