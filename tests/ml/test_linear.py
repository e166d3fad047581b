"""Linear models against scikit-learn on its bundled datasets (closed forms to 1e-6)."""

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")
from sklearn import datasets, linear_model  # noqa: E402

import headwater as hw  # noqa: E402
from ml.helpers import host  # noqa: E402

ml = hw.ml


@pytest.fixture(scope="module")
def diabetes():
    return datasets.load_diabetes(return_X_y=True)


@pytest.mark.parametrize("ours, theirs", [
    (lambda: ml.LinearRegression(), lambda: linear_model.LinearRegression()),
    (lambda: ml.LinearRegression(fit_intercept=False), lambda: linear_model.LinearRegression(fit_intercept=False)),
    (lambda: ml.Ridge(alpha=0.3), lambda: linear_model.Ridge(alpha=0.3)),
    (lambda: ml.Ridge(alpha=2.0, solver="svd"), lambda: linear_model.Ridge(alpha=2.0, solver="svd")),
])
def test_closed_forms_match_sklearn(diabetes, ours, theirs):
    X, y = diabetes
    a, b = ours().fit(X, y), theirs().fit(X, y)
    np.testing.assert_allclose(host(a.coef_), b.coef_, atol=1e-6)
    np.testing.assert_allclose(host(a.intercept_), b.intercept_, atol=1e-6)
    np.testing.assert_allclose(a.predict(X), b.predict(X), atol=1e-6)


def test_weighted_and_multi_output_ridge(diabetes):
    X, y = diabetes
    w = np.linspace(0.5, 2.0, len(y))
    Y = np.column_stack([y, -2 * y + 1])
    a = ml.Ridge(alpha=0.5).fit(X, Y, sample_weight=w)
    b = linear_model.Ridge(alpha=0.5).fit(X, Y, sample_weight=w)
    np.testing.assert_allclose(host(a.coef_), b.coef_, atol=1e-6)
    np.testing.assert_allclose(host(a.intercept_), b.intercept_, atol=1e-6)
    wide = ml.Ridge(alpha=1.0).fit(X[:8], y[:8])  # more features than rows: the dual route
    np.testing.assert_allclose(host(wide.coef_), linear_model.Ridge(alpha=1.0).fit(X[:8], y[:8]).coef_, atol=1e-6)


@pytest.mark.parametrize("name, kw", [("Lasso", {"alpha": 0.1}), ("Lasso", {"alpha": 0.5, "positive": True}),
                                      ("ElasticNet", {"alpha": 0.01, "l1_ratio": 0.3})])
def test_coordinate_descent_matches_sklearn(diabetes, name, kw):
    X, y = diabetes
    a = getattr(ml, name)(tol=1e-10, max_iter=100000, **kw).fit(X, y)
    b = getattr(linear_model, name)(tol=1e-10, max_iter=100000, **kw).fit(X, y)
    np.testing.assert_allclose(host(a.coef_), b.coef_, atol=1e-6)
    np.testing.assert_allclose(host(a.intercept_), b.intercept_, atol=1e-6)


def test_frame_input_with_target_column_and_output_types(diabetes):
    X, y = diabetes
    df = hw.DataFrame({f"f{j}": X[:, j] for j in range(3)} | {"target": y, "label": ["a"] * len(y)})
    m = ml.LinearRegression().fit(df, "target")
    assert m.feature_names_in_.tolist() == ["f0", "f1", "f2"]
    ref = linear_model.LinearRegression().fit(X[:, :3], y)
    np.testing.assert_allclose(host(m.coef_), ref.coef_, atol=1e-6)
    pred = m.predict(df)
    assert isinstance(pred, hw.Series)
    np.testing.assert_allclose(pred.to_numpy(), ref.predict(X[:, :3]), atol=1e-6)
    assert isinstance(m.predict(hw.Tensor(X[:, :3].copy())), hw.Tensor)
    assert isinstance(m.set_params(output_type="numpy").predict(df), np.ndarray)
    m2 = ml.Ridge().fit(df, df["target"], features=["f1", "f2"])
    assert m2.n_features_in_ == 2


def test_float32_is_kept(diabetes):
    X, y = diabetes
    m = ml.Ridge().fit(X.astype(np.float32), y)
    assert m.coef_.dtype == np.float32 and m.predict(X.astype(np.float32)).dtype == np.float32
