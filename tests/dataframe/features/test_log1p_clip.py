"""Log1p and Clip against NumPy and pandas."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from tests.dataframe.features.helpers import assert_column, frame

PDF = pd.DataFrame({
    "x": [0.0, 1.5, np.nan, -0.5, 1e6, -3.0],
    "n": pd.array([0, 5, None, 100, 7, 2], dtype="Int64"),
})


def test_log1p_matches_numpy_with_nulls():
    out = hw.features.Log1p(columns=["x", "n"]).transform(frame(PDF))
    with np.errstate(invalid="ignore"):
        assert_column(out, "x", np.log1p(PDF["x"].to_numpy()))
    assert_column(out, "n", np.log1p(PDF["n"].astype("float64").to_numpy(na_value=np.nan)))


def test_log1p_clip_negative():
    out = hw.features.Log1p(columns=["x"], clip_negative=True).transform(frame(PDF))
    assert_column(out, "x", np.log1p(PDF["x"].clip(lower=0).to_numpy()))


def test_fixed_clip_matches_pandas_and_keeps_int_dtype():
    out = hw.features.Clip(columns=["x", "n"], lower=0, upper=10).transform(frame(PDF))
    assert_column(out, "x", PDF["x"].clip(0, 10))
    assert_column(out, "n", PDF["n"].clip(0, 10).astype("float64").to_numpy(na_value=np.nan))
    assert out._columns["n"].dtype == np.int64


def test_quantile_clip_learns_bounds_on_train_only():
    train = pd.DataFrame({"x": np.arange(101, dtype=float)})
    test = pd.DataFrame({"x": [-50.0, 50.0, 500.0, np.nan]})
    op = hw.features.Clip(columns=["x"], quantiles=(0.05, 0.9)).fit(frame(train))
    low, high = train["x"].quantile(0.05), train["x"].quantile(0.9)
    assert_column(op.transform(frame(test)), "x", test["x"].clip(low, high))
    again = hw.features.Clip.from_dict(json.loads(json.dumps(op.to_dict())))
    assert_column(again.transform(frame(test)), "x", test["x"].clip(low, high))


def test_clip_options_are_checked():
    with pytest.raises(hw.features.FeatureOpError, match="lower="):
        hw.features.Clip(columns=["x"])
    with pytest.raises(hw.features.FeatureOpError, match="swap"):
        hw.features.Clip(columns=["x"], lower=2, upper=1)
    with pytest.raises(hw.features.FeatureOpError, match="not both"):
        hw.features.Clip(columns=["x"], lower=0, quantiles=(0.1, 0.9))
    with pytest.raises(hw.features.NotFittedError):
        hw.features.Clip(columns=["x"], quantiles=(0.1, 0.9)).transform(frame(PDF))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(-1e9, 1e9)), min_size=1, max_size=30),
       st.floats(-10, 10), st.floats(0, 100))
def test_random_clip_matches_pandas(items, lower, width):
    x = pd.Series([np.nan if v is None else v for v in items], dtype="float64")
    out = hw.features.Clip(columns=["x"], lower=lower, upper=lower + width).transform(frame(x.to_frame("x")))
    assert_column(out, "x", x.clip(lower, lower + width))


def test_bounds_outside_an_integer_dtype_give_floats():
    df = frame(pd.DataFrame({"u": np.array([1, 2, 200], dtype=np.uint8)}))
    out = hw.features.Clip(columns=["u"], lower=-1, upper=100).transform(df)
    assert out["u"].tolist() == [1.0, 2.0, 100.0]
    assert out._columns["u"].dtype == np.float64
    kept = hw.features.Clip(columns=["u"], lower=2, upper=100).transform(df)
    assert kept._columns["u"].dtype == np.uint8 and kept["u"].tolist() == [2, 2, 100]
