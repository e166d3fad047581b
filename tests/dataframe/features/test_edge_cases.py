"""Every op on zero rows, on all-null columns and on infinities."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from tests.dataframe.features.helpers import frame
from tests.dataframe.features.test_protocol import EXAMPLES

EMPTY = pd.DataFrame({
    "x": pd.Series([], dtype=float), "n": pd.Series([], dtype="int64"), "s": pd.Series([], dtype="str"),
    "t": pd.Series([], dtype="datetime64[ns]"), "y": pd.Series([], dtype=float),
})
ALL_NULL = pd.DataFrame({
    "x": [np.nan] * 3, "n": pd.array([None] * 3, dtype="Int64"), "s": pd.Series([None] * 3, dtype="str"),
    "t": pd.Series([None] * 3, dtype="datetime64[ns]"), "y": [1.0, 0.0, 1.0],
})


@pytest.mark.parametrize("name", sorted(EXAMPLES))
@pytest.mark.parametrize("data", [EMPTY, ALL_NULL], ids=["zero-rows", "all-null"])
def test_fit_then_transform_keeps_the_rows(name, data):
    op = EXAMPLES[name]()
    df = frame(data)
    out = op.fit(df).transform(df)
    assert len(out) == len(df)
    for col in out.columns:
        assert len(out[col]) == len(df)


@pytest.mark.parametrize("name", ["normalize", "fill_missing", "log1p", "bucketize", "categorify"])
def test_all_null_numeric_columns_stay_missing(name):
    out = EXAMPLES[name]().fit(frame(ALL_NULL)).transform(frame(ALL_NULL)).to_pandas()
    assert out["x"].isna().all()


def test_target_encoding_out_of_fold_needs_as_many_rows_as_folds():
    with pytest.raises(hw.features.FeatureOpError, match="at least 2 rows"):
        hw.features.TargetEncode(columns=["s"], target="y", folds=2).fit_transform(frame(EMPTY))


def test_infinities_pass_through_elementwise_ops():
    pdf = pd.DataFrame({"x": [np.inf, -np.inf, 1.0]})
    out = hw.features.Clip(columns=["x"], lower=-5.0, upper=5.0).transform(frame(pdf))
    assert out["x"].tolist() == [5.0, -5.0, 1.0]
    out = hw.features.Bucketize(columns=["x"], bins=[0.0, 1.0, 2.0]).transform(frame(pdf))
    assert out["x"].tolist() == [1, 0, 1]
    with np.errstate(invalid="ignore"):
        want = np.log1p(pdf["x"].to_numpy()).tolist()
    got = hw.features.Log1p(columns=["x"]).transform(frame(pdf)).to_pandas()["x"].tolist()
    assert got[0] == want[0] and np.isnan(got[1]) and got[2] == want[2]


@pytest.mark.parametrize("name", sorted(set(EXAMPLES) - {"onehot"}))  # one-hot of no values has no indicators
def test_zero_rows_keep_the_dtypes_of_the_same_op_on_rows(name):
    from tests.dataframe.features.test_protocol import PDF

    on_rows = EXAMPLES[name]().fit(frame(PDF)).transform(frame(PDF)).dtypes
    on_none = EXAMPLES[name]().fit(frame(EMPTY)).transform(frame(EMPTY)).dtypes
    assert {k: str(v) for k, v in on_none.items()} == {k: str(on_rows[k]) for k in on_none.index}


@pytest.mark.parametrize("name", sorted(hw.features.base.registry))
def test_no_op_swallows_a_keyword_argument(name):
    cls = hw.features.base.registry[name]
    with pytest.raises(hw.features.FeatureOpError, match=r"unknown option\(s\) \['inplace'\]"):
        cls(columns=["x"], inplace=True)
