"""packed_argsort against NumPy's stable argsort of dense ranks, on the device under test.

Edge cases: zero and one rows, ties (stability, also under descending order), -0.0
and 0.0, inf and -inf, NaN and masked rows first or last, integer bounds of every
width, keys that differ only in their lowest bits (the repair of truncated keys), the
general path for huge row counts and the two-thread sort.
"""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from headwater.tensor.backend import packed_sort
from headwater.tensor.backend.packed_sort import ordered_bits, packed_argsort
from headwater.tensor.transfer import to_host

INTS = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
FLOATS = [np.float32, np.float64]


def reference(key: np.ndarray, descending: bool, valid: np.ndarray | None, first: bool) -> np.ndarray:
    """Stable order by NumPy: dense ranks of the present rows, missing rows at one end."""
    missing = np.zeros(len(key), dtype=bool) if valid is None else ~valid
    if key.dtype.kind == "f":
        missing |= np.isnan(key)
    rows = np.flatnonzero(~missing)
    ranks = np.unique(key[rows], return_inverse=True)[1].reshape(-1)  # -0.0 and 0.0 share a rank
    ordered = rows[np.argsort(-ranks if descending else ranks, kind="stable")]
    absent = np.flatnonzero(missing)
    return np.concatenate([absent, ordered] if first else [ordered, absent])


def check(xp, key, descending=False, valid=None, first=False):
    got = packed_argsort(xp, xp.asarray(key), descending=descending,
                         valid=None if valid is None else xp.asarray(valid), missing_first=first)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(to_host(got), reference(key, descending, valid, first))


def _pool(dtype) -> list:
    if np.dtype(dtype).kind == "f":
        return [-0.0, 0.0, np.inf, -np.inf, np.nan, 1.5, -1.5, 1e-300, -7.25, 1.0 + 2.0**-52]
    info = np.iinfo(dtype)
    return sorted({int(info.min), int(info.min) + 1, 0, 1, int(info.max) - 1, int(info.max)})


@st.composite
def keys(draw):
    dtype = draw(st.sampled_from(INTS + FLOATS + [np.bool_]))
    n = draw(st.integers(0, 40))
    if dtype is np.bool_:
        values = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    elif draw(st.booleans()):  # a few values, many ties
        values = draw(st.lists(st.sampled_from(_pool(dtype)), min_size=n, max_size=n))
    elif np.dtype(dtype).kind == "f":
        values = draw(st.lists(st.floats(width=np.dtype(dtype).itemsize * 8), min_size=n, max_size=n))
    else:
        info = np.iinfo(dtype)
        values = draw(st.lists(st.integers(int(info.min), int(info.max)), min_size=n, max_size=n))
    key = np.array(values, dtype=dtype)
    valid = None if draw(st.booleans()) else np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    return key, valid


@settings(max_examples=300, deadline=None)
@given(kv=keys(), descending=st.booleans(), first=st.booleans())
def test_matches_stable_argsort(kv, descending, first):
    key, valid = kv
    check(hw.get_backend().xp, key, descending, valid, first)


@settings(max_examples=200, deadline=None)
@given(kv=keys(), descending=st.booleans(), first=st.booleans(), head=st.integers(0, 45))
def test_head_is_the_start_of_the_order(kv, descending, first, head):
    key, valid = kv
    xp = hw.get_backend().xp
    want = reference(key, descending, valid, first)[:head]
    with mock.patch.object(packed_sort, "_HEAD_SHARE", 1):  # select even for large heads
        got = packed_argsort(xp, xp.asarray(key), descending, None if valid is None else xp.asarray(valid),
                             first, head=head)
    np.testing.assert_array_equal(to_host(got), want)


def test_head_of_a_large_key(xp):
    rng = np.random.default_rng(4)
    key = rng.integers(0, 50, 20_000).astype(float)  # many ties at the threshold
    key[::11] = np.nan
    for descending in (False, True):
        for first in (False, True):
            want = reference(key, descending, None, first)[:100]
            got = packed_argsort(xp, xp.asarray(key), descending, missing_first=first, head=100)
            np.testing.assert_array_equal(to_host(got), want)


@pytest.mark.parametrize("dtype", INTS)
@pytest.mark.parametrize("descending", [False, True])
def test_integer_bounds(xp, dtype, descending):
    info = np.iinfo(dtype)
    key = np.array([0, info.max, info.min, 1, info.max, info.min, 0], dtype=dtype)
    check(xp, key, descending)
    check(xp, key, descending, valid=np.array([1, 1, 0, 1, 1, 1, 0], dtype=bool), first=True)


@pytest.mark.parametrize("n", [0, 1])
@pytest.mark.parametrize("dtype", [np.int64, np.float64, np.bool_])
def test_empty_and_one_row(xp, n, dtype):
    check(xp, np.ones(n, dtype=dtype))
    check(xp, np.ones(n, dtype=dtype), valid=np.zeros(n, dtype=bool), first=True)
    if dtype is np.float64:
        check(xp, np.full(n, np.nan), descending=True)


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("first", [False, True])
def test_repair_of_keys_differing_in_low_bits(xp, descending, first):
    rng = np.random.default_rng(0)
    key = 1.0 + rng.integers(0, 300, 5000) * 2.0**-52  # equal once the row bits are cut off
    key[rng.integers(0, 5000, 50)] = np.nan
    check(xp, key, descending, valid=rng.random(5000) < 0.9, first=first)
    wide = rng.integers(-(2**62), 2**62, 5000) | 1  # too wide to pack exactly
    wide[::7] = wide[0]
    check(xp, wide, descending)


def test_floats_with_zeros_infinities_and_ties(xp):
    rng = np.random.default_rng(1)
    key = rng.choice(np.array([-0.0, 0.0, np.inf, -np.inf, np.nan, 2.5, -2.5]), 3000)
    key = np.concatenate([key, rng.standard_normal(3000).round(2)])
    for descending in (False, True):
        for first in (False, True):
            check(xp, key, descending, first=first)
    check(xp, key.astype(np.float32), True)


def test_ordered_bits_preserve_order(xp):
    values = np.array([-np.inf, -1e300, -1.0, -5e-324, -0.0, 0.0, 5e-324, 1.0, 1e300, np.inf])
    bits = to_host(ordered_bits(xp, xp.asarray(values)))
    assert bits[4] == bits[5]  # -0.0 and 0.0 tie
    assert (np.diff(bits.astype(object)) >= 0).all()
    desc = to_host(ordered_bits(xp, xp.asarray(values), descending=True))
    np.testing.assert_array_equal(desc, ~bits)


def test_general_path_beyond_the_row_bits(xp, monkeypatch):
    monkeypatch.setattr(packed_sort, "MAX_ROW_BITS", 0)
    rng = np.random.default_rng(2)
    key = rng.integers(-3, 3, 200).astype(float)
    key[::9] = np.nan
    for descending in (False, True):
        check(xp, key, descending, first=True)
        check(xp, rng.integers(-3, 3, 200), descending)


def test_threaded_sort(xp, monkeypatch):
    monkeypatch.setattr(packed_sort, "_PARALLEL_MIN", 8)
    monkeypatch.setenv("HEADWATER_NUM_THREADS", "3")
    rng = np.random.default_rng(3)
    for n in (9, 1000, 4097):
        check(xp, rng.standard_normal(n).round(1), descending=bool(n % 2))
        check(xp, rng.integers(0, 10**6, n).astype(np.int64))
    words = rng.permutation(10_000).astype(np.uint64)
    np.testing.assert_array_equal(packed_sort._sort(np, words.copy()), np.sort(words))


def test_rejects_other_dtypes(xp):
    with pytest.raises(TypeError, match="bool, integer and float"):
        packed_argsort(xp, xp.asarray(np.array([1 + 2j])))
