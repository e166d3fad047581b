"""``Uniform(low, high)``: constant density on ``[low, high)``."""

from __future__ import annotations

from typing import Any

from headwater.autograd import ops
from headwater.autograd.distributions.distribution import Distribution, broadcast_params
from headwater.tensor.random import uniform_array
from headwater.tensor.tensor import Tensor

__all__ = ["Uniform"]


class Uniform(Distribution):
    """The uniform distribution on ``[low, high)``.

    Examples
    --------
    >>> import headwater as hw
    >>> d = hw.distributions.Uniform(0.0, hw.tensor([2.0, 4.0]))
    >>> d.mean.tolist(), d.entropy().exp().tolist()
    ([1.0, 2.0], [2.0, 4.0])
    """

    has_rsample = True
    arg_constraints = {"low": "real", "high": "real"}

    def __init__(self, low: Any, high: Any, validate_args: bool | None = None) -> None:
        self.low, self.high = broadcast_params(low, high)
        super().__init__(self.low.shape, (), validate_args)
        self._check(self.low.detach() < self.high.detach(), "low must be less than high")

    @property
    def mean(self) -> Tensor:
        return (self.low + self.high) / 2

    @property
    def stddev(self) -> Tensor:
        return (self.high - self.low) / 12 ** 0.5

    @property
    def variance(self) -> Tensor:
        return (self.high - self.low) ** 2 / 12

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        u = Tensor(uniform_array(shape, 0.0, 1.0, self.low.dtype, self.low.device))
        return self.low + u * (self.high - self.low)

    def log_prob(self, value: Tensor) -> Tensor:
        value = self._value(value)
        inside = (value >= self.low.detach()) & (value < self.high.detach())
        self._check(inside, "the value lies outside [low, high)")
        # outside the support the density is 0 (log -inf), as without validation in torch
        return ops.where(inside, -ops.log(self.high - self.low), float("-inf"))

    def cdf(self, value: Tensor) -> Tensor:
        """The probability of a value at most ``value`` (clamped to [0, 1])."""
        return ops.clamp((self._value(value) - self.low) / (self.high - self.low), 0.0, 1.0)

    def icdf(self, value: Tensor) -> Tensor:
        """The value below which lies probability ``value``."""
        return self.low + self._value(value) * (self.high - self.low)

    def entropy(self) -> Tensor:
        return ops.log(self.high - self.low)
