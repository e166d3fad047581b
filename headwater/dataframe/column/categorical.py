"""Categorical columns: codes into fixed categories, optionally ordered."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pyarrow as pa

from headwater.dataframe.column.base import Column, UnsupportedOperation, and_masks
from headwater.dataframe.column.dictionary import DictionaryColumn, unify_dictionaries, upload_codes
from headwater.dataframe.column.operands import COMPARISON, apply_op, flip, operand
from headwater.dataframe.dtypes import CategoricalDtype
from headwater.tensor.backend.base import Backend
from headwater.tensor.transfer import to_host

__all__ = ["CategoricalColumn"]


class CategoricalColumn(DictionaryColumn):
    """Codes into ``dictionary`` (the categories); order comparisons need ``ordered``."""

    kind: ClassVar[str] = "categorical"
    _BINARY_OPS: ClassVar[frozenset[str]] = COMPARISON
    _REDUCTIONS: ClassVar[frozenset[str]] = frozenset({"count", "nunique", "min", "max"})
    __slots__ = ()

    @classmethod
    def _prepare(cls, data: Any, mask: Any, dtype: Any, extra: dict) -> tuple[Any, Any, Any, dict]:
        if "dictionary" not in extra and dtype.categories is not None:
            extra = {**extra, "dictionary": dtype.categories}
        ordered = extra.pop("ordered", dtype.ordered) if "ordered" in extra else dtype.ordered
        data, mask, _, extra = super()._prepare(data, mask, dtype, extra)
        return data, mask, CategoricalDtype(extra["dictionary"], ordered), extra

    @classmethod
    def _from_arrow(cls, arr: pa.Array, backend: Backend) -> tuple[Any, Any, Any, dict]:
        dictionary = arr.dictionary
        if dictionary.type != pa.string():
            dictionary = dictionary.cast(pa.string())
        codes, mask = upload_codes(arr.indices, backend)
        dtype = CategoricalDtype(dictionary, arr.type.ordered)
        return codes, mask, dtype, {"dictionary": dictionary, "_arrow_type": arr.type}

    @property
    def ordered(self) -> bool:
        return self.dtype.ordered

    def _dtype_for(self, dictionary: pa.Array) -> Any:
        return CategoricalDtype(dictionary, self.ordered)

    def to_arrow(self) -> pa.Array:
        indices = self._arrow_indices()
        target = self._arrow_type or pa.dictionary(pa.int32(), pa.string(), self.ordered)
        if indices.type != target.index_type:
            indices = indices.cast(target.index_type)
        dictionary = self.dictionary
        if dictionary.type != target.value_type:
            dictionary = dictionary.cast(target.value_type)
        return pa.DictionaryArray.from_arrays(indices, dictionary, ordered=self.ordered)

    def to_pandas(self) -> Any:
        import pandas as pd

        codes = to_host(self.data).astype(np.int64)
        if self.mask is not None:
            codes = np.where(to_host(self.mask), codes, -1)
        categories = pd.Index(self.dictionary.to_numpy(zero_copy_only=False), dtype="str")
        return pd.Categorical.from_codes(codes, categories=categories, ordered=self.ordered)

    def sort_key(self) -> Any:
        return self.data

    def _binaryop(self, op: str, other: Any, reflect: bool) -> Column:
        from headwater.dataframe.column.dispatch import build_column, full_null

        rhs = operand(self, other, op)
        xp = self.xp
        if op not in ("eq", "ne") and not self.ordered:
            raise UnsupportedOperation(
                f"{op!r} needs an ordered categorical; make one with "
                f".astype(hw.CategoricalDtype(categories, ordered=True))"
            )
        if rhs.is_null:
            return full_null(len(self), np.dtype(bool), self.backend)
        if rhs.column is None:
            code = self.code_of(rhs.scalar) if isinstance(rhs.scalar, str) else -1
            if code < 0:
                if op in ("eq", "ne"):
                    return build_column(xp.full(len(self), op == "ne"), self.mask)
                raise UnsupportedOperation(f"{rhs.scalar!r} is not a category of this column")
            return build_column(apply_op(xp, flip(op) if reflect else op, self.data, np.int32(code)), self.mask)
        if rhs.kind not in ("categorical", "string"):
            raise UnsupportedOperation(f"cannot compare a category column with a {rhs.column.dtype} column")
        if op in ("eq", "ne"):
            (a, b), _ = unify_dictionaries([self, rhs.column])
        else:
            if rhs.kind != "categorical" or not self.dictionary.equals(rhs.column.dictionary):
                raise UnsupportedOperation("ordered comparison needs both columns to have the same categories")
            a, b = self.data, rhs.column.data
        if reflect:
            a, b = b, a
        return build_column(apply_op(xp, op, a, b), and_masks(self.mask, rhs.mask))

    def _reduce(self, name: str, skipna: bool, **kwargs: Any) -> Any:
        if name in ("min", "max") and not self.ordered:
            raise UnsupportedOperation(f"{name}() needs an ordered categorical")
        return super()._reduce(name, skipna, **kwargs)

    def fillna(self, value: Any) -> Column:
        if self.mask is not None and isinstance(value, str) and self.code_of(value) < 0:
            raise ValueError(
                f"cannot fill with {value!r}: not a category of this column; add it with "
                f".cat.add_categories or fill with an existing category"
            )
        return super().fillna(value)


