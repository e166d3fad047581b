"""Checking that every file of a partitioned read has the same columns and types."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

__all__ = ["SchemaMismatchError", "check_same_schema", "check_same_columns"]


class SchemaMismatchError(ValueError):
    """Files of one partitioned read disagree on a column; the message names the file and the column."""


def _plain(t: pa.DataType) -> pa.DataType:
    """Dictionary-encoded and large strings read as the same string column."""
    if pa.types.is_dictionary(t):
        t = t.value_type
    if pa.types.is_large_string(t):
        return pa.string()
    return t


def check_same_schema(reference: str, schema: pa.Schema, path: str, other: pa.Schema,
                      columns: Sequence[str] | None) -> None:
    """Raise SchemaMismatchError where ``other`` (of ``path``) differs from ``schema`` (of ``reference``).

    Only ``columns`` are compared when given.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from headwater.dask.schema import check_same_schema
    >>> a, b = pa.schema([("x", pa.int64())]), pa.schema([("x", pa.string())])
    >>> try:
    ...     check_same_schema("a.parquet", a, "b.parquet", b, None)
    ... except ValueError as exc:
    ...     print(str(exc)[:55])
    b.parquet: column 'x' is string, but a.parquet has it a
    """
    names = list(columns) if columns is not None else list(dict.fromkeys([*schema.names, *other.names]))
    for name in names:
        if name not in other.names:
            raise SchemaMismatchError(
                f"{path}: has no column {name!r}, which {reference} has; give every file the same columns, "
                "or read the common ones with columns=[...]")
        if name not in schema.names:
            raise SchemaMismatchError(
                f"{path}: has a column {name!r} that {reference} lacks; give every file the same columns, "
                "or read the common ones with columns=[...]")
        want, got = _plain(schema.field(name).type), _plain(other.field(name).type)
        if want != got:
            raise SchemaMismatchError(
                f"{path}: column {name!r} is {got}, but {reference} has it as {want}; rewrite the files with "
                "one type for the column, or read them separately and cast with astype")


def check_same_columns(reference: str, names: Sequence[Any], path: str, other: Sequence[Any]) -> None:
    """Raise SchemaMismatchError when ``path`` has other column names than ``reference``."""
    for name in names:
        if name not in other:
            raise SchemaMismatchError(f"{path}: has no column {name!r}, which {reference} has; give every file "
                                      "the same header, or read the common ones with usecols=[...]")
    for name in other:
        if name not in names:
            raise SchemaMismatchError(f"{path}: has a column {name!r} that {reference} lacks; give every file "
                                      "the same header, or read the common ones with usecols=[...]")
