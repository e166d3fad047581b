"""Lag and Rolling against pandas' groupby().shift() and groupby().rolling()."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from tests.dataframe.features.helpers import assert_column, frame

RNG = np.random.default_rng(8)
N = 80
PDF = pd.DataFrame({
    "g": RNG.choice(np.array(["a", "b", "c", None], dtype=object), size=N),
    "h": RNG.integers(0, 2, size=N),
    "v": np.where(RNG.random(N) < 0.1, np.nan, RNG.normal(size=N)),
})


@pytest.mark.parametrize("by", [None, ["g"], ["g", "h"]])
def test_lag_and_lead_match_groupby_shift(by):
    op = hw.features.Lag(columns=["v", "g"], by=by, periods=[1, 3, -2])
    out = op.transform(frame(PDF))
    for p in (1, 3, -2):
        source = PDF["v"] if by is None else PDF.groupby(by, dropna=True)["v"]
        assert_column(out, op.output_name("v", p), source.shift(p).to_numpy(dtype=float, na_value=np.nan))
    text = out.to_pandas()[op.output_name("g", 1)]
    want = PDF["g"].shift(1) if by is None else PDF.groupby(by, dropna=True)["g"].shift(1)
    assert [None if pd.isna(v) else v for v in text] == [None if pd.isna(v) else v for v in want]


def _pandas_rolling(by, window, min_periods, stat):
    if by is None:
        return getattr(PDF["v"].rolling(window, min_periods=min_periods), stat)().to_numpy()
    rolled = getattr(PDF.groupby(by, dropna=True)["v"].rolling(window, min_periods=min_periods), stat)()
    aligned = rolled.reset_index(level=list(range(len(by))), drop=True).reindex(PDF.index)
    return aligned.to_numpy(dtype=float, na_value=np.nan)


@pytest.mark.parametrize("by", [None, ["g"], ["g", "h"]])
@pytest.mark.parametrize("window,min_periods", [(1, None), (3, None), (4, 1), (5, 2)])
def test_rolling_matches_pandas(by, window, min_periods):
    stats = ["mean", "sum", "min", "max", "std"]
    op = hw.features.Rolling(columns=["v"], window=window, by=by, stats=stats, min_periods=min_periods)
    out = op.transform(frame(PDF))
    mp = window if min_periods is None else min_periods
    for stat in stats:
        assert_column(out, op.output_name("v", stat), _pandas_rolling(by, window, mp, stat), rtol=1e-9, atol=1e-9)


def test_options_are_checked():
    with pytest.raises(hw.features.FeatureOpError, match="window"):
        hw.features.Rolling(columns=["v"])
    with pytest.raises(hw.features.FeatureOpError, match="non-zero"):
        hw.features.Lag(columns=["v"], periods=0)
    with pytest.raises(hw.features.FeatureOpError, match="min_periods"):
        hw.features.Rolling(columns=["v"], window=2, min_periods=3)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ab"), st.one_of(st.none(), st.floats(-100, 100))),
                min_size=1, max_size=25),
       st.integers(1, 4))
def test_random_groups_match_pandas(rows, window):
    pdf = pd.DataFrame({"g": [r[0] for r in rows], "v": [np.nan if r[1] is None else r[1] for r in rows]})
    out = hw.features.Rolling(columns=["v"], window=window, by="g", stats=["sum"], min_periods=1).transform(frame(pdf))
    rolled = pdf.groupby("g")["v"].rolling(window, min_periods=1).sum()
    want = rolled.reset_index(level=0, drop=True).reindex(pdf.index).to_numpy()
    assert_column(out, f"v_rolling_sum_{window}", want, atol=1e-9)
    lagged = hw.features.Lag(columns=["v"], by="g").transform(frame(pdf))
    assert_column(lagged, "v_lag1", pdf.groupby("g")["v"].shift(1).to_numpy())


@pytest.mark.parametrize("closed", ["right", "left", "both", "neither"])
@pytest.mark.parametrize("min_periods", [None, 1])
@pytest.mark.parametrize("by", [None, ["g"]])
def test_rolling_closed_matches_pandas(closed, min_periods, by):
    op = hw.features.Rolling(columns=["v"], window=3, stats=["sum", "mean", "max"], by=by, min_periods=min_periods,
                             closed=closed)
    out = op.transform(frame(PDF))
    source = PDF["v"] if by is None else PDF.groupby(by, dropna=True)["v"]
    for stat in ("sum", "mean", "max"):
        want = getattr(source.rolling(3, min_periods=min_periods, closed=closed), stat)()
        if by is not None:
            want = want.reset_index(level=0, drop=True).reindex(PDF.index)
        name = op.output_name("v", stat)
        assert name.endswith("" if closed == "right" else f"_{closed}")
        assert_column(out, name, want.to_numpy(dtype=float, na_value=np.nan))


def test_rolling_closed_is_checked():
    with pytest.raises(hw.features.FeatureOpError, match="closed must be one of"):
        hw.features.Rolling(columns=["v"], window=2, closed="middle")
