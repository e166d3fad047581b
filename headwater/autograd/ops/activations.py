"""Activation functions: sigmoid, relu, leaky_relu, gelu, silu, softplus."""

from __future__ import annotations

import math

from headwater.autograd.function import Op, xp_of
from headwater.autograd.ops.elementwise import float_input
from headwater.tensor.backend.blend import blend
from headwater.tensor.tensor import Tensor

__all__ = ["sigmoid", "relu", "leaky_relu", "gelu", "silu", "softplus", "erf"]

_SQRT_HALF = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TANH_C = math.sqrt(2.0 / math.pi)


def _sigmoid(xp, a):
    # exp of a non-positive number never overflows
    e = xp.exp(-abs(a))
    return blend(xp, a >= 0, 1 / (1 + e), e / (1 + e))


def erf(xp, x):
    """The error function on xp arrays (NumPy has none).

    Numerical Recipes' Chebyshev fit of erfc, fractional error below 1.2e-7:
    float32-exact, and close to float64 accuracy for GELU.
    """
    z = abs(x)
    t = 1 / (1 + 0.5 * z)
    poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))
    erfc = t * xp.exp(poly)
    return xp.where(x >= 0, 1 - erfc, erfc - 1).astype(x.dtype, copy=False)


class Sigmoid(Op):
    saves_output = True

    def forward(self, a):
        self.out = _sigmoid(xp_of(a), a).astype(a.dtype, copy=False)
        return self.out

    def backward(self, g):
        return g * (self.out * (1 - self.out))


class Relu(Op):
    saves_output = True

    def forward(self, a):
        xp = xp_of(a)
        # against an array of zeros: NumPy's maximum with a scalar runs 3.5x slower
        self.out = xp.zeros_like(a)
        xp.maximum(a, self.out, out=self.out)
        return self.out

    def backward(self, g):
        # zero where the input is <= 0 (a NaN input passes the gradient), and a
        # select, not a product, so that a NaN gradient stops at it: PyTorch's rule
        xp = xp_of(g)
        return blend(xp, xp.logical_not(self.out <= 0), g, 0)


class LeakyRelu(Op):
    saves = (0,)

    def forward(self, a, slope=0.01):
        xp = xp_of(a)
        self.a, self.slope = a, slope
        return blend(xp, a > 0, a, a * slope)

    def backward(self, g):
        xp = xp_of(self.a)
        return blend(xp, self.a > 0, g, g * self.slope)


class Gelu(Op):
    saves = (0,)

    def forward(self, a, approximate="none"):
        xp = xp_of(a)
        self.a, self.approx = a, approximate
        if approximate == "tanh":
            self.th = xp.tanh(_TANH_C * (a + 0.044715 * a * a * a))
            return 0.5 * a * (1 + self.th)
        self.cdf = 0.5 * (1 + erf(xp, a * _SQRT_HALF))
        return a * self.cdf

    def backward(self, g):
        xp = xp_of(self.a)
        a = self.a
        if self.approx == "tanh":
            th = self.th
            inner = _TANH_C * (1 + 3 * 0.044715 * a * a)
            return g * (0.5 * (1 + th) + 0.5 * a * (1 - th * th) * inner)
        pdf = _INV_SQRT_2PI * xp.exp(-0.5 * a * a)
        return g * (self.cdf + a * pdf)


class Silu(Op):
    saves = (0,)

    def forward(self, a):
        self.a = a
        self.s = _sigmoid(xp_of(a), a).astype(a.dtype, copy=False)
        return a * self.s

    def backward(self, g):
        s = self.s
        return g * (s * (1 + self.a * (1 - s)))


class Softplus(Op):
    saves = (0,)

    def forward(self, a, beta=1.0, threshold=20.0):
        xp = xp_of(a)
        self.a, self.beta, self.threshold = a, beta, threshold
        z = a * beta
        soft = (xp.maximum(z, 0) + xp.log1p(xp.exp(-abs(z)))) / beta
        return xp.where(z > threshold, a, soft)

    def backward(self, g):
        xp = xp_of(self.a)
        z = self.a * self.beta
        return xp.where(z > self.threshold, g, g * _sigmoid(xp, z))


def sigmoid(input: Tensor) -> Tensor:
    """Elementwise logistic function ``1 / (1 + e**-x)``, stable for large ``|x|``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.sigmoid(hw.zeros(1)).tolist()
    [0.5]
    """
    return Sigmoid.apply(float_input(input, "sigmoid"))


def relu(input: Tensor) -> Tensor:
    """``max(x, 0)``; the gradient at 0 is 0, as in PyTorch.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.relu(hw.as_tensor([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    """
    return Relu.apply(input)


def leaky_relu(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """``x`` where positive, ``negative_slope * x`` elsewhere.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.leaky_relu(hw.as_tensor([-1.0, 2.0]), 0.1).tolist()
    [-0.1, 2.0]
    """
    return LeakyRelu.apply(float_input(input, "leaky_relu"), slope=negative_slope)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """Gaussian error linear unit, ``x * Phi(x)``; ``approximate="tanh"`` for the
    tanh form.

    ``erf`` is a rational fit with fractional error below 1.2e-7 (exact in float32;
    in float64 it differs from PyTorch's by up to that much).

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.gelu(hw.as_tensor([1.0])).item(), 4)
    0.8413
    """
    if approximate not in ("none", "tanh"):
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return Gelu.apply(float_input(input, "gelu"), approximate=approximate)


def silu(input: Tensor) -> Tensor:
    """``x * sigmoid(x)`` (swish).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.silu(hw.zeros(1)).tolist()
    [0.0]
    """
    return Silu.apply(float_input(input, "silu"))


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """``log(1 + e**(beta x)) / beta``, linear where ``beta x > threshold``.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.softplus(hw.zeros(1)).item(), 4)
    0.6931
    """
    return Softplus.apply(float_input(input, "softplus"), beta=beta, threshold=threshold)
