"""Whole-column statistics kept on the device: length-1 arrays, no host read.

Fitted ops keep these arrays as their state and broadcast them in ``transform``.
They are plain reductions (a whole column is one group, so the segment reductions
of the backend, which the per-group ops use, would only add passes). Values are
float64; null rows (``valid`` False) and NaN are left out.
"""

from __future__ import annotations

from typing import Any

from headwater.tensor.backend.base import Backend

__all__ = ["mean", "std", "minimum", "maximum", "quantile", "quantiles", "count"]


def _keep(xp: Any, values: Any, valid: Any) -> Any:
    not_nan = ~xp.isnan(values)
    return not_nan if valid is None else valid & not_nan


def count(backend: Backend, values: Any, valid: Any) -> Any:
    """Number of valid (non-null, non-NaN) values (length-1 int64)."""
    xp = backend.xp
    return xp.count_nonzero(_keep(xp, values, valid)).reshape(1).astype(xp.int64)


def mean(backend: Backend, values: Any, valid: Any) -> Any:
    """Mean of the valid values (length-1 float64; NaN when there is none)."""
    xp = backend.xp
    keep = _keep(xp, values, valid)
    n = xp.count_nonzero(keep)
    total = xp.where(keep, values, 0.0).sum(dtype=xp.float64)
    return xp.where(n > 0, total / xp.maximum(n, 1), xp.nan).reshape(1)


def std(backend: Backend, values: Any, valid: Any, ddof: int = 0) -> Any:
    """Standard deviation of the valid values, two passes (length-1 float64)."""
    xp = backend.xp
    keep = _keep(xp, values, valid)
    n = xp.count_nonzero(keep)
    centre = mean(backend, values, keep)
    d = xp.where(keep, values - centre, 0.0)
    var = (d * d).sum(dtype=xp.float64) / xp.maximum(n - ddof, 1)
    return xp.where(n > ddof, xp.sqrt(var), xp.nan).reshape(1)


def minimum(backend: Backend, values: Any, valid: Any) -> Any:
    """Smallest valid value (length 1; +inf when there is none)."""
    xp = backend.xp
    if len(values) == 0:
        return xp.full(1, xp.inf)
    return xp.where(_keep(xp, values, valid), values, xp.inf).min().reshape(1)


def maximum(backend: Backend, values: Any, valid: Any) -> Any:
    """Largest valid value (length 1; -inf when there is none)."""
    xp = backend.xp
    if len(values) == 0:
        return xp.full(1, -xp.inf)
    return xp.where(_keep(xp, values, valid), values, -xp.inf).max().reshape(1)


def quantile(backend: Backend, values: Any, valid: Any, q: float) -> Any:
    """Quantile ``q`` of the valid values, linear interpolation (length-1 float64)."""
    return quantiles(backend, values, valid, [q])


def quantiles(backend: Backend, values: Any, valid: Any, qs: Any) -> Any:
    """Several quantiles of the valid values from one sort (linear interpolation, float64).

    ``qs`` is a host sequence of fractions; the answer is a device array of the same
    length (NaN everywhere when no value is valid). Matches ``numpy.quantile``.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.dataframe.features.stats import quantiles
    >>> be = hw.get_backend()
    >>> quantiles(be, be.xp.asarray([4.0, 1.0, float("nan"), 2.0]), None, [0.0, 0.5]).tolist()
    [1.0, 2.0]
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
    low, high = xp.where(n_valid > 0, low, 0.0), xp.where(n_valid > 0, high, 0.0)  # no inf - inf
    # NumPy's lerp: from the nearer end, so that a weight of ~1 gives ``high`` exactly
    out = xp.where(weight >= 0.5, high - (high - low) * (1.0 - weight), low + (high - low) * weight)
    return xp.where(n_valid > 0, out, xp.nan)
