"""timedelta64[ns] columns (int64 nanoseconds on the device)."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pyarrow as pa

from headwater.dataframe.column.base import Column, UnsupportedOperation, and_masks
from headwater.dataframe.column.operands import COMPARISON, apply_op, operand
from headwater.dataframe.column.temporal import TemporalColumn

__all__ = ["TimedeltaColumn"]


def _is_moment(value: Any) -> bool:
    """A point in time (``Timestamp``, ``datetime``, ``date``, ``datetime64``), not a duration."""
    import datetime as dt

    return isinstance(value, (dt.date, np.datetime64)) and not isinstance(value, dt.timedelta)


class TimedeltaColumn(TemporalColumn):
    """Durations in nanoseconds."""

    kind: ClassVar[str] = "timedelta"
    _BINARY_OPS: ClassVar[frozenset[str]] = COMPARISON | {"add", "sub", "mul", "truediv", "floordiv"}
    _UNARY_OPS: ClassVar[frozenset[str]] = frozenset({"neg", "pos", "abs"})
    _REDUCTIONS: ClassVar[frozenset[str]] = TemporalColumn._REDUCTIONS | {"sum", "std"}
    _CUMULATIVE: ClassVar[frozenset[str]] = frozenset({"cummax", "cummin", "cumsum"})
    _unit_char: ClassVar[str] = "m"
    __slots__ = ()

    @classmethod
    def _arrow_target(cls, arr: pa.Array) -> pa.DataType:
        return pa.duration("ns")

    def _arrow_ns_type(self) -> pa.DataType:
        return pa.duration("ns")

    @staticmethod
    def _ns(value: Any) -> int:
        import datetime as dt

        import pandas as pd

        if isinstance(value, dt.time):  # a time of day is the duration since midnight (dt.time)
            value = pd.Timedelta(hours=value.hour, minutes=value.minute, seconds=value.second,
                                 microseconds=value.microsecond)
        delta = pd.Timedelta(value)
        if delta is pd.NaT:
            raise ValueError("NaT is a null, not a duration")
        return int(delta.as_unit("ns").value)

    def box(self, host_value: Any) -> Any:
        import pandas as pd

        return pd.NaT if host_value is None else pd.Timedelta(int(host_value), unit="ns")

    def _binaryop(self, op: str, other: Any, reflect: bool) -> Column:
        from headwater.dataframe.column.dispatch import build_column, full_null

        rhs = operand(self, other, op)
        xp = self.xp
        td = np.dtype("m8[ns]")
        if rhs.column is not None and rhs.kind == "datetime" and op == "add":
            return rhs.column.binary_op("add", self)
        if rhs.is_null:
            out = bool if op in COMPARISON else (np.float64 if op == "truediv" else td)
            return full_null(len(self), np.dtype(out), self.backend)
        if rhs.column is None and _is_moment(rhs.scalar) and (op == "add" or (op == "sub" and reflect)):
            import pandas as pd

            stamp = pd.Timestamp(rhs.scalar)
            data = self.data if op == "add" else -self.data
            return build_column(data + int(stamp.as_unit("ns").value), self.mask, np.dtype("M8[ns]"),
                                tz=None if stamp.tz is None else str(stamp.tz))
        numeric = rhs.kind in ("int", "uint", "float") or (
            rhs.column is None and isinstance(rhs.scalar, (int, float, np.number)) and not isinstance(rhs.scalar, bool)
        )
        if numeric:
            if op not in ("mul", "truediv", "floordiv") or (reflect and op != "mul"):
                raise UnsupportedOperation(f"cannot apply {op!r} to a timedelta column and a number")
            with np.errstate(all="ignore"):
                if op == "mul":
                    data = self.data * rhs.data
                elif op == "truediv":
                    data = self.data / rhs.data
                else:
                    data = self.data // rhs.data
            valid = and_masks(self.mask, rhs.mask)
            if data.dtype.kind == "f":
                bad = ~xp.isfinite(data)
                valid = ~bad if valid is None else valid & ~bad
                data = xp.where(bad, 0, xp.trunc(data)).astype(np.int64)
            return build_column(data, valid, td)
        if rhs.column is not None:
            if rhs.kind != "timedelta":
                raise UnsupportedOperation(f"cannot apply {op!r} to a timedelta column and a {rhs.column.dtype} column")
            b = rhs.column.data
        else:
            b = self._scalar_ns(rhs.scalar, op)
        a, b = (b, self.data) if reflect else (self.data, b)
        mask = and_masks(self.mask, rhs.mask)
        if op in COMPARISON:
            return build_column(apply_op(xp, op, a, b), mask)
        if op in ("add", "sub"):
            return build_column(a + b if op == "add" else a - b, mask, td)
        if op == "truediv":
            with np.errstate(all="ignore"):
                return build_column(xp.true_divide(a, b), mask)
        if op == "floordiv":
            with np.errstate(all="ignore"):
                return build_column(xp.floor_divide(a, b), mask)
        raise UnsupportedOperation("cannot multiply two timedelta columns")
