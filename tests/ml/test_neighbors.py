"""Brute-force nearest neighbours against scikit-learn."""

import numpy as np
import pytest

pytest.importorskip("sklearn")
from sklearn import datasets, neighbors  # noqa: E402

import headwater as hw  # noqa: E402
from ml.helpers import host  # noqa: E402


def test_kneighbors_distances_match():
    X, _ = datasets.load_digits(return_X_y=True)
    a = hw.ml.NearestNeighbors(n_neighbors=4).fit(X[:1200])
    b = neighbors.NearestNeighbors(n_neighbors=4).fit(X[:1200])
    d1, i1 = a.kneighbors(X[1200:])
    d2, i2 = b.kneighbors(X[1200:])
    np.testing.assert_allclose(d1, d2, atol=1e-6)
    assert (i1 == i2).mean() > 0.97  # ties may be ordered differently
    d1, _ = a.kneighbors()
    d2, _ = b.kneighbors()
    np.testing.assert_allclose(host(d1), d2, atol=1e-6)


@pytest.mark.parametrize("weights", ["uniform", "distance"])
def test_classifier_and_regressor(weights):
    X, y = datasets.load_digits(return_X_y=True)
    a = hw.ml.KNeighborsClassifier(5, weights=weights).fit(X[:1400], y[:1400])
    b = neighbors.KNeighborsClassifier(5, weights=weights).fit(X[:1400], y[:1400])
    assert abs(a.score(X[1400:], y[1400:]) - b.score(X[1400:], y[1400:])) <= 0.01
    pa, pb = a.predict_proba(X[1400:]), b.predict_proba(X[1400:])
    # the digits are integers, so a 5th and a 6th neighbour can be at exactly the same
    # distance; which one either library keeps then depends on the last bit of its
    # rounding (the BLAS kernel of the machine). Rows off by such a tie are exempt.
    differ = np.flatnonzero(np.abs(pa - pb).max(axis=1) > 1e-6)
    d6, _ = b.kneighbors(X[1400:][differ], n_neighbors=6)
    np.testing.assert_allclose(d6[:, 4], d6[:, 5], rtol=1e-9)
    assert len(differ) <= 3
    np.testing.assert_allclose(np.delete(pa, differ, 0), np.delete(pb, differ, 0), atol=1e-6)
    Xr, yr = datasets.load_diabetes(return_X_y=True)
    c = hw.ml.KNeighborsRegressor(7, weights=weights).fit(Xr[:300], yr[:300])
    d = neighbors.KNeighborsRegressor(7, weights=weights).fit(Xr[:300], yr[:300])
    assert abs(c.score(Xr[300:], yr[300:]) - d.score(Xr[300:], yr[300:])) <= 0.01


def test_frame_queries_keep_types():
    df = hw.DataFrame({"x": [0.0, 1.0, 2.0, 10.0], "y": [0.0, 0.0, 1.0, 1.0], "c": ["a", "a", "b", "b"]})
    knn = hw.ml.KNeighborsClassifier(n_neighbors=1).fit(df, "c", features=["x", "y"])
    assert knn.predict(df).tolist() == ["a", "a", "b", "b"]
    dist, idx = hw.ml.NearestNeighbors(n_neighbors=1).fit(df[["x"]]).kneighbors(df[["x"]])
    assert isinstance(idx, hw.DataFrame)
