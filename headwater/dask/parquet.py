"""hwd.read_parquet: one partition per file, or per span of row groups; hwd.to_parquet.

The driver reads only footers: the file list (a glob, a list, or a directory with
``key=value`` hive folders), each file's schema (all must agree, else a
SchemaMismatchError naming the file and the column), and, with ``filters``, which
row groups and hive folders their statistics and values rule out. Each task reads its
span with string columns dictionary-encoded, as ``hw.read_parquet`` does.
"""

from __future__ import annotations

import glob as globbing
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.fs as pafs
import pyarrow.parquet as pq
from dask.highlevelgraph import HighLevelGraph

from headwater.dask import collection
from headwater.dask.schema import check_same_schema
from headwater.dataframe.column import column_from_arrow
from headwater.dataframe.frame import DataFrame as HwFrame

__all__ = ["read_parquet", "to_parquet"]


def _is_string(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def _files(path: Any) -> tuple[list[str], pads.Dataset | None]:
    """The files to read, and the hive dataset when ``path`` is a directory."""
    if isinstance(path, (list, tuple)):
        files = [os.fspath(p) for p in path]
    else:
        path = os.fspath(path)
        if os.path.isdir(path):
            dataset = pads.dataset(path, format="parquet", partitioning="hive")
            return sorted(dataset.files), dataset
        files = sorted(globbing.glob(path)) if globbing.has_magic(path) else [path]
    if not files:
        raise FileNotFoundError(f"no Parquet files match {path!r}")
    for f in files:
        if not os.path.isfile(f):
            raise FileNotFoundError(f"no such Parquet file: {f!r}")
    return files, None


def _to_frame(table: pa.Table, strings: set[str], types: dict[str, pa.DataType], device: Any) -> HwFrame:
    out = {}
    for name in table.column_names:
        if name.startswith("__index_level_"):
            continue
        arr = table.column(name)
        if name in strings:
            out[name] = column_from_arrow(arr, device, dictionary_as="string", string_type=types[name])
        else:
            out[name] = column_from_arrow(arr, device)
    return HwFrame._from_columns(out)


def _constant(value: Any, n: int, type_: pa.DataType) -> pa.Array:
    if pa.types.is_dictionary(type_) or _is_string(type_):
        return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int32)), pa.array([value]))
    return pa.array(np.full(n, value)).cast(type_)


def _read_span(path: str, row_groups: list[int] | None, columns: list[str] | None, filter_: Any,
               hive: dict[str, Any], hive_types: dict[str, pa.DataType], strings: set[str],
               types: dict[str, pa.DataType], device: Any) -> HwFrame:
    """One partition: ``row_groups`` of ``path`` (all when None), filtered, as a Headwater frame."""
    handle = pq.ParquetFile(path, read_dictionary=sorted(strings & set(pq.read_schema(path).names)) or None)
    wanted = None if columns is None else [c for c in columns if c not in hive]
    table = handle.read(columns=wanted) if row_groups is None else handle.read_row_groups(row_groups, columns=wanted)
    for name, value in hive.items():
        if columns is None or name in columns or filter_ is not None:
            table = table.append_column(name, _constant(value, len(table), hive_types[name]))
    if filter_ is not None:
        table = table.filter(filter_)
    if columns is not None:
        table = table.select(list(columns))
    if strings:
        table = table.unify_dictionaries()
    return _to_frame(table, strings | {n for n in hive if _is_string(hive_types[n].value_type
                                                                       if pa.types.is_dictionary(hive_types[n])
                                                                       else hive_types[n])},
                     {**types, **{n: pa.string() for n in hive}}, device)


def read_parquet(path: str | os.PathLike | Sequence[str], columns: Sequence[str] | None = None,
                 filters: Any = None, split_row_groups: int | bool = False, device: Any = None) -> Any:
    """Read Parquet files lazily into an hwd.DataFrame.

    Parameters
    ----------
    path : a file, a glob (``"data/*.parquet"``), a list of files, or a directory
        (its files, with ``key=value`` folders read as columns, as ``to_parquet(partition_cols=)`` writes)
    columns : list of str, optional
    filters : list of tuples or a pyarrow expression, optional
        Pushed into the reader; row groups and folders whose statistics rule them out are not read.
    split_row_groups : int or bool
        False (default): one partition per file; an int ``k``: one per ``k`` row groups.
    device : where each partition lives (default: the worker's current device)

    Examples
    --------
    >>> import headwater as hw, headwater.dask as hwd, tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> for i in range(3):
    ...     hw.DataFrame({"a": [i, i + 10], "s": ["x", "y"]}).to_parquet(os.path.join(folder, f"{i}.parquet"))
    >>> d = hwd.read_parquet(os.path.join(folder, "*.parquet"), filters=[("a", ">", 1)])
    >>> d.npartitions, d.compute().to_dict()
    (3, {'a': [10, 11, 2, 12], 's': ['y', 'y', 'x', 'y']})
    """
    files, dataset = _files(path)
    filter_ = pq.filters_to_expression(filters) if isinstance(filters, list) else filters
    schema = pq.read_schema(files[0])
    hive_names = set() if dataset is None else {n for n in dataset.schema.names if n not in schema.names}
    in_files = None if columns is None else [c for c in columns if c not in hive_names]
    for f in files[1:]:
        check_same_schema(files[0], schema, f, pq.read_schema(f), in_files)
    names = list(columns) if columns is not None else [n for n in schema.names if not n.startswith("__index_level_")]
    hive_types: dict[str, pa.DataType] = {}
    hive_of: dict[str, dict[str, Any]] = {f: {} for f in files}
    keep = set(files)
    if dataset is not None:
        hive_types = {n: dataset.schema.field(n).type for n in dataset.schema.names if n not in schema.names}
        if columns is None:
            names += list(hive_types)
        kept = dataset.get_fragments(filter=filter_) if filter_ is not None else dataset.get_fragments()
        keep = set()
        for fragment in kept:
            keep.add(fragment.path)
            hive_of[fragment.path] = pads.get_partition_keys(fragment.partition_expression)
    missing = [c for c in names if c not in schema.names and c not in hive_types]
    if missing:
        raise KeyError(f"columns {missing} not in {files[0]}; it has {schema.names}")
    strings = {f.name for f in schema if _is_string(f.type)}
    types = {f.name: f.type for f in schema}
    spans: list[tuple[str, list[int] | None]] = []
    for f in files:
        if f not in keep:
            continue
        if not split_row_groups:
            spans.append((f, None))
            continue
        step = int(split_row_groups)
        fragment = pads.ParquetFileFormat().make_fragment(f, filesystem=pafs.LocalFileSystem())
        groups = [g.id for rg in (fragment.split_by_row_group(filter_, schema=schema) if filter_ is not None
                                  and not hive_of[f] else fragment.split_by_row_group())
                  for g in rg.row_groups]
        spans.extend((f, groups[i:i + step]) for i in range(0, len(groups), step))
    meta_table = pa.schema([schema.field(n) if n in schema.names else pa.field(n, hive_types[n])
                            for n in names]).empty_table()
    meta = _to_frame(meta_table, strings | {n for n in hive_types}, {**types, **{n: pa.string() for n in hive_types}},
                     device)
    token = [(f, os.path.getmtime(f), rg) for f, rg in spans]
    name = collection.fresh_name("read-parquet", token, columns, str(filter_), device)
    cols = None if columns is None else list(columns)
    dsk = {(name, i): (_read_span, f, rg, cols, filter_, hive_of[f], hive_types, strings, types, device)
           for i, (f, rg) in enumerate(spans)}
    if not dsk:
        dsk = {(name, 0): meta}
    return collection.new_collection(name, dsk, [], len(dsk), meta)


def _write(frame: Any, path: str, i: int, partition_cols: list[str] | None) -> None:
    table = frame.to_arrow() if not frame._keys else frame.reset_index().to_arrow()
    if partition_cols:
        pq.write_to_dataset(table, path, partition_cols=partition_cols, basename_template=f"part.{i}.{{i}}.parquet",
                            existing_data_behavior="overwrite_or_ignore")
    else:
        pq.write_table(table, os.path.join(path, f"part.{i}.parquet"))


def _done(results: list[None]) -> None:
    return None


def to_parquet(frame: Any, path: str | os.PathLike, partition_cols: list[str] | None = None,
               compute: bool = True) -> Any:
    """Write one Parquet file per partition into the directory ``path`` (``part.<i>.parquet``).

    With ``partition_cols``, rows go to ``key=value`` folders (hive layout), one file
    per partition and folder; ``hwd.read_parquet(path)`` reads the columns back.
    With ``compute=False`` the write is returned lazily (an hwd Scalar).

    Examples
    --------
    >>> import headwater as hw, headwater.dask as hwd, tempfile, os
    >>> out = tempfile.mkdtemp()
    >>> d = hwd.from_headwater(hw.DataFrame({"y": [1, 2, 1], "v": [0.5, 1.5, 2.5]}), npartitions=2)
    >>> d.to_parquet(out, partition_cols=["y"])
    >>> sorted(os.listdir(out))
    ['y=1', 'y=2']
    >>> hwd.read_parquet(out).compute().sort_values("v").to_dict()
    {'v': [0.5, 1.5, 2.5], 'y': [1, 2, 1]}
    """
    path = os.fspath(path)
    os.makedirs(path, exist_ok=True)
    if partition_cols is not None:
        partition_cols = [partition_cols] if isinstance(partition_cols, str) else list(partition_cols)
        frame._check_columns(partition_cols)
    name = collection.fresh_name("to-parquet", frame._name, path, partition_cols)
    writes = f"write-{name}"
    dsk: dict[Any, Any] = {(writes, i): (_write, (frame._name, i), path, i, partition_cols)
                           for i in range(frame.npartitions)}
    dsk[(name, 0)] = (_done, [(writes, i) for i in range(frame.npartitions)])
    result = collection.Scalar(HighLevelGraph.from_collections(name, dsk, dependencies=[frame]), name)
    return result.compute() if compute else result
