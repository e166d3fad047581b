"""Blocked passes (row_blocks) on inputs that span many blocks, threads and kNN chunks, against scikit-learn."""

import numpy as np
import pytest

pytest.importorskip("sklearn")
from sklearn import cluster, decomposition, neighbors  # noqa: E402

import headwater as hw  # noqa: E402
from headwater.ml.row_blocks import block_rows, map_blocks, squared_norms, sum_blocks  # noqa: E402
from ml.helpers import host  # noqa: E402


@pytest.fixture(autouse=True)
def two_threads(monkeypatch):
    monkeypatch.setenv("HEADWATER_NUM_THREADS", "2")


def blobs(n, p, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=5.0, size=(6, p))
    return (centres[rng.integers(0, 6, n)] + rng.normal(size=(n, p))).astype(np.float32)


def test_map_blocks_covers_every_row_once_in_order():
    backend = hw.get_backend("cpu")
    got = map_blocks(backend, 100_003, 1000, lambda a, b: (a, b))
    assert got[0][0] == 0 and got[-1][1] == 100_003
    assert all(x[1] == y[0] for x, y in zip(got, got[1:])) and all(b - a <= 1000 for a, b in got)
    X = np.arange(60_000 * 3, dtype=np.float64).reshape(-1, 3)
    assert sum_blocks(map_blocks(backend, len(X), 777, lambda a, b: X[a:b].sum())) == X.sum()
    np.testing.assert_array_equal(host(squared_norms(backend.to_device(X))), (X * X).sum(axis=1))
    assert block_rows(backend, 10**9) >= 1


def test_knn_across_training_chunks_matches_sklearn():
    X = blobs(20_000, 8)
    Q = blobs(600, 8, seed=1)
    d1, i1 = hw.ml.NearestNeighbors(n_neighbors=7).fit(X).kneighbors(Q)
    d2, i2 = neighbors.NearestNeighbors(n_neighbors=7).fit(X).kneighbors(Q)
    np.testing.assert_allclose(host(d1), d2, rtol=1e-5, atol=1e-5)
    assert (host(i1) == i2).mean() > 0.999
    d1, i1 = hw.ml.NearestNeighbors(n_neighbors=3).fit(X[:9000]).kneighbors()  # each row left out of its own answer
    d2, i2 = neighbors.NearestNeighbors(n_neighbors=3).fit(X[:9000]).kneighbors()
    np.testing.assert_allclose(host(d1), d2, rtol=1e-5, atol=1e-5)


def test_kmeans_over_many_blocks_matches_sklearn():
    X = blobs(50_000, 5)
    start = X[:6].copy()
    a = hw.ml.KMeans(6, init=start, n_init=1, max_iter=30).fit(X)
    b = cluster.KMeans(6, init=start, n_init=1, max_iter=30).fit(X)
    np.testing.assert_array_equal(host(a.labels_), b.labels_)
    np.testing.assert_allclose(host(a.cluster_centers_), b.cluster_centers_, rtol=1e-4, atol=1e-4)
    assert a.inertia_ == pytest.approx(b.inertia_, rel=1e-4)
    w = np.linspace(0.5, 2.0, len(X))
    a = hw.ml.KMeans(6, init=start, n_init=1).fit(X, sample_weight=w)
    b = cluster.KMeans(6, init=start, n_init=1).fit(X, sample_weight=w)
    np.testing.assert_allclose(host(a.cluster_centers_), b.cluster_centers_, rtol=1e-4, atol=1e-4)


def test_pca_float32_with_a_large_mean_keeps_float64_accuracy():
    X = blobs(40_000, 6) + np.float32(1000.0)  # the covariance of raw float32 products would cancel
    ours = hw.ml.PCA(3).fit(X)
    ref = decomposition.PCA(3).fit(X.astype(np.float64))
    np.testing.assert_allclose(host(ours.explained_variance_), ref.explained_variance_, rtol=1e-5)
    sign = np.sign((host(ours.components_) * ref.components_).sum(axis=1))
    np.testing.assert_allclose(host(ours.components_), ref.components_ * sign[:, None], atol=1e-4)
    np.testing.assert_allclose(host(ours.transform(X)), ref.transform(X.astype(np.float64)) * sign, atol=2e-3)
    assert host(ours.components_).dtype == np.float32
