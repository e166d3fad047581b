"""Answers of hw.ml as NumPy arrays, for comparison with scikit-learn."""

from __future__ import annotations

from typing import Any

import numpy as np

import headwater as hw
from headwater.tensor.devices import array_device
from headwater.tensor.transfer import to_host


def host(value: Any) -> np.ndarray:
    """A fitted attribute or an answer (device array, Tensor, NumPy array) as a NumPy array.

    Fitted attributes stay on the device the estimator ran on (CuPy on a GPU, the
    strict mode's arrays under ``HEADWATER_DEVICE=cpu-strict``): a reference library
    reads them through one counted copy.
    """
    if isinstance(value, hw.Tensor):
        value = value.array
    if isinstance(value, np.ndarray) or array_device(value) is None:
        return np.asarray(value)
    return to_host(value)
