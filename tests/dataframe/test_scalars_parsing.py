"""pandas' scalars at the top level, to_datetime / to_timedelta / to_numeric, date ranges,
and datetime columns against every kind of scalar and offset, vs pandas (with nulls)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from dataframe.helpers import assert_series_equal

STAMPS = ["1995-01-31", "1998-12-01 10:30", None, "2000-02-29", "1992-03-31 23:59:59", "1996-01-01"]


@pytest.fixture
def pair():
    p = pd.Series(pd.to_datetime(STAMPS, format="mixed"), name="d")
    return hw.Series(p), p


def test_scalars_are_pandas_own():
    assert hw.Timestamp is pd.Timestamp and hw.Timedelta is pd.Timedelta
    assert hw.NaT is pd.NaT and hw.NA is pd.NA and hw.DateOffset is pd.DateOffset
    assert hw.Timestamp("1998-12-01") - hw.Timedelta(days=90) == pd.Timestamp("1998-09-02")


@pytest.mark.parametrize("value", [pd.Timestamp("1996-01-01"), dt.datetime(1996, 1, 1), dt.date(1996, 1, 1),
                                   np.datetime64("1996-01-01"), "1996-01-01",
                                   hw.Timestamp("1998-12-01") - hw.Timedelta(days=90)])
@pytest.mark.parametrize("op", ["lt", "le", "gt", "ge", "eq", "ne"])
def test_datetime_column_compares_with_every_scalar(pair, value, op):
    h, p = pair
    # pandas refuses a bare datetime.date here; Headwater reads it as midnight
    want = getattr(p, op)(pd.Timestamp(value))  # NaT compares False (!=: True), as pandas
    assert_series_equal(getattr(h, op)(value), want)


def test_between_and_isin_take_scalars(pair):
    h, p = pair
    lo, hi = hw.Timestamp("1994-01-01"), hw.Timestamp("1994-01-01") + hw.DateOffset(years=5)
    assert_series_equal(h.between(lo, hi), p.between(lo, hi))
    assert h.isin([pd.Timestamp("1996-01-01"), "2000-02-29"]).to_list() == [False, False, False, True, False, True]


@pytest.mark.parametrize("offset", [
    pd.Timedelta(days=90), np.timedelta64(3, "h"), dt.timedelta(days=1, seconds=5),
    pd.DateOffset(months=1), pd.DateOffset(months=-13), pd.DateOffset(years=1, months=2, days=3),
    pd.DateOffset(weeks=2, hours=5), pd.DateOffset(years=-4), pd.offsets.Day(3), pd.offsets.Hour(7),
    pd.offsets.MonthEnd(), pd.offsets.MonthBegin(2), pd.DateOffset(months=1, day=1), pd.offsets.BDay(2),
    pd.DateOffset(n=3, months=1),
])
def test_datetime_column_plus_and_minus_offsets(pair, offset):
    import warnings

    h, p = pair
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.PerformanceWarning)
        assert_series_equal(h + offset, p + offset)
        assert_series_equal(h - offset, p - offset)
        if not isinstance(offset, (np.timedelta64,)):
            assert_series_equal(offset + h, offset + p)


def test_timedelta_column_with_a_moment():
    p = pd.Series(pd.to_timedelta(["1D", None, "-3h"]))
    h = hw.Series(p)
    stamp = pd.Timestamp("2024-01-01")
    assert_series_equal(h + stamp, p + stamp)
    assert_series_equal(stamp - h, stamp - p)
    assert_series_equal(dt.datetime(2024, 1, 1) + h, dt.datetime(2024, 1, 1) + p)


@pytest.mark.parametrize("kw", [{}, {"format": "%Y-%m-%d"}, {"errors": "coerce"}, {"utc": True},
                                {"format": "mixed"}, {"dayfirst": True, "format": "mixed"}])
def test_to_datetime_strings(kw):
    values = ["2024-01-05", None, "2023-12-31", "2024-01-05", "2024-07-08"]
    if kw.get("errors") == "coerce":
        values = values + ["not a date", ""]
    p = pd.Series(values, dtype="string", name="when")
    assert_series_equal(hw.to_datetime(hw.Series(p), **kw), pd.to_datetime(p, **kw))


def test_to_datetime_raises_as_pandas():
    with pytest.raises(ValueError):
        hw.to_datetime(hw.Series(["2024-01-05", "nope"]))
    with pytest.raises(ValueError, match="errors"):
        hw.to_datetime(hw.Series(["2024-01-05"]), errors="ignore")


@pytest.mark.parametrize("unit", ["s", "ms", "D", "h", "us", "ns"])
def test_to_datetime_numbers(unit):
    ints = pd.Series([0, 86_400, None, -5, 50_000], dtype="Int64")
    assert_series_equal(hw.to_datetime(hw.Series(ints), unit=unit),
                        pd.to_datetime(ints.astype("float64"), unit=unit).dt.as_unit("ns"))
    floats = pd.Series([1.5, None, 2.25, -0.75])
    assert_series_equal(hw.to_datetime(hw.Series(floats), unit=unit), pd.to_datetime(floats, unit=unit))


def test_to_datetime_out_of_bounds_raises():
    with pytest.raises(pd.errors.OutOfBoundsDatetime):
        hw.to_datetime(hw.Series([1_700_000_000]), unit="D")
    with pytest.raises(pd.errors.OutOfBoundsTimedelta):
        hw.to_timedelta(hw.Series([1e300]), unit="s")


def test_to_datetime_origin_utc_frames_and_scalars():
    p = pd.Series([1, 2, None], dtype="float64")
    assert_series_equal(hw.to_datetime(hw.Series(p), unit="D", origin="1960-01-01"),
                        pd.to_datetime(p, unit="D", origin="1960-01-01"))
    assert_series_equal(hw.to_datetime(hw.Series([2440588.5]), unit="D", origin="julian"),
                        pd.to_datetime(pd.Series([2440588.5]), unit="D", origin="julian"))
    naive = pd.Series(pd.to_datetime(["2024-01-01 12:00", None]))
    assert_series_equal(hw.to_datetime(hw.Series(naive), utc=True), pd.to_datetime(naive, utc=True))
    parts = pd.DataFrame({"year": [2024, 2023], "month": [2, 12], "day": [29, 31]})
    assert_series_equal(hw.to_datetime(hw.DataFrame(parts)), pd.to_datetime(parts), check_name=False)
    assert hw.to_datetime("2024-03-04") == pd.Timestamp("2024-03-04")
    assert hw.to_datetime(["2024-03-04", None]).to_list() == [pd.Timestamp("2024-03-04"), None]
    assert hw.to_datetime(None) is None and hw.to_datetime("x", errors="coerce") is pd.NaT
    with pytest.raises(TypeError, match="cannot convert"):
        hw.to_datetime(hw.Series([True]))


def test_to_timedelta():
    p = pd.Series(["1 days 02:00:00", "90s", None, "-1h"], dtype="string")
    assert_series_equal(hw.to_timedelta(hw.Series(p)), pd.to_timedelta(p))
    q = pd.Series(["1h", "bad"], dtype="string")
    assert_series_equal(hw.to_timedelta(hw.Series(q), errors="coerce"), pd.to_timedelta(q, errors="coerce"))
    n = pd.Series([1.5, None, 3.0])
    assert_series_equal(hw.to_timedelta(hw.Series(n), unit="min"), pd.to_timedelta(n, unit="min"))
    assert hw.to_timedelta("2 days") == pd.Timedelta(days=2)


@pytest.mark.parametrize("values,kw", [
    (["1", "2", None, "40"], {}), (["1.5", "x", None, "-2e3"], {"errors": "coerce"}),
    ([" 7", "8"], {}), (["1", "2", "300"], {"downcast": "integer"}), (["1", "2"], {"downcast": "unsigned"}),
    (["1.5", "2"], {"downcast": "float"}),
])
def test_to_numeric_strings(values, kw):
    p = pd.Series(values, dtype="string")  # pandas' nullable answer is the reference
    want = pd.to_numeric(p, **kw)
    got = hw.to_numeric(hw.Series(p), **kw)
    assert_series_equal(got, want)
    if "downcast" in kw:
        assert got.dtype == want.dtype.numpy_dtype


@pytest.mark.parametrize("values,downcast", [([1, 2, 300], "integer"), ([-1, 2], "unsigned"), ([1.0, 2.0], "signed"),
                                             ([1.5, 2.0], "integer"), ([1.1, 2.2], "float"), ([1e300], "float"),
                                             ([70000, -1], "signed"), ([5], "unsigned")])
def test_to_numeric_downcast(values, downcast):
    p = pd.Series(values)
    got = hw.to_numeric(hw.Series(p), downcast=downcast)
    assert got.dtype == pd.to_numeric(p, downcast=downcast).dtype
    assert_series_equal(got, pd.to_numeric(p, downcast=downcast))


def test_to_numeric_errors():
    with pytest.raises(ValueError):
        hw.to_numeric(hw.Series(["1", "x"]))
    with pytest.raises(NotImplementedError, match="dtype_backend"):
        hw.to_numeric(hw.Series(["1"]), dtype_backend="pyarrow")
    assert hw.to_numeric("3.5") == 3.5
    d = pd.Series(pd.to_datetime(["2024-01-01"])).dt.as_unit("ns")  # Headwater keeps [ns]
    assert hw.to_numeric(hw.Series(d)).to_list() == pd.to_numeric(d).tolist()


def test_ranges_and_missing_tests():
    assert_series_equal(hw.date_range("2024-01-30", periods=5, freq="W", name="w"),
                        pd.Series(pd.date_range("2024-01-30", periods=5, freq="W"), name="w"))
    assert_series_equal(hw.date_range("2024-03-09", "2024-03-12", freq="D", tz="US/Eastern"),
                        pd.Series(pd.date_range("2024-03-09", "2024-03-12", freq="D", tz="US/Eastern")), check_name=False)
    assert_series_equal(hw.timedelta_range(start="1 day", periods=4, freq="6h"),
                        pd.Series(pd.timedelta_range(start="1 day", periods=4, freq="6h")), check_name=False)
    assert hw.isna(hw.DataFrame({"a": [1, None]})).to_dict() == {"a": [False, True]}
    assert hw.isna(np.array([1.0, np.nan])).tolist() == [False, True] and hw.notna(hw.NA) is False


@settings(max_examples=30, deadline=None)
@given(days=st.lists(st.one_of(st.none(), st.integers(-40_000, 40_000)), max_size=10),
       years=st.integers(-30, 30), months=st.integers(-40, 40), extra=st.integers(-100, 100))
def test_relative_offsets_property(days, years, months, extra):
    p = pd.Series(pd.to_datetime(pd.Series(days, dtype="float64"), unit="D") + pd.Timedelta(hours=5))
    offset = pd.DateOffset(years=years, months=months, days=extra)
    assert_series_equal(hw.Series(p) + offset, p + offset)
    assert_series_equal(hw.Series(p) - offset, p - offset)
