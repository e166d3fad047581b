"""More elementwise math: powers and logs of other bases, inverse and hyperbolic
trigonometry, ``reciprocal``, ``square``, ``logit`` and ``nan_to_num``.

Each op is one :class:`_Pointwise` subclass naming its forward (``f``) and the
derivative it multiplies the incoming gradient by (``df``, from the input ``a`` and
the output ``out``). Integer inputs are computed in the default float dtype, as in
PyTorch; ``square`` keeps integers integral.
"""

from __future__ import annotations

import math
from typing import Any

from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops.elementwise import float_input
from headwater.tensor.tensor import Tensor

__all__ = [
    "exp2", "expm1", "log2", "log10", "rsqrt", "tan", "asin", "acos", "atan", "sinh",
    "cosh", "asinh", "acosh", "atanh", "reciprocal", "square", "logit", "nan_to_num",
    "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh",
]

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)


class _Pointwise(Op):
    saves = (0,)
    saves_output = True

    @staticmethod
    def f(xp: Any, a: Any) -> Any:
        raise NotImplementedError

    @staticmethod
    def df(xp: Any, a: Any, out: Any) -> Any:
        raise NotImplementedError

    def forward(self, a):
        xp = xp_of(a)
        self.a = a
        self.out = self.f(xp, a)
        return self.out

    def backward(self, g):
        return g * self.df(xp_of(g), self.a, self.out)


def _op(name: str, f, df) -> type[_Pointwise]:
    return type(name, (_Pointwise,), {"name": name, "f": staticmethod(f), "df": staticmethod(df)})


Exp2 = _op("exp2", lambda xp, a: xp.exp2(a), lambda xp, a, out: out * _LN2)
Expm1 = _op("expm1", lambda xp, a: xp.expm1(a), lambda xp, a, out: out + 1)
Log2 = _op("log2", lambda xp, a: xp.log2(a), lambda xp, a, out: 1 / (a * _LN2))
Log10 = _op("log10", lambda xp, a: xp.log10(a), lambda xp, a, out: 1 / (a * _LN10))
Rsqrt = _op("rsqrt", lambda xp, a: 1 / xp.sqrt(a), lambda xp, a, out: -0.5 * out * out * out)
Tan = _op("tan", lambda xp, a: xp.tan(a), lambda xp, a, out: 1 + out * out)
Asin = _op("asin", lambda xp, a: xp.arcsin(a), lambda xp, a, out: 1 / xp.sqrt(1 - a * a))
Acos = _op("acos", lambda xp, a: xp.arccos(a), lambda xp, a, out: -1 / xp.sqrt(1 - a * a))
Atan = _op("atan", lambda xp, a: xp.arctan(a), lambda xp, a, out: 1 / (1 + a * a))
Sinh = _op("sinh", lambda xp, a: xp.sinh(a), lambda xp, a, out: xp.cosh(a))
Cosh = _op("cosh", lambda xp, a: xp.cosh(a), lambda xp, a, out: xp.sinh(a))
Asinh = _op("asinh", lambda xp, a: xp.arcsinh(a), lambda xp, a, out: 1 / xp.sqrt(a * a + 1))
Acosh = _op("acosh", lambda xp, a: xp.arccosh(a), lambda xp, a, out: 1 / xp.sqrt((a - 1) * (a + 1)))
Atanh = _op("atanh", lambda xp, a: xp.arctanh(a), lambda xp, a, out: 1 / (1 - a * a))
Reciprocal = _op("reciprocal", lambda xp, a: 1 / a, lambda xp, a, out: -out * out)
Square = _op("square", lambda xp, a: a * a, lambda xp, a, out: 2 * a)


class Logit(Op):
    saves = (0,)

    def forward(self, a, eps=None):
        xp = xp_of(a)
        self.a, self.eps = a, eps
        z = a if eps is None else xp.clip(a, eps, 1 - eps)
        return xp.log(z / (1 - z))

    def backward(self, g):
        xp = xp_of(g)
        a, eps = self.a, self.eps
        d = g / (a * (1 - a))
        if eps is None:
            return d
        # outside [eps, 1 - eps] the input is clamped, so no gradient flows
        return xp.where((a < eps) | (a > 1 - eps), 0, d).astype(g.dtype, copy=False)


class NanToNum(Op):
    saves = (0,)

    def forward(self, a, nan=0.0, posinf=None, neginf=None):
        xp = xp_of(a)
        self.a = a
        if a.dtype.kind != "f":
            return a.copy()
        info = xp.finfo(a.dtype)
        out = xp.where(xp.isnan(a), nan, a)
        out = xp.where(out == xp.inf, info.max if posinf is None else posinf, out)
        out = xp.where(out == -xp.inf, info.min if neginf is None else neginf, out)
        return out.astype(a.dtype, copy=False)

    def backward(self, g):
        xp = xp_of(g)
        return xp.where(xp.isfinite(self.a), g, 0).astype(g.dtype, copy=False)


def exp2(input: Tensor) -> Tensor:
    """Elementwise ``2 ** x``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.exp2(hw.as_tensor([0.0, 3.0])).tolist()
    [1.0, 8.0]
    """
    return Exp2.apply(float_input(input, "exp2"))


def expm1(input: Tensor) -> Tensor:
    """Elementwise ``exp(x) - 1``, accurate for small ``x``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.expm1(hw.zeros(2)).tolist()
    [0.0, 0.0]
    """
    return Expm1.apply(float_input(input, "expm1"))


def log2(input: Tensor) -> Tensor:
    """Elementwise base-2 logarithm.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.log2(hw.as_tensor([1.0, 8.0])).tolist()
    [0.0, 3.0]
    """
    return Log2.apply(float_input(input, "log2"))


def log10(input: Tensor) -> Tensor:
    """Elementwise base-10 logarithm.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.log10(hw.as_tensor([1.0, 100.0])).tolist()
    [0.0, 2.0]
    """
    return Log10.apply(float_input(input, "log10"))


def rsqrt(input: Tensor) -> Tensor:
    """Elementwise ``1 / sqrt(x)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.rsqrt(hw.as_tensor([4.0, 0.25])).tolist()
    [0.5, 2.0]
    """
    return Rsqrt.apply(float_input(input, "rsqrt"))


def tan(input: Tensor) -> Tensor:
    """Elementwise tangent.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.tan(hw.zeros(1)).tolist()
    [0.0]
    """
    return Tan.apply(float_input(input, "tan"))


def asin(input: Tensor) -> Tensor:
    """Elementwise inverse sine (NaN outside ``[-1, 1]``); also ``arcsin``.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.asin(hw.as_tensor([1.0])).item(), 4)
    1.5708
    """
    return Asin.apply(float_input(input, "asin"))


def acos(input: Tensor) -> Tensor:
    """Elementwise inverse cosine (NaN outside ``[-1, 1]``); also ``arccos``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.acos(hw.as_tensor([1.0])).tolist()
    [0.0]
    """
    return Acos.apply(float_input(input, "acos"))


def atan(input: Tensor) -> Tensor:
    """Elementwise inverse tangent; also ``arctan``.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.atan(hw.as_tensor([1.0])).item(), 4)
    0.7854
    """
    return Atan.apply(float_input(input, "atan"))


def sinh(input: Tensor) -> Tensor:
    """Elementwise hyperbolic sine.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.sinh(hw.zeros(1)).tolist()
    [0.0]
    """
    return Sinh.apply(float_input(input, "sinh"))


def cosh(input: Tensor) -> Tensor:
    """Elementwise hyperbolic cosine.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.cosh(hw.zeros(1)).tolist()
    [1.0]
    """
    return Cosh.apply(float_input(input, "cosh"))


def asinh(input: Tensor) -> Tensor:
    """Elementwise inverse hyperbolic sine; also ``arcsinh``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.asinh(hw.zeros(1)).tolist()
    [0.0]
    """
    return Asinh.apply(float_input(input, "asinh"))


def acosh(input: Tensor) -> Tensor:
    """Elementwise inverse hyperbolic cosine (NaN below 1); also ``arccosh``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.acosh(hw.ones(1)).tolist()
    [0.0]
    """
    return Acosh.apply(float_input(input, "acosh"))


def atanh(input: Tensor) -> Tensor:
    """Elementwise inverse hyperbolic tangent (``+-inf`` at ``+-1``); also ``arctanh``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.atanh(hw.zeros(1)).tolist()
    [0.0]
    """
    return Atanh.apply(float_input(input, "atanh"))


def reciprocal(input: Tensor) -> Tensor:
    """Elementwise ``1 / x`` (integers give the default float dtype).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.reciprocal(hw.as_tensor([2.0, 4.0])).tolist()
    [0.5, 0.25]
    """
    return Reciprocal.apply(float_input(input, "reciprocal"))


def square(input: Tensor) -> Tensor:
    """Elementwise ``x * x`` (integers stay integers, bool becomes int64, as in PyTorch).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.square(hw.as_tensor([3, -2])).tolist()
    [9, 4]
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"square: expected a Tensor, got {type(input).__name__}")
    if input.array.dtype.kind == "b":
        input = input.long()
    return Square.apply(input)


def logit(input: Tensor, eps: float | None = None) -> Tensor:
    """Elementwise ``log(p / (1 - p))``; with ``eps``, ``p`` is first clamped to
    ``[eps, 1 - eps]`` (no gradient flows where it was clamped).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.logit(hw.as_tensor([0.5])).tolist()
    [0.0]
    >>> round(hw.logit(hw.as_tensor([1.0]), eps=0.1).item(), 4)
    2.1972
    """
    if eps is not None and not 0 <= eps < 0.5:
        raise ValueError(f"logit: eps must lie in [0, 0.5), got {eps}")
    return Logit.apply(float_input(input, "logit"), eps=eps)


def nan_to_num(
    input: Tensor, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None,
) -> Tensor:
    """Replace NaN with ``nan`` and infinities with ``posinf`` / ``neginf`` (by default
    the dtype's largest and smallest finite values); the gradient passes where the
    input was finite.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nan_to_num(hw.as_tensor([float("nan"), 1.0, float("inf")]), posinf=9.0).tolist()
    [0.0, 1.0, 9.0]
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"nan_to_num: expected a Tensor, got {type(input).__name__}")
    return NanToNum.apply(input, nan=nan, posinf=posinf, neginf=neginf)


arcsin, arccos, arctan = asin, acos, atan
arcsinh, arccosh, arctanh = asinh, acosh, atanh
