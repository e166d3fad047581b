"""melt, pivot, pivot_table, crosstab, cut and qcut vs pandas (with nulls).

pandas' column MultiIndex is compared flattened with "_" (Headwater's names) and its
row index as leading columns (``reset_index()``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from dataframe.helpers import assert_frame_equal, assert_series_equal


@pytest.fixture
def sales():
    return pd.DataFrame({
        "region": ["n", "s", "n", "s", "n", None, "e", "n"],
        "kind": ["a", "b", "b", "a", "a", "a", "b", None],
        "year": [2020, 2020, 2021, 2021, 2020, 2021, 2021, 2020],
        "units": pd.array([1, 2, None, 4, 5, 6, 7, 8], dtype="Int64"),
        "price": [1.5, None, 3.0, 4.5, 5.0, 6.5, 7.0, 8.5],
    })


def flat(table: pd.DataFrame) -> pd.DataFrame:
    table = table.copy()
    if isinstance(table.columns, pd.MultiIndex):
        table.columns = ["_".join(str(p) for p in c) for c in table.columns]
    else:
        table.columns = [str(c) for c in table.columns]
    table.columns.name = None
    return table.reset_index()


@pytest.mark.parametrize("kw", [
    {"values": "units", "index": "region", "columns": "kind", "aggfunc": "sum"},
    {"values": "price", "index": "region", "columns": "kind"},
    {"values": "price", "index": ["region", "year"], "columns": "kind", "aggfunc": "max"},
    {"values": ["units", "price"], "index": "region", "columns": "kind", "aggfunc": "sum"},
    {"values": "price", "index": "region", "columns": ["kind", "year"], "aggfunc": "count"},
    {"values": "units", "index": "region", "columns": "year", "aggfunc": "sum", "fill_value": 0},
    {"values": "price", "index": "kind", "columns": "region", "aggfunc": ["sum", "mean"]},
    {"values": "price", "index": "region", "columns": "kind", "aggfunc": np.sum},
    {"values": "price", "index": "region", "columns": "kind", "aggfunc": len},
    {"values": "units", "index": "region", "columns": "kind", "aggfunc": "size", "dropna": False},
    {"values": "price", "index": "region", "aggfunc": "median"},
    {"values": ["price", "units"], "index": "year"},
])
def test_pivot_table_matches_pandas(sales, kw):
    got = hw.pivot_table(hw.DataFrame(sales), **kw)
    want = pd.pivot_table(sales, **kw)
    assert got.index.names == list(want.index.names)
    assert_frame_equal(got.reset_index(), flat(want), check_dtype=False)


def test_pivot_and_methods(sales):
    long = pd.DataFrame({"d": [1, 1, 2, 2, 3], "k": ["x", "y", "x", "y", "y"], "v": ["p", None, "r", "s", "t"],
                         "w": [1.0, 2.0, 3.0, 4.0, 5.0]})
    h = hw.DataFrame(long)
    assert_frame_equal(h.pivot(index="d", columns="k", values="v").reset_index(),
                       flat(long.pivot(index="d", columns="k", values="v")))
    assert_frame_equal(hw.pivot(h, index="d", columns="k").reset_index(), flat(long.pivot(index="d", columns="k")))
    table = hw.DataFrame(sales).pivot_table("price", "region", "kind", "min")
    assert table.loc["n", "a"] == sales.pivot_table("price", "region", "kind", "min").loc["n", "a"]
    assert_frame_equal(table.reset_index(),
                       flat(sales.pivot_table("price", "region", "kind", "min")), check_dtype=False)
    with pytest.raises(ValueError, match="duplicate"):
        hw.pivot(hw.DataFrame({"d": [1, 1], "k": ["x", "x"], "v": [1, 2]}), index="d", columns="k", values="v")
    with pytest.raises(NotImplementedError, match="aggfunc"):
        hw.pivot_table(h, values="w", index="d", columns="k", aggfunc=lambda x: x.sum())
    with pytest.raises(TypeError, match="astype"):  # the total row's label needs a string key
        hw.pivot_table(h, values="w", index="d", columns="k", margins=True)


@pytest.mark.parametrize("kw", [
    {"values": "units", "index": "region", "columns": "kind", "aggfunc": "sum"},
    {"values": "price", "index": "region", "columns": "kind"},
    {"values": ["units", "price"], "index": "region", "columns": "kind", "aggfunc": "mean"},
    {"values": "price", "index": ["region", "kind"], "columns": "year", "aggfunc": "count"},
    {"values": "price", "index": "region", "aggfunc": "sum"},
    {"values": ["units", "price"], "index": "kind", "aggfunc": "max"},
    {"values": "price", "index": "kind", "columns": "region", "aggfunc": ["sum", "mean"]},
    {"values": "units", "index": "region", "columns": "kind", "aggfunc": "sum", "dropna": False},
    {"values": "units", "index": "region", "columns": "year", "aggfunc": "sum", "fill_value": 0},
    {"values": "price", "index": "region", "columns": ["kind", "year"], "aggfunc": "min"},
    {"values": "price", "index": "region", "columns": "kind", "aggfunc": {"price": "median"},
     "margins_name": "Total"},
    {"values": "units", "index": "region", "columns": "kind", "aggfunc": len},
])
def test_pivot_table_margins_match_pandas(sales, kw):
    want = pd.pivot_table(sales, margins=True, **kw)
    got = hw.pivot_table(hw.DataFrame(sales), margins=True, **kw)
    assert got.index.names == list(want.index.names)
    assert_frame_equal(got.reset_index(), flat(want), check_dtype=False)
    method = hw.DataFrame(sales).pivot_table(margins=True, **kw)
    assert_frame_equal(method.reset_index(), flat(want), check_dtype=False)


def test_pivot_table_margins_errors(sales):
    h = hw.DataFrame(sales)
    with pytest.raises(ValueError, match="Conflicting name"):
        hw.pivot_table(h, values="price", index="region", columns="kind", margins=True, margins_name="n")
    with pytest.raises(ValueError, match="margins_name must be a string"):
        hw.pivot_table(h, values="price", index="region", columns="kind", margins=True, margins_name=1)


@pytest.mark.parametrize("kw", [{"id_vars": ["region", "kind"]}, {"id_vars": ["region", "year"], "value_vars": ["units"]},
                                {"id_vars": "region", "value_vars": ["units", "price"], "var_name": "what",
                                 "value_name": "amount"}, {"value_vars": ["year", "units"]}, {"value_vars": "kind"},
                                {"id_vars": "region", "value_vars": []}])
def test_melt_matches_pandas(sales, kw):
    want = pd.melt(sales, **kw)
    if not len(want):
        want["value"] = want["value"].astype("float64")
    assert_frame_equal(hw.melt(hw.DataFrame(sales), **kw), want)
    assert_frame_equal(hw.DataFrame(sales).melt(**kw), want)


def test_melt_errors(sales):
    with pytest.raises(TypeError, match="one kind at a time"):
        hw.melt(hw.DataFrame(sales), id_vars="year")
    with pytest.raises(ValueError, match="value_name"):
        hw.melt(hw.DataFrame(sales), id_vars="region", value_name="units")
    with pytest.raises(NotImplementedError, match="ignore_index"):
        hw.melt(hw.DataFrame(sales), ignore_index=False)


def test_crosstab_matches_pandas(sales):
    h = hw.DataFrame(sales)
    assert_frame_equal(hw.crosstab(h["region"], h["kind"]).reset_index(),
                       flat(pd.crosstab(sales["region"], sales["kind"])))
    assert_frame_equal(hw.crosstab(h["region"], [h["kind"], h["year"]]).reset_index(),
                       flat(pd.crosstab(sales["region"], [sales["kind"], sales["year"]])))
    assert_frame_equal(hw.crosstab(h["region"], h["kind"], values=h["price"], aggfunc="sum").reset_index(),
                       flat(pd.crosstab(sales["region"], sales["kind"], values=sales["price"], aggfunc="sum")),
                       check_dtype=False)
    for how in (True, "index", "columns"):
        assert_frame_equal(hw.crosstab(h["region"], h["kind"], normalize=how).reset_index(),
                           flat(pd.crosstab(sales["region"], sales["kind"], normalize=how)))


@pytest.mark.parametrize("kw", [{"bins": 3}, {"bins": [0, 2, 5, 10]}, {"bins": [0, 2, 5, 10], "right": False},
                                {"bins": [1, 2, 5, 10], "include_lowest": True}, {"bins": 4, "labels": False},
                                {"bins": [0, 3, 10], "labels": ["lo", "hi"]}, {"bins": 2, "precision": 1},
                                {"bins": [0.5, 2.25, 9.75]}, {"bins": 3, "right": False}])
def test_cut_matches_pandas(kw):
    p = pd.Series([1, 2, None, 3, 4, 5, 6.5, 7, 10, 0.5], name="x")
    got, want = hw.cut(hw.Series(p), **kw), pd.cut(p, **kw)
    if isinstance(want.dtype, pd.CategoricalDtype):  # labels as pandas prints its categories
        names = [str(c) for c in want.cat.categories]
        assert got.to_list() == [None if code < 0 else names[code] for code in want.cat.codes]
        assert got._column.dictionary.to_pylist() == names
        assert got._column.dtype.ordered
    else:  # bin numbers: NaN in pandas, nulls in Headwater's int64
        assert_series_equal(got, want.astype("Int64"))


@pytest.mark.parametrize("kw", [{"q": 4}, {"q": [0, 0.1, 0.5, 1.0]}, {"q": 3, "labels": False},
                                {"q": 2, "labels": ["low", "high"]}, {"q": 10, "duplicates": "drop"}])
def test_qcut_matches_pandas(kw):
    p = pd.Series([1, 2, 2, 2, None, 3, 4, 5, 6.5, 7, 10, 0.5], name="x")
    got, want = hw.qcut(hw.Series(p), **kw), pd.qcut(p, **kw)
    if isinstance(want.dtype, pd.CategoricalDtype):
        assert got.to_list() == [None if pd.isna(v) else str(v) for v in want]
    else:
        assert_series_equal(got, want.astype("Int64"))
    got_edges = hw.qcut(hw.Series(p), retbins=True, **kw)[1]
    np.testing.assert_allclose(got_edges, pd.qcut(p, retbins=True, **kw)[1])


def test_cut_errors():
    with pytest.raises(ValueError, match="unique"):
        hw.cut(hw.Series([1.0, 2.0]), [0, 1, 1, 2])
    with pytest.raises(ValueError, match="one fewer"):
        hw.cut(hw.Series([1.0, 2.0]), [0, 1, 2], labels=["a"])
    with pytest.raises(TypeError, match="numeric"):
        hw.cut(hw.Series(["a"]), 2)


@settings(max_examples=30, deadline=None)
# subnormal values are left out: pandas itself cannot cut a range that small (its 0.1%
# widening underflows and it raises), so there is no reference answer
@given(values=st.lists(st.one_of(st.none(), st.floats(-50, 50, allow_subnormal=False)), min_size=1, max_size=20),
       bins=st.integers(1, 6), right=st.booleans())
def test_cut_property(values, bins, right):
    p = pd.Series(values, dtype="float64")
    if p.notna().sum() == 0:
        return
    got = hw.cut(hw.Series(p), bins, right=right, labels=False)
    assert_series_equal(got, pd.cut(p, bins, right=right, labels=False).astype("Int64"), check_name=False)


@pytest.mark.parametrize("kw", [{}, {"margins_name": "T"}, {"aggfunc": "sum"}, {"dropna": False}])
def test_crosstab_margins_match_pandas(sales, kw):
    h = hw.DataFrame(sales)
    extra_pd = {"values": sales["price"]} if "aggfunc" in kw else {}
    extra_hw = {"values": h["price"]} if "aggfunc" in kw else {}
    want = pd.crosstab(sales["region"], sales["kind"], margins=True, **kw, **extra_pd)
    got = hw.crosstab(h["region"], h["kind"], margins=True, **kw, **extra_hw)
    assert_frame_equal(got.reset_index(), flat(want), check_dtype=False)


@pytest.mark.parametrize("how", ["index", "columns", True, "all"])
def test_crosstab_margins_with_normalize_match_pandas(sales, how):
    h = hw.DataFrame(sales)
    want = pd.crosstab(sales["region"], sales["kind"], margins=True, normalize=how)
    got = hw.crosstab(h["region"], h["kind"], margins=True, normalize=how)
    assert_frame_equal(got.reset_index(), flat(want), check_dtype=False)
