"""Arithmetic, comparison and logical operators against pandas' nullable dtypes.

Edge cases: nulls on either side, null scalars, division by zero, NaN and inf,
Kleene logic for & and |, string comparisons and concatenation, datetimes with
timedeltas, mismatched lengths and dtypes (errors name both).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from dataframe.helpers import assert_frame_equal, assert_series_equal, default_comparison
from dataframe.strategies import frames

ARITH = ["add", "sub", "mul", "truediv", "floordiv", "mod"]
CMP = ["eq", "ne", "lt", "le", "gt", "ge"]
ints = st.lists(st.one_of(st.none(), st.integers(-1000, 1000)), min_size=0, max_size=30)


def _pair(a, b):
    n = min(len(a), len(b))
    return pd.Series(a[:n], dtype="Int64", name="x"), pd.Series(b[:n], dtype="Int64", name="x")


@settings(max_examples=40, deadline=None)
@given(a=ints, b=ints, op=st.sampled_from(ARITH + CMP))
def test_integer_ops_match_pandas(a, b, op):
    pa_, pb = _pair(a, b)
    if op in ("floordiv", "mod"):  # integer division by zero differs between libraries
        pb = pb.mask(pb == 0, 1)
    want = default_comparison(getattr(pa_, f"__{op}__")(pb), op)
    got = getattr(hw.Series(pa_), f"__{op}__")(hw.Series(pb))
    assert_series_equal(got, want)


floats = st.lists(st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)), max_size=30)


@settings(max_examples=40, deadline=None)
@given(a=floats, scalar=st.floats(-100, 100, allow_nan=False), op=st.sampled_from(ARITH + CMP))
def test_float_scalar_ops_match_pandas(a, scalar, op):
    ps = pd.Series(a, dtype="Float64", name="x")
    if op in ("truediv", "floordiv", "mod") and scalar == 0:
        scalar = 2.0
    want = default_comparison(getattr(ps, f"__{op}__")(scalar), op)
    got = getattr(hw.Series(ps), f"__{op}__")(scalar)
    assert_series_equal(got, want)


bools = st.lists(st.one_of(st.none(), st.booleans()), max_size=30)


@settings(max_examples=40, deadline=None)
@given(a=bools, b=bools, op=st.sampled_from(["and", "or", "xor"]))
def test_kleene_logic_matches_pandas_boolean(a, b, op):
    n = min(len(a), len(b))
    pa_, pb = pd.Series(a[:n], dtype="boolean", name="x"), pd.Series(b[:n], dtype="boolean", name="x")
    want = default_comparison(getattr(pa_, f"__{op}__")(pb), op)
    got = getattr(hw.Series(pa_), f"__{op}__")(hw.Series(pb))
    assert_series_equal(got, want)


def test_kleene_with_scalars_and_null():
    s = hw.Series([True, False, None])
    assert (s & False).to_list() == [False, False, False]
    assert (s | True).to_list() == [True, True, True]
    assert (s & None).to_list() == [None, False, None]
    assert (~s).to_list() == [False, True, None]


def test_reflected_and_unary():
    s = hw.Series([1, 2, None])
    assert (10 - s).to_list() == [9, 8, None]
    assert (2 ** s).to_list() == [2, 4, None]
    assert (-s).to_list() == [-1, -2, None]
    assert abs(hw.Series([-1.5])).to_list() == [1.5]


def test_division_by_zero_and_inf():
    s = hw.Series([1.0, -1.0, 0.0])
    out = (s / 0).to_list()
    assert out[0] == np.inf and out[1] == -np.inf and np.isnan(out[2])


def test_string_comparison_and_concat():
    ps = pd.Series(["b", None, "a", ""], dtype="str", name="x")
    s = hw.Series(ps)
    assert (s == "a").to_list() == [False, False, True, False]
    assert (s > "a").to_list() == [True, False, False, False]
    assert ("<" + s + ">").to_list() == ["<b>", None, "<a>", "<>"]
    other = hw.Series(["b", "c", "a", "z"], name="x")
    assert (s == other).to_list() == [True, False, True, False]
    assert (s < other).to_list() == [False, False, False, True]
    assert (s + other).to_list() == ["bb", None, "aa", "z"]


def test_datetime_and_timedelta_arithmetic():
    t = hw.Series(pd.to_datetime(["2024-01-01", None, "2024-03-01"]), name="t")
    shifted = t + pd.Timedelta("1D")
    assert shifted.to_pandas().tolist()[0] == pd.Timestamp("2024-01-02")
    gap = shifted - t
    assert gap.dtype == np.dtype("m8[ns]")
    assert gap.to_list()[0] == pd.Timedelta("1D").to_pytimedelta()
    assert (t > "2024-02-01").to_list() == [False, False, True]  # NaT compares False, as pandas
    assert (gap * 2).iloc[0] == pd.Timedelta("2D")


def test_mismatched_lengths_and_dtypes_are_errors():
    with pytest.raises(ValueError, match="different lengths: 2 .*int64.* and 3"):
        hw.Series([1, 2]) + hw.Series([1, 2, 3])
    with pytest.raises(TypeError, match="int64 column and a str column"):
        hw.Series([1, 2]) + hw.Series(["a", "b"])
    with pytest.raises(TypeError, match="str"):
        hw.Series(["a"]) - 1


def test_categorical_comparisons():
    c = hw.Series(pd.Categorical(["lo", "hi", None], categories=["lo", "hi"], ordered=True))
    assert (c == "hi").to_list() == [False, True, False]
    assert (c < "hi").to_list() == [True, False, False]
    u = hw.Series(["a", "b"], dtype="category")
    with pytest.raises(TypeError, match="ordered"):
        _ = u < "b"


def test_truth_value_is_ambiguous():
    with pytest.raises(ValueError, match="ambiguous"):
        bool(hw.Series([True]))


@settings(max_examples=40, deadline=None)
@given(pdf=frames(), op=st.sampled_from(["add", "sub", "mul", "truediv"] + CMP))
def test_mixed_int_float_columns_match_pandas(pdf, op):
    df = hw.DataFrame(pdf)
    want = default_comparison(getattr(pdf["i"], f"__{op}__")(pdf["f"]), op)
    got = getattr(df["i"], f"__{op}__")(df["f"])
    assert_series_equal(got, want)


@settings(max_examples=40, deadline=None)
@given(pdf=frames(), op=st.sampled_from(CMP), value=st.sampled_from(["", "a", "ab", "zz"]))
def test_string_comparisons_match_pandas(pdf, op, value):
    ref = pdf["s"].astype("string")  # NA-propagating reference, then pandas' default answer
    want = default_comparison(getattr(ref, f"__{op}__")(value), op)
    got = getattr(hw.Series(pdf["s"]), f"__{op}__")(value)
    assert_series_equal(got, want)
    other = ref.iloc[::-1].reset_index(drop=True)
    want2 = default_comparison(getattr(ref, f"__{op}__")(other), op)
    got2 = getattr(hw.Series(pdf["s"]), f"__{op}__")(hw.Series(pdf["s"]).iloc[::-1].reset_index(drop=True))
    assert_series_equal(got2, want2)


@settings(max_examples=40, deadline=None)
@given(pdf=frames(), scalar=st.sampled_from([0, 1, -2]))
def test_frame_scalar_comparison_matches_pandas(pdf, scalar):
    sub = pdf[["i", "f"]]
    assert_frame_equal(hw.DataFrame(sub) > scalar, (sub > scalar).apply(lambda c: default_comparison(c, "gt")))
    assert_frame_equal(hw.DataFrame(sub) * scalar, sub * scalar)
