"""Distinct values and counts: unique, unique_consecutive, bincount, histc, and the
index grids tril_indices / triu_indices.

Their result sizes depend on the data, so on a GPU each reads one size to the host.
Only ``bincount``'s ``weights`` carry a gradient (as in PyTorch).
"""

from __future__ import annotations

from typing import Any

from headwater.autograd.function import Op, wrap, xp_of
from headwater.autograd.ops.reduce import norm_dims
from headwater.tensor.creation import target
from headwater.tensor.tensor import Tensor

__all__ = ["unique", "unique_consecutive", "bincount", "histc", "tril_indices", "triu_indices"]


def _rows(a, axis: int | None):
    """``a`` as a 2-D array of the slices along ``axis`` (one row per slice)."""
    xp = xp_of(a)
    if axis is None:
        return a.reshape(-1, 1)
    moved = xp.moveaxis(a, axis, 0)
    return moved.reshape(moved.shape[0], -1)


def _from_rows(rows, like, axis: int | None):
    xp = xp_of(rows)
    if axis is None:
        return rows.reshape(-1)
    moved = xp.moveaxis(like, axis, 0)
    out = rows.reshape((rows.shape[0],) + moved.shape[1:])
    return xp.moveaxis(out, 0, axis)


def _groups(xp, rows):
    """Where each run of equal consecutive rows starts, and each row's run id."""
    n = rows.shape[0]
    starts = xp.ones(n, bool)
    if n > 1:
        starts[1:] = (rows[1:] != rows[:-1]).any(axis=1) if rows.shape[1] else False
    return starts, xp.cumsum(starts) - 1


def _answer(values, inverse, counts, return_inverse: bool, return_counts: bool) -> Any:
    out = [wrap(values)]
    if return_inverse:
        out.append(wrap(inverse.astype("int64", copy=False)))
    if return_counts:
        out.append(wrap(counts.astype("int64", copy=False)))
    return out[0] if len(out) == 1 else tuple(out)


def _check(input: Any, op: str) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(input).__name__}")
    return input


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False,
           return_counts: bool = False, dim: int | None = None) -> Any:
    """The distinct values of ``input`` in ascending order (with ``dim``, the
    distinct slices along it), plus, when asked, each element's position in them
    (``return_inverse``) and how often each occurs (``return_counts``).

    The result is always sorted: ``sorted=False`` is accepted and returns the same
    order, which torch also allows. For a DataFrame or Series, ``hw.unique`` keeps
    pandas' order of appearance instead.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.unique(hw.as_tensor([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    >>> values, inverse, counts = hw.unique(hw.as_tensor([3, 1, 3]), return_inverse=True,
    ...                                     return_counts=True)
    >>> values.tolist(), inverse.tolist(), counts.tolist()
    ([1, 3], [1, 0, 1], [1, 2])
    """
    a = _check(input, "unique").array
    xp = xp_of(a)
    if dim is None:
        values, inverse, counts = xp.unique(a.reshape(-1), return_inverse=True, return_counts=True)
        return _answer(values, inverse.reshape(a.shape), counts, return_inverse, return_counts)
    (axis,) = norm_dims(dim, a.ndim, "unique")
    rows = _rows(a, axis)
    if rows.shape[1]:
        order = xp.lexsort(rows.T[::-1])
    else:
        order = xp.arange(rows.shape[0])
    ordered = rows[order]
    starts, group = _groups(xp, ordered)
    inverse = xp.empty(rows.shape[0], "int64")
    inverse[order] = group
    counts = xp.bincount(group, minlength=int(starts.sum()))
    return _answer(_from_rows(ordered[starts], a, axis), inverse, counts, return_inverse, return_counts)


def unique_consecutive(input: Tensor, return_inverse: bool = False, return_counts: bool = False,
                       dim: int | None = None) -> Any:
    """``input`` with each run of equal consecutive values (or slices along
    ``dim``) collapsed to one, plus, when asked, each element's run number and each
    run's length.

    Examples
    --------
    >>> import headwater as hw
    >>> values, counts = hw.unique_consecutive(hw.as_tensor([1, 1, 2, 2, 3, 1]), return_counts=True)
    >>> values.tolist(), counts.tolist()
    ([1, 2, 3, 1], [2, 2, 1, 1])
    """
    a = _check(input, "unique_consecutive").array
    xp = xp_of(a)
    axis = None if dim is None else norm_dims(dim, a.ndim, "unique_consecutive")[0]
    rows = _rows(a, axis)
    starts, group = _groups(xp, rows)
    counts = xp.bincount(group, minlength=int(starts.sum())) if rows.shape[0] else xp.zeros(0, "int64")
    inverse = group.reshape(a.shape) if axis is None else group
    return _answer(_from_rows(rows[starts], a, axis), inverse, counts, return_inverse, return_counts)


class Bincount(Op):
    def forward(self, x, weights=None, minlength=0):
        xp = xp_of(x)
        self.x = x
        if weights is None:
            return xp.bincount(x, minlength=minlength).astype("int64")
        dtype = weights.dtype if weights.dtype.kind == "f" else "float64"
        return xp.bincount(x, weights=weights, minlength=minlength).astype(dtype)

    def backward(self, g):
        return None, g[self.x]


def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """How often each value ``0..max`` occurs in the 1-D non-negative integer
    ``input`` (at least ``minlength`` bins), or the sum of ``weights`` per value
    (differentiable in ``weights``; float weights keep their dtype, others give
    float64).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.bincount(hw.as_tensor([0, 1, 1, 3])).tolist()
    [1, 2, 0, 1]
    >>> hw.bincount(hw.as_tensor([0, 1, 1]), weights=hw.as_tensor([0.5, 1.0, 2.0])).tolist()
    [0.5, 3.0]
    """
    x = _check(input, "bincount")
    if x.ndim != 1 or x.array.dtype.kind not in "iu":
        raise ValueError(f"bincount: input must be a 1-D integer tensor, got shape {x.shape} of {x.dtype}")
    if minlength < 0:
        raise ValueError(f"bincount: minlength must be non-negative, got {minlength}")
    if x.numel() and int(x.array.min()) < 0:
        raise ValueError("bincount: input holds negative values; only non-negative integers can be counted")
    if weights is None:
        return Bincount.apply(x, minlength=minlength)
    if not isinstance(weights, Tensor) or weights.shape != x.shape:
        raise ValueError(f"bincount: weights must be a tensor of the input's shape {x.shape}")
    return Bincount.apply(x, weights, minlength=minlength)


def histc(input: Tensor, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:
    """A histogram of ``bins`` equal-width bins over ``[min, max]`` (the data's
    range when both are equal, widened by 1 each way if that is a point); values
    outside are ignored, the last bin includes ``max``. Float result of the input's
    dtype, no gradient.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.histc(hw.as_tensor([1.0, 2.0, 1.0]), bins=4, min=0, max=3).tolist()
    [0.0, 2.0, 1.0, 0.0]
    """
    a = _check(input, "histc").array
    xp = xp_of(a)
    if a.dtype.kind != "f":
        raise TypeError(f"histc: input must be a float tensor, got {a.dtype}; convert it with .float()")
    if bins <= 0:
        raise ValueError(f"histc: bins must be positive, got {bins}")
    if min > max:
        raise ValueError(f"histc: min ({min}) must not exceed max ({max})")
    lo, hi = float(min), float(max)
    if lo == hi and a.size:
        lo, hi = float(a.min()), float(a.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    flat = a.reshape(-1)
    flat = flat[(flat >= lo) & (flat <= hi)]
    counts, _ = xp.histogram(flat, bins=bins, range=(lo, hi))
    return wrap(counts.astype(a.dtype))


def _index_grid(which: str, row: int, col: int, offset: int, dtype: Any, device: Any) -> Tensor:
    dev, dt = target(device, dtype, "int64")
    xp = dev.backend.xp
    fn = xp.tril_indices if which == "tril" else xp.triu_indices
    r, c = fn(row, offset, col) if row and col else (xp.zeros(0, "int64"), xp.zeros(0, "int64"))
    return wrap(xp.stack([r, c]).astype(dt))


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None, device: Any = None) -> Tensor:
    """The (2, N) row and column positions of the lower triangle of a ``row x col``
    matrix (``offset`` diagonals above the main one included), row by row.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.tril_indices(3, 3, -1).tolist()
    [[1, 2, 2], [0, 0, 1]]
    """
    return _index_grid("tril", row, col, offset, dtype, device)


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None, device: Any = None) -> Tensor:
    """The (2, N) row and column positions of the upper triangle of a ``row x col``
    matrix (from the ``offset``-th diagonal up), row by row.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.triu_indices(2, 3, 1).tolist()
    [[0, 0, 1], [1, 2, 2]]
    """
    return _index_grid("triu", row, col, offset, dtype, device)
