"""Activation layers and Dropout."""

from __future__ import annotations

from headwater.autograd.nn import functional as F
from headwater.autograd.nn.module import Module
from headwater.tensor.tensor import Tensor

__all__ = ["ReLU", "GELU", "Tanh", "Sigmoid", "SiLU", "LeakyReLU", "Softmax", "Dropout"]


class ReLU(Module):
    """``max(x, 0)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.ReLU()(hw.as_tensor([-1.0, 1.0])).tolist()
    [0.0, 1.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.relu(input)


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

    def forward(self, input: Tensor) -> Tensor:
        return F.silu(input)


class LeakyReLU(Module):
    """``x`` where positive, ``negative_slope * x`` elsewhere.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.LeakyReLU(0.1)(hw.as_tensor([-1.0])).tolist()
    [-0.1]
    """

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


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

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout: p must be in [0, 1], got {p}")
        self.p = p

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout(input, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}"
