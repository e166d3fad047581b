"""List columns: each row a list of values (Arrow ``list``), as ``str.split`` and
``str.findall`` give and ``explode`` takes.

The lists stay in one host Arrow array; the device holds an int64 row id into it per
row (and the validity), so row operations (filter, take, sort of other columns,
slices) are the ordinary device gathers of the ids, as string columns gather their
codes. Work on the elements (``explode``, ``.str[i]``, ``.str.len()``) reads the
Arrow array once on the host; its results come back to the device in one copy.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from headwater.dataframe.column.arrowbits import upload_validity
from headwater.dataframe.column.base import Column, UnsupportedOperation
from headwater.dataframe.dtypes import ListDtype
from headwater.tensor.backend.base import Backend
from headwater.tensor.transfer import to_host

__all__ = ["ListColumn"]


class ListColumn(Column):
    """Row ids (int64, device) into ``values``, a host Arrow list array."""

    kind: ClassVar[str] = "list"
    __slots__ = ("values", "_arrow_type")

    @classmethod
    def _prepare(cls, data: Any, mask: Any, dtype: Any, extra: dict) -> tuple[Any, Any, Any, dict]:
        if "values" not in extra:
            raise TypeError("a list column needs values= (a pyarrow list array)")
        if data.dtype != np.int64:
            data = data.astype(np.int64)
        if mask is not None and mask.dtype != bool:
            mask = mask.astype(bool)
        return data, mask, ListDtype(extra["values"].type.value_type), {
            "values": extra["values"], "_arrow_type": extra.get("_arrow_type")}

    @classmethod
    def _from_arrow(cls, arr: pa.Array, backend: Backend) -> tuple[Any, Any, Any, dict]:
        original = None
        if pa.types.is_large_list(arr.type) or pa.types.is_fixed_size_list(arr.type):
            original = arr.type  # given back by to_arrow
            arr = arr.cast(pa.list_(arr.type.value_type))
        ids = backend.to_device(np.arange(len(arr), dtype=np.int64))
        return ids, upload_validity(arr, backend), ListDtype(arr.type.value_type), {
            "values": arr, "_arrow_type": original}

    def _extra(self) -> dict[str, Any]:
        return {"values": self.values, "_arrow_type": self._arrow_type}

    def to_arrow(self) -> pa.Array:
        rows = self.values.take(pa.array(to_host(self.data), pa.int64()))
        if self.mask is not None:
            rows = pc.if_else(pa.array(to_host(self.mask)), rows, pa.scalar(None, rows.type))
        return rows if self._arrow_type is None else rows.cast(self._arrow_type)

    def to_pandas(self) -> Any:
        return np.array(self.to_arrow().to_pylist() + [None], dtype=object)[:-1]

    def to_numpy(self, na_value: Any = None) -> np.ndarray:
        out = self.to_pandas()
        if na_value is not None:
            out[[v is None for v in out]] = na_value
        return out

    def sort_key(self) -> Any:
        raise UnsupportedOperation("cannot sort or group by a list column; explode it first")

    def factorize_key(self) -> tuple[Any, Any]:
        raise UnsupportedOperation("cannot group, join or deduplicate on a list column; explode it first")

    def box(self, host_value: Any) -> Any:
        return host_value
