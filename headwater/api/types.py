"""``hw.api.types``: dtype and value predicates, as ``pandas.api.types``.

Each dtype predicate takes a dtype, a dtype name, a Series or an array-like with a
``dtype`` and answers from Headwater's dtype families.

Examples
--------
>>> import headwater as hw
>>> t = hw.api.types
>>> t.is_numeric_dtype(hw.Series([1.5])), t.is_string_dtype(hw.Series(["a"])), t.is_list_like([1])
(True, True, True)
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from headwater.dataframe.dtypes import CategoricalDtype, StringDtype, parse_dtype

__all__ = [
    "CategoricalDtype", "is_bool", "is_bool_dtype", "is_categorical_dtype", "is_datetime64_any_dtype",
    "is_datetime64_dtype", "is_dict_like", "is_float", "is_float_dtype", "is_integer", "is_integer_dtype",
    "is_list_like", "is_number", "is_numeric_dtype", "is_object_dtype", "is_scalar", "is_signed_integer_dtype",
    "is_string_dtype", "is_timedelta64_dtype", "is_unsigned_integer_dtype", "pandas_dtype",
]


def _dtype(obj: Any) -> Any:
    if isinstance(obj, (CategoricalDtype, StringDtype, np.dtype)):
        return obj
    dtype = getattr(obj, "dtype", None)
    if dtype is not None and not isinstance(obj, type):
        if type(dtype).__module__.startswith("pandas"):
            return parse_dtype(str(dtype)) if str(dtype) != "category" else CategoricalDtype()
        return dtype
    try:
        return parse_dtype(obj)
    except Exception:  # noqa: BLE001 - anything that is not a dtype answers False
        return None


def _kind(obj: Any) -> str | None:
    dtype = _dtype(obj)
    if dtype is None:
        return None
    if isinstance(dtype, CategoricalDtype):
        return "categorical"
    if isinstance(dtype, StringDtype) or dtype is str:
        return "string"
    try:
        return np.dtype(dtype).kind
    except TypeError:
        return None


def pandas_dtype(dtype: Any) -> Any:
    """The dtype a name stands for (``"int64"``, ``"str"``, ``"category"``...)."""
    return parse_dtype(dtype)


def is_numeric_dtype(obj: Any) -> bool:
    """Integers, unsigned integers, floats and bools (as pandas)."""
    return _kind(obj) in ("i", "u", "f", "b", "c")


def is_integer_dtype(obj: Any) -> bool:
    """Signed or unsigned integers."""
    return _kind(obj) in ("i", "u")


def is_signed_integer_dtype(obj: Any) -> bool:
    """Signed integers."""
    return _kind(obj) == "i"


def is_unsigned_integer_dtype(obj: Any) -> bool:
    """Unsigned integers."""
    return _kind(obj) == "u"


def is_float_dtype(obj: Any) -> bool:
    """Floating point."""
    return _kind(obj) == "f"


def is_bool_dtype(obj: Any) -> bool:
    """Booleans."""
    return _kind(obj) == "b"


def is_string_dtype(obj: Any) -> bool:
    """Strings (Headwater's ``str``; pandas' object and string dtypes)."""
    return _kind(obj) in ("string", "O", "U")


def is_object_dtype(obj: Any) -> bool:
    """Strings: Headwater has no object dtype, and strings are what pandas keeps there."""
    return _kind(obj) in ("string", "O")


def is_categorical_dtype(obj: Any) -> bool:
    """Categoricals."""
    return _kind(obj) == "categorical"


def is_datetime64_dtype(obj: Any) -> bool:
    """datetime64 (with or without a time zone here, as every datetime is ``[ns]``)."""
    return _kind(obj) == "M"


is_datetime64_any_dtype = is_datetime64_dtype


def is_timedelta64_dtype(obj: Any) -> bool:
    """timedelta64."""
    return _kind(obj) == "m"


def is_scalar(obj: Any) -> bool:
    """A single value (numbers, strings, bytes, None, datetimes...)."""
    return obj is None or isinstance(obj, (str, bytes, numbers.Number, np.generic)) or (
        not isinstance(obj, (Iterable, Mapping)) and not hasattr(obj, "__len__") and not hasattr(obj, "shape"))


def is_list_like(obj: Any) -> bool:
    """Iterable and not a string, bytes or mapping key... (sets, lists, arrays, Series)."""
    return isinstance(obj, Iterable) and not isinstance(obj, (str, bytes)) and not (
        hasattr(obj, "ndim") and obj.ndim == 0)


def is_dict_like(obj: Any) -> bool:
    """Has keys, __getitem__ and __contains__."""
    return all(hasattr(obj, a) for a in ("keys", "__getitem__", "__contains__")) and not isinstance(obj, type)


def is_number(obj: Any) -> bool:
    """A number (bools count, as in pandas)."""
    return isinstance(obj, (numbers.Number, np.number))


def is_integer(obj: Any) -> bool:
    """An integer value (not a bool)."""
    return isinstance(obj, (int, np.integer)) and not isinstance(obj, (bool, np.bool_))


def is_float(obj: Any) -> bool:
    """A float value."""
    return isinstance(obj, (float, np.floating))


def is_bool(obj: Any) -> bool:
    """A bool value."""
    return isinstance(obj, (bool, np.bool_))
