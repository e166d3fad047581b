"""Convolution modules: Conv1d/2d/3d and ConvTranspose1d/2d/3d, Unfold and Fold.

Weights, biases, argument names and initialisation are PyTorch's (weight
``(out, in/groups, *kernel)``, or ``(in, out/groups, *kernel)`` for the transposed
layers; ``kaiming_uniform_(a=sqrt(5))``), so state dicts move between the two.
"""

from __future__ import annotations

import math
from typing import Any

from headwater.autograd.nn import init
from headwater.autograd.nn.module import Module
from headwater.autograd.nn.parameter import Parameter
from headwater.autograd.ops import conv as C
from headwater.autograd.ops.windows import ntuple
from headwater.tensor.creation import empty
from headwater.tensor.tensor import Tensor

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d",
           "Unfold", "Fold"]


class _ConvNd(Module):
    _nd = 2
    _transposed = False

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None,
                 output_padding: Any = 0) -> None:
        super().__init__()
        name, nd = type(self).__name__, self._nd
        if groups <= 0 or in_channels % groups or out_channels % groups:
            raise ValueError(f"{name}: in_channels ({in_channels}) and out_channels ({out_channels}) "
                             f"must be divisible by groups ({groups})")
        if padding_mode not in ("zeros", "reflect", "replicate", "circular"):
            raise ValueError(f"{name}: padding_mode must be 'zeros', 'reflect', 'replicate' or "
                             f"'circular', got {padding_mode!r}")
        if isinstance(padding, str) and padding not in ("same", "valid"):
            raise ValueError(f"{name}: padding must be an int, a tuple, 'same' or 'valid', got {padding!r}")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = ntuple(kernel_size, nd, "kernel_size", name)
        self.stride = ntuple(stride, nd, "stride", name)
        self.padding = padding if isinstance(padding, str) else ntuple(padding, nd, "padding", name)
        self.dilation = ntuple(dilation, nd, "dilation", name)
        self.output_padding = ntuple(output_padding, nd, "output_padding", name)
        self.groups, self.padding_mode, self.transposed = groups, padding_mode, self._transposed
        if padding == "same" and any(s != 1 for s in self.stride):
            raise ValueError(f"{name}: padding='same' is not supported for strided convolutions")
        shape = ((in_channels, out_channels // groups) if self._transposed
                 else (out_channels, in_channels // groups)) + self.kernel_size
        self.weight = Parameter(empty(*shape, device=device, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_channels, device=device, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """kaiming_uniform_(a=sqrt(5)) for the weight, U(-1/sqrt(fan_in), ...) for the bias."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.weight.shape[1] * math.prod(self.kernel_size)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def extra_repr(self) -> str:
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * self._nd:
            s += f", padding={self.padding!r}" if isinstance(self.padding, str) else f", padding={self.padding}"
        if self.dilation != (1,) * self._nd:
            s += f", dilation={self.dilation}"
        if self._transposed and self.output_padding != (0,) * self._nd:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s

    def forward(self, input: Tensor) -> Tensor:
        unbatched = input.ndim == self._nd + 1
        x = input.unsqueeze(0) if unbatched else input
        if self._transposed:
            y = C.conv_transposed(x, self.weight, self.bias, self.stride, self.padding, self.output_padding,
                                  self.groups, self.dilation, self._nd, type(self).__name__)
        else:
            y = C.convolution(x, self.weight, self.bias, self.stride, self.padding, self.dilation,
                              self.groups, self._nd, self.padding_mode, type(self).__name__)
        return y.squeeze(0) if unbatched else y


class Conv1d(_ConvNd):
    """1-d convolution over (N, C, L), as ``torch.nn.Conv1d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Conv1d(3, 8, 5, padding=2)(hw.randn(4, 3, 20)).shape
    (4, 8, 20)
    """

    _nd = 1


class Conv2d(_ConvNd):
    """2-d convolution over (N, C, H, W), as ``torch.nn.Conv2d``.

    Examples
    --------
    >>> import headwater as hw
    >>> conv = hw.nn.Conv2d(1, 6, 5)
    >>> conv
    Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))
    >>> conv(hw.randn(2, 1, 28, 28)).shape
    (2, 6, 24, 24)
    """

    _nd = 2


class Conv3d(_ConvNd):
    """3-d convolution over (N, C, D, H, W), as ``torch.nn.Conv3d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Conv3d(2, 4, 3, padding=1)(hw.randn(1, 2, 4, 4, 4)).shape
    (1, 4, 4, 4, 4)
    """

    _nd = 3


class _ConvTransposeNd(_ConvNd):
    _transposed = True

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, output_padding: Any = 0, groups: int = 1, bias: bool = True,
                 dilation: Any = 1, padding_mode: str = "zeros", device: Any = None,
                 dtype: Any = None) -> None:
        if padding_mode != "zeros":
            raise ValueError(f"{type(self).__name__}: only padding_mode='zeros' is supported, as in PyTorch")
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, device, dtype, output_padding)


class ConvTranspose1d(_ConvTransposeNd):
    """1-d transposed convolution, as ``torch.nn.ConvTranspose1d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.ConvTranspose1d(4, 2, 3, stride=2)(hw.randn(1, 4, 5)).shape
    (1, 2, 11)
    """

    _nd = 1


class ConvTranspose2d(_ConvTransposeNd):
    """2-d transposed convolution, as ``torch.nn.ConvTranspose2d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.ConvTranspose2d(8, 3, 4, stride=2, padding=1)(hw.randn(2, 8, 7, 7)).shape
    (2, 3, 14, 14)
    """

    _nd = 2


class ConvTranspose3d(_ConvTransposeNd):
    """3-d transposed convolution, as ``torch.nn.ConvTranspose3d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.ConvTranspose3d(2, 1, 2, stride=2)(hw.randn(1, 2, 2, 2, 2)).shape
    (1, 1, 4, 4, 4)
    """

    _nd = 3


class Unfold(Module):
    """Extract sliding local blocks, as ``torch.nn.Unfold``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Unfold(kernel_size=(2, 3))(hw.randn(2, 5, 3, 4)).shape
    (2, 30, 4)
    """

    def __init__(self, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> None:
        super().__init__()
        self.kernel_size, self.dilation, self.padding, self.stride = kernel_size, dilation, padding, stride

    def forward(self, input: Tensor) -> Tensor:
        return C.unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, "
                f"stride={self.stride}")


class Fold(Module):
    """Combine sliding local blocks into a tensor, as ``torch.nn.Fold``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Fold(output_size=(4, 5), kernel_size=(2, 2))(hw.randn(1, 12, 12)).shape
    (1, 3, 4, 5)
    """

    def __init__(self, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
                 stride: Any = 1) -> None:
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, input: Tensor) -> Tensor:
        return C.fold(input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"output_size={self.output_size}, kernel_size={self.kernel_size}, dilation={self.dilation}, "
                f"padding={self.padding}, stride={self.stride}")
