"""Which Parquet columns are dictionary-encoded in every row group, from the footer alone.

pyarrow's ``FileMetaData`` lists a column chunk's encodings but not which pages use
which: ``PLAIN`` appears both for a dictionary page and for data pages that fell back
to plain encoding once the dictionary grew too large, so the list cannot tell a
dictionary column from a free-text one. The footer's Thrift ``ColumnMetaData`` also
holds ``encoding_stats`` (page type, encoding, count per page kind), which can. This
module reads the footer bytes (the file's last few kilobytes, no data pages) and walks
the Thrift compact protocol to those stats. Writers that omit them fall back to the
encodings list: a chunk with a dictionary page and no ``PLAIN`` data encoding.

A column stored dictionary-encoded can still be nearly all distinct values (names,
phone numbers, IDs whose every row group fits its dictionary page): reading it as a
dictionary would only cost a unification of large dictionaries across row groups. So
the number of entries of each row group's dictionary is read too, from the dictionary
page's header (a few bytes at the offset the footer gives, no data page is read), and a
column whose dictionaries hold more than ``DICTIONARY_MAX_RATIO`` (one half) entries
per row, summed over its row groups, is read plain.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from typing import Any

__all__ = ["DICTIONARY_MAX_RATIO", "dictionary_encoded_columns"]

# a column whose row groups' dictionaries together hold more entries than this many per
# row (each value used fewer than twice per row group on average) is read plain
DICTIONARY_MAX_RATIO = 0.5

# Thrift compact protocol type ids
_BOOL_TRUE, _BOOL_FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY, _LIST, _SET, _MAP, _STRUCT = range(1, 13)
_DATA_PAGES = (0, 3)  # DATA_PAGE, DATA_PAGE_V2
_DICTIONARY_ENCODINGS = (2, 8)  # PLAIN_DICTIONARY, RLE_DICTIONARY
_DICTIONARY_PAGE = 2
_PAGE_HEADER_BYTES = 256  # a dictionary page header is some 20 bytes


class _Reader:
    """A cursor over compact-protocol bytes: varints, field headers, skipping values."""

    def __init__(self, buf: bytes) -> None:
        self.buf = buf
        self.pos = 0

    def varint(self) -> int:
        buf, pos = self.buf, self.pos
        byte = buf[pos]
        if byte < 0x80:  # most values fit one byte
            self.pos = pos + 1
            return byte
        out, shift = byte & 0x7F, 7
        while True:
            pos += 1
            byte = buf[pos]
            out |= (byte & 0x7F) << shift
            if byte < 0x80:
                self.pos = pos + 1
                return out
            shift += 7

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def fields(self) -> Iterable[tuple[int, int]]:
        """(field id, type) of each field of the struct at the cursor, until its stop byte."""
        last = 0
        while True:
            header = self.buf[self.pos]
            self.pos += 1
            if header == 0:
                return
            delta, kind = header >> 4, header & 0x0F
            last = last + delta if delta else self.zigzag()
            yield last, kind

    def list_header(self) -> tuple[int, int]:
        header = self.buf[self.pos]
        self.pos += 1
        size, kind = header >> 4, header & 0x0F
        if size == 15:
            size = self.varint()
        return size, kind

    def binary(self) -> bytes:
        n = self.varint()
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out

    def skip(self, kind: int) -> None:
        if kind in (_BOOL_TRUE, _BOOL_FALSE):
            return
        if kind == _BYTE:
            self.pos += 1
        elif kind in (_I16, _I32, _I64):
            buf, pos = self.buf, self.pos
            while buf[pos] >= 0x80:
                pos += 1
            self.pos = pos + 1
        elif kind == _DOUBLE:
            self.pos += 8
        elif kind == _BINARY:
            n = self.varint()  # read before the add: the varint moves the cursor
            self.pos += n
        elif kind in (_LIST, _SET):
            size, item = self.list_header()
            for _ in range(size):
                self.skip_item(item)
        elif kind == _MAP:
            size = self.varint()
            if size:
                kinds = self.buf[self.pos]
                self.pos += 1
                for _ in range(size):
                    self.skip_item(kinds >> 4)
                    self.skip_item(kinds & 0x0F)
        elif kind == _STRUCT:
            for _, inner in self.fields():
                self.skip(inner)
        else:
            raise ValueError(f"unknown Thrift compact type {kind}")

    def skip_item(self, kind: int) -> None:
        if kind in (_BOOL_TRUE, _BOOL_FALSE):  # a bool inside a list is one byte
            self.pos += 1
        else:
            self.skip(kind)


class _Chunk:
    """What the layout decision needs of one column chunk."""

    __slots__ = ("path", "dictionary_only", "rows", "dictionary_page")

    def __init__(self, path: str, dictionary_only: bool, rows: int, dictionary_page: int | None) -> None:
        self.path, self.dictionary_only, self.rows, self.dictionary_page = path, dictionary_only, rows, dictionary_page


def _column_meta(r: _Reader) -> _Chunk:
    """One ColumnMetaData: its dotted path, whether every data page is dictionary-encoded,
    its number of values and where its dictionary page starts."""
    path: list[str] = []
    encodings: list[int] = []
    stats: list[tuple[int, int, int]] | None = None
    dictionary_page = data_page = None
    rows = 0
    for fid, kind in r.fields():
        if fid == 2 and kind == _LIST:  # encodings
            size, _ = r.list_header()
            encodings = [r.zigzag() for _ in range(size)]
        elif fid == 3 and kind == _LIST:  # path_in_schema
            size, _ = r.list_header()
            path = [r.binary().decode("utf-8", "replace") for _ in range(size)]
        elif fid == 5 and kind == _I64:  # num_values
            rows = r.zigzag()
        elif fid == 9 and kind == _I64:  # data_page_offset
            data_page = r.zigzag()
        elif fid == 11 and kind == _I64:  # dictionary_page_offset
            dictionary_page = r.zigzag()
        elif fid == 13 and kind == _LIST:  # encoding_stats
            size, _ = r.list_header()
            stats = []
            for _ in range(size):
                page_type = encoding = count = 0
                for sfid, skind in r.fields():
                    if sfid in (1, 2, 3) and skind == _I32:
                        value = r.zigzag()
                        page_type, encoding, count = (
                            (value, encoding, count) if sfid == 1 else
                            (page_type, value, count) if sfid == 2 else (page_type, encoding, value)
                        )
                    else:
                        r.skip(skind)
                stats.append((page_type, encoding, count))
        else:
            r.skip(kind)
    if stats is not None:
        data = [(enc, n) for page, enc, n in stats if page in _DATA_PAGES and n > 0]
        only = bool(data) and all(enc in _DICTIONARY_ENCODINGS for enc, _ in data)
        has_dictionary = any(page == _DICTIONARY_PAGE for page, _, _ in stats) or dictionary_page is not None
    else:
        has_dictionary = dictionary_page is not None
        only = has_dictionary and 0 not in encodings
    # some writers leave dictionary_page_offset out and start the chunk with the dictionary
    # page at data_page_offset; the page header's type tells
    page = dictionary_page if dictionary_page is not None else data_page if has_dictionary else None
    return _Chunk(".".join(path), only, rows, page)


def _row_group_chunks(r: _Reader) -> list[_Chunk]:
    out: list[_Chunk] = []
    for fid, kind in r.fields():
        if fid == 1 and kind == _LIST:  # columns: list<ColumnChunk>
            size, _ = r.list_header()
            for _ in range(size):
                for cfid, ckind in r.fields():
                    if cfid == 3 and ckind == _STRUCT:  # meta_data
                        out.append(_column_meta(r))
                    else:
                        r.skip(ckind)
        else:
            r.skip(kind)
    return out


def _dictionary_entries(handle: Any, offset: int) -> int | None:
    """The number of values of the dictionary page whose header starts at ``offset``, or
    None when no dictionary page is there (or its header cannot be read)."""
    handle.seek(offset)
    r = _Reader(handle.read(_PAGE_HEADER_BYTES))
    page_type = entries = None
    try:
        for fid, kind in r.fields():  # PageHeader
            if fid == 1 and kind == _I32:
                page_type = r.zigzag()
            elif fid == 7 and kind == _STRUCT:  # dictionary_page_header
                for dfid, dkind in r.fields():
                    if dfid == 1 and dkind == _I32:
                        entries = r.zigzag()
                    else:
                        r.skip(dkind)
                break
            else:
                r.skip(kind)
    except (IndexError, ValueError):  # not a page header, or longer than the bytes read
        return None
    return entries if page_type == _DICTIONARY_PAGE else None


def _footer_bytes(handle: Any) -> bytes:
    handle.seek(-8, 2)
    tail = handle.read(8)
    if tail[4:] != b"PAR1":
        raise ValueError("not a Parquet file (no PAR1 magic at its end)")
    (length,) = struct.unpack("<i", tail[:4])
    handle.seek(-8 - length, 2)
    return handle.read(length)


def dictionary_encoded_columns(handle: Any, names: Iterable[str],
                               max_ratio: float = DICTIONARY_MAX_RATIO) -> set[str]:
    """The top-level columns among ``names`` to read as dictionaries, from the footer of
    the open binary file ``handle`` and the headers of their dictionary pages: every data
    page, in every row group, is dictionary-encoded, and the row groups' dictionaries hold
    at most ``max_ratio`` entries per row in all.

    Examples
    --------
    >>> import io, pyarrow as pa, pyarrow.parquet as pq
    >>> from headwater.dataframe.io.parquet_footer import dictionary_encoded_columns
    >>> buf = io.BytesIO()
    >>> pq.write_table(pa.table({"k": ["a", "b"] * 50, "t": [str(i) for i in range(100)]}), buf,
    ...                use_dictionary=["k"])
    >>> sorted(dictionary_encoded_columns(buf, ["k", "t"]))
    ['k']
    >>> buf = io.BytesIO()  # "t" is dictionary-encoded too, but all its values differ
    >>> pq.write_table(pa.table({"k": ["a", "b"] * 50, "t": [str(i) for i in range(100)]}), buf)
    >>> sorted(dictionary_encoded_columns(buf, ["k", "t"]))
    ['k']
    """
    wanted = set(names)
    r = _Reader(_footer_bytes(handle))
    found: dict[str, list[_Chunk]] = {}
    refused: set[str] = set()
    groups = 0
    for fid, kind in r.fields():
        if fid == 4 and kind == _LIST:  # row_groups
            size, _ = r.list_header()
            for _ in range(size):
                groups += 1
                for chunk in _row_group_chunks(r):
                    if chunk.path not in wanted or chunk.path in refused:
                        continue
                    if chunk.dictionary_only and chunk.dictionary_page is not None:
                        found.setdefault(chunk.path, []).append(chunk)
                    else:
                        refused.add(chunk.path)
        else:
            r.skip(kind)
    if groups == 0:
        return set()
    out = set()
    for name, chunks in found.items():
        if name in refused:
            continue
        rows = sum(c.rows for c in chunks)
        entries = 0
        for c in chunks:
            n = _dictionary_entries(handle, c.dictionary_page)
            if n is None:
                break
            entries += n
            if entries > max_ratio * rows:
                break
        else:
            out.add(name)
    return out
