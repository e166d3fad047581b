"""The one place where columns are made: a dispatch on the dtype (or Arrow type).

``build_column`` wraps device buffers; ``column_from_arrow`` decodes an Arrow array
(one upload per buffer); ``column_from_host`` takes Python lists, NumPy arrays and
pandas objects through Arrow, so every family is built by one path.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from headwater.dataframe.column.base import _BUILD_KEY, Column
from headwater.dataframe.column.boolean import BooleanColumn
from headwater.dataframe.column.categorical import CategoricalColumn
from headwater.dataframe.column.datetime import DatetimeColumn
from headwater.dataframe.column.decimal import DecimalColumn
from headwater.dataframe.column.listing import ListColumn
from headwater.dataframe.column.numeric import NumericColumn
from headwater.dataframe.column.plain_string import PlainStringColumn, from_chunks
from headwater.dataframe.column.string import StringColumn
from headwater.dataframe.column.time import TimeColumn
from headwater.dataframe.column.timedelta import TimedeltaColumn
from headwater.dataframe.dtypes import DtypeError, kind_of, parse_dtype
from headwater.tensor.backend.base import Backend
from headwater.tensor.devices import Device, array_device, get_backend

__all__ = ["build_column", "column_from_arrow", "column_from_host", "column_from_scalar", "full_null"]

FAMILIES: dict[str, type[Column]] = {
    "int": NumericColumn,
    "uint": NumericColumn,
    "float": NumericColumn,
    "bool": BooleanColumn,
    "datetime": DatetimeColumn,
    "timedelta": TimedeltaColumn,
    "string": StringColumn,
    "categorical": CategoricalColumn,
    "list": ListColumn,
    "decimal": DecimalColumn,
    "time": TimeColumn,
}


def build_column(data: Any, mask: Any = None, dtype: Any = None, **extra: Any) -> Column:
    """Wrap device buffers as the column family of ``dtype``.

    Parameters
    ----------
    data : xp array
        Values, or int32 codes for string/categorical, or int64 for datetime/timedelta.
    mask : xp bool array, optional
        True where valid; ``None`` when there are no nulls.
    dtype : optional
        Defaults to ``data.dtype``; string columns need ``dictionary=`` (codes in
        ``data``) or ``chars=`` (the plain layout: offsets in ``data``, uint8 bytes).
    **extra
        ``dictionary`` (pyarrow string array) or ``chars``, ``tz`` for datetimes.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.dataframe.column import build_column
    >>> xp = hw.get_backend().xp  # device arrays in, as on a GPU
    >>> col = build_column(xp.asarray([1, 2, 3]), xp.asarray([True, False, True]))
    >>> col.kind, col.null_count
    ('int', 1)
    """
    if dtype is None:
        if "dictionary" in extra:
            dtype = "category" if "ordered" in extra else "str"
        elif "chars" in extra:
            dtype = "str"
        else:
            dtype = data.dtype
    dtype = parse_dtype(dtype)
    cls = FAMILIES[kind_of(dtype)]
    if cls is StringColumn and "chars" in extra:
        cls = PlainStringColumn
    data, mask, dtype, extra = cls._prepare(data, mask, dtype, extra)
    if mask is not None and mask.shape != data.shape:
        raise ValueError(f"mask length {mask.shape[0]} does not match data length {data.shape[0]}")
    return cls._create(_BUILD_KEY, data, mask, dtype, **extra)


def _family_of_arrow(arrow_type: pa.DataType) -> type[Column]:
    t = arrow_type
    if pa.types.is_integer(t) or pa.types.is_floating(t):
        return NumericColumn
    if pa.types.is_boolean(t):
        return BooleanColumn
    if pa.types.is_timestamp(t) or pa.types.is_date(t):
        return DatetimeColumn
    if pa.types.is_duration(t):
        return TimedeltaColumn
    if pa.types.is_decimal(t):
        return DecimalColumn
    if pa.types.is_time(t):
        return TimeColumn
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return PlainStringColumn
    if pa.types.is_dictionary(t):
        return CategoricalColumn
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return ListColumn
    raise DtypeError(
        f"unsupported Arrow type {t}; Headwater columns hold integers, floats, bool, decimals, "
        f"dates, times, timestamps, durations, strings, dictionaries and lists: "
        f"{_suggested_cast(t)}"
    )


def _suggested_cast(t: pa.DataType) -> str:
    """The cast that would make an unsupported Arrow type readable."""
    if pa.types.is_decimal(t):
        return ("its scale or values do not fit the int64 decimal dtype (18 digits); read it "
                "with decimal='float' or cast it with .cast(pa.float64())")
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t) \
            or pa.types.is_binary_view(t):
        return "cast it with .cast(pa.string()) if it holds UTF-8 text"
    if pa.types.is_struct(t):
        return "flatten it into one column per field with pa.Table.flatten()"
    if pa.types.is_map(t):
        return "cast it to a list of structs and flatten it, or drop it"
    if pa.types.is_float16(t):
        return "cast it with .cast(pa.float32())"
    return "cast the column to one of these types with .cast(...) first"


def column_from_arrow(arr: pa.Array | pa.ChunkedArray, device: str | Device | None = None,
                      dictionary_as: str = "categorical", string_type: pa.DataType | None = None,
                      name: str | None = None) -> Column:
    """Decode an Arrow array onto ``device``: one upload per buffer, none copied on the CPU.

    A ``string``, ``large_string`` or ``string_view`` array becomes a string column in
    the plain layout (offsets + bytes); a dictionary array becomes a categorical
    column, or with ``dictionary_as="string"`` a string column in the dictionary
    layout (``string_type`` is the value type its ``to_arrow`` dictionary holds).
    ``name`` (the column's name) is only used in error messages.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from headwater.dataframe.column import column_from_arrow
    >>> col = column_from_arrow(pa.array(["a", None, "a"]))
    >>> col.kind, col.layout, col.null_count
    ('string', 'plain', 1)
    >>> col.to_arrow().to_pylist()
    ['a', None, 'a']
    >>> codes = column_from_arrow(pa.array(["a", "b", "a"]).dictionary_encode(), dictionary_as="string")
    >>> codes.layout, codes.dictionary.to_pylist()
    ('dictionary', ['a', 'b'])
    """
    if name is None:
        return _column_from_arrow(arr, device, dictionary_as, string_type)
    try:
        return _column_from_arrow(arr, device, dictionary_as, string_type)
    except DtypeError as exc:
        raise type(exc)(f"column {name!r}: {exc}") from None


def _column_from_arrow(arr: pa.Array | pa.ChunkedArray, device: str | Device | None,
                       dictionary_as: str, string_type: pa.DataType | None) -> Column:
    backend = get_backend(device)
    if isinstance(arr, pa.ChunkedArray):
        if arr.num_chunks == 1:
            arr = arr.chunk(0)
        elif arr.num_chunks == 0:
            arr = pa.array([], type=arr.type)
        elif _is_stringish(arr.type):  # joined on the device: past 2**31 bytes ``string`` cannot be
            return from_chunks(arr.chunks, backend)
        else:
            arr = arr.combine_chunks()
    if pa.types.is_null(arr.type):
        return full_null(len(arr), np.dtype(np.float64), backend)
    if pa.types.is_dictionary(arr.type) and not _is_stringish(arr.type.value_type):
        arr = arr.dictionary_decode()
    if dictionary_as == "string" and pa.types.is_dictionary(arr.type):
        cls = StringColumn
        data, mask, dtype, extra = StringColumn._from_dictionary(arr, backend, string_type)
        return cls._create(_BUILD_KEY, data, mask, dtype, **extra)
    cls = _family_of_arrow(arr.type)
    data, mask, dtype, extra = cls._from_arrow(arr, backend)
    return cls._create(_BUILD_KEY, data, mask, dtype, **extra)


def _is_stringish(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)


def column_from_host(values: Any, dtype: Any = None, device: str | Device | None = None) -> Column:
    """A column from a list, NumPy array, pandas object or pyarrow array.

    Float NaN becomes null, as pandas treats it as missing.

    Examples
    --------
    >>> from headwater.dataframe.column import column_from_host
    >>> column_from_host([1.5, None, float("nan")]).null_count
    2
    """
    if isinstance(values, Column):
        col = values if device is None else values.to(device)
    elif isinstance(values, (pa.Array, pa.ChunkedArray)):
        col = column_from_arrow(values, device)
    else:
        col = column_from_arrow(_to_arrow(values, dtype), device)
    if dtype is not None:
        target = parse_dtype(dtype)
        if not _same_dtype(col.dtype, target):
            col = col.astype(target)
    return col


def _same_dtype(a: Any, b: Any) -> bool:
    if kind_of(a) == "categorical" and kind_of(b) == "categorical":
        return b.categories is None or a == b
    return a == b


def _to_arrow(values: Any, dtype: Any) -> pa.Array:
    if isinstance(values, range):
        values = np.arange(values.start, values.stop, values.step)
    if isinstance(values, np.ndarray):
        if values.ndim != 1:
            raise ValueError(f"a column needs 1-D values, got an array of shape {values.shape}")
        if values.dtype.kind in "Mm" and values.dtype != np.dtype(f"{values.dtype.kind}8[ns]"):
            values = values.astype(f"{values.dtype.str[1:3]}[ns]")
    if not isinstance(values, np.ndarray) and array_device(values) is not None:  # a device array
        from headwater.tensor.transfer import to_host

        values = to_host(values)
    try:
        return pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        if dtype is not None and kind_of(parse_dtype(dtype)) == "string":
            return pa.array([None if v is None else str(v) for v in values], pa.string())
        raise DtypeError(
            f"cannot make a column from these values ({exc}); give values of one type "
            f"or pass dtype=..."
        ) from None


def full_null(n: int, dtype: Any, backend: Backend) -> Column:
    """A column of ``n`` nulls of ``dtype``."""
    xp = backend.xp
    dtype = parse_dtype(dtype)
    kind = kind_of(dtype)
    if kind in ("string", "categorical"):
        extra = {"dictionary": pa.array([], pa.string())}
        if kind == "categorical":
            extra["ordered"] = dtype.ordered
        return build_column(xp.zeros(n, dtype=np.int32), xp.zeros(n, dtype=bool), dtype, **extra)
    storage = np.int64 if kind in ("datetime", "timedelta", "decimal", "time") else dtype
    return build_column(xp.zeros(n, dtype=storage), xp.zeros(n, dtype=bool), dtype)


def column_from_scalar(value: Any, n: int, like: Column | None = None,
                       device: str | Device | None = None) -> Column:
    """``value`` repeated ``n`` times (all null of ``like``'s dtype for a null scalar)."""
    from headwater.dataframe.column.base import is_null_scalar

    backend = like.backend if like is not None else get_backend(device)
    if is_null_scalar(value) or (isinstance(value, float) and np.isnan(value) and like is not None):
        return full_null(n, like.dtype if like is not None else np.float64, backend)
    one = column_from_host([value], device=Device(backend.name))
    return one.take(backend.xp.zeros(n, dtype=np.int64))
