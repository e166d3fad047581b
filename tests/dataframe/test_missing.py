"""isna/notna, fillna (scalar, dict, ffill/bfill) and dropna(subset, how) against pandas.

Edge cases: zero rows, all-null columns, NaN counted as missing in floats, empty
strings (present, not missing), fills that change the dtype (int + 0.5).
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from dataframe.helpers import assert_frame_equal, assert_series_equal
from dataframe.strategies import frames


@settings(max_examples=40, deadline=None)
@given(pdf=frames())
def test_isna_notna_match_pandas(pdf):
    df = hw.DataFrame(pdf)
    assert_frame_equal(df.isna(), pdf.isna())
    assert_frame_equal(df.notna(), pdf.notna())


@settings(max_examples=40, deadline=None)
@given(pdf=frames())
def test_fillna_dict_and_ffill_bfill_match_pandas(pdf):
    df = hw.DataFrame(pdf)
    fill = {"i": 0, "f": -9.5, "b": False, "s": "?"}
    assert_frame_equal(df.fillna(fill), pdf.fillna(fill))
    assert_frame_equal(df.ffill(), pdf.ffill())
    assert_frame_equal(df.bfill(), pdf.bfill())
    assert_frame_equal(df.fillna(method="ffill"), pdf.ffill())


@settings(max_examples=40, deadline=None)
@given(pdf=frames(), how=st.sampled_from(["any", "all"]), subset=st.sampled_from([None, ["i"], ["f", "s"]]))
def test_dropna_matches_pandas(pdf, how, subset):
    assert_frame_equal(hw.DataFrame(pdf).dropna(subset=subset, how=how), pdf.dropna(subset=subset, how=how))


def test_fillna_scalar_upcasts_int_to_float():
    s = pd.Series([1, None], dtype="Int64", name="x")
    assert_series_equal(hw.Series(s).fillna(0.5), s.astype("Float64").fillna(0.5))


def test_all_null_and_zero_rows():
    s = hw.Series([None, None], dtype="float64")
    assert s.fillna(1.0).to_list() == [1.0, 1.0]
    assert s.ffill().to_list() == [None, None]
    empty = hw.DataFrame({"a": pd.Series([], dtype="float64")})
    assert len(empty.dropna()) == 0 and len(empty.fillna(0)) == 0


def test_empty_string_is_not_missing():
    assert hw.Series(["", None]).isna().to_list() == [False, True]


def test_fillna_with_a_frame_of_means():
    pdf = pd.DataFrame({"a": [1.0, None, 3.0], "b": [None, 4.0, 6.0]})
    df = hw.DataFrame(pdf)
    assert_frame_equal(df.fillna(df.mean()), pdf.fillna(pdf.mean()))


def test_fillna_unknown_column_and_wrong_type():
    df = hw.DataFrame({"price": [1.0, None]})
    with pytest.raises(KeyError, match="did you mean 'price'"):
        df.fillna({"prise": 0})
    with pytest.raises(TypeError, match="float64 column with str"):
        df.fillna("x")


def test_every_family(mixed_pandas):
    pdf = mixed_pandas
    df = hw.DataFrame(pdf)
    assert_frame_equal(df.isna(), pdf.isna())
    assert_frame_equal(df.ffill(), pdf.ffill())
    assert_frame_equal(df.bfill(), pdf.bfill())
    assert_frame_equal(df.dropna(), pdf.dropna().reset_index(drop=True))
    fill = {"i": 0, "f": 0.5, "b": True, "s": "?", "t": pd.Timestamp("2000-01-01"), "c": "lo"}
    assert_frame_equal(df.fillna(fill), pdf.fillna(fill))
    assert_frame_equal(df.shift(2), pdf.shift(2))
