"""List columns: each row a list of values (Arrow ``list``), as ``str.split`` and
``str.findall`` give and ``explode`` takes.

The device holds an int64 row id per row (and the validity) into the lists, so row
operations (filter, take, sort of other columns, slices) are the ordinary device
gathers of the ids, as string columns gather their codes. The lists themselves are
either a host Arrow array (lists read from Arrow or Python, ``findall``), whose
element work (``explode``, ``.str[i]``, ``.str.len()``) reads it once on the host, or
``elements``: list offsets and a column of the elements on the device, as
``str.split`` on the plain layout builds them (Arrow's ``list<string>`` layout: list
offsets over string offsets), whose element work stays on the device. The host
array of such a column is built only when asked for (``to_arrow``, printing).
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


def list_from_elements(list_offsets: Any, elements: Column, mask: Any) -> ListColumn:
    """A list column whose row ``i`` holds ``elements`` rows ``list_offsets[i]`` to
    ``list_offsets[i + 1]`` (device int64 offsets, ``n + 1`` of them), null where ``mask``
    is False."""
    from headwater.dataframe.column.base import _BUILD_KEY

    n = int(list_offsets.shape[0]) - 1
    ids = elements.xp.arange(n, dtype=np.int64)
    data, mask, dtype, extra = ListColumn._prepare(ids, mask, None, {"elements": (list_offsets, elements)})
    return ListColumn._create(_BUILD_KEY, data, mask, dtype, **extra)


class ListColumn(Column):
    """Row ids (int64, device) into lists: ``values`` (a host Arrow list array) or
    ``elements`` (device list offsets and the column of elements)."""

    kind: ClassVar[str] = "list"
    __slots__ = ("_values", "_arrow_type", "elements")

    @classmethod
    def _prepare(cls, data: Any, mask: Any, dtype: Any, extra: dict) -> tuple[Any, Any, Any, dict]:
        values, elements = extra.get("values", extra.get("_values")), extra.get("elements")
        if values is None and elements is None:
            raise TypeError("a list column needs values= (a pyarrow list array) or elements= "
                            "(device list offsets and an element column)")
        if data.dtype != np.int64:
            data = data.astype(np.int64)
        if mask is not None and mask.dtype != bool:
            mask = mask.astype(bool)
        value_type = values.type.value_type if values is not None else _arrow_type_of(elements[1])
        return data, mask, ListDtype(value_type), {
            "_values": values, "_arrow_type": extra.get("_arrow_type"), "elements": elements}

    @property
    def values(self) -> pa.Array:
        """The lists as a host Arrow list array (built once from ``elements`` when the
        column has them: one counted crossing of the offsets and the elements)."""
        if self._values is None:
            offsets, elements = self.elements
            host = to_host(offsets)
            if len(elements) < 2**31:
                self._values = pa.ListArray.from_arrays(pa.array(host.astype(np.int32)), elements.to_arrow())
            else:
                self._values = pa.LargeListArray.from_arrays(pa.array(host), elements.to_arrow())
        return self._values

    def device_elements(self) -> tuple[Any, Column]:
        """(list offsets, element column) on the device: ``elements``, or built once from
        the host lists (one upload of the offsets and the flattened elements)."""
        if self.elements is None:
            from headwater.dataframe.column.dispatch import column_from_arrow

            values = self.values
            offsets = np.asarray(values.offsets.to_numpy(zero_copy_only=False), dtype=np.int64)
            # the elements the offsets point at (``flatten`` would drop those under null lists)
            flat = values.values.slice(int(offsets[0]), int(offsets[-1] - offsets[0]))
            offsets = offsets - offsets[0]
            self.elements = (self.backend.to_device(offsets), column_from_arrow(flat, device=self.device))
        return self.elements

    def row_lists(self) -> tuple[Any, Any, Column]:
        """(first element, element count (0 for a null row), element column): where each
        row's list lies in the device elements."""
        offsets, elements = self.device_elements()
        starts = offsets[self.data]
        lengths = offsets[self.data + 1] - starts
        if self.mask is not None:
            lengths = self.xp.where(self.mask, lengths, 0)
        return starts, lengths, elements

    def to(self, device: Any) -> Column:
        if self.elements is None:
            return super().to(device)
        from headwater.tensor.devices import get_backend

        target = get_backend(device)
        if target is self._backend:
            return self
        offsets, elements = self.elements
        moved = list_from_elements(target.to_device(to_host(offsets)), elements.to(device), None)
        data = target.to_device(to_host(self.data))
        mask = None if self.mask is None else target.to_device(to_host(self.mask))
        return moved._with(data, mask)

    @classmethod
    def _from_arrow(cls, arr: pa.Array, backend: Backend) -> tuple[Any, Any, Any, dict]:
        original = None
        if pa.types.is_large_list(arr.type) or pa.types.is_fixed_size_list(arr.type):
            original = arr.type  # given back by to_arrow
            arr = arr.cast(pa.list_(arr.type.value_type))
        ids = backend.to_device(np.arange(len(arr), dtype=np.int64))
        return ids, upload_validity(arr, backend), ListDtype(arr.type.value_type), {
            "_values": arr, "_arrow_type": original, "elements": None}

    def _extra(self) -> dict[str, Any]:
        return {"_values": self._values, "_arrow_type": self._arrow_type, "elements": self.elements}

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


def _arrow_type_of(col: Column) -> pa.DataType:
    """The Arrow type of an element column's values (``string`` for strings)."""
    if col.kind == "string":
        return pa.string()
    return pa.from_numpy_dtype(col.dtype)
