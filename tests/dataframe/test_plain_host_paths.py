"""The CPU fast paths of plain-layout strings (pyarrow over zero-copy views) agree with
the ``xp`` kernels that every device runs, on nulls, empty and multi-byte strings."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import headwater as hw
from headwater.dataframe.column import string_kernels as sk
from headwater.dataframe.column.string_order import _host_ids, hash_ids

# The fast paths are pyarrow over zero-copy views of host memory, taken only where the
# backend's arrays are NumPy's (Backend.host_fast_paths); the xp kernels they are compared
# with run in every mode through the plain-string tests.
pytestmark = pytest.mark.host_only("the plain-string fast paths read NumPy memory directly; "
                                   "a GPU and cpu-strict run the xp kernels instead")

_TEXT = st.lists(st.one_of(st.none(), st.sampled_from(["", "a", "é", "ab", "日本", "a" * 40]), st.text(max_size=6)),
                 min_size=1, max_size=40)


def _buffers(values: list) -> tuple:
    col = hw.from_arrow(pa.table({"s": pa.array(values, pa.string())}))["s"]._column.as_plain()
    return col


@settings(max_examples=40, deadline=None)
@given(_TEXT, st.data())
def test_host_gather_matches_the_xp_kernel(values, data):
    col = _buffers(values)
    n = len(values)
    rows = np.asarray(data.draw(st.lists(st.integers(0, n - 1), max_size=30)), dtype=np.int64)
    hit = np.asarray(data.draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows))), dtype=bool)
    backend = col.backend
    offsets, chars = sk.host_gather_rows(col.offsets, col.chars, rows, hit)
    lengths = np.where(hit, sk.byte_lengths(col.offsets)[rows], 0)
    want_offsets, want_chars = sk.gather_ranges(backend, col.chars, col.offsets[:-1][rows], lengths)
    assert offsets.tolist() == want_offsets.tolist() and chars.tolist() == want_chars.tolist()
    keep = np.asarray(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    got = col.filter(keep).to_arrow().to_pylist()
    assert got == [v for v, k in zip(values, keep) if k]


@settings(max_examples=40, deadline=None)
@given(_TEXT)
def test_host_ids_match_the_hash_ids(values):
    col = _buffers(values)
    valid = col.mask
    got_ids, got_first, got_k = _host_ids(col.backend, col.offsets, col.chars, valid)
    # seed 1 skips the host path: the segmented polynomial hash of every device
    want_ids, want_first, want_k = hash_ids(col.backend, col.offsets, col.chars, valid, seed=1)
    assert got_k == want_k
    assert got_ids.tolist() == want_ids.tolist() and got_first.tolist() == want_first.tolist()
