"""Moving and converting tensors: ``to`` (device and dtype), ``clone``, ``contiguous``.

Both directions of a device move go through the counted gates (``backend.to_device``
and ``to_host``), and both are differentiable.
"""

from __future__ import annotations

from typing import Any

from headwater.autograd.function import Op
from headwater.tensor.devices import Device, array_device, get_backend
from headwater.tensor.dtypes import is_floating, to_dtype
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["to", "clone", "contiguous", "move"]


def move(data: Any, device: Device) -> Any:
    """``data`` on ``device``: itself when already there, else one counted copy."""
    here = array_device(data)
    if here == device.type:
        return data
    if device.type == "cpu":
        return to_host(data)
    return get_backend(device).to_device(to_host(data) if here != "cpu" else data)


class Cast(Op):
    def forward(self, a, dtype=None):
        self.in_dtype = a.dtype
        return a.astype(dtype)

    def backward(self, g):
        return g.astype(self.in_dtype)


class CastNoGrad(Cast):
    name = "cast"
    differentiable = False


class ToDevice(Op):
    def forward(self, a, device=None):
        self.src = Device(array_device(a))
        return move(a, device)

    def backward(self, g):
        return move(g, self.src)


class Clone(Op):
    def forward(self, a):
        return a.copy()

    def backward(self, g):
        return g


def _parse_to(args: tuple, kwargs: dict) -> tuple[Device | None, Any]:
    device = kwargs.pop("device", None)
    dtype = kwargs.pop("dtype", None)
    kwargs.pop("non_blocking", None)
    kwargs.pop("copy", None)
    if kwargs:
        raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
    for arg in args:
        if isinstance(arg, Tensor):
            device, dtype = arg.device, arg.dtype
        elif isinstance(arg, (str, Device)):
            try:
                device = Device(arg)
            except ValueError:
                dtype = to_dtype(arg)
        elif arg is not None:
            dtype = to_dtype(arg)
    return (Device(device) if device is not None else None), (
        to_dtype(dtype) if dtype is not None else None
    )


def to(input: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """The tensor on another device and/or with another dtype; ``input`` itself
    when nothing changes. Accepts ``to("cuda")``, ``to(hw.float64)``,
    ``to(device, dtype)``, ``to(other_tensor)`` and keywords.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.ones(2)
    >>> x.to(hw.float64).dtype, x.to("cpu") is x
    (dtype('float64'), True)
    """
    device, dtype = _parse_to(args, kwargs)
    out = input
    if device is not None and device != input.device:
        get_backend(device)  # refuses an unavailable device with a clear error
        out = ToDevice.apply(out, device=device)
    if dtype is not None and dtype != out.array.dtype:
        kind = Cast if is_floating(dtype) and is_floating(out.array.dtype) else CastNoGrad
        out = kind.apply(out, dtype=dtype)
    return out


def clone(input: Tensor) -> Tensor:
    """A copy of the data that stays in the graph.

    Examples
    --------
    >>> import headwater as hw
    >>> x = hw.ones(2)
    >>> y = x.clone(); y.array is x.array
    False
    """
    return Clone.apply(input)


def contiguous(input: Tensor) -> Tensor:
    """``input`` itself when C-contiguous, else a contiguous copy (in the graph).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.zeros(2, 3).T.contiguous().shape
    (3, 2)
    """
    if input.array.flags.c_contiguous:
        return input
    return Clone.apply(input)

