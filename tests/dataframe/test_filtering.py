"""Boolean-mask row selection (``df[mask]``, ``s[mask]``, ``iloc``) against pandas.

Edge cases: all-True (the columns are shared, not copied), all-False, mixed masks,
a mask with nulls (a null selects nothing), nulls in every column family, zero rows,
and that changing the result never changes the frame it came from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from dataframe.helpers import assert_frame_equal, assert_series_equal


@pytest.mark.parametrize("pattern", ["all", "none", "mixed"])
def test_boolean_mask_matches_pandas(mixed_pandas, pattern):
    pdf = mixed_pandas
    keep = {"all": [True] * 6, "none": [False] * 6, "mixed": [True, False, True, True, False, True]}[pattern]
    mask = np.array(keep)
    want = pdf[mask].reset_index(drop=True)
    df = hw.DataFrame(pdf)
    assert_frame_equal(df[mask], want)
    assert_frame_equal(df[hw.Series(mask)], want)
    assert_frame_equal(df.iloc[mask], want)
    for name in pdf.columns:
        assert_series_equal(hw.Series(pdf[name])[hw.Series(mask)], pdf[name][mask].reset_index(drop=True))


def test_mask_from_a_comparison_with_nulls(mixed_pandas):
    pdf = mixed_pandas
    df = hw.DataFrame(pdf)
    got = df[df["i"] > 1]  # a null comparison selects nothing
    assert_frame_equal(got, pdf[(pdf["i"] > 1).fillna(False)].reset_index(drop=True))
    assert_frame_equal(df[~df["f"].isna()], pdf[~pdf["f"].isna()].reset_index(drop=True))


def test_all_true_mask_shares_columns_without_aliasing_the_frame(mixed_pandas):
    df = hw.DataFrame(mixed_pandas)
    before = df.to_pandas()
    out = df[np.ones(len(df), dtype=bool)]
    assert out is not df and out._columns is not df._columns
    out["i"] = 0
    out["new"] = 1.5
    del out["s"]
    renamed = out.rename(columns={"f": "g"})
    assert renamed.columns == ["i", "g", "b", "t", "c", "new"]
    assert df.columns == list(before.columns)
    assert_frame_equal(df, before)
    assert out["i"].to_list() == [0] * 6


def test_filtered_frame_is_independent(mixed_pandas):
    df = hw.DataFrame(mixed_pandas)
    before = df.to_pandas()
    out = df[np.array([True, False] * 3)]
    out["f"] = out["f"].fillna(-1.0) * 2
    out["s"] = "z"
    assert_frame_equal(df, before)


def test_zero_rows_and_length_checks():
    df = hw.DataFrame({"a": pd.Series([], dtype="float64"), "s": pd.Series([], dtype="str")})
    assert len(df[np.zeros(0, dtype=bool)]) == 0
    with pytest.raises(IndexError, match="boolean"):
        hw.DataFrame({"a": [1, 2]})[np.array([True])]
