"""KMeans, MiniBatchKMeans, PCA and TruncatedSVD against scikit-learn."""

import numpy as np
import pytest

pytest.importorskip("sklearn")
from sklearn import cluster, datasets, decomposition, metrics  # noqa: E402

import headwater as hw  # noqa: E402
from ml.helpers import host  # noqa: E402


def test_kmeans_iris_matches_sklearn():
    X, y = datasets.load_iris(return_X_y=True)
    a = hw.ml.KMeans(3, n_init=10, random_state=0).fit(X)
    b = cluster.KMeans(3, n_init=10, random_state=0).fit(X)
    assert metrics.adjusted_rand_score(host(a.labels_), b.labels_) > 0.95
    assert a.inertia_ == pytest.approx(b.inertia_, rel=1e-3)
    assert abs(hw.ml.metrics.adjusted_rand_score(host(a.labels_), y) - metrics.adjusted_rand_score(b.labels_, y)) < 0.05
    assert (host(a.predict(X)) == host(a.labels_)).all()
    assert a.transform(X).shape == (150, 3) and a.score(X) == pytest.approx(-a.inertia_)


def test_kmeans_digits_random_init_and_given_centres():
    X, y = datasets.load_digits(return_X_y=True)
    a = hw.ml.KMeans(10, init="random", n_init=2, random_state=1).fit(X)
    b = cluster.KMeans(10, init="random", n_init=2, random_state=1).fit(X)
    assert abs(metrics.adjusted_rand_score(host(a.labels_), y) - metrics.adjusted_rand_score(b.labels_, y)) < 0.1
    assert a.inertia_ == pytest.approx(b.inertia_, rel=0.03)
    start = X[:10].copy()
    c = hw.ml.KMeans(10, init=start, n_init=1).fit(X)
    d = cluster.KMeans(10, init=start, n_init=1).fit(X)
    np.testing.assert_allclose(host(c.cluster_centers_), d.cluster_centers_, atol=1e-6)
    assert metrics.adjusted_rand_score(host(c.labels_), d.labels_) == 1.0


def test_minibatch_kmeans():
    X, y = datasets.load_iris(return_X_y=True)
    a = hw.ml.MiniBatchKMeans(3, random_state=0, batch_size=64).fit(X)
    assert metrics.adjusted_rand_score(host(a.labels_), y) > 0.6
    assert a.inertia_ < 1.1 * cluster.KMeans(3, random_state=0).fit(X).inertia_


@pytest.mark.parametrize("solver", ["full", "covariance_eigh", "auto", "arpack"])
def test_pca_matches_sklearn_up_to_sign(solver):
    X, _ = datasets.load_digits(return_X_y=True)
    a = hw.ml.PCA(8, svd_solver=solver).fit(X)
    b = decomposition.PCA(8, svd_solver=solver if solver != "arpack" else "full").fit(X)
    sign = np.sign((host(a.components_) * b.components_).sum(axis=1))
    np.testing.assert_allclose(host(a.components_), b.components_ * sign[:, None], atol=1e-6)
    np.testing.assert_allclose(host(a.explained_variance_), b.explained_variance_, rtol=1e-6)
    np.testing.assert_allclose(host(a.explained_variance_ratio_), b.explained_variance_ratio_, rtol=1e-6)
    np.testing.assert_allclose(host(a.singular_values_), b.singular_values_, rtol=1e-6)
    assert float(a.noise_variance_) == pytest.approx(b.noise_variance_, rel=1e-6)
    np.testing.assert_allclose(a.transform(X), b.transform(X) * sign, atol=1e-6)
    np.testing.assert_allclose(a.inverse_transform(a.transform(X)), b.inverse_transform(b.transform(X)), atol=1e-6)


def test_pca_fraction_whiten_and_randomized():
    X, _ = datasets.load_digits(return_X_y=True)
    assert hw.ml.PCA(0.9).fit(X).n_components_ == decomposition.PCA(0.9).fit(X).n_components_
    a, b = hw.ml.PCA(5, whiten=True).fit(X), decomposition.PCA(5, whiten=True).fit(X)
    np.testing.assert_allclose(np.abs(a.transform(X)), np.abs(b.transform(X)), atol=1e-6)
    r = hw.ml.PCA(5, svd_solver="randomized", random_state=0).fit(X)
    np.testing.assert_allclose(host(r.explained_variance_), b.explained_variance_, rtol=1e-3)


@pytest.mark.parametrize("algorithm", ["randomized", "arpack"])
def test_truncated_svd(algorithm):
    X, _ = datasets.load_digits(return_X_y=True)
    a = hw.ml.TruncatedSVD(5, algorithm=algorithm, random_state=0).fit(X)
    b = decomposition.TruncatedSVD(5, algorithm=algorithm, random_state=0).fit(X)
    sign = np.sign((host(a.components_) * b.components_).sum(axis=1))
    np.testing.assert_allclose(host(a.components_), b.components_ * sign[:, None], atol=1e-4)
    np.testing.assert_allclose(host(a.explained_variance_ratio_), b.explained_variance_ratio_, rtol=1e-4)
    np.testing.assert_allclose(np.abs(a.fit_transform(X)), np.abs(b.transform(X)), atol=1e-3)
