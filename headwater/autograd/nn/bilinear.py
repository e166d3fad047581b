"""The Bilinear layer: ``y = x1 @ W[o] @ x2 + b[o]`` for each output feature."""

from __future__ import annotations

import math
from typing import Any

from headwater.autograd.nn import init
from headwater.autograd.nn.module import Module
from headwater.autograd.nn.parameter import Parameter
from headwater.autograd.ops.products import bilinear
from headwater.tensor.creation import empty
from headwater.tensor.tensor import Tensor

__all__ = ["Bilinear"]


class Bilinear(Module):
    """A bilinear map of two inputs with ``weight`` (out, in1, in2) and ``bias``
    (out,), both initialised U(-1/sqrt(in1), 1/sqrt(in1)) as PyTorch does.

    Examples
    --------
    >>> import headwater as hw
    >>> m = hw.nn.Bilinear(3, 4, 2)
    >>> m
    Bilinear(in1_features=3, in2_features=4, out_features=2, bias=True)
    >>> m(hw.ones(5, 3), hw.ones(5, 4)).shape, m.weight.shape
    ((5, 2), (2, 3, 4))
    """

    def __init__(self, in1_features: int, in2_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.in1_features, self.in2_features, self.out_features = in1_features, in2_features, out_features
        self.weight = Parameter(empty(out_features, in1_features, in2_features, device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_features, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw fresh weights and bias from U(-1/sqrt(in1), 1/sqrt(in1))."""
        bound = 1 / math.sqrt(self.in1_features) if self.in1_features else 0
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        return bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")
