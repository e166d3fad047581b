"""DatetimeParts against pandas' .dt accessors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from tests.dataframe.features.datetime_reference import PANDAS_PART
from tests.dataframe.features.helpers import assert_column, frame

ALL = list(PANDAS_PART)


def _check(times: pd.Series) -> None:
    out = hw.features.DatetimeParts(columns=["t"], parts=ALL).transform(frame(times.to_frame("t")))
    for part in ALL:
        want = PANDAS_PART[part](times.dt).astype("float64").to_numpy(na_value=np.nan)
        assert_column(out, f"t_{part}", want)


def test_parts_match_pandas_with_nulls_leap_days_and_before_1970():
    times = pd.Series(pd.to_datetime([
        "2024-02-29 23:59:59", None, "1969-12-31 00:00:01", "1900-03-01 12:30:00",
        "2000-12-31 06:07:08", "1970-01-01", "2100-02-28 13:00",
    ], format="ISO8601"))
    _check(times)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.one_of(st.none(), st.datetimes(min_value=pd.Timestamp("1700-01-01").to_pydatetime(),
                                                  max_value=pd.Timestamp("2250-12-31").to_pydatetime())),
                min_size=1, max_size=30))
def test_random_datetimes_match_pandas(items):
    _check(pd.Series(pd.to_datetime(items)).astype("datetime64[ns]"))


def test_drop_and_errors():
    times = pd.DataFrame({"t": pd.to_datetime(["2020-05-17"]), "x": [1]})
    out = hw.features.DatetimeParts(columns=["t"], parts=["month"], drop=True).transform(frame(times))
    assert list(out.columns) == ["x", "t_month"]
    with pytest.raises(hw.features.FeatureOpError, match="datetime"):
        hw.features.DatetimeParts(columns=["x"]).transform(frame(times))
    with pytest.raises(hw.features.FeatureOpError, match="weekday"):
        hw.features.DatetimeParts(columns=["t"], parts=["weekday"])
