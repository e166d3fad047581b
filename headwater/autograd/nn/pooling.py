"""Pooling modules, as PyTorch's: MaxPool, AvgPool, adaptive and Lp pooling, MaxUnpool.

Each module stores its arguments and calls the functional form in
:mod:`headwater.autograd.ops.pooling`.
"""

from __future__ import annotations

from typing import Any

from headwater.autograd.nn.module import Module
from headwater.autograd.ops import pooling as P
from headwater.tensor.tensor import Tensor

__all__ = [
    "MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d",
    "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d",
    "AdaptiveMaxPool2d", "LPPool1d", "LPPool2d", "MaxUnpool1d", "MaxUnpool2d",
]


class _MaxPoolNd(Module):
    _fn: Any = None

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                 return_indices: bool = False, ceil_mode: bool = False) -> None:
        super().__init__()
        self.kernel_size, self.stride = kernel_size, kernel_size if stride is None else stride
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def forward(self, input: Tensor) -> Any:
        return type(self)._fn(input, self.kernel_size, self.stride, self.padding, self.dilation,
                              self.ceil_mode, self.return_indices)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(_MaxPoolNd):
    """1-d max pooling, as ``torch.nn.MaxPool1d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.MaxPool1d(2)(hw.randn(1, 3, 8)).shape
    (1, 3, 4)
    """

    _fn = staticmethod(P.max_pool1d)


class MaxPool2d(_MaxPoolNd):
    """2-d max pooling, as ``torch.nn.MaxPool2d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.MaxPool2d(2)(hw.randn(1, 3, 8, 8)).shape
    (1, 3, 4, 4)
    """

    _fn = staticmethod(P.max_pool2d)


class MaxPool3d(_MaxPoolNd):
    """3-d max pooling, as ``torch.nn.MaxPool3d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.MaxPool3d(2)(hw.randn(1, 1, 4, 4, 4)).shape
    (1, 1, 2, 2, 2)
    """

    _fn = staticmethod(P.max_pool3d)


class AvgPool1d(Module):
    """1-d average pooling, as ``torch.nn.AvgPool1d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.AvgPool1d(2)(hw.randn(1, 3, 8)).shape
    (1, 3, 4)
    """

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, kernel_size if stride is None else stride, padding
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, input: Tensor) -> Tensor:
        return P.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AvgPoolNd(Module):
    _fn: Any = None

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True, divisor_override: int | None = None) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, kernel_size if stride is None else stride, padding
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input: Tensor) -> Tensor:
        return type(self)._fn(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                              self.count_include_pad, self.divisor_override)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(_AvgPoolNd):
    """2-d average pooling, as ``torch.nn.AvgPool2d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.AvgPool2d(2, stride=1)(hw.randn(1, 3, 4, 4)).shape
    (1, 3, 3, 3)
    """

    _fn = staticmethod(P.avg_pool2d)


class AvgPool3d(_AvgPoolNd):
    """3-d average pooling, as ``torch.nn.AvgPool3d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.AvgPool3d(2)(hw.randn(1, 1, 4, 4, 4)).shape
    (1, 1, 2, 2, 2)
    """

    _fn = staticmethod(P.avg_pool3d)


class _AdaptiveNd(Module):
    _fn: Any = None

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Tensor) -> Tensor:
        return type(self)._fn(input, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptiveNd):
    """Average pooling to a fixed length, as ``torch.nn.AdaptiveAvgPool1d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.AdaptiveAvgPool1d(3)(hw.randn(2, 4, 10)).shape
    (2, 4, 3)
    """

    _fn = staticmethod(P.adaptive_avg_pool1d)


class AdaptiveAvgPool2d(_AdaptiveNd):
    """Average pooling to a fixed (H, W), as ``torch.nn.AdaptiveAvgPool2d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.AdaptiveAvgPool2d((1, 1))(hw.randn(2, 4, 7, 7)).shape
    (2, 4, 1, 1)
    """

    _fn = staticmethod(P.adaptive_avg_pool2d)


class AdaptiveAvgPool3d(_AdaptiveNd):
    """Average pooling to a fixed (D, H, W), as ``torch.nn.AdaptiveAvgPool3d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.AdaptiveAvgPool3d(1)(hw.randn(1, 2, 3, 3, 3)).shape
    (1, 2, 1, 1, 1)
    """

    _fn = staticmethod(P.adaptive_avg_pool3d)


class _AdaptiveMaxNd(Module):
    _fn: Any = None

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size, self.return_indices = output_size, return_indices

    def forward(self, input: Tensor) -> Any:
        return type(self)._fn(input, self.output_size, self.return_indices)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveMaxPool1d(_AdaptiveMaxNd):
    """Max pooling to a fixed length, as ``torch.nn.AdaptiveMaxPool1d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.AdaptiveMaxPool1d(2)(hw.randn(1, 3, 8)).shape
    (1, 3, 2)
    """

    _fn = staticmethod(P.adaptive_max_pool1d)


class AdaptiveMaxPool2d(_AdaptiveMaxNd):
    """Max pooling to a fixed (H, W), as ``torch.nn.AdaptiveMaxPool2d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.AdaptiveMaxPool2d(2)(hw.randn(1, 3, 8, 8)).shape
    (1, 3, 2, 2)
    """

    _fn = staticmethod(P.adaptive_max_pool2d)


class _LPPoolNd(Module):
    _fn: Any = None

    def __init__(self, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False) -> None:
        super().__init__()
        self.norm_type, self.kernel_size, self.stride, self.ceil_mode = norm_type, kernel_size, stride, ceil_mode

    def forward(self, input: Tensor) -> Tensor:
        return type(self)._fn(input, self.norm_type, self.kernel_size, self.stride, self.ceil_mode)

    def extra_repr(self) -> str:
        return f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, stride={self.stride}"


class LPPool1d(_LPPoolNd):
    """Power-average pooling, as ``torch.nn.LPPool1d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.LPPool1d(2, 2)(hw.randn(1, 3, 8)).shape
    (1, 3, 4)
    """

    _fn = staticmethod(P.lp_pool1d)


class LPPool2d(_LPPoolNd):
    """Power-average pooling, as ``torch.nn.LPPool2d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.LPPool2d(2, 2)(hw.randn(1, 3, 8, 8)).shape
    (1, 3, 4, 4)
    """

    _fn = staticmethod(P.lp_pool2d)


class _MaxUnpoolNd(Module):
    _fn: Any = None

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, kernel_size if stride is None else stride, padding

    def forward(self, input: Tensor, indices: Tensor, output_size: Any = None) -> Tensor:
        return type(self)._fn(input, indices, self.kernel_size, self.stride, self.padding, output_size)


class MaxUnpool1d(_MaxUnpoolNd):
    """The partial inverse of MaxPool1d, as ``torch.nn.MaxUnpool1d``.

    Examples
    --------
    >>> import headwater as hw
    >>> y, i = hw.nn.MaxPool1d(2, return_indices=True)(hw.randn(1, 1, 6))
    >>> hw.nn.MaxUnpool1d(2)(y, i).shape
    (1, 1, 6)
    """

    _fn = staticmethod(P.max_unpool1d)


class MaxUnpool2d(_MaxUnpoolNd):
    """The partial inverse of MaxPool2d, as ``torch.nn.MaxUnpool2d``.

    Examples
    --------
    >>> import headwater as hw
    >>> y, i = hw.nn.MaxPool2d(2, return_indices=True)(hw.randn(1, 1, 4, 4))
    >>> hw.nn.MaxUnpool2d(2)(y, i).shape
    (1, 1, 4, 4)
    """

    _fn = staticmethod(P.max_unpool2d)
