"""One Parquet file decoded on all cores: each column (or each run of row groups of a
column too large for one core's share) is decoded by its own task on the shared worker
pool, and each column is built on the device as soon as its pieces are in, while the
next ones decode.

pyarrow's own threaded read parallelises over columns only, so a file whose bytes are
mostly one column (a free-text comment) decodes on one core; here such a column is split
into runs of row groups, one task each, largest first. Strings stored as ``string_view``
are turned into the offsets layout (``string``) inside the task that decoded them. The
file is read through a memory map (its bytes are not first copied into the process);
any buffer that points into the map is copied before the map closes. Reads are not
pre-buffered: slices of a map cost nothing, and pre-buffering would hand every read to
pyarrow's I/O threads and wait for them.

Small files (under ``INLINE_BYTES`` of uncompressed data) are decoded in one call on
the calling thread: handing work to threads would cost more than it saves.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, wait
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from headwater.dataframe.io.parquet_footer import dictionary_encoded_columns
from headwater.tensor.backend.threads import num_threads, submit

__all__ = ["INLINE_BYTES", "is_string_type", "read_file_columns"]

INLINE_BYTES = 8 << 20
_SAMPLED_GROUPS = 8  # row groups whose sizes estimate each column's share of the work

Build = Callable[[str, pa.ChunkedArray, bool, pa.DataType], Any]


def is_string_type(t: pa.DataType) -> bool:
    """``string``, ``large_string`` or ``string_view``."""
    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)


def read_file_columns(source: str, names: Sequence[str], schema: pa.Schema, meta: pq.FileMetaData,
                      mapped: pa.MemoryMappedFile, build: Build) -> tuple[dict[str, Any], set[str]]:
    """``{name: build(name, array, dictionary, file_type)}`` for the columns ``names`` of the
    memory-mapped file ``source``, and the names read as dictionaries.

    ``build`` runs on the calling thread (device uploads stay there), once per column,
    in the order the columns finish decoding.
    """
    strings = [n for n in names if is_string_type(schema.field(n).type)]
    region = mapped.read_buffer(1).address, mapped.size()
    mapped.seek(0)
    sizes = _column_bytes(meta, schema, names)
    workers = num_threads()
    if workers <= 1 or sum(sizes.values()) < INLINE_BYTES:
        dictionary = _dictionary(source, strings)
        reader = pq.ParquetFile(mapped, metadata=meta, read_dictionary=sorted(dictionary) or None,
                                pre_buffer=False)
        table = _detached(reader.read(columns=list(names), use_threads=False), region)
        out = {n: build(n, _offsets_layout(table.column(i)), n in dictionary, schema.field(n).type)
               for i, n in enumerate(names)}
        return out, dictionary
    pieces = _pieces(meta, names, sizes, workers)
    pending: dict[Any, tuple[str, int]] = {}
    parts: dict[str, list[Any]] = {n: [None] * len(pieces[n]) for n in names}

    def start(name: str, dictionary: bool) -> None:
        for k, groups in enumerate(pieces[name]):
            future = submit(_decode, mapped, meta, name, groups, dictionary, region)
            pending[future] = (name, k)

    # the largest non-string columns keep the workers busy while the footer is read
    order = sorted(names, key=lambda n: -sizes[n])
    first = [n for n in order if n not in strings][:workers]
    for name in first:
        start(name, False)
    dictionary = _dictionary(source, strings)
    for name in order:
        if name not in first:
            start(name, name in dictionary)
    out: dict[str, Any] = {}
    try:
        while pending:
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in done:
                name, k = pending.pop(future)
                parts[name][k] = future.result()
                if all(p is not None for p in parts[name]):
                    chunks = [c for p in parts.pop(name) for c in p.chunks]
                    arr = pa.chunked_array(chunks, chunks[0].type)
                    out[name] = build(name, arr, name in dictionary, schema.field(name).type)
    finally:
        for future in pending:  # an error: let the others finish before the map closes
            future.cancel()
        wait(list(pending))
    return {n: out[n] for n in names}, dictionary


def _dictionary(source: str, strings: list[str]) -> set[str]:
    if not strings:
        return set()
    with open(source, "rb") as handle:
        return dictionary_encoded_columns(handle, strings)


def _column_bytes(meta: pq.FileMetaData, schema: pa.Schema, names: Sequence[str]) -> dict[str, float]:
    """Each top-level column's uncompressed bytes, estimated from a few row groups."""
    top = [meta.schema.column(j).path.split(".")[0] for j in range(meta.num_columns)]
    groups = meta.num_row_groups
    if groups == 0:
        return {n: 0.0 for n in names}
    step = max(1, groups // _SAMPLED_GROUPS)
    sampled = range(0, groups, step)
    totals = dict.fromkeys(names, 0.0)
    for i in sampled:
        rg = meta.row_group(i)
        for j, name in enumerate(top):
            if name in totals:
                totals[name] += rg.column(j).total_uncompressed_size
    scale = groups / len(sampled)
    return {n: v * scale for n, v in totals.items()}


def _pieces(meta: pq.FileMetaData, names: Sequence[str], sizes: dict[str, float],
            workers: int) -> dict[str, list[list[int] | None]]:
    """The tasks of each column: all its row groups at once (None), or runs of row groups
    when the column alone is more than one worker's share of the file."""
    groups = meta.num_row_groups
    share = sum(sizes.values()) / workers
    out: dict[str, list[list[int] | None]] = {}
    for name in names:
        k = min(groups, math.ceil(sizes[name] / share)) if share > 0 else 1
        if k <= 1:
            out[name] = [None]
        else:
            bounds = [groups * i // k for i in range(k + 1)]
            out[name] = [list(range(a, b)) for a, b in zip(bounds[:-1], bounds[1:])]
    return out


def _decode(mapped: pa.MemoryMappedFile, meta: pq.FileMetaData, name: str, groups: list[int] | None,
            dictionary: bool, region: tuple[int, int]) -> pa.ChunkedArray:
    """One task: a column (or some of its row groups) decoded on this thread alone."""
    reader = pq.ParquetFile(mapped, metadata=meta, read_dictionary=[name] if dictionary else None,
                            pre_buffer=False)
    if groups is None:
        table = reader.read(columns=[name], use_threads=False)
    else:
        table = reader.read_row_groups(groups, columns=[name], use_threads=False)
    return _offsets_layout(_detached(table, region).column(0))


def _offsets_layout(arr: pa.ChunkedArray) -> pa.ChunkedArray:
    """``string_view`` chunks as ``string`` (``large_string`` past 2**31 bytes): the plain
    string column's layout, cast here, where the column was decoded."""
    if not pa.types.is_string_view(arr.type):
        return arr
    from headwater.dataframe.column.plain_string import view_as_offsets

    chunks = [view_as_offsets(c) for c in arr.chunks]
    if any(c.type != chunks[0].type for c in chunks):
        chunks = [c.cast(pa.large_string()) for c in chunks]
    return pa.chunked_array(chunks, chunks[0].type if chunks else pa.string())


def _detached(table: pa.Table, region: tuple[int, int]) -> pa.Table:
    """``table`` with no buffer inside the mapped file (which may change or vanish after
    the read): pyarrow's decoder writes every column into memory of its own, and a column
    that did point into the file would be copied."""
    start, size = region

    def inside(arr: pa.Array) -> bool:
        if any(b is not None and start <= b.address < start + size for b in arr.buffers()):
            return True
        return any(inside(child) for child in _children(arr))

    for i in range(table.num_columns):
        col = table.column(i)
        if any(inside(chunk) for chunk in col.chunks):
            table = table.set_column(i, table.field(i), pa.chunked_array([_copy(c) for c in col.chunks], col.type))
    return table


def _children(arr: pa.Array) -> list[pa.Array]:
    t = arr.type
    if pa.types.is_dictionary(t):
        return [arr.dictionary]
    if pa.types.is_struct(t):
        return [arr.field(i) for i in range(t.num_fields)]
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t) or pa.types.is_map(t):
        return [arr.values]
    return []


def _copy(arr: pa.Array) -> pa.Array:
    """``arr`` in new buffers (joining arrays always allocates; a dictionary's values too)."""
    if pa.types.is_dictionary(arr.type):
        return pa.DictionaryArray.from_arrays(_copy(arr.indices), _copy(arr.dictionary),
                                              ordered=arr.type.ordered)
    return pa.concat_arrays([arr, arr.slice(0, 0)])
