"""Reordering elements: flip, fliplr, flipud, roll, rot90.

Each output is a new array (PyTorch's ``flip`` and ``roll`` copy too), and each
backward applies the inverse reordering to the gradient. ``rot90`` is built from
``flip`` and ``transpose``.
"""

from __future__ import annotations

from typing import Any

from headwater.autograd.errors import ShapeError
from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops.conversion import clone
from headwater.autograd.ops.reduce import norm_dims
from headwater.autograd.ops.shape import reshape, shape_args, transpose
from headwater.tensor.tensor import Tensor

__all__ = ["flip", "fliplr", "flipud", "roll", "rot90"]


class Flip(Op):
    def forward(self, a, axes=()):
        xp = xp_of(a)
        self.axes = axes
        return xp.ascontiguousarray(xp.flip(a, axis=axes))

    def backward(self, g):
        return xp_of(g).flip(g, axis=self.axes)


class Roll(Op):
    def forward(self, a, shifts=(), axes=()):
        xp = xp_of(a)
        self.shifts, self.axes = shifts, axes
        return xp.roll(a, shifts, axis=axes)

    def backward(self, g):
        return xp_of(g).roll(g, tuple(-s for s in self.shifts), axis=self.axes)


def _tensor(input: Any, op: str) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(input).__name__}")
    return input


def flip(input: Tensor, *dims: Any) -> Tensor:
    """Reverse the order of elements along ``dims``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.flip(hw.as_tensor([[1, 2], [3, 4]]), [1]).tolist()
    [[2, 1], [4, 3]]
    """
    axes = norm_dims(shape_args(dims), _tensor(input, "flip").ndim, "flip")
    if len(set(axes)) != len(axes):
        raise ValueError(f"flip: dims {shape_args(dims)} repeat a dimension")
    if input.ndim == 0 or not axes:
        return clone(input)
    return Flip.apply(input, axes=axes)


def fliplr(input: Tensor) -> Tensor:
    """Reverse the columns (dimension 1) of a tensor with at least 2 dimensions.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.fliplr(hw.as_tensor([[1, 2], [3, 4]])).tolist()
    [[2, 1], [4, 3]]
    """
    if _tensor(input, "fliplr").ndim < 2:
        raise ShapeError(f"fliplr: expected at least 2 dimensions, got shape {input.shape}")
    return flip(input, 1)


def flipud(input: Tensor) -> Tensor:
    """Reverse the rows (dimension 0) of a tensor with at least 1 dimension.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.flipud(hw.as_tensor([[1, 2], [3, 4]])).tolist()
    [[3, 4], [1, 2]]
    """
    if _tensor(input, "flipud").ndim < 1:
        raise ShapeError("flipud: expected at least 1 dimension, got a 0-d tensor")
    return flip(input, 0)


def roll(input: Tensor, shifts: int | tuple[int, ...], dims: int | tuple[int, ...] | None = None) -> Tensor:
    """Shift elements cyclically by ``shifts`` along ``dims`` (of the flattened
    tensor when ``dims`` is None).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.roll(hw.as_tensor([1, 2, 3, 4]), 1).tolist()
    [4, 1, 2, 3]
    >>> hw.as_tensor([[1, 2], [3, 4]]).roll((1, -1), (0, 1)).tolist()
    [[4, 3], [2, 1]]
    """
    _tensor(input, "roll")
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    if dims is None:
        if len(shifts) != 1:
            raise ValueError(f"roll: without dims give one shift, got {shifts}")
        return reshape(Roll.apply(reshape(input, -1), shifts=shifts, axes=(0,)), input.shape)
    axes = norm_dims(dims, input.ndim, "roll")
    if len(axes) != len(shifts):
        raise ValueError(f"roll: {len(shifts)} shift(s) for {len(axes)} dim(s); give one shift per dim")
    return Roll.apply(input, shifts=shifts, axes=axes)


def rot90(input: Tensor, k: int = 1, dims: tuple[int, int] = (0, 1)) -> Tensor:
    """Rotate by 90 degrees ``k`` times in the plane of ``dims``, from the first
    toward the second.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.rot90(hw.as_tensor([[1, 2], [3, 4]])).tolist()
    [[2, 4], [1, 3]]
    """
    _tensor(input, "rot90")
    if len(dims) != 2:
        raise ValueError(f"rot90: dims must name two dimensions, got {dims}")
    a, b = norm_dims(tuple(dims), input.ndim, "rot90")
    if a == b:
        raise ValueError(f"rot90: dims {tuple(dims)} name one dimension twice")
    k %= 4
    if k == 1:
        return transpose(flip(input, b), a, b)
    if k == 2:
        return flip(input, (a, b))
    if k == 3:
        return transpose(flip(input, a), a, b)
    return clone(input)
