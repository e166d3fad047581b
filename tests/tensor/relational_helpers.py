"""Backends under test for the relational primitives, and host helpers.

``backend`` is the device under test. ``sorting`` is the CPU backend with its
hashing, counting-sort, pandas-quantile and ``multiply.at`` shortcuts removed, so the sort-based paths the
GPU takes are exercised on every CPU run too.
"""

from __future__ import annotations

import numpy as np

import headwater as hw
from headwater.tensor.backend.base import Backend
from headwater.tensor.backend.cpu import NumpyBackend
from headwater.tensor.transfer import to_host


class SortingBackend(NumpyBackend):
    """NumPy arrays through the GPU's (sort-based) algorithms."""

    _factorize_general = Backend._factorize_general
    segment_prod = Backend.segment_prod
    repeat = Backend.repeat
    segment_quantile = Backend.segment_quantile
    segment_median = Backend.segment_median

    def stable_argsort(self, keys, bound=None):  # NumPy needs kind= to be stable, CuPy does not
        return np.argsort(keys, kind="stable")


def backends() -> list[Backend]:
    found = [hw.get_backend(), SortingBackend()]
    return found


def host(array) -> np.ndarray:
    return to_host(array)
