"""Scalers, encoders and the imputer against scikit-learn (NaN and frame nulls included)."""

import numpy as np
import pytest

pytest.importorskip("sklearn")
from sklearn import datasets, impute, preprocessing  # noqa: E402

import headwater as hw  # noqa: E402
from ml.helpers import host  # noqa: E402


@pytest.fixture(scope="module")
def X_nan():
    X, _ = datasets.load_diabetes(return_X_y=True)
    X = X.copy()
    X[::7, 2] = np.nan
    X[::11, 5] = np.nan
    return X


def test_scalers(X_nan):
    for ours, theirs in [(hw.ml.StandardScaler(), preprocessing.StandardScaler()),
                         (hw.ml.StandardScaler(with_mean=False), preprocessing.StandardScaler(with_mean=False)),
                         (hw.ml.MinMaxScaler((-1, 2)), preprocessing.MinMaxScaler((-1, 2)))]:
        a, b = ours.fit_transform(X_nan), theirs.fit_transform(X_nan)
        np.testing.assert_allclose(a, b, atol=1e-12)
        np.testing.assert_allclose(ours.inverse_transform(a), X_nan, atol=1e-12)


@pytest.mark.parametrize("strategy", ["mean", "median", "most_frequent", "constant"])
def test_imputer(X_nan, strategy):
    a = hw.ml.SimpleImputer(strategy=strategy, add_indicator=True).fit(X_nan)
    b = impute.SimpleImputer(strategy=strategy, add_indicator=True).fit(X_nan)
    np.testing.assert_allclose(host(a.statistics_), np.asarray(b.statistics_, dtype=float))
    np.testing.assert_allclose(a.transform(X_nan), b.transform(X_nan))


def test_imputer_on_frame_nulls_and_marker():
    df = hw.DataFrame({"a": [1.0, None, 3.0], "b": [4, 5, None]})
    out = hw.ml.SimpleImputer(strategy="median").fit_transform(df)
    assert out["a"].tolist() == [1.0, 2.0, 3.0] and out["b"].tolist() == [4.0, 5.0, 4.5]
    marker = hw.ml.SimpleImputer(missing_values=-1.0, strategy="mean").fit_transform([[1.0], [-1.0], [3.0]])
    assert marker.tolist() == [[1.0], [2.0], [3.0]]


def test_onehot_matches_sklearn_and_frames():
    data = np.array([["a", 1], ["b", 2], ["a", 3], ["c", 1]], dtype=object)
    for drop in (None, "first", "if_binary"):
        a = hw.ml.OneHotEncoder(drop=drop).fit(data)
        b = preprocessing.OneHotEncoder(drop=drop, sparse_output=False).fit(data)
        np.testing.assert_array_equal(a.transform(data), b.transform(data))
        assert a.get_feature_names_out().tolist() == b.get_feature_names_out().tolist()
    df = hw.DataFrame({"s": ["x", "y", "x"], "n": [1, 2, 2]})
    enc = hw.ml.OneHotEncoder().fit(df)
    out = enc.transform(hw.DataFrame({"s": ["y", "x"], "n": [2, 1]}))
    assert list(out.columns) == ["s_x", "s_y", "n_1", "n_2"] and out["s_y"].tolist() == [1.0, 0.0]
    with pytest.raises(hw.ml.InputError, match="unknown"):
        enc.transform(hw.DataFrame({"s": ["z"], "n": [1]}))
    ignore = hw.ml.OneHotEncoder(handle_unknown="ignore").fit(df)
    assert ignore.transform(hw.DataFrame({"s": ["z"], "n": [1]})).to_numpy().tolist() == [[0.0, 0.0, 1.0, 0.0]]


def test_label_encoder():
    ours, theirs = hw.ml.LabelEncoder(), preprocessing.LabelEncoder()
    y = ["paris", "tokyo", "paris", "amsterdam"]
    np.testing.assert_array_equal(ours.fit_transform(y), theirs.fit_transform(y))
    assert ours.classes_.tolist() == theirs.classes_.tolist()
    assert ours.inverse_transform([2, 0]).tolist() == ["tokyo", "amsterdam"]
    s = ours.transform(hw.Series(["tokyo", "paris"]))
    assert isinstance(s, hw.Series) and s.tolist() == [2, 1]
    with pytest.raises(hw.ml.InputError, match="unseen"):
        ours.transform(["rome"])
