"""Headwater: GPU data science end to end.

An Arrow-layout dataframe feeds zero-copy into a tensor and autograd engine, on CuPy
when a GPU is present and on NumPy otherwise. This module only re-exports the public
surface; the work lives in ``tensor``, ``autograd``, ``dataframe`` and ``pipelines``.

Never bind the name ``tensor`` here: ``headwater.tensor`` is the device-layer
subpackage, and the tensor factory is ``hw.as_tensor``.
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version

from headwater.tensor import (
    Device,
    DeviceMismatchError,
    DeviceUnavailableError,
    TransferStats,
    device,
    get_backend,
    reset_transfer_stats,
    set_device,
    transfer_stats,
)

try:
    __version__ = _version("headwater")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = [  # each block below extends this list with what it re-exports
    "Device",
    "DeviceMismatchError",
    "DeviceUnavailableError",
    "TransferStats",
    "__version__",
    "device",
    "get_backend",
    "reset_transfer_stats",
    "set_device",
    "transfer_stats",
]

# --- tensor, autograd, nn, optim (issue 3) ------------------------------------------

# --- dataframe, groupby, joins, IO (issues 4 and 5) ---------------------------------

# --- zero-copy bridge, DataLoader, features (issue 6) --------------------------------

# --- pipelines (issue 7) -------------------------------------------------------------
