"""Column dtypes: NumPy dtypes for fixed-width families, two small types for the rest.

Numeric, bool, datetime64[ns] and timedelta64[ns] columns carry a ``numpy.dtype``.
String and categorical columns carry :class:`StringDtype` and
:class:`CategoricalDtype`; both are dictionary-encoded (int32 codes on the device).
:func:`parse_dtype` turns what a user writes (``"int64"``, ``"str"``, ``"category"``,
``float``, a pandas dtype) into one of these.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pyarrow as pa

__all__ = [
    "StringDtype",
    "CategoricalDtype",
    "DtypeError",
    "parse_dtype",
    "kind_of",
    "dtype_name",
    "NUMERIC_DTYPES",
    "ListDtype",
    "DecimalDtype",
    "TimeDtype",
    "MAX_DECIMAL_PRECISION",
]

MAX_DECIMAL_PRECISION = 18  # the digits an int64 holds whole

NUMERIC_DTYPES = tuple(
    np.dtype(name)
    for name in (
        "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "float32", "float64",
    )
)
DATETIME = np.dtype("datetime64[ns]")
TIMEDELTA = np.dtype("timedelta64[ns]")
BOOL = np.dtype(bool)


class DtypeError(TypeError):
    """A dtype was asked for that a column cannot have or cannot be cast to."""


class StringDtype:
    """The dtype of a string column, in either layout (plain offsets + bytes, or dictionary).

    ``layout`` only says which layout a cast should produce (``"plain"`` for the
    ``"string"`` names, as ``astype("string")``); it takes no part in equality, so
    both layouts have one dtype.

    Examples
    --------
    >>> from headwater.dataframe.dtypes import StringDtype
    >>> StringDtype()
    str
    >>> StringDtype() == "str", StringDtype("plain") == StringDtype()
    (True, True)
    """

    name = "str"
    kind = "string"

    def __init__(self, layout: str | None = None) -> None:
        if layout not in (None, "plain", "dictionary"):
            raise ValueError(f"layout must be 'plain', 'dictionary' or None, got {layout!r}")
        self.layout = layout

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return other in ("str", "string")
        return isinstance(other, StringDtype)

    def __hash__(self) -> int:
        return hash("str")

    def __repr__(self) -> str:
        return "str"

    __str__ = __repr__


class ListDtype:
    """The dtype of a list column: each row a list of values of ``value_type`` (Arrow).

    Examples
    --------
    >>> import pyarrow as pa
    >>> from headwater.dataframe.dtypes import ListDtype
    >>> ListDtype(pa.string())
    list<string>
    """

    name = "list"
    kind = "list"

    def __init__(self, value_type: pa.DataType) -> None:
        self.value_type = value_type

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return other == "list"
        return isinstance(other, ListDtype) and other.value_type == self.value_type

    def __hash__(self) -> int:
        return hash(("list", str(self.value_type)))

    def __repr__(self) -> str:
        return f"list<{self.value_type}>"

    __str__ = __repr__


class DecimalDtype:
    """The dtype of a decimal column: exact values held as int64 multiples of ``10**-scale``.

    ``precision`` (total digits) is at most 18, the digits an int64 holds; Arrow's
    ``decimal128``/``decimal256`` columns whose values fit are read into it.

    Examples
    --------
    >>> from headwater.dataframe.dtypes import DecimalDtype
    >>> DecimalDtype(15, 2)
    decimal(15, 2)
    >>> DecimalDtype(15, 2) == "decimal(15, 2)"
    True
    """

    name = "decimal"
    kind = "decimal"

    def __init__(self, precision: int, scale: int) -> None:
        precision, scale = int(precision), int(scale)
        if not 1 <= precision <= MAX_DECIMAL_PRECISION or not 0 <= scale <= precision:
            raise DtypeError(
                f"decimal({precision}, {scale}) is not supported: the decimal dtype holds at most "
                f"{MAX_DECIMAL_PRECISION} digits (0 <= scale <= precision <= {MAX_DECIMAL_PRECISION}); "
                f"use astype(float) for wider values"
            )
        self.precision = precision
        self.scale = scale

    @property
    def arrow_type(self) -> pa.DataType:
        return pa.decimal128(self.precision, self.scale)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            try:
                other = parse_dtype(other)
            except DtypeError:
                return False
        return isinstance(other, DecimalDtype) and (other.precision, other.scale) == (self.precision, self.scale)

    def __hash__(self) -> int:
        return hash(("decimal", self.precision, self.scale))

    def __repr__(self) -> str:
        return f"decimal({self.precision}, {self.scale})"

    __str__ = __repr__


class TimeDtype:
    """The dtype of a time-of-day column (int64 nanoseconds since midnight on the device).

    Examples
    --------
    >>> from headwater.dataframe.dtypes import TimeDtype
    >>> TimeDtype(), TimeDtype() == "time"
    (time64[ns], True)
    """

    name = "time64[ns]"
    kind = "time"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return other in ("time", "time64", "time64[ns]")
        return isinstance(other, TimeDtype)

    def __hash__(self) -> int:
        return hash("time64[ns]")

    def __repr__(self) -> str:
        return "time64[ns]"

    __str__ = __repr__


class CategoricalDtype:
    """The dtype of a categorical column: its categories (a host pyarrow array) and order.

    Examples
    --------
    >>> import pyarrow as pa
    >>> from headwater.dataframe.dtypes import CategoricalDtype
    >>> CategoricalDtype(pa.array(["a", "b"]), ordered=True)
    category(['a', 'b'], ordered=True)
    """

    name = "category"
    kind = "categorical"

    def __init__(self, categories: pa.Array | None = None, ordered: bool = False) -> None:
        if categories is not None and not isinstance(categories, (pa.Array, pa.ChunkedArray)):
            categories = pa.array([str(c) for c in categories], type=pa.string())  # pandas' list of names
        self.categories = categories
        self.ordered = bool(ordered)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return other == "category"
        if not isinstance(other, CategoricalDtype):
            return False
        if self.categories is None or other.categories is None:
            return self.categories is other.categories and self.ordered == other.ordered
        return self.ordered == other.ordered and self.categories.equals(other.categories)

    def __hash__(self) -> int:
        return hash(("category", self.ordered))

    def __repr__(self) -> str:
        cats = "None" if self.categories is None else repr(self.categories.to_pylist())
        return f"category({cats}, ordered={self.ordered})"

    def __str__(self) -> str:
        return "category"


_ALIASES = {
    "str": "string", "string": "string", "object": "string", "string[python]": "string",
    "string[pyarrow]": "string", "category": "categorical",
    "datetime64": "datetime", "datetime64[ns]": "datetime", "datetime64[us]": "datetime",
    "datetime64[ms]": "datetime", "datetime64[s]": "datetime", "datetime": "datetime",
    "timedelta64": "timedelta", "timedelta64[ns]": "timedelta", "timedelta64[us]": "timedelta",
    "timedelta64[ms]": "timedelta", "timedelta64[s]": "timedelta", "timedelta": "timedelta",
    "boolean": "bool", "bool": "bool",
}


def parse_dtype(spec: Any) -> np.dtype | StringDtype | CategoricalDtype:
    """Normalise a user's dtype (name, Python type, NumPy or pandas dtype).

    Raises
    ------
    DtypeError
        The dtype is not one Headwater columns support; the message lists those.

    Examples
    --------
    >>> from headwater.dataframe.dtypes import parse_dtype
    >>> parse_dtype("Int64"), parse_dtype(float), parse_dtype("str")
    (dtype('int64'), dtype('float64'), str)
    """
    if isinstance(spec, (StringDtype, CategoricalDtype, ListDtype, DecimalDtype, TimeDtype)):
        return spec
    special = _arrow_dtype(spec)
    if special is not None:
        return special
    if spec is str:
        return StringDtype()
    if spec is bool:
        return BOOL
    name = getattr(spec, "name", spec) if not isinstance(spec, (type, np.dtype)) else spec
    if isinstance(name, str):
        key = name.strip()
        low = key.lower()
        alias = _ALIASES.get(low) or _ALIASES.get(key)
        if alias == "string":
            return StringDtype("plain" if low.startswith("string") else None)
        if alias == "categorical":
            cats = getattr(spec, "categories", None)
            if cats is not None and not isinstance(spec, str):
                return CategoricalDtype(pa.array(list(cats), pa.string()), bool(spec.ordered))
            return CategoricalDtype()
        if alias == "datetime":
            return DATETIME
        if alias == "timedelta":
            return TIMEDELTA
        if alias == "bool":
            return BOOL
        name = low  # pandas' nullable "Int64", "Float32", "UInt8" name numpy dtypes in lower case
    try:
        dtype = np.dtype(name)
    except TypeError:
        dtype = None
    if dtype is not None and (dtype in NUMERIC_DTYPES or dtype == BOOL):
        return dtype
    if dtype is not None and dtype.kind == "M":
        return DATETIME
    if dtype is not None and dtype.kind == "m":
        return TIMEDELTA
    raise DtypeError(
        f"unsupported dtype {spec!r}; use one of int8..int64, uint8..uint64, float32, "
        f"float64, bool, datetime64[ns], timedelta64[ns], 'decimal(p, s)', 'time', 'str' or "
        f"'category'"
    )


_DECIMAL_NAME = re.compile(r"^decimal(?:128|256)?\(\s*(\d+)\s*,\s*(\d+)\s*\)(?:\[pyarrow\])?$")


def _arrow_dtype(spec: Any) -> DecimalDtype | TimeDtype | None:
    """Decimal and time dtypes from a name (``"decimal(15, 2)"``, ``"time"``), an Arrow
    type or a pandas ``ArrowDtype``; None for anything else."""
    arrow = getattr(spec, "pyarrow_dtype", spec)
    if isinstance(arrow, pa.DataType):
        if pa.types.is_decimal(arrow):
            return DecimalDtype(arrow.precision, arrow.scale)
        if pa.types.is_time(arrow):
            return TimeDtype()
        return None
    if isinstance(spec, str):
        key = spec.strip().lower()
        match = _DECIMAL_NAME.match(key)
        if match:
            return DecimalDtype(int(match.group(1)), int(match.group(2)))
        if key in ("time", "time64", "time64[ns]"):
            return TimeDtype()
    return None


def kind_of(dtype: Any) -> str:
    """The family of a parsed dtype: int uint float bool decimal datetime timedelta time
    string categorical list."""
    if isinstance(dtype, (StringDtype, CategoricalDtype, ListDtype, DecimalDtype, TimeDtype)):
        return dtype.kind
    return {"i": "int", "u": "uint", "f": "float", "b": "bool", "M": "datetime", "m": "timedelta"}[
        np.dtype(dtype).kind
    ]


def dtype_name(dtype: Any) -> str:
    """The short name shown in reprs and error messages (``int64``, ``str``, ``category``)."""
    return str(dtype)
