"""A stable argsort from one sort of packed ``(key, row)`` words.

Sorting values is much cheaper than sorting indices (NumPy sorts 1e7 uint64 values
about twice as fast as it argsorts them), so the key is mapped to an order-preserving
uint64, the row number is packed into its low ``rb`` bits and the words are sorted as
plain values; the row comes back out of the low bits. Rows of equal words-without-row
come out in row order, which makes the sort stable.

- Integer keys whose range fits beside the row bits are packed exactly (as
  ``key - min``), in uint32 when everything fits in 32 bits: nothing to repair. A
  range of 16 bits or less skips the packing: NumPy radix-sorts uint16 stably.
- Other keys (floats, wide integers) keep only their top bits. Runs of equal top bits
  whose exact keys differ are then sorted again by (run, low key bits), which is a
  short, nearly sorted array; with few such runs it costs a check.
- Missing rows (``valid`` False, NaN) get a key below or above every value, so they
  land first or last in row order, as pandas' ``na_position`` wants.
- NumPy sorts the words on several threads (``HEADWATER_NUM_THREADS``), each range of
  the output merged from its share of every sorted range.
- ``head=k`` (nlargest) sorts only the rows up to the k-th smallest word.

On CuPy ``argsort`` is already a stable radix sort; callers use it there directly.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.tensor.backend.threads import map_ranges
from headwater.tensor.transfer import to_host

__all__ = ["packed_argsort", "ordered_bits", "MAX_ROW_BITS"]

_SIGN = 1 << 63
# Rows up to 2**31: the repair's (run, low bits) composite then fits in 64 bits.
MAX_ROW_BITS = 31
# NumPy sorts 16-bit and narrower integers by a stable radix sort (O(n)).
_RADIX_BITS = 16
# ``head`` selects before sorting when it asks for at most this share of the rows.
_HEAD_SHARE = 16
# Rows per thread from which a NumPy sort is split over threads (``HEADWATER_NUM_THREADS``).
_PARALLEL_MIN = 1 << 20


def ordered_bits(xp: Any, key: Any, descending: bool = False) -> Any:
    """A fresh uint64 array whose unsigned order is the order of ``key``.

    Floats use their bits (negatives flipped, the sign bit set on the rest; -0.0 is
    made 0.0 first), signed integers flip the sign bit, and ``descending`` inverts every
    bit, an exact reversal. NaN gets some value; callers treat it as missing.

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.tensor.backend.packed_sort import ordered_bits
    >>> bits = ordered_bits(np, np.array([1.5, -2.0, -0.0, 0.0]))
    >>> np.argsort(bits, kind="stable").tolist(), bool(bits[2] == bits[3])
    ([1, 2, 3, 0], True)
    """
    kind = key.dtype.kind
    if kind == "f":
        f = key.astype(xp.float64)  # a copy, exact for float16/32
        f += 0.0  # -0.0 + 0.0 is 0.0: the two zeros tie, as they compare equal
        u = f.view(xp.uint64)
        flip = (f.view(xp.int64) >> 63).view(xp.uint64)  # all ones for negatives
        flip |= xp.uint64(_SIGN)
        u ^= flip
    elif kind == "i":
        u = key.astype(xp.int64).view(xp.uint64)
        u ^= xp.uint64(_SIGN)
    elif kind in "ub":
        u = key.astype(xp.uint64)
    else:
        raise TypeError(f"packed_argsort sorts bool, integer and float keys, not {key.dtype}")
    if descending:
        xp.invert(u, out=u)
    return u


def _missing(xp: Any, key: Any, valid: Any) -> Any:
    """Bool array of missing rows (not valid, or NaN), or None when there are none."""
    missing = None if valid is None else ~valid
    if key.dtype.kind == "f":
        nan = xp.isnan(key)
        missing = nan if missing is None else missing | nan
    if missing is not None and not bool(to_host(xp.any(missing))):
        return None
    return missing


def packed_argsort(xp: Any, key: Any, descending: bool = False, valid: Any = None,
                   missing_first: bool = False, head: int | None = None) -> Any:
    """Stable argsort of a 1-d bool, integer or float ``key`` (int64 positions).

    Parameters
    ----------
    xp : module
        ``numpy`` or ``cupy``.
    key : xp array
        The values to order.
    descending : bool
        Largest first; equal keys still keep their row order.
    valid : xp bool array, optional
        False marks a missing row; NaN in a float key is missing too.
    missing_first : bool
        Missing rows go first (else last), in row order.
    head : int, optional
        Only the first ``head`` positions of the order; when that is a small share of
        the rows, a selection finds the few candidates and only they are sorted.

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.tensor.backend.packed_sort import packed_argsort
    >>> packed_argsort(np, np.array([2.5, np.nan, -1.0, 2.5, -0.0, 0.0])).tolist()
    [2, 4, 5, 0, 3, 1]
    >>> packed_argsort(np, np.array([3, 1, 3, 2]), descending=True).tolist()
    [0, 2, 3, 1]
    >>> packed_argsort(np, np.array([3, 1, 3, 2]), descending=True, head=2).tolist()
    [0, 2]
    """
    n = int(key.shape[0])
    u = ordered_bits(xp, key, descending)
    missing = _missing(xp, key, valid)
    if head is not None and 0 < head <= n // _HEAD_SHARE:
        return _head(xp, key, u, missing, descending, missing_first, head)
    rb = max((n - 1).bit_length(), 1)
    if rb > MAX_ROW_BITS:
        perm = _lexsort(xp, u, missing, missing_first)
        return perm if head is None else perm[:head]
    if key.dtype.kind in "iub" and n:
        perm = _exact(xp, u, missing, missing_first, rb)
        if perm is not None:
            return perm if head is None else perm[:head]
    perm = _truncated(xp, u, missing, missing_first, rb)
    return perm if head is None else perm[:head]


def _head(xp: Any, key: Any, u: Any, missing: Any, descending: bool, missing_first: bool,
          k: int) -> Any:
    """The first ``k`` positions: rows up to the ``k``-th smallest word, then sorted."""
    if missing is not None:  # missing rows tie with the least or greatest key at most
        u[missing] = 0 if missing_first else (1 << 64) - 1
    threshold = xp.partition(u, k - 1)[k - 1]
    rows = xp.flatnonzero(u <= threshold)  # every row of the first k, and any ties
    valid = None if missing is None else ~missing[rows]
    return rows[packed_argsort(xp, key[rows], descending, valid, missing_first)[:k]]


def _bounds(xp: Any, u: Any, missing: Any) -> tuple[int, int] | None:
    if missing is None:
        lo, hi = xp.min(u), xp.max(u)
    else:
        if bool(to_host(xp.all(missing))):
            return None
        lo = xp.min(xp.where(missing, xp.uint64((1 << 64) - 1), u))
        hi = xp.max(xp.where(missing, xp.uint64(0), u))
    return int(to_host(lo)), int(to_host(hi))


def _exact(xp: Any, u: Any, missing: Any, missing_first: bool, rb: int) -> Any:
    """Integers whose range fits beside the row bits: ``1 + key - min``, no repair."""
    bounds = _bounds(xp, u, missing)
    lo, hi = (0, 0) if bounds is None else bounds
    top = hi - lo + 2  # valid keys in [1, top - 1]; missing rows take 0 or top
    if top.bit_length() + rb > 64:
        return None
    u -= xp.uint64((lo - 1) % (1 << 64))  # wraps to u + 1 when lo is 0
    if missing is not None:
        u[missing] = 0 if missing_first else top
    if top.bit_length() <= _RADIX_BITS:
        return xp.argsort(u.astype(xp.uint16), kind="stable").astype(xp.int64, copy=False)
    word = xp.uint32 if top.bit_length() + rb <= 32 else xp.uint64
    packed = u.astype(word)
    packed <<= word(rb)
    packed |= xp.arange(int(u.shape[0]), dtype=word)
    packed = _sort(xp, packed)
    packed &= word((1 << rb) - 1)
    return packed.view(xp.int64) if word is xp.uint64 else packed.astype(xp.int64)


def _truncated(xp: Any, u: Any, missing: Any, missing_first: bool, rb: int) -> Any:
    """The top bits of the key beside the row; runs of equal top bits are repaired."""
    n = int(u.shape[0])
    if missing is None:
        shift = rb
        packed = u & xp.uint64(((1 << 64) - 1) ^ ((1 << rb) - 1))  # the row bits cleared
    else:  # one bit less, to make room for the two missing slots 0 and top
        shift = rb + 1
        u[missing] = 0  # one exact value: a missing run is never repaired
        packed = u >> xp.uint64(shift)
        packed += xp.uint64(1)
        packed[missing] = 0 if missing_first else (1 << (64 - shift)) + 1
        packed <<= xp.uint64(rb)
    packed |= xp.arange(n, dtype=xp.uint64)
    packed = _sort(xp, packed)
    perm = (packed & xp.uint64((1 << rb) - 1)).view(xp.int64)
    packed >>= xp.uint64(rb)  # the key part of each sorted word
    if n > 1:
        _repair(xp, perm, packed, u, shift)
    return perm


def _repair(xp: Any, perm: Any, head: Any, u: Any, shift: int) -> None:
    """Reorder, in place, runs of equal top bits by (low key bits, row)."""
    n = int(perm.shape[0])
    pairs = xp.flatnonzero(head[1:] == head[:-1])  # sorted neighbours i, i + 1 that tie
    if int(pairs.shape[0]) == 0:
        return
    low_mask = xp.uint64((1 << shift) - 1)
    left, right = perm[pairs], perm[pairs + 1]
    if not bool(to_host(xp.any((u[left] ^ u[right]) & low_mask))):
        return  # equal exact keys in every run: row order is already right
    in_run = xp.zeros(n, dtype=bool)
    in_run[pairs] = True
    in_run[pairs + 1] = True
    rows = xp.flatnonzero(in_run)
    starts = xp.ones(n, dtype=bool)
    starts[pairs + 1] = False
    run = xp.cumsum(starts[rows]).astype(xp.uint64)  # dense run number of each tied row
    tied = perm[rows]
    composite = (run << xp.uint64(shift)) | (u[tied] & low_mask)  # below 2**(rb + shift) <= 2**63
    # the tied rows are already in row order inside each run, so a stable sort of the
    # nearly sorted composite keeps ties in row order
    perm[rows] = tied[xp.argsort(composite, kind="stable")]


def _sort(xp: Any, words: Any) -> Any:
    """Distinct ``words`` sorted, in place or into a new array (NumPy or CuPy)."""
    if xp is not np:
        words.sort()
        return words
    # NumPy releases the GIL while sorting: ranges sorted on several threads, then each
    # range of the output is cut from every sorted range and merged (a timsort of a few
    # sorted runs). About twice as fast with two free cores; as fast with one.
    n = int(words.shape[0])
    runs = map_ranges(lambda a, b: _sorted_range(words, a, b), n, _PARALLEL_MIN)
    if len(runs) == 1:
        return words
    out = np.empty_like(words)
    map_ranges(lambda a, b: _merge_ranks(runs, out, a, b), n, _PARALLEL_MIN)
    return out


def _sorted_range(words: np.ndarray, start: int, stop: int) -> np.ndarray:
    run = words[start:stop]
    run.sort()
    return run


def _merge_ranks(runs: list[np.ndarray], out: np.ndarray, start: int, stop: int) -> None:
    """``out[start:stop]``: the words of ranks ``start`` to ``stop`` of the sorted ``runs``."""
    lo, hi = _cuts(runs, start), _cuts(runs, stop)
    at = start
    for run, i, j in zip(runs, lo, hi):
        out[at:at + j - i] = run[i:j]
        at += j - i
    out[start:stop].sort(kind="stable")


def _cuts(runs: list[np.ndarray], rank: int) -> list[int]:
    """How many of the ``rank`` smallest words (all distinct) each sorted run holds."""
    if rank >= sum(len(run) for run in runs):
        return [len(run) for run in runs]
    lo, hi = 0, int(np.iinfo(runs[0].dtype).max)  # the least word with ``rank`` words below
    while lo < hi:
        mid = (lo + hi) // 2
        if sum(int(np.searchsorted(run, run.dtype.type(mid))) for run in runs) < rank:
            lo = mid + 1
        else:
            hi = mid
    return [int(np.searchsorted(run, run.dtype.type(lo))) for run in runs]


def _lexsort(xp: Any, u: Any, missing: Any, missing_first: bool) -> Any:
    """The general path for more than ``2**MAX_ROW_BITS`` rows."""
    if missing is None:
        return xp.argsort(u, kind="stable")
    u[missing] = 0
    side = xp.where(missing, 0 if missing_first else 2, 1).astype(xp.uint8)
    return xp.lexsort(xp.stack([u, side.astype(xp.uint64)]))
