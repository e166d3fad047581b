"""Comparing Headwater results with pandas, shared by the dataframe tests.

``assert_frame_equal(result, expected)`` takes a Headwater frame (or a pandas one) and
a pandas frame, converts the result with ``to_pandas()`` and compares column names,
row count, where the missing values are, the values elsewhere (floats to 1e-9
relative), and the dtype family (int/uint/float/bool/datetime/timedelta/string/
categorical), so a pandas ``Int64`` matches Headwater ``int64`` and ``float64`` with
NaN matches a nullable ``Float64``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["assert_frame_equal", "assert_series_equal", "family", "to_nullable"]


def family(dtype: Any) -> str:
    """The dtype family of a pandas/NumPy dtype."""
    if isinstance(dtype, pd.CategoricalDtype):
        return "categorical"
    if isinstance(dtype, pd.StringDtype) or str(dtype) in ("str", "string", "object"):
        return "string"
    if isinstance(dtype, pd.ArrowDtype):
        return family(dtype.numpy_dtype)
    if isinstance(dtype, pd.DatetimeTZDtype):
        return "datetime"
    kind = np.dtype(getattr(dtype, "numpy_dtype", dtype)).kind
    return {"i": "int", "u": "uint", "f": "float", "b": "bool", "M": "datetime", "m": "timedelta",
            "O": "string", "U": "string"}.get(kind, kind)


def to_nullable(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with pandas' nullable dtypes, the reference semantics for nulls."""
    return frame.convert_dtypes(convert_string=False, convert_integer=True, convert_boolean=True,
                                convert_floating=True, infer_objects=False)


def _pandas(obj: Any) -> Any:
    if isinstance(obj, (pd.DataFrame, pd.Series)):
        return obj
    return obj.to_pandas()


def _compare(name: str, got: pd.Series, want: pd.Series, check_dtype: bool, rtol: float) -> None:
    assert len(got) == len(want), f"column {name!r}: {len(got)} rows, expected {len(want)}"
    if check_dtype:
        assert family(got.dtype) == family(want.dtype), (
            f"column {name!r}: dtype {got.dtype} ({family(got.dtype)}), expected {want.dtype} "
            f"({family(want.dtype)})"
        )
    got_na = np.asarray(pd.isna(got), dtype=bool)
    want_na = np.asarray(pd.isna(want), dtype=bool)
    bad = np.flatnonzero(got_na != want_na)
    assert bad.size == 0, (
        f"column {name!r}: missing values differ at rows {bad[:10].tolist()}: "
        f"got {got.iloc[bad[:5]].tolist()}, expected {want.iloc[bad[:5]].tolist()}"
    )
    keep = ~want_na
    g = got[keep].to_numpy(dtype=object) if not isinstance(got.dtype, pd.CategoricalDtype) else got[keep].astype(object).to_numpy()
    w = want[keep].to_numpy(dtype=object) if not isinstance(want.dtype, pd.CategoricalDtype) else want[keep].astype(object).to_numpy()
    fam = family(want.dtype)
    if fam == "float" or family(got.dtype) == "float":
        g = np.asarray(g, dtype=np.float64)
        w = np.asarray(w, dtype=np.float64)
        ok = np.isclose(g, w, rtol=rtol, atol=0, equal_nan=True) | (g == w)
    else:
        ok = np.array([a == b for a, b in zip(g, w)], dtype=bool)
    bad = np.flatnonzero(~ok)
    assert bad.size == 0, (
        f"column {name!r}: values differ at (non-missing) positions {bad[:10].tolist()}: "
        f"got {g[bad[:5]].tolist()}, expected {w[bad[:5]].tolist()}"
    )


def assert_frame_equal(result: Any, expected: pd.DataFrame, check_dtype: bool = True,
                       rtol: float = 1e-9) -> None:
    """Assert a Headwater (or pandas) frame equals the pandas frame ``expected``."""
    got = _pandas(result)
    assert list(got.columns) == list(expected.columns), (
        f"columns {list(got.columns)}, expected {list(expected.columns)}"
    )
    assert len(got) == len(expected), f"{len(got)} rows, expected {len(expected)}"
    for name in expected.columns:
        _compare(name, got[name].reset_index(drop=True), expected[name].reset_index(drop=True),
                 check_dtype, rtol)


def assert_series_equal(result: Any, expected: pd.Series, check_dtype: bool = True,
                        rtol: float = 1e-9, check_name: bool = True) -> None:
    """Assert a Headwater (or pandas) series equals the pandas series ``expected``."""
    got = _pandas(result)
    if check_name:
        assert got.name == expected.name, f"name {got.name!r}, expected {expected.name!r}"
    _compare(str(expected.name), got.reset_index(drop=True), expected.reset_index(drop=True),
             check_dtype, rtol)


def default_comparison(want: Any, op: str) -> Any:
    """pandas' comparison answer on its default (NumPy, ``str``) dtypes from the answer
    on nullable dtypes: a missing value compares False (``ne``: True), never missing.
    Comparisons on Headwater columns follow the default dtypes."""
    if op not in ("eq", "ne", "lt", "le", "gt", "ge"):
        return want
    return want.astype("boolean").fillna(op == "ne").astype(bool)
