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


@settings(max_examples=20, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text("ab1 ", max_size=6)), max_size=12))
def test_extractall_property(values):
    ps = pd.Series(values, dtype="str")
    want = ps.str.extractall(r"(a)(1)?")
    got = hw.Series(ps).str.extractall(r"(a)(1)?")
    assert got.index.tolist() == want.index.tolist()
    assert_frame_equal(got.reset_index(), _flat(want), check_dtype=len(want) > 0)


# -- reindex --------------------------------------------------------------------------------
@pytest.fixture
def keyed():
    return pd.DataFrame({"k": pd.array(["a", "b", None, "d"], dtype="str"),
                         "v": pd.array([1, None, 3, 4], dtype="Int64"), "f": [1.5, 2.5, None, 4.0]})


@pytest.mark.parametrize("kw", [
    {"index": ["d", "zz", "a"]},
    {"index": ["d", "zz", "b"], "fill_value": 0},
    {"labels": ["b", "a", "b"]},
    {"index": [np.nan, "a"]},
    {"columns": ["f", "new"]},
    {"columns": ["f", "new"], "fill_value": -1},
    {"labels": ["f"], "axis": 1},
    {"index": ["b", "q"], "columns": ["v", "x"]},
    {"index": []},
])
def test_frame_reindex_on_keys_matches_pandas(keyed, kw):
    want = keyed.set_index("k").reindex(**kw)
    got = hw.DataFrame(keyed).set_index("k").reindex(**kw)
    assert got.index.names == ["k"]
    assert_frame_equal(got.reset_index(), want.reset_index(), check_dtype=False)


def test_reindex_of_positions_and_series(keyed):
    want = keyed[["v", "f"]].reindex([3, 7, 0], fill_value=0)
    got = hw.DataFrame(keyed)[["v", "f"]].reindex([3, 7, 0], fill_value=0)
    assert got.index.tolist() == [3, 7, 0]
    assert_frame_equal(got.reset_index(), want.reset_index(), check_dtype=False)
    s, ps = hw.DataFrame(keyed).set_index("k")["f"], keyed.set_index("k")["f"]
    assert_series_equal(s.reindex(["d", "x", "a"]), ps.reindex(["d", "x", "a"]))
    assert s.reindex(["x"], fill_value=9.0).to_dict() == {"x": 9.0}
    g = hw.DataFrame(keyed).groupby("k")["v"].sum().reindex(["d", "zz", "a"], fill_value=0)
    assert g.to_dict() == keyed.groupby("k")["v"].sum().reindex(["d", "zz", "a"], fill_value=0).to_dict()
    two = hw.DataFrame(keyed).set_index(["k", "v"]).reindex([("a", 1), ("d", 5)])
    assert two.reset_index().to_dict() == {"k": ["a", "d"], "v": [1, 5], "f": [1.5, None]}


def test_reindex_errors(keyed):
    df = hw.DataFrame(keyed)
    with pytest.raises(NoRowLabelsError, match="reset_index"):
        df[df["f"] > 2].reindex([0, 1])
    with pytest.raises(NotImplementedError, match="ffill"):
        df.set_index("k").reindex(["a"], method="ffill")
    with pytest.raises(TypeError, match="set_index"):
        df.reindex(["a"])
    with pytest.raises(ValueError, match="repeat"):
        hw.DataFrame({"k": ["a", "a"], "v": [1, 2]}).set_index("k").reindex(["a"])
    with pytest.raises(TypeError, match="list of labels"):
        df.set_index("k").reindex("a")


# -- concat(axis=1) -------------------------------------------------------------------------
def test_concat_columns_align_on_labels_as_pandas():
    a = pd.DataFrame({"k": ["c", "a", "b"], "x": [1, None, 3]}).set_index("k")
    b = pd.DataFrame({"k": ["b", "z"], "y": pd.array([10, None], dtype="Int64")}).set_index("k")
    ha, hb = hw.DataFrame(a.reset_index()).set_index("k"), hw.DataFrame(b.reset_index()).set_index("k")
    for kw in ({}, {"join": "inner"}, {"sort": True}):
        got = hw.concat([ha, hb], axis=1, **kw)
        want = pd.concat([a, b], axis=1, **kw)
        assert got.index.names == ["k"]
        assert_frame_equal(got.reset_index(), want.reset_index(), check_dtype=False)
    short, long = pd.DataFrame({"y": [1.0]}), pd.DataFrame({"x": [1, 2, 3]})
    assert_frame_equal(hw.concat([hw.DataFrame(long), hw.DataFrame(short)], axis=1),
                       pd.concat([long, short], axis=1), check_dtype=False)
    series = [pd.Series([1, None]), pd.Series([3.0, 4.0]), pd.DataFrame({"a": [0, 0]}), pd.Series(["p", "q"])]
    want = pd.concat(series, axis=1)
    want.columns = [str(c) for c in want.columns]
    assert_frame_equal(hw.concat([hw.Series(s) if isinstance(s, pd.Series) else hw.DataFrame(s) for s in series],
                                 axis=1), want, check_dtype=False)


def test_concat_columns_duplicate_names_and_reordered_rows_raise():
    with pytest.raises(ValueError, match="add_suffix"):
        hw.concat([hw.DataFrame({"x": [1, 2]}), hw.DataFrame({"x": [3, 4]})], axis=1)
    d = hw.DataFrame({"x": [1, 2, 3]})
    with pytest.raises(NoRowLabelsError, match="reset_index"):
        hw.concat([d[d["x"] > 1], hw.DataFrame({"y": [1, 2]})], axis=1)
    kept = d[d["x"] > 1]
    assert hw.concat([kept, kept["x"].rename("z")], axis=1).to_dict() == {"x": [2, 3], "z": [2, 3]}


def test_get_dummies_of_a_series_matches_pandas():
    for values in (["x", None, "y", "x"], [1.5, 2.0, None]):
        for kw in ({}, {"prefix": "p"}, {"dummy_na": True}, {"drop_first": True}):
            want = pd.get_dummies(pd.Series(values), **kw)
            want.columns = [str(c) for c in want.columns]
            assert_frame_equal(hw.get_dummies(hw.Series(values), **kw), want)


@pytest.mark.parametrize("freq", ["D", "MS", "W", "2D"])
def test_grouper_alone_bins_as_pandas(freq):
    pdf = pd.DataFrame({"k": ["a", "b", "a", "b"], "v": [1, 2, None, 4],
                        "t": pd.to_datetime(["2024-01-01 05:00", "2024-01-03 00:00", "2024-02-03 09:00", None])})
    h = hw.DataFrame(pdf)
    got = h.groupby(hw.Grouper(key="t", freq=freq))["v"].sum()
    want = pdf.groupby(pd.Grouper(key="t", freq=freq))["v"].sum()
    assert_frame_equal(got.reset_index(), want.reset_index(), check_dtype=False)
    got = h.groupby(hw.Grouper(key="t", freq=freq)).agg(n=("v", "count"), m=("v", "max"))
    want = pdf.groupby(pd.Grouper(key="t", freq=freq)).agg(n=("v", "count"), m=("v", "max"))
    assert_frame_equal(got.reset_index(), want.reset_index(), check_dtype=False)
