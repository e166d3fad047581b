"""Weight initialisation in place, with PyTorch's formulas, seeded by
``hw.manual_seed`` (or drawn from ``generator=hw.Generator(...)``).

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
from headwater.autograd.function import xp_of
from headwater.autograd.ops.special import erfinv_array
from headwater.tensor.generator import Generator
from headwater.tensor.random import normal_array, uniform_array
from headwater.tensor.tensor import Tensor

__all__ = [
    "calculate_gain", "uniform_", "normal_", "zeros_", "ones_", "constant_",
    "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
    "fan_in_and_fan_out", "trunc_normal_", "orthogonal_", "sparse_", "eye_", "dirac_",
]


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity (PyTorch's table).

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.nn.init.calculate_gain("relu"), 4)
    1.4142
    """
    linear = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
              "conv_transpose3d", "sigmoid", "identity")
    if nonlinearity in linear:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, bool) or not isinstance(param, (int, float)):
            raise ValueError(f"calculate_gain: negative_slope {param!r} is not a valid number")
        else:
            slope = param
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(
        f"calculate_gain: unsupported nonlinearity {nonlinearity!r}; one of {', '.join(linear)}, tanh, "
        f"relu, leaky_relu, selu"
    )


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


_calculate_fan_in_and_fan_out = fan_in_and_fan_out  # the name PyTorch scripts import


def _write(tensor: Tensor, data) -> Tensor:
    with grad_mode.no_grad():
        tensor.array[...] = data
        tensor._vc[0] += 1
    return tensor


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Generator | None = None) -> Tensor:
    """Fill with values drawn uniformly from ``[a, b)``.

    Examples
    --------
    >>> import headwater as hw
    >>> bool((hw.nn.init.uniform_(hw.empty(5), -1, 1).abs() <= 1).all())
    True
    """
    return _write(tensor, uniform_array(tensor.shape, a, b, tensor.dtype, tensor.device, generator))


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: Generator | None = None) -> Tensor:
    """Fill with values drawn from N(mean, std**2).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.init.normal_(hw.empty(2, 2)).shape
    (2, 2)
    """
    return _write(tensor, normal_array(tensor.shape, mean, std, tensor.dtype, tensor.device, generator))


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


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, generator: Generator | None = None) -> Tensor:
    """Glorot uniform: U(-a, a) with ``a = gain * sqrt(6 / (fan_in + fan_out))``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.init.xavier_uniform_(hw.empty(3, 5)).shape
    (3, 5)
    """
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Generator | None = None) -> Tensor:
    """Glorot normal: N(0, std**2) with ``std = gain * sqrt(2 / (fan_in + fan_out))``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.init.xavier_normal_(hw.empty(3, 5)).shape
    (3, 5)
    """
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"kaiming init: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = fan_in_and_fan_out(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu", generator: Generator | None = None) -> Tensor:
    """He uniform: U(-b, b) with ``b = gain * sqrt(3 / fan)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.init.kaiming_uniform_(hw.empty(4, 3), a=5 ** 0.5).shape
    (4, 3)
    """
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0.0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu", generator: Generator | None = None) -> Tensor:
    """He normal: N(0, std**2) with ``std = gain / sqrt(fan)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.init.kaiming_normal_(hw.empty(4, 3), nonlinearity="relu").shape
    (4, 3)
    """
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), generator)


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0,
                  b: float = 2.0, generator: Generator | None = None) -> Tensor:
    """Fill with N(mean, std**2) truncated to ``[a, b]`` (absolute bounds, as in
    PyTorch), drawn by inverting the normal CDF over the kept range.

    Examples
    --------
    >>> import headwater as hw
    >>> w = hw.nn.init.trunc_normal_(hw.empty(1000), std=0.02, a=-0.04, b=0.04)
    >>> bool((w.abs() <= 0.04).all())
    True
    """
    if std <= 0:
        raise ValueError(f"trunc_normal_: std must be positive, got {std}")
    if not a < b:
        raise ValueError(f"trunc_normal_: needs a < b, got a={a}, b={b}")

    def cdf(x: float) -> float:
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0

    lo, hi = cdf((a - mean) / std), cdf((b - mean) / std)
    u = uniform_array(tensor.shape, 2 * lo - 1, 2 * hi - 1, "float64", tensor.device, generator)
    xp = xp_of(u)
    values = erfinv_array(xp, u) * (std * math.sqrt(2.0)) + mean
    return _write(tensor, xp.clip(values, a, b))


def orthogonal_(tensor: Tensor, gain: float = 1.0, generator: Generator | None = None) -> Tensor:
    """Fill with a (semi-)orthogonal matrix (the Q of a QR decomposition of a
    Gaussian draw, signs fixed as in PyTorch) times ``gain``; dimensions past the
    first are flattened.

    Examples
    --------
    >>> import headwater as hw
    >>> w = hw.nn.init.orthogonal_(hw.empty(3, 5))
    >>> bool(((w @ w.T) - hw.eye(3)).abs().max() < 1e-5)
    True
    """
    if tensor.ndim < 2:
        raise ValueError(f"orthogonal_ needs a tensor with at least 2 dimensions, got shape {tensor.shape}")
    if tensor.numel() == 0:
        return tensor
    rows = tensor.shape[0]
    cols = tensor.numel() // rows
    flat = normal_array((rows, cols), 0.0, 1.0, "float64", tensor.device, generator)
    xp = xp_of(flat)
    if rows < cols:
        flat = flat.T
    q, r = xp.linalg.qr(flat)
    q = q * xp.sign(xp.diagonal(r))
    if rows < cols:
        q = q.T
    return _write(tensor, (q * gain).reshape(tensor.shape))


def sparse_(tensor: Tensor, sparsity: float, std: float = 0.01, generator: Generator | None = None) -> Tensor:
    """Fill a 2-D tensor with N(0, std**2) and zero ``ceil(sparsity * rows)``
    randomly chosen entries of every column.

    Examples
    --------
    >>> import headwater as hw
    >>> w = hw.nn.init.sparse_(hw.empty(10, 4), sparsity=0.3)
    >>> (w == 0).sum(0).tolist()
    [3, 3, 3, 3]
    """
    if tensor.ndim != 2:
        raise ValueError(f"sparse_ only supports 2-D tensors, got shape {tensor.shape}")
    if not 0 <= sparsity <= 1:
        raise ValueError(f"sparse_: sparsity must be in [0, 1], got {sparsity}")
    rows, cols = tensor.shape
    n_zero = int(math.ceil(sparsity * rows))
    values = normal_array(tensor.shape, 0.0, std, tensor.dtype, tensor.device, generator)
    xp = xp_of(values)
    keys = uniform_array((rows, cols), 0.0, 1.0, "float64", tensor.device, generator)
    ranks = xp.argsort(xp.argsort(keys, axis=0), axis=0)  # a random permutation per column
    return _write(tensor, xp.where(ranks < n_zero, 0, values))


def eye_(tensor: Tensor) -> Tensor:
    """Fill a 2-D tensor with the identity (ones on the diagonal).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.init.eye_(hw.empty(2, 3)).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    """
    if tensor.ndim != 2:
        raise ValueError(f"eye_ only supports 2-D tensors, got shape {tensor.shape}")
    xp = xp_of(tensor.array)
    return _write(tensor, xp.eye(*tensor.shape, dtype=tensor.dtype))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """Fill a 3-, 4- or 5-D convolution weight with the Dirac delta, so that the
    convolution passes its input channels through (per group).

    Examples
    --------
    >>> import headwater as hw
    >>> w = hw.nn.init.dirac_(hw.empty(2, 2, 3))
    >>> w[:, :, 1].tolist(), float(w.sum())
    ([[1.0, 0.0], [0.0, 1.0]], 2.0)
    """
    if tensor.ndim not in (3, 4, 5):
        raise ValueError(f"dirac_ only supports 3-, 4- and 5-D tensors, got shape {tensor.shape}")
    out_channels = tensor.shape[0]
    if groups < 1 or out_channels % groups:
        raise ValueError(f"dirac_: dim 0 ({out_channels}) must be divisible by groups ({groups})")
    per_group = out_channels // groups
    xp = xp_of(tensor.array)
    data = xp.zeros(tensor.shape, dtype=tensor.dtype)
    center = tuple(n // 2 for n in tensor.shape[2:])
    n = min(per_group, tensor.shape[1])
    d = xp.arange(n)
    for g in range(groups):
        data[(g * per_group + d, d, *center)] = 1
    return _write(tensor, data)
