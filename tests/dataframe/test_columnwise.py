"""Element-wise and shifted methods vs pandas: astype, abs, round, clip, between, where,
mask, cumsum/cumprod/cummax/cummin, shift, diff, pct_change.

Edge cases: nulls in the input and the condition, zero rows, NaN, integer bounds in
cummax/cummin, casts that cannot be done (errors name both dtypes).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from dataframe.helpers import default_comparison, assert_frame_equal, assert_series_equal


@pytest.fixture
def pdf():
    return pd.DataFrame({
        "i": pd.array([3, None, -1, 8, 2], dtype="Int64"),
        "f": pd.array([1.25, -2.5, None, 0.0, 7.75], dtype="Float64"),
    })


@pytest.mark.parametrize("name", ["cumsum", "cumprod", "cummax", "cummin"])
def test_cumulative_match_pandas(pdf, name):
    assert_frame_equal(getattr(hw.DataFrame(pdf), name)(), getattr(pdf, name)())


@pytest.mark.parametrize("periods", [1, 2, -1, 0, 7])
def test_shift_diff_pct_change(pdf, periods):
    df = hw.DataFrame(pdf)
    assert_frame_equal(df.shift(periods), pdf.shift(periods))
    assert_frame_equal(df.diff(periods), pdf.diff(periods))
    assert_frame_equal(df.pct_change(periods), pdf.pct_change(periods, fill_method=None))


def test_shift_fill_value():
    assert hw.Series([1, 2, 3]).shift(1, fill_value=0).to_list() == [0, 1, 2]
    assert hw.Series(["a", "b"]).shift(-1).to_list() == ["b", None]


def test_abs_round_clip(pdf):
    df = hw.DataFrame(pdf)
    assert_frame_equal(df.abs(), pdf.abs())
    assert_frame_equal(df.round(1), pdf.round(1))
    assert_frame_equal(df.clip(-1, 3), pdf.clip(-1, 3))
    assert_frame_equal(df.clip(lower=0), pdf.clip(lower=0))


def test_between_and_where_mask(pdf):
    s = hw.Series(pdf["i"])
    assert_series_equal(s.between(0, 3), default_comparison(pdf["i"].between(0, 3), "ge"))
    cond = s > 1
    assert_series_equal(s.where(cond, 0), pdf["i"].where(pdf["i"] > 1, 0))
    assert_series_equal(s.mask(cond, 0), pdf["i"].mask(default_comparison(pdf["i"] > 1, "gt"), 0))
    df = hw.DataFrame(pdf)
    assert_frame_equal(df.where(df > 0), pdf.where(pdf > 0))


def test_astype_between_families():
    s = hw.Series([1.5, None, 3.0])
    assert s.astype("int64").to_list() == [1, None, 3]
    assert s.astype("str").to_list() == ["1.5", None, "3.0"]
    assert hw.Series(["1", "2", None]).astype("int32").to_list() == [1, 2, None]
    assert hw.Series(["2024-01-02"]).astype("datetime64[ns]").iloc[0] == pd.Timestamp("2024-01-02")
    cat = hw.Series(["b", "a", "b"]).astype("category")
    assert cat.cat.categories == ["a", "b"] and cat.cat.codes.to_list() == [1, 0, 1]
    assert cat.astype("str").to_list() == ["b", "a", "b"]
    assert hw.Series([0, 2]).astype(bool).to_list() == [False, True]
    df = hw.DataFrame({"a": [1], "b": [2]}).astype({"a": "float32"})
    assert df.dtypes["a"] == np.float32 and df.dtypes["b"] == np.int64


def test_astype_errors_name_dtypes():
    with pytest.raises(TypeError, match="str values to int64"):
        hw.Series(["x"]).astype("int64")
    with pytest.raises(TypeError, match="unsupported dtype"):
        hw.Series([1]).astype("complex128")


def test_cummax_at_integer_bounds():
    info = np.iinfo(np.int64)
    s = pd.Series([info.min, None, info.max], dtype="Int64")
    assert_series_equal(hw.Series(s).cummax(), s.cummax())
    assert_series_equal(hw.Series(s).cummin(), s.cummin())


def test_zero_rows():
    empty = hw.DataFrame({"a": pd.Series([], dtype="float64")})
    for name in ("cumsum", "shift", "diff", "abs"):
        assert len(getattr(empty, name)()) == 0


def test_replace_matches_pandas(mixed_pandas):
    pdf = mixed_pandas[["i", "f", "s"]]
    df = hw.DataFrame(pdf)
    assert_frame_equal(df.replace({3: 30, "x": "ex"}), pdf.replace({3: 30, "x": "ex"}))
    assert_frame_equal(df.replace([1.5, -2.0], 0.0), pdf.replace([1.5, -2.0], 0.0))
    assert hw.Series(["a", None]).replace(None, "?").to_list() == ["a", "?"]


def test_reset_index():
    df = hw.DataFrame({"a": [5, 6, 7]})
    sub = df[df["a"] > 5]
    assert sub.reset_index(drop=True).to_dict() == {"a": [6, 7]}
    with pytest.raises(hw.dataframe.keys.NoRowLabelsError, match="reset_index\\(drop=True\\)"):
        sub.reset_index()  # pandas would give the labels 1, 2, which a filter does not keep
    assert df.reset_index().to_dict() == {"index": [0, 1, 2], "a": [5, 6, 7]}
