"""Channel and alpha dropout: ``dropout1d/2d/3d``, ``alpha_dropout``,
``feature_alpha_dropout`` and their modules, as PyTorch's.

Channel dropout zeroes whole channels (one draw per (sample, channel)), which is what
convolutional feature maps need; alpha dropout keeps the mean and variance of SELU
activations by setting dropped units to SELU's negative saturation and rescaling.
Masks are drawn on the device from the global generator.
"""

from __future__ import annotations

import math

from headwater.autograd.function import wrap
from headwater.autograd.nn.module import Module
from headwater.autograd.ops.arithmetic import add, mul
from headwater.autograd.ops.dropout_mask import dropout_mask
from headwater.tensor.random import uniform_array
from headwater.tensor.tensor import Tensor

__all__ = ["dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout",
           "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"]

_SELU_ALPHA_PRIME = -1.0507009873554804934193349852946 * 1.6732632423543772848170429916717


def _check_p(p: float, op: str) -> None:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{op}: dropout probability has to be between 0 and 1, but got {p}")


def _keep_mask(input: Tensor, shape: tuple, p: float):
    return uniform_array(shape, 0.0, 1.0, input.dtype, input.device) >= p


def _channel_dropout(input: Tensor, p: float, training: bool, nd: int, op: str) -> Tensor:
    _check_p(p, op)
    if input.ndim not in (nd + 1, nd + 2):
        raise ValueError(f"{op}: expected a {nd + 1}-d or {nd + 2}-d input, got shape {input.shape}")
    if not training or p == 0.0:
        return input
    lead = input.shape[:-nd]
    if p == 1.0:
        return mul(input, 0.0)
    return dropout_mask(input, p, (*lead, *(1,) * nd))


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, L) with probability ``p``; scale the rest by 1/(1-p).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.dropout1d(hw.ones(2, 3, 4), 0.5, training=False).shape
    (2, 3, 4)
    """
    return _channel_dropout(input, p, training, 1, "dropout1d")


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, H, W) with probability ``p``.

    Examples
    --------
    >>> import headwater as hw
    >>> y = hw.nn.functional.dropout2d(hw.ones(8, 16, 2, 2), 0.5)
    >>> sorted(set(y.flatten().tolist()))
    [0.0, 2.0]
    """
    return _channel_dropout(input, p, training, 2, "dropout2d")


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero whole channels of (N, C, D, H, W) with probability ``p``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.dropout3d(hw.ones(1, 2, 2, 2, 2), 0.5, training=False).sum().item()
    16.0
    """
    return _channel_dropout(input, p, training, 3, "dropout3d")


def _alpha(input: Tensor, p: float, training: bool, shape: tuple, op: str) -> Tensor:
    _check_p(p, op)
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return mul(input, 0.0)
    keep = _keep_mask(input, shape, p).astype(input.dtype)
    a = 1.0 / math.sqrt((_SELU_ALPHA_PRIME ** 2 * p + 1) * (1 - p))
    b = -a * _SELU_ALPHA_PRIME * p
    # a * (x * keep + alpha' * (1 - keep)) + b
    return add(mul(input, wrap(keep * a)), wrap((1.0 - keep) * (a * _SELU_ALPHA_PRIME) + b))


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """Dropout that keeps SELU's self-normalising mean and variance.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.alpha_dropout(hw.ones(3), 0.2).tolist()
    [1.0, 1.0, 1.0]
    """
    return _alpha(input, p, training, input.shape, "alpha_dropout")


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """Alpha dropout of whole channels of (N, C, *).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.functional.feature_alpha_dropout(hw.ones(2, 3, 4), 0.2).shape
    (2, 3, 4)
    """
    return _alpha(input, p, training, (*input.shape[:2], *(1,) * (input.ndim - 2)), "feature_alpha_dropout")


class _DropoutNd(Module):
    _fn = staticmethod(dropout2d)

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        _check_p(p, type(self).__name__)
        self.p, self.inplace = p, inplace

    def forward(self, input: Tensor) -> Tensor:
        return type(self)._fn(input, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(_DropoutNd):
    """Channel dropout for (N, C, L), as ``torch.nn.Dropout1d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Dropout1d(0.3)
    Dropout1d(p=0.3, inplace=False)
    """

    _fn = staticmethod(dropout1d)


class Dropout2d(_DropoutNd):
    """Channel dropout for (N, C, H, W), as ``torch.nn.Dropout2d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Dropout2d().eval()(hw.ones(1, 2, 2, 2)).sum().item()
    8.0
    """

    _fn = staticmethod(dropout2d)


class Dropout3d(_DropoutNd):
    """Channel dropout for (N, C, D, H, W), as ``torch.nn.Dropout3d``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.Dropout3d(0.1)
    Dropout3d(p=0.1, inplace=False)
    """

    _fn = staticmethod(dropout3d)


class AlphaDropout(_DropoutNd):
    """Alpha dropout, as ``torch.nn.AlphaDropout`` (pairs with SELU).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.AlphaDropout(0.2).eval()(hw.ones(3)).tolist()
    [1.0, 1.0, 1.0]
    """

    _fn = staticmethod(alpha_dropout)


class FeatureAlphaDropout(_DropoutNd):
    """Channel-wise alpha dropout, as ``torch.nn.FeatureAlphaDropout``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.FeatureAlphaDropout(0.2)
    FeatureAlphaDropout(p=0.2, inplace=False)
    """

    _fn = staticmethod(feature_alpha_dropout)
