"""``Categorical(probs=... | logits=...)``: one of ``K`` categories per batch element."""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.autograd import grad_mode, ops
from headwater.autograd.distributions.bernoulli import probs_and_logits
from headwater.autograd.distributions.distribution import Distribution, broadcast_params, broadcast_shape
from headwater.tensor import random
from headwater.tensor.creation import arange, full_like
from headwater.tensor.tensor import Tensor

__all__ = ["Categorical"]


class Categorical(Distribution):
    """Category indices drawn with weights ``probs`` (normalised along the last
    dimension) or ``softmax(logits)``; the batch shape is all but the last dimension.

    Examples
    --------
    >>> import headwater as hw
    >>> d = hw.distributions.Categorical(probs=hw.tensor([1.0, 1.0, 2.0]))
    >>> d.probs.tolist(), round(d.log_prob(hw.tensor(2)).item(), 4)
    ([0.25, 0.25, 0.5], -0.6931)
    >>> d.sample((4,)).shape
    (4,)
    """

    arg_constraints = {"probs": "simplex", "logits": "real_vector"}

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: bool | None = None) -> None:
        probs, logits = probs_and_logits(probs, logits, "Categorical")
        given = probs if probs is not None else logits
        if not isinstance(given, Tensor) or given.ndim < 1:
            raise ValueError("Categorical: probs/logits must be a Tensor with at least one dimension")
        super().__init__(given.shape[:-1], (), validate_args)
        if probs is not None:
            (p,) = broadcast_params(probs)
            self._check((p.detach() >= 0).all() & (p.detach().sum(-1) > 0).all(),
                        "probs must be non-negative with a positive sum")
            self.probs = p / p.sum(-1, keepdim=True)
            eps = float(np.finfo(self.probs.dtype).tiny)
            self.logits = ops.log(ops.clamp(self.probs, eps, None))
        else:
            (lg,) = broadcast_params(logits)
            self.logits = lg - ops.logsumexp(lg, -1, keepdim=True)
            self.probs = ops.softmax(self.logits, -1)
        self._num_events = given.shape[-1]

    @property
    def param_shape(self) -> tuple:
        """The shape of ``probs`` and ``logits``."""
        return tuple(self.probs.shape)

    @property
    def mean(self) -> Tensor:
        """Undefined for categories: NaN, as in torch."""
        return full_like(self.probs[..., 0].detach(), float("nan"))

    @property
    def variance(self) -> Tensor:
        """Undefined for categories: NaN, as in torch."""
        return self.mean

    @property
    def mode(self) -> Tensor:
        return ops.argmax(self.probs.detach(), -1)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        if isinstance(sample_shape, int):
            sample_shape = (sample_shape,)
        n = 1
        for s in sample_shape:
            n *= int(s)
        with grad_mode.no_grad():
            rows = self.probs.detach().reshape(-1, self._num_events)
            draws = random.multinomial(rows, n, replacement=True) if n else rows[:, :0].to("int64")
            out = draws.T.reshape(tuple(sample_shape) + tuple(self.batch_shape))
        return out

    def log_prob(self, value: Tensor) -> Tensor:
        value = self._value(value)
        v = value.detach()
        if v.dtype.kind not in "iu":
            v = v.long()
            self._check(v == value.detach(), "values must be whole category indices")
        self._check((v >= 0) & (v < self._num_events), f"values must lie in [0, {self._num_events})")
        shape = broadcast_shape(tuple(v.shape), tuple(self.batch_shape))
        logits = ops.broadcast_to(self.logits, shape + (self._num_events,))
        index = ops.broadcast_to(v, shape).unsqueeze(-1)
        return ops.gather(logits, -1, index).squeeze(-1)

    def entropy(self) -> Tensor:
        eps = float(np.finfo(self.logits.dtype).min)
        logits = ops.clamp(self.logits, eps, None)
        return -(logits * self.probs).sum(-1)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """Every category index, shaped ``(K,) + batch_shape`` (or ``(K, 1, ...)``)."""
        values = arange(self._num_events, device=self.probs.device).reshape(
            (-1,) + (1,) * len(self.batch_shape))
        return ops.expand(values, (self._num_events,) + tuple(self.batch_shape)) if expand else values

