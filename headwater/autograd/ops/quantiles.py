"""Quantiles: quantile and nanquantile, with torch's five interpolation modes.

Both sort along the reduced dimension (NaN sorts last), pick the two order
statistics around the rank ``q * (n - 1)`` with ``gather`` and interpolate between
them, so the gradient flows through ``sort`` and ``gather`` to the picked elements.
``nanquantile`` counts the non-NaN values of each slice for ``n``; ``quantile``
reads the last sorted value (a NaN) of a slice that holds one, so the result is NaN
and the gradient goes to that NaN, as torch's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.autograd.function import wrap, xp_of
from headwater.autograd.ops.indexing import gather
from headwater.autograd.ops.shape import expand, movedim, reshape, squeeze, unsqueeze
from headwater.autograd.ops.sorting import sort
from headwater.tensor.dtypes import DTypeError
from headwater.tensor.tensor import Tensor

__all__ = ["quantile", "nanquantile"]

_MODES = ("linear", "lower", "higher", "midpoint", "nearest")


def _q_array(q: Any, input: Tensor, op: str) -> tuple[Any, bool]:
    """``q`` as a 1-D xp array of the input's dtype, and whether it was a scalar."""
    xp = xp_of(input.array)
    if isinstance(q, Tensor):
        if q.array.dtype != input.array.dtype:
            raise DTypeError(
                f"{op}: q must have the input's dtype ({input.array.dtype}), got {q.array.dtype}; "
                f"cast it with q.to(input.dtype)"
            )
        if q.ndim > 1:
            raise ValueError(f"{op}: q must be a scalar or a 1-D tensor, got shape {q.shape}")
        scalar = q.ndim == 0
        qa = q.array.reshape(-1)
    elif isinstance(q, (int, float)):
        scalar, qa = True, xp.asarray([float(q)], dtype=input.array.dtype)
    else:
        raise TypeError(f"{op}: q must be a float or a Tensor, got {type(q).__name__}")
    bad = (qa < 0) | (qa > 1) | (qa != qa)
    if bool(bad.any()):
        raise ValueError(f"{op}: q values must lie in [0, 1]")
    return qa, scalar


def _quantile(input: Tensor, q: Any, dim: int | None, keepdim: bool, interpolation: str,
              ignore_nan: bool, op: str) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(input).__name__}")
    if input.array.dtype.kind != "f":
        raise DTypeError(f"{op}: input must be a float tensor, got {input.array.dtype}; use .double() first")
    if interpolation not in _MODES:
        raise ValueError(f"{op}: interpolation must be one of {', '.join(_MODES)}, got {interpolation!r}")
    qa, scalar = _q_array(q, input, op)
    shape = input.shape
    if dim is None:
        x, d = reshape(input, (-1,)), 0
    else:
        if not -max(input.ndim, 1) <= dim < max(input.ndim, 1):
            raise IndexError(f"{op}: dim {dim} is out of range for a tensor with {input.ndim} dimensions")
        d = dim % max(input.ndim, 1)
        x = input if input.ndim else reshape(input, (1,))
    if x.shape[d] == 0:
        raise ValueError(f"{op}: the input is empty along the reduced dimension")
    xs = movedim(x, d, -1)
    xp = xp_of(xs.array)
    dt = xs.array.dtype
    values = sort(xs, dim=-1).values
    n = xs.shape[-1]
    batch = xs.shape[:-1]
    nan_mask = xp.isnan(xs.array)
    if ignore_nan:
        count = (~nan_mask).sum(axis=-1)  # batch shape
    else:
        count = xp.full(batch, n)
    qb = qa.reshape((-1,) + (1,) * len(batch))
    rank = qb * (count - 1).astype(dt)  # (Q, *batch)
    rank = xp.maximum(rank, 0)
    if not ignore_nan:  # a slice holding NaN reads its last sorted value, a NaN, as torch
        rank = xp.where(nan_mask.any(axis=-1), float(n - 1), rank).astype(dt, copy=False)
    if interpolation == "lower":
        rank = xp.floor(rank)
    elif interpolation == "higher":
        rank = xp.ceil(rank)
    elif interpolation == "nearest":
        rank = xp.round(rank)  # halves go to the even rank
    lo = xp.floor(rank).astype(np.int64)
    hi = xp.minimum(lo + 1, xp.maximum(count - 1, 0)).astype(np.int64)
    weight = rank - lo
    if interpolation == "midpoint":
        weight = xp.where(weight > 0, 0.5, 0.0).astype(dt)
    nq = qa.shape[0]
    table = expand(unsqueeze(values, 0), (nq,) + tuple(values.shape))
    low = squeeze(gather(table, -1, wrap(lo[..., None])), -1)
    high = squeeze(gather(table, -1, wrap(hi[..., None])), -1)
    out = low + (high - low) * wrap(weight.astype(dt))
    if keepdim:
        kept = (1,) * len(shape) if dim is None else tuple(1 if i == d else s for i, s in enumerate(shape))
        out = reshape(out, (nq,) + kept)
    if scalar:
        out = squeeze(out, 0)
    return out


def quantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,
             interpolation: str = "linear") -> Tensor:
    """The ``q``-th quantiles of ``input`` (over all elements, or along ``dim``).

    ``q`` is a float or a 1-D tensor of the input's dtype in ``[0, 1]``; for a tensor
    the quantiles make the first dimension of the result. ``interpolation`` picks the
    value between the two order statistics around the rank ``q * (n - 1)``:
    ``"linear"``, ``"lower"``, ``"higher"``, ``"midpoint"`` or ``"nearest"``. A slice
    holding NaN gives NaN (see :func:`nanquantile`).

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.as_tensor([1.0, 2.0, 3.0, 4.0])
    >>> hw.quantile(x, 0.5).item(), x.quantile(0.5, interpolation="lower").item()
    (2.5, 2.0)
    >>> hw.quantile(x, hw.as_tensor([0.25, 0.75])).tolist()
    [1.75, 3.25]
    """
    return _quantile(input, q, dim, keepdim, interpolation, False, "quantile")


def nanquantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,
                interpolation: str = "linear") -> Tensor:
    """:func:`quantile` ignoring NaN values (a slice of only NaN gives NaN).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nanquantile(hw.as_tensor([1.0, float("nan"), 3.0]), 0.5).item()
    2.0
    """
    return _quantile(input, q, dim, keepdim, interpolation, True, "nanquantile")
