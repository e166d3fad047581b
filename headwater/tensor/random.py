"""Random tensors, seeded per device by ``hw.manual_seed``.

One generator per device, created on first use from the last seed. The same seed
gives the same values on a device; the CPU and a GPU draw different streams.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.tensor.creation import size_args, target
from headwater.tensor.devices import Device, get_backend
from headwater.tensor.dtypes import DTypeError
from headwater.tensor.tensor import Tensor

__all__ = ["manual_seed", "initial_seed", "generator", "rand", "randn", "randint", "randperm",
           "uniform_array", "normal_array"]

_seed: int | None = None
_generators: dict[str, Any] = {}


def manual_seed(seed: int) -> None:
    """Seed the random generators of every device.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.manual_seed(0); a = hw.rand(2)
    >>> hw.manual_seed(0); b = hw.rand(2)
    >>> a.tolist() == b.tolist()
    True
    """
    global _seed
    _seed = int(seed)
    _generators.clear()


def seed_device(device: str, seed: int | None) -> None:
    """Restart the generator of one device (``"cpu"`` or ``"cuda"``) from ``seed``
    (fresh entropy when None); ``hw.cuda.manual_seed`` uses it."""
    from headwater.tensor.backend.cuda import cuda_status

    if device == "cuda" and not cuda_status()[0]:
        return  # as torch: seeding an absent GPU does nothing
    _generators[device] = get_backend(device).random_state(None if seed is None else int(seed))


def initial_seed() -> int | None:
    """The seed last given to :func:`manual_seed` (None before any)."""
    return _seed


def generator(device: Any = None) -> Any:
    """The random generator of ``device`` (the default device when None)."""
    dev = target(device, None)[0]
    gen = _generators.get(dev.type)
    if gen is None:
        gen = _generators[dev.type] = get_backend(dev).random_state(_seed)
    return gen


def _float(dtype: np.dtype, op: str) -> np.dtype:
    if dtype.kind != "f":
        raise DTypeError(f"{op}: needs a float dtype, got {dtype}")
    return dtype


def uniform_array(shape: tuple, low: float, high: float, dtype: np.dtype, device: Device) -> Any:
    """An xp array of uniform values in ``[low, high)``."""
    draw = np.dtype("float32") if dtype == np.dtype("float16") else dtype
    data = generator(device).random(shape, dtype=draw)
    if low != 0 or high != 1:
        data *= high - low
        data += low
    return data.astype(dtype, copy=False)


def normal_array(shape: tuple, mean: float, std: float, dtype: np.dtype, device: Device) -> Any:
    """An xp array of normal values."""
    draw = np.dtype("float32") if dtype == np.dtype("float16") else dtype
    data = generator(device).standard_normal(shape, dtype=draw)
    if std != 1:
        data *= std
    if mean != 0:
        data += mean
    return data.astype(dtype, copy=False)


def rand(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Uniform values in ``[0, 1)``.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.rand(1000)
    >>> bool(((x >= 0) & (x < 1)).all())
    True
    """
    dev, dt = target(device, dtype)
    data = uniform_array(size_args(size), 0.0, 1.0, _float(dt, "rand"), dev)
    return Tensor(data, requires_grad=requires_grad)


def randn(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Standard normal values.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.randn(2, 3).shape
    (2, 3)
    """
    dev, dt = target(device, dtype)
    data = normal_array(size_args(size), 0.0, 1.0, _float(dt, "randn"), dev)
    return Tensor(data, requires_grad=requires_grad)


def randint(low: int, high: int | None = None, size: Any = (), *, dtype: Any = None,
            device: Any = None) -> Tensor:
    """Integers from ``low`` to ``high`` (excluded); ``randint(high, size)`` starts
    at 0.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.randint(0, 3, (100,))
    >>> x.dtype, bool((x < 3).all())
    (dtype('int64'), True)
    """
    if high is None:
        low, high = 0, low
    if high <= low:
        raise ValueError(f"randint: high ({high}) must be greater than low ({low})")
    dev, dt = target(device, dtype, np.dtype("int64"))
    shape = (size,) if isinstance(size, int) else tuple(size)
    data = generator(dev).integers(low, high, size=shape, dtype=np.int64)
    return Tensor(data.astype(dt, copy=False))


def randperm(n: int, *, dtype: Any = None, device: Any = None) -> Tensor:
    """A random permutation of ``0..n-1`` (drawn on the device).

    Examples
    --------
    >>> import headwater as hw
    >>> sorted(hw.randperm(5).tolist())
    [0, 1, 2, 3, 4]
    """
    dev, dt = target(device, dtype, np.dtype("int64"))
    xp = get_backend(dev).xp
    keys = generator(dev).random((n,))
    return Tensor(xp.argsort(keys).astype(dt, copy=False))
