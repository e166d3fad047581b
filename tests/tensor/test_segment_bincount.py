"""The host bincount in chunks over threads, and exact integer segment sums."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw
from headwater.tensor.backend.cpu import NumpyBackend  # the host fast paths under test
from headwater.tensor.backend.segments import bincount
from headwater.tensor.backend.threads import map_ranges, num_threads

ROWS = (1 << 20) + 12_345  # past the chunking threshold, not a multiple of the chunk


@pytest.mark.parametrize("threads", ["1", "2", "3"])
@pytest.mark.parametrize("weights", [None, "int32", "float64", "uint8"])
def test_chunked_bincount_equals_numpy(monkeypatch, threads, weights):
    monkeypatch.setenv("HEADWATER_NUM_THREADS", threads)
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 1000, ROWS)
    w = None if weights is None else rng.integers(0, 100, ROWS).astype(weights)
    got = bincount(np, ids, w, minlength=1001)
    want = np.bincount(ids, w, minlength=1001)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


def test_num_threads_setting(monkeypatch):
    monkeypatch.setenv("HEADWATER_NUM_THREADS", "3")
    assert num_threads() == 3
    assert sum(map_ranges(lambda a, b: b - a, 10_000_000)) == 10_000_000
    monkeypatch.setenv("HEADWATER_NUM_THREADS", "many")
    with pytest.raises(ValueError, match="HEADWATER_NUM_THREADS"):
        num_threads()


@pytest.mark.parametrize("dtype", ["int8", "int32", "uint32", "int64"])
def test_integer_segment_sums_are_exact(dtype):
    be = NumpyBackend()
    info = np.iinfo(dtype)
    low, high = (-(1 << 40), 1 << 40) if dtype == "int64" else (info.min, info.max)  # no int64 wrap
    rng = np.random.default_rng(1)
    ids = rng.integers(0, 3, ROWS)
    # extremes of the dtype: past 2**53 in total for the wide types, so the exact path is needed
    values = rng.choice(np.array([low, high, 1, 0], dtype=dtype), ROWS)
    got = be.segment_sum(values, ids, 3)
    want = [sum(int(v) for v in values[ids == k]) for k in range(3)]
    assert [int(v) for v in got] == want

