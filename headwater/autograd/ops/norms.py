"""Norms: ``norm`` (``Tensor.norm``, ``hw.norm``), ``vector_norm``, and for
``hw.linalg`` ``matrix_norm`` and ``linalg_norm`` (``hw.linalg.norm``).

A p-norm for finite ``p`` other than 0 and 1 is one op whose backward is 0 where the
norm is 0 (PyTorch's subgradient, where ``sqrt(sum(x*x))`` built from parts would
give NaN); ``p`` = 1, inf, -inf and 0 are built from ``abs``, ``sum``, ``amax`` and
``amin``, so ties of the largest magnitude share the gradient as in ``amax``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops.arithmetic import abs
from headwater.autograd.ops.reduce import Dims, amax, amin, norm_dims, reduce_dims, sum
from headwater.autograd.ops.select import ne
from headwater.autograd.ops.shape import permute, squeeze
from headwater.autograd.ops.spectral import svdvals
from headwater.tensor.dtypes import DTypeError
from headwater.tensor.tensor import Tensor

__all__ = ["norm", "vector_norm", "matrix_norm", "linalg_norm"]

Ord = float | int | str | None


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
    x = _floating(x, dtype, "norm")
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
    ``"fro"`` (the 2-norm of the entries), or ``"nuc"`` (the nuclear norm of the
    matrices over the two ``dim``, the last two by default).

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
        return matrix_norm(input, "nuc", (-2, -1) if dim is None else dim, keepdim, dtype=dtype)
    if isinstance(p, str):
        raise ValueError(f"norm: p must be a number, 'fro' or 'nuc', got {p!r}")
    return vector_norm(input, p, dim, keepdim, dtype=dtype)


def _floating(x: Any, dtype: Any, op: str) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(x).__name__}")
    if dtype is not None:
        x = x.to(dtype)
    if x.array.dtype.kind != "f":
        raise DTypeError(f"{op}: expected a float tensor, got {x.dtype}; cast it with .float() first")
    return x


def matrix_norm(A: Tensor, ord: Ord = "fro", dim: Sequence[int] = (-2, -1), keepdim: bool = False,
                *, dtype: Any = None) -> Tensor:
    """A matrix norm over the two dimensions ``dim``: ``"fro"`` (Frobenius),
    ``"nuc"`` (sum of singular values), ``inf`` / ``-inf`` (largest / smallest row
    sum of ``|A|``), 1 / -1 (column sums), 2 / -2 (largest / smallest singular value).

    Examples
    --------
    >>> import headwater as hw
    >>> A = hw.as_tensor([[1.0, -2.0], [3.0, 4.0]])
    >>> hw.linalg.matrix_norm(A, ord=1).item(), hw.linalg.matrix_norm(A, ord=float("inf")).item()
    (6.0, 7.0)
    """
    A = _floating(A, dtype, "matrix_norm")
    if A.ndim < 2:
        raise ValueError(f"matrix_norm: A must have at least 2 dimensions, got shape {A.shape}")
    d0, d1 = norm_dims(tuple(dim), A.ndim, "matrix_norm")
    if d0 == d1:
        raise ValueError(f"matrix_norm: dim must name two different dimensions, got {dim}")
    if ord == "fro":
        return vector_norm(A, 2, (d0, d1), keepdim)
    if ord in ("nuc", 2, -2, 2.0, -2.0):
        rest = [i for i in range(A.ndim) if i not in (d0, d1)]
        s = svdvals(permute(A, (*rest, d0, d1)))
        out = sum(s, dim=-1) if ord == "nuc" else (amax if ord in (2, 2.0) else amin)(s, dim=-1)
        if keepdim:
            for d in sorted((d0, d1)):
                out = out.unsqueeze(d)
        return out
    if ord in (math.inf, -math.inf, 1, -1):
        pick = amax if ord in (math.inf, 1) else amin
        across, then = (d1, d0) if ord in (math.inf, -math.inf) else (d0, d1)
        out = pick(sum(abs(A), dim=across, keepdim=True), dim=then, keepdim=True)
        return out if keepdim else squeeze(out, (d0, d1))
    raise ValueError(f"matrix_norm: ord must be 'fro', 'nuc', inf, -inf, 1, -1, 2 or -2, got {ord!r}")


def linalg_norm(A: Tensor, ord: Ord = None, dim: int | Sequence[int] | None = None,
                keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """``hw.linalg.norm``: a vector norm over one dimension (or a 1-D input), a
    matrix norm over two (or a 2-D input); with ``ord=None`` the 2-norm of the
    flattened input (Frobenius for matrices).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.linalg.norm(hw.as_tensor([[3.0, 0.0], [0.0, 4.0]])).item()
    5.0
    >>> hw.linalg.norm(hw.as_tensor([[3.0, 0.0], [0.0, 4.0]]), ord="nuc").item()
    7.0
    """
    A = _floating(A, dtype, "linalg.norm")
    dims = None if dim is None else ((dim,) if isinstance(dim, int) else tuple(dim))
    if ord is None:
        if dims is not None and len(dims) == 2:
            return matrix_norm(A, "fro", dims, keepdim)
        return vector_norm(A, 2, dims, keepdim)
    if dims is None:
        if A.ndim not in (1, 2):
            raise ValueError(
                f"linalg.norm: with ord={ord!r} and no dim, A must be 1-D or 2-D, got shape {A.shape}; "
                f"pass dim, or use vector_norm / matrix_norm"
            )
        dims = tuple(range(A.ndim))
    if len(dims) == 1:
        return vector_norm(A, ord, dims, keepdim)
    if len(dims) == 2:
        return matrix_norm(A, ord, dims, keepdim)
    raise ValueError(f"linalg.norm: dim must name 1 or 2 dimensions, got {dim}")
