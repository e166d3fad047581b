"""What string and categorical columns share: int32 codes on the device, a host dictionary.

Work on the values runs once per distinct value: :meth:`DictionaryColumn.map_dictionary`
applies a ``pyarrow.compute`` function to the dictionary on the host and the codes map
the answer back on the device. Two columns are compared or combined after
:func:`unify_dictionaries` gives them one dictionary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from headwater.dataframe.column.arrowbits import host_validity, upload_fixed, upload_validity
from headwater.dataframe.column.base import Column, and_masks
from headwater.tensor.backend.base import Backend
from headwater.tensor.transfer import to_host

__all__ = ["DictionaryColumn", "unify_dictionaries", "upload_codes", "encode_arrow"]


def upload_codes(indices: pa.Array, backend: Backend) -> tuple[Any, Any]:
    """Upload Arrow int indices as int32 codes (null rows get code 0) and their validity."""
    mask = upload_validity(indices, backend)
    if indices.null_count:
        indices = pc.fill_null(indices, 0)
    if indices.type != pa.int32():
        indices = indices.cast(pa.int32())
    return upload_fixed(indices, np.int32, backend), mask


def encode_arrow(values: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(indices, dictionary) of a string array, the dictionary as ``pa.string()``."""
    enc = pc.dictionary_encode(values)
    dictionary = enc.dictionary
    if dictionary.type != pa.string():
        dictionary = dictionary.cast(pa.string())
    return enc.indices, dictionary


def unify_dictionaries(cols: Sequence[DictionaryColumn]) -> tuple[list[Any], pa.Array]:
    """New codes for each column over one shared dictionary (first appearance order)."""
    if all(c.dictionary.equals(cols[0].dictionary) for c in cols[1:]):
        return [c.data for c in cols], cols[0].dictionary
    combined = pa.concat_arrays([c.dictionary for c in cols])
    indices, dictionary = encode_arrow(combined)
    out, start = [], 0
    for c in cols:
        n = len(c.dictionary)
        remap = c.backend.to_device(indices.slice(start, n).to_numpy().astype(np.int32))
        out.append(c.xp.take(remap, c.data) if n else c.data)
        start += n
    return out, dictionary


class DictionaryColumn(Column):
    """int32 codes into ``dictionary``; null rows have code 0 and mask False."""

    layout: ClassVar[str] = "dictionary"
    __slots__ = ("dictionary", "_arrow_type")

    @classmethod
    def _prepare(cls, data: Any, mask: Any, dtype: Any, extra: dict) -> tuple[Any, Any, Any, dict]:
        if "dictionary" not in extra:
            raise TypeError(f"a {dtype} column needs dictionary= (a pyarrow string array)")
        dictionary = extra["dictionary"]
        if not isinstance(dictionary, pa.Array):
            dictionary = pa.array(list(dictionary), pa.string())
        if dictionary.type != pa.string():
            dictionary = dictionary.cast(pa.string())
        if data.dtype != np.int32:
            data = data.astype(np.int32)
        if mask is not None and mask.dtype != bool:
            mask = mask.astype(bool)
        return data, mask, dtype, {"dictionary": dictionary, "_arrow_type": extra.get("_arrow_type")}

    def _extra(self) -> dict[str, Any]:
        return {"dictionary": self.dictionary, "_arrow_type": self._arrow_type}

    def _empty_like(self, n: int) -> Any:
        return self.xp.zeros(n, dtype=np.int32)

    def _arrow_indices(self) -> pa.Array:
        return pa.array(to_host(self.data), mask=host_validity(self._host_mask()), type=pa.int32())

    def with_dictionary(self, codes: Any, mask: Any, dictionary: pa.Array) -> Column:
        """Same family and dtype, new codes over a new dictionary."""
        extra = self._extra()
        extra["dictionary"] = dictionary
        return self._rebuild_with(codes, mask, extra)

    def _rebuild_with(self, codes: Any, mask: Any, extra: dict) -> Column:
        from headwater.dataframe.column.dispatch import build_column

        return build_column(codes, mask, self._dtype_for(extra["dictionary"]), **extra)

    def _dtype_for(self, dictionary: pa.Array) -> Any:
        return self.dtype

    # -- per-distinct-value work ---------------------------------------------------------
    def map_dictionary(self, func: Callable[[pa.Array], pa.Array]) -> Column:
        """Apply ``func`` to each distinct value; codes carry the result to every row.

        String results become a string column; numbers and bools a fixed-width column.
        Nulls in ``func``'s answer become nulls in the rows that map to them.
        """
        from headwater.dataframe.column.dispatch import build_column, column_from_arrow

        result = func(self.dictionary)
        if isinstance(result, pa.ChunkedArray):
            result = result.combine_chunks()
        if pa.types.is_string(result.type) or pa.types.is_large_string(result.type):
            indices, dictionary = encode_arrow(result)
            remap, remap_mask = upload_codes(indices, self.backend)
            codes = self.xp.take(remap, self.data) if len(result) else self.data
            mask = self.mask
            if remap_mask is not None:
                mask = and_masks(mask, self.xp.take(remap_mask, self.data))
            from headwater.dataframe.dtypes import StringDtype

            return build_column(codes, mask, StringDtype(), dictionary=dictionary)
        per_value = column_from_arrow(result, device=self.device)
        if len(result) == 0:
            from headwater.dataframe.column.dispatch import full_null

            return full_null(len(self), per_value.dtype, self.backend)
        return per_value.take(self.data).with_mask(
            and_masks(self.mask, None if per_value.mask is None else self.xp.take(per_value.mask, self.data))
        )

    def dictionary_rank(self) -> Any:
        """int32 xp array: the sorted position of each dictionary value."""
        n = len(self.dictionary)
        order = pc.sort_indices(self.dictionary).to_numpy()
        rank = np.empty(n, dtype=np.int32)
        rank[order] = np.arange(n, dtype=np.int32)
        return self.backend.to_device(rank)

    def isin(self, values: list[Any]) -> Any:
        wanted = pa.array([v for v in values if isinstance(v, str)], pa.string())
        per_value = pc.is_in(self.dictionary, value_set=wanted).to_numpy(zero_copy_only=False)
        if len(per_value) == 0:
            return self.xp.zeros(len(self), dtype=bool)
        hit = self.xp.take(self.backend.to_device(per_value), self.data)
        return hit if self.mask is None else hit & self.mask

    def code_of(self, value: str) -> int:
        """The code of ``value`` in the dictionary, or -1."""
        return int(pc.index(self.dictionary, pa.scalar(value, pa.string())).as_py())

    def fillna(self, value: Any) -> Column:
        if self.mask is None:
            return self
        if not isinstance(value, str):
            raise TypeError(
                f"cannot fill a {self.dtype} column with {type(value).__name__} {value!r}; "
                f"give a string"
            )
        code = self.code_of(value)
        dictionary = self.dictionary
        if code < 0:
            code = len(dictionary)
            dictionary = pa.concat_arrays([dictionary, pa.array([value], pa.string())])
        codes = self.xp.where(self.mask, self.data, np.int32(code))
        return self.with_dictionary(codes, None, dictionary)

    def factorize_key(self) -> tuple[Any, Any]:
        return self.data, self.mask

    def codes(self, sort: bool) -> tuple[Any, int, Any]:
        """(codes, number of codes, sort rank of each code or None when code order is
        already value order); the string layouts share this interface."""
        rank = self.dictionary_rank() if sort and self.kind == "string" else None
        return self.data, len(self.dictionary), rank

    def as_dictionary(self) -> Column:
        """This column (already dictionary-encoded)."""
        return self

    def as_plain(self) -> Column:
        """The values as a plain-layout string column (offsets + bytes): the dictionary
        is uploaded once and its strings gathered by the codes on the device."""
        from headwater.dataframe.column.dispatch import column_from_arrow

        values = column_from_arrow(self.dictionary, device=self.device)
        if len(self.dictionary) == 0:
            from headwater.dataframe.column.dispatch import full_null
            from headwater.dataframe.column.plain_string import plain_literal

            return plain_literal("", len(self), self.backend).with_mask(
                full_null(len(self), "str", self.backend).mask)
        return values.take(self.data.astype("int64")).with_mask(self.mask)

    def _reduce(self, name: str, skipna: bool, **kwargs: Any) -> Any:
        if name in ("min", "max"):
            if self.mask is not None and not skipna and self.null_count:
                return None
            from headwater.dataframe.column.numeric import reduce_values

            rank = self.sort_key()
            pos = reduce_values(self, rank, "argmin" if name == "min" else "argmax", True)
            if isinstance(pos, float):
                return None
            return self.dictionary[int(to_host(self.data[int(pos):int(pos) + 1])[0])].as_py()
        if name == "nunique":
            from headwater.dataframe.unique import nunique

            return nunique(self, dropna=skipna)
        raise NotImplementedError(name)

    def to_numpy(self, na_value: Any = None) -> np.ndarray:
        values = np.asarray(self.dictionary.to_numpy(zero_copy_only=False), dtype=object)
        if len(values) == 0:
            return np.full(len(self), na_value, dtype=object)
        out = values[to_host(self.data)]
        if self.mask is not None:
            out[~to_host(self.mask)] = na_value
        return out
