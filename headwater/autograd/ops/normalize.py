"""One fused op for the normalisation layers: ``(x - mean) / sqrt(var + eps)`` over
some axes, with the closed-form backward.

Batch, instance and group normalisation differ only in the axes they reduce (and a
reshape for groups), so they share this op; the affine ``weight``/``bias`` is applied
after it. Backward: ``dx = rstd * (g - mean(g) - y * mean(g * y))`` over the same axes.
"""

from __future__ import annotations

from collections.abc import Sequence

from headwater.autograd.function import Op, xp_of
from headwater.tensor.tensor import Tensor

__all__ = ["normalize_over"]


class Normalize(Op):
    def forward(self, x, axes=(), eps=1e-5, stats=None):
        xp = xp_of(x)
        mu = x.mean(axis=axes, keepdims=True)
        centred = x - mu
        var = (centred * centred).mean(axis=axes, keepdims=True)
        rstd = 1.0 / xp.sqrt(var + eps)
        y = centred * rstd
        self.y, self.rstd, self.axes = y, rstd, axes
        if stats is not None:
            stats.extend((mu, var))
        return y

    def backward(self, g):
        y, rstd, axes = self.y, self.rstd, self.axes
        return rstd * (g - g.mean(axis=axes, keepdims=True) - y * (g * y).mean(axis=axes, keepdims=True))


def normalize_over(input: Tensor, axes: Sequence[int], eps: float) -> tuple[Tensor, object, object]:
    """``input`` normalised over ``axes``; also the batch mean and (biased) variance
    arrays (keepdims) for running statistics."""
    stats: list = []
    out = Normalize.apply(input, axes=tuple(axes), eps=eps, stats=stats)
    return out, stats[0], stats[1]
