"""LogisticRegression against scikit-learn: binary and multinomial, both solvers."""

import numpy as np
import pytest

pytest.importorskip("sklearn")
from sklearn import datasets, linear_model, preprocessing  # noqa: E402

import headwater as hw  # noqa: E402


@pytest.mark.parametrize("loader", ["breast_cancer", "iris", "wine"])
@pytest.mark.parametrize("solver", ["lbfgs", "newton-cholesky"])
def test_matches_sklearn(loader, solver):
    X, y = getattr(datasets, f"load_{loader}")(return_X_y=True)
    X = preprocessing.StandardScaler().fit_transform(X)
    a = hw.ml.LogisticRegression(solver=solver, C=0.5).fit(X, y)
    b = linear_model.LogisticRegression(solver=solver, C=0.5).fit(X, y)
    assert abs(a.score(X, y) - b.score(X, y)) <= 0.01
    assert a.coef_.shape == b.coef_.shape and a.intercept_.shape == b.intercept_.shape
    # converged tightly, both reach the same optimum
    a = hw.ml.LogisticRegression(solver=solver, C=0.5, tol=1e-9, max_iter=2000).fit(X, y)
    b = linear_model.LogisticRegression(solver=solver, C=0.5, tol=1e-9, max_iter=2000).fit(X, y)
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), atol=1e-5)


def test_string_labels_class_weight_and_no_penalty():
    X, y = datasets.load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    a = hw.ml.LogisticRegression(solver="newton-cholesky", class_weight="balanced").fit(X, names)
    b = linear_model.LogisticRegression(solver="newton-cholesky", class_weight="balanced").fit(X, names)
    assert a.classes_.tolist() == b.classes_.tolist()
    assert (a.predict(X) == b.predict(X)).mean() > 0.99
    Xb, yb = X[y < 2][:, :2], y[y < 2]
    free = hw.ml.LogisticRegression(penalty=None, solver="newton-cholesky", max_iter=20).fit(Xb[:60], yb[:60])
    assert free.score(Xb[:60], yb[:60]) >= 0.95


def test_frame_in_series_out():
    df = hw.DataFrame({"x": [0.0, 1.0, 2.0, 3.0, 4.0, 5.0], "kind": ["lo", "lo", "lo", "hi", "hi", "hi"]})
    m = hw.ml.LogisticRegression().fit(df, "kind")
    pred = m.predict(df)
    assert isinstance(pred, hw.Series) and pred.tolist() == ["lo", "lo", "lo", "hi", "hi", "hi"]
    proba = m.predict_proba(df)
    assert list(proba.columns) == ["hi", "lo"]
    assert m.score(df, "kind") == 1.0
