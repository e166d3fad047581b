"""Time-of-day columns (Arrow ``time32``/``time64``): int64 nanoseconds since midnight.

Values read from any unit are held in nanoseconds and written back in the unit they
came from (``to_arrow`` casts back when every value is exact in it). Times compare with
times and ``datetime.time`` scalars; the difference of two times is a timedelta.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa

from headwater.dataframe.column.base import Column, UnsupportedOperation, and_masks
from headwater.dataframe.column.operands import COMPARISON, apply_op, operand
from headwater.dataframe.column.temporal import TemporalColumn
from headwater.dataframe.dtypes import TimeDtype

__all__ = ["TimeColumn"]

_NS_PER_DAY = 86_400 * 10**9


class TimeColumn(TemporalColumn):
    """Times of day in nanoseconds since midnight."""

    kind: ClassVar[str] = "time"
    _BINARY_OPS: ClassVar[frozenset[str]] = COMPARISON | {"sub"}
    _REDUCTIONS: ClassVar[frozenset[str]] = frozenset({"min", "max", "count", "nunique"})
    __slots__ = ()

    @classmethod
    def _prepare(cls, data: Any, mask: Any, dtype: Any, extra: dict) -> tuple[Any, Any, Any, dict]:
        data, mask, _, extra = super()._prepare(data, mask, dtype, extra)
        return data, mask, TimeDtype(), extra

    @classmethod
    def _arrow_target(cls, arr: pa.Array) -> pa.DataType:
        return pa.time64("ns")

    @classmethod
    def _from_arrow(cls, arr: pa.Array, backend: Any) -> tuple[Any, Any, Any, dict]:
        data, mask, _, extra = super()._from_arrow(arr, backend)
        extra.pop("tz", None)
        return data, mask, TimeDtype(), extra

    def _arrow_ns_type(self) -> pa.DataType:
        return pa.time64("ns")

    def to_pandas(self) -> Any:
        return self.to_arrow().to_pandas()

    def to_numpy(self, na_value: Any = None) -> np.ndarray:
        out = np.asarray(self.to_arrow().to_pandas(), dtype=object)
        if na_value is not None:
            out[[v is None for v in out]] = na_value
        return out

    @staticmethod
    def _ns(value: Any) -> int:
        if isinstance(value, str):
            value = dt.time.fromisoformat(value)
        if isinstance(value, dt.datetime):
            value = value.time()
        if isinstance(value, dt.time):
            seconds = value.hour * 3600 + value.minute * 60 + value.second
            return seconds * 10**9 + value.microsecond * 1000 + getattr(value, "nanosecond", 0)
        raise TypeError(f"expected a datetime.time or 'HH:MM[:SS]' text, got {type(value).__name__} {value!r}")

    def box(self, host_value: Any) -> Any:
        if host_value is None:
            return None
        ns = int(host_value)
        seconds, rest = divmod(ns, 10**9)
        minutes, second = divmod(seconds, 60)
        hour, minute = divmod(minutes, 60)
        return dt.time(hour, minute, second, rest // 1000)

    def _binaryop(self, op: str, other: Any, reflect: bool) -> Column:
        from headwater.dataframe.column.dispatch import build_column, full_null

        rhs = operand(self, other, op)
        if rhs.is_null:
            out = np.dtype(bool) if op in COMPARISON else np.dtype("m8[ns]")
            return full_null(len(self), out, self.backend)
        if rhs.column is not None:
            if rhs.kind != "time":
                raise UnsupportedOperation(f"cannot apply {op!r} to a time column and a {rhs.column.dtype} column")
            b = rhs.column.data
        else:
            b = self._scalar_ns(rhs.scalar, op)
        a, b = (b, self.data) if reflect else (self.data, b)
        mask = and_masks(self.mask, rhs.mask)
        xp = self.xp
        if op in COMPARISON:
            data = apply_op(xp, op, a, b)
            return build_column(xp.broadcast_to(data, (len(self),)) if data.ndim == 0 else data, mask)
        return build_column(xp.subtract(a, b), mask, np.dtype("m8[ns]"))
