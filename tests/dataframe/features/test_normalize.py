"""Normalize against scikit-learn's StandardScaler, MinMaxScaler and RobustScaler."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler

import headwater as hw
from tests.dataframe.features.helpers import assert_column, frame

TRAIN = pd.DataFrame({
    "x": [1.5, np.nan, -3.0, 8.25, 0.0, 2.0, np.nan, 11.0],
    "n": pd.array([4, 7, None, 1, 1, 9, 3, 2], dtype="Int64"),
    "k": [5.0] * 8,
})
TEST = pd.DataFrame({
    "x": [100.0, np.nan, -1.0],
    "n": pd.array([0, None, 12], dtype="Int64"),
    "k": [5.0, 6.0, 4.0],
})

SCALERS = {
    "standard": lambda: StandardScaler(),
    "minmax": lambda: MinMaxScaler(feature_range=(-1, 2)),
    "robust": lambda: RobustScaler(quantile_range=(10.0, 80.0)),
}
OPTIONS = {
    "standard": {},
    "minmax": {"feature_range": (-1, 2)},
    "robust": {"quantile_range": (10.0, 80.0)},
}


def _sk(method: str, column: str) -> tuple[np.ndarray, np.ndarray]:
    scaler = SCALERS[method]()
    train = TRAIN[[column]].astype("float64").to_numpy(na_value=np.nan)
    test = TEST[[column]].astype("float64").to_numpy(na_value=np.nan)
    return scaler.fit_transform(train)[:, 0], scaler.transform(test)[:, 0]


@pytest.mark.parametrize("method", ["standard", "minmax", "robust"])
@pytest.mark.parametrize("col", ["x", "n", "k"])
def test_fit_on_train_transform_test_matches_sklearn(method, col):
    op = hw.features.Normalize(columns=[col], method=method, **OPTIONS[method])
    train_out = op.fit_transform(frame(TRAIN))
    test_out = op.transform(frame(TEST))
    want_train, want_test = _sk(method, col)
    assert_column(train_out, col, want_train)
    assert_column(test_out, col, want_test)


def test_other_columns_are_the_same_objects():
    df = frame(TRAIN)
    out = hw.features.Normalize(columns=["x"]).fit_transform(df)
    assert out._columns["n"] is df._columns["n"]
    assert list(out.columns) == list(df.columns)


def test_float32_stays_float32_and_ints_become_float64():
    df = frame(pd.DataFrame({"f": np.array([1, 2, 3], dtype="float32"), "i": [1, 2, 3]}))
    out = hw.features.Normalize(columns=["f", "i"]).fit_transform(df)
    assert out._columns["f"].dtype == np.float32
    assert out._columns["i"].dtype == np.float64


def test_state_round_trips_through_json_and_is_not_refit():
    op = hw.features.Normalize(columns=["x"], method="robust", quantile_range=(10.0, 80.0))
    op.fit(frame(TRAIN))
    again = hw.features.Normalize.from_dict(json.loads(json.dumps(op.to_dict())))
    test = frame(TEST)
    assert_column(again.transform(test), "x", _sk("robust", "x")[1])
    before = op.to_dict()
    op.transform(test)
    assert op.to_dict() == before


def test_text_column_is_refused_with_a_hint():
    df = frame(pd.DataFrame({"s": ["a", "b"]}))
    with pytest.raises(hw.features.FeatureOpError, match="'s'.*Categorify"):
        hw.features.Normalize(columns=["s"]).fit(df)


def test_bad_method_and_unknown_option():
    with pytest.raises(hw.features.FeatureOpError, match="standard"):
        hw.features.Normalize(columns=["x"], method="zscore")
    with pytest.raises(hw.features.FeatureOpError, match="unknown option"):
        hw.features.Normalize(columns=["x"], methd="minmax")


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(-10**6, 10**6).map(lambda i: i / 8)), min_size=2, max_size=40),
    st.sampled_from(["standard", "minmax", "robust"]),
)
def test_random_columns_match_sklearn(items, method):
    x = np.array([np.nan if v is None else v for v in items], dtype=np.float64)
    if np.isnan(x).all():
        x[0] = 1.0
    pdf = pd.DataFrame({"x": x})
    scaler = {"standard": StandardScaler, "minmax": MinMaxScaler, "robust": RobustScaler}[method]()
    want = scaler.fit_transform(x.reshape(-1, 1))[:, 0]
    out = hw.features.Normalize(columns=["x"], method=method).fit_transform(frame(pdf))
    assert_column(out, "x", want, rtol=1e-7, atol=1e-9)
