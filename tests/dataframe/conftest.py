"""Fixtures for the dataframe tests; comparison helpers live in ``helpers.py``.

Test modules import them as ``from dataframe.helpers import assert_frame_equal``
(``tests/`` is on ``sys.path`` under pytest's default import mode, and
``tests/dataframe`` is a package).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dataframe.helpers import assert_frame_equal, assert_series_equal, family, to_nullable

__all__ = ["assert_frame_equal", "assert_series_equal", "family", "to_nullable"]


@pytest.fixture
def mixed_pandas() -> pd.DataFrame:
    """A small frame with every family and nulls in each column (nullable dtypes)."""
    return pd.DataFrame(
        {
            "i": pd.array([3, None, 1, 2, 3, -7], dtype="Int64"),
            "f": pd.array([1.5, np.nan, -2.0, 0.0, 1.5, 8.25], dtype="float64"),
            "b": pd.array([True, False, None, True, True, False], dtype="boolean"),
            "s": pd.array(["x", "y", None, "", "x", "Zed"], dtype="str"),
            "t": pd.to_datetime(["2021-01-01 00:00", None, "2020-06-30 12:00", "2021-01-01 00:00",
                                 "1999-12-31 23:59", "2024-02-29 06:30"]).astype("datetime64[ns]"),
            "c": pd.Categorical(["lo", "hi", None, "lo", "mid", "hi"]),
        }
    )
