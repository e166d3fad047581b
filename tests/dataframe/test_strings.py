"""``.str`` methods vs pandas, run once per distinct value.

Edge cases: nulls, empty strings, non-ASCII, regex vs literal patterns, zero rows,
all-null, out-of-range ``get``, work proportional to distinct values.
"""

from __future__ import annotations

import pandas as pd
import pytest

import headwater as hw
from dataframe.helpers import assert_frame_equal, assert_series_equal

VALUES = ["  Apple ", None, "", "banana", "Äpfel", "a.b", "apple", "  Apple "]


@pytest.fixture
def ps():
    # pandas' default "str" dtype is the reference: tests answer False for missing
    # values, counts are float64 with NaN there
    return pd.Series(VALUES, dtype="str", name="s")


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.str.lower(),
        lambda s: s.str.upper(),
        lambda s: s.str.strip(),
        lambda s: s.str.len(),
        lambda s: s.str.contains("pp"),
        lambda s: s.str.contains("^a", regex=True),
        lambda s: s.str.contains(".", regex=False),
        lambda s: s.str.contains("APPLE", case=False),
        lambda s: s.str.startswith("a"),
        lambda s: s.str.endswith("a"),
        lambda s: s.str.replace("p", "P"),
        lambda s: s.str.replace("a.", "X", regex=True),
        lambda s: s.str.replace(r"(p+)", r"<\1>", regex=True),
        lambda s: s.str.slice(1, 3),
        lambda s: s.str.slice(2),
        lambda s: s.str.get(0),
        lambda s: s.str.get(5),
    ],
)
def test_string_methods_match_pandas(ps, call):
    assert_series_equal(call(hw.Series(ps)), call(ps), check_dtype=False)


def test_split_expand_and_cat(ps):
    pdf = pd.DataFrame({"s": ["a,b,c", "d", None, ""]}, dtype="str")
    got = hw.Series(pdf["s"]).str.split(",", expand=True)
    want = pdf["s"].str.split(",", expand=True)
    want.columns = [str(c) for c in want.columns]
    assert_frame_equal(got, want)
    assert hw.Series(["a", "b"]).str.split("x").to_list() == [["a"], ["b"]]  # a list column
    a, b = pd.Series(["x", None, "z"], dtype="str"), pd.Series(["1", "2", "3"], dtype="str")
    assert_series_equal(hw.Series(a).str.cat(hw.Series(b), sep="-"), a.str.cat(b, sep="-"), check_name=False)


def test_string_work_runs_once_per_distinct_value():
    s = hw.Series(["x", "y"] * 5000).astype(hw.StringDtype("dictionary"))
    col = s.str.upper()._column
    assert len(col.dictionary) == 2
    hw.reset_transfer_stats()
    s.str.upper()
    assert hw.transfer_stats().to_device_bytes < 100  # the per-value codes, not the rows


def test_zero_rows_and_all_null():
    assert hw.Series(pd.Series([], dtype="str")).str.upper().to_list() == []
    assert hw.Series([None, None], dtype="str").str.len().to_list() == [None, None]


def test_str_on_non_string_is_an_error():
    with pytest.raises(TypeError, match="astype\\('str'\\)"):
        hw.Series([1]).str.lower()


def test_categorical_accessor():
    s = hw.Series(pd.Categorical(["b", None, "a"], categories=["b", "a"]))
    assert s.cat.codes.to_list() == [0, -1, 1]
    assert s.cat.categories == ["b", "a"]
    assert s.str.upper().to_list() == ["B", None, "A"]
