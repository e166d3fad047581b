"""Data shared by the headwater.dask tests (a module, not a conftest, so tests can import it)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["make_pandas", "sort_pandas"]


def make_pandas(n: int = 240, seed: int = 0) -> pd.DataFrame:
    """Keys with nulls (ints and strings), floats with NaN, ints, bools."""
    rng = np.random.default_rng(seed)
    k = pd.array(rng.integers(0, 6, n), dtype="Int64")
    k[rng.random(n) < 0.1] = pd.NA
    s = pd.Series(rng.choice(["ab", "c", "de", "f"], n), dtype=object)
    s[rng.random(n) < 0.1] = None
    f = rng.normal(10.0, 3.0, n)
    f[rng.random(n) < 0.15] = np.nan
    return pd.DataFrame({"k": k, "s": s, "f": f, "i": rng.integers(-50, 50, n), "b": rng.random(n) < 0.5})


def sort_pandas(frame: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """Rows in a canonical order (for results whose row order is unspecified)."""
    by = list(frame.columns) if by is None else by
    return frame.sort_values(by, na_position="last", kind="stable").reset_index(drop=True)
