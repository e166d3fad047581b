"""rolling / expanding / ewm on Series, DataFrames and groupbys vs pandas (with nulls).

Edge cases: missing values inside windows, windows longer than the data, centred and
closed windows, long windows (the prefix-sum and sparse-table paths), constant windows
(variance exactly 0), time windows with repeated times, groups of one row, null keys.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from dataframe.helpers import assert_frame_equal, assert_series_equal

AGGS = ["count", "sum", "mean", "median", "min", "max", "std", "var"]
VALUES = [1.0, None, 3.0, 3.0, 3.0, -2.5, 10.0, None, None, 4.0, 0.5, 7.0]


@pytest.fixture
def ps():
    return pd.Series(VALUES, name="v")


@pytest.mark.parametrize("agg", AGGS)
@pytest.mark.parametrize("kw", [{"window": 3}, {"window": 1}, {"window": 3, "min_periods": 1},
                                {"window": 4, "center": True, "min_periods": 2},
                                {"window": 3, "center": True}, {"window": 20, "min_periods": 0},
                                {"window": 3, "closed": "left", "min_periods": 1},
                                {"window": 3, "closed": "both"}, {"window": 3, "closed": "neither", "min_periods": 1}])
def test_series_rolling_matches_pandas(ps, agg, kw):
    assert_series_equal(getattr(hw.Series(ps).rolling(**kw), agg)(), getattr(ps.rolling(**kw), agg)())


@pytest.mark.parametrize("q,interpolation", [(0.25, "linear"), (0.9, "lower"), (0.5, "higher"),
                                             (0.3, "nearest"), (0.75, "midpoint"), (0.0, "linear"), (1.0, "linear")])
def test_rolling_quantile(ps, q, interpolation):
    assert_series_equal(hw.Series(ps).rolling(4, min_periods=1).quantile(q, interpolation=interpolation),
                        ps.rolling(4, min_periods=1).quantile(q, interpolation=interpolation))


@pytest.mark.parametrize("agg", AGGS)
def test_long_windows_match_pandas(agg):
    rng = np.random.default_rng(0)
    values = rng.normal(100.0, 5.0, 400)
    values[rng.random(400) < 0.1] = np.nan
    values[200:300] = 7.0  # constant stretch: variance exactly 0 there
    p = pd.Series(values)
    for window in (70, 150):
        assert_series_equal(getattr(hw.Series(p).rolling(window, min_periods=5), agg)(),
                            getattr(p.rolling(window, min_periods=5), agg)(), rtol=1e-8, check_name=False)
    assert_series_equal(getattr(hw.Series(p).expanding(3), agg)(), getattr(p.expanding(3), agg)(),
                        rtol=1e-8, check_name=False)


@pytest.mark.parametrize("agg", AGGS)
def test_expanding_matches_pandas(ps, agg):
    assert_series_equal(getattr(hw.Series(ps).expanding(), agg)(), getattr(ps.expanding(), agg)())
    assert_series_equal(getattr(hw.Series(ps).expanding(min_periods=3), agg)(),
                        getattr(ps.expanding(min_periods=3), agg)())


def test_rolling_apply_and_agg(ps):
    h = hw.Series(ps)
    f = lambda w: float(np.nansum(w) * 2)  # noqa: E731
    assert_series_equal(h.rolling(3, min_periods=1).apply(f, raw=True), ps.rolling(3, min_periods=1).apply(f, raw=True))
    g = lambda w: w.max() - w.min()  # noqa: E731
    assert_series_equal(h.rolling(2).apply(g), ps.rolling(2).apply(g))
    want = ps.rolling(3).agg(["sum", "max"])
    assert_frame_equal(h.rolling(3).agg(["sum", "max"]), want)
    assert_series_equal(h.rolling(3).agg("mean"), ps.rolling(3).agg("mean"))


def test_frame_rolling_and_time_windows():
    pdf = pd.DataFrame({
        "t": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-02", "2024-01-05", "2024-01-06 12:00",
                             "2024-01-07"], format="mixed"),
        "a": [1.0, None, 3.0, 4.0, 5.0, 6.0], "b": pd.array([1, 2, None, 4, 5, 6], dtype="Int64"),
    })
    h = hw.DataFrame(pdf)
    assert_frame_equal(h[["a", "b"]].rolling(2).mean(), pdf[["a", "b"]].rolling(2).mean())
    for closed in ("right", "both", "left", "neither"):
        for agg in ("sum", "count", "max", "mean"):
            want = getattr(pdf.rolling("2D", on="t", closed=closed), agg)()
            assert_frame_equal(getattr(h.rolling("2D", on="t", closed=closed), agg)(), want)
    assert_frame_equal(h.rolling("36h", on="t", min_periods=2).std(), pdf.rolling("36h", on="t", min_periods=2).std())
    assert_frame_equal(h[["a"]].rolling(2, step=2).sum(), pdf[["a"]].rolling(2, step=2).sum())


def test_grouped_windows_match_pandas():
    pdf = pd.DataFrame({"k": ["b", "a", "b", None, "a", "b", "c", "a", "b"],
                        "v": [1.0, 2.0, None, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
                        "w": [9, 8, 7, 6, 5, 4, 3, 2, 1]})
    h = hw.DataFrame(pdf)

    def flat(result):  # pandas' (key, row) index as columns
        return result.reset_index()

    for agg in AGGS:
        assert_frame_equal(getattr(h.groupby("k")["v"].rolling(2, min_periods=1), agg)().reset_index(),
                           flat(getattr(pdf.groupby("k")["v"].rolling(2, min_periods=1), agg)()))
        assert_frame_equal(getattr(h.groupby("k").expanding(), agg)().reset_index(),
                           flat(getattr(pdf.groupby("k")[["v", "w"]].expanding(), agg)()))
    assert_frame_equal(h.groupby("k")["v"].ewm(alpha=0.3).mean().reset_index(),
                       flat(pdf.groupby("k")["v"].ewm(alpha=0.3).mean()))
    assert_frame_equal(h.groupby("k", sort=False)["w"].rolling(3).sum().reset_index(),
                       flat(pdf.groupby("k", sort=False)["w"].rolling(3).sum()))
    keyed = pdf.set_index("w")
    assert_frame_equal(hw.DataFrame(pdf).set_index("w").groupby("k")["v"].rolling(2).sum().reset_index(),
                       flat(keyed.groupby("k")["v"].rolling(2).sum()))
    with pytest.raises(ValueError, match="reset_index"):
        h[h["w"] > 2].groupby("k")["v"].rolling(2).sum()


@pytest.mark.parametrize("kw", [{"alpha": 0.5}, {"com": 2.0}, {"span": 3}, {"halflife": 1.5},
                                {"alpha": 0.3, "ignore_na": True}, {"alpha": 0.3, "min_periods": 3},
                                {"alpha": 0.4, "adjust": False}, {"alpha": 0.4, "adjust": False, "ignore_na": True},
                                {"alpha": 1.0}])
def test_ewm_matches_pandas(ps, kw):
    h = hw.Series(ps)
    assert_series_equal(h.ewm(**kw).mean(), ps.ewm(**kw).mean())
    if kw.get("adjust", True):
        assert_series_equal(h.ewm(**kw).sum(), ps.ewm(**kw).sum())
        assert_series_equal(h.ewm(**kw).var(), ps.ewm(**kw).var(), rtol=1e-8)
        assert_series_equal(h.ewm(**kw).std(bias=True), ps.ewm(**kw).std(bias=True), rtol=1e-8)


def test_window_errors(ps):
    h = hw.Series(ps)
    with pytest.raises(NotImplementedError, match="win_type"):
        h.rolling(3, win_type="triang")
    with pytest.raises(ValueError, match="on="):
        h.rolling("2D")
    with pytest.raises(TypeError, match="numeric"):
        hw.DataFrame({"s": ["a", "b"]}).rolling(2).sum()
    with pytest.raises(ValueError, match="exactly one"):
        h.ewm(alpha=0.5, span=3)
    with pytest.raises(NotImplementedError, match="adjust"):
        h.ewm(alpha=0.5, adjust=False).var()
    with pytest.raises(ValueError, match="increasing"):
        hw.DataFrame({"t": pd.to_datetime(["2024-01-02", "2024-01-01"]), "v": [1.0, 2.0]}).rolling("1D", on="t").sum()
    with pytest.raises(ValueError, match="min_periods"):
        h.rolling(2, min_periods=3)


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.sampled_from([0.0, 1.0, -2.0, 3.5, 100.0])), max_size=15),
       window=st.integers(1, 6), min_periods=st.integers(0, 6), center=st.booleans(),
       agg=st.sampled_from(AGGS))
def test_rolling_property(values, window, min_periods, center, agg):
    p = pd.Series(values, dtype="float64")
    min_periods = min(min_periods, window)
    roller = p.rolling(window, min_periods=min_periods, center=center)
    if agg in ("std", "var"):  # pandas' running sums leave residues; the reference is per window
        ddof_stat = np.nanstd if agg == "std" else np.nanvar
        want = roller.apply(lambda w: ddof_stat(w, ddof=1) if np.isfinite(w).sum() > 1 else np.nan, raw=True)
    else:
        want = getattr(roller, agg)()
    got = getattr(hw.Series(p).rolling(window, min_periods=min_periods, center=center), agg)()
    assert_series_equal(got, want, check_name=False, rtol=1e-7)
