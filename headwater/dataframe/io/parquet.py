"""Parquet through pyarrow: files, directories or lists of files, with pushdown filters.

String columns are read dictionary-encoded straight from the file, so their rows are
never materialised as Python or Arrow strings on the host.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from headwater.dataframe.io.errors import read_error
from headwater.tensor.devices import Device

__all__ = ["read_parquet", "write_parquet"]


def _is_string(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def read_parquet(path: str | os.PathLike | Sequence[str], columns: Sequence[str] | None = None,
                 filters: Any = None, device: str | Device | None = None) -> Any:
    """Read Parquet into a DataFrame.

    Parameters
    ----------
    path : file, directory (all its files), or a list of files
    columns : list of str, optional
    filters : list of tuples or pyarrow expression, optional
        Row filters pushed into the reader, e.g. ``[("year", ">=", 2020)]``.

    Examples
    --------
    >>> import headwater as hw, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "a.parquet")
    >>> hw.DataFrame({"a": [1, 2, 3], "s": ["x", "y", "x"]}).to_parquet(path)
    >>> hw.read_parquet(path, filters=[("a", ">", 1)]).to_dict()
    {'a': [2, 3], 's': ['y', 'x']}
    """
    from headwater.dataframe.column import column_from_arrow
    from headwater.dataframe.frame import DataFrame

    source = [os.fspath(p) for p in path] if isinstance(path, (list, tuple)) else os.fspath(path)
    try:
        schema = pads.dataset(source, format="parquet").schema
        strings = [f.name for f in schema if _is_string(f.type) and (columns is None or f.name in columns)]
        table = pq.read_table(source, columns=list(columns) if columns is not None else None,
                              filters=filters, read_dictionary=strings or None)
    except (pa.ArrowInvalid, OSError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise read_error(path, exc) from None
    if strings:
        table = table.unify_dictionaries()
    names = [n for n in table.column_names if not n.startswith("__index_level_")]
    out = {}
    for name in names:
        arr = table.column(name)
        if name in strings:
            out[name] = column_from_arrow(arr, device, dictionary_as="string",
                                          string_type=schema.field(name).type)
        else:
            out[name] = column_from_arrow(arr, device)
    return DataFrame._from_columns(out)


def write_parquet(frame: Any, path: str | os.PathLike, **kwargs: Any) -> None:
    """Write ``frame`` to one Parquet file (keyword arguments go to ``pq.write_table``)."""
    pq.write_table(frame.to_arrow(), path, **kwargs)
