"""FillMissing against scikit-learn's SimpleImputer and pandas' fillna."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.impute import SimpleImputer

import headwater as hw
from tests.dataframe.features.helpers import assert_column, frame

TRAIN = pd.DataFrame({
    "x": [1.0, np.nan, 4.0, 10.0, np.nan, 2.5],
    "n": pd.array([3, None, 9, 1, 1, None], dtype="Int64"),
})
TEST = pd.DataFrame({"x": [np.nan, 7.0, np.nan], "n": pd.array([None, 2, None], dtype="Int64")})


@pytest.mark.parametrize("strategy", ["mean", "median"])
@pytest.mark.parametrize("col", ["x", "n"])
def test_learned_fill_matches_simple_imputer_with_indicator(strategy, col):
    imputer = SimpleImputer(strategy=strategy, add_indicator=True)
    train = TRAIN[[col]].astype("float64").to_numpy(na_value=np.nan)
    test = TEST[[col]].astype("float64").to_numpy(na_value=np.nan)
    want_train, want_test = imputer.fit_transform(train), imputer.transform(test)
    op = hw.features.FillMissing(columns=[col], strategy=strategy, indicator=True)
    out_train = op.fit_transform(frame(TRAIN))
    out_test = op.transform(frame(TEST))
    assert_column(out_train, col, want_train[:, 0])
    assert_column(out_train, f"{col}_missing", want_train[:, 1])
    assert_column(out_test, col, want_test[:, 0])
    assert_column(out_test, f"{col}_missing", want_test[:, 1])
    assert out_test._columns[col].null_count == 0


def test_constant_fill_of_numbers_and_strings_matches_pandas():
    pdf = pd.DataFrame({"x": [1.0, None, 3.0], "s": ["a", None, "b"]})
    out = hw.features.FillMissing(columns=["s"], strategy="constant", fill_value="?").transform(frame(pdf))
    assert out.to_pandas()["s"].tolist() == pdf["s"].fillna("?").tolist()
    out = hw.features.FillMissing(columns=["x"], strategy="constant", fill_value=-1.0).transform(frame(pdf))
    assert_column(out, "x", pdf["x"].fillna(-1.0))


def test_mean_is_learned_once_and_saved():
    op = hw.features.FillMissing(columns=["x"]).fit(frame(TRAIN))
    saved = json.loads(json.dumps(op.to_dict()))
    assert saved["state"]["x"]["value"]["__array__"] == pytest.approx([TRAIN["x"].mean()])
    again = hw.features.FeatureOp.from_dict(saved)
    assert_column(again.transform(frame(TEST)), "x", TEST["x"].fillna(TRAIN["x"].mean()))


@pytest.mark.parametrize("strategy", ["mean", "median"])
def test_all_missing_column_stays_null_never_nan(strategy):
    # nothing to learn: pandas' fillna(df.median()) leaves the rows missing; here they stay
    # null (not NaN), so a null check downstream still sees them
    pdf = pd.DataFrame({"x": [np.nan, np.nan], "y": [1.0, np.nan]})
    out = hw.features.FillMissing(columns=["x", "y"], strategy=strategy).fit_transform(frame(pdf))
    want = pdf.fillna(getattr(pdf, strategy)())
    assert out["x"].tolist() == [None, None] and out["x"].isna().tolist() == want["x"].isna().tolist()
    assert out["x"]._column.null_count == 2
    assert out["y"].tolist() == want["y"].tolist()


def test_options_are_checked():
    with pytest.raises(hw.features.FeatureOpError, match="fill_value"):
        hw.features.FillMissing(columns=["x"], strategy="constant")
    with pytest.raises(hw.features.FeatureOpError, match="strategy"):
        hw.features.FillMissing(columns=["x"], strategy="mode")
    with pytest.raises(hw.features.NotFittedError, match="fit"):
        hw.features.FillMissing(columns=["x"]).transform(frame(TRAIN))
