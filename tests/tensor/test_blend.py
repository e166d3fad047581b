"""The branch-free select equals NumPy's where bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from headwater.tensor.backend.blend import blend

DTYPES = [np.float16, np.float32, np.float64, np.int16, np.int32, np.int64, np.uint32, np.int8]


def _same(got, want):
    assert got.dtype == want.dtype and got.shape == want.shape
    if want.dtype.itemsize in (2, 4, 8):
        width = {2: np.uint16, 4: np.uint32, 8: np.uint64}[want.dtype.itemsize]
        np.testing.assert_array_equal(got.view(width), want.view(width))
    else:
        np.testing.assert_array_equal(got, want)


@settings(max_examples=60, deadline=None)
@given(
    dtype=st.sampled_from(DTYPES),
    shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=40),
    seed=st.integers(0, 2**32 - 1),
)
def test_blend_matches_where_on_arrays(dtype, shape, seed):
    rng = np.random.default_rng(seed)
    cond = rng.random(shape) > 0.5
    a = (rng.standard_normal(shape) * 100).astype(dtype)
    b = (rng.standard_normal(shape[-1:]) * 100).astype(dtype)  # broadcasts over rows
    if a.dtype.kind == "f":
        a.flat[:: 7] = np.nan
        a.flat[1:: 11] = -0.0
    _same(blend(np, cond, a, b), np.where(cond, a, b))
    _same(blend(np, cond, a, 0), np.where(cond, a, 0))
    _same(blend(np, cond, 0, a), np.where(cond, 0, a))


@pytest.mark.parametrize("other", [0, 1.5, np.float32(-2.0), np.zeros((), np.float32)])
def test_blend_scalars_and_promotion(other):
    rng = np.random.default_rng(0)
    cond = rng.random((64, 64)) > 0.5
    for a in (rng.standard_normal((64, 64)).astype(np.float32), np.arange(4096, dtype=np.int32).reshape(64, 64)):
        _same(blend(np, cond, a, other), np.where(cond, a, other))


def test_blend_broadcast_mask_and_fallbacks():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((100, 50))
    cond = rng.random(50) > 0.3  # the mask broadcasts over rows
    _same(blend(np, cond, a, -a), np.where(cond, a, -a))
    # non-bool conditions, object data and tiny arrays take NumPy's where unchanged
    int_cond = (rng.random((100, 50)) > 0.5).astype(np.int64)
    _same(blend(np, int_cond, a, 0.0), np.where(int_cond, a, 0.0))
    obj = np.array(["x", "y"], dtype=object)
    assert blend(np, np.array([True, False]), obj, "z").tolist() == ["x", "z"]
    assert blend(np, np.array([True, False]), np.array([1.0, 2.0]), 0).tolist() == [1.0, 0.0]
