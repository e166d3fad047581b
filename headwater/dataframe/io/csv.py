"""CSV through ``pyarrow.csv``: parsed on the host, then each column uploaded once."""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from headwater.dataframe.dtypes import kind_of, parse_dtype
from headwater.dataframe.io.errors import read_error
from headwater.tensor.devices import Device

__all__ = ["read_csv", "write_csv"]

_DEFAULT_NA = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
               "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"]


def _arrow_type(dtype: Any) -> pa.DataType:
    parsed = parse_dtype(dtype)
    kind = kind_of(parsed)
    if kind == "string":
        return pa.string()
    if kind == "categorical":
        return pa.dictionary(pa.int32(), pa.string())
    if kind == "datetime":
        return pa.timestamp("ns")
    if kind == "timedelta":
        return pa.duration("ns")
    return pa.from_numpy_dtype(parsed)


def read_csv(path: str | os.PathLike, columns: Sequence[str] | None = None,
             dtype: Any = None, parse_dates: Sequence[str] | bool | None = None,
             na_values: Sequence[str] | str | None = None, sep: str = ",",
             header: int | str | None = "infer", device: str | Device | None = None,
             usecols: Sequence[str] | None = None) -> Any:
    """Read a CSV file into a DataFrame (pyarrow's multi-threaded parser).

    Parameters
    ----------
    columns, usecols : list of str, optional
        Only these columns.
    dtype : dtype or {column: dtype}, optional
    parse_dates : list of str, optional
        Columns to parse as datetime64[ns] (ISO dates are recognised anyway).
    na_values : str or list of str, optional
        Extra strings read as missing (pandas' defaults always apply).
    sep : str
        Field delimiter.
    header : "infer", 0, int or None
        Row holding the names; None names columns "0", "1", ...

    Raises
    ------
    ReadError
        The file is malformed; the message names the file and the row.

    Examples
    --------
    >>> import headwater as hw, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "a.csv")
    >>> _ = open(path, "w").write("a,b\\n1,x\\n,y\\n")
    >>> hw.read_csv(path).to_dict()
    {'a': [1, None], 'b': ['x', 'y']}
    """
    from headwater.dataframe.frame import DataFrame

    columns = columns if columns is not None else usecols
    skip = 0
    autogen = header is None
    if isinstance(header, int) and header is not None:
        skip = header
    read = pacsv.ReadOptions(skip_rows=skip, autogenerate_column_names=autogen)
    parse = pacsv.ParseOptions(delimiter=sep)
    nulls = list(_DEFAULT_NA)
    if na_values is not None:
        nulls += [na_values] if isinstance(na_values, str) else [str(v) for v in na_values]
    types: dict[str, pa.DataType] = {}
    if isinstance(dtype, Mapping):
        types = {str(k): _arrow_type(v) for k, v in dtype.items()}
    if parse_dates and not isinstance(parse_dates, bool):
        for name in parse_dates:
            types.setdefault(name, pa.timestamp("ns"))
    convert = pacsv.ConvertOptions(
        include_columns=list(columns) if columns is not None else None,
        column_types=types or None,
        null_values=nulls,
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )
    try:
        table = pacsv.read_csv(path, read_options=read, parse_options=parse, convert_options=convert)
    except pa.ArrowInvalid as exc:
        raise read_error(path, exc) from None
    except pa.ArrowKeyError as exc:
        raise KeyError(f"{path}: {exc}") from None
    if autogen:
        table = table.rename_columns([str(i) for i in range(table.num_columns)])
    frame = DataFrame(table, device=device)
    if dtype is not None and not isinstance(dtype, Mapping):
        frame = frame.astype(dtype)
    return frame


def write_csv(frame: Any, path: str | os.PathLike | None = None, sep: str = ",", header: bool = True) -> str | None:
    """Write ``frame`` as CSV (to a string when ``path`` is None)."""
    table = frame.to_arrow()
    cols = []
    for col in table.columns:
        if pa.types.is_dictionary(col.type):
            col = col.cast(col.type.value_type)
        cols.append(col)
    table = pa.table(cols, names=table.column_names)
    options = pacsv.WriteOptions(include_header=header, delimiter=sep)
    if path is None:
        sink = io.BytesIO()
        pacsv.write_csv(table, sink, write_options=options)
        return sink.getvalue().decode()
    pacsv.write_csv(table, path, write_options=options)
    return None
