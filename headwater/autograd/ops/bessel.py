"""The modified Bessel function of order 0, ``i0``, with its gradient ``i1``.

The forward is ``xp.i0`` (NumPy and CuPy both have it). ``i1``, which neither has,
sums its power series ``sum_k (x/2)**(2k+1) / (k! (k+1)!)`` (positive terms, no
cancellation) for ``|x| <= 30`` and uses the large-argument expansion
``e**|x| / sqrt(2 pi |x|) * sum_k (-1)**k a_k / |x|**k`` beyond, both to float64
rounding.
"""

from __future__ import annotations

import math
from typing import Any

from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops.elementwise import float_input
from headwater.tensor.tensor import Tensor

__all__ = ["i0", "i1_array"]

_SERIES_TERMS = 60
_ASYMPTOTIC_TERMS = 16
_SWITCH = 30.0


def i1_array(x: Any) -> Any:
    """The modified Bessel function of order 1 elementwise (odd in ``x``)."""
    xp = xp_of(x)
    ax = xp.abs(x)
    small = xp.minimum(ax, _SWITCH)
    half = small / 2
    term = half
    total = half
    q = half * half
    for k in range(1, _SERIES_TERMS):
        term = term * q / (k * (k + 1))
        total = total + term
    big = xp.maximum(ax, _SWITCH)
    coef, acc, inv = 1.0, xp.ones_like(big), 1.0 / big
    power = xp.ones_like(big)
    for k in range(1, _ASYMPTOTIC_TERMS):
        coef = -coef * (4.0 - (2 * k - 1) ** 2) / (k * 8.0)
        power = power * inv
        acc = acc + coef * power
    with_exp = xp.exp(xp.minimum(big, 700.0)) / xp.sqrt(2 * math.pi * big) * acc
    out = xp.where(ax <= _SWITCH, total, xp.where(big > 700.0, xp.inf, with_exp))
    return (xp.sign(x) * out).astype(x.dtype, copy=False)


class I0(Op):
    saves = (0,)

    def forward(self, a):
        self.a = a
        return xp_of(a).i0(a).astype(a.dtype, copy=False)

    def backward(self, g):
        return g * i1_array(self.a)


def i0(input: Tensor) -> Tensor:
    """Elementwise modified Bessel function of the first kind, order 0
    (``torch.i0``, ``torch.special.i0``).

    Examples
    --------
    >>> import headwater as hw
    >>> [round(v, 6) for v in hw.i0(hw.as_tensor([0.0, 1.0])).tolist()]
    [1.0, 1.266066]
    """
    return I0.apply(float_input(input, "i0"))
