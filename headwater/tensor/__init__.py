"""The device layer: backends, device choice, host transfers, dtypes and Tensor.

This module object is also ``torch.tensor``'s counterpart: ``hw.tensor([1.0, 2.0])``
calls :func:`headwater.tensor.creation.tensor`, while ``import headwater.tensor``
keeps naming the package. The one place that makes it callable is the class swap at
the end of this file.
"""

import sys as _sys
import types as _types
from typing import Any as _Any

from headwater.tensor.devices import (
    Device,
    DeviceMismatchError,
    DeviceUnavailableError,
    backend_of,
    device,
    device_of,
    get_backend,
    set_device,
)
from headwater.tensor.transfer import (
    TransferStats,
    reset_transfer_stats,
    to_host,
    transfer_stats,
)

__all__ = [
    "Device",
    "DeviceMismatchError",
    "DeviceUnavailableError",
    "TransferStats",
    "backend_of",
    "device",
    "device_of",
    "get_backend",
    "reset_transfer_stats",
    "set_device",
    "to_host",
    "transfer_stats",
]


class _CallableModule(_types.ModuleType):
    """The ``headwater.tensor`` package, callable as ``torch.tensor`` is."""

    def __call__(self, data: _Any, dtype: _Any = None, device: _Any = None,
                 requires_grad: bool = False) -> _Any:
        from headwater.tensor.creation import tensor

        return tensor(data, dtype=dtype, device=device, requires_grad=requires_grad)


_sys.modules[__name__].__class__ = _CallableModule
