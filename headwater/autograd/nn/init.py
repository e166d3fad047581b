"""Weight initialisation in place, with PyTorch's formulas, seeded by
``hw.manual_seed``.

Examples
--------
>>> import headwater as hw
>>> w = hw.empty(3, 4)
>>> _ = hw.nn.init.xavier_uniform_(w)
>>> bool((w.abs() <= (6 / 7) ** 0.5).all())
True
"""

from __future__ import annotations

import math

from headwater.autograd import grad_mode
from headwater.tensor.random import normal_array, uniform_array
from headwater.tensor.tensor import Tensor

__all__ = [
    "calculate_gain", "uniform_", "normal_", "zeros_", "ones_", "constant_",
    "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
    "fan_in_and_fan_out",
]


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity (PyTorch's table).

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.nn.init.calculate_gain("relu"), 4)
    1.4142
    """
    linear = ("linear", "conv1d", "conv2d", "conv3d", "sigmoid", "identity")
    if nonlinearity in linear:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}")


def fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of shape ``(out, in, *kernel)``."""
    if tensor.ndim < 2:
        raise ValueError(
            f"fan in and fan out need a tensor with at least 2 dimensions, got shape {tensor.shape}"
        )
    receptive = 1
    for n in tensor.shape[2:]:
        receptive *= n
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _write(tensor: Tensor, data) -> Tensor:
    with grad_mode.no_grad():
        tensor.array[...] = data
        tensor._vc[0] += 1
    return tensor


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0) -> Tensor:
    """Fill with values drawn uniformly from ``[a, b)``.

    Examples
    --------
    >>> import headwater as hw
    >>> bool((hw.nn.init.uniform_(hw.empty(5), -1, 1).abs() <= 1).all())
    True
    """
    return _write(tensor, uniform_array(tensor.shape, a, b, tensor.dtype, tensor.device))


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0) -> Tensor:
    """Fill with values drawn from N(mean, std**2).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.init.normal_(hw.empty(2, 2)).shape
    (2, 2)
    """
    return _write(tensor, normal_array(tensor.shape, mean, std, tensor.dtype, tensor.device))


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with ``val``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.init.constant_(hw.empty(2), 0.5).tolist()
    [0.5, 0.5]
    """
    return _write(tensor, val)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with zeros.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.init.zeros_(hw.ones(2)).tolist()
    [0.0, 0.0]
    """
    return _write(tensor, 0)


def ones_(tensor: Tensor) -> Tensor:
    """Fill with ones.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.init.ones_(hw.zeros(2)).tolist()
    [1.0, 1.0]
    """
    return _write(tensor, 1)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0) -> Tensor:
    """Glorot uniform: U(-a, a) with ``a = gain * sqrt(6 / (fan_in + fan_out))``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.init.xavier_uniform_(hw.empty(3, 5)).shape
    (3, 5)
    """
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound)


def xavier_normal_(tensor: Tensor, gain: float = 1.0) -> Tensor:
    """Glorot normal: N(0, std**2) with ``std = gain * sqrt(2 / (fan_in + fan_out))``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.init.xavier_normal_(hw.empty(3, 5)).shape
    (3, 5)
    """
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)))


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"kaiming init: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu") -> Tensor:
    """He uniform: U(-b, b) with ``b = gain * sqrt(3 / fan)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.init.kaiming_uniform_(hw.empty(4, 3), a=5 ** 0.5).shape
    (4, 3)
    """
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound)


def kaiming_normal_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu") -> Tensor:
    """He normal: N(0, std**2) with ``std = gain / sqrt(fan)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.init.kaiming_normal_(hw.empty(4, 3), nonlinearity="relu").shape
    (4, 3)
    """
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity))
