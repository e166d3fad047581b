"""Bad input: each error names the estimator, the argument and the fix."""

import numpy as np
import pytest

import headwater as hw

ml = hw.ml


def test_non_numeric_features_in_a_frame_and_an_array():
    df = hw.DataFrame({"x": [1.0, 2.0], "s": ["a", "b"], "y": [0.0, 1.0]})
    with pytest.raises(ml.InputError, match=r"Ridge.fit: feature column 's' of X is .*OneHotEncoder"):
        ml.Ridge().fit(df, "y", features=["x", "s"])
    with pytest.raises(ml.InputError, match=r"KMeans.fit: X has dtype <U1, not numeric.*encode text"):
        ml.KMeans(n_clusters=1).fit(np.array([["a"], ["b"]]))
    with pytest.raises(ml.InputError, match="no numeric column"):
        ml.PCA().fit(hw.DataFrame({"s": ["a", "b"]}))


def test_nan_and_nulls_without_an_imputer():
    with pytest.raises(ml.InputError, match=r"LogisticRegression.fit: X contains NaN or infinity.*SimpleImputer"):
        ml.LogisticRegression().fit([[1.0], [np.nan]], [0, 1])
    df = hw.DataFrame({"x": [1.0, None, 3.0], "y": [1.0, 2.0, 3.0]})
    with pytest.raises(ml.InputError, match=r"LinearRegression.fit: feature column 'x' of X has 1 null.*impute"):
        ml.LinearRegression().fit(df, "y")
    with pytest.raises(ml.InputError, match=r"y contains NaN"):
        ml.Ridge().fit([[1.0], [2.0]], [1.0, np.nan])
    # with an imputer in front it works
    pipe = ml.make_pipeline(ml.SimpleImputer(), ml.LinearRegression()).fit(df, "y")
    assert pipe.predict(df).shape == (3,)


@pytest.mark.parametrize("solver", ["covariance_eigh", "full", "randomized"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_pca_finds_nan_and_infinity_from_its_own_pass(solver, bad):
    # the covariance route and transform read the finiteness off their results: same errors
    X = np.random.default_rng(0).normal(size=(60, 3))
    dirty = X.copy()
    dirty[7, 1] = bad
    dirty[30, 2] = bad
    with pytest.raises(ml.InputError, match=r"PCA.fit: X contains NaN or infinity \(2 value\(s\)\)"):
        ml.PCA(2, svd_solver=solver, random_state=0).fit(dirty)
    pca = ml.PCA(2, svd_solver=solver, random_state=0).fit(X)
    with pytest.raises(ml.InputError, match=r"PCA.transform: X contains NaN or infinity \(2 value\(s\)\)"):
        pca.transform(dirty)
    with pytest.raises(ml.InputError, match=r"PCA.fit: X contains NaN or infinity"):
        ml.PCA(2, svd_solver=solver, random_state=0).fit_transform(dirty)
    # a component with a zero weight on the bad column still sees it (inf * 0 is NaN)
    axis = ml.PCA(1, svd_solver=solver, random_state=0).fit(np.c_[np.arange(60.0), np.zeros(60), np.zeros(60)])
    with pytest.raises(ml.InputError, match=r"PCA.transform: X contains NaN or infinity \(1 value"):
        axis.transform(np.array([[1.0, bad, 0.0]]))
    assert np.isfinite(pca.transform(X)).all()


def test_y_of_the_wrong_length_or_kind():
    with pytest.raises(ml.InputError, match=r"Ridge.fit: .*y has 2 rows but X has 3"):
        ml.Ridge().fit([[1.0], [2.0], [3.0]], [1.0, 2.0])
    with pytest.raises(ml.InputError, match=r"LogisticRegression.fit: Unknown label type: continuous.*regressor"):
        ml.LogisticRegression().fit([[1.0], [2.0]], [0.5, 1.5])
    with pytest.raises(ml.InputError, match=r"Lasso.fit: y has dtype .*a regressor needs numbers.*classifier"):
        ml.Lasso().fit([[1.0], [2.0]], ["a", "b"])
    with pytest.raises(ml.InputError, match=r"only one class"):
        ml.LogisticRegression().fit([[1.0], [2.0]], [1, 1])
    with pytest.raises(ml.InputError, match=r"requires y"):
        ml.KNeighborsClassifier().fit([[1.0]])
    with pytest.raises(ml.InputError, match=r"X has 2 features, but Ridge is expecting 1"):
        ml.Ridge().fit([[1.0], [2.0]], [1.0, 2.0]).predict([[1.0, 2.0]])


@pytest.mark.parametrize("est, method", [
    (ml.LinearRegression(), "predict"), (ml.LogisticRegression(), "predict_proba"), (ml.KMeans(), "predict"),
    (ml.PCA(), "transform"), (ml.StandardScaler(), "transform"), (ml.KNeighborsClassifier(), "predict"),
    (ml.OneHotEncoder(), "transform"), (ml.SimpleImputer(), "transform"),
])
def test_predict_before_fit(est, method):
    name = type(est).__name__
    with pytest.raises(ml.NotFittedError, match=rf"This {name} instance is not fitted yet; call {name}.fit"):
        getattr(est, method)([[1.0]])


def test_unsupported_arguments_are_refused_not_ignored():
    with pytest.raises(NotImplementedError, match="penalty='l1'"):
        ml.LogisticRegression(penalty="l1").fit([[0.0], [1.0]], [0, 1])
    with pytest.raises(NotImplementedError, match="sparse_output=True"):
        ml.OneHotEncoder(sparse_output=True).fit([["a"]])
    with pytest.raises(NotImplementedError, match="metric='cosine'"):
        ml.NearestNeighbors(metric="cosine").fit([[0.0]])
    with pytest.raises(ValueError, match="Invalid parameter 'alpah'"):
        ml.Ridge().set_params(alpah=1.0)
    with pytest.raises(ValueError, match="output_type='pandas'"):
        ml.Ridge(output_type="pandas").fit([[0.0], [1.0]], [0.0, 1.0]).predict([[0.0]])
