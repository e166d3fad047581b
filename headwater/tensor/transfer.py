"""The one gate between device memory and host memory.

Every copy that crosses into host memory (``Tensor.numpy()``, ``.item()``,
``.tolist()``, ``to_pandas()``, a printed repr, an implicit sync) goes through
:func:`to_host`, and every upload goes through :func:`to_device`. Both count calls
and bytes on every device, the CPU included, so a CPU test catches code that would
force a GPU to synchronise.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

__all__ = ["TransferStats", "to_host", "count_upload", "transfer_stats", "reset_transfer_stats"]


@dataclass(frozen=True)
class TransferStats:
    """Counts of host<->device crossings since the last reset.

    Attributes
    ----------
    to_host_calls, to_host_bytes
        Copies (or, on the CPU, hand-overs) of device arrays into host memory.
    to_device_calls, to_device_bytes
        Uploads of host data onto the device.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.reset_transfer_stats()
    >>> hw.transfer_stats().to_host_calls
    0
    """

    to_host_calls: int = 0
    to_host_bytes: int = 0
    to_device_calls: int = 0
    to_device_bytes: int = 0

    @property
    def calls(self) -> int:
        """All crossings, both directions."""
        return self.to_host_calls + self.to_device_calls

    @property
    def bytes(self) -> int:
        """All bytes moved, both directions."""
        return self.to_host_bytes + self.to_device_bytes

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def __sub__(self, other: TransferStats) -> TransferStats:
        return TransferStats(*(a - b for a, b in zip(self.as_dict().values(), other.as_dict().values())))


_lock = threading.Lock()
# Called with the host copy on every host read while headwater.jit records a trace (None otherwise).
_read_hook: Any = None
_counts = {"to_host_calls": 0, "to_host_bytes": 0, "to_device_calls": 0, "to_device_bytes": 0}


def _nbytes(array: Any) -> int:
    return int(getattr(array, "nbytes", 0))


def to_host(array: Any) -> np.ndarray:
    """Return ``array`` as a NumPy array in host memory, counting the crossing.

    On the CPU the array is already in host memory and is returned without a copy;
    the crossing is still counted, so that code paths which would synchronise a GPU
    show up in CPU tests.

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.tensor.transfer import to_host
    >>> to_host(np.arange(3)).tolist()
    [0, 1, 2]
    """
    with _lock:
        _counts["to_host_calls"] += 1
        _counts["to_host_bytes"] += _nbytes(array)
    if isinstance(array, np.ndarray):
        host = array
    elif isinstance(array, np.generic):
        host = np.asarray(array)
    else:
        get = getattr(array, "get", None)  # cupy.ndarray -> numpy.ndarray
        host = get() if get is not None else np.asarray(array)
    if _read_hook is not None:
        _read_hook(host)  # the recorder sees the value read, so it need not read it again
    return host


def count_upload(nbytes: int) -> None:
    """Record one host->device upload of ``nbytes`` bytes (called by the backends)."""
    with _lock:
        _counts["to_device_calls"] += 1
        _counts["to_device_bytes"] += int(nbytes)


def transfer_stats() -> TransferStats:
    """Host<->device crossings counted since the last :func:`reset_transfer_stats`.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.tensor.transfer import to_host
    >>> hw.reset_transfer_stats()
    >>> _ = to_host(hw.get_backend("cpu").xp.zeros(4))
    >>> hw.transfer_stats().to_host_calls, hw.transfer_stats().to_host_bytes
    (1, 32)
    """
    with _lock:
        return TransferStats(**_counts)


def reset_transfer_stats() -> None:
    """Set every transfer counter back to zero.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.reset_transfer_stats()
    >>> hw.transfer_stats().calls
    0
    """
    with _lock:
        for key in _counts:
            _counts[key] = 0
