"""Decimal columns: exact fixed-point numbers as int64 multiples of ``10**-scale``.

Arrow's ``decimal128``/``decimal256`` arrays are read when their scale is at most 18
and every value fits an int64 (the low 64-bit word of each value, checked against the
high words on the device); their type comes back exactly from ``to_arrow``.
Arithmetic follows Arrow's result types, with the precision capped at 18:

- ``a + b``, ``a - b``: scale ``max(s1, s2)``, precision ``max(p1 - s1, p2 - s2) + scale + 1``;
- ``a * b``: scale ``s1 + s2``, precision ``p1 + p2 + 1``;
- ``sum``: the column's scale (Arrow widens the precision to 38; here 18);
- integers take part as ``decimal(digits, 0)``; division, powers, ``mean``/``std``/
  ``median`` and anything mixed with floats give float64.

Scalars read from a decimal column (``sum``, ``min``, ``max``...) are exact
:class:`~headwater.dataframe.column.decimal_scalar.DecimalScalar` values: a
``decimal.Decimal`` that, by the same rule, gives float64 when combined with a float.

Every exact result is checked for int64 overflow (:mod:`decimal_math`), which raises
:class:`~headwater.dataframe.column.decimal_math.DecimalOverflowError` naming
``astype(float)``.
"""

from __future__ import annotations

import decimal as pydecimal
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa

from headwater.dataframe.column.arrowbits import upload_validity
from headwater.dataframe.column.base import Column, UnsupportedOperation, and_masks
from headwater.dataframe.column.decimal_math import (
    checked_add,
    checked_mul,
    checked_sub,
    checked_total,
    overflow_error,
    rescale,
)
from headwater.dataframe.column.decimal_scalar import DecimalScalar
from headwater.dataframe.column.numeric import cumulative_values, reduce_values
from headwater.dataframe.column.operands import ARITHMETIC, COMPARISON, apply_op, operand
from headwater.dataframe.dtypes import MAX_DECIMAL_PRECISION, DecimalDtype, DtypeError
from headwater.tensor.backend.base import Backend
from headwater.tensor.transfer import to_host

__all__ = ["DecimalColumn", "decimal_scalar", "result_dtype"]

_EXACT_OPS = frozenset({"add", "sub", "mul"})
_FLOAT_REDUCTIONS = frozenset({"std", "var", "median", "quantile", "prod"})


def _cap(precision: int) -> int:
    return min(precision, MAX_DECIMAL_PRECISION)


def result_dtype(op: str, a: DecimalDtype, b: DecimalDtype) -> DecimalDtype:
    """Arrow's result type of ``a <op> b`` for ``add``, ``sub`` and ``mul``, capped at 18 digits."""
    if op == "mul":
        scale = a.scale + b.scale
        if scale > MAX_DECIMAL_PRECISION:
            raise overflow_error(f"the product of {a} and {b} (scale {scale})")
        return DecimalDtype(_cap(a.precision + b.precision + 1), scale)
    scale = max(a.scale, b.scale)
    return DecimalDtype(_cap(max(a.precision - a.scale, b.precision - b.scale) + scale + 1), scale)


def decimal_scalar(value: Any) -> tuple[int, DecimalDtype] | None:
    """(scaled int, dtype) of an exact scalar (``int``, ``Decimal``), None for others."""
    if isinstance(value, (bool, np.bool_)):
        value = int(value)
    if isinstance(value, (int, np.integer)):
        value = int(value)
        if not -(2**63) <= value < 2**63:
            return None
        return value, DecimalDtype(_cap(max(1, len(str(abs(value))))), 0)
    if isinstance(value, pydecimal.Decimal) and value.is_finite():
        sign, digits, exponent = value.as_tuple()
        scale = max(0, -int(exponent))
        scaled = int(value.scaleb(scale))
        if scale > MAX_DECIMAL_PRECISION or not -(2**63) <= scaled < 2**63:
            return None
        return scaled, DecimalDtype(_cap(max(len(digits), scale, 1)), scale)
    return None


class DecimalColumn(Column):
    """Exact decimals (int64 scaled by ``10**scale``); see the module docstring."""

    kind: ClassVar[str] = "decimal"
    _BINARY_OPS: ClassVar[frozenset[str]] = ARITHMETIC | COMPARISON
    _REDUCTIONS: ClassVar[frozenset[str]] = frozenset(
        {"sum", "prod", "mean", "min", "max", "std", "var", "median", "quantile", "count",
         "nunique", "argmin", "argmax"}
    )
    _CUMULATIVE: ClassVar[frozenset[str]] = frozenset({"cumsum", "cummax", "cummin"})
    _UNARY_OPS: ClassVar[frozenset[str]] = frozenset({"neg", "pos", "abs"})
    __slots__ = ("_arrow_type",)

    @classmethod
    def _prepare(cls, data: Any, mask: Any, dtype: Any, extra: dict) -> tuple[Any, Any, Any, dict]:
        if data.dtype != np.int64:
            data = data.astype(np.int64)
        if mask is not None and mask.dtype != bool:
            mask = mask.astype(bool)
        return data, mask, dtype, {"_arrow_type": extra.get("_arrow_type")}

    @classmethod
    def _from_arrow(cls, arr: pa.Array, backend: Backend) -> tuple[Any, Any, Any, dict]:
        t = arr.type
        if t.scale < 0 or t.scale > MAX_DECIMAL_PRECISION:
            raise DtypeError(f"unsupported Arrow type {t}: the decimal dtype holds scales 0 to "
                             f"{MAX_DECIMAL_PRECISION}; read it with decimal='float' or cast it "
                             f"with .cast(pa.float64())")
        xp = backend.xp
        words = t.byte_width // 8
        mask = upload_validity(arr, backend)
        buf = arr.buffers()[1]
        if buf is None or len(arr) == 0:
            data = xp.zeros(len(arr), dtype=np.int64)
        else:
            host = np.frombuffer(buf, dtype=np.int64, count=len(arr) * words,
                                 offset=arr.offset * t.byte_width).reshape(-1, words)
            wide = backend.to_device(host)
            data = xp.ascontiguousarray(wide[:, 0])
            # within 18 digits every valid value fits the low word (Arrow's full validation
            # checks values against the precision); wider types need their high words checked
            fits = True if t.precision <= MAX_DECIMAL_PRECISION or words == 1 else \
                xp.all(wide[:, 1:] == (data >> 63)[:, None], axis=1)  # high words: the sign only
            if mask is not None:
                if fits is not True:
                    fits |= ~mask
                data = xp.where(mask, data, 0)
            if fits is not True and not bool(to_host(xp.all(fits))):
                raise DtypeError(f"unsupported Arrow type {t} here: some values need more than 18 "
                                 f"digits (an int64); read it with decimal='float' or cast it with "
                                 f".cast(pa.float64())")
        dtype = DecimalDtype(_cap(t.precision), t.scale)
        return data, mask, dtype, {"_arrow_type": None if t == dtype.arrow_type else t}

    def _extra(self) -> dict[str, Any]:
        return {"_arrow_type": self._arrow_type}

    @property
    def scale(self) -> int:
        return self.dtype.scale

    # -- conversion -------------------------------------------------------------------
    def to_arrow(self) -> pa.Array:
        target = self._arrow_type or self.dtype.arrow_type
        words = target.byte_width // 8
        values = to_host(self.data)
        mask = self._host_mask()
        wide = np.empty((len(values), words), dtype=np.int64)
        wide[:, 0] = values
        wide[:, 1:] = (values >> 63)[:, None]
        if mask is None:
            return pa.Array.from_buffers(target, len(values), [None, pa.py_buffer(wide)], null_count=0)
        wide[~mask] = 0
        bits = pa.py_buffer(np.packbits(mask, bitorder="little"))
        return pa.Array.from_buffers(target, len(values), [bits, pa.py_buffer(wide)],
                                     null_count=int(len(values) - mask.sum()))

    def to_pandas(self) -> Any:
        return self.to_arrow().to_pandas()

    def to_numpy(self, na_value: Any = None) -> np.ndarray:
        out = np.asarray(self.to_pandas(), dtype=object)
        if na_value is not None and self.mask is not None:
            out[~to_host(self.mask)] = na_value
        return out

    def box(self, host_value: Any) -> Any:
        if host_value is None:
            return None
        return DecimalScalar(pydecimal.Decimal(int(host_value)).scaleb(-self.scale))

    def as_float(self) -> Column:
        """The values as a float64 column (each the float nearest the decimal)."""
        from headwater.dataframe.column.dispatch import build_column

        data = self.data.astype(np.float64) / (10.0**self.scale)
        return build_column(data, self.mask)

    def _decimal(self, data: Any, mask: Any, dtype: DecimalDtype) -> Column:
        from headwater.dataframe.column.dispatch import build_column

        return build_column(data, mask, dtype)

    def round_to(self, decimals: int) -> Column:
        """Values rounded to ``decimals`` places, half to even (Arrow's and Python's
        default), in the same dtype."""
        shift = self.scale - int(decimals)
        if shift <= 0:
            return self
        xp = self.xp
        if shift > MAX_DECIMAL_PRECISION:
            return self._decimal(xp.zeros_like(self.data), self.mask, self.dtype)
        step = np.int64(10**shift)
        whole = xp.floor_divide(self.data, step)
        rest = self.data - whole * step  # 0 <= rest < step
        half = step // 2
        up = (rest > half) | ((rest == half) & (whole % 2 == 1))
        data = checked_mul(xp, whole + up.astype(np.int64), step, self.mask, f"round of a {self.dtype} column")
        return self._decimal(data, self.mask, self.dtype)

    # -- missing ----------------------------------------------------------------------
    def fillna(self, value: Any) -> Column:
        exact = decimal_scalar(value)
        if exact is None:
            if isinstance(value, (float, np.floating)):
                return self.as_float().fillna(value)
            raise DtypeError(f"cannot fill a {self.dtype} column with {type(value).__name__} {value!r}")
        if self.mask is None:
            return self
        scaled, dtype = exact
        target = DecimalDtype(_cap(max(self.dtype.precision, dtype.precision - dtype.scale + self.scale)),
                              max(self.scale, dtype.scale))
        data = rescale(self.xp, self.data, target.scale - self.scale, self.mask, "fillna")
        fill = scaled * 10 ** (target.scale - dtype.scale)
        if not -(2**63) <= fill < 2**63:
            raise overflow_error(f"fillna({value!r})")
        return self._decimal(self.xp.where(self.mask, data, np.int64(fill)), None, target)

    def isin(self, values: list[Any]) -> Any:
        wanted = []
        for v in values:
            if isinstance(v, (float, np.floating)) and np.isfinite(v):
                v = pydecimal.Decimal(repr(float(v)))
            exact = decimal_scalar(v)
            if exact is None or exact[1].scale > self.scale:
                continue
            wanted.append(exact[0] * 10 ** (self.scale - exact[1].scale))
        wanted = [w for w in wanted if -(2**63) <= w < 2**63]
        hit = self.xp.isin(self.data, self.backend.to_device(np.asarray(wanted, dtype=np.int64)))
        return hit if self.mask is None else hit & self.mask

    # -- operators --------------------------------------------------------------------
    def unary_op(self, op: str) -> Column:
        if op not in self._UNARY_OPS:
            raise UnsupportedOperation(f"{op} is not supported for a {self.dtype} column")
        if op == "pos":
            return self
        xp = self.xp
        zero = xp.zeros((), dtype=np.int64)
        data = checked_sub(xp, zero, self.data, self.mask, f"{op} of a {self.dtype} column")
        if op == "abs":
            data = xp.where(self.data < 0, data, self.data)
        return self._decimal(data, self.mask, self.dtype)

    def _binaryop(self, op: str, other: Any, reflect: bool) -> Column:
        from headwater.dataframe.column.dispatch import build_column, full_null

        rhs = operand(self, other, op)
        if rhs.is_null:
            out = np.dtype(bool) if op in COMPARISON else (
                self.dtype if op in _EXACT_OPS else np.dtype(np.float64))
            return full_null(len(self), out, self.backend)
        exact = self._exact_operand(rhs, op)
        if exact is None or op not in _EXACT_OPS | COMPARISON:
            floats = rhs.column.as_float() if rhs.kind == "decimal" else other
            return self.as_float().binary_op(op, floats, reflect)
        b, bdtype, bmask = exact
        a, adtype = self.data, self.dtype
        if reflect:
            (a, adtype), (b, bdtype) = (b, bdtype), (a, adtype)
        mask = and_masks(self.mask, bmask)
        xp = self.xp
        what = f"{adtype} {op} {bdtype}"
        if op == "mul":
            dtype = result_dtype(op, adtype, bdtype)
            return self._decimal(checked_mul(xp, a, b, mask, what), mask, dtype)
        scale = max(adtype.scale, bdtype.scale)
        a = rescale(xp, a, scale - adtype.scale, mask, what)
        b = rescale(xp, b, scale - bdtype.scale, mask, what)
        if op in COMPARISON:
            data = apply_op(xp, op, a, b)
            if data.ndim == 0:
                data = xp.full(len(self), bool(data))
            return build_column(data, mask)
        dtype = result_dtype(op, adtype, bdtype)
        data = checked_add(xp, a, b, mask, what) if op == "add" else checked_sub(xp, a, b, mask, what)
        return self._decimal(data, mask, dtype)

    def _exact_operand(self, rhs: Any, op: str) -> tuple[Any, DecimalDtype, Any] | None:
        """(int64 data or scalar, decimal dtype, mask) of an exact operand; None for floats."""
        if rhs.column is not None:
            kind = rhs.kind
            if kind == "decimal":
                return rhs.column.data, rhs.column.dtype, rhs.column.mask
            if kind in ("int", "uint", "bool"):
                return rhs.column.data.astype(np.int64), DecimalDtype(MAX_DECIMAL_PRECISION, 0), rhs.column.mask
            if kind == "float":
                return None
            raise UnsupportedOperation(
                f"cannot apply {op!r} to a {self.dtype} column and a {rhs.column.dtype} column; "
                f"cast one with .astype(...) first"
            )
        value = rhs.scalar
        if isinstance(value, (float, np.floating)):
            return None
        exact = decimal_scalar(value)
        if exact is None:
            if isinstance(value, (int, np.integer, pydecimal.Decimal)):
                return None  # too wide for int64: computed in float64
            raise UnsupportedOperation(
                f"cannot apply {op!r} to a {self.dtype} column and {type(value).__name__} {value!r}"
            )
        return np.int64(exact[0]), exact[1], None

    # -- reductions -------------------------------------------------------------------
    def _zeroed(self) -> Any:
        return self.data if self.mask is None else self.xp.where(self.mask, self.data, 0)

    def _reduce(self, name: str, skipna: bool, **kwargs: Any) -> Any:
        if name in _FLOAT_REDUCTIONS:
            return self.as_float().reduce(name, skipna=skipna, **kwargs)
        if name == "mean":
            return self._mean(skipna)
        if name == "sum":
            if not skipna and self.mask is not None and self.null_count:
                return np.float64(np.nan)
            if self.reduce("count") < kwargs.get("min_count", 0):
                return np.float64(np.nan)
            xp = self.xp
            total = checked_total(xp, self._zeroed(), xp.sum, f"the sum of a {self.dtype} column")
            return self.box(to_host(total)[()])
        out = reduce_values(self, self.data, name, skipna, **kwargs)
        if name in ("argmin", "argmax"):
            return out
        if isinstance(out, (float, np.floating)) and np.isnan(out):
            return None
        return self.box(out)

    def _mean(self, skipna: bool) -> Any:
        """The exact total over the count, in float64 (a float mean when the total overflows)."""
        from headwater.dataframe.column.decimal_math import DecimalOverflowError

        count = self.reduce("count")
        if count == 0 or (not skipna and count < len(self)):
            return np.float64(np.nan)
        xp = self.xp
        try:
            total = checked_total(xp, self._zeroed(), xp.sum, "")
        except DecimalOverflowError:
            return self.as_float().reduce("mean", skipna=skipna)
        return np.float64(int(to_host(total)) / (count * 10.0**self.scale))

    def _cumulative(self, name: str, skipna: bool) -> Column:
        if name == "cumsum":
            xp = self.xp
            checked_total(xp, self._zeroed(), xp.cumsum, f"the running sum of a {self.dtype} column")
        data, mask = cumulative_values(self, self.data, name, skipna)
        return self._decimal(data, mask, self.dtype if name != "cumsum" else
                             DecimalDtype(MAX_DECIMAL_PRECISION, self.scale))
