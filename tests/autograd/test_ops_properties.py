"""Property tests of the ops whose edge cases hide in the data: ties (mode, median,
cummax), zeros (prod, cumprod gradients), wide ranges (logcumsumexp, erf family),
each against PyTorch on hypothesis-drawn inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import headwater as hw

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

SETTINGS = settings(max_examples=30, deadline=None)
shapes = hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6)
small_ints = st.integers(-2, 2)


def _grads(fn_h, fn_t, data):
    h = hw.as_tensor(data, requires_grad=True)
    t = torch.tensor(data, requires_grad=True)
    out_h, out_t = fn_h(h), fn_t(t)
    w = np.linspace(-1.0, 1.0, out_t.numel()).reshape(tuple(out_t.shape))
    (out_h * hw.as_tensor(w)).sum().backward()
    (out_t * torch.tensor(w)).sum().backward()
    return out_h, out_t, h.grad.numpy(), t.grad.numpy()


@SETTINGS
@given(hnp.arrays(np.int64, shapes, elements=small_ints), st.integers(0, 1))
def test_mode_matches_torch_with_ties(data, dim):
    h, t = hw.mode(hw.as_tensor(data), dim), torch.mode(torch.tensor(data), dim)
    assert h.values.tolist() == t.values.tolist()
    assert h.indices.tolist() == t.indices.tolist()


@SETTINGS
@given(hnp.arrays(np.float64, shapes, elements=small_ints.map(float)), st.integers(0, 1))
def test_median_matches_torch_with_ties(data, dim):
    h, t = hw.median(hw.as_tensor(data), dim), torch.median(torch.tensor(data), dim)
    assert h.values.tolist() == t.values.tolist()
    # among tied values any position is a valid answer (torch's is unspecified); it must hold the median
    picked = np.take_along_axis(data, np.expand_dims(h.indices.numpy(), dim), dim).squeeze(dim)
    assert picked.tolist() == t.values.tolist()
    assert hw.median(hw.as_tensor(data)).item() == torch.median(torch.tensor(data)).item()


@SETTINGS
@given(hnp.arrays(np.float64, shapes, elements=small_ints.map(float)), st.integers(0, 1))
def test_cummax_cummin_indices_match_torch_with_ties(data, dim):
    for name in ("cummax", "cummin"):
        h = getattr(hw, name)(hw.as_tensor(data), dim)
        t = getattr(torch, name)(torch.tensor(data), dim)
        assert h.values.tolist() == t.values.tolist()
        assert h.indices.tolist() == t.indices.tolist(), name


@SETTINGS
@given(hnp.arrays(np.float64, shapes, elements=st.sampled_from([0.0, 0.5, -1.5, 2.0, 1.0])),
       st.integers(0, 1))
def test_prod_and_cumprod_gradients_through_zeros(data, dim):
    for fn_h, fn_t in (
        (lambda x: x.prod(dim), lambda x: x.prod(dim)),
        (lambda x: x.cumprod(dim), lambda x: x.cumprod(dim)),
        (lambda x: x.prod().reshape(1), lambda x: x.prod().reshape(1)),
    ):
        out_h, out_t, g_h, g_t = _grads(fn_h, fn_t, data)
        np.testing.assert_allclose(out_h.detach().numpy(), out_t.detach().numpy(), rtol=1e-12)
        np.testing.assert_allclose(g_h, g_t, rtol=1e-10, atol=1e-12)


@SETTINGS
@given(hnp.arrays(np.float64, shapes, elements=st.floats(-800, 800)), st.integers(0, 1))
def test_logcumsumexp_over_wide_ranges(data, dim):
    out_h, out_t, g_h, g_t = _grads(lambda x: hw.logcumsumexp(x, dim), lambda x: torch.logcumsumexp(x, dim), data)
    np.testing.assert_allclose(out_h.detach().numpy(), out_t.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(g_h, g_t, rtol=1e-9, atol=1e-12)


@SETTINGS
@given(hnp.arrays(np.float64, st.integers(1, 50), elements=st.floats(-6, 6)))
def test_erf_family_matches_torch(data):
    for name in ("erf", "erfc"):
        h = getattr(hw, name)(hw.as_tensor(data)).numpy()
        np.testing.assert_allclose(h, getattr(torch, name)(torch.tensor(data)).numpy(), rtol=1e-12, atol=1e-300)
    y = np.tanh(data / 2)  # inside (-1, 1)
    np.testing.assert_allclose(hw.erfinv(hw.as_tensor(y)).numpy(), torch.erfinv(torch.tensor(y)).numpy(),
                               rtol=1e-10, atol=1e-300)
