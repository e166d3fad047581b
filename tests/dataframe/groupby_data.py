"""Random pandas frames with every key and value family, nulls in each, for groupby/join tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from headwater.dataframe.frame import DataFrame


def random_frame(rows: int = 60, seed: int = 0, groups: int = 4, null_rate: float = 0.15) -> pd.DataFrame:
    """Columns: keys ``ki kf ks kb kt kc ku``, values ``i f b s t``, all but ku with nulls."""
    rng = np.random.default_rng(seed)

    def nulls() -> np.ndarray:
        return rng.random(rows) < null_rate

    ki = pd.array(rng.integers(-2, groups - 2, rows), dtype="Int64")
    ki[nulls()] = pd.NA
    kf = rng.integers(0, groups, rows) * 0.5
    kf[nulls()] = np.nan
    words = np.array(["pear", "apple", "fig", "", "kiwi", "date"][:max(groups, 1)], dtype=object)
    ks = pd.array(words[rng.integers(0, len(words), rows)], dtype="str")
    ks[nulls()] = None
    kb = pd.array(rng.random(rows) < 0.5, dtype="boolean")
    kb[nulls()] = pd.NA
    base = np.datetime64("2024-01-01", "ns")
    kt = pd.Series(base + rng.integers(0, groups, rows).astype("timedelta64[D]")).astype("datetime64[ns]")
    kt[nulls()] = pd.NaT
    kc = pd.Categorical(np.array(["lo", "mid", "hi"], dtype=object)[rng.integers(0, 3, rows)],
                        categories=["lo", "mid", "hi"])
    kc[nulls()] = np.nan
    ku = rng.integers(0, groups, rows).astype(np.uint8)
    i = pd.array(rng.integers(-50, 50, rows), dtype="Int64")
    i[nulls()] = pd.NA
    f = rng.normal(size=rows).round(3)
    f[nulls()] = np.nan
    b = pd.array(rng.random(rows) < 0.4, dtype="boolean")
    b[nulls()] = pd.NA
    s = pd.array(np.array(["a", "bb", "c", "dd", "e"], dtype=object)[rng.integers(0, 5, rows)], dtype="str")
    s[nulls()] = None
    t = pd.Series(base + rng.integers(0, 1000, rows).astype("timedelta64[h]")).astype("datetime64[ns]")
    t[nulls()] = pd.NaT
    return pd.DataFrame({"ki": ki, "kf": kf, "ks": ks, "kb": kb, "kt": kt, "kc": kc, "ku": ku,
                         "i": i, "f": f, "b": b, "s": s, "t": t})


def to_headwater(frame: pd.DataFrame) -> DataFrame:
    return DataFrame(frame)


def flatten(frame: pd.DataFrame) -> pd.DataFrame:
    """pandas' (column, aggregation) MultiIndex flattened to Headwater's ``column_aggregation``."""
    if isinstance(frame.columns, pd.MultiIndex):
        frame = frame.copy()
        frame.columns = [f"{a}_{b}" if b else a for a, b in frame.columns]
    return frame
