"""The CuPy backend: device memory on an NVIDIA GPU.

This is the only module in Headwater that imports ``cupy``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.tensor.backend.base import Backend

__all__ = ["CupyBackend", "cuda_status"]


def cuda_status() -> tuple[bool, str]:
    """Whether CUDA can be used here, and why not when it cannot.

    Returns
    -------
    (available, reason)
        ``reason`` names what is missing and how to fix it.
    """
    try:
        import cupy
    except ImportError:
        return False, (
            "CuPy is not installed; install the GPU extra with "
            "`pip install \"headwater[gpu]\"` (CuPy for CUDA 12)"
        )
    try:
        if not cupy.is_available():
            count = 0
            detail = "no usable CUDA device or driver was found"
            try:
                count = cupy.cuda.runtime.getDeviceCount()
            except Exception as exc:  # the driver's own words are the best reason
                detail = f"the CUDA runtime reports: {exc}"
            if count == 0:
                return False, f"CuPy {cupy.__version__} is installed but {detail}"
            return False, f"CuPy {cupy.__version__} sees {count} device(s) but cannot use them"
    except Exception as exc:
        return False, f"CuPy failed to initialise CUDA: {exc}"
    return True, f"CuPy {cupy.__version__} with a usable CUDA device"


class CupyBackend(Backend):
    """Backend over CuPy arrays in GPU memory."""

    name = "cuda"

    def __init__(self) -> None:
        import cupy

        self.xp = cupy
        self._cupy = cupy

    def owns(self, array: Any) -> bool:
        return isinstance(array, self._cupy.ndarray)

    def _upload(self, host: np.ndarray) -> Any:
        return self._cupy.asarray(host)

    @property
    def sparse(self) -> Any:
        import cupyx.scipy.sparse

        return cupyx.scipy.sparse

    def synchronize(self) -> None:
        self._cupy.cuda.get_current_stream().synchronize()

    def random_state(self, seed: int | None) -> Any:
        return self._cupy.random.default_rng(seed)

    def device_properties(self) -> dict[str, Any]:
        """Name, memory and compute capability of the current GPU."""
        runtime = self._cupy.cuda.runtime
        dev = self._cupy.cuda.Device()
        props = runtime.getDeviceProperties(dev.id)
        name = props["name"]
        return {
            "name": name.decode() if isinstance(name, bytes) else str(name),
            "total_memory_bytes": int(props["totalGlobalMem"]),
            "compute_capability": dev.compute_capability,
            "driver_version": runtime.driverGetVersion(),
            "runtime_version": runtime.runtimeGetVersion(),
        }
