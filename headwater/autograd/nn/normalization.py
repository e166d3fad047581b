"""Normalisation layers: LayerNorm, BatchNorm1d/2d/3d, InstanceNorm1d/2d/3d, GroupNorm,
LocalResponseNorm, as PyTorch's (same buffers and parameters)."""

from __future__ import annotations

from typing import Any

from headwater.autograd.nn import functional as F
from headwater.autograd.nn.module import Module
from headwater.autograd.nn.parameter import Parameter
from headwater.tensor.creation import ones, zeros
from headwater.tensor.tensor import Tensor

__all__ = ["LayerNorm", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "InstanceNorm1d", "InstanceNorm2d",
           "InstanceNorm3d", "GroupNorm", "LocalResponseNorm"]


def _channel_state(module: Module, num_features: int, eps: float, momentum: float | None, affine: bool,
                   track_running_stats: bool, device: Any, dtype: Any) -> None:
    """The per-channel weight/bias and running statistics of batch and instance norm,
    named as PyTorch's (None where switched off)."""
    module.num_features, module.eps, module.momentum = num_features, eps, momentum
    module.affine, module.track_running_stats = affine, track_running_stats
    if affine:
        module.weight = Parameter(ones(num_features, device=device, dtype=dtype))
        module.bias = Parameter(zeros(num_features, device=device, dtype=dtype))
    else:
        module.register_parameter("weight", None)
        module.register_parameter("bias", None)
    if track_running_stats:
        module.register_buffer("running_mean", zeros(num_features, device=device, dtype=dtype))
        module.register_buffer("running_var", ones(num_features, device=device, dtype=dtype))
        module.register_buffer("num_batches_tracked", zeros((), device=device, dtype="int64"))
    else:
        for name in ("running_mean", "running_var", "num_batches_tracked"):
            module.register_buffer(name, None)


class LayerNorm(Module):
    """Normalise over the trailing ``normalized_shape``; weight starts at 1, bias at 0.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.LayerNorm(4)
    LayerNorm((4,), eps=1e-05, elementwise_affine=True)
    """

    def __init__(self, normalized_shape: Any, eps: float = 1e-5, elementwise_affine: bool = True,
                 bias: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.normalized_shape, self.eps, self.elementwise_affine = shape, eps, elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(ones(shape, device=device, dtype=dtype))
            self.bias = Parameter(zeros(shape, device=device, dtype=dtype)) if bias else None
            if not bias:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor:
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class BatchNorm1d(Module):
    """Batch normalisation over (N, C) or (N, C, L), with running statistics for
    evaluation, updated with ``momentum`` (``momentum=None``: a cumulative average
    over all batches seen, which reads the batch count on the host each step).

    Examples
    --------
    >>> import headwater as hw
    >>> bn = hw.nn.BatchNorm1d(3)
    >>> bn(hw.randn(8, 3)).shape, [name for name, _ in bn.named_buffers()]
    ((8, 3), ['running_mean', 'running_var', 'num_batches_tracked'])
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        _channel_state(self, num_features, eps, momentum, affine, track_running_stats, device, dtype)

    _dims: tuple[int, ...] = (2, 3)
    _shapes = "(N, {c}) or (N, {c}, L)"

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim not in self._dims or input.shape[1] != self.num_features:
            raise ValueError(
                f"{type(self).__name__}({self.num_features}): expected input "
                f"{self._shapes.format(c=self.num_features)}, got {input.shape}"
            )
        use_batch = self.training or not self.track_running_stats
        counting = self.training and self.track_running_stats
        return F.batch_norm(
            input,
            self.running_mean if self.track_running_stats else None,
            self.running_var if self.track_running_stats else None,
            self.weight, self.bias, use_batch, self.momentum, self.eps,
            num_batches_tracked=self.num_batches_tracked if counting else None,
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"track_running_stats={self.track_running_stats}"
        )


class BatchNorm2d(BatchNorm1d):
    """Batch normalisation over (N, C, H, W), as ``torch.nn.BatchNorm2d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.BatchNorm2d(3)(hw.randn(4, 3, 5, 5)).shape
    (4, 3, 5, 5)
    """

    _dims = (4,)
    _shapes = "(N, {c}, H, W)"


class BatchNorm3d(BatchNorm1d):
    """Batch normalisation over (N, C, D, H, W), as ``torch.nn.BatchNorm3d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.BatchNorm3d(2)(hw.randn(2, 2, 3, 3, 3)).shape
    (2, 2, 3, 3, 3)
    """

    _dims = (5,)
    _shapes = "(N, {c}, D, H, W)"


class _InstanceNorm(Module):
    _nd = 1

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, affine: bool = False,
                 track_running_stats: bool = False, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        _channel_state(self, num_features, eps, momentum, affine, track_running_stats, device, dtype)

    def forward(self, input: Tensor) -> Tensor:
        unbatched = input.ndim == self._nd + 1
        x = input.unsqueeze(0) if unbatched else input
        if x.ndim != self._nd + 2:
            raise ValueError(f"{type(self).__name__}: expected a {self._nd + 1}-d or {self._nd + 2}-d input, "
                             f"got shape {input.shape}")
        if self.affine and x.shape[1] != self.num_features:
            raise ValueError(f"{type(self).__name__}({self.num_features}): input has {x.shape[1]} channels")
        use_stats = self.training or not self.track_running_stats
        y = F.instance_norm(x, self.running_mean, self.running_var, self.weight, self.bias, use_stats,
                            self.momentum, self.eps)
        return y.squeeze(0) if unbatched else y

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"track_running_stats={self.track_running_stats}")


class InstanceNorm1d(_InstanceNorm):
    """Instance normalisation over (N, C, L), as ``torch.nn.InstanceNorm1d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.InstanceNorm1d(3)(hw.randn(2, 3, 8)).shape
    (2, 3, 8)
    """

    _nd = 1


class InstanceNorm2d(_InstanceNorm):
    """Instance normalisation over (N, C, H, W), as ``torch.nn.InstanceNorm2d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.InstanceNorm2d(3, affine=True)(hw.randn(2, 3, 4, 4)).shape
    (2, 3, 4, 4)
    """

    _nd = 2


class InstanceNorm3d(_InstanceNorm):
    """Instance normalisation over (N, C, D, H, W), as ``torch.nn.InstanceNorm3d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.InstanceNorm3d(2)(hw.randn(1, 2, 3, 3, 3)).shape
    (1, 2, 3, 3, 3)
    """

    _nd = 3


class GroupNorm(Module):
    """Group normalisation, as ``torch.nn.GroupNorm``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.GroupNorm(2, 6)(hw.randn(4, 6, 5)).shape
    (4, 6, 5)
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(f"GroupNorm: num_channels ({num_channels}) must be divisible by num_groups ({num_groups})")
        self.num_groups, self.num_channels, self.eps, self.affine = num_groups, num_channels, eps, affine
        if affine:
            self.weight = Parameter(ones(num_channels, device=device, dtype=dtype))
            self.bias = Parameter(zeros(num_channels, device=device, dtype=dtype))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim < 2 or input.shape[1] != self.num_channels:
            raise ValueError(f"GroupNorm: expected input (N, {self.num_channels}, *), got {input.shape}")
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"


class LocalResponseNorm(Module):
    """Normalise across nearby channels, as ``torch.nn.LocalResponseNorm``:
    ``x / (k + alpha * mean of x**2 over `size` channels) ** beta``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.LocalResponseNorm(2)(hw.randn(2, 4, 3, 3)).shape
    (2, 4, 3, 3)
    """

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> None:
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim < 3:
            raise ValueError(f"LocalResponseNorm: expected 3 or more dimensions, got {input.shape}")
        n, c = input.shape[:2]
        sq = (input * input).reshape(n, 1, c, -1)
        sq = F.pad(sq, [0, 0, self.size // 2, (self.size - 1) // 2])
        div = F.avg_pool2d(sq, (self.size, 1), stride=1).reshape(input.shape)
        return input / (div * self.alpha + self.k) ** self.beta

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
