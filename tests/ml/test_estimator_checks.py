"""scikit-learn's own estimator checks (sklearn.utils.estimator_checks) on hw.ml estimators.

Expected failures, and why:

- ``check_estimators_unfitted``: hw.ml raises its own ``hw.ml.NotFittedError`` (a
  ValueError and AttributeError, as scikit-learn's), not scikit-learn's class:
  importing scikit-learn is not a requirement of hw.ml.
- ``check_supervised_y_2d``: a column-vector y is flattened without scikit-learn's
  ``DataConversionWarning`` (a class of scikit-learn).
- ``check_dtype_object``: a regressor refuses an object-dtype y (labels are not
  numbers), and the check wants a message of NumPy's wording for dict entries.
- ``check_sample_weight_equivalence_on_dense_data`` (k-means): the seeding draws from
  the device's generator, so weighted and repeated rows draw different centres.
"""

import warnings

import pytest

pytest.importorskip("sklearn")
from sklearn.utils.estimator_checks import check_estimator  # noqa: E402

import headwater as hw  # noqa: E402

COMMON = {"check_dtype_object"}
SUPERVISED = COMMON | {"check_estimators_unfitted", "check_supervised_y_2d"}
KMEANS = COMMON | {"check_estimators_unfitted", "check_sample_weight_equivalence_on_dense_data"}

CASES = [
    (hw.ml.PCA(n_components=2), COMMON, False),
    (hw.ml.StandardScaler(), COMMON, False),
    (hw.ml.MinMaxScaler(), COMMON, True),
    (hw.ml.SimpleImputer(), COMMON, True),
    (hw.ml.TruncatedSVD(n_components=1), COMMON, True),
    (hw.ml.NearestNeighbors(), COMMON, True),
    (hw.ml.LinearRegression(), SUPERVISED, True),
    (hw.ml.Ridge(), SUPERVISED, True),
    (hw.ml.Lasso(), SUPERVISED, True),
    (hw.ml.ElasticNet(), SUPERVISED, True),
    (hw.ml.LogisticRegression(), SUPERVISED, True),
    (hw.ml.KNeighborsClassifier(), SUPERVISED, True),
    (hw.ml.KNeighborsRegressor(), SUPERVISED, True),
    (hw.ml.KMeans(n_clusters=2, n_init=1), KMEANS, True),
    (hw.ml.MiniBatchKMeans(n_clusters=2, n_init=1), KMEANS, True),
    (hw.ml.DBSCAN(), COMMON, True),
]


@pytest.mark.parametrize("estimator, expected, slow", [
    pytest.param(e, x, s, id=type(e).__name__, marks=[pytest.mark.slow] if s else []) for e, x, s in CASES])
def test_sklearn_estimator_checks(estimator, expected, slow):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(estimator, on_fail=None)
    failed = {r["check_name"] for r in results if r["status"] == "failed"}
    assert failed <= expected, {r["check_name"]: str(r["exception"])[:300] for r in results
                                if r["status"] == "failed" and r["check_name"] not in expected}
    assert len(results) > 30
