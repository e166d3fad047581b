"""DataFrame.resample(rule, on=) vs pandas: fixed and calendar rules, closed/label,
origin/offset, empty bins, nulls in values and times, time zones."""

from __future__ import annotations

import pandas as pd
import pytest

import headwater as hw
from dataframe.helpers import assert_frame_equal

TIMES = ["2024-01-03 10:00", "2024-01-05 01:00", "2024-01-05 23:59", "2024-02-10 00:00", "2024-02-29 12:00",
         "2024-04-02 06:30", None]


@pytest.fixture
def frame():
    return pd.DataFrame({"ts": pd.to_datetime(TIMES, format="mixed").as_unit("ns"),
                         "v": [1.0, 2.0, None, 4.0, 5.0, 6.0, 7.0],
                         "n": pd.array([1, 2, 3, None, 5, 6, 7], dtype="Int64")})


@pytest.mark.parametrize("rule", ["D", "2D", "12h", "W", "ME", "MS", "QS", "QE", "YE", "3D"])
@pytest.mark.parametrize("how", ["sum", "mean", "max", "count", "first", "median"])
def test_resample_matches_pandas(frame, rule, how):
    h = hw.DataFrame(frame)
    want = getattr(frame.dropna(subset=["ts"]).resample(rule, on="ts"), how)().reset_index()
    assert_frame_equal(getattr(h.resample(rule, on="ts"), how)().reset_index(), want, check_dtype=False)


@pytest.mark.parametrize("kw", [{"closed": "right"}, {"label": "right"}, {"closed": "right", "label": "right"},
                                {"origin": "epoch"}, {"offset": "2h"}, {"origin": "2024-01-01 06:00"}])
def test_resample_options(frame, kw):
    h = hw.DataFrame(frame)
    want = frame.dropna(subset=["ts"]).resample("D", on="ts", **kw).sum().reset_index()
    assert_frame_equal(h.resample("D", on="ts", **kw).sum().reset_index(), want, check_dtype=False)


def test_resample_agg_forms_and_tz(frame):
    h = hw.DataFrame(frame)
    base = frame.dropna(subset=["ts"])
    want = base.resample("W", on="ts").agg({"v": ["min", "max"], "n": "sum"})
    want.columns = ["v_min", "v_max", "n_sum"]
    assert_frame_equal(h.resample("W", on="ts").agg({"v": ["min", "max"], "n": "sum"}).reset_index(), want.reset_index(),
                       check_dtype=False)
    named = h.resample("ME", on="ts").agg(total=("v", "sum"), rows=("v", "size"))
    want = base.resample("ME", on="ts").agg(total=("v", "sum"), rows=("v", "size")).reset_index()
    assert_frame_equal(named.reset_index(), want, check_dtype=False)
    assert_frame_equal(h.resample("D", on="ts")[["v"]].sum().reset_index(),
                       base.resample("D", on="ts")[["v"]].sum().reset_index())
    assert_frame_equal(h.resample("D", on="ts")["v"].sum().reset_index(),
                       base.resample("D", on="ts")["v"].sum().reset_index())
    sizes = h.resample("2D", on="ts").size()
    assert sizes.to_list() == base.resample("2D", on="ts").size().tolist()
    assert sizes.index.tolist() == base.resample("2D", on="ts").size().index.tolist()
    aware = base.assign(ts=base["ts"].dt.tz_localize("Europe/Paris"))
    assert_frame_equal(hw.DataFrame(aware).resample("D", on="ts").sum().reset_index(),
                       aware.resample("D", on="ts").sum().reset_index(),
                       check_dtype=False)


def test_resample_errors(frame):
    h = hw.DataFrame(frame)
    with pytest.raises(TypeError, match="on="):
        h.resample("D")
    with pytest.raises(TypeError, match="datetime"):
        h.resample("D", on="v")
    with pytest.raises(AttributeError, match="aggregations"):
        h.resample("D", on="ts").ohlc()


@pytest.mark.parametrize("rule", ["D", "W", "MS"])
def test_resample_a_frame_keyed_by_its_times(frame, rule):
    # set_index("ts") then resample(rule) bins by the key, as pandas bins by its DatetimeIndex
    rows = frame.dropna(subset=["ts"])
    want = rows.set_index("ts").resample(rule).sum().reset_index()
    got = hw.DataFrame(rows).set_index("ts").resample(rule).sum().reset_index()
    assert_frame_equal(got, want, check_dtype=False)
    series_want = rows.set_index("ts").resample(rule)["v"].mean().reset_index()
    series_got = hw.DataFrame(rows).set_index("ts").resample(rule)["v"].mean().reset_index()
    assert_frame_equal(series_got, series_want, check_dtype=False)
    with pytest.raises(TypeError, match="keyed by one datetime"):
        hw.DataFrame(rows).set_index("n").resample(rule)
