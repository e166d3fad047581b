"""The compiled host loops (numba) against their NumPy reference steps, and the one-pass PCA Gram matrix."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw
from headwater.autograd.optim import adam_kernel
from headwater.ml import decomposition, host_loops, kmeans_core
from headwater.ml.neighbors import kneighbors_brute

from ml.helpers import host

on_host = pytest.mark.skipif(not hw.get_backend().host_fast_paths, reason="the compiled loops run on the host only")


@pytest.fixture
def numba_off(monkeypatch: pytest.MonkeyPatch):
    """A context switching the loops off (``HEADWATER_JIT_NUMBA=0``) for the reference run."""
    pytest.importorskip("numba")
    if not adam_kernel.numba_enabled():
        pytest.skip("the compiled loops are switched off (HEADWATER_JIT_NUMBA=0)")

    class Off:
        def __enter__(self) -> None:
            monkeypatch.setenv("HEADWATER_JIT_NUMBA", "0")
            adam_kernel.reset()
            assert not host_loops.loops_apply(hw.get_backend("cpu"), np.zeros(1))

        def __exit__(self, *exc: object) -> None:
            monkeypatch.delenv("HEADWATER_JIT_NUMBA")
            adam_kernel.reset()

    yield Off()
    adam_kernel.reset()


def _blobs(n: int, p: int, dtype: type, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=3.0, size=(5, p))
    return (centres[rng.integers(0, 5, n)] + rng.normal(size=(n, p))).astype(dtype)


@on_host
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("weighted", [False, True])
def test_lloyd_step_matches_numpy(numba_off, dtype: type, weighted: bool) -> None:
    X = _blobs(40_000, 7, dtype)  # several blocks and two thread ranges
    rng = np.random.default_rng(1)
    C = X[rng.choice(X.shape[0], 6, replace=False)].copy()
    w = rng.random(X.shape[0]).astype(dtype) if weighted else None
    assert host_loops.loops_apply(hw.get_backend("cpu"), X)
    labels, sums, weights = kmeans_core.lloyd_step(np, X, C, w)
    with numba_off:
        ref_labels, ref_sums, ref_weights = kmeans_core.lloyd_step(np, X, C, w)
    assert sums.dtype == ref_sums.dtype == dtype and weights.dtype == ref_weights.dtype == dtype
    np.testing.assert_array_equal(labels, ref_labels)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(sums, ref_sums, rtol=tol, atol=tol * np.abs(ref_sums).max())
    np.testing.assert_allclose(weights, ref_weights, rtol=tol)
    # and both against a float64 computation from the labels
    exact = np.zeros((6, 7))
    np.add.at(exact, labels, X.astype(np.float64) * (1.0 if w is None else w[:, None]))
    np.testing.assert_allclose(sums, exact, rtol=tol, atol=tol * np.abs(exact).max())


@on_host
def test_assign_matches_numpy(numba_off) -> None:
    X = _blobs(20_000, 5, np.float32, seed=2)
    C = X[:4].copy()
    x_sq = (X * X).sum(axis=1)
    labels, dist = kmeans_core.assign(np, X, x_sq, C)
    with numba_off:
        ref_labels, ref_dist = kmeans_core.assign(np, X, x_sq, C)
    np.testing.assert_array_equal(labels, ref_labels)
    np.testing.assert_array_equal(dist, ref_dist)
    assert dist.dtype == np.float32 and (dist >= 0).all()


@on_host
def test_kmeans_fit_same_with_and_without_loops(numba_off) -> None:
    X = _blobs(30_000, 6, np.float32, seed=3)
    km = hw.ml.KMeans(5, random_state=0, n_init=2).fit(X)
    with numba_off:
        ref = hw.ml.KMeans(5, random_state=0, n_init=2).fit(X)
    np.testing.assert_array_equal(km.labels_, ref.labels_)
    np.testing.assert_allclose(km.cluster_centers_, ref.cluster_centers_, rtol=1e-5, atol=1e-5)
    assert km.n_iter_ == ref.n_iter_ and km.cluster_centers_.dtype == np.float32
    assert km.inertia_ == pytest.approx(ref.inertia_, rel=1e-6)


@on_host
@pytest.mark.parametrize(("n", "k"), [(9_000, 10), (50, 50), (4_097, 1)])
def test_kneighbors_matches_numpy(numba_off, n: int, k: int) -> None:
    rng = np.random.default_rng(4)
    train = rng.normal(size=(n, 9)).astype(np.float32)
    queries = rng.normal(size=(300, 9)).astype(np.float32)
    sq = (train * train).sum(axis=1)
    d, i = kneighbors_brute(np, queries, train, sq, k)
    with numba_off:
        ref_d, ref_i = kneighbors_brute(np, queries, train, sq, k)
    np.testing.assert_array_equal(i, ref_i)
    np.testing.assert_array_equal(d, ref_d)
    exact = np.sqrt(((queries[:, None, :].astype(np.float64) - train[None, :, :]) ** 2).sum(axis=2))
    np.testing.assert_array_equal(i, np.argsort(exact, axis=1, kind="stable")[:, :k])


@on_host
def test_smallest_k_keeps_lower_index_on_ties() -> None:
    loop = host_loops.host_loop("smallest_k_block")
    if loop is None:
        pytest.skip("numba is not installed or switched off")
    tile = np.array([[3.0, 1.0, 1.0, 2.0, 1.0]], dtype=np.float32)
    best_d = np.full((1, 3), np.inf, dtype=np.float32)
    best_i = np.zeros((1, 3), dtype=np.int64)
    loop(tile[:, :2], np.zeros(2, np.float32), 0, best_d, best_i)
    loop(tile[:, 2:], np.zeros(3, np.float32), 2, best_d, best_i)
    assert best_d.tolist() == [[1.0, 1.0, 1.0]] and best_i.tolist() == [[1, 2, 4]]


@pytest.mark.parametrize("offset", [0.0, 1000.0])
def test_centred_gram_one_pass_keeps_float64_accuracy(offset: float) -> None:
    rng = np.random.default_rng(5)
    X = (np.sort(rng.normal(size=(30_000, 4)), axis=0) * [1.0, 2.0, 0.5, 3.0] + offset).astype(np.float32)
    backend = hw.get_backend()
    mean, g = (host(v) for v in decomposition.centred_gram(backend.to_device(X)))
    X64 = X.astype(np.float64)
    ref_mean = X64.mean(axis=0)
    ref_g = (X64 - ref_mean).T @ (X64 - ref_mean)
    # the shifted rows are summed in float32 (their mean is small): the mean to float32 rounding of the spread
    np.testing.assert_allclose(mean, ref_mean, rtol=1e-12, atol=1e-6 * X64.std(axis=0).max())
    np.testing.assert_allclose(g, ref_g, rtol=1e-6, atol=1e-6 * np.abs(ref_g).max())


@on_host
def test_project_uncentred_route_matches_centred() -> None:
    rng = np.random.default_rng(6)
    X = rng.normal(size=(10_000, 6)).astype(np.float32) + 0.5
    comp = np.linalg.qr(rng.normal(size=(6, 3)))[0].T.astype(np.float32)
    shift = X.mean(axis=0)
    centred = decomposition.project(X, shift, comp)
    uncentred = decomposition.project(X, shift, comp, spread=float(X.var(axis=0).sum()))
    np.testing.assert_allclose(uncentred, centred, atol=1e-5)
    exact = (X.astype(np.float64) - shift) @ comp.T.astype(np.float64)
    np.testing.assert_allclose(uncentred, exact, atol=1e-5)
