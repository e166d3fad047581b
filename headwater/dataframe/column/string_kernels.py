"""String kernels over Arrow's plain layout (offsets + UTF-8 bytes), written once against ``xp``.

A string column is ``offsets`` (int32 or int64, ``n + 1`` entries, starting at 0) and
``chars`` (uint8, ``offsets[-1]`` bytes). Every kernel here works on those two arrays
with whole-array operations, so NumPy runs them on the CPU and CuPy on the GPU:

- lengths come from ``offsets``; character counts add up the UTF-8 lead bytes;
- a new column of byte ranges (slices, strips, gathers of rows) is one prefix sum of
  the new lengths and one gather of bytes (:func:`gather_ranges`);
- a literal is found by comparing its first byte everywhere and then its next bytes
  only at the surviving candidates; candidates map back to rows by a binary search
  of the offsets (:func:`find_literal`).

Kernels return buffers; :mod:`.plain_string` wraps them as columns.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.tensor.backend.base import Backend
from headwater.tensor.transfer import to_host

__all__ = [
    "byte_lengths", "offsets_from_lengths", "range_positions", "gather_ranges", "is_ascii",
    "char_lengths", "char_byte_positions", "ascii_case", "find_literal", "rows_of", "prefix_match",
    "equal_rows", "strip_ranges", "scatter_parts", "replace_literal", "host_gather_rows", "host_gather_ordered", "arrow_buffers",
    "host_arrow_view",
    "OFFSET_LIMIT",
]

OFFSET_LIMIT = 2**31 - 1  # past this many bytes a column needs int64 offsets
_UPPER = (65, 90)  # A-Z
_LOWER = (97, 122)  # a-z


def byte_lengths(offsets: Any) -> Any:
    """Bytes per row (int64)."""
    return (offsets[1:] - offsets[:-1]).astype(np.int64)


def offsets_from_lengths(xp: Any, lengths: Any) -> tuple[Any, int]:
    """(offsets, total bytes): int32 offsets when the total fits, else int64."""
    ends = xp.cumsum(lengths, dtype=np.int64)
    total = int(to_host(ends[-1:])[0]) if ends.shape[0] else 0
    offsets = xp.concatenate([xp.zeros(1, dtype=np.int64), ends])
    return (offsets.astype(np.int32) if total <= OFFSET_LIMIT else offsets), total


def range_positions(backend: Backend, starts: Any, lengths: Any, out_offsets: Any, total: int) -> Any:
    """The byte positions ``starts[i] .. starts[i] + lengths[i]`` of every row, one after another.

    ``out_offsets`` are the offsets of those ranges laid end to end (``total`` bytes).
    """
    xp = backend.xp
    # int32 positions while every position fits: half the memory traffic of int64
    # (int32 starts come from int32 offsets, so every position fits: no device read to check)
    width = np.int32 if total <= OFFSET_LIMIT and starts.dtype == np.int32 else np.int64
    shift = starts.astype(width) - out_offsets[:-1].astype(width)
    return backend.repeat(shift, lengths, total) + xp.arange(total, dtype=width)


def gather_ranges(backend: Backend, chars: Any, starts: Any, lengths: Any,
                  ordered: bool = False) -> tuple[Any, Any]:
    """(offsets, chars) of a new column whose row ``i`` is ``chars[starts[i]:starts[i] + lengths[i]]``.

    ``ordered`` says that every range begins at or after the previous one's end (pieces
    of a column's rows in row order: slices, strips); a backend with host fast paths
    then copies them with :func:`host_gather_ordered` (one memcpy per row), the others
    with one position per byte and one gather.
    """
    xp = backend.xp
    if ordered and backend.host_fast_paths and starts.shape[0]:
        gathered = host_gather_ordered(chars, starts, lengths)
        if gathered is not None:
            return gathered
    offsets, total = offsets_from_lengths(xp, lengths)
    if total == 0:
        return offsets, xp.zeros(0, dtype=np.uint8)
    src = range_positions(backend, starts, lengths, offsets, total)
    return offsets, backend.take(chars, src, checked=True)


def host_arrow_view(offsets: Any, chars: Any, valid: Any = None) -> Any:
    """A zero-copy ``pyarrow`` string array over host ``offsets``/``chars`` (and ``valid``)."""
    import pyarrow as pa

    n = int(offsets.shape[0]) - 1
    bits = None if valid is None else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(pa.large_string() if offsets.dtype == np.int64 else pa.string(), n,
                                 [bits, pa.py_buffer(np.ascontiguousarray(offsets)), pa.py_buffer(chars)],
                                 null_count=0 if valid is None else -1)


def host_gather_rows(offsets: Any, chars: Any, rows: Any, hit: Any = None,
                     keep: Any = None) -> tuple[Any, Any] | None:
    """(offsets, chars) of rows ``rows`` (or of the rows where ``keep``), by pyarrow's
    take/filter over zero-copy views of host buffers; None when pyarrow cannot (offsets
    past 2**31 bytes in an int32 result), so that the caller uses :func:`gather_ranges`.

    The CPU backend's fast path for row gathers (``Backend.host_fast_paths``): one
    memcpy per row instead of a per-byte position array, 10-20x faster on NumPy. Rows
    where ``hit`` is False come back empty. Offsets start at 0, as every column's do.
    """
    import pyarrow as pa

    wide = offsets.dtype == np.int64
    arr = host_arrow_view(offsets, chars)
    try:
        if keep is not None:
            out = arr.filter(pa.array(keep, type=pa.bool_()))
        else:
            out = arr.take(pa.array(rows, type=pa.int64(), mask=None if hit is None else ~hit))
    except (pa.ArrowInvalid, pa.ArrowCapacityError):  # an int32 result past 2**31 bytes
        return None
    offsets, out_chars = arrow_buffers(out, wide)
    if wide and int(offsets[-1]) <= OFFSET_LIMIT:  # a short result of a wide column: int32 offsets
        offsets = offsets.astype(np.int32)
    return offsets, out_chars


def arrow_buffers(out: Any, wide: bool) -> tuple[Any, Any]:
    """(offsets from 0, chars) of a pyarrow string or binary array's buffers (zero copy)."""
    _, off_buf, char_buf = out.buffers()
    width = np.dtype(np.int64 if wide else np.int32)
    new_offsets = np.frombuffer(off_buf, dtype=width, count=len(out) + 1, offset=out.offset * width.itemsize)
    first, last = int(new_offsets[0]), int(new_offsets[-1])
    if first:
        new_offsets = new_offsets - width.type(first)
    new_chars = np.frombuffer(char_buf, dtype=np.uint8)[first:last] if char_buf is not None and last > first \
        else np.zeros(0, dtype=np.uint8)
    return new_offsets, new_chars


def host_gather_ordered(chars: Any, starts: Any, lengths: Any) -> tuple[Any, Any] | None:
    """:func:`gather_ranges` of host ranges in order, by pyarrow's take (a memcpy per row).

    Ranges that follow one another (each starts at or after the previous one's end) are
    the odd rows of a zero-copy binary view whose offsets are ``0, start_0, end_0,
    start_1, end_1, ..., n_bytes``; taking those rows copies each range once instead of
    building one position per byte. None when the result's offsets would overflow
    (the caller then builds positions).
    """
    import pyarrow as pa

    n, n_bytes = int(starts.shape[0]), int(chars.shape[0])
    wide = n_bytes > OFFSET_LIMIT
    width = np.int64 if wide else np.int32
    bounds = np.empty(2 * n + 2, dtype=width)
    bounds[0], bounds[-1] = 0, n_bytes
    bounds[1:-1:2] = starts
    bounds[2:-1:2] = starts + lengths
    view = pa.Array.from_buffers(pa.large_binary() if wide else pa.binary(), 2 * n + 1,
                                 [None, pa.py_buffer(bounds), pa.py_buffer(chars)], null_count=0)
    try:
        out = view.take(pa.array(np.arange(1, 2 * n + 1, 2, dtype=width)))
    except (pa.ArrowInvalid, pa.ArrowCapacityError):  # an int32 result past 2**31 bytes
        return None
    offsets, out_chars = arrow_buffers(out, wide)
    if wide and int(offsets[-1]) <= OFFSET_LIMIT:  # a short result of a wide column: int32 offsets
        offsets = offsets.astype(np.int32)
    return offsets, out_chars


def is_ascii(xp: Any, chars: Any) -> bool:
    """True when every byte is below 128 (then bytes and characters coincide)."""
    return chars.shape[0] == 0 or int(to_host(xp.max(chars))) < 128


def _char_prefix(xp: Any, chars: Any) -> Any:
    """Characters before each byte position (``n_bytes + 1`` entries): UTF-8 lead bytes counted."""
    lead = (chars & 0xC0) != 0x80
    return xp.concatenate([xp.zeros(1, dtype=np.int64), xp.cumsum(lead, dtype=np.int64)])


def char_lengths(xp: Any, offsets: Any, chars: Any, ascii_only: bool) -> Any:
    """Characters per row (int64)."""
    lengths = byte_lengths(offsets)
    if ascii_only:
        return lengths
    # bytes minus continuation bytes; only the continuation bytes are located (text that
    # is mostly ASCII needs little memory for them)
    follow = xp.flatnonzero((chars & 0xC0) == 0x80)
    if follow.shape[0] == 0:
        return lengths
    counts = xp.bincount(rows_of(xp, offsets, follow), minlength=lengths.shape[0])
    return lengths - counts.astype(np.int64)


def char_byte_positions(backend: Backend, offsets: Any, chars: Any, ascii_only: bool,
                        rows: Any, chars_in: Any) -> Any:
    """Byte position of character ``chars_in[i]`` of row ``rows[i]`` (``chars_in`` at most
    the row's character count; the count itself gives the row's end).

    Rows of ASCII bytes need only their start; the rows holding multi-byte characters
    are gathered into one smaller buffer, whose lead bytes are counted.
    """
    xp = backend.xp
    starts = offsets[:-1][rows].astype(np.int64)
    out = starts + chars_in
    if ascii_only:
        return out
    follow = xp.flatnonzero((chars & 0xC0) == 0x80)
    if follow.shape[0] == 0:
        return out
    wide = xp.unique(rows_of(xp, offsets, follow))  # sorted rows with a multi-byte character
    sel = xp.flatnonzero(xp.isin(rows, wide))
    if sel.shape[0] == 0:
        return out
    sub = xp.searchsorted(wide, rows[sel])
    sub_offsets, sub_chars = gather_ranges(backend, chars, offsets[:-1][wide], byte_lengths(offsets)[wide])
    prefix = _char_prefix(xp, sub_chars)
    leads = xp.flatnonzero((sub_chars & 0xC0) != 0x80).astype(np.int64)
    leads = xp.concatenate([leads, xp.asarray([sub_chars.shape[0]], dtype=np.int64)])
    local = leads[prefix[sub_offsets[:-1][sub]] + chars_in[sel]] - sub_offsets[:-1][sub]
    out[sel] = starts[sel] + local
    return out


def ascii_case(xp: Any, chars: Any, upper: bool) -> Any:
    """Bytes with ASCII letters mapped to upper (or lower) case; other bytes unchanged."""
    low = _LOWER[0] if upper else _UPPER[0]
    # letters differ from their other case in bit 0x20; (c - low) wraps below ``low``
    hit = (chars - np.uint8(low)) < np.uint8(26)
    return chars ^ (hit.view(np.uint8) << np.uint8(5))


def find_literal(backend: Backend, chars: Any, pattern: bytes) -> Any:
    """Sorted start positions (int64) of every occurrence of ``pattern`` in ``chars``
    (overlapping ones included; row boundaries not yet checked)."""
    xp = backend.xp
    m, n = len(pattern), int(chars.shape[0])
    if m == 0 or n < m:
        return xp.zeros(0, dtype=np.int64)
    cand = xp.flatnonzero(chars[: n - m + 1] == np.uint8(pattern[0]))
    for k in range(1, m):
        if cand.shape[0] == 0:
            break
        cand = cand[chars[cand + k] == np.uint8(pattern[k])]
    return cand.astype(np.int64)


def rows_of(xp: Any, offsets: Any, positions: Any) -> Any:
    """Row of each byte position (int64)."""
    return xp.searchsorted(offsets[1:], positions, side="right").astype(np.int64)


def prefix_match(xp: Any, offsets: Any, chars: Any, pattern: bytes, at_end: bool, whole: bool = False) -> Any:
    """Bool per row: the row starts (``at_end``: ends) with the bytes of ``pattern``; with
    ``whole``, the row is those bytes (only rows of its length are compared)."""
    m = len(pattern)
    lengths = offsets[1:] - offsets[:-1]
    rows = xp.flatnonzero(lengths == m if whole else lengths >= m)
    base = (offsets[1:][rows].astype(np.int64) - m) if at_end else offsets[:-1][rows].astype(np.int64)
    for k in range(m):
        if rows.shape[0] == 0:
            break
        keep = chars[base + k] == np.uint8(pattern[k])
        rows, base = rows[keep], base[keep]
    out = xp.zeros(lengths.shape[0], dtype=bool)
    out[rows] = True
    return out


def equal_rows(backend: Backend, a: tuple[Any, Any], b: tuple[Any, Any], rows_a: Any, rows_b: Any) -> Any:
    """Bool per pair: string ``rows_a[i]`` of ``a`` equals string ``rows_b[i]`` of ``b``.

    ``a`` and ``b`` are ``(offsets, chars)``. Lengths are compared first, then the
    bytes of the pairs of equal length, in one gather from each side.
    """
    xp = backend.xp
    (oa, ca), (ob, cb) = a, b
    len_a = (oa[1:] - oa[:-1])[rows_a].astype(np.int64)
    len_b = (ob[1:] - ob[:-1])[rows_b].astype(np.int64)
    out = len_a == len_b
    same = xp.flatnonzero(out)
    if same.shape[0] == 0:
        return out
    lengths = len_a[same]
    pair_offsets, total = offsets_from_lengths(xp, lengths)
    if total == 0:
        return out
    pa_ = range_positions(backend, oa[:-1][rows_a[same]], lengths, pair_offsets, total)
    pb_ = range_positions(backend, ob[:-1][rows_b[same]], lengths, pair_offsets, total)
    differ = xp.flatnonzero(ca[pa_] != cb[pb_])
    if differ.shape[0]:
        out[same[rows_of(xp, pair_offsets, differ)]] = False
    return out


def strip_ranges(xp: Any, offsets: Any, chars: Any, strip_bytes: bytes, left: bool, right: bool) -> tuple[Any, Any]:
    """(starts, lengths) of each row with the bytes in ``strip_bytes`` removed from its ends."""
    starts = offsets[:-1].astype(np.int64)
    ends = offsets[1:].astype(np.int64)
    n_bytes = int(chars.shape[0])
    if n_bytes == 0:
        return starts, ends - starts
    keep = ~xp.isin(chars, xp.asarray(np.frombuffer(strip_bytes, dtype=np.uint8)))
    pos = xp.arange(n_bytes, dtype=np.int64)
    if left:  # the first kept byte at or after each position
        nxt = xp.where(keep, pos, n_bytes)
        nxt = xp.flip(xp.minimum.accumulate(xp.flip(nxt)))
        nxt = xp.concatenate([nxt, xp.asarray([n_bytes], dtype=np.int64)])
        starts = xp.minimum(nxt[starts], ends)
    if right:  # one past the last kept byte before each position
        prev = xp.maximum.accumulate(xp.where(keep, pos, -1)) + 1
        prev = xp.concatenate([xp.zeros(1, dtype=np.int64), prev])
        ends = xp.maximum(prev[ends], starts)
    return starts, ends - starts


def scatter_parts(backend: Backend, parts: list[tuple[Any, Any, Any]], n: int) -> tuple[Any, Any]:
    """(offsets, chars) of rows made of ``parts`` laid end to end.

    Each part is ``(chars, starts, lengths)`` with one start and length per row (a
    literal is a part whose starts are all 0). The ``n * k`` pieces, row by row, are
    byte ranges of the parts' bytes laid one after another: one gather of ranges.
    """
    xp = backend.xp
    bases, base = [], 0
    for chars, _, _ in parts:
        bases.append(base)
        base += int(chars.shape[0])
    joined = parts[0][0] if len(parts) == 1 else xp.concatenate([chars for chars, _, _ in parts])
    starts = xp.stack([s_.astype(np.int64) + b for (_, s_, _), b in zip(parts, bases)], axis=1).reshape(-1)
    lengths = xp.stack([l_.astype(np.int64) for _, _, l_ in parts], axis=1).reshape(-1)
    piece_offsets, chars = gather_ranges(backend, joined, starts, lengths)
    return xp.ascontiguousarray(piece_offsets[:: len(parts)]), chars


def replace_literal(backend: Backend, offsets: Any, chars: Any, pattern: bytes, repl: bytes,
                    limit: int | None) -> tuple[Any, Any] | None:
    """(offsets, chars) with each non-overlapping ``pattern`` replaced by ``repl``, left to
    right, at most ``limit`` per row; None when matches overlap (the caller then uses the
    host kernel, which resolves overlaps one by one)."""
    xp = backend.xp
    m, r = len(pattern), len(repl)
    found = find_literal(backend, chars, pattern)
    rows = rows_of(xp, offsets, found)
    inside = found + m <= offsets[1:][rows].astype(np.int64)
    found, rows = found[inside], rows[inside]
    if found.shape[0] > 1:
        close = (found[1:] - found[:-1] < m) & (rows[1:] == rows[:-1])
        if bool(to_host(xp.any(close))):
            return None
    if limit is not None and found.shape[0]:
        first = xp.concatenate([xp.ones(1, dtype=bool), rows[1:] != rows[:-1]])
        index = xp.arange(found.shape[0], dtype=np.int64)
        rank = index - xp.maximum.accumulate(xp.where(first, index, 0))
        found, rows = found[rank < limit], rows[rank < limit]
    n = offsets.shape[0] - 1
    n_bytes = int(chars.shape[0])
    count = xp.bincount(rows, minlength=n).astype(np.int64) if n else xp.zeros(0, dtype=np.int64)
    lengths = byte_lengths(offsets) + count * (r - m)
    new_offsets, total = offsets_from_lengths(xp, lengths)
    out = xp.zeros(total, dtype=np.uint8)
    removed = xp.zeros(n_bytes + 1, dtype=np.int64)  # +1 at each match start, -1 after its end
    if found.shape[0]:
        removed[found] += 1
        removed[found + m] -= 1
    covered = xp.cumsum(removed[:n_bytes]) > 0
    kept = xp.flatnonzero(~covered)
    starts_before = xp.zeros(n_bytes + 1, dtype=np.int64)
    if found.shape[0]:
        starts_before[found + 1] += 1
    before = xp.cumsum(starts_before)[kept]  # matches that start before each kept byte
    out[kept + before * (r - m)] = chars[kept]
    if r and found.shape[0]:
        at = found + xp.arange(found.shape[0], dtype=np.int64) * (r - m)
        to = (at[:, None] + xp.arange(r, dtype=np.int64)[None, :]).reshape(-1)
        out[to] = xp.tile(xp.asarray(np.frombuffer(repl, dtype=np.uint8)), found.shape[0])
    return new_offsets, out
