"""Activation layers (the smooth ones; piecewise ones are in
:mod:`headwater.autograd.nn.piecewise_activation`) and Dropout."""

from __future__ import annotations

from headwater.autograd.nn import functional as F
from headwater.autograd.nn.module import Module
from headwater.tensor.tensor import Tensor

__all__ = [
    "ReLU", "GELU", "Tanh", "Sigmoid", "SiLU", "LeakyReLU", "Softmax", "Dropout", "Softplus",
    "Mish", "LogSigmoid", "Softsign", "Tanhshrink", "GLU", "LogSoftmax", "Softmin", "Softmax2d",
]


def _inplace(flag: bool) -> str:
    return "inplace=True" if flag else ""


class ReLU(Module):
    """``max(x, 0)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.ReLU()(hw.as_tensor([-1.0, 1.0])).tolist()
    [0.0, 1.0]
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.relu(input, self.inplace)

    def extra_repr(self) -> str:
        return _inplace(self.inplace)


class GELU(Module):
    """Gaussian error linear unit (``approximate="tanh"`` for the tanh form).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.GELU()
    GELU(approximate='none')
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return F.gelu(input, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Tanh(Module):
    """Hyperbolic tangent.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Tanh()(hw.zeros(1)).tolist()
    [0.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.tanh(input)


class Sigmoid(Module):
    """Logistic function.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Sigmoid()(hw.zeros(1)).tolist()
    [0.5]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.sigmoid(input)


class SiLU(Module):
    """``x * sigmoid(x)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.SiLU()(hw.zeros(1)).tolist()
    [0.0]
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.silu(input, self.inplace)

    def extra_repr(self) -> str:
        return _inplace(self.inplace)


class LeakyReLU(Module):
    """``x`` where positive, ``negative_slope * x`` elsewhere.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.LeakyReLU(0.1)(hw.as_tensor([-1.0])).tolist()
    [-0.1]
    """

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class Softmax(Module):
    """Softmax along ``dim``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Softmax(dim=1)(hw.zeros(1, 2)).tolist()
    [[0.5, 0.5]]
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.softmax(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Dropout(Module):
    """Randomly zero elements with probability ``p`` while training.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Dropout(0.2)
    Dropout(p=0.2)
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout: p must be in [0, 1], got {p}")
        self.p, self.inplace = p, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}" + (", inplace=True" if self.inplace else "")


class Softplus(Module):
    """``log(1 + exp(beta x)) / beta``, linear where ``beta x > threshold``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Softplus(beta=2.0)
    Softplus(beta=2.0, threshold=20.0)
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Tensor) -> Tensor:
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Mish(Module):
    """``x * tanh(softplus(x))``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Mish()(hw.zeros(1)).tolist()
    [0.0]
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.mish(input, self.inplace)

    def extra_repr(self) -> str:
        return _inplace(self.inplace)


class LogSigmoid(Module):
    """``log(sigmoid(x))``.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.nn.LogSigmoid()(hw.zeros(1)).item(), 4)
    -0.6931
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.logsigmoid(input)


class Softsign(Module):
    """``x / (1 + |x|)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Softsign()(hw.ones(1)).tolist()
    [0.5]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.softsign(input)


class Tanhshrink(Module):
    """``x - tanh(x)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Tanhshrink()(hw.zeros(1)).tolist()
    [0.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.tanhshrink(input)


class GLU(Module):
    """Gated linear unit over ``dim``: ``a * sigmoid(b)`` of its two halves.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.GLU()(hw.ones(3, 4)).shape
    (3, 2)
    """

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return F.glu(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """Log-softmax along ``dim``.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.nn.LogSoftmax(dim=1)(hw.zeros(1, 2))[0, 0].item(), 4)
    -0.6931
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.log_softmax(input, self.dim)


class Softmin(Softmax):
    """``softmax(-x)`` along ``dim``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Softmin(dim=0)(hw.zeros(2)).tolist()
    [0.5, 0.5]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.softmin(input, self.dim)


class Softmax2d(Module):
    """Softmax over the channels of each position of a (N, C, H, W) or (C, H, W)
    input.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Softmax2d()(hw.zeros(1, 2, 3, 3))[0, :, 0, 0].tolist()
    [0.5, 0.5]
    """

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected a 3-D or 4-D input, got shape {input.shape}")
        return F.softmax(input, -3)
