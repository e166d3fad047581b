"""Columns: one class per dtype family, made only through ``build_column`` /
``column_from_arrow`` / ``column_from_host`` (see docs/internals.md)."""

from headwater.dataframe.column.base import Column, UnsupportedOperation
from headwater.dataframe.column.boolean import BooleanColumn
from headwater.dataframe.column.categorical import CategoricalColumn
from headwater.dataframe.column.datetime import DatetimeColumn
from headwater.dataframe.column.decimal import DecimalColumn
from headwater.dataframe.column.dictionary import DictionaryColumn
from headwater.dataframe.column.dispatch import (
    build_column,
    column_from_arrow,
    column_from_host,
    column_from_scalar,
    full_null,
)
from headwater.dataframe.column.numeric import NumericColumn
from headwater.dataframe.column.string import StringColumn
from headwater.dataframe.column.time import TimeColumn
from headwater.dataframe.column.timedelta import TimedeltaColumn

__all__ = [
    "Column",
    "UnsupportedOperation",
    "NumericColumn",
    "BooleanColumn",
    "DatetimeColumn",
    "TimedeltaColumn",
    "DictionaryColumn",
    "DecimalColumn",
    "TimeColumn",
    "StringColumn",
    "CategoricalColumn",
    "build_column",
    "column_from_arrow",
    "column_from_host",
    "column_from_scalar",
    "full_null",
]
