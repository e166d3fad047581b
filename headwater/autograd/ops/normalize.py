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
from headwater.tensor.transfer import to_host

__all__ = ["normalize_over", "normalize_tracking"]


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


class NormalizeTracking(Normalize):
    """:class:`Normalize`, then the running statistics updated in place from the batch
    mean and variance (batch and instance norm in training): one op, so graph mode
    records and replays the update with the normalisation."""

    mutates = (1, 2, 3)

    def forward(self, x, running_mean, running_var, count=None, axes=(), eps=1e-5, momentum=0.1,
                per_sample=False):
        stats: list = []
        y = Normalize.forward(self, x, axes, eps, stats)
        mu, var = stats
        factor = momentum
        if count is not None:
            count += 1
            if momentum is None:  # a cumulative average
                factor = 1.0 / float(to_host(count))
        c = running_mean.shape[0]
        if per_sample:  # instance norm: the mean over samples of each sample's statistics
            k = x.size // (x.shape[0] * c)
            mu, var = mu.reshape(x.shape[0], c).mean(axis=0), var.reshape(x.shape[0], c).mean(axis=0)
        else:
            k = x.size // c
            mu, var = mu.reshape(c), var.reshape(c)
        running_mean *= 1 - factor
        running_mean += factor * mu
        running_var *= 1 - factor
        running_var += (factor * k / max(k - 1, 1)) * var  # the unbiased variance
        return y

    def backward(self, g):
        return Normalize.backward(self, g), None, None, None


def normalize_over(input: Tensor, axes: Sequence[int], eps: float) -> Tensor:
    """``input`` normalised over ``axes`` (biased variance).

    Examples
    --------
    >>> import headwater as hw
    >>> normalize_over(hw.as_tensor([[1.0, 3.0]]), (1,), 0.0).tolist()
    [[-1.0, 1.0]]
    """
    return Normalize.apply(input, axes=tuple(axes), eps=eps)


def normalize_tracking(input: Tensor, axes: Sequence[int], eps: float, running_mean: Tensor,
                       running_var: Tensor, momentum: float | None, count: Tensor | None = None,
                       per_sample: bool = False) -> Tensor:
    """``input`` normalised over ``axes``, updating ``running_mean`` and ``running_var`` in
    place with ``momentum`` (the unbiased variance, as PyTorch); ``count`` (the
    ``num_batches_tracked`` buffer), when given, is incremented, and ``momentum=None``
    then weighs the batch by ``1 / count`` (a cumulative average). ``per_sample``
    averages per-sample statistics over the batch (instance norm).

    Examples
    --------
    >>> import headwater as hw
    >>> mean, var = hw.zeros(1), hw.ones(1)
    >>> y = normalize_tracking(hw.as_tensor([[1.0], [3.0]]), (0,), 0.0, mean, var, 0.5)
    >>> y.flatten().tolist(), mean.tolist(), var.tolist()
    ([-1.0, 1.0], [1.0], [1.5])
    """
    if momentum is None and count is None:
        raise ValueError("normalize_tracking: momentum=None (a cumulative average) needs count, the "
                         "num_batches_tracked buffer; pass it or give a float momentum")
    return NormalizeTracking.apply(input, running_mean, running_var, count, axes=tuple(axes), eps=eps,
                                   momentum=momentum, per_sample=per_sample)
