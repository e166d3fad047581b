"""The gamma function family: lgamma (gammaln), digamma and trigamma (polygamma
of order 1), accurate to about 1e-14 in float64.

NumPy has none of them, so the kernels are written once against ``xp``. Each
shifts its argument up by ``_SHIFT`` with the recurrence (``lgamma(x) =
lgamma(x + n) - sum log|x + k|``, ``psi(x) = psi(x + n) - sum 1 / (x + k)``), then
evaluates the asymptotic (Stirling) series, whose error past 10 is below float64
rounding. Negative arguments go through the reflection formulas. The poles
(0, -1, -2, ...) give ``inf`` for lgamma, as torch; digamma gives ``-inf`` at 0 and
NaN at the negative integers.
"""

from __future__ import annotations

import math
from typing import Any

from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops.elementwise import float_input
from headwater.tensor.tensor import Tensor

__all__ = ["lgamma", "digamma", "polygamma", "lgamma_array", "digamma_array", "trigamma_array"]

_SHIFT = 10
_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
# B_2k / (2k (2k - 1)) for Stirling's series of lgamma, and B_2k / 2k for digamma's
_LGAMMA_TERMS = (1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156)
_DIGAMMA_TERMS = (1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132, -691 / 32760, 1 / 12)
_TRIGAMMA_TERMS = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6)


def _series(xp: Any, y: Any, terms: tuple, first_power: int, step: int) -> Any:
    """sum_k terms[k] / y ** (first_power + step * k), by Horner in 1 / y**step."""
    inv = 1.0 / y
    w = inv ** step
    total = xp.zeros_like(y)
    for c in reversed(terms):
        total = total * w + c
    return total * inv ** first_power


def _finite(xp: Any, x: Any) -> Any:
    """``x`` in float64 (the recurrence cancels digits that float32 lacks) with
    infinities and NaN replaced by 1 (the callers restore them)."""
    return xp.where(xp.isfinite(x), x, 1.0).astype("float64", copy=False)


def _is_pole(xp: Any, x: Any) -> Any:
    return (x <= 0) & (x == xp.floor(x))


def _lgamma_positive(xp: Any, x: Any) -> Any:
    """lgamma for x > 0 (other values give garbage the caller masks)."""
    logs = xp.zeros_like(x)
    for k in range(_SHIFT):
        logs = logs + xp.log(xp.abs(x + k))
    y = x + _SHIFT
    stirling = (y - 0.5) * xp.log(y) - y + _HALF_LOG_2PI + _series(xp, y, _LGAMMA_TERMS, 1, 2)
    return stirling - logs


def lgamma_array(x: Any) -> Any:
    """``log|Gamma(x)|`` elementwise on an xp float array."""
    xp = xp_of(x)
    x, raw, dtype = _finite(xp, x), x, x.dtype
    neg = x < 0.5
    safe = xp.where(neg, 1.0 - x, x)
    core = _lgamma_positive(xp, safe)
    # reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x)
    sin = xp.abs(xp.sin(math.pi * (x - xp.floor(x))))
    with_reflection = xp.where(neg, math.log(math.pi) - xp.log(xp.where(neg & (sin > 0), sin, 1.0)) - core, core)
    out = xp.where(_is_pole(xp, x), xp.inf, with_reflection)
    out = xp.where(xp.isnan(raw), xp.nan, out)
    return xp.where(xp.isinf(raw), xp.inf, out).astype(dtype, copy=False)


def _psi_positive(xp: Any, x: Any) -> Any:
    shift = xp.zeros_like(x)
    for k in range(_SHIFT):
        shift = shift + 1.0 / (x + k)
    y = x + _SHIFT
    return xp.log(y) - 0.5 / y - _series(xp, y, _DIGAMMA_TERMS, 2, 2) - shift


def digamma_array(x: Any) -> Any:
    """``d/dx lgamma(x)`` elementwise on an xp float array."""
    xp = xp_of(x)
    x, raw, dtype = _finite(xp, x), x, x.dtype
    neg = x < 0.5
    safe = xp.where(neg, 1.0 - x, x)
    core = _psi_positive(xp, safe)
    # reflection: psi(1 - x) - psi(x) = pi / tan(pi x)
    frac = x - xp.floor(x)
    tan = xp.tan(math.pi * xp.where(neg & (frac != 0), frac, 0.25))
    out = xp.where(neg, core - math.pi / tan, core)
    out = xp.where(_is_pole(xp, x), xp.nan, out)
    out = xp.where(x == 0, -xp.inf, out)
    out = xp.where(xp.isfinite(raw), out, xp.nan)
    return xp.where(xp.isposinf(raw), xp.inf, out).astype(dtype, copy=False)


def trigamma_array(x: Any) -> Any:
    """``d/dx digamma(x)`` elementwise on an xp float array."""
    xp = xp_of(x)
    x, raw, dtype = _finite(xp, x), x, x.dtype
    neg = x < 0.5
    safe = xp.where(neg, 1.0 - x, x)
    shift = xp.zeros_like(safe)
    for k in range(_SHIFT):
        shift = shift + 1.0 / (safe + k) ** 2
    y = safe + _SHIFT
    core = 1.0 / y + 0.5 / (y * y) + _series(xp, y, _TRIGAMMA_TERMS, 3, 2) + shift
    # reflection: psi1(1 - x) + psi1(x) = pi^2 / sin^2(pi x)
    sin = xp.sin(math.pi * xp.where(neg, x - xp.floor(x), 0.5))
    out = xp.where(neg, math.pi ** 2 / xp.where(sin == 0, 1.0, sin * sin) - core, core)
    out = xp.where(_is_pole(xp, x), xp.inf, out)
    out = xp.where(xp.isfinite(raw), out, xp.nan)
    return xp.where(xp.isposinf(raw), 0.0, out).astype(dtype, copy=False)


class Lgamma(Op):
    saves = (0,)

    def forward(self, a):
        self.a = a
        return lgamma_array(a)

    def backward(self, g):
        return g * digamma_array(self.a)


class Digamma(Op):
    saves = (0,)

    def forward(self, a):
        self.a = a
        return digamma_array(a)

    def backward(self, g):
        return g * trigamma_array(self.a)


class Trigamma(Op):
    differentiable = False

    def forward(self, a):
        return trigamma_array(a)


def lgamma(input: Tensor) -> Tensor:
    """Elementwise ``log|Gamma(x)|`` (``torch.lgamma``, ``torch.special.gammaln``).

    Examples
    --------
    >>> import headwater as hw
    >>> [round(v, 6) for v in hw.lgamma(hw.as_tensor([1.0, 5.0, 0.5])).tolist()]
    [0.0, 3.178054, 0.572365]
    """
    return Lgamma.apply(float_input(input, "lgamma"))


def digamma(input: Tensor) -> Tensor:
    """Elementwise digamma, the derivative of :func:`lgamma`.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.digamma(hw.as_tensor([1.0])).item(), 6)  # minus Euler's constant
    -0.577216
    """
    return Digamma.apply(float_input(input, "digamma"))


def polygamma(n: int, input: Tensor) -> Tensor:
    """The ``n``-th derivative of :func:`digamma`, for ``n`` 0 and 1 (``n = 1`` has no
    gradient here).

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.polygamma(1, hw.as_tensor([1.0])).item(), 6)  # pi**2 / 6
    1.644934
    """
    if n == 0:
        return digamma(input)
    if n == 1:
        return Trigamma.apply(float_input(input, "polygamma"))
    raise NotImplementedError(f"polygamma: only n=0 (digamma) and n=1 (trigamma) are implemented, got n={n}")
