"""The device layer: backends, device choice, host transfers, dtypes and Tensor."""

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
