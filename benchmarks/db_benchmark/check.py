"""Check a solution's answer against pandas' answer to the same question.

Both answers are brought to pandas, key columns compared as strings, numbers as
float64 (relative tolerance 1e-9), rows put in one order by sorting on every
column. Join answers with more than ``FULL_LIMIT`` rows are compared by
checksums instead (row count, per-column null count and sum, hashed keys), which
keeps the check from taking longer than the benchmark.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import solution_pandas

FULL_LIMIT = 2_000_000


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for name in frame.columns:
        col = frame[name]
        if isinstance(col.dtype, pd.CategoricalDtype) or col.dtype == object or pd.api.types.is_string_dtype(col):
            out[name] = col.astype(object).where(col.notna(), None).astype(str)
        else:
            out[name] = col.astype("float64")
    return pd.DataFrame(out)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns), kind="stable").reset_index(drop=True)


def _checksums(frame: pd.DataFrame) -> dict:
    sums = {"rows": len(frame)}
    for name in frame.columns:
        col = frame[name]
        sums[f"{name}.nulls"] = int(col.isna().sum())
        if pd.api.types.is_numeric_dtype(col.dtype) and not isinstance(col.dtype, pd.CategoricalDtype):
            sums[f"{name}.sum"] = round(float(col.astype("float64").sum()), 3)
        else:
            hashed = pd.util.hash_array(col.astype(object).to_numpy())
            sums[f"{name}.hash"] = int(hashed.sum(dtype=np.uint64))
    return sums


def compare_with_pandas(module, task: str, question: str, data, paths) -> str:
    """``"ok"``, or a one-line description of the first difference."""
    got = module.to_pandas(getattr(module, task.upper())[question](data))
    reference_data = (
        solution_pandas.load_groupby(paths) if task == "groupby" else solution_pandas.load_join(paths)
    )
    expected = getattr(solution_pandas, task.upper())[question](reference_data)
    if list(got.columns) != list(expected.columns):
        return f"columns differ: {list(got.columns)} vs pandas {list(expected.columns)}"
    if len(got) != len(expected):
        return f"row count {len(got)} vs pandas {len(expected)}"
    got, expected = _normalise(got), _normalise(expected)
    if len(got) > FULL_LIMIT:
        a, b = _checksums(got), _checksums(expected)
        diff = {k: (a[k], b.get(k)) for k in a if a[k] != b.get(k)}
        return "ok (checksums)" if not diff else f"checksums differ: {diff}"
    try:
        pd.testing.assert_frame_equal(_sorted(got), _sorted(expected), check_dtype=False, rtol=1e-9)
    except AssertionError as exc:
        return "differs: " + " ".join(str(exc).split())[:300]
    return "ok"
