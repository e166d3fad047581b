"""The NumPy backend: host memory, one code path shared with the GPU."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from headwater.tensor.backend.base import Backend
from headwater.tensor.backend.blas_prime import prime_blas
from headwater.tensor.backend.hashing import hash_distinct, hash_factorize
from headwater.tensor.backend.ordered import _prod_dtype
from headwater.tensor.backend.packed_sort import packed_argsort
from headwater.tensor.backend.segments import _routed
from headwater.tensor.backend.threads import map_ranges, num_threads, run_tasks

__all__ = ["NumpyBackend"]

_PARALLEL_TAKE = 1 << 20  # gathers at least this long are split over threads


def _median_kernel(values: np.ndarray, r: np.ndarray, n: int) -> np.ndarray | None:
    """Per-segment median by pandas' grouped selection kernel (None if this pandas lacks it)."""
    try:
        from pandas._libs.groupby import group_median_float64
    except ImportError:
        return None
    labels = np.where(r < n, r, -1).astype(np.intp, copy=False)  # -1: skipped by the kernel
    out = np.empty((n, 1), dtype=np.float64)
    counts = np.zeros(n, dtype=np.int64)
    try:
        group_median_float64(out, counts, values.astype(np.float64, copy=False).reshape(-1, 1), labels)
    except TypeError:  # another pandas signature: use the public groupby instead
        return None
    return np.where(counts > 0, out[:, 0], np.nan)


def _median_by_parts(values: np.ndarray, r: np.ndarray, n: int) -> np.ndarray | None:
    """The median kernel over ranges of segments with about equal rows, in parallel.

    One counting sort groups the rows by segment; each range then gathers its own
    values (in group order, so the kernel's own grouping pass is sequential) on its
    own thread.
    """
    workers = num_threads()
    counting = _counting_sort()
    if workers <= 1 or len(r) < (1 << 20) or n < workers or counting is None:
        return _median_kernel(values, r, n)
    order, counts = counting(r.astype(np.intp, copy=False), n + 1)
    counts = counts[1:n + 1]  # counts[0] is the -1 label; segment n holds skipped rows
    ends = np.cumsum(counts)
    cuts = np.searchsorted(ends, [ends[-1] * i // workers for i in range(1, workers)], side="right")
    bounds = sorted({0, n, *cuts.tolist()})

    def part(low: int, high: int) -> Any:
        def run() -> Any:
            start = int(ends[low - 1]) if low else 0
            rows = order[start:int(ends[high - 1])]
            labels = np.repeat(np.arange(high - low, dtype=np.intp), counts[low:high])
            return _median_kernel(values[rows], labels, high - low)
        return run

    pieces = run_tasks([part(a, b) for a, b in zip(bounds[:-1], bounds[1:])])
    if any(p is None for p in pieces):
        return None
    return np.concatenate(pieces)


def _counting_sort() -> Any:
    """pandas' O(n) counting sort by group (``groupsort_indexer``), if this pandas has it."""
    try:
        from pandas._libs.algos import groupsort_indexer
    except ImportError:
        return None
    return groupsort_indexer


class NumpyBackend(Backend):
    """Backend over NumPy arrays in host memory.

    Examples
    --------
    >>> from headwater.tensor.backend.cpu import NumpyBackend
    >>> NumpyBackend().xp.__name__
    'numpy'
    """

    name = "cpu"
    host_fast_paths = True
    xp = np

    def __init__(self) -> None:
        super().__init__()
        prime_blas()

    def owns(self, array: Any) -> bool:
        return isinstance(array, (np.ndarray, np.generic))

    def _upload(self, host: np.ndarray) -> np.ndarray:
        return host

    @property
    def sparse(self) -> Any:
        import scipy.sparse

        return scipy.sparse

    def random_state(self, seed: int | None) -> np.random.Generator:
        return np.random.default_rng(seed)

    def _factorize_general(self, values: np.ndarray, valid: np.ndarray | None, sort: bool):
        # Hashing (pandas' khash tables) beats sorting by 5-10x on the CPU.
        if values.dtype.kind not in "iufmM":
            return super()._factorize_general(values, valid, sort)
        if valid is None or valid.all():
            return hash_factorize(values, sort)
        rows = np.flatnonzero(valid)
        sub, uniques = hash_factorize(values[rows], sort)
        ids = np.full(len(values), -1, dtype=np.int64)
        ids[rows] = sub
        return ids, uniques

    def distinct(self, values: np.ndarray) -> np.ndarray:
        # a hash table (pandas' unique) in cache-sized partitions: no sort, no ids per row
        return hash_distinct(values)

    def stable_argsort(self, keys: np.ndarray, bound: int | None = None) -> np.ndarray:
        if bound is not None and bound <= 4 * len(keys) + 1024:
            counting = _counting_sort()
            if counting is not None:  # O(n + bound): 15x NumPy's timsort at 1e7 rows
                return counting(keys.astype(np.intp, copy=False), bound)[0]
        # NumPy's stable sort is a radix sort for 16-bit and narrower integers.
        if bound is not None and bound <= np.iinfo(np.int16).max:
            return np.argsort(keys.astype(np.int16), kind="stable")
        if keys.ndim == 1 and keys.dtype.kind in "biuf":
            return packed_argsort(np, keys)  # one value sort of (key, row) words
        return np.argsort(keys, kind="stable")

    def take(self, array: np.ndarray, indices: np.ndarray, checked: bool = False) -> np.ndarray:
        """``array[indices]``; long 1-d gathers run in ranges on several threads
        (NumPy releases the GIL in ``take``)."""
        n = len(indices)
        if array.ndim != 1 or n < _PARALLEL_TAKE or num_threads() <= 1:
            return np.take(array, indices, axis=0)
        out = np.empty(n, dtype=array.dtype)
        size = len(array)

        def part(start: int, stop: int) -> None:
            rows = indices[start:stop]
            if not checked and (int(rows.min()) < 0 or int(rows.max()) >= size):  # wrap, or IndexError
                np.take(array, rows, out=out[start:stop])
            else:  # checked: "clip" writes straight into out (the checking mode buffers)
                np.take(array, rows, out=out[start:stop], mode="clip")

        map_ranges(part, n, _PARALLEL_TAKE // 2)
        return out

    def repeat(self, values: np.ndarray, counts: np.ndarray, total: int | None = None) -> np.ndarray:
        """``values[i]`` repeated ``counts[i]`` times (``total`` is not needed on the host)."""
        return np.repeat(values, counts)

    def segment_quantile(self, values: np.ndarray, ids: np.ndarray, n: int, mask: Any = None,
                         q: float = 0.5, **kw: Any) -> np.ndarray:
        """Quantile ``q`` per segment, linear interpolation (float64)."""
        if not 0.0 <= float(q) <= 1.0:
            raise ValueError(f"quantile q must be between 0 and 1, got {q!r}")
        r = _routed(np, values, ids, n, mask, kw.get("skipna", True), kw.get("ids_checked", False))
        if float(q) == 0.5:
            median = _median_by_parts(values, r, n)
            if median is not None:
                return median
        # pandas' per-group selection beats a full sort by (segment, value) 5x on the CPU
        grouped = pd.Series(values, copy=False).groupby(r, sort=False)
        out = grouped.median() if float(q) == 0.5 else grouped.quantile(float(q))
        return out.reindex(pd.RangeIndex(n)).to_numpy(dtype=np.float64, na_value=np.nan)

    def segment_median(self, values: np.ndarray, ids: np.ndarray, n: int, mask: Any = None,
                       **kw: Any) -> np.ndarray:
        """Median per segment (float64)."""
        return self.segment_quantile(values, ids, n, mask, 0.5, **kw)

    def segment_prod(self, values: np.ndarray, ids: np.ndarray, n: int, mask: Any = None,
                     **kw: Any) -> np.ndarray:
        """Product per segment (int64/uint64 or float64; 1 for an empty segment)."""
        r = _routed(np, values, ids, n, mask, kw.get("skipna", True), kw.get("ids_checked", False))
        dtype = _prod_dtype(np, values.dtype)
        out = np.ones(n + 1, dtype=dtype)
        np.multiply.at(out, r, values.astype(dtype, copy=False))
        return out[:n]

    # NaN rows are routed to the discarded segment, where NumPy warns as it compares
    # them; the warning says nothing about the result.
    def segment_min(self, values: np.ndarray, ids: np.ndarray, n: int, mask: Any = None,
                    **kw: Any) -> np.ndarray:
        """Minimum per segment, in the values' dtype."""
        with np.errstate(invalid="ignore"):
            return super().segment_min(values, ids, n, mask, **kw)

    def segment_max(self, values: np.ndarray, ids: np.ndarray, n: int, mask: Any = None,
                    **kw: Any) -> np.ndarray:
        """Maximum per segment, in the values' dtype."""
        with np.errstate(invalid="ignore"):
            return super().segment_max(values, ids, n, mask, **kw)
