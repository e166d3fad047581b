"""Array backends: NumPy on the CPU, CuPy on the GPU, one interface.

Pick one with :func:`headwater.tensor.devices.get_backend`.
"""

from headwater.tensor.backend.base import Backend
from headwater.tensor.backend.cpu import NumpyBackend
from headwater.tensor.backend.cuda import CupyBackend, cuda_status

__all__ = ["Backend", "NumpyBackend", "CupyBackend", "cuda_status"]
