"""What datetime and timedelta columns share: int64 nanoseconds on the device.

CuPy has no datetime64, so both families keep int64 nanoseconds and convert only at
the Arrow and pandas boundaries. Scalars are normalised with pandas
(``pd.Timestamp``/``pd.Timedelta``) to the same nanoseconds.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pyarrow as pa

from headwater.dataframe.column.arrowbits import host_validity, upload_fixed, upload_validity
from headwater.dataframe.column.base import Column, UnsupportedOperation
from headwater.dataframe.column.numeric import cumulative_values, reduce_values
from headwater.dataframe.dtypes import DtypeError
from headwater.tensor.backend.base import Backend
from headwater.tensor.transfer import to_host

__all__ = ["TemporalColumn", "NAT"]

NAT = np.iinfo(np.int64).min  # the int64 pattern NumPy and Arrow use for NaT


class TemporalColumn(Column):
    """Shared int64-nanosecond behaviour of datetime and timedelta columns."""

    _REDUCTIONS: ClassVar[frozenset[str]] = frozenset({"min", "max", "count", "nunique", "median", "mean"})
    _CUMULATIVE: ClassVar[frozenset[str]] = frozenset({"cummax", "cummin"})
    __slots__ = ("_arrow_type",)
    _unit_char: ClassVar[str] = "M"

    @classmethod
    def _prepare(cls, data: Any, mask: Any, dtype: Any, extra: dict) -> tuple[Any, Any, Any, dict]:
        if data.dtype.kind in "Mm":
            data = data.astype(f"{data.dtype.kind}8[ns]").view(np.int64)
        elif data.dtype != np.int64:
            data = data.astype(np.int64)
        if mask is not None and mask.dtype != bool:
            mask = mask.astype(bool)
        return data, mask, dtype, {**extra, "_arrow_type": extra.get("_arrow_type")}

    @classmethod
    def _arrow_target(cls, arr: pa.Array) -> pa.DataType:
        raise NotImplementedError

    @classmethod
    def _from_arrow(cls, arr: pa.Array, backend: Backend) -> tuple[Any, Any, Any, dict]:
        target = cls._arrow_target(arr)
        original = arr.type
        if arr.type != target:
            try:
                arr = arr.cast(target)
            except pa.ArrowInvalid as exc:
                raise DtypeError(f"cannot convert {arr.type} to {target}: {exc}") from None
        extra = {"tz": arr.type.tz} if pa.types.is_timestamp(arr.type) else {}
        extra["_arrow_type"] = original if original != target else None
        dtype = np.dtype(f"{cls._unit_char}8[ns]")
        return upload_fixed(arr, np.int64, backend), upload_validity(arr, backend), dtype, extra

    def _arrow_ns_type(self) -> pa.DataType:
        raise NotImplementedError

    def _extra(self) -> dict[str, Any]:
        return {"_arrow_type": self._arrow_type}

    def to_arrow(self) -> pa.Array:
        """Nanoseconds as Arrow, back in the unit (or date type) the column came from
        when every value is exact in it."""
        ints = pa.array(to_host(self.data), mask=host_validity(self._host_mask()), type=pa.int64())
        out = ints.view(self._arrow_ns_type())
        if self._arrow_type is not None:
            try:
                return out.cast(self._arrow_type)  # a safe cast: refuses to lose precision
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                return out
        return out

    def to_numpy(self, na_value: Any = None) -> np.ndarray:
        values = to_host(self.data).view(f"{self._unit_char}8[ns]")
        if self.mask is None:
            from headwater.dataframe.column.base import readonly

            return readonly(values)
        out = values.copy()
        out[~to_host(self.mask)] = np.datetime64("NaT") if self._unit_char == "M" else np.timedelta64("NaT")
        return out

    def to_pandas(self) -> Any:
        return self.to_numpy()

    @staticmethod
    def _ns(value: Any) -> int:
        raise NotImplementedError

    def fillna(self, value: Any) -> Column:
        from headwater.dataframe.column.dispatch import build_column

        if self.mask is None:
            return self
        filled = self.xp.where(self.mask, self.data, self._ns(value))
        return build_column(filled, None, self.dtype, **self._extra())

    def isin(self, values: list[Any]) -> Any:
        wanted = []
        for v in values:
            try:
                wanted.append(self._ns(v))
            except (TypeError, ValueError):
                continue
        hit = self.xp.isin(self.data, self.backend.to_device(np.asarray(wanted, dtype=np.int64)))
        return hit if self.mask is None else hit & self.mask

    def _reduce(self, name: str, skipna: bool, **kwargs: Any) -> Any:
        out = reduce_values(self, self.data, name, skipna, **kwargs)
        if isinstance(out, float | np.floating) and np.isnan(out):
            return self.box(None)
        if name in ("mean", "median"):
            out = int(round(float(out)))
        return self.box(out)

    def _cumulative(self, name: str, skipna: bool) -> Column:
        data, mask = cumulative_values(self, self.data, name, skipna)
        return self._with(data, mask)

    def _scalar_ns(self, value: Any, op: str) -> int:
        try:
            return self._ns(value)
        except (TypeError, ValueError) as exc:
            raise UnsupportedOperation(
                f"cannot apply {op!r} to a {self.dtype} column and {type(value).__name__} "
                f"{value!r}: {exc}"
            ) from None
