"""DBSCAN against scikit-learn on its bundled datasets: the same labels, core samples and components."""

import numpy as np
import pytest

pytest.importorskip("sklearn")
from sklearn import cluster, datasets, metrics, preprocessing  # noqa: E402

import headwater as hw  # noqa: E402
from ml.helpers import host  # noqa: E402

CASES = [(datasets.load_iris, 0.5, 5), (datasets.load_wine, 2.0, 5), (datasets.load_breast_cancer, 3.0, 5),
         (datasets.load_digits, 4.0, 4)]


@pytest.mark.parametrize(("loader", "eps", "min_samples"), CASES, ids=["iris", "wine", "cancer", "digits"])
@pytest.mark.parametrize("weighted", [False, True])
def test_dbscan_matches_sklearn(loader, eps: float, min_samples: int, weighted: bool) -> None:
    X = preprocessing.StandardScaler().fit_transform(loader().data)
    w = np.random.default_rng(0).random(X.shape[0]) * 2 if weighted else None
    ours = hw.ml.DBSCAN(eps=eps, min_samples=min_samples).fit(X, sample_weight=w)
    ref = cluster.DBSCAN(eps=eps, min_samples=min_samples).fit(X, sample_weight=w)
    labels = host(ours.labels_)
    assert len(set(ref.labels_)) >= 2 and (ref.labels_ == -1).any()  # clusters and noise: the comparison means something
    np.testing.assert_array_equal(labels, ref.labels_)  # the same numbering, not only up to permutation
    assert metrics.adjusted_rand_score(labels, ref.labels_) == 1.0
    np.testing.assert_array_equal(host(ours.core_sample_indices_), ref.core_sample_indices_)
    np.testing.assert_allclose(host(ours.components_), ref.components_)


def test_dbscan_float32_moons_frame_and_fit_predict() -> None:
    X, _ = datasets.make_moons(400, noise=0.08, random_state=0)
    X = X.astype(np.float32)
    ref = cluster.DBSCAN(eps=0.1, min_samples=5).fit(X)
    frame = hw.DataFrame({"a": X[:, 0], "b": X[:, 1]})
    labels = hw.ml.DBSCAN(eps=0.1, min_samples=5).fit_predict(frame)
    assert isinstance(labels, hw.Series)
    np.testing.assert_array_equal(labels.to_numpy(), ref.labels_)
    db = hw.ml.DBSCAN(eps=0.1, min_samples=5).fit(X)
    assert host(db.components_).dtype == np.float32 and db.n_features_in_ == 2
    assert hw.ml.clone(db).get_params()["eps"] == 0.1


def test_dbscan_border_row_joins_the_lowest_cluster() -> None:
    # row 2 is within eps of both clusters' cores but is no core itself
    X = np.array([[0.0], [0.5], [1.5], [2.5], [3.0], [10.0]])
    ours = hw.ml.DBSCAN(eps=1.0, min_samples=2).fit(X)
    ref = cluster.DBSCAN(eps=1.0, min_samples=2).fit(X)
    np.testing.assert_array_equal(host(ours.labels_), ref.labels_)


@pytest.mark.parametrize(("params", "error", "words"), [
    ({"eps": 0.0}, ValueError, "eps=0.0 must be > 0"),
    ({"min_samples": 0}, ValueError, "min_samples=0"),
    ({"metric": "manhattan"}, NotImplementedError, "metric='manhattan'"),
    ({"metric_params": {"w": 1}}, NotImplementedError, "metric_params"),
    ({"algorithm": "fast"}, ValueError, "algorithm='fast'"),
])
def test_dbscan_bad_parameters(params: dict, error: type, words: str) -> None:
    with pytest.raises(error, match=words.replace("(", r"\(")):
        hw.ml.DBSCAN(**params).fit([[0.0], [1.0]])


def test_dbscan_refuses_nan() -> None:
    with pytest.raises(ValueError, match="DBSCAN"):
        hw.ml.DBSCAN().fit([[0.0], [float("nan")]])
