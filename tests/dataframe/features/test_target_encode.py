"""TargetEncode against scikit-learn's TargetEncoder (cross fitting, smoothing, nulls)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import KFold
from sklearn.preprocessing import TargetEncoder

import headwater as hw
from tests.dataframe.features.helpers import assert_column, frame

RNG = np.random.default_rng(11)
N = 103
TRAIN = pd.DataFrame({
    "c": RNG.choice(np.array(["a", "b", "c", "d", None], dtype=object), size=N),
    "k": RNG.integers(0, 6, size=N),
    "y": RNG.normal(size=N) + 3.0,
})
TEST = pd.DataFrame({"c": ["a", "zz", None, "d"], "k": [5, 99, 0, 2], "y": [0.0] * 4})


def _sk(col: str, smooth: float, folds: int):
    enc = TargetEncoder(target_type="continuous", smooth=smooth, cv=KFold(folds, shuffle=False))
    train = TRAIN[[col]].to_numpy(dtype=object if col == "c" else np.int64)
    if col == "c":
        train = np.where(pd.isna(train), np.nan, train)
    oof = enc.fit_transform(train, TRAIN["y"].to_numpy())[:, 0]
    test = TEST[[col]].to_numpy(dtype=object if col == "c" else np.int64)
    if col == "c":
        test = np.where(pd.isna(test), np.nan, test)
    return oof, enc.transform(test)[:, 0]


@pytest.mark.parametrize("smooth", [0.0, 1.0, 25.0])
@pytest.mark.parametrize("col", ["c", "k"])
@pytest.mark.parametrize("folds", [2, 5])
def test_out_of_fold_and_full_fit_match_sklearn(col, smooth, folds):
    op = hw.features.TargetEncode(columns=[col], target="y", smoothing=smooth, folds=folds)
    oof = op.fit_transform(frame(TRAIN))
    test = op.transform(frame(TEST))
    want_oof, want_test = _sk(col, smooth, folds)
    assert_column(oof, col, want_oof)
    assert_column(test, col, want_test)


def test_unseen_gets_the_prior_and_state_round_trips():
    op = hw.features.TargetEncode(columns=["c"], target="y", smoothing=2.0).fit(frame(TRAIN))
    again = hw.features.TargetEncode.from_dict(json.loads(json.dumps(op.to_dict())))
    out = again.transform(frame(TEST)).to_pandas()["c"]
    assert out[1] == pytest.approx(TRAIN["y"].mean())
    pd.testing.assert_series_equal(out, op.transform(frame(TEST)).to_pandas()["c"])


def test_shuffled_folds_are_seeded_and_leave_no_row_in_its_own_fold():
    pdf = pd.DataFrame({"c": ["a"] * 10, "y": np.arange(10.0)})
    op = hw.features.TargetEncode(columns=["c"], target="y", smoothing=0.0, folds=5, shuffle=True, seed=3)
    out = op.fit_transform(frame(pdf)).to_pandas()["c"].to_numpy()
    again = hw.features.TargetEncode(columns=["c"], target="y", smoothing=0.0, folds=5, shuffle=True, seed=3)
    np.testing.assert_array_equal(out, again.fit_transform(frame(pdf)).to_pandas()["c"].to_numpy())
    fold = hw.get_backend().to_host(op.fold_ids(10, hw.get_backend()))
    assert np.bincount(fold).tolist() == [2] * 5
    for f in range(5):  # each row sees exactly the mean of the other folds
        np.testing.assert_allclose(out[fold == f], pdf["y"][fold != f].mean())


def test_suffix_keeps_the_column_and_options_are_checked():
    out = hw.features.TargetEncode(columns=["c"], target="y", suffix="_te").fit(frame(TRAIN)).transform(frame(TEST))
    assert list(out.columns) == ["c", "k", "y", "c_te"]
    with pytest.raises(hw.features.FeatureOpError, match="target="):
        hw.features.TargetEncode(columns=["c"])
    with pytest.raises(hw.features.FeatureOpError, match="folds"):
        hw.features.TargetEncode(columns=["c"], target="y", folds=1)
