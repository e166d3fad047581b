"""Building tensors: ``as_tensor`` and the factories (``zeros``, ``arange``...).

Host data reaches a device only through ``backend.to_device`` (counted); arrays
already on the requested device are wrapped without a copy.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.tensor.devices import Device, array_device, get_backend
from headwater.tensor.devices import device as default_device
from headwater.tensor.dtypes import get_default_dtype, to_dtype
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = [
    "tensor", "from_numpy", "as_tensor", "zeros", "ones", "full", "empty", "arange", "linspace", "logspace", "eye",
    "zeros_like", "ones_like", "full_like", "empty_like", "size_args", "target",
]


def size_args(size: tuple) -> tuple[int, ...]:
    """Accept ``f(2, 3)`` and ``f((2, 3))``."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        return tuple(int(n) for n in size[0])
    return tuple(int(n) for n in size)


def target(device: Any, dtype: Any, fallback: Any = None) -> tuple[Device, np.dtype]:
    """The device and dtype a factory should use."""
    dev = default_device() if device is None else Device(device)
    dt = to_dtype(dtype) if dtype is not None else (fallback or get_default_dtype())
    return dev, dt


def _finish(data: Any, requires_grad: bool) -> Tensor:
    return Tensor(data, requires_grad=requires_grad)


def _on_device(array: Any) -> str | None:
    return array_device(array)


def as_tensor(data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor over ``data``, sharing memory where it can.

    A NumPy array (for the CPU) or CuPy array (for the GPU) of the right dtype is
    wrapped without a copy; a Tensor is returned as is when nothing changes. A NumPy
    array counts as one upload on every device (a copy on a GPU, a hand-over on the
    CPU), so CPU tests see the crossings a GPU run makes. Lists
    and numbers follow PyTorch's dtypes: floats become ``hw.get_default_dtype()``
    (float32), ints int64, bools bool.

    Parameters
    ----------
    data : array, Tensor, list or number
    dtype : dtype, optional
    device : str or Device, optional
        Default: ``hw.device()``. Moving between devices is one counted copy.
    requires_grad : bool

    Examples
    --------
    >>> import numpy as np
    >>> import headwater as hw
    >>> hw.as_tensor(np.ones(3, dtype=np.float32), device="cpu").dtype
    dtype('float32')
    >>> hw.as_tensor([1, 2]).dtype, hw.as_tensor([1.0]).dtype
    (dtype('int64'), dtype('float32'))
    """
    dt = to_dtype(dtype) if dtype is not None else None
    if isinstance(data, Tensor):
        if (dt is None or dt == data.dtype) and (device is None or Device(device) == data.device):
            if requires_grad and not data.requires_grad:
                data.requires_grad_(True)
            return data
        data = data.array
    where = _on_device(data)
    dev = Device(device) if device is not None else (Device(where) if where else default_device())
    if where == "cuda" and dev.type == "cuda":
        array = data if dt is None or data.dtype == dt else data.astype(dt)
        return _finish(array, requires_grad)
    if where == "cuda":  # to the CPU
        host = to_host(data)
        return _finish(host if dt is None else host.astype(dt, copy=False), requires_grad)
    if where is None:
        host = np.asarray(data)
        if dt is None and not isinstance(data, np.generic):  # NumPy scalars keep their dtype
            if host.dtype.kind == "f":
                dt = get_default_dtype()
            elif host.dtype.kind in "iu" and host.dtype.itemsize < 8:
                dt = np.dtype("int64")
            elif host.dtype.kind == "O":
                raise TypeError(f"as_tensor: cannot make a tensor from {type(data).__name__} data {data!r:.80}")
        data = host
    return _finish(get_backend(dev).to_device(data, dt), requires_grad)


def _raw(data: Any) -> Any:
    return data.array if isinstance(data, Tensor) else data


def tensor(data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data``, as ``torch.tensor``.

    Unlike :func:`as_tensor` this always copies, so the result never shares memory
    with ``data`` (a list, number, NumPy/CuPy array or Tensor; a Tensor's graph is not
    followed). Python floats become ``hw.get_default_dtype()``, ints int64. Reached as
    ``hw.tensor(...)``: the ``headwater.tensor`` module object is callable.

    Parameters
    ----------
    data : list, number, array or Tensor
    dtype : dtype, optional
    device : str or Device, optional
        Default: the device of an array ``data``, else ``hw.device()``.
    requires_grad : bool

    Examples
    --------
    >>> import numpy as np
    >>> import headwater as hw
    >>> a = np.zeros(2)
    >>> t = hw.tensor(a); t.array is a, t.dtype
    (False, dtype('float64'))
    >>> hw.tensor([[1, 2], [3, 4]]).dtype, hw.tensor(1.5).shape
    (dtype('int64'), ())
    """
    raw = _raw(data)
    if _on_device(raw) is not None:
        dt = to_dtype(dtype) if dtype is not None else raw.dtype
        dev = Device(device) if device is not None else Device(_on_device(raw))
        if dt == raw.dtype and dev.type == _on_device(raw):
            raw = raw.copy()  # any other dtype or device makes a new array anyway
    elif isinstance(data, (list, tuple)) and any(isinstance(x, Tensor) for x in data):
        raw = [x.detach().numpy() if isinstance(x, Tensor) else x for x in data]
    out = as_tensor(raw, dtype=dtype, device=device)
    if requires_grad:
        out.requires_grad_(True)
    return out


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A CPU tensor sharing memory with a NumPy array, as ``torch.from_numpy``.

    Writes through either one show in the other; the dtype is kept. (Under
    ``HEADWATER_DEVICE=cpu-strict`` the CPU device emulates device memory, so the
    tensor is an uploaded copy there, as it would be on a GPU.)

    Raises
    ------
    TypeError
        ``ndarray`` is not a NumPy array (use :func:`tensor` or :func:`as_tensor`).

    Examples
    --------
    >>> import numpy as np
    >>> import headwater as hw
    >>> t = hw.from_numpy(np.arange(3, dtype=np.int32))
    >>> t.tolist(), t.dtype, t.device
    ([0, 1, 2], dtype('int32'), device(type='cpu'))
    """
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(
            f"from_numpy expects a numpy.ndarray, got {type(ndarray).__name__}; "
            f"use hw.tensor(data) or hw.as_tensor(data) for other data"
        )
    to_dtype(ndarray.dtype)  # refuses dtypes tensors cannot hold
    return as_tensor(ndarray, device="cpu")


def _fill(size: tuple, value: Any, dtype: Any, device: Any, requires_grad: bool, fallback=None) -> Tensor:
    dev, dt = target(device, dtype, fallback)
    xp = get_backend(dev).xp
    return _finish(xp.full(size_args(size), value, dtype=dt), requires_grad)


def zeros(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(2, 3).shape, hw.zeros((2,)).tolist()
    ((2, 3), [0.0, 0.0])
    """
    dev, dt = target(device, dtype)
    xp = get_backend(dev).xp
    return _finish(xp.zeros(size_args(size), dtype=dt), requires_grad)


def ones(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ones(2, dtype=hw.int32).tolist()
    [1, 1]
    """
    dev, dt = target(device, dtype)
    xp = get_backend(dev).xp
    return _finish(xp.ones(size_args(size), dtype=dt), requires_grad)


def full(size: Any, fill_value: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor filled with ``fill_value`` (its dtype follows the value, as in PyTorch).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.full((2,), 7).tolist(), hw.full((1,), 0.5).dtype
    ([7, 7], dtype('float32'))
    """
    size = (size,) if isinstance(size, int) else tuple(size)
    fallback = None
    if isinstance(fill_value, bool):
        fallback = np.dtype("bool")
    elif isinstance(fill_value, int):
        fallback = np.dtype("int64")
    return _fill(size, fill_value, dtype, device, requires_grad, fallback)


def empty(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """An uninitialised tensor.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.empty(2, 2).shape
    (2, 2)
    """
    dev, dt = target(device, dtype)
    xp = get_backend(dev).xp
    return _finish(xp.empty(size_args(size), dtype=dt), requires_grad)


def arange(start: float, end: float | None = None, step: float = 1, *, dtype: Any = None,
           device: Any = None, requires_grad: bool = False) -> Tensor:
    """Values from ``start`` to ``end`` (excluded) by ``step``; int64 for integer
    arguments, else the default float dtype.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.arange(3).tolist(), hw.arange(0, 1, 0.5).tolist()
    ([0, 1, 2], [0.0, 0.5])
    """
    if end is None:
        start, end = 0, start
    ints = all(isinstance(v, int) for v in (start, end, step))
    dev, dt = target(device, dtype, np.dtype("int64") if ints else None)
    xp = get_backend(dev).xp
    return _finish(xp.arange(start, end, step).astype(dt, copy=False), requires_grad)


def linspace(start: float, end: float, steps: int, *, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` (both included).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.linspace(0, 1, 3).tolist()
    [0.0, 0.5, 1.0]
    """
    dev, dt = target(device, dtype)
    xp = get_backend(dev).xp
    return _finish(xp.linspace(start, end, steps).astype(dt, copy=False), requires_grad)


def logspace(start: float, end: float, steps: int, base: float = 10.0, *, dtype: Any = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:
    """``steps`` values from ``base ** start`` to ``base ** end``, evenly spaced in
    the exponent (computed in float64, then cast to ``dtype``).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.logspace(0, 2, 3).tolist(), hw.logspace(0, 3, 4, base=2).tolist()
    ([1.0, 10.0, 100.0], [1.0, 2.0, 4.0, 8.0])
    """
    if int(steps) < 0:
        raise ValueError(f"logspace: steps must be non-negative, got {steps}")
    dev, dt = target(device, dtype)
    xp = get_backend(dev).xp
    return _finish(xp.logspace(start, end, int(steps), base=base).astype(dt, copy=False), requires_grad)


def eye(n: int, m: int | None = None, *, dtype: Any = None, device: Any = None,
        requires_grad: bool = False) -> Tensor:
    """The identity matrix (``n`` by ``m``).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.eye(2).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    dev, dt = target(device, dtype)
    xp = get_backend(dev).xp
    return _finish(xp.eye(n, m, dtype=dt), requires_grad)


def _like(t: Tensor, dtype: Any, device: Any) -> tuple[Any, Any]:
    return (dtype if dtype is not None else t.dtype), (device if device is not None else t.device)


def zeros_like(input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Zeros with the shape (and by default dtype and device) of ``input``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros_like(hw.ones(2, dtype=hw.int32)).tolist()
    [0, 0]
    """
    dtype, device = _like(input, dtype, device)
    return zeros(input.shape, dtype=dtype, device=device, requires_grad=requires_grad)


def ones_like(input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Ones with the shape (and by default dtype and device) of ``input``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ones_like(hw.zeros(2)).tolist()
    [1.0, 1.0]
    """
    dtype, device = _like(input, dtype, device)
    return ones(input.shape, dtype=dtype, device=device, requires_grad=requires_grad)


def full_like(input: Tensor, fill_value: Any, *, dtype: Any = None, device: Any = None,
              requires_grad: bool = False) -> Tensor:
    """``fill_value`` with the shape (and by default dtype and device) of ``input``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.full_like(hw.zeros(2), 3).tolist()
    [3.0, 3.0]
    """
    dtype, device = _like(input, dtype, device)
    return full(input.shape, fill_value, dtype=dtype, device=device, requires_grad=requires_grad)


def empty_like(input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """An uninitialised tensor like ``input``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.empty_like(hw.zeros(2, 3)).shape
    (2, 3)
    """
    dtype, device = _like(input, dtype, device)
    return empty(input.shape, dtype=dtype, device=device, requires_grad=requires_grad)
