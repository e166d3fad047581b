"""Property tests over random shapes: forwards agree with NumPy, backwards with
their closed forms."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, basic_indices

import headwater as hw

SETTINGS = settings(max_examples=30, deadline=None)


@st.composite
def shape_and_dims(draw):
    shape = draw(array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=4))
    dims = draw(st.lists(st.integers(0, len(shape) - 1), unique=True, min_size=1, max_size=len(shape)))
    keepdim = draw(st.booleans())
    return shape, tuple(dims), keepdim


def _host(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


@SETTINGS
@given(shape_and_dims())
def test_reductions_match_numpy(case):
    shape, dims, keepdim = case
    a = _host(shape)
    x = hw.as_tensor(a)
    np.testing.assert_allclose(x.sum(dim=dims, keepdim=keepdim).numpy(), a.sum(axis=dims, keepdims=keepdim))
    np.testing.assert_allclose(x.mean(dim=dims, keepdim=keepdim).numpy(), a.mean(axis=dims, keepdims=keepdim))
    np.testing.assert_allclose(hw.amax(x, dim=dims, keepdim=keepdim).numpy(), a.max(axis=dims, keepdims=keepdim))
    n = int(np.prod([shape[d] for d in dims]))
    if n > 1:
        np.testing.assert_allclose(x.var(dim=dims, keepdim=keepdim).numpy(),
                                   a.var(axis=dims, ddof=1, keepdims=keepdim), rtol=1e-10)
    m = np.max(a, axis=dims, keepdims=True)
    lse = np.log(np.exp(a - m).sum(axis=dims, keepdims=True)) + m
    np.testing.assert_allclose(hw.logsumexp(x, dim=dims, keepdim=True).numpy(), lse, rtol=1e-12)


@SETTINGS
@given(shape_and_dims())
def test_sum_and_mean_gradients(case):
    shape, dims, keepdim = case
    x = hw.as_tensor(_host(shape), requires_grad=True)
    x.mean(dim=dims, keepdim=keepdim).sum().backward()
    n = int(np.prod([shape[d] for d in dims]))
    np.testing.assert_allclose(x.grad.numpy(), np.full(shape, 1.0 / n))


@SETTINGS
@given(array_shapes(min_dims=1, max_dims=4, max_side=4), st.randoms(use_true_random=False))
def test_permute_backward_inverts_the_permutation(shape, rnd):
    axes = list(range(len(shape)))
    rnd.shuffle(axes)
    x = hw.as_tensor(_host(shape), requires_grad=True)
    y = x.permute(*axes)
    assert y.shape == tuple(shape[a] for a in axes)
    w = _host(y.shape, seed=1)
    (y * hw.as_tensor(w)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.transpose(w, np.argsort(axes)))


@SETTINGS
@given(st.data())
def test_basic_indexing_matches_numpy_and_scatters_back(data):
    shape = data.draw(array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
    index = data.draw(basic_indices(shape, allow_newaxis=True, allow_ellipsis=True))
    a = _host(shape)
    x = hw.as_tensor(a, requires_grad=True)
    y = x[index]
    np.testing.assert_array_equal(y.detach().numpy(), a[index])
    w = _host(y.shape, seed=2)
    (y * hw.as_tensor(w)).sum().backward()
    expected = np.zeros(shape)
    expected[index] += w
    np.testing.assert_allclose(x.grad.numpy(), expected)


@SETTINGS
@given(array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=5), st.data())
def test_integer_array_indexing_adds_repeats(shape, data):
    idx = data.draw(st.lists(st.integers(0, shape[0] - 1), min_size=1, max_size=8))
    a = _host(shape)
    x = hw.as_tensor(a, requires_grad=True)
    y = x[hw.as_tensor(np.array(idx))]
    np.testing.assert_array_equal(y.detach().numpy(), a[idx])
    y.sum().backward()
    counts = np.bincount(idx, minlength=shape[0]).reshape((-1,) + (1,) * (len(shape) - 1))
    np.testing.assert_allclose(x.grad.numpy(), np.broadcast_to(counts, shape))


@SETTINGS
@given(array_shapes(min_dims=1, max_dims=3, max_side=4), st.integers(1, 4))
def test_split_then_cat_is_identity_with_identity_gradient(shape, size):
    x = hw.as_tensor(_host(shape), requires_grad=True)
    pieces = hw.split(x, size, dim=0)
    assert [p.shape[0] for p in pieces] == [min(size, shape[0] - s) for s in range(0, shape[0], size)]
    y = hw.cat(pieces, dim=0)
    np.testing.assert_array_equal(y.detach().numpy(), x.detach().numpy())
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.ones(shape))
