"""Small pandas attributes and conveniences (attributes.py), the Series/DataFrame
``index=`` argument, and any/all per row, ffill/bfill limits, round by column, against pandas."""

from __future__ import annotations

import io
import json
import sqlite3

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from tests.dataframe.helpers import assert_frame_equal, assert_series_equal

DATA = {"a": [1.0, None, 3.0, 3.0, None, 6.0], "b": [0, 1, 0, 2, 2, 1], "s": ["x", None, "y", "x", "z", "z"]}


def frames():
    return hw.DataFrame(DATA), pd.DataFrame(DATA)


@pytest.mark.parametrize("values", [[3, 1, 3, None, 2], ["b", "a", None, "b", "c"], [2.5, 2.5, None], []])
@pytest.mark.parametrize("sort", [False, True])
@pytest.mark.parametrize("sentinel", [True, False])
def test_factorize_matches_pandas(values, sort, sentinel):
    codes, uniques = hw.factorize(hw.Series(values), sort=sort, use_na_sentinel=sentinel)
    want_codes, want_uniques = pd.factorize(pd.Series(values, dtype=None if values else float), sort=sort,
                                            use_na_sentinel=sentinel)
    assert codes.tolist() == want_codes.tolist()
    assert [None if pd.isna(v) else v for v in uniques.to_list()] == [None if pd.isna(v) else v for v in want_uniques]
    assert hw.Series(values).factorize(sort=sort)[0].tolist() == pd.Series(values, dtype=None if values else float).factorize(sort=sort)[0].tolist()


@pytest.mark.parametrize("values", [[1, 2, 2, 3], [3, 2, 2], [1, None, 2], ["a", "b", "b"], ["b", "a"], [5], []])
def test_series_predicates(values):
    ours, theirs = hw.Series(values), pd.Series(values, dtype=object if values and isinstance(values[0], str) else None)
    assert ours.is_monotonic_increasing == theirs.is_monotonic_increasing
    assert ours.is_monotonic_decreasing == theirs.is_monotonic_decreasing
    assert ours.is_unique == theirs.is_unique
    assert ours.hasnans == theirs.hasnans
    assert ours.ndim == 1


def test_item_dot_autocorr():
    assert hw.Series([7]).item() == pd.Series([7]).item() and isinstance(hw.Series([7]).item(), int)
    with pytest.raises(ValueError, match="length 1"):
        hw.Series([1, 2]).item()
    x = [1.0, 2.0, 4.0, 3.0, 5.0]
    assert hw.Series(x).dot(hw.Series(x[::-1])) == pd.Series(x).dot(pd.Series(x[::-1]))
    assert hw.Series(x).autocorr(2) == pytest.approx(pd.Series(x).autocorr(2))


def test_frame_size_axes_prefix_set_axis():
    ours, theirs = frames()
    assert (ours.size, ours.ndim) == (theirs.size, theirs.ndim)
    assert ours.add_prefix("p_").columns == list(theirs.add_prefix("p_").columns)
    assert ours.add_suffix("_q").columns == list(theirs.add_suffix("_q").columns)
    assert ours.set_axis(["x", "y", "z"], axis=1).columns == list(theirs.set_axis(["x", "y", "z"], axis=1).columns)
    with pytest.raises(NotImplementedError, match="set_index"):
        ours.set_axis(["x", "y", "z", "u", "v", "w"], axis=0)


def test_host_writers_and_constructors():
    ours, theirs = frames()
    assert json.loads(ours.to_json(orient="records")) == json.loads(theirs.to_json(orient="records"))
    assert ours.to_records(index=False).tolist().__len__() == 6
    got, want = ours.to_records(index=False), theirs.to_records(index=False)
    assert got.dtype.names == want.dtype.names
    assert [tuple(None if pd.isna(v) else v for v in r) for r in got.tolist()] == \
        [tuple(None if pd.isna(v) else v for v in r) for r in want.tolist()]
    con = sqlite3.connect(":memory:")
    assert ours.to_sql("t", con, index=False) == 6
    assert con.execute("select count(*), sum(b) from t").fetchone() == (6, 6)
    rows = {"r1": [1, 2], "r2": [3, 4]}
    assert hw.DataFrame.from_dict(rows, orient="index", columns=["u", "v"]).to_dict() == \
        pd.DataFrame.from_dict(rows, orient="index", columns=["u", "v"]).to_dict()
    recs = [(1, "x"), (2, "y")]
    assert_frame_equal(hw.DataFrame.from_records(recs, columns=["n", "s"]),
                       pd.DataFrame.from_records(recs, columns=["n", "s"]), check_dtype=False)


def test_index_argument_keys_the_rows():
    s = hw.Series([1, 2, 3], index=["a", "b", "c"])
    p = pd.Series([1, 2, 3], index=["a", "b", "c"])
    assert s.to_dict() == p.to_dict() and s["b"] == p["b"] and s.loc["c"] == p.loc["c"]
    assert hw.Series({"x": 1.5, "y": None}).to_dict() == {"x": 1.5, "y": None}
    assert hw.Series({"x": 1, "y": 2}, index=["y", "z"]).to_list() == [2, None]
    assert hw.Series([1, 2], ["p", "q"]).to_dict() == {"p": 1, "q": 2}  # pandas' positional index
    added = hw.Series({"a": 1, "b": 2}) + hw.Series({"b": 10, "a": 20})
    assert added.to_dict() == (pd.Series({"a": 1, "b": 2}) + pd.Series({"b": 10, "a": 20})).to_dict()
    df = hw.DataFrame({"v": [1, 2]}, index=["r", "s"])
    assert df.to_dict() == pd.DataFrame({"v": [1, 2]}, index=["r", "s"]).to_dict()
    assert hw.DataFrame({"v": 0.5}, index=["a", "b"]).to_dict() == pd.DataFrame({"v": 0.5}, index=["a", "b"]).to_dict()
    assert hw.Series([1, 2], index=range(2))._keys == {}
    with pytest.raises(ValueError, match="labels for 3 rows"):
        hw.Series([1, 2, 3], index=["a"])


@pytest.mark.parametrize("axis", [0, 1, None])
@pytest.mark.parametrize("skipna", [True, False])
@pytest.mark.parametrize("name", ["any", "all"])
def test_any_all_by_axis(axis, skipna, name):
    data = {"a": [0.0, 1.0, None, 2.0], "b": [0, 0, 1, 3], "c": [True, False, True, True]}
    got = getattr(hw.DataFrame(data), name)(axis=axis, skipna=skipna)
    want = getattr(pd.DataFrame(data), name)(axis=axis, skipna=skipna)
    if axis is None:
        assert got == want
    elif axis == 1:
        assert got.to_list() == want.tolist()
    else:
        assert got.to_dict() == want.to_dict()
    with pytest.raises(TypeError, match="no truth value per row"):
        getattr(hw.DataFrame({"s": ["x"]}), name)(axis=1)


@pytest.mark.parametrize("method", ["ffill", "bfill"])
@pytest.mark.parametrize("limit", [None, 1, 2])
def test_fill_limits(method, limit):
    data = {"a": [None, 1.0, None, None, None, 4.0, None], "s": ["x", None, None, None, "y", None, None]}
    ours, theirs = hw.DataFrame(data), pd.DataFrame(data)
    assert_frame_equal(getattr(ours, method)(limit=limit), getattr(theirs, method)(limit=limit), check_dtype=False)
    assert_series_equal(getattr(ours["a"], method)(limit=limit), getattr(theirs["a"], method)(limit=limit))


def test_round_by_column():
    data = {"a": [1.2345, None], "b": [2.555, 1.0], "n": [1, 2]}
    ours, theirs = hw.DataFrame(data), pd.DataFrame(data)
    assert_frame_equal(ours.round({"a": 1, "n": 2}), theirs.round({"a": 1, "n": 2}))
    assert_frame_equal(ours.round(pd.Series({"b": 1})), theirs.round(pd.Series({"b": 1})))
    with pytest.raises(KeyError):
        ours.round({"zz": 1})
    with pytest.raises(TypeError, match="dict of places is for a DataFrame"):
        ours["a"].round({"a": 1})


def test_missing_top_level_name_names_pandas():
    with pytest.raises(AttributeError, match="pandas.wide_to_long"):
        hw.wide_to_long
    assert isinstance(io.StringIO, type)


def test_map_hands_pandas_missing_values_and_timestamps():
    data = {"f": [1.5, None], "s": ["x", None], "d": pd.to_datetime(["2024-01-03", None])}
    ours, theirs = hw.DataFrame(data), pd.DataFrame(data)
    assert ours.map(repr).to_dict("list") == theirs.map(repr).to_dict("list")
    assert ours["d"].map(lambda v: v.day_name() if v is not pd.NaT else None).to_list() == ["Wednesday", None]


@pytest.mark.parametrize("bins", [3, [0, 5, 10]])
@pytest.mark.parametrize("sort", [True, False])
@pytest.mark.parametrize("normalize", [False, True])
def test_value_counts_bins(bins, sort, normalize):
    values = [1.0, 2.0, 2.5, 10.0, None, 4.0]
    got = hw.Series(values).value_counts(bins=bins, sort=sort, normalize=normalize)
    want = pd.Series(values).value_counts(bins=bins, sort=sort, normalize=normalize)
    assert got.name == want.name
    got_items, want_items = list(got.to_dict().items()), [(str(k), v) for k, v in want.to_dict().items()]
    assert [k for k, _ in got_items] == [k for k, _ in want_items]
    assert [v for _, v in got_items] == pytest.approx([v for _, v in want_items])


@pytest.mark.parametrize("dropna", [True, False])
def test_categorical_value_counts_list_unused_categories(dropna):
    values = ["a", "c", None, "a"]
    dtype_ours, dtype_theirs = hw.CategoricalDtype(["c", "a", "b"]), pd.CategoricalDtype(["c", "a", "b"])
    got = hw.Series(values).astype(dtype_ours).value_counts(dropna=dropna)
    want = pd.Series(values).astype(dtype_theirs).value_counts(dropna=dropna)
    assert [(None if pd.isna(k) else k, v) for k, v in want.items()] == list(got.to_dict().items())


def test_read_csv_from_a_text_stream():
    text = "a,b\n1,x\n,y\n"
    assert_frame_equal(hw.read_csv(io.StringIO(text)), pd.read_csv(io.StringIO(text)), check_dtype=False)


def test_json_normalize_and_read_sql_as_pandas():
    records = [{"id": 1, "user": {"name": "a", "tags": 2}}, {"id": 2, "user": {"name": None}}]
    assert_frame_equal(hw.json_normalize(records), pd.json_normalize(records), check_dtype=False)
    con = sqlite3.connect(":memory:")
    pd.DataFrame(DATA).to_sql("t", con, index=False)
    query = "select s, sum(b) as total from t group by s order by s"
    assert_frame_equal(hw.read_sql(query, con), pd.read_sql(query, con), check_dtype=False)
    assert_frame_equal(hw.read_sql_query(query, con), pd.read_sql_query(query, con), check_dtype=False)


def test_nullable_dtype_constructors():
    assert hw.Series([1, None]).astype(hw.Int64Dtype()).to_list() == [1, None]
    assert hw.Float32Dtype() == np.float32 and hw.BooleanDtype() == np.bool_


def test_offsets_and_business_days():
    dates = ["2024-01-31", "2024-02-15"]
    ours = hw.to_datetime(hw.Series(dates)) + hw.offsets.MonthEnd(1)
    theirs = pd.to_datetime(pd.Series(dates)) + pd.offsets.MonthEnd(1)
    assert ours.to_list() == theirs.tolist()
    assert hw.bdate_range("2024-01-05", "2024-01-12").to_list() == list(pd.bdate_range("2024-01-05", "2024-01-12"))
