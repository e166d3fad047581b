"""Vector norms: ``norm`` (``Tensor.norm``, ``hw.norm``) and ``vector_norm``.

A p-norm for finite ``p`` other than 0 and 1 is one op whose backward is 0 where the
norm is 0 (PyTorch's subgradient, where ``sqrt(sum(x*x))`` built from parts would
give NaN); ``p`` = 1, inf, -inf and 0 are built from ``abs``, ``sum``, ``amax`` and
``amin``, so ties of the largest magnitude share the gradient as in ``amax``.
"""

from __future__ import annotations

import math
from typing import Any

from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops.arithmetic import abs
from headwater.autograd.ops.reduce import Dims, amax, amin, reduce_dims, sum
from headwater.autograd.ops.select import ne
from headwater.tensor.dtypes import DTypeError
from headwater.tensor.tensor import Tensor

__all__ = ["norm", "vector_norm"]


class PNorm(Op):
    saves = (0,)
    saves_output = True

    def forward(self, a, p=2.0, axes=None, keepdim=False):
        xp = xp_of(a)
        self.a, self.p, self.axes = a, p, axes
        if p == 2:
            total = (a * a).sum(axis=axes, keepdims=True)
            self.full = xp.sqrt(total)
        else:
            self.full = (xp.abs(a) ** p).sum(axis=axes, keepdims=True) ** (1.0 / p)
        if keepdim:
            return self.full
        return self.full.reshape(()) if axes is None else self.full.squeeze(axis=axes)

    def backward(self, g):
        xp = xp_of(g)
        a, p, full = self.a, self.p, self.full
        g = g.reshape(full.shape)
        scale = xp.where(full == 0, 0, g / xp.where(full == 0, 1, full ** (p - 1)))
        if p == 2:
            return (a * scale).astype(g.dtype, copy=False)
        mag = xp.abs(a)
        local = xp.sign(a) * xp.where(mag == 0, 0, mag ** (p - 1))
        return (local * scale).astype(g.dtype, copy=False)


def vector_norm(
    x: Tensor, ord: float = 2, dim: Dims = None, keepdim: bool = False, *, dtype: Any = None,
) -> Tensor:
    """The ``ord``-norm of ``x`` taken as a vector (over ``dim``, an int or a tuple;
    all elements by default): ``sum(|x|**ord) ** (1/ord)``, the largest magnitude for
    ``inf``, the smallest for ``-inf``, the count of nonzeros for 0.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.autograd.ops.norms import vector_norm
    >>> vector_norm(hw.as_tensor([3.0, -4.0])).item(), vector_norm(hw.as_tensor([3.0, -4.0]), 1).item()
    (5.0, 7.0)
    """
    if not isinstance(x, Tensor):
        raise TypeError(f"vector_norm: expected a Tensor, got {type(x).__name__}")
    if dtype is not None:
        x = x.to(dtype)
    if x.array.dtype.kind != "f":
        raise DTypeError(f"norm: expected a float tensor, got {x.dtype}; cast it with .float() first")
    if isinstance(ord, str) or isinstance(ord, bool):
        raise ValueError(f"vector_norm: ord must be a number, got {ord!r}")
    axes = reduce_dims(dim, x.ndim, "norm")
    if ord == math.inf:
        return amax(abs(x), axes, keepdim)
    if ord == -math.inf:
        return amin(abs(x), axes, keepdim)
    if ord == 0:
        return sum(ne(x, 0), axes, keepdim).to(x.dtype)
    if ord == 1:
        return sum(abs(x), axes, keepdim)
    return PNorm.apply(x, p=float(ord), axes=axes, keepdim=keepdim)


def norm(
    input: Tensor, p: float | str | None = "fro", dim: Dims = None, keepdim: bool = False,
    dtype: Any = None,
) -> Tensor:
    """A vector norm of ``input`` (over ``dim``; all elements by default), as
    PyTorch's ``torch.norm``: ``p`` is a number (``inf`` and ``-inf`` included) or
    ``"fro"`` (the 2-norm of the entries).

    Raises
    ------
    NotImplementedError
        For ``p="nuc"`` (the nuclear norm needs singular values).

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([[1.0, 2.0], [2.0, 4.0]])
    >>> x.norm().item(), hw.norm(x, p=1, dim=1).tolist(), x.norm(p=float("inf")).item()
    (5.0, [3.0, 6.0], 4.0)
    """
    if p is None or p == "fro":
        if dim is not None and not isinstance(dim, int) and len(dim) > 2:
            raise ValueError(f"norm: p='fro' takes at most two dims, got {dim!r}")
        return vector_norm(input, 2, dim, keepdim, dtype=dtype)
    if p == "nuc":
        raise NotImplementedError(
            "norm: p='nuc' (the nuclear norm) is not available; compute it as the sum of "
            "the singular values from hw.linalg.svd"
        )
    if isinstance(p, str):
        raise ValueError(f"norm: p must be a number, 'fro' or 'nuc', got {p!r}")
    return vector_norm(input, p, dim, keepdim, dtype=dtype)
