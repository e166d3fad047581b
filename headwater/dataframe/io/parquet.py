"""Parquet through pyarrow: files, directories (Hive partitions included) or lists of
files, with column selection and row filters pushed into the reader.

pyarrow decodes on all cores and skips the row groups that the filters' statistics rule
out. A string column stays dictionary-encoded (never materialised row by row on the
host) when the file stores it dictionary-encoded in every row group, as the footer's
page encoding statistics say, with dictionaries small beside the rows
(:mod:`~headwater.dataframe.io.parquet_footer`); other
string columns (free text whose dictionary overflowed, names, IDs) are read as plain
strings, so no dictionary is built or unified for them by the reader.

A single file without filters is decoded column by column on all cores over a memory map
of the file (:mod:`~headwater.dataframe.io.parquet_file`), each column built on the
device while the next ones decode. Directories, lists of files and filters go through
pyarrow's dataset reader.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from headwater.dataframe.io.errors import read_error
from headwater.dataframe.io.parquet_file import is_string_type, read_file_columns
from headwater.dataframe.io.parquet_footer import dictionary_encoded_columns
from headwater.tensor.devices import Device

__all__ = ["read_parquet", "write_parquet"]

_DECIMAL_MODES = ("exact", "float")


def read_parquet(path: str | os.PathLike | Sequence[str | os.PathLike], columns: Sequence[str] | None = None,
                 filters: Any = None, device: str | Device | None = None,
                 decimal: str = "exact") -> Any:
    """Read Parquet into a DataFrame.

    Parameters
    ----------
    path : file, directory (every Parquet file under it; ``key=value`` folders become
        partition columns, as pandas and pyarrow read Hive partitions), or a list of files
    columns : list of str, optional
        Only these columns are decoded.
    filters : list of tuples, list of lists of tuples, or pyarrow expression, optional
        Row filters pushed into the reader, e.g. ``[("year", ">=", 2020)]``; row groups
        and partitions the filters rule out are never read.
    device : "cpu" or "cuda", optional
    decimal : "exact" or "float"
        ``"exact"`` (default) reads ``decimal128``/``decimal256`` columns as the decimal
        dtype (scaled int64, precision at most 18); ``"float"`` casts them to float64
        on the host first, for data whose decimals do not fit 18 digits or when float
        arithmetic is wanted.

    Notes
    -----
    A string column becomes a dictionary column when every row group of every file
    stores it dictionary-encoded and the row groups' dictionaries hold at most one entry
    per two rows (``DICTIONARY_MAX_RATIO``; a low-cardinality key), else a plain string
    column (names, IDs, free text).
    Each column reaches the device in one copy per buffer.

    Examples
    --------
    >>> import headwater as hw, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "a.parquet")
    >>> hw.DataFrame({"a": [1, 2, 3], "s": ["x", "y", "x"]}).to_parquet(path)
    >>> hw.read_parquet(path, filters=[("a", ">", 1)]).to_dict()
    {'a': [2, 3], 's': ['y', 'x']}
    >>> hw.read_parquet(path, columns=["s"]).to_dict()
    {'s': ['x', 'y', 'x']}
    """
    from headwater.dataframe.frame import DataFrame

    if decimal not in _DECIMAL_MODES:
        raise ValueError(f"decimal must be 'exact' or 'float', got {decimal!r}")
    source = [os.fspath(p) for p in path] if isinstance(path, (list, tuple)) else os.fspath(path)
    wanted = list(columns) if columns is not None else None

    def build(name: str, arr: pa.ChunkedArray, dictionary: bool, file_type: pa.DataType) -> Any:
        return _column(name, arr, dictionary, file_type, device, decimal)

    try:
        if filters is None and isinstance(source, str) and os.path.isfile(source):
            out = _read_file(source, wanted, path, build)
        else:
            table, schema, dictionary = _read_dataset(source, wanted, filters, path)
            out = {name: build(name, table.column(name), name in dictionary, schema.field(name).type)
                   for name in table.column_names if not name.startswith("__index_level_")}
    except (pa.ArrowInvalid, OSError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise read_error(path, exc) from None
    return DataFrame._from_columns(out)


def _column(name: str, arr: pa.ChunkedArray, dictionary: bool, file_type: pa.DataType,
            device: Any, decimal: str) -> Any:
    """One decoded column on the device: a dictionary string column (the row groups'
    dictionaries unified), a plain string column that keeps the file's type for
    ``to_arrow``, or whatever ``column_from_arrow`` makes of the Arrow type."""
    from headwater.dataframe.column import column_from_arrow
    from headwater.dataframe.column.plain_string import plain_from_buffers

    if decimal == "float" and pa.types.is_decimal(arr.type):
        arr = arr.cast(pa.float64())
    if dictionary:
        if arr.num_chunks > 1:
            arr = arr.unify_dictionaries()
        return column_from_arrow(arr, device, dictionary_as="string", string_type=file_type, name=name)
    col = column_from_arrow(arr, device, name=name)
    if getattr(col, "layout", None) == "plain" and arr.type != file_type:  # decoded as string, stored as views
        col = plain_from_buffers(col.offsets, col.chars, col.mask, file_type)
    return col


def _check_columns(path: Any, schema: pa.Schema, wanted: list[str] | None) -> None:
    if wanted is not None:
        missing = [c for c in wanted if c not in schema.names]
        if missing:
            raise KeyError(f"{path}: no column(s) {missing}; the file has {schema.names}")


def _string_names(schema: pa.Schema, wanted: list[str] | None) -> list[str]:
    return [f.name for f in schema if is_string_type(f.type) and (wanted is None or f.name in wanted)]


def _read_file(source: str, wanted: list[str] | None, path: Any, build: Any) -> dict[str, Any]:
    """One file without filters: decoded on all cores from the file mapped into memory
    (:mod:`~headwater.dataframe.io.parquet_file`), each column built as it comes in."""
    with pa.memory_map(source) as mapped:
        meta = pq.ParquetFile(mapped).metadata
        schema = meta.schema.to_arrow_schema()
        _check_columns(path, schema, wanted)
        names = [n for n in (wanted if wanted is not None else schema.names) if not n.startswith("__index_level_")]
        mapped.seek(0)
        out, _ = read_file_columns(source, names, schema, meta, mapped, build)
    return out


def _read_dataset(source: Any, wanted: list[str] | None, filters: Any,
                  path: Any) -> tuple[pa.Table, pa.Schema, set[str]]:
    """Directories (Hive partitions), lists of files and filters: pyarrow's dataset reader,
    which skips the row groups and partitions that the filters rule out."""
    dataset = pads.dataset(source, format="parquet", partitioning="hive")
    schema = dataset.schema
    _check_columns(path, schema, wanted)
    dictionary = _dictionary_columns(dataset, _string_names(schema, wanted))
    table = pq.read_table(source, columns=wanted, filters=filters, partitioning="hive",
                          read_dictionary=sorted(dictionary) or None, use_threads=True,
                          schema=_plain_strings_as_large(schema, dictionary))
    return table, schema, dictionary


def _dictionary_columns(dataset: pads.Dataset, strings: list[str]) -> set[str]:
    """The string columns dictionary-encoded in every row group of every file."""
    if not strings:
        return set()
    found = set(strings)
    fs = dataset.filesystem
    for file in dataset.files:
        with fs.open_input_file(file) as handle:
            found &= dictionary_encoded_columns(handle, found)
        if not found:
            break
    return found


def _plain_strings_as_large(schema: pa.Schema, dictionary: set[str]) -> pa.Schema | None:
    """The schema to decode with: plain ``string_view`` columns as ``large_string``, Arrow's
    offsets + bytes layout, which the decoder writes directly (cheaper than views and a
    cast after); None when nothing changes."""
    if not any(pa.types.is_string_view(f.type) and f.name not in dictionary for f in schema):
        return None
    fields = [f.with_type(pa.dictionary(pa.int32(), pa.string())) if f.name in dictionary
              else f.with_type(pa.large_string()) if pa.types.is_string_view(f.type) else f
              for f in schema]
    return pa.schema(fields, metadata=schema.metadata)


def write_parquet(frame: Any, path: str | os.PathLike, partition_cols: Sequence[str] | None = None,
                  **kwargs: Any) -> None:
    """Write ``frame`` to one Parquet file, or with ``partition_cols`` to a Hive-partitioned
    directory (one ``name=value`` folder level per column, as pandas writes it).

    Keyword arguments go to ``pyarrow.parquet.write_table`` (``compression=``,
    ``row_group_size=``, ...) or ``write_to_dataset``.

    Examples
    --------
    >>> import headwater as hw, tempfile, os
    >>> root = tempfile.mkdtemp()
    >>> hw.DataFrame({"y": [2020, 2021, 2020], "v": [1.0, 2.0, 3.0]}).to_parquet(root, partition_cols=["y"])
    >>> sorted(os.listdir(root))
    ['y=2020', 'y=2021']
    >>> hw.read_parquet(root).sort_values("v").to_dict()
    {'v': [1.0, 2.0, 3.0], 'y': [2020, 2021, 2020]}
    """
    table = frame.to_arrow()
    if partition_cols:
        missing = [c for c in partition_cols if c not in table.column_names]
        if missing:
            raise KeyError(f"partition_cols {missing} are not columns of the frame; it has {table.column_names}")
        pq.write_to_dataset(table, root_path=os.fspath(path), partition_cols=list(partition_cols), **kwargs)
        return
    pq.write_table(table, path, **kwargs)
