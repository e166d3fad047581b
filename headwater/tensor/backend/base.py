"""The interface every array backend implements.

A backend is the array namespace ``xp`` (``numpy`` or ``cupy``) plus the few
primitives whose best implementation differs by device. Code above this layer is
written once against ``backend.xp`` and these methods; only the CuPy backend imports
``cupy``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import ModuleType
from typing import Any

import numpy as np

from headwater.tensor.transfer import count_upload, to_host

__all__ = ["Backend"]


class Backend(ABC):
    """Array namespace plus device-specific primitives.

    Attributes
    ----------
    name : str
        ``"cpu"`` or ``"cuda"``.
    xp : module
        ``numpy`` or ``cupy``.
    """

    name: str
    xp: ModuleType

    # -- identity -------------------------------------------------------------------
    @abstractmethod
    def owns(self, array: Any) -> bool:
        """True when ``array`` is an array of this backend's namespace."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    # -- crossings ------------------------------------------------------------------
    def to_host(self, array: Any) -> np.ndarray:
        """Copy a device array into host memory (counted; see ``hw.transfer_stats``)."""
        return to_host(array)

    def to_device(self, array: Any, dtype: Any = None) -> Any:
        """Upload host data (NumPy array, list, scalar) onto this device, counted.

        On the CPU this is ``np.asarray`` (no copy when it already is an array of
        that dtype); it is still counted as an upload so that tests on the CPU see
        the same number of crossings as a GPU run would make.
        """
        host = np.asarray(array, dtype=dtype)
        count_upload(host.nbytes)
        return self._upload(host)

    @abstractmethod
    def _upload(self, host: np.ndarray) -> Any:
        """Move a NumPy array onto the device without counting."""

    # -- synchronisation ------------------------------------------------------------
    def synchronize(self) -> None:
        """Wait for queued device work to finish (a no-op on the CPU)."""

    # -- random numbers -------------------------------------------------------------
    @abstractmethod
    def random_state(self, seed: int | None) -> Any:
        """A random generator on this device seeded with ``seed``."""
