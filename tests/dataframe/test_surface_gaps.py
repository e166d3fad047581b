"""df.dtypes as a Series, str.extractall, reindex and concat(axis=1) vs pandas (with nulls)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from dataframe.helpers import assert_frame_equal, assert_series_equal
from headwater.dataframe.keys import NoRowLabelsError


@pytest.fixture
def mixed():
    return pd.DataFrame({"a": pd.array([1, None, 3], dtype="Int64"), "b": [1.5, None, 2.0],
                         "s": pd.array(["x", None, "z"], dtype="str"), "t": pd.to_datetime(["2024-01-01", None, "2024-01-03"])})


# -- df.dtypes ------------------------------------------------------------------------------
def test_dtypes_is_a_series_keyed_by_column_name(mixed):
    df = hw.DataFrame(mixed)
    dtypes = df.dtypes
    assert isinstance(dtypes, hw.Series)
    assert dtypes.index.tolist() == list(mixed.dtypes.index)
    assert dtypes["a"] == np.int64 and dtypes["b"] == "float64" and dtypes["t"] == np.dtype("datetime64[ns]")
    assert [str(d) for d in dtypes] == ["int64", "float64", "str", "datetime64[ns]"]
    assert dict(dtypes.items()) == dtypes.to_dict() and list(dtypes.to_dict()) == ["a", "b", "s", "t"]
    assert (dtypes == "float64").to_list() == (mixed.dtypes == "float64").to_list()
    assert (dtypes != np.int64).to_list() == [False, True, True, True]
    assert df.columns[dtypes == "float64"] == ["b"]
    assert dtypes.values.dtype == object and len(dtypes) == 4
    assert dtypes.value_counts().to_dict() == {"int64": 1, "float64": 1, "str": 1, "datetime64[ns]": 1}
    assert dtypes.map(lambda d: d.kind).to_list() == ["i", "f", "string", "M"]
    assert dtypes[dtypes == "str"].to_list() == ["str"]  # a filtered result holds the names
    assert dtypes.reset_index().columns == ["index", "0"]
    with pytest.raises(KeyError, match="no such column"):
        dtypes["nope"]
    with pytest.raises(KeyError, match="iloc"):
        dtypes[0]


# -- str.extractall -------------------------------------------------------------------------
def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.reset_index()
    out.columns = [str(c) for c in out.columns]
    return out


@pytest.mark.parametrize("pat", [r"([a-z])(\d)", r"(?P<letter>[a-z])(\d)?", r"(\d+)", r"(?P<x>q)"])
@pytest.mark.parametrize("layout", ["dictionary", "plain"])
def test_extractall_matches_pandas(pat, layout):
    ps = pd.Series(["a1b22", None, "c3", "zz", "", "a1"], dtype="str")
    s = hw.Series(ps)
    if layout == "plain":
        s = hw.Series._from_column(s._column.as_plain(), None, rows=None)
    got = s.str.extractall(pat)
    want = ps.str.extractall(pat)
    assert got.index.names == list(want.index.names)
    assert got.index.tolist() == want.index.tolist()
    assert_frame_equal(got.reset_index(), _flat(want), check_dtype=len(want) > 0)  # pandas: object when empty


def test_extractall_on_keyed_series_and_flags():
    pdf = pd.DataFrame({"k": ["p", "q", "r"], "t": pd.array(["A1a2", None, "b3"], dtype="str")}).set_index("k")
    got = hw.DataFrame(pdf.reset_index()).set_index("k")["t"].str.extractall(r"([a-z])(\d)", flags=2)
    want = pdf["t"].str.extractall(r"([a-z])(\d)", flags=2)
    assert got.index.names == ["k", "match"]
    assert_frame_equal(got.reset_index(), _flat(want))
    assert got.loc[("p", 1), "1"] == want.loc[("p", 1), 1]


def test_extractall_errors():
    s = hw.Series(["a1", "b2"])
    with pytest.raises(ValueError, match="capture groups"):
        s.str.extractall(r"\d")
    with pytest.raises(NoRowLabelsError, match="reset_index"):
        s[s.str.len() > 0].sort_values().str.extractall(r"(\d)")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text("ab1 ", max_size=6)), max_size=12))
def test_extractall_property(values):
    ps = pd.Series(values, dtype="str")
    want = ps.str.extractall(r"(a)(1)?")
    got = hw.Series(ps).str.extractall(r"(a)(1)?")
    assert got.index.tolist() == want.index.tolist()
    assert_frame_equal(got.reset_index(), _flat(want), check_dtype=len(want) > 0)
