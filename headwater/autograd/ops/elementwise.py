"""Elementwise math: exp, log, log1p, sqrt, sin, cos, tanh, clamp."""

from __future__ import annotations

from headwater.autograd.function import Op, xp_of
from headwater.tensor.dtypes import DTypeError, get_default_dtype, is_floating
from headwater.tensor.tensor import Tensor

__all__ = ["exp", "log", "log1p", "sqrt", "sin", "cos", "tanh", "clamp", "float_input"]


def float_input(t: Tensor, op: str) -> Tensor:
    """``t`` itself when it is float, else a float copy (ints cannot need grad)."""
    if not isinstance(t, Tensor):
        raise TypeError(f"{op}: expected a Tensor, got {type(t).__name__}")
    if is_floating(t.array.dtype):
        return t
    if t.array.dtype.kind not in "biu":
        raise DTypeError(f"{op}: unsupported dtype {t.array.dtype}")
    return Tensor(t.array.astype(get_default_dtype()))


class Exp(Op):
    saves_output = True

    def forward(self, a):
        xp = xp_of(a)
        self.out = xp.exp(a)
        return self.out

    def backward(self, g):
        return g * self.out


class Log(Op):
    saves = (0,)

    def forward(self, a):
        xp = xp_of(a)
        self.a = a
        return xp.log(a)

    def backward(self, g):
        return g / self.a


class Log1p(Op):
    saves = (0,)

    def forward(self, a):
        xp = xp_of(a)
        self.a = a
        return xp.log1p(a)

    def backward(self, g):
        return g / (1 + self.a)


class Sqrt(Op):
    saves_output = True

    def forward(self, a):
        xp = xp_of(a)
        self.out = xp.sqrt(a)
        return self.out

    def backward(self, g):
        return g / (2 * self.out)


class Sin(Op):
    saves = (0,)

    def forward(self, a):
        xp = xp_of(a)
        self.a = a
        return xp.sin(a)

    def backward(self, g):
        xp = xp_of(self.a)
        return g * xp.cos(self.a)


class Cos(Op):
    saves = (0,)

    def forward(self, a):
        xp = xp_of(a)
        self.a = a
        return xp.cos(a)

    def backward(self, g):
        xp = xp_of(self.a)
        return -g * xp.sin(self.a)


class Tanh(Op):
    saves_output = True

    def forward(self, a):
        xp = xp_of(a)
        self.out = xp.tanh(a)
        return self.out

    def backward(self, g):
        return g * (1 - self.out * self.out)


class Clamp(Op):
    saves = (0,)

    def forward(self, a, lo=None, hi=None):
        xp = xp_of(a)
        self.a, self.lo, self.hi = a, lo, hi
        return xp.clip(a, lo, hi)

    def backward(self, g):
        a, lo, hi = self.a, self.lo, self.hi
        keep = True
        if lo is not None:
            keep = a >= lo
        if hi is not None:
            keep = keep & (a <= hi) if lo is not None else a <= hi
        return g * keep


def exp(input: Tensor) -> Tensor:
    """Elementwise ``e ** x``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.exp(hw.zeros(2)).tolist()
    [1.0, 1.0]
    """
    return Exp.apply(float_input(input, "exp"))


def log(input: Tensor) -> Tensor:
    """Elementwise natural logarithm.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.log(hw.ones(2)).tolist()
    [0.0, 0.0]
    """
    return Log.apply(float_input(input, "log"))


def log1p(input: Tensor) -> Tensor:
    """Elementwise ``log(1 + x)``, accurate for small ``x``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.log1p(hw.zeros(1)).tolist()
    [0.0]
    """
    return Log1p.apply(float_input(input, "log1p"))


def sqrt(input: Tensor) -> Tensor:
    """Elementwise square root.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.sqrt(hw.as_tensor([4.0, 9.0])).tolist()
    [2.0, 3.0]
    """
    return Sqrt.apply(float_input(input, "sqrt"))


def sin(input: Tensor) -> Tensor:
    """Elementwise sine.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.sin(hw.zeros(1)).tolist()
    [0.0]
    """
    return Sin.apply(float_input(input, "sin"))


def cos(input: Tensor) -> Tensor:
    """Elementwise cosine.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.cos(hw.zeros(1)).tolist()
    [1.0]
    """
    return Cos.apply(float_input(input, "cos"))


def tanh(input: Tensor) -> Tensor:
    """Elementwise hyperbolic tangent.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.tanh(hw.zeros(1)).tolist()
    [0.0]
    """
    return Tanh.apply(float_input(input, "tanh"))


def clamp(input: Tensor, min: float | None = None, max: float | None = None) -> Tensor:
    """Limit values to ``[min, max]``; the gradient passes where ``min <= x <= max``.

    ``min`` or ``max`` may be a Tensor (built from ``maximum``/``minimum`` then).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.clamp(hw.as_tensor([-2.0, 0.5, 3.0]), min=-1.0, max=1.0).tolist()
    [-1.0, 0.5, 1.0]
    """
    if min is None and max is None:
        raise ValueError("clamp: give at least one of min and max")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        from headwater.autograd.ops.select import maximum, minimum

        out = input
        if min is not None:
            out = maximum(out, min)
        if max is not None:
            out = minimum(out, max)
        return out
    return Clamp.apply(input, lo=min, hi=max)
