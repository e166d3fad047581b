"""backend.factorize and backend.combine_ids against pandas.factorize."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from relational_helpers import backends, host

BACKENDS = backends()
IDS = [type(b).__name__ for b in BACKENDS]


def _reference(values: np.ndarray, mask: np.ndarray | None, sort: bool):
    valid = np.ones(len(values), dtype=bool) if mask is None else mask
    sub, uniques = pd.factorize(values[valid], sort=sort, use_na_sentinel=True)
    codes = np.full(len(values), -1, dtype=np.int64)
    codes[valid] = sub
    return codes, np.asarray(uniques)


def _check(be, values, mask=None, sort=True):
    dev_values = be.to_device(values)
    dev_mask = None if mask is None else be.to_device(mask)
    ids, uniques = be.factorize(dev_values, dev_mask, sort=sort)
    ids, uniques = host(ids), host(uniques)
    assert ids.dtype == np.int64
    assert uniques.dtype == values.dtype
    codes, ref_uniques = _reference(values, mask, sort)
    np.testing.assert_array_equal(ids, codes)
    assert uniques.tolist() == ref_uniques.tolist()
    valid = ids >= 0
    np.testing.assert_array_equal(uniques[ids[valid]], values[valid])


@pytest.mark.parametrize("be", BACKENDS, ids=IDS)
@pytest.mark.parametrize("sort", [True, False])
@pytest.mark.parametrize(
    "values",
    [
        np.array([5, 3, 5, 9, 3, 3], dtype=np.int64),
        np.array([5, 3, 5, 9, 3, 3], dtype=np.int8),
        np.array([2**40, -(2**50), 2**40, 7], dtype=np.int64),  # wide range: hashed
        np.array([np.iinfo(np.int64).min, np.iinfo(np.int64).max, 0], dtype=np.int64),
        np.array([2**64 - 1, 0, 2**64 - 1], dtype=np.uint64),
        np.array([1.5, np.nan, -0.0, 1.5, np.inf, -np.inf], dtype=np.float64),
        np.array([1.5, 2.5, 1.5], dtype=np.float32),
        np.array([True, False, True], dtype=np.bool_),
        np.array([], dtype=np.int64),
        np.array([7], dtype=np.int32),
        np.arange(100_000, dtype=np.int64)[::-1] * 1_000_003,  # all unique, hashed
    ],
    ids=["int64", "int8", "wide", "bounds", "uint64", "float-nan", "float32", "bool", "empty",
         "one", "unique"],
)
def test_factorize_matches_pandas(be, sort, values):
    _check(be, values, sort=sort)


@pytest.mark.parametrize("be", BACKENDS, ids=IDS)
@pytest.mark.parametrize("sort", [True, False])
def test_masked_rows_get_minus_one_and_leave_no_unique(be, sort):
    values = np.array([4, 99, 4, 1, 99], dtype=np.int64)
    mask = np.array([True, False, True, True, False])
    ids, uniques = be.factorize(be.to_device(values), be.to_device(mask), sort=sort)
    assert host(ids).tolist() == ([1, -1, 1, 0, -1] if sort else [0, -1, 0, 1, -1])
    assert host(uniques).tolist() == ([1, 4] if sort else [4, 1])


@pytest.mark.parametrize("be", BACKENDS, ids=IDS)
def test_all_null(be):
    values = np.array([1, 2], dtype=np.int64)
    ids, uniques = be.factorize(be.to_device(values), be.to_device(np.array([False, False])))
    assert host(ids).tolist() == [-1, -1]
    assert len(uniques) == 0


def test_factorize_rejects_2d():
    be = BACKENDS[0]
    with pytest.raises(ValueError, match="1-d"):
        be.factorize(be.xp.zeros((2, 2)))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(-5, 5)), max_size=40),
    st.booleans(),
    st.sampled_from([1, 10**12]),
)
def test_factorize_property(items, sort, scale):
    values = np.array([0 if x is None else x * scale for x in items], dtype=np.int64)
    mask = np.array([x is not None for x in items], dtype=bool)
    for be in BACKENDS:
        _check(be, values, mask, sort)


@pytest.mark.parametrize("be", BACKENDS, ids=IDS)
@pytest.mark.parametrize("sort", [True, False])
def test_combine_ids_matches_pandas_groups(be, sort):
    rng = np.random.default_rng(0)
    a = rng.integers(-1, 4, 500)
    b = rng.integers(-1, 3, 500)
    ids, n = be.combine_ids([be.to_device(a), be.to_device(b)], [4, 3], sort=sort)
    ids = host(ids)
    frame = pd.DataFrame({"a": np.where(a < 0, np.nan, a), "b": np.where(b < 0, np.nan, b)})
    ref = frame.groupby(["a", "b"], sort=sort, dropna=True).ngroup().fillna(-1).to_numpy()
    np.testing.assert_array_equal(ids, ref.astype(np.int64))
    assert n == ids.max() + 1


@pytest.mark.parametrize("be", BACKENDS, ids=IDS)
def test_combine_ids_refactorizes_before_overflow(be):
    rng = np.random.default_rng(1)
    keys = [rng.integers(0, 3, 1000) * (10**8) for _ in range(4)]
    factorized = [be.factorize(be.to_device(k)) for k in keys]
    sizes = [10**8 * 3] * 4  # product far past int64: must re-factorize on the way
    ids, n = be.combine_ids([f[0] * 10**8 for f in factorized], sizes)
    ref = pd.DataFrame(dict(enumerate(keys))).groupby(list(range(4))).ngroup().to_numpy()
    np.testing.assert_array_equal(host(ids), ref)
    assert n == ref.max() + 1


def test_combine_ids_one_key_and_errors():
    be = BACKENDS[0]
    ids = be.to_device(np.array([0, 2, -1]))
    out, n = be.combine_ids([ids], [3])
    assert host(out).tolist() == [0, 2, -1] and n == 3
    with pytest.raises(ValueError, match="one size per key"):
        be.combine_ids([ids, ids], [3])
    with pytest.raises(ValueError, match="at least one"):
        be.combine_ids([], [])


@pytest.mark.parametrize("be", BACKENDS, ids=IDS)
def test_combine_ids_empty(be):
    empty = be.to_device(np.array([], dtype=np.int64))
    ids, n = be.combine_ids([empty, empty], [0, 0])
    assert len(ids) == 0 and n == 0
