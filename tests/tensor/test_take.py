"""Backend.take: long gathers split over threads give NumPy's result and errors."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw
from headwater.tensor.backend.cpu import NumpyBackend  # the host fast paths under test

ROWS = (1 << 21) + 5  # past the threshold of the threaded gather


@pytest.mark.parametrize("threads", ["1", "2"])
@pytest.mark.parametrize("dtype", ["float64", "int32", "bool", "uint8"])
def test_take_equals_numpy(monkeypatch, threads, dtype):
    monkeypatch.setenv("HEADWATER_NUM_THREADS", threads)
    rng = np.random.default_rng(2)
    data = (rng.random(ROWS) * 100).astype(dtype)
    idx = rng.integers(0, ROWS, ROWS)
    got = NumpyBackend().take(data, idx)
    assert got.dtype == data.dtype
    np.testing.assert_array_equal(got, data[idx])


def test_take_out_of_bounds_raises():
    data = np.arange(10.0)
    idx = np.zeros(ROWS, dtype=np.int64)
    idx[-1] = 10
    with pytest.raises(IndexError):
        NumpyBackend().take(data, idx)


def test_take_negative_indices_wrap_as_numpy():
    data = np.arange(10.0)
    idx = np.full(ROWS, -1, dtype=np.int64)
    np.testing.assert_array_equal(NumpyBackend().take(data, idx), data[idx])
