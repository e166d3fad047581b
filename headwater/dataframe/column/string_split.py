"""Splitting strings in Arrow's plain layout into lists of parts, written once against ``xp``.

A split gives, for ``n`` rows, ``n + 1`` list offsets (int64) into a column of parts;
each part is a byte range of the input, so the parts column is one
:func:`~.string_kernels.gather_ranges` of ranges already in order. The kernels here
find those ranges:

- :func:`split_literal`: between the matches of a literal separator (``"a,b"`` on
  ``","``), at most ``limit`` splits from the left or (``from_end``) from the right;
- :func:`split_chars`: between every character, with an empty part at both ends, as
  a regular expression that matches the empty string splits (``split("")``);
- :func:`split_whitespace`: the words between runs of ASCII whitespace, leading and
  trailing runs dropped (``split()``), the rest of the row kept whole after ``limit``.

Null rows get an empty list (the caller masks them). Each kernel returns
``(list_offsets, starts, lengths)`` or None when the host kernel is needed (literal
matches that overlap: ``"aa"`` in ``"aaa"`` is resolved one match at a time there).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column.string_kernels import find_literal, offsets_from_lengths, rows_of
from headwater.tensor.backend.base import Backend
from headwater.tensor.transfer import to_host

__all__ = ["split_literal", "split_chars", "split_whitespace", "WHITESPACE"]

WHITESPACE = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"  # the ASCII characters Python's str.isspace() accepts


def _rank(xp: Any, rows: Any, n: int, from_end: bool) -> tuple[Any, Any]:
    """(rank of each sorted item within its row, from the left or the right; items per row)."""
    count = xp.bincount(rows, minlength=n).astype(np.int64) if rows.shape[0] else xp.zeros(n, dtype=np.int64)
    first = xp.cumsum(count) - count  # index of each row's first item
    rank = xp.arange(rows.shape[0], dtype=np.int64) - first[rows]
    return (count[rows] - 1 - rank if from_end else rank), count


def _between(xp: Any, offsets: Any, valid: Any, found: Any, rows: Any, width: int) -> tuple[Any, Any, Any]:
    """(list offsets, starts, lengths) of the parts between sorted matches ``found`` (of
    ``width`` bytes, in rows ``rows``): each valid row with ``k`` matches has ``k + 1``."""
    n = int(offsets.shape[0]) - 1
    count = xp.bincount(rows, minlength=n).astype(np.int64) if rows.shape[0] else xp.zeros(n, dtype=np.int64)
    parts = xp.where(valid, count + 1, 0) if valid is not None else count + 1
    list_offsets, total = offsets_from_lengths(xp, parts)
    list_offsets = list_offsets.astype(np.int64)
    starts = xp.zeros(total, dtype=np.int64)
    ends = xp.zeros(total, dtype=np.int64)
    row_start, row_end = offsets[:-1].astype(np.int64), offsets[1:].astype(np.int64)
    has = xp.flatnonzero(parts > 0)
    starts[list_offsets[:-1][has]] = row_start[has]
    ends[list_offsets[1:][has] - 1] = row_end[has]
    if found.shape[0]:
        first_match = xp.cumsum(count) - count
        part = list_offsets[:-1][rows] + (xp.arange(found.shape[0], dtype=np.int64) - first_match[rows])
        ends[part] = found
        starts[part + 1] = found + width
    return list_offsets, starts, ends - starts


def split_literal(backend: Backend, offsets: Any, chars: Any, valid: Any, sep: bytes,
                  limit: int | None, from_end: bool) -> tuple[Any, Any, Any] | None:
    """Parts between the non-overlapping matches of ``sep`` (non-empty), at most ``limit``
    splits per row counted from the left (or the right, ``from_end``); None when two
    matches in a row overlap."""
    xp = backend.xp
    n = int(offsets.shape[0]) - 1
    m = len(sep)
    found = find_literal(backend, chars, sep)
    rows = rows_of(xp, offsets, found)
    keep = found + m <= offsets[1:][rows].astype(np.int64)
    if valid is not None:
        keep &= valid[rows]
    found, rows = found[keep], rows[keep]
    if found.shape[0] > 1:
        close = (found[1:] - found[:-1] < m) & (rows[1:] == rows[:-1])
        if bool(to_host(xp.any(close))):
            return None
    if limit is not None and found.shape[0]:
        rank, _ = _rank(xp, rows, n, from_end)
        found, rows = found[rank < limit], rows[rank < limit]
    return _between(xp, offsets, valid, found, rows, m)


def split_chars(backend: Backend, offsets: Any, chars: Any, valid: Any,
                limit: int | None) -> tuple[Any, Any, Any]:
    """Parts at every character boundary (an empty part first and last; ``""`` gives
    ``["", ""]``), as ``re.split`` on a pattern that matches the empty string; at most
    ``limit`` splits per row from the left."""
    xp = backend.xp
    n = int(offsets.shape[0]) - 1
    # the empty matches: at each character's first byte, and at each row's end
    leads = xp.flatnonzero((chars & 0xC0) != 0x80).astype(np.int64)
    lead_rows = rows_of(xp, offsets, leads)
    per_row = xp.bincount(lead_rows, minlength=n).astype(np.int64) if leads.shape[0] \
        else xp.zeros(n, dtype=np.int64)
    ends_before = xp.cumsum(per_row)  # leads in rows up to and including each row
    found = xp.zeros(leads.shape[0] + n, dtype=np.int64)
    rows = xp.zeros(leads.shape[0] + n, dtype=np.int64)
    at = xp.arange(leads.shape[0], dtype=np.int64) + lead_rows  # each row's end precedes the next row
    found[at], rows[at] = leads, lead_rows
    row_ids = xp.arange(n, dtype=np.int64)
    at = ends_before + row_ids
    found[at], rows[at] = offsets[1:].astype(np.int64), row_ids
    keep = None if valid is None else valid[rows]
    if limit is not None:
        rank, _ = _rank(xp, rows, n, False)
        keep = rank < limit if keep is None else keep & (rank < limit)
    if keep is not None:
        found, rows = found[keep], rows[keep]
    return _between(xp, offsets, valid, found, rows, 0)


def split_whitespace(backend: Backend, offsets: Any, chars: Any, valid: Any, limit: int | None,
                     from_end: bool) -> tuple[Any, Any, Any]:
    """The words of each row (bytes between runs of ASCII whitespace); past ``limit``
    splits the rest of the row from the last kept word on is one part (its far-end
    whitespace kept), from the left or (``from_end``) the right. Rows of whitespace only
    give an empty list."""
    xp = backend.xp
    n, n_bytes = int(offsets.shape[0]) - 1, int(chars.shape[0])
    if n_bytes == 0:
        return xp.zeros(n + 1, dtype=np.int64), xp.zeros(0, dtype=np.int64), xp.zeros(0, dtype=np.int64)
    word = ~xp.isin(chars, xp.asarray(np.frombuffer(WHITESPACE, dtype=np.uint8)))
    row_first = xp.zeros(n_bytes, dtype=bool)  # the first byte of each non-empty row
    nonempty = offsets[:-1][offsets[1:] > offsets[:-1]].astype(np.int64)
    row_first[nonempty] = True
    row_last = xp.zeros(n_bytes, dtype=bool)
    row_last[offsets[1:][offsets[1:] > offsets[:-1]].astype(np.int64) - 1] = True
    before = xp.concatenate([xp.zeros(1, dtype=bool), word[:-1]]) & ~row_first
    after = xp.concatenate([word[1:], xp.zeros(1, dtype=bool)]) & ~row_last
    begins = xp.flatnonzero(word & ~before).astype(np.int64)
    ends = xp.flatnonzero(word & ~after).astype(np.int64) + 1
    rows = rows_of(xp, offsets, begins)
    if valid is not None:
        keep = valid[rows]
        begins, ends, rows = begins[keep], ends[keep], rows[keep]
    if limit is not None and begins.shape[0]:
        rank, _ = _rank(xp, rows, n, from_end)
        keep = rank <= limit
        rest = rank == limit  # the word from which the rest of the row is one part
        if from_end:
            begins = xp.where(rest, offsets[:-1][rows].astype(np.int64), begins)
        else:
            ends = xp.where(rest, offsets[1:][rows].astype(np.int64), ends)
        begins, ends, rows = begins[keep], ends[keep], rows[keep]
    count = xp.bincount(rows, minlength=n).astype(np.int64) if rows.shape[0] else xp.zeros(n, dtype=np.int64)
    list_offsets, _ = offsets_from_lengths(xp, count)
    return list_offsets.astype(np.int64), begins, ends - begins
