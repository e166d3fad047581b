"""Random tensors, drawn from a device's default generator or from ``generator=``.

``hw.manual_seed`` seeds every device's default generator (see
:mod:`headwater.tensor.generator`); the same seed gives the same values on a device,
the CPU and a GPU draw different streams, and neither reproduces torch's streams.
Sampling functions (``multinomial``, ``bernoulli``, ``normal``, ``poisson``) are not
differentiable, as in torch; ``hw.distributions`` offers reparameterised samples.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.tensor.creation import size_args, target
from headwater.tensor.devices import Device, backend_of, get_backend
from headwater.tensor.dtypes import DTypeError, get_default_dtype, is_floating, to_dtype
from headwater.tensor.generator import (
    Generator,
    get_rng_state,
    initial_seed,
    manual_seed,
    resolve,
    seed,
    set_rng_state,
)
from headwater.tensor.promotion import operand_dtypes
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = [
    "Generator", "manual_seed", "seed", "initial_seed", "get_rng_state", "set_rng_state",
    "generator", "rand", "randn", "randint", "randperm", "rand_like", "randn_like",
    "randint_like", "normal", "bernoulli", "poisson", "multinomial", "uniform_array",
    "normal_array", "fill_normal", "fill_uniform", "fill_bernoulli", "fill_random",
    "fill_exponential",
]

_F32 = np.dtype("float32")


def generator(device: Any = None) -> Any:
    """The xp generator of ``device``'s default :class:`Generator` (default device when None)."""
    return resolve(None, target(device, None)[0])


def _float(dtype: np.dtype, op: str) -> np.dtype:
    if dtype.kind != "f":
        raise DTypeError(f"{op}: needs a float dtype, got {dtype}; pass dtype=hw.float32")
    return dtype


def _draw_dtype(dtype: np.dtype) -> np.dtype:
    return _F32 if dtype == np.dtype("float16") else dtype  # the generators draw float32/64


def uniform_array(shape: tuple, low: float, high: float, dtype: np.dtype, device: Device,
                  generator: Generator | None = None) -> Any:
    """An xp array of uniform values in ``[low, high)``."""
    data = resolve(generator, Device(device)).random(shape, dtype=_draw_dtype(dtype))
    if low != 0 or high != 1:
        data *= high - low
        data += low
    return data.astype(dtype, copy=False)


def normal_array(shape: tuple, mean: float, std: float, dtype: np.dtype, device: Device,
                 generator: Generator | None = None) -> Any:
    """An xp array of normal values."""
    data = resolve(generator, Device(device)).standard_normal(shape, dtype=_draw_dtype(dtype))
    if std != 1:
        data *= std
    if mean != 0:
        data += mean
    return data.astype(dtype, copy=False)


def rand(*size: Any, generator: Generator | None = None, dtype: Any = None, device: Any = None,
         requires_grad: bool = False) -> Tensor:
    """Uniform values in ``[0, 1)``.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.rand(1000)
    >>> bool(((x >= 0) & (x < 1)).all())
    True
    """
    dev, dt = target(device, dtype)
    data = uniform_array(size_args(size), 0.0, 1.0, _float(dt, "rand"), dev, generator)
    return Tensor(data, requires_grad=requires_grad)


def randn(*size: Any, generator: Generator | None = None, dtype: Any = None, device: Any = None,
          requires_grad: bool = False) -> Tensor:
    """Standard normal values.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.randn(2, 3).shape
    (2, 3)
    """
    dev, dt = target(device, dtype)
    data = normal_array(size_args(size), 0.0, 1.0, _float(dt, "randn"), dev, generator)
    return Tensor(data, requires_grad=requires_grad)


def _integers(low: int, high: int, shape: tuple, dt: np.dtype, dev: Device,
              generator: Generator | None, op: str) -> Any:
    if high <= low:
        raise ValueError(f"{op}: high ({high}) must be greater than low ({low})")
    if dt.kind in "iu" and (low < np.iinfo(dt).min or high - 1 > np.iinfo(dt).max):
        raise ValueError(f"{op}: [{low}, {high}) does not fit {dt}; choose a wider dtype")
    data = resolve(generator, dev).integers(low, high, size=shape, dtype=np.int64)
    return data.astype(dt, copy=False)


def randint(low: Any, high: Any = None, size: Any = (), *, generator: Generator | None = None,
            dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Integers from ``low`` to ``high`` (excluded), as ``torch.randint``: both
    ``randint(high, size)`` and ``randint(low, high, size)``.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.randint(0, 3, (100,))
    >>> x.dtype, bool((x < 3).all()), hw.randint(5, (2, 2)).shape
    (dtype('int64'), True, (2, 2))
    """
    if isinstance(high, (tuple, list)):  # randint(high, size)
        low, high, size = 0, low, high
    elif high is None:
        low, high = 0, low
    dev, dt = target(device, dtype, np.dtype("int64"))
    shape = (size,) if isinstance(size, int) else tuple(size)
    return Tensor(_integers(int(low), int(high), shape, dt, dev, generator, "randint"),
                  requires_grad=requires_grad)


def randperm(n: int, *, generator: Generator | None = None, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """A random permutation of ``0..n-1`` (drawn on the device).

    Examples
    --------
    >>> import headwater as hw
    >>> sorted(hw.randperm(5).tolist())
    [0, 1, 2, 3, 4]
    """
    dev, dt = target(device, dtype, np.dtype("int64"))
    xp = get_backend(dev).xp
    keys = resolve(generator, dev).random((int(n),))
    return Tensor(xp.argsort(keys).astype(dt, copy=False), requires_grad=requires_grad)


def _like(input: Tensor, dtype: Any, device: Any) -> tuple[Device, np.dtype]:
    if not isinstance(input, Tensor):
        raise TypeError(f"expected a Tensor, got {type(input).__name__}")
    dev = input.device if device is None else Device(device)
    return dev, input.dtype if dtype is None else to_dtype(dtype)


def rand_like(input: Tensor, *, dtype: Any = None, device: Any = None,
              requires_grad: bool = False) -> Tensor:
    """Uniform values in ``[0, 1)`` with the shape, dtype and device of ``input``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.rand_like(hw.zeros(2, dtype=hw.float64)).dtype
    dtype('float64')
    """
    dev, dt = _like(input, dtype, device)
    return rand(input.shape, dtype=dt, device=dev, requires_grad=requires_grad)


def randn_like(input: Tensor, *, dtype: Any = None, device: Any = None,
               requires_grad: bool = False) -> Tensor:
    """Standard normal values with the shape, dtype and device of ``input``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.randn_like(hw.zeros(2, 3)).shape
    (2, 3)
    """
    dev, dt = _like(input, dtype, device)
    return randn(input.shape, dtype=dt, device=dev, requires_grad=requires_grad)


def randint_like(input: Tensor, low: int = 0, high: int | None = None, *, dtype: Any = None,
                 device: Any = None, requires_grad: bool = False) -> Tensor:
    """Integers in ``[low, high)`` shaped like ``input`` and, by default, of its dtype
    (``randint_like(x, high)`` starts at 0).

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.randint_like(hw.zeros(4), 3)
    >>> x.dtype, bool((x < 3).all())
    (dtype('float32'), True)
    """
    if high is None:
        low, high = 0, low
    dev, dt = _like(input, dtype, device)
    return Tensor(_integers(int(low), int(high), input.shape, dt, dev, None, "randint_like"),
                  requires_grad=requires_grad)


def _check(bad: Any, message: str) -> None:
    """Raise ``ValueError(message)`` when the xp bool ``bad`` holds (one host read)."""
    if bool(to_host(bad)):
        raise ValueError(message)


def normal(mean: Any = 0.0, std: Any = 1.0, size: Any = None, *, generator: Generator | None = None,
           dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Normal values with means ``mean`` and standard deviations ``std``, as
    ``torch.normal``: each may be a tensor (the result broadcasts them) or a number;
    with two numbers ``size`` gives the shape.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.normal(hw.zeros(3), 1.0).shape, hw.normal(2.0, 0.5, (2, 2)).shape
    ((3,), (2, 2))
    >>> hw.normal(hw.zeros(2, 1), hw.ones(3)).shape
    (2, 3)
    """
    tensors = [x for x in (mean, std) if isinstance(x, Tensor)]
    if not tensors:
        if size is None:
            raise TypeError("normal(mean, std) with two numbers needs size=, e.g. normal(0.0, 1.0, (3,))")
        if std < 0:
            raise ValueError(f"normal: std must be >= 0, got {std}")
        dev, dt = target(device, dtype)
        data = normal_array(size_args((size,)), float(mean), float(std), _float(dt, "normal"), dev, generator)
        return Tensor(data, requires_grad=requires_grad)
    if size is not None:
        raise TypeError("normal: size= is only for two numbers; with tensors the shape is theirs")
    backend = backend_of(*(t.array for t in tensors))
    dev = Device(backend.name)
    dt = _float(operand_dtypes(mean, std) if dtype is None else to_dtype(dtype), "normal")
    xp = backend.xp
    m = mean.array.astype(dt, copy=False) if isinstance(mean, Tensor) else mean
    s = std.array.astype(dt, copy=False) if isinstance(std, Tensor) else std
    if isinstance(std, Tensor):
        _check(xp.any(s < 0), "normal: every std must be >= 0")
    elif std < 0:
        raise ValueError(f"normal: std must be >= 0, got {std}")
    shape = xp.broadcast_shapes(*(t.shape for t in tensors)) if len(tensors) == 2 else tensors[0].shape
    z = normal_array(tuple(shape), 0.0, 1.0, dt, dev, generator)
    return Tensor((z * s + m).astype(dt, copy=False), requires_grad=requires_grad)


def bernoulli(input: Tensor, p: float | None = None, *, generator: Generator | None = None) -> Tensor:
    """Ones with probability ``input`` (or ``p`` for every element), zeros otherwise,
    in ``input``'s dtype and shape.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.bernoulli(hw.tensor([0.0, 1.0])).tolist()
    [0.0, 1.0]
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"bernoulli expects a Tensor of probabilities, got {type(input).__name__}")
    xp = backend_of(input.array).xp
    if p is None:
        probs = input.array
        if not is_floating(probs.dtype):
            raise DTypeError(f"bernoulli: probabilities must be a float tensor, got {probs.dtype}")
        _check(xp.any((probs < 0) | (probs > 1) | xp.isnan(probs)),
               "bernoulli: every probability must lie in [0, 1]")
    else:
        if not 0 <= p <= 1:
            raise ValueError(f"bernoulli: p must lie in [0, 1], got {p}")
        probs = p
    u = uniform_array(input.shape, 0.0, 1.0, _draw_dtype(input.dtype) if is_floating(input.dtype)
                      else get_default_dtype(), input.device, generator)
    return Tensor((u < probs).astype(input.dtype))


def poisson(input: Tensor, generator: Generator | None = None) -> Tensor:
    """Poisson counts with rates ``input``, in ``input``'s float dtype.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.poisson(hw.tensor([0.0, 0.0])).tolist()
    [0.0, 0.0]
    """
    if not isinstance(input, Tensor) or not is_floating(input.dtype):
        got = input.dtype if isinstance(input, Tensor) else type(input).__name__
        raise DTypeError(f"poisson expects a float tensor of rates, got {got}")
    xp = backend_of(input.array).xp
    _check(xp.any((input.array < 0) | xp.isnan(input.array)), "poisson: every rate must be >= 0")
    rng = resolve(generator, input.device)
    if not hasattr(rng, "poisson"):
        raise NotImplementedError("poisson: this CuPy version's generator has no poisson(); upgrade CuPy")
    counts = rng.poisson(input.array.astype(np.float64), size=input.shape)
    return Tensor(counts.astype(input.dtype))


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,
                generator: Generator | None = None) -> Tensor:
    """Indices drawn from the categories weighted by each row of ``input`` (weights
    need not sum to one), as ``torch.multinomial``; without replacement no index
    repeats within a row.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.multinomial(hw.tensor([0.0, 1.0, 0.0]), 2, replacement=True).tolist()
    [1, 1]
    >>> sorted(hw.multinomial(hw.tensor([[1.0, 1.0, 1.0]]), 3)[0].tolist())
    [0, 1, 2]
    """
    if not isinstance(input, Tensor) or not is_floating(input.dtype) or input.ndim not in (1, 2):
        got = f"{input.dtype} of shape {input.shape}" if isinstance(input, Tensor) else type(input).__name__
        raise ValueError(f"multinomial expects a 1-D or 2-D float tensor of weights, got {got}")
    n = input.shape[-1]
    k = int(num_samples)
    if k <= 0:
        raise ValueError(f"multinomial: num_samples must be positive, got {num_samples}")
    if not replacement and k > n:
        raise ValueError(f"multinomial: cannot draw {k} samples from {n} categories without replacement; "
                         f"pass replacement=True")
    xp = backend_of(input.array).xp
    w = input.array.reshape(-1, n).astype(np.float64)
    rows = w.shape[0]
    _check(xp.any((w < 0) | ~xp.isfinite(w)), "multinomial: weights must be finite and >= 0")
    positive = (w > 0).sum(axis=1)
    _check(xp.any(positive == 0), "multinomial: a row of weights sums to 0")
    if not replacement:
        _check(xp.any(positive < k), f"multinomial: a row has fewer than {k} categories with "
                                     f"positive weight; pass replacement=True or fewer samples")
        # exponential race: the k smallest Exp(1)/w arrive in sequential-draw order
        e = -xp.log1p(-uniform_array((rows, n), 0.0, 1.0, np.dtype("float64"), input.device, generator))
        keys = xp.where(w > 0, e / xp.where(w > 0, w, 1.0), xp.inf)
        out = xp.argsort(keys, axis=1)[:, :k]
    else:
        cdf = xp.cumsum(w, axis=1)
        cdf = cdf / cdf[:, -1:]
        cdf[:, -1] = 1.0
        offsets = xp.arange(rows, dtype=np.float64)[:, None]
        u = uniform_array((rows, k), 0.0, 1.0, np.dtype("float64"), input.device, generator)
        flat = xp.searchsorted((cdf + offsets).reshape(-1), (u + offsets).reshape(-1), side="right")
        out = flat.reshape(rows, k) - (xp.arange(rows) * n)[:, None]
        out = xp.minimum(out, n - 1)
    out = out.astype(np.int64)
    return Tensor(out.reshape(k) if input.ndim == 1 else out)


# -- in-place fills: Tensor.normal_ uniform_ bernoulli_ random_ exponential_ -------------
# Out-of-place draws shaped like ``t``; autograd's in-place wrapper writes them into ``t``.

def fill_normal(t: Tensor, mean: float = 0.0, std: float = 1.0, *,
                generator: Generator | None = None) -> Tensor:
    """Normal values shaped like ``t`` (``t.normal_`` writes them in place)."""
    return Tensor(normal_array(t.shape, mean, std, _float(t.dtype, "normal_"), t.device, generator))


def fill_uniform(t: Tensor, low: float = 0.0, high: float = 1.0, *,
                 generator: Generator | None = None) -> Tensor:
    """Uniform values in ``[low, high)`` shaped like ``t`` (``t.uniform_``)."""
    return Tensor(uniform_array(t.shape, low, high, _float(t.dtype, "uniform_"), t.device, generator))


def fill_bernoulli(t: Tensor, p: Any = 0.5, *, generator: Generator | None = None) -> Tensor:
    """Zeros and ones in ``t``'s dtype, one with probability ``p`` (``t.bernoulli_``)."""
    if isinstance(p, Tensor):
        probs = bernoulli(p.expand(t.shape) if p.shape != t.shape else p, generator=generator)
        return Tensor(probs.array.astype(t.dtype))
    return Tensor(bernoulli(t, float(p), generator=generator).array)


def fill_random(t: Tensor, low: int = 0, high: int | None = None, *,
                generator: Generator | None = None) -> Tensor:
    """Integers shaped like ``t`` (``t.random_``): ``random_(high)`` draws from
    ``[0, high)``, ``random_(low, high)`` from ``[low, high)``; with no bound, from 0 up
    to the dtype's largest exact integer."""
    if high is None:
        if low != 0:
            low, high = 0, low
        elif is_floating(t.dtype):
            high = 2 ** (np.finfo(t.dtype).nmant + 1) + 1
        elif t.dtype.kind == "b":
            high = 2
        else:
            high = int(np.iinfo(t.dtype).max) + 1 if t.dtype.itemsize < 8 else int(np.iinfo(t.dtype).max)
    draw = t.dtype if t.dtype.kind in "iu" else np.dtype("int64")
    data = _integers(int(low), int(high), t.shape, draw, t.device, generator, "random_")
    return Tensor(data.astype(t.dtype, copy=False))


def fill_exponential(t: Tensor, lambd: float = 1.0, *, generator: Generator | None = None) -> Tensor:
    """Exponential values with rate ``lambd`` shaped like ``t`` (``t.exponential_``)."""
    if lambd <= 0:
        raise ValueError(f"exponential_: lambd must be positive, got {lambd}")
    xp = get_backend(t.device).xp
    u = uniform_array(t.shape, 0.0, 1.0, _float(t.dtype, "exponential_"), t.device, generator)
    return Tensor((-xp.log1p(-u) / lambd).astype(t.dtype, copy=False))
