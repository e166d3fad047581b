"""Property tests: groupby on random frames equals pandas for any keys, nulls and aggregation."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dataframe.groupby_data import flatten, to_headwater
from dataframe.helpers import assert_frame_equal

AGGS = ["sum", "mean", "min", "max", "count", "size", "std", "median", "first", "last", "nunique", "prod"]

rows_strategy = st.lists(
    st.tuples(
        st.one_of(st.none(), st.integers(-3, 3)),             # int key
        st.one_of(st.none(), st.sampled_from(["a", "b", ""])),  # string key
        st.one_of(st.none(), st.floats(-100, 100, allow_nan=False).map(lambda x: round(x, 2))),
    ),
    max_size=40,
)


@settings(max_examples=80, deadline=None)
@given(rows_strategy, st.sampled_from(AGGS), st.booleans(), st.booleans(),
       st.sampled_from([["k"], ["s"], ["k", "s"], ["s", "k"]]))
def test_groupby_matches_pandas(rows, agg, sort, dropna, by):
    pdf = pd.DataFrame({
        "k": pd.array([r[0] for r in rows], dtype="Int64"),
        "s": pd.array([r[1] for r in rows], dtype="str"),
        "v": np.array([np.nan if r[2] is None else r[2] for r in rows], dtype=np.float64),
    })
    got = to_headwater(pdf).groupby(by, sort=sort, dropna=dropna, as_index=False).agg(out=("v", agg))
    want = flatten(pdf.groupby(by, as_index=False, sort=sort, dropna=dropna).agg(out=("v", agg)))
    assert_frame_equal(got, want, check_dtype=len(pdf) > 0, rtol=1e-7)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.integers(-5, 5)), max_size=50), st.integers(0, 3))
def test_cumcount_and_head_match_pandas(rows, n):
    pdf = pd.DataFrame({"k": [r[0] for r in rows], "v": [r[1] for r in rows]}, dtype="int64")
    hdf = to_headwater(pdf)
    assert hdf.groupby("k").cumcount().to_pandas().tolist() == pdf.groupby("k").cumcount().tolist()
    assert_frame_equal(hdf.groupby("k").head(n), pdf.groupby("k").head(n), check_dtype=len(pdf) > 0)
