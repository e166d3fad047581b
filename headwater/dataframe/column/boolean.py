"""Boolean columns, with Kleene logic for ``&`` and ``|`` as pandas' ``boolean`` dtype."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pyarrow as pa

from headwater.dataframe.column.arrowbits import host_validity, upload_bits, upload_validity
from headwater.dataframe.column.base import Column, UnsupportedOperation, and_masks, readonly
from headwater.dataframe.column.numeric import cumulative_values, reduce_values
from headwater.dataframe.column.operands import ARITHMETIC, COMPARISON, LOGICAL, apply_op, operand
from headwater.tensor.backend.base import Backend
from headwater.tensor.transfer import to_host

__all__ = ["BooleanColumn"]


class BooleanColumn(Column):
    """True/False with nulls; ``&``/``|`` follow three-valued (Kleene) logic."""

    kind: ClassVar[str] = "bool"
    _BINARY_OPS: ClassVar[frozenset[str]] = LOGICAL | COMPARISON | ARITHMETIC
    _UNARY_OPS: ClassVar[frozenset[str]] = frozenset({"invert"})
    _REDUCTIONS: ClassVar[frozenset[str]] = frozenset(
        {"sum", "mean", "min", "max", "any", "all", "count", "nunique", "prod", "std", "var",
         "median", "quantile", "argmin", "argmax"}
    )
    _CUMULATIVE: ClassVar[frozenset[str]] = frozenset({"cumsum", "cumprod", "cummax", "cummin"})
    __slots__ = ()

    @classmethod
    def _from_arrow(cls, arr: pa.Array, backend: Backend) -> tuple[Any, Any, Any, dict]:
        return upload_bits(arr, backend), upload_validity(arr, backend), np.dtype(bool), {}

    def to_arrow(self) -> pa.Array:
        return pa.array(to_host(self.data), mask=host_validity(self._host_mask()), type=pa.bool_())

    def to_pandas(self) -> Any:
        import pandas as pd

        if self.mask is None:
            return readonly(to_host(self.data))
        return pd.arrays.BooleanArray(to_host(self.data).copy(), ~to_host(self.mask))

    def to_numpy(self, na_value: Any = None) -> np.ndarray:
        if self.mask is None:
            return readonly(to_host(self.data))
        out = to_host(self.data).astype(object)
        out[~to_host(self.mask)] = na_value
        return out

    def fillna(self, value: Any) -> Column:
        from headwater.dataframe.column.dispatch import build_column

        if not isinstance(value, (bool, np.bool_)):
            return self.astype(np.dtype(np.result_type(np.int64, value))).fillna(value)
        if self.mask is None:
            return self
        return build_column(self.xp.where(self.mask, self.data, bool(value)), None)

    def isin(self, values: list[Any]) -> Any:
        xp = self.xp
        has_true = any(v is True or (isinstance(v, (int, np.integer)) and v == 1) for v in values)
        has_false = any(v is False or (isinstance(v, (int, np.integer)) and v == 0) for v in values)
        hit = xp.where(self.data, has_true, has_false)
        return hit if self.mask is None else hit & self.mask

    def _binaryop(self, op: str, other: Any, reflect: bool) -> Column:
        from headwater.dataframe.column.dispatch import build_column, full_null

        rhs = operand(self, other, op)
        if op in ARITHMETIC or (rhs.kind not in (None, "bool")) or (
            rhs.scalar is not None and not isinstance(rhs.scalar, (bool, np.bool_))
        ):
            if op in LOGICAL:
                raise UnsupportedOperation(
                    f"{op!r} needs bool operands, got a bool column and "
                    f"{rhs.column.dtype if rhs.column is not None else type(rhs.scalar).__name__}"
                )
            return self.astype(np.dtype(np.int64)).binary_op(op, other, reflect)
        xp = self.xp
        if op in LOGICAL:
            return self._kleene(op, rhs)
        if rhs.is_null:
            return full_null(len(self), np.dtype(bool), self.backend)
        a, b = (rhs.data, self.data) if reflect else (self.data, rhs.data)
        return build_column(apply_op(xp, op, a, b), and_masks(self.mask, rhs.mask))

    def _kleene(self, op: str, rhs: Any) -> Column:
        from headwater.dataframe.column.dispatch import build_column

        xp = self.xp
        n = len(self)
        a, va = self.data, self.mask
        if rhs.is_null:
            b, vb = xp.zeros(n, dtype=bool), xp.zeros(n, dtype=bool)
        elif rhs.column is None:
            b, vb = xp.full(n, bool(rhs.scalar), dtype=bool), None
        else:
            b, vb = rhs.data, rhs.mask
        if op == "xor":
            return build_column(xp.logical_xor(a, b), and_masks(va, vb))
        if va is None and vb is None:
            return build_column(xp.logical_and(a, b) if op == "and" else xp.logical_or(a, b), None)
        va_ = xp.ones(n, dtype=bool) if va is None else va
        vb_ = xp.ones(n, dtype=bool) if vb is None else vb
        if op == "and":
            # False wins over null: a known False on either side decides the answer
            data = (a | ~va_) & (b | ~vb_)
            valid = (va_ & vb_) | (va_ & ~a) | (vb_ & ~b)
        else:
            # True wins over null
            data = (a & va_) | (b & vb_)
            valid = (va_ & vb_) | (va_ & a) | (vb_ & b)
        return build_column(data, valid)

    def _reduce(self, name: str, skipna: bool, **kwargs: Any) -> Any:
        data = self.data if name in ("any", "all", "min", "max", "argmin", "argmax") else self.data.astype(np.int64)
        out = reduce_values(self, data, name, skipna, **kwargs)
        if name in ("min", "max") and isinstance(out, np.integer | np.bool_):
            return np.bool_(out)
        return out

    def _cumulative(self, name: str, skipna: bool) -> Column:
        from headwater.dataframe.column.dispatch import build_column

        data = self.data.astype(np.int64) if name in ("cumsum", "cumprod") else self.data
        values, mask = cumulative_values(self, data, name, skipna)
        return build_column(values, mask)
