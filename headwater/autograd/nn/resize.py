"""Padding, upsampling and pixel-shuffle modules, as PyTorch's: ZeroPad, ConstantPad,
ReflectionPad, ReplicationPad, CircularPad (1d/2d/3d), Upsample and PixelShuffle."""

from __future__ import annotations

from typing import Any

from headwater.autograd.nn.module import Module
from headwater.autograd.ops import join
from headwater.autograd.ops import resample as R
from headwater.tensor.tensor import Tensor

__all__ = [
    "ZeroPad1d", "ZeroPad2d", "ZeroPad3d", "ConstantPad1d", "ConstantPad2d", "ConstantPad3d",
    "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d", "ReplicationPad1d", "ReplicationPad2d",
    "ReplicationPad3d", "CircularPad1d", "CircularPad2d", "CircularPad3d", "Upsample",
    "UpsamplingNearest2d", "UpsamplingBilinear2d", "PixelShuffle", "PixelUnshuffle",
]


class _PadNd(Module):
    _nd = 2
    _mode = "constant"

    def __init__(self, padding: Any, value: float = 0.0) -> None:
        super().__init__()
        n = 2 * self._nd
        self.padding = (padding,) * n if isinstance(padding, int) else tuple(padding)
        if len(self.padding) != n:
            raise ValueError(f"{type(self).__name__}: padding must be an int or {n} ints, got {padding!r}")
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        if self._mode == "constant":
            return join.pad(input, self.padding, value=self.value)
        return join.pad(input, self.padding, mode=self._mode)

    def extra_repr(self) -> str:
        return f"{self.padding}" + (f", value={self.value}" if self._mode == "constant" and self.value else "")


class ZeroPad1d(_PadNd):
    """Pad the last 1 dimension(s) with zeros, as ``torch.nn.ZeroPad1d``."""

    _nd, _mode = 1, "constant"


class ConstantPad1d(_PadNd):
    """Pad the last 1 dimension(s) with a value, as ``torch.nn.ConstantPad1d``."""

    _nd, _mode = 1, "constant"


class ReflectionPad1d(_PadNd):
    """Pad the last 1 dimension(s) by reflection, as ``torch.nn.ReflectionPad1d``."""

    _nd, _mode = 1, "reflect"


class ReplicationPad1d(_PadNd):
    """Pad the last 1 dimension(s) by repeating the edge, as ``torch.nn.ReplicationPad1d``."""

    _nd, _mode = 1, "replicate"


class CircularPad1d(_PadNd):
    """Pad the last 1 dimension(s) circularly, as ``torch.nn.CircularPad1d``."""

    _nd, _mode = 1, "circular"


class ZeroPad2d(_PadNd):
    """Pad the last 2 dimension(s) with zeros, as ``torch.nn.ZeroPad2d``."""

    _nd, _mode = 2, "constant"


class ConstantPad2d(_PadNd):
    """Pad the last 2 dimension(s) with a value, as ``torch.nn.ConstantPad2d``."""

    _nd, _mode = 2, "constant"


class ReflectionPad2d(_PadNd):
    """Pad the last 2 dimension(s) by reflection, as ``torch.nn.ReflectionPad2d``."""

    _nd, _mode = 2, "reflect"


class ReplicationPad2d(_PadNd):
    """Pad the last 2 dimension(s) by repeating the edge, as ``torch.nn.ReplicationPad2d``."""

    _nd, _mode = 2, "replicate"


class CircularPad2d(_PadNd):
    """Pad the last 2 dimension(s) circularly, as ``torch.nn.CircularPad2d``."""

    _nd, _mode = 2, "circular"


class ZeroPad3d(_PadNd):
    """Pad the last 3 dimension(s) with zeros, as ``torch.nn.ZeroPad3d``."""

    _nd, _mode = 3, "constant"


class ConstantPad3d(_PadNd):
    """Pad the last 3 dimension(s) with a value, as ``torch.nn.ConstantPad3d``."""

    _nd, _mode = 3, "constant"


class ReflectionPad3d(_PadNd):
    """Pad the last 3 dimension(s) by reflection, as ``torch.nn.ReflectionPad3d``."""

    _nd, _mode = 3, "reflect"


class ReplicationPad3d(_PadNd):
    """Pad the last 3 dimension(s) by repeating the edge, as ``torch.nn.ReplicationPad3d``."""

    _nd, _mode = 3, "replicate"


class CircularPad3d(_PadNd):
    """Pad the last 3 dimension(s) circularly, as ``torch.nn.CircularPad3d``."""

    _nd, _mode = 3, "circular"


class Upsample(Module):
    """Upsample (N, C, *spatial) by ``size`` or ``scale_factor``, as ``torch.nn.Upsample``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Upsample(scale_factor=2, mode="bilinear")(hw.randn(1, 3, 4, 4)).shape
    (1, 3, 8, 8)
    """

    def __init__(self, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                 align_corners: bool | None = None, recompute_scale_factor: bool | None = None) -> None:
        super().__init__()
        self.size, self.scale_factor, self.mode = size, scale_factor, mode
        self.align_corners, self.recompute_scale_factor = align_corners, recompute_scale_factor

    def forward(self, input: Tensor) -> Tensor:
        return R.interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                             self.recompute_scale_factor)

    def extra_repr(self) -> str:
        what = f"size={self.size}" if self.size is not None else f"scale_factor={float(self.scale_factor)}"
        return f"{what}, mode='{self.mode}'"


class UpsamplingNearest2d(Upsample):
    """Nearest-neighbour 2-d upsampling, as ``torch.nn.UpsamplingNearest2d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.UpsamplingNearest2d(scale_factor=2)(hw.randn(1, 1, 2, 2)).shape
    (1, 1, 4, 4)
    """

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """Bilinear 2-d upsampling with ``align_corners=True``, as ``torch.nn.UpsamplingBilinear2d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.UpsamplingBilinear2d(scale_factor=2)(hw.randn(1, 1, 2, 2)).shape
    (1, 1, 4, 4)
    """

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)


class PixelShuffle(Module):
    """Rearrange channels into space, as ``torch.nn.PixelShuffle``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.PixelShuffle(3)(hw.randn(1, 9, 4, 4)).shape
    (1, 1, 12, 12)
    """

    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return R.pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """Rearrange space into channels, as ``torch.nn.PixelUnshuffle``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.PixelUnshuffle(2)(hw.randn(1, 1, 4, 4)).shape
    (1, 4, 2, 2)
    """

    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return R.pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self) -> str:
        return f"downscale_factor={self.downscale_factor}"
