"""Which Parquet columns are dictionary-encoded in every row group, from the footer alone.

pyarrow's ``FileMetaData`` lists a column chunk's encodings but not which pages use
which: ``PLAIN`` appears both for a dictionary page and for data pages that fell back
to plain encoding once the dictionary grew too large, so the list cannot tell a
dictionary column from a free-text one. The footer's Thrift ``ColumnMetaData`` also
holds ``encoding_stats`` (page type, encoding, count per page kind), which can. This
module reads the footer bytes (the file's last few kilobytes, no data pages) and walks
the Thrift compact protocol to those stats. Writers that omit them fall back to the
encodings list: a chunk with a dictionary page and no ``PLAIN`` data encoding.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from typing import Any

__all__ = ["dictionary_encoded_columns"]

# Thrift compact protocol type ids
_BOOL_TRUE, _BOOL_FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY, _LIST, _SET, _MAP, _STRUCT = range(1, 13)
_DATA_PAGES = (0, 3)  # DATA_PAGE, DATA_PAGE_V2
_DICTIONARY_ENCODINGS = (2, 8)  # PLAIN_DICTIONARY, RLE_DICTIONARY


class _Reader:
    """A cursor over compact-protocol bytes: varints, field headers, skipping values."""

    def __init__(self, buf: bytes) -> None:
        self.buf = buf
        self.pos = 0

    def varint(self) -> int:
        out, shift = 0, 0
        while True:
            byte = self.buf[self.pos]
            self.pos += 1
            out |= (byte & 0x7F) << shift
            if byte < 0x80:
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
            self.varint()
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


def _column_meta(r: _Reader) -> tuple[str, bool]:
    """(dotted path, dictionary-encoded in every data page) of one ColumnMetaData."""
    path: list[str] = []
    encodings: list[int] = []
    stats: list[tuple[int, int, int]] | None = None
    has_dictionary = False
    for fid, kind in r.fields():
        if fid == 2 and kind == _LIST:  # encodings
            size, _ = r.list_header()
            encodings = [r.zigzag() for _ in range(size)]
        elif fid == 3 and kind == _LIST:  # path_in_schema
            size, _ = r.list_header()
            path = [r.binary().decode("utf-8", "replace") for _ in range(size)]
        elif fid == 11 and kind == _I64:  # dictionary_page_offset
            r.varint()
            has_dictionary = True
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
        return ".".join(path), bool(data) and all(enc in _DICTIONARY_ENCODINGS for enc, _ in data)
    return ".".join(path), has_dictionary and 0 not in encodings


def _row_group_flags(r: _Reader) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for fid, kind in r.fields():
        if fid == 1 and kind == _LIST:  # columns: list<ColumnChunk>
            size, _ = r.list_header()
            for _ in range(size):
                for cfid, ckind in r.fields():
                    if cfid == 3 and ckind == _STRUCT:  # meta_data
                        name, flag = _column_meta(r)
                        out[name] = flag
                    else:
                        r.skip(ckind)
        else:
            r.skip(kind)
    return out


def _footer_bytes(handle: Any) -> bytes:
    handle.seek(-8, 2)
    tail = handle.read(8)
    if tail[4:] != b"PAR1":
        raise ValueError("not a Parquet file (no PAR1 magic at its end)")
    (length,) = struct.unpack("<i", tail[:4])
    handle.seek(-8 - length, 2)
    return handle.read(length)


def dictionary_encoded_columns(handle: Any, names: Iterable[str]) -> set[str]:
    """The top-level columns among ``names`` whose every data page, in every row group,
    is dictionary-encoded, read from the footer of the open binary file ``handle``.

    Examples
    --------
    >>> import io, pyarrow as pa, pyarrow.parquet as pq
    >>> from headwater.dataframe.io.parquet_footer import dictionary_encoded_columns
    >>> buf = io.BytesIO()
    >>> pq.write_table(pa.table({"k": ["a", "b"] * 50, "t": [str(i) for i in range(100)]}), buf,
    ...                use_dictionary=["k"])
    >>> sorted(dictionary_encoded_columns(buf, ["k", "t"]))
    ['k']
    """
    wanted = set(names)
    r = _Reader(_footer_bytes(handle))
    flags: dict[str, bool] = {}
    groups = 0
    for fid, kind in r.fields():
        if fid == 4 and kind == _LIST:  # row_groups
            size, _ = r.list_header()
            for _ in range(size):
                groups += 1
                for name, flag in _row_group_flags(r).items():
                    flags[name] = flags.get(name, True) and flag
        else:
            r.skip(kind)
    if groups == 0:
        return set()
    return {name for name, flag in flags.items() if flag and name in wanted}
