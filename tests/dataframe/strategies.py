"""Hypothesis strategies: random pandas frames with nulls in every column."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

__all__ = ["frames"]


@st.composite
def frames(draw, min_rows: int = 0, max_rows: int = 25):
    """A pandas frame with nullable int, float, bool and str columns, all with nulls."""
    n = draw(st.integers(min_rows, max_rows))
    small = st.one_of(st.none(), st.integers(-3, 3))
    return pd.DataFrame({
        "i": pd.array(draw(st.lists(small, min_size=n, max_size=n)), dtype="Int64"),
        "f": pd.array(draw(st.lists(st.one_of(st.none(), st.sampled_from([-1.5, 0.0, 2.25, 1e9])), min_size=n, max_size=n)), dtype="Float64"),
        "b": pd.array(draw(st.lists(st.one_of(st.none(), st.booleans()), min_size=n, max_size=n)), dtype="boolean"),
        "s": pd.array(draw(st.lists(st.one_of(st.none(), st.sampled_from(["", "a", "B", "ab"])), min_size=n, max_size=n)), dtype="str"),
    })
