"""sort_values (stable, ascending lists, na_position), rank, nlargest/nsmallest vs pandas.

Edge cases: zero rows, ties (stability), all-null keys, NaN, strings with the empty
string, integer bounds under descending order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from dataframe.helpers import assert_frame_equal, assert_series_equal
from dataframe.strategies import frames


@settings(max_examples=60, deadline=None)
@given(pdf=frames(), by=st.sampled_from([["i"], ["s"], ["f", "i"], ["s", "b", "i"], ["b"]]),
       asc=st.booleans(), flip=st.booleans(), na=st.sampled_from(["first", "last"]))
def test_sort_values_matches_pandas_stable(pdf, by, asc, flip, na):
    ascending = [asc if k % 2 == 0 or not flip else not asc for k in range(len(by))]
    want = pdf.sort_values(by, ascending=ascending, na_position=na, kind="stable")
    got = hw.DataFrame(pdf).sort_values(by, ascending=ascending, na_position=na)
    assert_frame_equal(got, want.reset_index(drop=True))


def test_descending_at_integer_bounds():
    info = np.iinfo(np.int64)
    s = pd.Series([0, info.min, info.max, -1], name="x")
    assert_series_equal(hw.Series(s).sort_values(ascending=False), s.sort_values(ascending=False))
    u = pd.Series(np.array([0, 2**64 - 1, 5], dtype=np.uint64), name="x")
    assert_series_equal(hw.Series(u).sort_values(ascending=False), u.sort_values(ascending=False))


@settings(max_examples=40, deadline=None)
@given(pdf=frames(), method=st.sampled_from(["average", "min", "max", "first", "dense"]),
       asc=st.booleans(), col=st.sampled_from(["i", "f", "s"]))
def test_rank_matches_pandas(pdf, method, asc, col):
    want = pdf[col].rank(method=method, ascending=asc)
    got = hw.Series(pdf[col]).rank(method=method, ascending=asc)
    # nullable pandas gives UInt64 ranks for some methods; Headwater ranks are float64 as in
    # classic pandas, so compare values only
    assert got.dtype == "float64"
    assert_series_equal(got, want, check_dtype=False)


def test_rank_pct_and_dates():
    s = pd.Series(pd.to_datetime(["2020-01-02", "2020-01-01", None]), name="t")
    assert_series_equal(hw.Series(s).rank(pct=True), s.rank(pct=True))


def test_nlargest_nsmallest():
    pdf = pd.DataFrame({"a": [3, 1, None, 7, 7], "b": list("vwxyz")}).astype({"a": "Int64"})
    df = hw.DataFrame(pdf)
    assert_frame_equal(df.nlargest(2, "a"), pdf.nlargest(2, "a").reset_index(drop=True))
    assert_frame_equal(df.nsmallest(2, "a"), pdf.nsmallest(2, "a").reset_index(drop=True))
    assert hw.Series(pdf["a"]).nlargest(3).to_list() == [7, 7, 3]


def test_zero_rows_and_all_null():
    assert len(hw.DataFrame({"a": pd.Series([], dtype="int64")}).sort_values("a")) == 0
    assert hw.Series([None, None], dtype="float64").sort_values().to_list() == [None, None]


@pytest.mark.parametrize("col", ["i", "f", "b", "s", "t", "c"])
@pytest.mark.parametrize("ascending", [True, False])
def test_every_family_sorts_and_ranks(mixed_pandas, col, ascending):
    pdf = mixed_pandas
    want = pdf.sort_values(col, ascending=ascending, kind="stable").reset_index(drop=True)
    assert_frame_equal(hw.DataFrame(pdf).sort_values(col, ascending=ascending), want)
    if col != "b":
        assert_series_equal(hw.Series(pdf[col]).rank(ascending=ascending), pdf[col].rank(ascending=ascending),
                            check_dtype=False)


def test_key_order_keeps_ties_in_row_order(xp):
    from headwater.dataframe.sorting import key_order
    from headwater.tensor.transfer import to_host

    backend = hw.get_backend()
    rng = np.random.default_rng(0)
    for values in (rng.standard_normal(500).round(1), np.zeros(7), np.array([2.0]), np.array([])):
        got = to_host(key_order(backend, xp.asarray(values)))
        np.testing.assert_array_equal(got, np.argsort(values, kind="stable"))


FLOAT_POOL = [-0.0, 0.0, np.inf, -np.inf, np.nan, 1.0, 1.0 + 2.0**-52, 1.0 + 2.0**-51, -3.5, 1e-300]


def _rows_frame(values, dtype) -> pd.DataFrame:
    """A key column and a row number, so that a tie out of order is seen exactly."""
    return pd.DataFrame({"k": pd.Series(values, dtype=dtype), "row": np.arange(len(values))})


@settings(max_examples=80, deadline=None)
@given(values=st.lists(st.one_of(st.sampled_from(FLOAT_POOL), st.floats(-1e3, 1e3)), max_size=40),
       asc=st.booleans(), na=st.sampled_from(["first", "last"]))
def test_float_keys_match_pandas_row_for_row(values, asc, na):
    pdf = _rows_frame(values, "float64")
    want = pdf.sort_values("k", ascending=asc, na_position=na, kind="stable").reset_index(drop=True)
    got = hw.DataFrame(pdf).sort_values("k", ascending=asc, na_position=na)
    assert got["row"].to_list() == want["row"].tolist()
    s = hw.Series(pdf["k"]).sort_values(ascending=asc, na_position=na)
    assert_series_equal(s, pdf["k"].sort_values(ascending=asc, na_position=na, kind="stable").reset_index(drop=True))


@settings(max_examples=60, deadline=None)
@given(dtype=st.sampled_from(["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]),
       data=st.data(), asc=st.booleans(), na=st.sampled_from(["first", "last"]))
def test_integer_keys_with_nulls_match_pandas_row_for_row(dtype, data, asc, na):
    info = np.iinfo(dtype)
    pool = st.sampled_from([int(info.min), int(info.max), 0, 1, int(info.max) - 1])
    values = data.draw(st.lists(st.one_of(st.none(), pool, st.integers(int(info.min), int(info.max))), max_size=30))
    nullable = dtype.capitalize().replace("Uint", "UInt")  # pandas' nullable Int8 .. UInt64
    pdf = _rows_frame(values, nullable)
    want = pdf.sort_values("k", ascending=asc, na_position=na, kind="stable").reset_index(drop=True)
    got = hw.DataFrame(pdf).sort_values("k", ascending=asc, na_position=na)
    assert got["row"].to_list() == want["row"].tolist()
    assert_frame_equal(got, want)


@pytest.mark.parametrize("ascending", [True, False])
@pytest.mark.parametrize("na", ["first", "last"])
def test_many_ties_and_low_bit_differences(ascending, na):
    rng = np.random.default_rng(5)
    values = np.round(rng.uniform(size=4000) * 10, 1)  # ~100 distinct values
    values[rng.integers(0, 4000, 300)] = np.nan
    values[:1000] = 1.0 + rng.integers(0, 50, 1000) * 2.0**-52  # differ below the row bits
    pdf = _rows_frame(values, "float64")
    want = pdf.sort_values("k", ascending=ascending, na_position=na, kind="stable")
    got = hw.DataFrame(pdf).sort_values("k", ascending=ascending, na_position=na)
    np.testing.assert_array_equal(got["row"].to_numpy(), want["row"].to_numpy())
    for key in ("k", "row"):  # the multi-key path orders each key the same way
        two = pdf.assign(g=pdf["row"] % 3)
        w = two.sort_values(["g", key], ascending=[True, ascending], na_position=na, kind="stable")
        g = hw.DataFrame(two).sort_values(["g", key], ascending=[True, ascending], na_position=na)
        np.testing.assert_array_equal(g["row"].to_numpy(), w["row"].to_numpy())


@pytest.mark.parametrize("n", [0, 1])
def test_empty_and_one_row_keys(n):
    pdf = _rows_frame([2.5] * n, "float64")
    assert hw.DataFrame(pdf).sort_values("k", ascending=False)["row"].to_list() == list(range(n))
    assert hw.Series(pdf["k"]).sort_values(na_position="first").to_list() == [2.5] * n


def test_series_nlargest_nsmallest_with_ties_and_missing():
    s = pd.Series([1.0, np.nan, 7.0, -0.0, 7.0, 0.0, -np.inf, np.inf], name="x")
    for n in (1, 3, 7):  # (pandas keeps the NaN once n reaches the length)
        assert_series_equal(hw.Series(s).nlargest(n), s.nlargest(n).reset_index(drop=True))
        assert_series_equal(hw.Series(s).nsmallest(n), s.nsmallest(n).reset_index(drop=True))
    big = pd.Series(np.random.default_rng(3).integers(0, 40, 3000).astype(float), name="x")
    big[::13] = np.nan  # the selection path: a few rows of many, ties at the threshold
    for n in (1, 5, 100):
        assert_series_equal(hw.Series(big).nlargest(n), big.nlargest(n).reset_index(drop=True))
        assert_series_equal(hw.Series(big).nsmallest(n), big.nsmallest(n).reset_index(drop=True))
        pdf = pd.DataFrame({"k": big, "g": np.arange(3000) % 4, "row": np.arange(3000)})
        for by in ("k", ["k", "g"], ["g", "k"]):
            want = pdf.sort_values(by, ascending=False, kind="stable").head(n)
            assert hw.DataFrame(pdf).nlargest(n, by)["row"].to_list() == want["row"].tolist()
            want = pdf.sort_values(by, kind="stable").head(n)
            assert hw.DataFrame(pdf).nsmallest(n, by)["row"].to_list() == want["row"].tolist()
    pdf = _rows_frame([3, 1, 3, 2, 1], "int64")
    assert hw.DataFrame(pdf).nlargest(3, "k")["row"].to_list() == pdf.nlargest(3, "k")["row"].tolist()
    assert hw.DataFrame(pdf).nsmallest(3, "k")["row"].to_list() == pdf.nsmallest(3, "k")["row"].tolist()


@pytest.mark.parametrize("ascending", [True, False])
@pytest.mark.parametrize("na_first", [True, False])
@pytest.mark.host_only("feeds NumPy arrays to the GPU branch on purpose")
def test_key_order_gpu_branch_on_numpy(ascending, na_first):
    # The GPU branch (stable argsort, then the missing rows partitioned off) run with NumPy,
    # against the packed CPU branch.
    from types import SimpleNamespace

    from headwater.dataframe.sorting import key_order

    gpu_like = SimpleNamespace(name="cuda", xp=np)
    rng = np.random.default_rng(7)
    floats = rng.choice(np.array([-0.0, 0.0, 1.5, -2.0, np.inf, -np.inf, np.nan]), 300)
    ints = rng.integers(-5, 5, 300)
    valid = rng.random(300) < 0.8
    for key in (floats, ints, ints.astype(np.uint8), ints > 0):
        for mask in (None, valid):
            want = key_order(hw.get_backend("cpu"), key, ascending, mask, na_first)
            got = key_order(gpu_like, key, ascending, mask, na_first)
            np.testing.assert_array_equal(got, want)
