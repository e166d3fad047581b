"""Normalisation layers: LayerNorm and BatchNorm1d."""

from __future__ import annotations

from typing import Any

from headwater.autograd.nn import functional as F
from headwater.autograd.nn.module import Module
from headwater.autograd.nn.parameter import Parameter
from headwater.tensor.creation import ones, zeros
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["LayerNorm", "BatchNorm1d"]


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
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        if affine:
            self.weight = Parameter(ones(num_features, device=device, dtype=dtype))
            self.bias = Parameter(zeros(num_features, device=device, dtype=dtype))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", zeros(num_features, device=device, dtype=dtype))
            self.register_buffer("running_var", ones(num_features, device=device, dtype=dtype))
            self.register_buffer("num_batches_tracked", zeros((), device=device, dtype="int64"))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim not in (2, 3) or input.shape[1] != self.num_features:
            raise ValueError(
                f"BatchNorm1d({self.num_features}): expected input (N, {self.num_features}) or "
                f"(N, {self.num_features}, L), got {input.shape}"
            )
        use_batch = self.training or not self.track_running_stats
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.array += 1
            if self.momentum is None:
                factor = 1.0 / float(to_host(self.num_batches_tracked.array))
        return F.batch_norm(
            input,
            self.running_mean if self.track_running_stats else None,
            self.running_var if self.track_running_stats else None,
            self.weight, self.bias, use_batch, factor, self.eps,
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"track_running_stats={self.track_running_stats}"
        )
