"""Whole-column statistics kept on the device, from the backend's segment reductions.

A whole column is one segment (every id 0), so ``segment_mean`` and friends give a
length-1 device array with no host read. Fitted ops keep these arrays as their
state and broadcast them in ``transform``.
"""

from __future__ import annotations

from typing import Any

from headwater.tensor.backend.base import Backend

__all__ = ["one_segment", "mean", "std", "minimum", "maximum", "quantile", "quantiles", "count"]


def one_segment(backend: Backend, n: int) -> Any:
    """Ids that put all ``n`` rows into segment 0."""
    return backend.xp.zeros(n, dtype=backend.xp.int64)


def mean(backend: Backend, values: Any, valid: Any) -> Any:
    """Mean of the valid values (length-1 float64; NaN when there is none)."""
    return backend.segment_mean(values, one_segment(backend, len(values)), 1, valid, ids_checked=True)


def std(backend: Backend, values: Any, valid: Any, ddof: int = 0) -> Any:
    """Standard deviation of the valid values (length-1 float64)."""
    var = backend.segment_var(values, one_segment(backend, len(values)), 1, valid, ddof=ddof,
                              ids_checked=True)
    return backend.xp.sqrt(var)


def minimum(backend: Backend, values: Any, valid: Any) -> Any:
    """Smallest valid value (length 1; +inf when there is none)."""
    return backend.segment_min(values, one_segment(backend, len(values)), 1, valid, ids_checked=True)


def maximum(backend: Backend, values: Any, valid: Any) -> Any:
    """Largest valid value (length 1; -inf when there is none)."""
    return backend.segment_max(values, one_segment(backend, len(values)), 1, valid, ids_checked=True)


def quantile(backend: Backend, values: Any, valid: Any, q: float) -> Any:
    """Quantile ``q`` of the valid values, linear interpolation (length-1 float64)."""
    return backend.segment_quantile(values, one_segment(backend, len(values)), 1, valid, q=q,
                                    ids_checked=True)


def count(backend: Backend, values: Any, valid: Any) -> Any:
    """Number of valid values (length-1 int64)."""
    return backend.segment_count(values, one_segment(backend, len(values)), 1, valid, ids_checked=True)


def quantiles(backend: Backend, values: Any, valid: Any, qs: Any) -> Any:
    """Several quantiles of the valid values from one sort (linear interpolation, float64).

    ``qs`` is a host sequence of fractions; the answer is a device array of the same
    length (NaN everywhere when no value is valid). Matches ``numpy.quantile``.
    """
    xp = backend.xp
    x = values.astype(xp.float64, copy=False)
    keep = ~xp.isnan(x) if valid is None else valid & ~xp.isnan(x)
    ordered = xp.sort(xp.where(keep, x, xp.inf))
    n_valid = xp.count_nonzero(keep)
    q = backend.to_device([float(v) for v in qs], dtype="float64")
    position = (n_valid - 1).astype(xp.float64) * q
    below = xp.floor(position).astype(xp.int64)
    top = xp.maximum(n_valid - 1, 0)
    below = xp.clip(below, 0, top)
    above = xp.minimum(below + 1, top)
    weight = position - below
    if len(ordered) == 0:
        return xp.full(len(qs), xp.nan)
    low, high = xp.take(ordered, below), xp.take(ordered, above)
    # NumPy's lerp: from the nearer end, so that a weight of ~1 gives ``high`` exactly
    out = xp.where(weight >= 0.5, high - (high - low) * (1.0 - weight), low + (high - low) * weight)
    return xp.where(n_valid > 0, out, xp.nan)
