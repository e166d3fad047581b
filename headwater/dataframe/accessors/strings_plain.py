"""``.str`` on the plain layout: the methods with a device kernel (one ``xp`` code path).

Each function takes a plain string column and returns the result column, or None
when the input needs the host path (the accessor then runs the same
``pyarrow.compute`` kernel the dictionary layout uses, over every row: zero copy on
the CPU, counted crossings on a GPU). The host path is taken for:

- case mapping when a value holds a non-ASCII byte (Unicode case rules);
- ``pad`` (left or right) and ``zfill`` on the CPU backend, where pyarrow's kernels
  copy each row once and beat the device kernel's byte positions;
- ``strip()`` without characters when a value holds a non-ASCII byte (Unicode
  whitespace), and ``to_strip`` with non-ASCII characters;
- ``slice`` with a step other than 1;
- ``replace`` and ``count`` with an empty pattern, or whose matches overlap (``"aa"`` in
  ``"aaa"``); ``find``/``rfind`` of an empty string or with ``start``/``end``;
- case-insensitive search over non-ASCII values, and regular expressions.

Positions count characters (UTF-8 lead bytes), as Python and pandas do.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from headwater.dataframe.column import string_kernels as sk
from headwater.dataframe.column.base import Column
from headwater.dataframe.column.dispatch import build_column
from headwater.dataframe.column.plain_string import plain_from_buffers
from headwater.tensor.transfer import to_host

__all__ = ["length", "case", "char_slice", "char_get", "contains", "affix", "strip", "replace",
           "count", "find", "pad", "zfill", "is_literal"]

_WHITESPACE = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"  # ASCII characters Python's str.isspace() accepts
_REGEX_SPECIAL = frozenset(".^$*+?{}[]\\|()")


def is_literal(pat: str) -> bool:
    """True when ``pat`` read as a regular expression only matches itself."""
    return not any(ch in _REGEX_SPECIAL for ch in pat)


def _ascii(col: Any) -> bool:
    return col.is_ascii()


def length(col: Any) -> Column:
    """Characters per row (int64): byte lengths when the bytes are ASCII."""
    return build_column(sk.char_lengths(col.xp, col.offsets, col.chars, _ascii(col)), col.mask)


def case(col: Any, upper: bool) -> Column | None:
    """ASCII letters mapped bytewise; the offsets are shared with the input."""
    if not _ascii(col):
        return None
    return plain_from_buffers(col.offsets, sk.ascii_case(col.xp, col.chars, upper), col.mask)


def _bounds(xp: Any, lengths: Any, value: int | None, default: int) -> Any:
    """Python slice rules for step 1: negative from the end, clipped to ``[0, length]``."""
    kind, bound = lengths.dtype.type, int(np.iinfo(lengths.dtype).max)  # bounds clipped: no overflow
    if value is None:
        return xp.zeros(lengths.shape[0], dtype=lengths.dtype) if default == 0 else lengths
    if value < 0:
        return xp.maximum(lengths + kind(max(value, -bound)), kind(0))
    return xp.minimum(lengths, kind(min(value, bound)))


def char_slice(col: Any, start: int | None, stop: int | None) -> Column:
    """Characters ``start:stop`` of every row: offset arithmetic and one gather of bytes."""
    xp = col.xp
    ascii_only = _ascii(col)
    if ascii_only:  # characters are bytes: offset arithmetic in the offsets' own width
        starts = col.offsets[:-1]
        lengths = col.offsets[1:] - starts
        first = _bounds(xp, lengths, start, 0)
        last = xp.maximum(_bounds(xp, lengths, stop, -1), first)
        offsets, chars = sk.gather_ranges(col.backend, col.chars, starts + first, last - first, ordered=True)
        return plain_from_buffers(offsets, chars, col.mask)
    lengths = sk.char_lengths(xp, col.offsets, col.chars, ascii_only)
    first = _bounds(xp, lengths, start, 0)
    last = xp.maximum(_bounds(xp, lengths, stop, -1), first)
    rows = xp.arange(len(col), dtype=np.int64)
    begin = sk.char_byte_positions(col.backend, col.offsets, col.chars, ascii_only, rows, first)
    end = sk.char_byte_positions(col.backend, col.offsets, col.chars, ascii_only, rows, last)
    offsets, chars = sk.gather_ranges(col.backend, col.chars, begin, end - begin, ordered=True)
    return plain_from_buffers(offsets, chars, col.mask)


def char_get(col: Any, i: int) -> Column:
    """The character at position ``i`` (negative from the end); null when out of range."""
    xp = col.xp
    lengths = sk.char_lengths(xp, col.offsets, col.chars, _ascii(col))
    inside = (lengths > i) if i >= 0 else (lengths >= -i)
    out = char_slice(col, i, (i + 1) if i != -1 else None)
    return out.with_mask(inside if col.mask is None else inside & col.mask)


def _matches(col: Any, chars: Any, raw: bytes) -> tuple[Any, Any]:
    """(start, row) of every occurrence of ``raw`` inside a row (overlapping ones too)."""
    xp = col.xp
    found = sk.find_literal(col.backend, chars, raw)
    rows = sk.rows_of(xp, col.offsets, found)
    inside = found + len(raw) <= col.offsets[1:][rows].astype(np.int64)
    return found[inside], rows[inside]


def _hits(col: Any, chars: Any, raw: bytes) -> Any:
    out = col.xp.zeros(len(col), dtype=bool)
    _, rows = _matches(col, chars, raw)
    out[rows] = True
    return out


def count(col: Any, pat: str) -> Column | None:
    """Non-overlapping occurrences of the literal ``pat`` per row (int64); None when two
    occurrences in a row overlap (``"aa"`` in ``"aaa"``: the host counts left to right)."""
    xp = col.xp
    raw = pat.encode("utf-8")
    if not raw:
        return None
    found, rows = _matches(col, col.chars, raw)
    if found.shape[0] > 1:
        close = (found[1:] - found[:-1] < len(raw)) & (rows[1:] == rows[:-1])
        if bool(to_host(xp.any(close))):
            return None
    n = len(col)
    out = xp.bincount(rows, minlength=n).astype(np.int64) if rows.shape[0] else xp.zeros(n, dtype=np.int64)
    return build_column(out, col.mask)


def find(col: Any, sub: str, last: bool) -> Column | None:
    """Character position of the first (``last``: the last) occurrence of the literal
    ``sub`` in each row, -1 where there is none (int64); None for an empty ``sub``."""
    xp = col.xp
    raw = sub.encode("utf-8")
    if not raw:
        return None
    found, rows = _matches(col, col.chars, raw)
    n = len(col)
    out = xp.full(n, -1, dtype=np.int64)
    if found.shape[0]:
        # matches are sorted: a row's first is where the row changes (its last, before the next change)
        edge = rows[1:] != rows[:-1]
        pick = xp.concatenate([edge, xp.ones(1, dtype=bool)]) if last else \
            xp.concatenate([xp.ones(1, dtype=bool), edge])
        found, rows = found[pick], rows[pick]
        starts = col.offsets[:-1][rows].astype(np.int64)
        if _ascii(col):
            out[rows] = found - starts
        else:  # characters before the match: lead bytes between the row's start and it
            lead = ((col.chars & 0xC0) != 0x80).astype(np.int64)
            prefix = xp.concatenate([xp.zeros(1, dtype=np.int64), xp.cumsum(lead)])
            out[rows] = prefix[found] - prefix[starts]
    return build_column(out, col.mask)


def contains(col: Any, pat: str, case_sensitive: bool) -> Column | None:
    """Whether the literal ``pat`` occurs in each row."""
    xp = col.xp
    raw = pat.encode("utf-8")
    if not raw:
        return build_column(xp.ones(len(col), dtype=bool), col.mask)
    chars = col.chars
    if not case_sensitive:
        if not _ascii(col) or not pat.isascii():
            return None
        chars = sk.ascii_case(xp, chars, upper=False)
        raw = pat.lower().encode("utf-8")
    return build_column(_hits(col, chars, raw), col.mask)


def affix(col: Any, pat: str | tuple[str, ...], at_end: bool) -> Column:
    """``startswith`` / ``endswith`` of a literal (or any of a tuple of literals)."""
    pats = (pat,) if isinstance(pat, str) else tuple(pat)
    out = None
    for p in pats:
        hit = sk.prefix_match(col.xp, col.offsets, col.chars, p.encode("utf-8"), at_end)
        out = hit if out is None else out | hit
    if out is None:
        out = col.xp.zeros(len(col), dtype=bool)
    return build_column(out, col.mask)


def strip(col: Any, to_strip: str | None, left: bool, right: bool) -> Column | None:
    """Characters removed from the ends; None when Unicode rules are needed (host path)."""
    if to_strip is None:
        if not _ascii(col):
            return None
        strip_bytes = _WHITESPACE
    else:
        if not to_strip.isascii():
            return None
        strip_bytes = to_strip.encode("ascii")
    if not strip_bytes:
        return col
    starts, lengths = sk.strip_ranges(col.xp, col.offsets, col.chars, strip_bytes, left, right)
    offsets, chars = sk.gather_ranges(col.backend, col.chars, starts, lengths, ordered=True)
    return plain_from_buffers(offsets, chars, col.mask)


def replace(col: Any, pat: str, repl: str, limit: int | None) -> Column | None:
    """Literal ``pat`` replaced by ``repl`` (at most ``limit`` per row); None for the host path."""
    if not pat or limit == 0:
        return None if not pat else col
    out = sk.replace_literal(col.backend, col.offsets, col.chars, pat.encode("utf-8"),
                             repl.encode("utf-8"), limit)
    if out is None:
        return None
    return plain_from_buffers(out[0], out[1], col.mask)


def _fill(xp: Any, unit: bytes, most: int) -> Any:
    """``unit`` repeated ``most`` times, as device bytes (the source of every fill)."""
    return xp.asarray(np.frombuffer(unit * max(most, 1), dtype=np.uint8))


def pad(col: Any, width: int, side: str, fillchar: str) -> Column | None:
    """Rows shorter than ``width`` characters filled with ``fillchar`` on the ``left``,
    ``right`` or ``both`` sides (``both``: an odd fill goes left when ``width`` is odd, as
    Python's ``str.center`` places it); one gather of the row and fill bytes.

    None for ``left``/``right`` on a backend with host fast paths: pyarrow's padding
    kernel (a memcpy per row) is 5x faster on the CPU than building one position per
    byte. ``both`` has no pyarrow kernel with Python's placement, so it runs here.
    """
    if side != "both" and col.backend.host_fast_paths:
        return None
    xp = col.xp
    unit = fillchar.encode("utf-8")
    missing = xp.maximum(width - sk.char_lengths(xp, col.offsets, col.chars, _ascii(col)), 0)
    if side == "left":
        left, right = missing, xp.zeros_like(missing)
    elif side == "right":
        left, right = xp.zeros_like(missing), missing
    else:
        left = missing // 2 + (missing & (width & 1))
        right = missing - left
    fill = _fill(xp, unit, width)
    zero = xp.zeros(len(col), dtype=np.int64)
    parts = [(fill, zero, left * len(unit)),
             (col.chars, col.offsets[:-1].astype(np.int64), sk.byte_lengths(col.offsets)),
             (fill, zero, right * len(unit))]
    offsets, chars = sk.scatter_parts(col.backend, parts, len(col))
    return plain_from_buffers(offsets, chars, col.mask)


def zfill(col: Any, width: int) -> Column | None:
    """Rows shorter than ``width`` characters filled with ``0`` on the left, after a
    leading ``+`` or ``-`` (Python's ``str.zfill``); None on a backend with host fast
    paths, where pyarrow's kernel is 10x faster (as for :func:`pad`)."""
    if col.backend.host_fast_paths:
        return None
    xp = col.xp
    starts = col.offsets[:-1].astype(np.int64)
    lengths = sk.byte_lengths(col.offsets)
    missing = xp.maximum(width - sk.char_lengths(xp, col.offsets, col.chars, _ascii(col)), 0)
    first = col.chars[xp.minimum(starts, max(int(col.chars.shape[0]) - 1, 0))] if col.chars.shape[0] \
        else xp.zeros(len(col), dtype=np.uint8)
    sign = ((lengths > 0) & ((first == np.uint8(43)) | (first == np.uint8(45)))).astype(np.int64)
    zero = xp.zeros(len(col), dtype=np.int64)
    parts = [(col.chars, starts, sign), (_fill(xp, b"0", width), zero, missing),
             (col.chars, starts + sign, lengths - sign)]
    offsets, chars = sk.scatter_parts(col.backend, parts, len(col))
    return plain_from_buffers(offsets, chars, col.mask)


def literal_of(pat: str, regex: bool, flags: int = 0) -> str | None:
    """The literal a pattern stands for, or None when it needs a regular-expression engine."""
    if not regex:
        return pat
    if flags or not is_literal(pat):
        return None
    return re.sub(r"\\(.)", r"\1", pat)
