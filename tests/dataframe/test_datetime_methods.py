"""``.dt`` flags, ISO calendar, names, formatting, rounding and time zones vs pandas,
with nulls, leap days, year boundaries and DST days."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from dataframe.helpers import assert_frame_equal, assert_series_equal

STAMPS = ["2024-02-29 13:45:10", None, "2023-12-31 23:59:59", "2021-01-03", "2024-12-30 06:00",
          "2000-03-01 12:30", "1969-12-31 18:00", "2024-03-31 02:30", "2024-10-27 01:30",
          "2024-06-30 12:00", "2024-01-01 00:00"]


@pytest.fixture(params=[None, "Europe/Paris", "UTC"])
def pair(request):
    p = pd.Series(pd.to_datetime(STAMPS, format="mixed"), name="t").dt.as_unit("ns")
    if request.param:
        p = p.dt.tz_localize(request.param, ambiguous="NaT", nonexistent="NaT")
    return hw.Series(p), p


def _nullable(p: pd.Series) -> pd.Series:
    return p.astype("boolean") if p.dtype == bool else p


@pytest.mark.parametrize("name", ["days_in_month", "is_month_start", "is_month_end", "is_quarter_start",
                                  "is_quarter_end", "is_year_start", "is_year_end", "is_leap_year"])
def test_flags_match_pandas(pair, name):
    h, p = pair
    want = getattr(p.dt, name)
    if want.dtype == bool:
        want = want.astype("boolean")  # NaT gives False, as pandas
    else:  # float with NaN in pandas; Headwater keeps integers with nulls
        want = want.astype("Int32")
    assert_series_equal(getattr(h.dt, name), want)


@pytest.mark.parametrize("call", [
    lambda s: s.dt.month_name(), lambda s: s.dt.day_name(), lambda s: s.dt.normalize(),
    lambda s: s.dt.strftime("%Y-%m-%d %H:%M:%S"), lambda s: s.dt.strftime("%d %b %Y, %a %j"),
    lambda s: s.dt.ceil("h"), lambda s: s.dt.round("h"), lambda s: s.dt.round("15min"),
    lambda s: s.dt.floor("D"), lambda s: s.dt.round("D"),
])
def test_methods_match_pandas(pair, call):
    h, p = pair
    if p.dt.tz is not None:  # pandas cannot round onto the DST change of these two rows
        h, p = hw.Series(p.drop([7, 8])), p.drop([7, 8])
    assert_series_equal(call(h), call(p))


def test_isocalendar_matches_pandas(pair):
    h, p = pair
    assert_frame_equal(h.dt.isocalendar(), p.dt.isocalendar())


def test_date_and_time(pair):
    h, p = pair
    dates = h.dt.date
    want = pd.to_datetime(p.dt.date)
    assert_series_equal(dates, want.dt.as_unit("ns") if hasattr(want, "dt") else want)
    assert dates.to_arrow().type == "date32[day]"
    times = h.dt.time
    want_t = pd.Series([None if pd.isna(x) else pd.Timedelta(hours=x.hour, minutes=x.minute, seconds=x.second)
                        for x in p.dt.time], dtype="timedelta64[ns]", name="t")
    assert_series_equal(times, want_t)
    later = (times > dt.time(12, 0)).to_list()
    assert later == [False if x is None else x > pd.Timedelta(hours=12) for x in times.to_list()]


def test_time_zones():
    p = pd.Series(pd.to_datetime(STAMPS, format="mixed"), name="t").dt.as_unit("ns")
    h = hw.Series(p)
    for zone in ["Europe/Paris", "US/Eastern", "UTC", "Asia/Kolkata"]:
        want = p.dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
        got = h.dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
        assert_series_equal(got, want)
        assert_series_equal(got.dt.tz_convert("Asia/Tokyo"), want.dt.tz_convert("Asia/Tokyo"))
        assert_series_equal(got.dt.tz_localize(None), want.dt.tz_localize(None))
        assert_series_equal(got.dt.hour, want.dt.hour)  # float64 with NaN where NaT, as pandas
        assert got.dt.tz == str(want.dt.tz)
    assert_series_equal(h.dt.tz_localize("UTC").dt.tz_convert(None),
                        p.dt.tz_localize("UTC").dt.tz_convert(None))
    with pytest.raises(TypeError, match="tz_localize"):
        h.dt.tz_convert("UTC")
    with pytest.raises(TypeError, match="tz_convert"):
        h.dt.tz_localize("UTC").dt.tz_localize("UTC")
    with pytest.raises(Exception):
        h.dt.tz_localize("Europe/Paris")  # 2024-03-31 02:30 does not exist there
    with pytest.raises(NotImplementedError, match="period"):
        h.dt.to_period("M")


def test_strftime_runs_once_per_distinct_value():
    values = pd.Series(pd.to_datetime(["2024-01-01", "2024-01-02"] * 500)).dt.as_unit("ns")
    got = hw.Series(values).dt.strftime("%Y/%m/%d")
    assert got._column.dictionary.to_pylist() == ["2024/01/01", "2024/01/02"]
    assert_series_equal(got, values.dt.strftime("%Y/%m/%d"), check_name=False)


@settings(max_examples=30, deadline=None)
@given(days=st.lists(st.one_of(st.none(), st.integers(-60_000, 60_000)), max_size=12),
       seconds=st.integers(0, 86_399))
def test_calendar_property(days, seconds):
    p = pd.Series(pd.to_datetime(pd.Series(days, dtype="float64"), unit="D") + pd.Timedelta(seconds=seconds))
    h = hw.Series(p)
    assert_frame_equal(h.dt.isocalendar(), p.dt.isocalendar())
    assert_series_equal(h.dt.days_in_month, p.dt.days_in_month.astype("Int32"), check_name=False)
    for flag in ("is_month_end", "is_month_start", "is_leap_year"):
        want = getattr(p.dt, flag).astype("boolean")
        assert_series_equal(getattr(h.dt, flag), want, check_name=False)
    assert_series_equal(h.dt.round("h"), p.dt.round("h"), check_name=False)
    assert_series_equal(h.dt.ceil("30min"), p.dt.ceil("30min"), check_name=False)
