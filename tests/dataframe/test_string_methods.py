"""The rest of ``.str`` (positions, padding, case, character classes, patterns) vs pandas.

pandas' NA-propagating ``string`` dtype is the reference (its answers for null rows are
null, as Headwater's). Edge cases: nulls, empty strings, non-ASCII, negative positions
and steps, optional groups that do not take part, zero rows.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from dataframe.helpers import assert_frame_equal, assert_series_equal

VALUES = ["  Apple ", None, "", "banana", "Äpfel straße", "a.b", "-12", "+3", "12", "²½",
          " \t", "Hello wORLD", "apple", "x1y22z333"]


@pytest.fixture
def ps():
    return pd.Series(VALUES, dtype="str", name="s")  # pandas' default str dtype


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.str[0], lambda s: s.str[-1], lambda s: s.str[3], lambda s: s.str[:2],
        lambda s: s.str[1:], lambda s: s.str[-3:], lambda s: s.str[::2], lambda s: s.str[::-1],
        lambda s: s.str[-2::-1], lambda s: s.str[1:-1], lambda s: s.str.slice(step=-2),
        lambda s: s.str.pad(8), lambda s: s.str.pad(8, side="right", fillchar="*"),
        lambda s: s.str.pad(8, side="both", fillchar="-"), lambda s: s.str.center(7, "."),
        lambda s: s.str.center(6), lambda s: s.str.ljust(6, "_"), lambda s: s.str.rjust(6),
        lambda s: s.str.zfill(4), lambda s: s.str.zfill(0),
        lambda s: s.str.title(), lambda s: s.str.capitalize(), lambda s: s.str.swapcase(),
        lambda s: s.str.casefold(),
        lambda s: s.str.isdigit(), lambda s: s.str.isalpha(), lambda s: s.str.isnumeric(),
        lambda s: s.str.isspace(), lambda s: s.str.isalnum(), lambda s: s.str.isdecimal(),
        lambda s: s.str.islower(), lambda s: s.str.isupper(), lambda s: s.str.istitle(),
        lambda s: s.str.count("a"), lambda s: s.str.count(r"\d+"), lambda s: s.str.count("A", flags=re.I),
        lambda s: s.str.find("a"), lambda s: s.str.find("l", 3), lambda s: s.str.rfind("a"),
        lambda s: s.str.find("e", 0, 4),
        lambda s: s.str.match("a"), lambda s: s.str.match(r"\s"), lambda s: s.str.match("A", case=False),
        lambda s: s.str.match("a|b"), lambda s: s.str.fullmatch(r"\d+"), lambda s: s.str.fullmatch("a.b|apple"),
        lambda s: s.str.fullmatch("APPLE", flags=re.IGNORECASE), lambda s: s.str.match("x", na=False),
    ],
)
def test_string_methods_match_pandas(ps, call):
    assert_series_equal(call(hw.Series(ps)), call(ps))


@pytest.mark.parametrize("pat", [r"([a-z])(\d+)", r"(?P<letter>[a-z])(\d)?", r"(a)?(b)", r"[(](\w)",
                                 r"(?i)(A)(?:p+)(l)", r"(\d)(?P<rest>\d*)"])
def test_extract_matches_pandas(ps, pat):
    want = ps.str.extract(pat)
    want.columns = [str(c) for c in want.columns]
    assert_frame_equal(hw.Series(ps).str.extract(pat), want)


def test_extract_one_group_series_and_errors(ps):
    assert_series_equal(hw.Series(ps).str.extract(r"(\d+)", expand=False),
                        ps.str.extract(r"(\d+)", expand=False), check_name=False)
    assert_series_equal(hw.Series(ps).str.extract(r"(?P<n>\d+)", expand=False),
                        ps.str.extract(r"(?P<n>\d+)", expand=False))
    with pytest.raises(ValueError, match="no capture groups"):
        hw.Series(ps).str.extract(r"\d+")
    with pytest.raises(NotImplementedError, match="VERBOSE"):
        hw.Series(ps).str.count("a", flags=re.VERBOSE)
    with pytest.raises(TypeError, match="single character"):
        hw.Series(ps).str.pad(5, fillchar="ab")
    with pytest.raises(TypeError, match=r"\.str\.get"):
        hw.Series(ps).str["a"]


def test_findall_matches_pandas(ps):
    got = hw.Series(ps).str.findall(r"[a-z]\d?").to_list()
    want = [v if isinstance(v, list) else None for v in ps.astype(object).str.findall(r"[a-z]\d?")]
    assert got == want


def test_work_on_categorical_and_zero_rows():
    cat = pd.Series(["ab", None, "cd", "ab"], dtype="category")
    assert hw.Series(cat).str[:1].to_list() == ["a", None, "c", "a"]
    empty = hw.Series(pd.Series([], dtype="string"))
    assert empty.str.zfill(3).to_list() == [] and empty.str.extract("(a)").columns == ["0"]


TEXT = st.text(alphabet="ab1 Z-é", max_size=6)


@settings(max_examples=15, deadline=None)
@given(values=st.lists(st.one_of(st.none(), TEXT), max_size=12),
       start=st.one_of(st.none(), st.integers(-7, 7)), stop=st.one_of(st.none(), st.integers(-7, 7)),
       step=st.sampled_from([None, 1, 2, -1, -3]), width=st.integers(0, 8))
def test_positions_and_padding_property(values, start, stop, step, width):
    ps = pd.Series(values, dtype="str")
    hs = hw.Series(ps)
    assert_series_equal(hs.str[start:stop:step], ps.str[start:stop:step], check_name=False)
    if start is not None:
        assert_series_equal(hs.str[start], ps.str[start], check_name=False)
    for call in (lambda s: s.str.center(width, "*"), lambda s: s.str.zfill(width),
                 lambda s: s.str.ljust(width), lambda s: s.str.count("a"), lambda s: s.str.find("b", 1),
                 lambda s: s.str.fullmatch("[ab]+"), lambda s: s.str.match("a")):
        assert_series_equal(call(hs), call(ps), check_name=False)
    want = ps.str.extract(r"(a)?(\d)")
    want.columns = ["0", "1"]
    assert_frame_equal(hs.str.extract(r"(a)?(\d)"), want)
