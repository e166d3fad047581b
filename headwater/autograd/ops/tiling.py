"""Copies of a tensor laid side by side: repeat, tile, repeat_interleave, meshgrid.

``repeat`` is one op whose backward sums the gradient over the copies;
``repeat_interleave`` reads the input through ``index_select`` (whose backward adds
each copy's gradient back), and ``meshgrid`` is ``reshape`` plus ``expand``. A tensor
of repeat counts is read on the host (one counted transfer): the output's size
depends on it, and CuPy's ``repeat`` takes counts only as a list.
"""

from __future__ import annotations

from typing import Any

from headwater.autograd.errors import ShapeError
from headwater.autograd.function import Op, wrap, xp_of
from headwater.autograd.ops.indexing import index_select
from headwater.autograd.ops.reduce import norm_dims
from headwater.autograd.ops.shape import expand, reshape, shape_args
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["repeat", "tile", "repeat_interleave", "meshgrid"]


class Repeat(Op):
    def forward(self, a, reps=()):
        xp = xp_of(a)
        self.in_shape = a.shape
        self.padded = (1,) * (len(reps) - a.ndim) + a.shape
        self.reps = reps
        return xp.tile(a.reshape(self.padded), reps)

    def backward(self, g):
        split = []
        for r, n in zip(self.reps, self.padded):
            split += [r, n]
        return g.reshape(split).sum(axis=tuple(range(0, len(split), 2))).reshape(self.in_shape)


def _tensor(input: Any, op: str) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(input).__name__}")
    return input


def repeat(input: Tensor, *sizes: Any) -> Tensor:
    """``Tensor.repeat``: the tensor copied ``sizes[i]`` times along each dimension;
    ``sizes`` may be longer than the shape (new leading dimensions).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.as_tensor([1, 2]).repeat(2, 2).tolist()
    [[1, 2, 1, 2], [1, 2, 1, 2]]
    """
    reps = shape_args(sizes)
    if len(reps) < _tensor(input, "repeat").ndim:
        raise ShapeError(
            f"repeat: {len(reps)} repeat count(s) for a tensor with {input.ndim} dimensions; "
            f"give at least one per dimension (tile pads them with 1s)"
        )
    if any(r < 0 for r in reps):
        raise ValueError(f"repeat: repeat counts must be non-negative, got {reps}")
    return Repeat.apply(input, reps=tuple(int(r) for r in reps))


def tile(input: Tensor, dims: Any) -> Tensor:
    """As :func:`repeat`, except that fewer counts than dimensions are padded with
    leading 1s.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.tile(hw.as_tensor([[1, 2]]), (2,)).tolist()
    [[1, 2, 1, 2]]
    """
    reps = tuple(dims) if not isinstance(dims, int) else (dims,)
    reps = (1,) * (_tensor(input, "tile").ndim - len(reps)) + reps
    return repeat(input, reps)


def repeat_interleave(
    input: Tensor, repeats: int | Tensor | None = None, dim: int | None = None, *,
    output_size: int | None = None,
) -> Tensor:
    """Repeat each element ``repeats`` times (an int, or one count per element along
    ``dim``); of the flattened tensor when ``dim`` is None. With only an integer
    tensor of counts, the positions ``0, 1, ...`` repeated by those counts.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.repeat_interleave(hw.as_tensor([1, 2]), 2).tolist()
    [1, 1, 2, 2]
    >>> hw.as_tensor([[1, 2], [3, 4]]).repeat_interleave(hw.as_tensor([1, 2]), dim=0).tolist()
    [[1, 2], [3, 4], [3, 4]]
    >>> hw.repeat_interleave(hw.as_tensor([2, 1])).tolist()
    [0, 0, 1]
    """
    _tensor(input, "repeat_interleave")
    xp = xp_of(input.array)
    if repeats is None:
        if input.ndim != 1 or input.array.dtype.kind not in "iu":
            raise TypeError("repeat_interleave: with no repeats, input must be a 1-D integer tensor of counts")
        counts = to_host(input.array).tolist()
        return wrap(xp.repeat(xp.arange(input.shape[0]), counts).astype("int64", copy=False))
    if dim is None:
        input, axis = reshape(input, -1), 0
    else:
        (axis,) = norm_dims(dim, input.ndim, "repeat_interleave")
    n = input.shape[axis] if input.ndim else 1
    if isinstance(repeats, Tensor):
        counts = to_host(repeats.array).reshape(-1).tolist()
        if len(counts) not in (1, n):
            raise ShapeError(f"repeat_interleave: {len(counts)} counts for a dimension of size {n}")
        if len(counts) == 1:
            counts = counts[0]
    else:
        counts = int(repeats)
    if input.ndim == 0:
        input = reshape(input, 1)
    index = xp.repeat(xp.arange(n), counts)
    if output_size is not None and index.shape[0] != output_size:
        raise ValueError(f"repeat_interleave: output_size={output_size}, but the repeats give {index.shape[0]}")
    return index_select(input, axis, wrap(index.astype("int64", copy=False)))


def meshgrid(*tensors: Any, indexing: str = "ij") -> tuple[Tensor, ...]:
    """Coordinate grids from 1-D tensors: with ``indexing="ij"`` output ``i`` varies
    along dimension ``i``; with ``"xy"`` the first two dimensions are swapped
    (Cartesian, as NumPy's default). PyTorch's default is ``"ij"``.

    Examples
    --------
    >>> import headwater as hw
    >>> x, y = hw.meshgrid(hw.as_tensor([1, 2, 3]), hw.as_tensor([4, 5]), indexing="xy")
    >>> x.shape, x.tolist()[0], y.tolist()[0]
    ((2, 3), [1, 2, 3], [4, 4, 4])
    """
    if len(tensors) == 1 and isinstance(tensors[0], (tuple, list)):
        tensors = tuple(tensors[0])
    if indexing not in ("ij", "xy"):
        raise ValueError(f"meshgrid: indexing must be 'ij' or 'xy', got {indexing!r}")
    for t in tensors:
        if not isinstance(_tensor(t, "meshgrid"), Tensor) or t.ndim > 1:
            raise ShapeError(f"meshgrid: expected 0-d or 1-D tensors, got shape {t.shape}")
    sizes = [t.numel() for t in tensors]
    axes = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) >= 2:
        axes[0], axes[1] = 1, 0
        sizes[0], sizes[1] = sizes[1], sizes[0]
    outs = []
    for t, axis in zip(tensors, axes):
        shape = [1] * len(tensors)
        shape[axis] = t.numel()
        outs.append(expand(reshape(t, tuple(shape)), tuple(sizes)))
    return tuple(outs)
