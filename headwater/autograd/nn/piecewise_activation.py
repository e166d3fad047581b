"""Piecewise activation layers: ELU SELU CELU ReLU6 Hardtanh Hardswish Hardsigmoid
Threshold Softshrink Hardshrink PReLU RReLU (thin wrappers over ``nn.functional``)."""

from __future__ import annotations

from typing import Any

from headwater.autograd.nn import functional as F
from headwater.autograd.nn import init as nn_init
from headwater.autograd.nn.module import Module
from headwater.autograd.nn.parameter import Parameter
from headwater.tensor.creation import full
from headwater.tensor.tensor import Tensor

__all__ = [
    "ELU", "SELU", "CELU", "ReLU6", "Hardtanh", "Hardswish", "Hardsigmoid", "Threshold",
    "Softshrink", "Hardshrink", "PReLU", "RReLU",
]


def _inplace(flag: bool) -> str:
    return ", inplace=True" if flag else ""


class ELU(Module):
    """``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.ELU(alpha=0.5)
    ELU(alpha=0.5)
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}{_inplace(self.inplace)}"


class CELU(ELU):
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.CELU()(hw.ones(1)).tolist()
    [1.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.celu(input, self.alpha, self.inplace)


class SELU(Module):
    """Scaled ELU with the self-normalising constants.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.SELU()(hw.zeros(1)).tolist()
    [0.0]
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.selu(input, self.inplace)

    def extra_repr(self) -> str:
        return _inplace(self.inplace)[2:]


class Hardswish(SELU):
    """``x * relu6(x + 3) / 6``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Hardswish()(hw.as_tensor([4.0])).tolist()
    [4.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.hardswish(input, self.inplace)


class Hardsigmoid(SELU):
    """``relu6(x + 3) / 6``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Hardsigmoid()(hw.zeros(1)).tolist()
    [0.5]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.hardsigmoid(input, self.inplace)


class Hardtanh(Module):
    """``input`` clipped to ``[min_val, max_val]``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Hardtanh(-2.0, 2.0)
    Hardtanh(min_val=-2.0, max_val=2.0)
    """

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        if min_val > max_val:
            raise ValueError(f"Hardtanh: min_val ({min_val}) must not exceed max_val ({max_val})")
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}{_inplace(self.inplace)}"


class ReLU6(Hardtanh):
    """``min(max(x, 0), 6)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.ReLU6()(hw.as_tensor([9.0])).tolist()
    [6.0]
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return _inplace(self.inplace)[2:]


class Threshold(Module):
    """``x`` where ``x > threshold``, else ``value``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Threshold(0.1, 20.0)(hw.as_tensor([0.0, 1.0])).tolist()
    [20.0, 1.0]
    """

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        return f"threshold={self.threshold}, value={self.value}{_inplace(self.inplace)}"


class Softshrink(Module):
    """``x -+ lambd`` outside ``[-lambd, lambd]``, 0 inside.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Softshrink()(hw.as_tensor([1.0])).tolist()
    [0.5]
    """

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def forward(self, input: Tensor) -> Tensor:
        return F.softshrink(input, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Hardshrink(Softshrink):
    """``x`` outside ``[-lambd, lambd]``, 0 inside.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Hardshrink()(hw.as_tensor([1.0, 0.1])).tolist()
    [1.0, 0.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        return F.hardshrink(input, self.lambd)


class PReLU(Module):
    """Leaky ReLU with a learned slope: one (``num_parameters=1``) or one per
    channel, each starting at ``init``. Its ``weight`` has shape
    ``(num_parameters,)``, as PyTorch's.

    Examples
    --------
    >>> import headwater as hw
    >>> m = hw.nn.PReLU(3)
    >>> m.weight.shape, m(hw.full((2, 3), -1.0))[0].tolist()
    ((3,), [-0.25, -0.25, -0.25])
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        self.num_parameters, self.init = num_parameters, init
        self.weight = Parameter(full((num_parameters,), init, device=device, dtype=dtype))

    def reset_parameters(self) -> None:
        """Set every slope back to ``init``."""
        nn_init.constant_(self.weight, self.init)

    def forward(self, input: Tensor) -> Tensor:
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class RReLU(Module):
    """Randomised leaky ReLU: slopes drawn from ``[lower, upper]`` while training,
    their mean in evaluation.

    Examples
    --------
    >>> import headwater as hw
    >>> m = hw.nn.RReLU().eval()
    >>> [round(v, 4) for v in m(hw.as_tensor([-1.0])).tolist()]
    [-0.2292]
    """

    def __init__(self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False) -> None:
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"lower={self.lower}, upper={self.upper}{_inplace(self.inplace)}"
