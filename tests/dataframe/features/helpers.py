"""Shared helpers for the feature-op tests: frames in and out, and comparisons."""

from __future__ import annotations

import numpy as np
import pandas as pd

import headwater as hw


def frame(pdf: pd.DataFrame):
    """A Headwater frame on the device under test with ``pdf``'s columns."""
    return hw.DataFrame(pdf)


def values(df, name: str) -> np.ndarray:
    """A column as float64 NumPy with NaN for nulls (via pandas, a counted host copy)."""
    s = df.to_pandas()[name]
    return pd.to_numeric(s, errors="raise").astype("float64").to_numpy(na_value=np.nan)


def assert_column(df, name: str, expected, rtol: float = 1e-9, atol: float = 1e-12) -> None:
    """``df[name]`` equals ``expected`` numerically, nulls where ``expected`` has NaN."""
    got = values(df, name)
    want = np.asarray(expected, dtype=np.float64).reshape(-1)
    assert got.shape == want.shape, (name, got.shape, want.shape)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want), err_msg=f"nulls of {name}")
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, equal_nan=True, err_msg=name)
