"""Rounding and sign: floor, ceil, round, trunc, frac, sign.

The step functions (all but ``frac``) have a zero gradient almost everywhere, which
is what PyTorch's backward returns; ``frac`` passes the gradient through. Integer
and bool inputs give a copy of the same dtype (``frac`` refuses them, as PyTorch
does).
"""

from __future__ import annotations

from headwater.autograd.function import Op, xp_of
from headwater.tensor.dtypes import DTypeError
from headwater.tensor.tensor import Tensor

__all__ = ["floor", "ceil", "round", "trunc", "fix", "frac", "sign"]


class _Step(Op):
    kernel = "floor"

    def forward(self, a, decimals=0):
        xp = xp_of(a)
        if a.dtype.kind == "b" or a.dtype.kind in "iu" and self.kernel != "sign":
            return a.copy()
        if self.kernel == "round":
            return xp.round(a, decimals)
        return getattr(xp, self.kernel)(a)

    def backward(self, g):
        return xp_of(g).zeros_like(g)


def _step(name: str) -> type[_Step]:
    return type(name.capitalize(), (_Step,), {"name": name, "kernel": name})


Floor, Ceil, Round, Trunc, Sign = (_step(n) for n in ("floor", "ceil", "round", "trunc", "sign"))


class Frac(Op):
    def forward(self, a):
        return a - xp_of(a).trunc(a)

    def backward(self, g):
        return g


def _tensor(input: Tensor, op: str) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(input).__name__}")
    return input


def floor(input: Tensor) -> Tensor:
    """Elementwise largest integer not above ``x`` (same dtype).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.floor(hw.as_tensor([1.5, -1.5])).tolist()
    [1.0, -2.0]
    """
    return Floor.apply(_tensor(input, "floor"))


def ceil(input: Tensor) -> Tensor:
    """Elementwise smallest integer not below ``x`` (same dtype).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ceil(hw.as_tensor([1.5, -1.5])).tolist()
    [2.0, -1.0]
    """
    return Ceil.apply(_tensor(input, "ceil"))


def round(input: Tensor, *, decimals: int = 0) -> Tensor:
    """Round half to even, to ``decimals`` decimal places (negative: to tens,
    hundreds...), as PyTorch does.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.round(hw.as_tensor([0.5, 1.5, 2.5])).tolist()
    [0.0, 2.0, 2.0]
    >>> hw.round(hw.as_tensor([1234.5678]), decimals=-2).tolist()
    [1200.0]
    """
    if not isinstance(decimals, int):
        raise TypeError(f"round: decimals must be an int, got {type(decimals).__name__}")
    return Round.apply(_tensor(input, "round"), decimals=decimals)


def trunc(input: Tensor) -> Tensor:
    """Elementwise rounding toward zero (same dtype); also ``fix``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.trunc(hw.as_tensor([1.7, -1.7])).tolist()
    [1.0, -1.0]
    """
    return Trunc.apply(_tensor(input, "trunc"))


fix = trunc


def frac(input: Tensor) -> Tensor:
    """Elementwise fractional part ``x - trunc(x)`` (keeps the sign of ``x``).

    Raises
    ------
    DTypeError
        For integer or bool tensors, whose fractional part is always 0.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.frac(hw.as_tensor([1.25, -1.25])).tolist()
    [0.25, -0.25]
    """
    if _tensor(input, "frac").array.dtype.kind != "f":
        raise DTypeError(f"frac: expected a float tensor, got {input.dtype}; cast it with .float() first")
    return Frac.apply(input)


def sign(input: Tensor) -> Tensor:
    """Elementwise sign: -1, 0 or 1 (same dtype; zero gradient).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.sign(hw.as_tensor([-2.0, 0.0, 3.0])).tolist()
    [-1.0, 0.0, 1.0]
    """
    return Sign.apply(_tensor(input, "sign"))
