"""``Normal(loc, scale)``: the Gaussian, with reparameterised samples."""

from __future__ import annotations

import math
from typing import Any

from headwater.autograd import ops
from headwater.autograd.distributions.distribution import Distribution, broadcast_params
from headwater.tensor.random import normal_array
from headwater.tensor.tensor import Tensor

__all__ = ["Normal"]

_LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)


class Normal(Distribution):
    """The normal distribution with mean ``loc`` and standard deviation ``scale``.

    Examples
    --------
    >>> import headwater as hw
    >>> d = hw.distributions.Normal(hw.tensor([0.0, 1.0]), 2.0)
    >>> d.batch_shape, d.sample((3,)).shape
    ((2,), (3, 2))
    >>> round(d.log_prob(hw.tensor([0.0, 1.0]))[0].item(), 4)
    -1.6121
    """

    has_rsample = True
    arg_constraints = {"loc": "real", "scale": "positive"}

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        self.loc, self.scale = broadcast_params(loc, scale)
        super().__init__(self.loc.shape, (), validate_args)
        self._check(self.scale.detach() > 0, "scale must be positive")

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def stddev(self) -> Tensor:
        return self.scale

    @property
    def variance(self) -> Tensor:
        return self.scale ** 2

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        eps = Tensor(normal_array(shape, 0.0, 1.0, self.loc.dtype, self.loc.device))
        return self.loc + eps * self.scale

    def log_prob(self, value: Tensor) -> Tensor:
        value = self._value(value)
        z = (value - self.loc) / self.scale
        return -0.5 * z ** 2 - ops.log(self.scale) - _LOG_SQRT_2PI

    def cdf(self, value: Tensor) -> Tensor:
        """The probability of a value at most ``value``."""
        z = (self._value(value) - self.loc) / (self.scale * math.sqrt(2))
        return 0.5 * (1 + ops.erf(z))

    def icdf(self, value: Tensor) -> Tensor:
        """The value below which lies probability ``value``."""
        return self.loc + self.scale * ops.erfinv(2 * self._value(value) - 1) * math.sqrt(2)

    def entropy(self) -> Tensor:
        return 0.5 + _LOG_SQRT_2PI + ops.log(self.scale)
