"""Groupby paths that only large inputs take, checked against pandas.

Slots from packed codes with gaps, first rows found in a growing prefix (a group
that first appears on the last row), hashed slots for wide key combinations,
partitioned hashing past a million rows, and keys re-factorized past 63 bits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import headwater as hw
from dataframe.groupby_data import flatten
from dataframe.helpers import assert_frame_equal
from headwater.tensor.backend.hashing import hash_factorize
from headwater.tensor.backend.segments import first_rows_prefix

N = 200_000


def _compare(pdf: pd.DataFrame, by: list[str], sort: bool, dropna: bool, aggs: dict) -> None:
    got = hw.from_pandas(pdf).groupby(by, sort=sort, dropna=dropna, as_index=False).agg(**aggs)
    want = flatten(pdf.groupby(by, as_index=False, sort=sort, dropna=dropna).agg(**aggs))
    assert_frame_equal(got, want, rtol=1e-9)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    sparse = rng.choice(np.array([-50_000, 3, 7, 90_000]), N)  # a range with gaps
    sparse[-1] = 12_345  # a group that first appears on the very last row
    words = np.array(["pear", "apple", "fig", "kiwi", "date"])
    strings = pd.array(words[rng.integers(0, 5, N)], dtype="str")
    strings[rng.random(N) < 0.05] = None
    wide = rng.integers(0, 40_000, N)
    return pd.DataFrame({
        "sparse": sparse,
        "s": strings,
        "nullable": pd.array(np.where(rng.random(N) < 0.1, None, rng.integers(0, 30, N)), dtype="Int64"),
        "wide": wide,
        "v": rng.normal(size=N),
        "i": rng.integers(-5, 5, N),
    })


AGGS = {"total": ("v", "sum"), "avg": ("v", "mean"), "sd": ("v", "std"), "rows": ("v", "size"),
        "n": ("i", "count"), "lo": ("i", "min"), "first": ("v", "first")}


@pytest.mark.parametrize("sort", [True, False])
def test_sparse_int_key_with_a_late_group(frame, sort):
    _compare(frame, ["sparse"], sort, True, AGGS)


@pytest.mark.parametrize("sort", [True, False])
@pytest.mark.parametrize("dropna", [True, False])
def test_string_and_nullable_keys(frame, sort, dropna):
    _compare(frame, ["s", "nullable"], sort, dropna, AGGS)
    _compare(frame, ["nullable", "s", "sparse"], sort, dropna, AGGS)


@pytest.mark.parametrize("sort", [True, False])
@pytest.mark.parametrize("dropna", [True, False])
def test_wide_combination_is_hashed(frame, sort, dropna):
    # 40_000 x 31 x 6 x 10 codes is wider than twice the rows: the packed key is hashed
    _compare(frame, ["wide", "nullable", "s", "i"], sort, dropna, AGGS)
    _compare(frame, ["s", "wide", "i"], sort, dropna, AGGS)


@pytest.mark.parametrize("sort", [True, False])
def test_more_than_63_bits_of_keys(sort):
    rng = np.random.default_rng(3)
    n = 20_000
    pdf = pd.DataFrame({f"k{j}": rng.integers(0, 1 << 40, n) % 9_000 * 1_000_003 for j in range(5)})
    pdf["name"] = pd.array(np.array(["b", "a", "c"])[rng.integers(0, 3, n)], dtype="str")
    pdf["v"] = rng.normal(size=n)
    _compare(pdf, ["name", "k0", "k1", "k2", "k3", "k4"], sort, True, {"t": ("v", "sum"), "c": ("v", "size")})


def test_head_and_cumcount_on_many_rows(frame):
    hdf = hw.from_pandas(frame)
    assert_frame_equal(hdf.groupby("sparse").head(2), frame.groupby("sparse").head(2))
    assert_frame_equal(hdf.groupby("wide").head(1), frame.groupby("wide").head(1))
    got = hdf.groupby("sparse").cumcount().to_pandas().to_numpy()
    np.testing.assert_array_equal(got, frame.groupby("sparse").cumcount().to_numpy())


def test_transform_on_slots_with_gaps(frame):
    got = hw.from_pandas(frame).groupby("sparse")["v"].transform("mean").to_pandas().to_numpy()
    want = frame.groupby("sparse")["v"].transform("mean").to_numpy()
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_first_rows_prefix_scans_to_the_end_when_needed():
    ids = np.zeros(300_000, dtype=np.int64)
    ids[-1] = 2  # segment 2 only on the last row, segment 1 never
    ids[5] = -1
    out = first_rows_prefix(np, ids, 3, 2, np.asarray)
    assert out.tolist() == [0, 300_000, 299_999]


@pytest.mark.parametrize("case", ["unique", "few", "negative", "uint64", "float"])
def test_partitioned_hash_factorize_equals_pandas(case):
    rng = np.random.default_rng(11)
    n = 1_200_000  # past the partitioning threshold
    values = {
        "unique": rng.permutation(n).astype(np.int64) * 7_919,
        "few": rng.integers(0, 50, n),
        "negative": rng.integers(-(1 << 62), 1 << 62, n),
        "uint64": rng.integers(0, 1 << 20, n).astype(np.uint64) + np.uint64(1 << 63),
        "float": np.round(rng.normal(size=n), 3) * rng.choice([1.0, -1.0], n),  # 0.0 and -0.0
    }[case]
    ids, uniques = hash_factorize(values, sort=False)
    want_ids, want_uniques = pd.factorize(values, sort=False)
    np.testing.assert_array_equal(ids, want_ids)
    np.testing.assert_array_equal(uniques, want_uniques)
    assert ids.dtype == np.int64 and uniques.dtype == values.dtype


@pytest.mark.parametrize("n", [1, 3, 6])
def test_head_and_tail_with_null_keys(frame, n):
    hdf = hw.from_pandas(frame)
    for by in (["nullable"], ["s", "sparse"]):
        assert_frame_equal(hdf.groupby(by).head(n), frame.groupby(by).head(n))
        assert_frame_equal(hdf.groupby(by).tail(n), frame.groupby(by).tail(n))
        assert_frame_equal(hdf.groupby(by, dropna=False).tail(n), frame.groupby(by, dropna=False).tail(n))


@pytest.mark.parametrize("threads", ["1", "2"])
def test_median_over_segment_ranges_on_threads(monkeypatch, threads):
    monkeypatch.setenv("HEADWATER_NUM_THREADS", threads)
    rng = np.random.default_rng(5)
    n = (1 << 20) + 3  # past the threshold of the parallel median
    values = rng.normal(size=n)
    values[rng.random(n) < 0.01] = np.nan
    pdf = pd.DataFrame({"k": rng.integers(0, 300, n) * 3, "v": values})  # slots with gaps
    pdf.loc[pdf["k"] == 6, "v"] = np.nan  # a group without values
    _compare(pdf, ["k"], False, True, {"med": ("v", "median"), "sd": ("v", "std")})


@pytest.mark.parametrize("sort", [True, False])
@pytest.mark.parametrize("dropna", [True, False])
def test_float_key_hashed_and_ranked(sort, dropna):
    rng = np.random.default_rng(9)
    n = (1 << 20) + 7
    key = np.round(rng.normal(size=n), 2) * rng.choice([1.0, -1.0], n)
    key[rng.random(n) < 0.01] = np.nan
    pdf = pd.DataFrame({"f": key, "v": rng.integers(0, 9, n)})
    _compare(pdf, ["f"], sort, dropna, {"t": ("v", "sum"), "c": ("v", "size")})


@pytest.mark.parametrize("routed", [False, True])
def test_first_rows_prefix_of_ids_in_order_equals_the_scatter(routed):
    ids = np.repeat(np.arange(0, 400, 2), np.arange(1, 201) % 7 + 1)  # sorted, gaps: empty segments
    if routed:  # a last run routed to slot n (rows without a key)
        ids = np.concatenate([ids, np.full(5, 400)])
    want = np.full(401, len(ids), dtype=np.int64)
    np.minimum.at(want, ids, np.arange(len(ids)))
    out = first_rows_prefix(np, ids, 400, 200, np.asarray, ids_checked=True)
    assert out.tolist() == want[:400].tolist()
