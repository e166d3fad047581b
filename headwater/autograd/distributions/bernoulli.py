"""``Bernoulli(probs=... | logits=...)``: one coin flip per batch element."""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.autograd import grad_mode, ops
from headwater.autograd.distributions.distribution import Distribution, broadcast_params, broadcast_shape
from headwater.autograd.nn import functional as F
from headwater.tensor import random
from headwater.tensor.tensor import Tensor

__all__ = ["Bernoulli", "probs_and_logits"]


def probs_and_logits(probs: Any, logits: Any, name: str) -> tuple[Any, Any]:
    if (probs is None) == (logits is None):
        raise ValueError(f"{name}: pass exactly one of probs= or logits=")
    return probs, logits


class Bernoulli(Distribution):
    """Ones with probability ``probs`` (or ``sigmoid(logits)``), zeros otherwise.

    Examples
    --------
    >>> import headwater as hw
    >>> d = hw.distributions.Bernoulli(probs=hw.tensor([0.25, 0.5]))
    >>> d.mean.tolist(), d.variance.tolist()
    ([0.25, 0.5], [0.1875, 0.25])
    >>> round(d.log_prob(hw.tensor([1.0, 0.0]))[0].item(), 4)
    -1.3863
    """

    arg_constraints = {"probs": "unit_interval", "logits": "real"}

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: bool | None = None) -> None:
        probs, logits = probs_and_logits(probs, logits, "Bernoulli")
        if probs is not None:
            (self.probs,) = broadcast_params(probs)
            super().__init__(self.probs.shape, (), validate_args)
            p = self.probs.detach()
            self._check((p >= 0) & (p <= 1), "probs must lie in [0, 1]")
            self._logits: Tensor | None = None
        else:
            (self._logits,) = broadcast_params(logits)
            super().__init__(self._logits.shape, (), validate_args)
            self.probs = ops.sigmoid(self._logits)

    @property
    def logits(self) -> Tensor:
        """``log(p / (1 - p))``, clamped away from the infinities at 0 and 1."""
        if self._logits is not None:
            return self._logits
        eps = float(np.finfo(self.probs.dtype).eps)
        return ops.logit(ops.clamp(self.probs, eps, 1 - eps))

    @property
    def mean(self) -> Tensor:
        return self.probs

    @property
    def mode(self) -> Tensor:
        return (self.probs.detach() > 0.5).to(self.probs.dtype)

    @property
    def variance(self) -> Tensor:
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        with grad_mode.no_grad():
            p = self.probs.detach()
            return random.bernoulli(ops.expand(p, shape) if p.shape != shape else p)

    def log_prob(self, value: Tensor) -> Tensor:
        value = self._value(value)
        v = value.detach()
        self._check((v == 0) | (v == 1), "values must be 0 or 1")
        logits = self.logits
        if value.shape != logits.shape:
            shape = broadcast_shape(tuple(v.shape), tuple(logits.shape))
            logits, value = ops.broadcast_to(logits, shape), ops.broadcast_to(value, shape)
        return -F.binary_cross_entropy_with_logits(logits, value.to(logits.dtype), reduction="none")

    def entropy(self) -> Tensor:
        return F.binary_cross_entropy_with_logits(self.logits, self.probs, reduction="none")

