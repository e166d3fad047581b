"""``.dt`` fields and floor vs pandas, datetimes with timedeltas, time zones.

Edge cases: NaT, dates before 1970 and leap days, the year 2000, zero rows,
time-zone-aware columns (fields in local time).
"""

from __future__ import annotations

import pandas as pd
import pytest

import headwater as hw
from dataframe.helpers import assert_series_equal

STAMPS = ["1969-12-31 23:59:59", None, "2000-02-29 12:30:45", "1900-03-01", "2024-12-31 23:00",
          "1970-01-01", "2023-07-15 06:07:08"]


@pytest.fixture
def ps():
    return pd.Series(pd.to_datetime(STAMPS, format="mixed").astype("datetime64[ns]"), name="t")


@pytest.mark.parametrize("field", ["year", "month", "day", "hour", "minute", "second",
                                   "day_of_week", "day_of_year", "quarter"])
def test_fields_match_pandas(ps, field):
    got = getattr(hw.Series(ps).dt, field)
    want = getattr(ps.dt, field)  # float64 with NaN where the column has NaT, as pandas
    assert ps.isna().any() and str(got.dtype) == str(want.dtype) == "float64"
    assert_series_equal(got, want)
    full = ps.dropna().reset_index(drop=True)
    got = getattr(hw.Series(full).dt, field)
    assert str(got.dtype) == "int32" and got.to_list() == getattr(full.dt, field).tolist()


@pytest.mark.parametrize("freq", ["D", "h", "15min", "s"])
def test_floor_matches_pandas(ps, freq):
    assert_series_equal(hw.Series(ps).dt.floor(freq), ps.dt.floor(freq))


def test_time_zone_fields_are_local():
    ps = pd.Series(pd.to_datetime(["2024-03-31 00:30", "2024-07-01 23:30"]).tz_localize("UTC").tz_convert("Europe/Paris"))
    s = hw.Series(ps)
    assert s.dt.hour.to_list() == ps.dt.hour.tolist()
    assert s.dt.day.to_list() == ps.dt.day.tolist()
    assert s.to_pandas().tolist() == ps.tolist()


def test_timedelta_accessors_and_arithmetic(ps):
    s = hw.Series(ps)
    delta = s - s.shift(1)
    assert_series_equal(delta, (ps - ps.shift(1)))
    assert_series_equal(delta.dt.total_seconds(), (ps - ps.shift(1)).dt.total_seconds())
    assert_series_equal(s + pd.Timedelta(hours=1), ps + pd.Timedelta(hours=1))


def test_zero_rows_and_all_null():
    empty = hw.Series(pd.Series([], dtype="datetime64[ns]"))
    assert empty.dt.year.to_list() == []
    nat = hw.Series(pd.Series([pd.NaT, pd.NaT], dtype="datetime64[ns]"))
    assert nat.dt.month.to_list() == [None, None]
    assert nat.min() is pd.NaT


def test_dt_on_non_datetime_is_an_error():
    with pytest.raises(TypeError, match="datetime64"):
        _ = hw.Series([1]).dt.year
