"""Segment reductions against pandas' groupby on the same ids, with nulls and NaN."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from relational_helpers import backends, host

BACKENDS = backends()
IDS = [type(b).__name__ for b in BACKENDS]

# name -> pandas reference on a SeriesGroupBy (None-valued rows are NA)
REFERENCE = {
    "sum": lambda g: g.sum(),
    "count": lambda g: g.count(),
    "mean": lambda g: g.mean(),
    "var": lambda g: g.var(),
    "min": lambda g: g.min(),
    "max": lambda g: g.max(),
    "prod": lambda g: g.prod(),
    "first": lambda g: g.first(),
    "last": lambda g: g.last(),
    "nunique": lambda g: g.nunique(),
    "median": lambda g: g.median(),
    "any": lambda g: g.any(),
    "all": lambda g: g.all(),
}
# results that are undefined for a segment without valid values (masked by callers)
NEEDS_VALUES = {"min", "max", "first", "last", "mean", "var", "median"}


def _pandas(values, mask, ids, n, name):
    data = pd.Series(values)
    if values.dtype.kind in "iub":
        data = data.astype({"i": "Int64", "u": "UInt64", "b": "boolean"}[values.dtype.kind])
    if mask is not None:
        data = data.mask(~mask)
    grouped = data[ids >= 0].groupby(ids[ids >= 0])
    empty = {"sum": 0, "prod": 1, "count": 0, "nunique": 0, "any": False, "all": True}
    result = REFERENCE[name](grouped).reindex(range(n), fill_value=empty.get(name))
    counts = data[ids >= 0].groupby(ids[ids >= 0]).count().reindex(range(n), fill_value=0)
    return result, counts.to_numpy()


def _compare(be, name, values, ids, n, mask=None):
    dv, di = be.to_device(values), be.to_device(ids)
    dm = None if mask is None else be.to_device(mask)
    got = host(getattr(be, f"segment_{name}")(dv, di, n, dm))
    assert len(got) == n
    expected, counts = _pandas(values, mask, ids, n, name)
    keep = counts > 0 if name in NEEDS_VALUES else np.ones(n, dtype=bool)
    if name == "var":
        keep = counts > 1
    exp = expected.to_numpy(dtype=object)[keep]
    got_kept = got[keep]
    if got.dtype.kind == "f":
        np.testing.assert_allclose(got_kept.astype(float), exp.astype(float), rtol=1e-9, atol=1e-9)
    else:
        assert got_kept.tolist() == [type(x)(y) for x, y in zip(got_kept.tolist(), exp.tolist())]
    return got


def _data(kind, rows=300, n=7, seed=0):
    rng = np.random.default_rng(seed)
    ids = rng.integers(-1, n, rows)
    if kind == "float":
        values = rng.normal(size=rows)
        values[rng.random(rows) < 0.1] = np.nan
    elif kind == "int":
        values = rng.integers(-50, 50, rows)
    elif kind == "small":
        values = rng.integers(-3, 4, rows).astype(np.int8)
    elif kind == "uint":
        values = rng.integers(0, 2**40, rows).astype(np.uint64)
    else:
        values = rng.random(rows) < 0.5
    mask = rng.random(rows) > 0.15
    return values, ids, n, mask


NUMERIC = ["sum", "count", "mean", "var", "min", "max", "first", "last", "nunique", "median"]


@pytest.mark.parametrize("be", BACKENDS, ids=IDS)
@pytest.mark.parametrize("kind", ["float", "int", "small", "uint"])
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("name", NUMERIC)
def test_numeric_reductions_match_pandas(be, kind, masked, name):
    values, ids, n, mask = _data(kind)
    _compare(be, name, values, ids, n, mask if masked else None)


@pytest.mark.parametrize("be", BACKENDS, ids=IDS)
@pytest.mark.parametrize("name", ["sum", "count", "min", "max", "any", "all", "first", "last", "nunique"])
def test_bool_reductions_match_pandas(be, name):
    values, ids, n, mask = _data("bool")
    _compare(be, name, values, ids, n, mask)


@pytest.mark.parametrize("be", BACKENDS, ids=IDS)
def test_prod(be):
    rng = np.random.default_rng(3)
    values = rng.integers(-3, 4, 200)
    ids = rng.integers(-1, 20, 200)
    _compare(be, "prod", values, ids, 22, rng.random(200) > 0.2)
    _compare(be, "prod", rng.normal(size=200), ids, 20)


@pytest.mark.parametrize("be", BACKENDS, ids=IDS)
def test_int_sum_is_exact_past_float_precision(be):
    values = np.array([2**62, 1, 2**62, -1], dtype=np.int64)
    ids = np.array([0, 0, 1, 1])
    got = host(be.segment_sum(be.to_device(values), be.to_device(ids), 2))
    assert got.tolist() == [2**62 + 1, 2**62 - 1]


@pytest.mark.parametrize("be", BACKENDS, ids=IDS)
def test_empty_segments_and_empty_input(be):
    xp = be.xp
    empty_v, empty_i = xp.zeros(0), xp.zeros(0, dtype=xp.int64)
    assert host(be.segment_sum(empty_v, empty_i, 3)).tolist() == [0, 0, 0]
    assert host(be.segment_count(empty_v, empty_i, 0)).tolist() == []
    assert np.isnan(host(be.segment_mean(empty_v, empty_i, 2))).all()
    assert np.isnan(host(be.segment_median(empty_v, empty_i, 2))).all()
    assert host(be.segment_prod(empty_v, empty_i, 1)).tolist() == [1.0]
    assert host(be.segment_nunique(empty_v, empty_i, 2)).tolist() == [0, 0]
    assert len(host(be.segment_first(empty_v, empty_i, 2))) == 2


@pytest.mark.parametrize("be", BACKENDS, ids=IDS)
@pytest.mark.parametrize("q", [0.0, 0.1, 0.25, 0.9, 1.0])
def test_quantile_matches_pandas(be, q):
    values, ids, n, mask = _data("float", rows=500, seed=4)
    got = host(be.segment_quantile(be.to_device(values), be.to_device(ids), n, be.to_device(mask), q=q))
    data = pd.Series(values).mask(~mask)
    ref = data[ids >= 0].groupby(ids[ids >= 0]).quantile(q).reindex(range(n)).to_numpy()
    np.testing.assert_allclose(got, ref, rtol=1e-12)


def test_quantile_rejects_q_outside_unit_interval():
    be = BACKENDS[0]
    with pytest.raises(ValueError, match="between 0 and 1"):
        be.segment_quantile(be.xp.zeros(2), be.xp.zeros(2, dtype=be.xp.int64), 1, q=1.5)


def test_length_mismatch_names_the_fix():
    be = BACKENDS[0]
    with pytest.raises(ValueError, match="one id per row"):
        be.segment_sum(be.xp.zeros(3), be.xp.zeros(2, dtype=be.xp.int64), 1)


@pytest.mark.parametrize("be", BACKENDS, ids=IDS)
def test_ids_checked_skips_routing_with_same_result(be):
    values, ids, n, _ = _data("float", seed=5)
    ids = np.abs(ids)
    a = host(be.segment_sum(be.to_device(values), be.to_device(ids), n))
    b = host(be.segment_sum(be.to_device(values), be.to_device(ids), n, ids_checked=True))
    np.testing.assert_allclose(a, b)


@pytest.mark.parametrize("be", BACKENDS, ids=IDS)
def test_segment_first_index(be):
    ids = be.to_device(np.array([2, 0, 2, -1, 0]))
    assert host(be.segment_first_index(ids, 4)).tolist() == [1, -1, 0, -1]
    assert host(be.segment_first_index(ids, 4, last=True)).tolist() == [4, -1, 2, -1]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-1, 4), st.one_of(st.none(), st.floats(-1e6, 1e6))), max_size=60),
    st.sampled_from(NUMERIC + ["prod"]),
)
def test_reductions_property(rows, name):
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    values = np.array([0.0 if r[1] is None else r[1] for r in rows], dtype=np.float64)
    mask = np.array([r[1] is not None for r in rows], dtype=bool)
    for be in BACKENDS:
        if name == "prod":
            values = np.clip(values, -10, 10)
        _compare(be, name, values, ids, 5, mask)


@pytest.mark.parametrize("be", BACKENDS, ids=IDS)
def test_segment_argsort_orders_by_segment_then_value_then_row(be):
    rng = np.random.default_rng(7)
    ids = rng.integers(-1, 5, 300)
    values = rng.integers(0, 4, 300).astype(np.float64)
    values[rng.random(300) < 0.1] = np.nan
    mask = rng.random(300) > 0.1
    order = host(be.segment_argsort(be.to_device(ids), 5, be.to_device(values), be.to_device(mask)))
    keep = (ids >= 0) & mask & ~np.isnan(values)
    expected_kept = np.lexsort((np.arange(300)[keep], values[keep], ids[keep]))
    n_kept = int(keep.sum())
    np.testing.assert_array_equal(order[:n_kept], np.flatnonzero(keep)[expected_kept])
    assert sorted(order[n_kept:].tolist()) == np.flatnonzero(~keep).tolist()
    by_id = host(be.segment_argsort(be.to_device(ids), 5))
    np.testing.assert_array_equal(by_id[: int((ids >= 0).sum())],
                                  np.flatnonzero(ids >= 0)[np.argsort(ids[ids >= 0], kind="stable")])


@pytest.mark.parametrize("be", BACKENDS, ids=IDS)
def test_repeat_with_array_counts(be):
    values = np.array([4, 5, 6, 7])
    for counts in ([0, 3, 1, 0], [0, 0, 0, 0], [2, 2, 2, 2]):
        got = host(be.repeat(be.to_device(values), be.to_device(np.array(counts))))
        assert got.tolist() == np.repeat(values, counts).tolist()
    assert len(be.repeat(be.to_device(values[:0]), be.to_device(np.array([], dtype=np.int64)))) == 0


@pytest.mark.parametrize("be", BACKENDS, ids=IDS)
@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.bool_])
def test_min_max_of_narrow_dtypes_keep_the_dtype(be, dtype):
    values = np.array([3, 1, 2, 0], dtype=dtype)
    ids = np.array([0, 0, 1, 1])
    low = host(be.segment_min(be.to_device(values), be.to_device(ids), 2))
    high = host(be.segment_max(be.to_device(values), be.to_device(ids), 2))
    assert low.dtype == dtype and high.dtype == dtype
    assert low.tolist() == [min(values[:2]), min(values[2:])]
    assert high.tolist() == [max(values[:2]), max(values[2:])]
