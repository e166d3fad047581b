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

# a text column whose parsed block (about 1 MB of the file) holds at most this many
# distinct values is dictionary-encoded by the parser and read as a dictionary column;
# above it, as plain strings (names, IDs, free text)
DICTIONARY_CARDINALITY = 1000

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
             usecols: Any = None, index_col: Any = None, nrows: int | None = None,
             skiprows: Any = None, names: Sequence[str] | None = None, delimiter: str | None = None,
             keep_default_na: bool = True, encoding: str | None = None, quotechar: str = '"',
             engine: str | None = None, low_memory: bool = True) -> Any:
    """Read a CSV file into a DataFrame (pyarrow's multi-threaded parser).

    Only the selected columns are converted. A text column is dictionary-encoded while
    parsing when each parsed block (about 1 MB) holds at most ``DICTIONARY_CARDINALITY``
    (1000) distinct values, and read as plain strings otherwise; both are the ``str`` dtype.

    Parameters
    ----------
    columns, usecols : list of names or positions, or a callable on names, optional
        Only these columns (in the file's order, as pandas).
    dtype : dtype or {column: dtype}, optional
    parse_dates : list of str, optional
        Columns to parse as datetime64[ns] (ISO dates are recognised anyway).
    na_values : str or list of str, optional
        Extra strings read as missing (pandas' defaults apply unless ``keep_default_na=False``).
    sep, delimiter : str
        Field delimiter.
    header : "infer", 0, int or None
        Row holding the names; None names columns "0", "1", ... (or ``names``).
    names : list of str, optional
        Column names to use (the file then has no header row unless ``header=0``).
    index_col : str, int or list, optional
        Columns that become the frame's keys (``set_index``), as pandas' index.
    nrows : int, optional
        Read only this many data rows (the file is parsed in blocks until then).
    skiprows : int or list of int, optional
        Skip the first ``n`` lines, or the listed line numbers (0 is the first line).
    encoding, quotechar : as pandas
    engine, low_memory : accepted for compatibility (the parser is always pyarrow's).

    Raises
    ------
    ReadError
        The file is malformed; the message names the file and the row.

    Examples
    --------
    >>> import headwater as hw, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "a.csv")
    >>> _ = open(path, "w").write("a,b\\n1,x\\n,y\\n3,z\\n")
    >>> hw.read_csv(path).to_dict()
    {'a': [1, None, 3], 'b': ['x', 'y', 'z']}
    >>> import io
    >>> hw.read_csv(io.StringIO("a,b\\n1,x\\n")).to_dict("list")
    {'a': [1], 'b': ['x']}
    >>> hw.read_csv(path, usecols=["b"], nrows=2, dtype={"b": "category"}).to_dict()
    {'b': ['x', 'y']}
    """
    from headwater.dataframe.frame import DataFrame

    if engine not in (None, "c", "python", "pyarrow"):
        raise ValueError(f"engine must be 'c', 'python' or 'pyarrow', got {engine!r}")
    if isinstance(path, io.TextIOBase) or (hasattr(path, "read") and isinstance(path.read(0), str)):
        # a text stream (io.StringIO, open(..., "r")): the parser reads bytes
        path = io.BytesIO(path.read().encode(encoding or "utf8"))
    sep = delimiter if delimiter is not None else sep
    columns = columns if columns is not None else usecols
    skip_lines, skip_list = _skips(skiprows)
    autogen = header is None or (names is not None and header == "infer")
    skip = skip_lines
    if isinstance(header, int) and not isinstance(header, bool):
        skip += header
    read = pacsv.ReadOptions(skip_rows=skip, autogenerate_column_names=autogen and names is None,
                             column_names=list(names) if names is not None else None,
                             encoding=encoding or "utf8")
    if names is not None and header == 0:
        read.skip_rows = skip + 1
    parse = pacsv.ParseOptions(delimiter=sep, quote_char=quotechar)
    nulls = list(_DEFAULT_NA) if keep_default_na else []
    if na_values is not None:
        nulls += [na_values] if isinstance(na_values, str) else [str(v) for v in na_values]
    types: dict[str, pa.DataType] = {}
    if isinstance(dtype, Mapping):
        types = {str(k): _arrow_type(v) for k, v in dtype.items()}
    if parse_dates is True:
        parse_dates = _names_of(index_col)
    if parse_dates and not isinstance(parse_dates, bool):
        for name in parse_dates:
            if not isinstance(name, str):
                raise NotImplementedError("parse_dates takes column names; combining columns "
                                          "([['y', 'm', 'd']]) is not supported: use hw.to_datetime")
            types.setdefault(name, pa.timestamp("ns"))
    convert = pacsv.ConvertOptions(
        include_columns=_pushed_columns(path, read, parse, columns, index_col, autogen),
        column_types=types or None,
        null_values=nulls,
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        auto_dict_encode=True,
        auto_dict_max_cardinality=DICTIONARY_CARDINALITY,
    )
    try:
        table = _read(path, read, parse, convert, nrows, skip_list)
    except pa.ArrowInvalid as exc:
        raise read_error(path, exc) from None
    except pa.ArrowKeyError as exc:
        if convert.include_columns:
            raise ValueError(f"Usecols do not match columns ({path}): {exc}") from None
        raise KeyError(f"{path}: {exc}") from None
    if autogen and names is None:
        table = table.rename_columns([str(i) for i in range(table.num_columns)])
    if columns is not None:
        table = table.select(_selected(table.column_names, columns, index_col))
    frame = DataFrame._from_columns(_columns(table, types, device))
    if dtype is not None and not isinstance(dtype, Mapping):
        frame = frame.astype(dtype)
    if index_col is not None and index_col is not False:
        keys = [table.column_names[k] if isinstance(k, int) else k for k in _names_of(index_col)]
        frame = frame.set_index(keys)
    return frame


def _columns(table: pa.Table, types: dict[str, pa.DataType], device: Any) -> dict[str, Any]:
    """Device columns of the parsed table: the parser's own dictionaries (low-cardinality
    text) become dictionary string columns, the other text plain string columns."""
    from headwater.dataframe.column import column_from_arrow

    out = {}
    for name in table.column_names:
        arr = table.column(name)
        if pa.types.is_dictionary(arr.type) and name not in types:
            if arr.num_chunks > 1:
                arr = arr.unify_dictionaries()
            out[name] = column_from_arrow(arr, device, dictionary_as="string", string_type=pa.string(), name=name)
        else:
            out[name] = column_from_arrow(arr, device, name=name)
    return out


def _pushed_columns(path: Any, read: Any, parse: Any, columns: Any, index_col: Any,
                    autogen: bool) -> list[str] | None:
    """The names the parser decodes when the selection is known by name before parsing
    (the others are skipped by pyarrow, never converted), in the file's order as pandas
    keeps it (the header comes from the first block); None to decode every column."""
    if columns is None or autogen or callable(columns) or not isinstance(path, (str, os.PathLike)):
        return None
    wanted = list(columns) + _names_of(index_col)
    if not all(isinstance(c, str) for c in wanted):
        return None
    try:
        header = pacsv.open_csv(path, read_options=read, parse_options=parse).schema.names
    except (pa.ArrowInvalid, OSError):
        return None  # the full read reports the problem
    return _selected(header, wanted, None)


def _names_of(value: Any) -> list[Any]:
    if value is None or value is False:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _skips(skiprows: Any) -> tuple[int, set[int]]:
    if skiprows is None:
        return 0, set()
    if isinstance(skiprows, int) and not isinstance(skiprows, bool):
        return skiprows, set()
    if callable(skiprows):
        raise NotImplementedError("skiprows as a function is not supported; pass the line numbers")
    lines = sorted(int(v) for v in skiprows)
    lead = 0
    while lead < len(lines) and lines[lead] == lead:  # the first lines go before the header
        lead += 1
    return lead, {v - lead for v in lines[lead:]}


def _selected(names: list[str], wanted: Any, index_col: Any) -> list[str]:
    if callable(wanted):
        return [n for n in names if wanted(n)]
    picked = set()
    for item in wanted:
        if isinstance(item, int) and not isinstance(item, bool):
            if not 0 <= item < len(names):
                raise ValueError(f"usecols position {item} is out of range for {len(names)} columns")
            picked.add(names[item])
        elif item in names:
            picked.add(item)
        else:
            raise ValueError(f"Usecols do not match columns, columns expected but not found: [{item!r}]")
    for key in _names_of(index_col):
        picked.add(names[key] if isinstance(key, int) else key)
    return [n for n in names if n in picked]  # the file's order, as pandas


def _read(path: Any, read: Any, parse: Any, convert: Any, nrows: int | None, skip_list: set[int]) -> pa.Table:
    if not skip_list and nrows is None:
        return pacsv.read_csv(path, read_options=read, parse_options=parse, convert_options=convert)
    wanted = None if nrows is None else nrows + sum(1 for v in skip_list if v > 0)
    if wanted is None:
        table = pacsv.read_csv(path, read_options=read, parse_options=parse, convert_options=convert)
    else:
        reader = pacsv.open_csv(path, read_options=read, parse_options=parse, convert_options=convert)
        batches, rows = [], 0
        for batch in reader:
            batches.append(batch)
            rows += batch.num_rows
            if rows >= wanted:
                break
        table = pa.Table.from_batches(batches, schema=reader.schema)
    if skip_list:
        if 0 in skip_list:
            raise NotImplementedError("skiprows may list the header's line only among the first lines")
        drop = sorted(v - 1 for v in skip_list if 0 < v <= table.num_rows)
        import numpy as np

        keep = np.ones(table.num_rows, dtype=bool)
        keep[drop] = False
        table = table.filter(pa.array(keep))
    return table if nrows is None else table.slice(0, nrows)


def write_csv(frame: Any, path: str | os.PathLike | None = None, sep: str = ",", header: Any = True,
              index: bool = True, **kwargs: Any) -> str | None:
    """Write ``frame`` as CSV exactly as pandas writes it (a host copy, counted, then
    ``pandas.DataFrame.to_csv`` with all its options); a string when ``path`` is None.

    With ``index=True`` (pandas' default) the row labels go first: the frame's keys, or
    the positions of a frame whose rows are in their original order (pandas' labels
    there); a filtered or sorted frame without keys raises and names ``index=False``.
    """
    from headwater.dataframe.keys import require_labels

    if index:
        require_labels(frame, "to_csv(index=True) writes pandas' row labels", "to_csv(index=False)")
    return frame.to_pandas().to_csv(path, sep=sep, header=header, index=index, **kwargs)
