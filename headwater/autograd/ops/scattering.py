"""Writing values at indices: scatter, scatter_add, scatter_reduce, index_add,
index_fill, index_copy.

Each is out of place (the input is copied) and differentiable with respect to the
input and the source, as in PyTorch. Positions are built with the same index grid
``gather`` uses, so ``scatter`` along a dimension is the adjoint of ``gather``.
"""

from __future__ import annotations

import math
from typing import Any

from headwater.autograd.function import Op, wrap, xp_of
from headwater.autograd.ops.indexing import _grid, _int_index
from headwater.autograd.ops.reduce import norm_dims
from headwater.tensor.devices import backend_of
from headwater.tensor.tensor import Tensor

__all__ = [
    "scatter", "scatter_add", "scatter_reduce", "index_add", "index_fill", "index_copy",
]

_REDUCES = ("sum", "prod", "mean", "amax", "amin")


def _fill_for(xp, dtype, reduce: str) -> Any:
    """The identity of ``reduce`` in ``dtype``: what excluded self values become."""
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    if dtype.kind == "f":
        return -xp.inf if reduce == "amax" else xp.inf
    info = xp.iinfo(dtype) if dtype.kind in "iu" else None
    if info is None:  # bool
        return reduce == "amin"
    return info.min if reduce == "amax" else info.max


def _src_part(src, index):
    """The leading ``index.shape`` block of ``src`` (torch reads only that much)."""
    if src.shape == index.shape:
        return src
    return src[tuple(slice(0, n) for n in index.shape)]


def _products_at(xp, shape, pos, values):
    """The product of the ``values`` sent to each position of ``shape`` (1 where none
    go), by the backend's segment product: CuPy has no ``multiply.at``."""
    lin = xp.ravel_multi_index(tuple(p.reshape(-1) for p in xp.broadcast_arrays(*pos)), shape)
    prods = backend_of(values).segment_prod(values.reshape(-1), lin, math.prod(shape), skipna=False,
                                             ids_checked=True)
    return prods.astype(values.dtype, copy=False).reshape(shape)


def _pad_to(xp, part, shape):
    if part.shape == tuple(shape):
        return part
    out = xp.zeros(shape, part.dtype)
    out[tuple(slice(0, n) for n in part.shape)] = part
    return out


class ScatterReduce(Op):
    """``out = input`` with ``src`` reduced into the positions ``index`` names."""

    saves = (0, 2)

    def forward(self, a, index, src, axis=0, reduce="sum", include_self=True):
        xp = xp_of(a)
        pos = _grid(xp, index.shape, axis, index)
        part = _src_part(src, index)
        out = a.copy()
        if not include_self:
            out[pos] = _fill_for(xp, a.dtype, reduce)
        if reduce in ("sum", "mean"):
            xp.add.at(out, pos, part)
        elif reduce == "prod":
            out *= _products_at(xp, a.shape, pos, part)
        elif reduce == "amax":
            xp.maximum.at(out, pos, part)
        else:
            xp.minimum.at(out, pos, part)
        count = None
        if reduce == "mean":
            count = xp.full(a.shape, 1 if include_self else 0, a.dtype)
            xp.add.at(count, pos, 1)
            count = xp.maximum(count, 1)
            out = out / count if a.dtype.kind == "f" else out // count
        hit = None
        if not include_self:
            hit = xp.zeros(a.shape, bool)
            hit[pos] = True
        self.a, self.part, self.out, self.pos, self.count, self.hit = a, part, out, pos, count, hit
        self.reduce, self.include_self, self.src_shape = reduce, include_self, src.shape
        return out

    def backward(self, g):
        xp = xp_of(g)
        na, _, ns = self.needs
        a, part, out, pos, reduce = self.a, self.part, self.out, self.pos, self.reduce
        keep = 1 if self.hit is None else ~self.hit  # where self took part
        if reduce == "sum":
            ga, gs = g * keep, g[pos]
        elif reduce == "mean":
            scaled = g / self.count
            ga, gs = scaled * keep, scaled[pos]
        elif reduce == "prod":
            ga, gs = self._prod_grads(xp, g, keep)
        else:
            # ties with the result share its gradient evenly, as in torch
            a_tie = (a == out) & (keep if self.hit is not None else True)
            s_tie = part == out[pos]
            ties = a_tie.astype(g.dtype)
            xp.add.at(ties, pos, s_tie.astype(g.dtype))
            share = g / xp.maximum(ties, 1)
            ga, gs = share * a_tie, share[pos] * s_tie
        return (ga if na else None, None, _pad_to(xp, gs, self.src_shape) if ns else None)

    def _prod_grads(self, xp, g, keep):
        # d(prod)/dx is the product of the others: result / x where x != 0, else the
        # product of the group's non-zero members when x is its only zero
        a, part, pos = self.a, self.part, self.pos
        include = keep if self.hit is not None else xp.ones(a.shape, bool)
        a_zero = (a == 0) & include
        zeros = a_zero.astype(a.dtype)
        xp.add.at(zeros, pos, (part == 0).astype(a.dtype))
        nonzero_prod = xp.where(include & ~a_zero, a, 1).astype(a.dtype)
        nonzero_prod *= _products_at(xp, a.shape, pos, xp.where(part == 0, 1, part))
        gr = g * self.out
        one_zero = xp.where(zeros == 1, nonzero_prod, 0)
        safe_a = xp.where(a == 0, 1, a)
        ga = xp.where(a == 0, g * one_zero, gr / safe_a) * include
        safe_p = xp.where(part == 0, 1, part)
        gs = xp.where(part == 0, (g * one_zero)[pos], gr[pos] / safe_p)
        return ga, gs


class IndexAdd(Op):
    def forward(self, a, index, src, axis=0, alpha=1):
        xp = xp_of(a)
        self.key, self.alpha = (slice(None),) * axis + (index,), alpha
        out = a.copy()
        xp.add.at(out, self.key, src if alpha == 1 else src * alpha)
        return out

    def backward(self, g):
        ga = g
        gs = g[self.key]
        return ga, None, gs if self.alpha == 1 else gs * self.alpha


class IndexCopy(Op):
    def forward(self, a, index, src=None, axis=0, value=None):
        self.key = (slice(None),) * axis + (index,)
        self.src_shape = None if src is None else src.shape
        out = a.copy()
        out[self.key] = value if src is None else src
        return out

    def backward(self, g):
        ga = g.copy()
        ga[self.key] = 0
        taken = g[self.key]
        if self.src_shape is None:
            return ga, None
        if self.src_shape != taken.shape:  # a 0-d value fills many positions
            taken = taken.sum().reshape(self.src_shape)
        return ga, None, taken


def _axis(input: Tensor, dim: int, op: str) -> int:
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor input, got {type(input).__name__}")
    (axis,) = norm_dims(dim, input.ndim, op)
    return axis


def _source(input: Tensor, src: Any, op: str, name: str = "src") -> Tensor:
    if not isinstance(src, Tensor):
        raise TypeError(f"{op}: {name} must be a Tensor, got {type(src).__name__}; pass a number as value=")
    if src.dtype != input.dtype:
        raise TypeError(
            f"{op}: {name} has dtype {src.dtype} but the input has {input.dtype}; "
            f"convert one with .to(dtype) first"
        )
    return src


def _check_scatter_shapes(input: Tensor, index: Tensor, src: Tensor | None, axis: int, op: str) -> None:
    if index.ndim != input.ndim and index.numel():
        raise ValueError(f"{op}: index has {index.ndim} dimension(s), input has {input.ndim}; they must match")
    for d, n in enumerate(index.shape):
        if d != axis and n > input.shape[d]:
            raise ValueError(f"{op}: index of shape {index.shape} is larger than input {input.shape} at dim {d}")
        if src is not None and n > src.shape[d]:
            raise ValueError(f"{op}: index of shape {index.shape} is larger than src {src.shape} at dim {d}")


def scatter(input: Tensor, dim: int, index: Tensor, src: Tensor | None = None, *,
            value: float | None = None, reduce: str | None = None) -> Tensor:
    """A copy of ``input`` with ``src`` (or ``value``) written along ``dim`` at
    ``index``: ``out[i][index[i][j]] = src[i][j]`` for ``dim=1``.

    ``reduce="add"`` or ``"multiply"`` combine with the existing values instead
    (as :func:`scatter_reduce` with ``"sum"`` / ``"prod"``). Where ``index`` repeats
    a position the winner is unspecified, as in PyTorch.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.scatter(hw.zeros(2, 3), 1, hw.as_tensor([[2], [0]]), hw.ones(2, 1)).tolist()
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    >>> hw.zeros(3).scatter(0, hw.as_tensor([1]), value=5.0).tolist()
    [0.0, 5.0, 0.0]
    """
    if src is not None and not isinstance(src, Tensor):
        src, value = None, src
    if (src is None) == (value is None):
        raise TypeError("scatter: pass exactly one of src (a Tensor) and value (a number)")
    axis = _axis(input, dim, "scatter")
    index = _int_index(index, "scatter")
    if src is None:
        src = wrap(xp_of(input.array).full(index.shape, value, input.dtype))
    src = _source(input, src, "scatter")
    if reduce is not None:
        modes = {"add": "sum", "multiply": "prod"}
        if reduce not in modes:
            raise ValueError(f"scatter: reduce must be 'add' or 'multiply', got {reduce!r}; see scatter_reduce")
        return scatter_reduce(input, dim, index, src, modes[reduce])
    _check_scatter_shapes(input, index, src, axis, "scatter")
    # `scatter` is scatter_reduce with a reduction that keeps the last write
    return _Scatter.apply(input, index, src, axis=axis)


class _Scatter(Op):
    name = "scatter"

    def forward(self, a, index, src, axis=0):
        xp = xp_of(a)
        self.pos = _grid(xp, index.shape, axis, index)
        self.src_shape = src.shape
        out = a.copy()
        out[self.pos] = _src_part(src, index)
        return out

    def backward(self, g):
        xp = xp_of(g)
        ga = g.copy()
        ga[self.pos] = 0
        return ga, None, _pad_to(xp, g[self.pos], self.src_shape)


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of ``input`` with ``src`` added along ``dim`` at ``index`` (repeated
    positions add up).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.scatter_add(hw.zeros(3), 0, hw.as_tensor([0, 0, 2]), hw.ones(3)).tolist()
    [2.0, 0.0, 1.0]
    """
    return scatter_reduce(input, dim, index, src, "sum")


def scatter_reduce(input: Tensor, dim: int, index: Tensor, src: Tensor, reduce: str, *,
                   include_self: bool = True) -> Tensor:
    """A copy of ``input`` with ``src`` reduced along ``dim`` into the positions
    ``index`` names: ``reduce`` is ``"sum"``, ``"prod"``, ``"mean"``, ``"amax"`` or
    ``"amin"``. With ``include_self=False`` the input's values at those positions
    take no part. Gradients follow PyTorch (ties of amax/amin share evenly).

    Examples
    --------
    >>> import headwater as hw
    >>> src = hw.as_tensor([1.0, 5.0, 3.0, 4.0])
    >>> idx = hw.as_tensor([0, 0, 1, 1])
    >>> hw.scatter_reduce(hw.zeros(2), 0, idx, src, "amax", include_self=False).tolist()
    [5.0, 4.0]
    >>> hw.scatter_reduce(hw.ones(2), 0, idx, src, "mean", include_self=False).tolist()
    [3.0, 3.5]
    """
    if reduce not in _REDUCES:
        raise ValueError(f"scatter_reduce: reduce must be one of {_REDUCES}, got {reduce!r}")
    axis = _axis(input, dim, "scatter_reduce")
    index = _int_index(index, "scatter_reduce")
    src = _source(input, src, "scatter_reduce")
    _check_scatter_shapes(input, index, src, axis, "scatter_reduce")
    return ScatterReduce.apply(input, index, src, axis=axis, reduce=reduce, include_self=include_self)


def _index_1d(index: Tensor, op: str) -> Tensor:
    index = _int_index(index, op)
    if index.ndim > 1:
        raise ValueError(f"{op}: index must be 0-D or 1-D, got shape {index.shape}")
    return index


def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: float = 1) -> Tensor:
    """A copy of ``input`` with ``alpha * source`` added to the slices at the 1-D
    ``index`` along ``dim`` (repeats add up).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.index_add(hw.zeros(3, 2), 0, hw.as_tensor([2, 2]), hw.ones(2, 2)).tolist()
    [[0.0, 0.0], [0.0, 0.0], [2.0, 2.0]]
    """
    axis = _axis(input, dim, "index_add")
    index = _index_1d(index, "index_add")
    source = _source(input, source, "index_add", "source")
    return IndexAdd.apply(input, index, source, axis=axis, alpha=alpha)


def index_copy(input: Tensor, dim: int, index: Tensor, source: Tensor) -> Tensor:
    """A copy of ``input`` with the slices at the 1-D ``index`` along ``dim``
    replaced by ``source``'s.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.index_copy(hw.zeros(3), 0, hw.as_tensor([2, 0]), hw.as_tensor([7.0, 8.0])).tolist()
    [8.0, 0.0, 7.0]
    """
    axis = _axis(input, dim, "index_copy")
    index = _index_1d(index, "index_copy")
    source = _source(input, source, "index_copy", "source")
    return IndexCopy.apply(input, index, source, axis=axis)


def index_fill(input: Tensor, dim: int, index: Tensor, value: float | Tensor) -> Tensor:
    """A copy of ``input`` with the slices at the 1-D ``index`` along ``dim`` set to
    ``value`` (a number, or a 0-d tensor, which then gets the gradient).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.index_fill(hw.zeros(2, 3), 1, hw.as_tensor([1]), -1.0).tolist()
    [[0.0, -1.0, 0.0], [0.0, -1.0, 0.0]]
    """
    axis = _axis(input, dim, "index_fill")
    index = _index_1d(index, "index_fill")
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise ValueError(f"index_fill: value must be a number or a 0-d tensor, got shape {value.shape}")
        return IndexCopy.apply(input, index, value.to(input.dtype), axis=axis)
    return IndexCopy.apply(input, index, axis=axis, value=value)
