"""datetime64[ns] columns (int64 nanoseconds on the device), optionally with a time zone."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pyarrow as pa

from headwater.dataframe.column.base import Column, UnsupportedOperation, and_masks
from headwater.dataframe.column.offsets import add_offset, is_offset
from headwater.dataframe.column.operands import COMPARISON, apply_op, operand
from headwater.dataframe.column.temporal import TemporalColumn

__all__ = ["DatetimeColumn"]


class DatetimeColumn(TemporalColumn):
    """Timestamps in nanoseconds since the epoch; ``tz`` names a time zone or is None."""

    kind: ClassVar[str] = "datetime"
    _BINARY_OPS: ClassVar[frozenset[str]] = COMPARISON | {"add", "sub"}
    _unit_char: ClassVar[str] = "M"
    __slots__ = ("tz",)

    @classmethod
    def _prepare(cls, data: Any, mask: Any, dtype: Any, extra: dict) -> tuple[Any, Any, Any, dict]:
        data, mask, dtype, extra = super()._prepare(data, mask, dtype, extra)
        return data, mask, dtype, {"tz": extra.get("tz"), "_arrow_type": extra.get("_arrow_type")}

    @classmethod
    def _arrow_target(cls, arr: pa.Array) -> pa.DataType:
        tz = arr.type.tz if pa.types.is_timestamp(arr.type) else None
        return pa.timestamp("ns", tz)

    def _arrow_ns_type(self) -> pa.DataType:
        return pa.timestamp("ns", self.tz)

    def _extra(self) -> dict[str, Any]:
        return {"tz": self.tz, "_arrow_type": self._arrow_type}

    def to_pandas(self) -> Any:
        if self.tz is None:
            return self.to_numpy()
        return self.to_arrow().to_pandas()

    def _ns(self, value: Any) -> int:
        import pandas as pd

        stamp = pd.Timestamp(value)
        if stamp is pd.NaT:
            raise ValueError("NaT is a null, not a timestamp")
        if self.tz is not None and stamp.tz is None:
            stamp = stamp.tz_localize(self.tz)
        return int(stamp.as_unit("ns").value)

    def box(self, host_value: Any) -> Any:
        import pandas as pd

        if host_value is None:
            return pd.NaT
        return pd.Timestamp(int(host_value), unit="ns", tz="UTC").tz_convert(self.tz) if self.tz else pd.Timestamp(int(host_value), unit="ns")

    def _binaryop(self, op: str, other: Any, reflect: bool) -> Column:
        from headwater.dataframe.column.dispatch import build_column, full_null

        rhs = operand(self, other, op)
        xp = self.xp
        if op in COMPARISON:
            if rhs.is_null:
                return full_null(len(self), np.dtype(bool), self.backend)
            if rhs.column is not None and rhs.kind != "datetime":
                raise UnsupportedOperation(f"cannot compare a {self.dtype} column with a {rhs.column.dtype} column")
            b = rhs.column.data if rhs.column is not None else self._scalar_ns(rhs.scalar, op)
            a, b = (b, self.data) if reflect else (self.data, b)
            return build_column(apply_op(xp, op, a, b), and_masks(self.mask, rhs.mask))
        if rhs.is_null:
            return full_null(len(self), self.dtype if op == "add" else np.dtype("m8[ns]"), self.backend)
        if rhs.column is not None:
            if rhs.kind == "timedelta" and not (op == "sub" and reflect):
                data = self.data + rhs.column.data if op == "add" else self.data - rhs.column.data
                return build_column(data, and_masks(self.mask, rhs.mask), self.dtype, tz=self.tz)
            if rhs.kind == "datetime" and op == "sub":
                a, b = (rhs.column.data, self.data) if reflect else (self.data, rhs.column.data)
                return build_column(a - b, and_masks(self.mask, rhs.mask), np.dtype("m8[ns]"))
            raise UnsupportedOperation(f"cannot apply {op!r} to a {self.dtype} column and a {rhs.column.dtype} column")
        import pandas as pd

        value = rhs.scalar
        if is_offset(value):
            if op == "sub" and reflect:
                raise UnsupportedOperation("cannot subtract a datetime column from a date offset")
            return add_offset(self, value, -1 if op == "sub" else 1)
        if isinstance(value, (pd.Timedelta, np.timedelta64)) or type(value).__name__ == "timedelta" or (
            isinstance(value, str) and op == "add"
        ):
            delta = int(pd.Timedelta(value).as_unit("ns").value)
            if op == "sub" and reflect:
                raise UnsupportedOperation("cannot subtract a datetime column from a timedelta")
            data = self.data + delta if op == "add" else self.data - delta
            return build_column(data, self.mask, self.dtype, tz=self.tz)
        if op == "sub":
            stamp = self._scalar_ns(value, op)
            data = stamp - self.data if reflect else self.data - stamp
            return build_column(data, self.mask, np.dtype("m8[ns]"))
        raise UnsupportedOperation(f"cannot add {type(value).__name__} {value!r} to a datetime column; add a pd.Timedelta")
