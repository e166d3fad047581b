"""The NumPy backend: host memory, one code path shared with the GPU."""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.tensor.backend.base import Backend

__all__ = ["NumpyBackend"]


class NumpyBackend(Backend):
    """Backend over NumPy arrays in host memory.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.get_backend("cpu").xp.__name__
    'numpy'
    """

    name = "cpu"
    xp = np

    def owns(self, array: Any) -> bool:
        return isinstance(array, (np.ndarray, np.generic))

    def _upload(self, host: np.ndarray) -> np.ndarray:
        return host

    def random_state(self, seed: int | None) -> np.random.Generator:
        return np.random.default_rng(seed)
