"""Joins of a short side against a long one, against pandas.

A few left rows against many right rows (or, in an inner join, many left rows against a
few right rows) look for matches only among the rows of the long side whose key occurs
on the short one; several keys are combined over the rows that can match only. Both paths are checked with repeated keys on both sides, null keys (pandas
matches null with null), string keys in both layouts and several keys of mixed kinds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from dataframe.helpers import assert_frame_equal
from headwater.dataframe.dtypes import StringDtype

_rng = np.random.default_rng(11)
LONG = 5000


def _ints(n: int, high: int, nulls: float) -> pd.array:
    out = pd.array(_rng.integers(0, high, n), dtype="Int64")
    out[_rng.random(n) < nulls] = None
    return out


def _frames(n_short: int):
    short = pd.DataFrame({"k": _ints(n_short, 300, 0.1), "j": _ints(n_short, 4, 0.0),
                          "a": _rng.normal(size=n_short)})
    long = pd.DataFrame({"k": _ints(LONG, 400, 0.02), "j": _ints(LONG, 4, 0.05),
                         "b": np.arange(LONG), "note": [f"n{i % 13}" for i in range(LONG)]})
    return short, long


def _hw(frame: pd.DataFrame) -> hw.DataFrame:
    return hw.DataFrame(frame)


@pytest.mark.parametrize("how", ["inner", "left", "right"])
@pytest.mark.parametrize("n_short", [0, 1, 40, 500])
def test_a_short_side_against_a_long_one(how, n_short):
    short, long = _frames(n_short)
    for a, b in ((short, long), (long, short)):
        got = _hw(a).merge(_hw(b), on="k", how=how)
        want = a.merge(b, on="k", how=how)
        assert_frame_equal(got, want, check_dtype=False)


@pytest.mark.parametrize("how", ["inner", "left"])
@pytest.mark.parametrize("n_short", [1, 60, 900])
def test_several_keys_against_a_long_side(how, n_short):
    short, long = _frames(n_short)
    for a, b in ((short, long), (long, short)):
        got = _hw(a).merge(_hw(b), on=["k", "j"], how=how)
        assert_frame_equal(got, a.merge(b, on=["k", "j"], how=how), check_dtype=False)


@pytest.mark.parametrize("layout", ["plain", "dictionary"])
@pytest.mark.parametrize("how", ["inner", "left"])
def test_string_keys_short_against_long(layout, how):
    words = np.array([f"w{i}" for i in range(200)] + [None], dtype=object)
    short = pd.DataFrame({"s": pd.array(words[_rng.integers(0, 201, 30)], dtype="string"), "a": np.arange(30)})
    long = pd.DataFrame({"s": pd.array(words[_rng.integers(0, 201, LONG)], dtype="string"),
                         "i": _ints(LONG, 9, 0.1), "b": np.arange(LONG)})
    hs, hl = _hw(short), _hw(long)
    hs["s"], hl["s"] = hs["s"].astype(StringDtype(layout)), hl["s"].astype(StringDtype(layout))
    got = hs.merge(hl, on="s", how=how)
    assert_frame_equal(got, short.merge(long, on="s", how=how), check_dtype=False)
    got = hs.merge(hl, left_on=["s", "a"], right_on=["s", "i"], how=how)
    assert_frame_equal(got, short.merge(long, left_on=["s", "a"], right_on=["s", "i"], how=how),
                       check_dtype=False)
