"""Row-wise operations on the columns a join or filter gathered (pending gathers): run on
the source and gathered, they give pandas' answers, with nulls, for every operand kind."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from dataframe.helpers import assert_frame_equal
from headwater.dataframe.column import deferred


@pytest.fixture(scope="module")
def tables():
    rng = np.random.default_rng(5)
    dim = pd.DataFrame({
        "k": np.arange(40),
        "name": pd.array([None if i % 7 == 3 else f"n{i % 9}" for i in range(40)], dtype="str"),
        "size": np.array([np.nan if i % 5 == 1 else i % 11 for i in range(40)]),
        "w": rng.random(40),
    })
    fact = pd.DataFrame({"fk": rng.integers(0, 45, 3000), "q": rng.integers(0, 30, 3000)})
    return fact, dim


def _queries(x, lib):
    return {
        "eq": x["name"] == "n3",
        "ne": x["name"] != "n3",
        "lt_num": x["size"] < 4,
        "isin": x["name"].isin(["n1", "n5", None]),
        "between": x["size"].between(2, 6),
        "and_same_rows": (x["name"] == "n2") & (x["size"] > 3),
        "or_mixed": (x["name"] == "n4") | (x["q"] > 25),
        "arith": x["w"] * 2.0 + 1.0,
        "reflected": 10 - x["size"],
    }


@pytest.mark.parametrize("how", ["inner", "left"])
def test_predicates_on_joined_columns_match_pandas(tables, how):
    fact, dim = tables
    want = _queries(fact.merge(dim, left_on="fk", right_on="k", how=how), pd)
    for on in (True, False):
        with deferred.deferring(on):
            x = hw.from_pandas(fact).merge(hw.from_pandas(dim), left_on="fk", right_on="k", how=how)
            got = _queries(x, hw)
            for name, series in got.items():
                frame = hw.DataFrame({name: series})
                assert_frame_equal(frame, pd.DataFrame({name: want[name]}), check_dtype=False)


def test_predicates_after_a_filter_and_a_sort(tables):
    fact, dim = tables
    pdf = fact.merge(dim, left_on="fk", right_on="k").sort_values(["q", "fk"], kind="stable")
    pdf = pdf[pdf["q"] > 3]
    x = hw.from_pandas(fact).merge(hw.from_pandas(dim), left_on="fk", right_on="k").sort_values(["q", "fk"])
    x = x[x["q"] > 3]
    kept = x[(x["name"] == "n2") | x["size"].between(1, 3)]
    want = pdf[(pdf["name"] == "n2") | pdf["size"].between(1, 3)]
    assert_frame_equal(kept.reset_index(drop=True), want.reset_index(drop=True))


@pytest.mark.parametrize(("data", "values"), [
    (["a", None, "b"], ["a", None]),
    (["a", None, "b"], ["b", np.nan]),
    (["a", None, "b"], ["b"]),
    ([1.0, np.nan, 2.0], [np.nan]),
    ([1.0, np.nan, 2.0], [None, 2.0]),
    (pd.to_datetime(["2020-01-01", None, "2021-01-01"]), [pd.NaT]),
    (pd.to_datetime(["2020-01-01", None, "2021-01-01"]), [None, pd.Timestamp("2020-01-01")]),
])
def test_isin_treats_missing_values_as_pandas(data, values):
    want = pd.Series(data, dtype="str" if isinstance(data[0], str) else None).isin(values).tolist()
    assert hw.Series(data).isin(values).to_list() == want
