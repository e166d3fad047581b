"""Compare a TPC-H answer with the reference (DuckDB's), column by column.

Floats match to a relative 1e-9 (absolute 1e-9 near zero); keys, counts, strings and
dates match exactly; row order is compared as given, since every query orders its
rows. Years may come back as int32 or int64 and dates as datetime64 or date objects:
both sides are normalised first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def as_pandas(answer) -> pd.DataFrame:
    """Any engine's answer as a pandas DataFrame with a fresh RangeIndex."""
    if isinstance(answer, pd.DataFrame):
        out = answer
    elif hasattr(answer, "to_pandas"):
        out = answer.to_pandas()
    elif hasattr(answer, "df"):  # a DuckDB relation
        out = answer.df()
    else:
        raise TypeError(f"cannot read an answer of type {type(answer).__name__}")
    return out.reset_index(drop=True)


def _normal(col: pd.Series) -> np.ndarray:
    if pd.api.types.is_datetime64_any_dtype(col) or (
        col.dtype == object and len(col) and hasattr(col.iloc[0], "isoformat")
    ):
        return pd.to_datetime(col).astype("datetime64[ns]").to_numpy()
    if pd.api.types.is_bool_dtype(col) or pd.api.types.is_integer_dtype(col):
        return col.to_numpy(dtype=np.int64)
    if pd.api.types.is_float_dtype(col):
        return col.to_numpy(dtype=np.float64)
    return col.astype(object).to_numpy()


def compare(answer, reference, query: int) -> list[str]:
    """The differences between ``answer`` and ``reference``; empty when they agree."""
    got, want = as_pandas(answer), as_pandas(reference)
    problems: list[str] = []
    if list(got.columns) != list(want.columns):
        return [f"q{query}: columns {list(got.columns)} != {list(want.columns)}"]
    if len(got) != len(want):
        return [f"q{query}: {len(got)} rows, the reference has {len(want)}"]
    for name in want.columns:
        a, b = _normal(got[name]), _normal(want[name])
        if b.dtype.kind == "f" or a.dtype.kind == "f":
            a, b = a.astype(np.float64), b.astype(np.float64)
            ok = np.isclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True)
        else:
            ok = a == b
        if not np.all(ok):
            first = int(np.flatnonzero(~np.asarray(ok))[0])
            problems.append(f"q{query}: column {name!r} row {first}: {a[first]!r} != {b[first]!r}")
    return problems
