"""``str.split`` / ``str.rsplit`` on both string layouts against pandas' ``string[pyarrow]``.

The plain layout finds its parts on the device (literal separators, ``split("")``,
ASCII whitespace) into a list column whose elements stay on the device; the host
paths (regular expressions, Unicode whitespace, overlapping literal matches) and the
dictionary layout give the same answers. ``expand=True``, ``explode`` and ``.str[i]``
on the lists are checked too, and the ordered byte-range gather of the CPU backend
against the one-position-per-byte path the GPU runs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from dataframe.helpers import assert_frame_equal, assert_series_equal
from headwater.dataframe.column import string_kernels as sk
from headwater.tensor.transfer import to_host

VALUES = ["a b", "abc", "", None, " x  y ", "a,b,,c", "é,日本,x", "aaa", "a\tb\nc", "  ", "x,", ",x",
          "naïve, café", "a\x1cb"]
ASCII = [v for v in VALUES if v is None or v.isascii()]
LAYOUTS = ["plain", "dictionary"]
CALLS = [
    lambda s, **k: s.str.split(",", **k), lambda s, **k: s.str.split(",", n=1, **k),
    lambda s, **k: s.str.split(",", n=0, **k), lambda s, **k: s.str.rsplit(",", **k),
    lambda s, **k: s.str.rsplit(",", n=1, **k), lambda s, **k: s.str.split("", **k),
    lambda s, **k: s.str.split("", n=2, **k), lambda s, **k: s.str.split(**k),
    lambda s, **k: s.str.split(n=1, **k), lambda s, **k: s.str.rsplit(n=1, **k),
    lambda s, **k: s.str.rsplit(**k), lambda s, **k: s.str.split("aa", regex=False, **k),
    lambda s, **k: s.str.rsplit("aa", **k), lambda s, **k: s.str.split("a|b", **k),
    lambda s, **k: s.str.split("日本", **k), lambda s, **k: s.str.split(" ", regex=False, **k),
    lambda s, **k: s.str.split(r"\s+", n=1, **k), lambda s, **k: s.str.split(", ", **k),
]


def series(values: list, layout: str) -> hw.Series:
    return hw.Series(pd.Series(values, dtype="string[pyarrow]")).astype(hw.StringDtype(layout))


def lists(pandas_result: pd.Series) -> list:
    return [None if v is None or v is pd.NA else list(v) for v in pandas_result]


def frame(pandas_result: pd.DataFrame) -> pd.DataFrame:
    pandas_result.columns = [str(c) for c in pandas_result.columns]
    return pandas_result


@pytest.fixture(params=["fast paths", "device kernels"])
def paths(request, monkeypatch):
    """Each test twice on the CPU: with the backend's host fast paths, and without them
    (the device kernels every backend runs)."""
    if request.param == "device kernels":
        monkeypatch.setattr(hw.get_backend(), "host_fast_paths", False)
    return request.param


@pytest.mark.parametrize("values", [VALUES, ASCII], ids=["unicode", "ascii"])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("call", CALLS)
def test_split_matches_pandas(values, layout, call, paths):
    ps = pd.Series(values, dtype="string[pyarrow]")
    s = series(values, layout)
    assert call(s).to_list() == lists(call(ps))
    assert_frame_equal(call(s, expand=True), frame(call(ps, expand=True)))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_split_lists_explode_and_index_on_the_device(layout, paths):
    ps = pd.Series(ASCII, dtype="string[pyarrow]")
    s = series(ASCII, layout)
    parts = s.str.split(",")
    if layout == "plain" and paths == "device kernels":  # the parts never left the device: list offsets over a plain column
        offsets, elements = parts._column.elements
        assert elements.layout == "plain" and int(offsets[-1]) == len(elements)
    want = ps.str.split(",")
    assert_series_equal(parts.explode(), want.explode().astype("string[pyarrow]"), check_name=False)
    for i in (0, 1, -1, 5):
        assert_series_equal(parts.str[i], want.str[i], check_name=False)
    assert parts.str.len().to_list() == [None if pd.isna(v) else int(v) for v in want.str.len()]
    kept = parts[s.str.len() > 2]
    assert kept.to_list() == lists(want[ps.str.len() > 2])
    assert kept.explode().to_list() == [None if v is pd.NA else v for v in want[ps.str.len() > 2].explode()]
    df = hw.DataFrame({"k": np.arange(len(ASCII)), "p": parts})
    got = df.explode("p")
    expected = pd.DataFrame({"k": np.arange(len(ASCII)), "p": want}).explode("p")
    assert got["k"].to_list() == expected["k"].tolist()
    assert got["p"].to_list() == [None if not isinstance(v, str) else v for v in expected["p"]]


def test_split_of_nothing_and_bad_arguments():
    for values in ([None, "  "], [], [None]):
        ps = pd.Series(values, dtype="string[pyarrow]")
        s = series(values, "plain")
        assert s.str.split().to_list() == lists(ps.str.split())
        assert s.str.split(",").to_list() == lists(ps.str.split(","))
        if values:  # pandas gives no column for no rows
            assert_frame_equal(s.str.split(expand=True), frame(ps.str.split(expand=True)))
    s = series(["a"], "plain")
    with pytest.raises(ValueError, match="empty separator"):
        s.str.split("", regex=False)
    with pytest.raises(ValueError, match="empty separator"):
        s.str.rsplit("")
    with pytest.raises(TypeError, match="rsplit takes a literal"):
        s.str.rsplit(5)
    with pytest.raises(TypeError, match="n must be an int"):
        s.str.split(",", n=1.5)


TEXT = st.lists(st.one_of(st.none(), st.text(max_size=10), st.text(alphabet="ab ,\t", max_size=10)),
                min_size=1, max_size=20)


@settings(max_examples=15, deadline=None)
@given(values=TEXT, sep=st.sampled_from([",", "ab", "a", " ", "é"]), n=st.integers(-1, 3))
def test_random_unicode_splits_match_pandas(values, sep, n):
    with pytest.MonkeyPatch.context() as patch:  # the device kernels
        patch.setattr(hw.get_backend(), "host_fast_paths", False)
        _random_splits(values, sep, n)
    _random_splits(values, sep, n)


def _random_splits(values: list, sep: str, n: int) -> None:
    ps = pd.Series(values, dtype="string[pyarrow]")
    s = series(values, "plain")
    for call in (lambda x: x.str.split(sep, n=n, regex=False), lambda x: x.str.rsplit(sep, n=n),
                 lambda x: x.str.split(n=n), lambda x: x.str.rsplit(n=n), lambda x: x.str.split("", n=n)):
        assert call(s).to_list() == lists(call(ps))


@settings(max_examples=15, deadline=None)
@given(values=st.lists(st.text(max_size=8), min_size=1, max_size=15), data=st.data())
def test_the_ordered_gathers_equal_byte_slices(values, data):
    raw = [v.encode("utf-8") for v in values]
    offsets = np.concatenate([[0], np.cumsum([len(r) for r in raw])]).astype(np.int32)
    chars = np.frombuffer(b"".join(raw), dtype=np.uint8)
    first = np.array([data.draw(st.integers(0, len(r))) for r in raw], dtype=np.int64)
    last = np.array([data.draw(st.integers(int(f), len(r))) for f, r in zip(first, raw)], dtype=np.int64)
    want = [r[f:e] for r, f, e in zip(raw, first, last)]
    starts = offsets[:-1].astype(np.int64) + first
    host = sk.host_gather_ordered(chars, starts, last - first)  # the CPU backend's memcpy per row
    backend = hw.get_backend()
    xp = backend.xp
    device = sk.gather_ranges(backend, xp.asarray(chars), xp.asarray(starts), xp.asarray(last - first))
    for out_offsets, out_chars in (host, [to_host(a) for a in device]):
        got = bytes(np.asarray(out_chars))
        o = np.asarray(out_offsets)
        assert [got[o[i]:o[i + 1]] for i in range(len(raw))] == want
