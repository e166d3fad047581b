"""String columns: dictionary-encoded, int32 codes on the device."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from headwater.dataframe.column.base import Column, UnsupportedOperation, and_masks
from headwater.dataframe.column.dictionary import (
    DictionaryColumn,
    encode_arrow,
    unify_dictionaries,
    upload_codes,
)
from headwater.dataframe.column.operands import COMPARISON, apply_op, flip, operand
from headwater.dataframe.dtypes import StringDtype
from headwater.tensor.backend.base import Backend
from headwater.tensor.transfer import to_host

__all__ = ["StringColumn"]

_PC_COMPARE = {"eq": pc.equal, "ne": pc.not_equal, "lt": pc.less, "le": pc.less_equal,
               "gt": pc.greater, "ge": pc.greater_equal}


class StringColumn(DictionaryColumn):
    """Text; string functions run once per distinct value (see ``map_dictionary``)."""

    kind: ClassVar[str] = "string"
    _BINARY_OPS: ClassVar[frozenset[str]] = COMPARISON | {"add"}
    _REDUCTIONS: ClassVar[frozenset[str]] = frozenset({"count", "nunique", "min", "max"})
    __slots__ = ()

    @classmethod
    def _from_arrow(cls, arr: pa.Array, backend: Backend) -> tuple[Any, Any, Any, dict]:
        indices, dictionary = encode_arrow(arr)
        codes, mask = upload_codes(indices, backend)
        extra = {"dictionary": dictionary, "_arrow_type": None}
        return codes, mask, StringDtype(), extra

    @classmethod
    def _from_dictionary(cls, arr: pa.DictionaryArray, backend: Backend,
                         string_type: pa.DataType | None) -> tuple[Any, Any, Any, dict]:
        dictionary = arr.dictionary
        if dictionary.null_count or len(pc.unique(dictionary)) != len(dictionary):
            codes, mask, dtype, extra = cls._from_arrow(arr.dictionary_decode(), backend)
            return codes, mask, dtype, {**extra, "_arrow_type": string_type}
        if dictionary.type != pa.string():
            dictionary = dictionary.cast(pa.string())
        codes, mask = upload_codes(arr.indices, backend)
        extra = {"dictionary": dictionary, "_arrow_type": string_type}
        return codes, mask, StringDtype(), extra

    def to_arrow(self) -> pa.Array:
        """``dictionary<int32, string>``; a column read from a plain Arrow type (a Parquet
        file's ``large_string``, say) gives that type back, so that round trips are exact."""
        target = self._arrow_type
        if target is not None and not pa.types.is_dictionary(target):
            out = self.dictionary.take(self._arrow_indices())
            return out if out.type == target else out.cast(target)
        value_type = pa.string() if target is None else target.value_type
        dictionary = self.dictionary if self.dictionary.type == value_type else self.dictionary.cast(value_type)
        return pa.DictionaryArray.from_arrays(self._arrow_indices(), dictionary)

    def decoded_arrow(self) -> pa.Array:
        """The values as a plain Arrow string array (one take of the dictionary on the host)."""
        out = self.to_arrow()
        return out.dictionary_decode() if pa.types.is_dictionary(out.type) else out

    def to_pandas(self) -> Any:
        import pandas as pd

        return pd.array(self.decoded_arrow(), dtype="str")  # pandas' default str dtype, Arrow-backed

    def sort_key(self) -> Any:
        if len(self.dictionary) == 0:
            return self.data
        return self.xp.take(self.dictionary_rank(), self.data)

    def _binaryop(self, op: str, other: Any, reflect: bool) -> Column:
        from headwater.dataframe.column.dispatch import build_column, full_null

        rhs = operand(self, other, op)
        if rhs.is_null:
            out = np.dtype(bool) if op in COMPARISON else StringDtype()
            return full_null(len(self), out, self.backend)
        if rhs.column is None:
            value = rhs.scalar
            if not isinstance(value, str):
                if op in ("eq", "ne"):
                    return build_column(self.xp.full(len(self), op == "ne"), self.mask)
                raise UnsupportedOperation(
                    f"cannot apply {op!r} to a str column and {type(value).__name__} {value!r}; "
                    f"convert it with str(...) or cast the column with .astype(...)"
                )
            scalar = pa.scalar(value, pa.string())
            if op == "add":
                return self.map_dictionary(
                    lambda d: pc.binary_join_element_wise(scalar, d, "") if reflect
                    else pc.binary_join_element_wise(d, scalar, "")
                )
            fn = _PC_COMPARE[flip(op) if reflect else op]
            return self.map_dictionary(lambda d: fn(d, scalar))
        if rhs.kind not in ("string", "categorical"):
            raise UnsupportedOperation(f"cannot apply {op!r} to a str column and a {rhs.column.dtype} column")
        if rhs.column.layout == "plain":  # a mix of layouts works in the plain one
            return self.as_plain()._binaryop(op, other, reflect)
        left, right = (rhs.column, self) if reflect else (self, rhs.column)
        if op == "add":
            return _concat_pairs(left, right)
        (a, b), dictionary = unify_dictionaries([left, right])
        xp = self.xp
        if op not in ("eq", "ne"):
            merged = self.with_dictionary(a, None, dictionary)
            rank = merged.dictionary_rank() if len(dictionary) else None
            if rank is not None:
                a, b = xp.take(rank, a), xp.take(rank, b)
        return build_column(apply_op(xp, op, a, b), and_masks(left.mask, right.mask))


def _concat_pairs(left: DictionaryColumn, right: DictionaryColumn) -> Column:
    """Row-wise ``left + right``: joined once per distinct pair of codes."""
    from headwater.dataframe.column.dispatch import build_column
    from headwater.dataframe.unique import factorize_columns

    ids, first_rows = factorize_columns([left.with_mask(None), right.with_mask(None)])
    xp = left.xp
    first = to_host(first_rows)
    lcodes = pa.array(to_host(left.data)[first]) if len(first) else pa.array([], pa.int32())
    rcodes = pa.array(to_host(right.data)[first]) if len(first) else pa.array([], pa.int32())
    joined = pc.binary_join_element_wise(left.dictionary.take(lcodes), right.dictionary.take(rcodes), "")
    indices, dictionary = encode_arrow(joined)
    remap, _ = upload_codes(indices, left.backend)
    codes = xp.take(remap, ids) if len(first) else left.data
    return build_column(codes, and_masks(left.mask, right.mask), StringDtype(), dictionary=dictionary)
