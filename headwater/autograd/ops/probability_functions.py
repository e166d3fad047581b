"""Elementwise functions of ``torch.special`` with no top-level home before:
sinc, entr, ndtr (the standard normal CDF) and ndtri (its inverse).

``ndtr`` and ``ndtri`` are written through :mod:`special`'s ``erfc`` and ``erfinv``;
``ndtri`` is accurate to about 1e-13 relative for ``p`` in ``[1e-6, 1 - 1e-6]``
and loses digits deeper in the tails (``2p - 1`` rounds there).
"""

from __future__ import annotations

import math

from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops.arithmetic import mul, sub
from headwater.autograd.ops.elementwise import float_input
from headwater.autograd.ops.special import erfc, erfinv
from headwater.tensor.tensor import Tensor

__all__ = ["sinc", "entr", "ndtr", "ndtri"]


class Sinc(Op):
    saves = (0,)

    def forward(self, a):
        self.a = a
        return xp_of(a).sinc(a).astype(a.dtype, copy=False)

    def backward(self, g):
        xp = xp_of(g)
        a = self.a
        zero = a == 0
        safe = xp.where(zero, 1, a)
        d = (xp.cos(math.pi * safe) - xp.sinc(safe)) / safe
        return g * xp.where(zero, 0, d).astype(g.dtype, copy=False)


class Entr(Op):
    saves = (0,)

    def forward(self, a):
        xp = xp_of(a)
        self.a = a
        pos = a > 0
        out = -a * xp.log(xp.where(pos, a, 1))
        out = xp.where(a < 0, -xp.inf, xp.where(pos, out, 0))
        return xp.where(xp.isnan(a), a, out).astype(a.dtype, copy=False)

    def backward(self, g):
        xp = xp_of(g)
        a = self.a
        pos = a > 0
        d = -(xp.log(xp.where(pos, a, 1)) + 1)
        return g * xp.where(pos, d, xp.where(a == 0, -xp.inf, xp.nan)).astype(g.dtype, copy=False)


def sinc(input: Tensor) -> Tensor:
    """Elementwise normalised sinc, ``sin(pi x) / (pi x)`` (1 at 0).

    Examples
    --------
    >>> import headwater as hw
    >>> [round(v, 6) for v in hw.sinc(hw.as_tensor([0.0, 0.5])).tolist()]
    [1.0, 0.63662]
    """
    return Sinc.apply(float_input(input, "sinc"))


def entr(input: Tensor) -> Tensor:
    """Elementwise entropy term ``-x log x`` (0 at 0, ``-inf`` for negative x).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.special.entr(hw.as_tensor([0.0, 1.0, -1.0])).tolist()
    [0.0, -0.0, -inf]
    """
    return Entr.apply(float_input(input, "entr"))


def ndtr(input: Tensor) -> Tensor:
    """The standard normal cumulative distribution function, ``0.5 erfc(-x / sqrt 2)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.special.ndtr(hw.as_tensor([0.0])).tolist()
    [0.5]
    """
    x = float_input(input, "ndtr")
    return mul(erfc(mul(x, -1.0 / math.sqrt(2.0))), 0.5)


def ndtri(input: Tensor) -> Tensor:
    """The inverse of :func:`ndtr`: ``sqrt 2 * erfinv(2p - 1)`` (``-inf`` at 0,
    ``inf`` at 1, NaN outside ``[0, 1]``).

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.special.ndtri(hw.as_tensor([0.975], dtype=hw.float64)).item(), 6)
    1.959964
    """
    p = float_input(input, "ndtri")
    return mul(erfinv(sub(mul(p, 2.0), 1.0)), math.sqrt(2.0))
