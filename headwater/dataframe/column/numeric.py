"""Numeric columns: int8..int64, uint8..uint64, float32 and float64.

Float columns keep NaN distinct from null (as Arrow does) but count NaN as missing
for ``isna``, ``fillna``, ``dropna`` and ``skipna`` reductions, as pandas does.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pyarrow as pa

from headwater.dataframe.column.arrowbits import host_validity, upload_fixed, upload_validity
from headwater.dataframe.column import deferred
from headwater.dataframe.column.base import Column, UnsupportedOperation, and_masks, readonly
from headwater.dataframe.column.operands import ARITHMETIC, COMPARISON, apply_op, operand
from headwater.tensor.backend.base import Backend
from headwater.tensor.transfer import to_host

__all__ = ["NumericColumn", "reduce_values", "cumulative_values"]

_ORDER_STATS = frozenset({"median", "quantile"})


class NumericColumn(Column):
    """Integers and floats; see :class:`~headwater.dataframe.column.base.Column`."""

    _BINARY_OPS: ClassVar[frozenset[str]] = ARITHMETIC | COMPARISON
    _REDUCTIONS: ClassVar[frozenset[str]] = frozenset(
        {"sum", "prod", "mean", "min", "max", "std", "var", "median", "quantile", "any",
         "all", "count", "nunique", "argmin", "argmax", "skew", "kurt"}
    )
    _CUMULATIVE: ClassVar[frozenset[str]] = frozenset({"cumsum", "cumprod", "cummax", "cummin"})
    _UNARY_OPS: ClassVar[frozenset[str]] = frozenset({"neg", "pos", "abs", "invert"})
    __slots__ = ("_has_nan",)  # found on first use (a column's buffers never change)

    @property
    def kind(self) -> str:  # type: ignore[override]
        return {"i": "int", "u": "uint", "f": "float"}[self.dtype.kind]

    @classmethod
    def _from_arrow(cls, arr: pa.Array, backend: Backend) -> tuple[Any, Any, Any, dict]:
        if pa.types.is_float16(arr.type):
            arr = arr.cast(pa.float32())
        dtype = np.dtype(arr.type.to_pandas_dtype())
        return upload_fixed(arr, dtype, backend), upload_validity(arr, backend), dtype, {}

    def to_arrow(self) -> pa.Array:
        values = to_host(self.data)
        return pa.array(values, mask=host_validity(self._host_mask()), type=pa.from_numpy_dtype(self.dtype))

    def to_pandas(self) -> Any:
        import pandas as pd

        if self.mask is None:
            return readonly(to_host(self.data))
        if self.kind == "float":
            values = to_host(self.data).copy()
            values[~to_host(self.mask)] = np.nan
            return values
        return pd.arrays.IntegerArray(to_host(self.data).copy(), ~to_host(self.mask))

    def to_numpy(self, na_value: Any = None) -> np.ndarray:
        if self.mask is None:
            return readonly(to_host(self.data))
        values = to_host(self.data)
        if na_value is None:
            values = values.astype(np.float64)
            na_value = np.nan
        out = values.copy()
        out[~to_host(self.mask)] = na_value
        return out

    # -- missing ----------------------------------------------------------------------
    def may_have_nan(self) -> bool:
        """False when the column is known to hold no NaN (always for integers).

        On the host this is found once per column with one reduction (``min``
        propagates NaN) and kept, since a column's buffers never change: reductions,
        groupby aggregations and ``isna`` of a float column without NaN then skip the
        NaN test of every row. On a GPU the answer would be a device-to-host read, so
        it stays True there and the NaN test runs on the device as part of the op.
        """
        if self.kind != "float":
            return False
        pending = self._pending
        if pending is not None:  # rows of a NaN-free source are NaN-free (a missing row reads its row 0)
            return pending[0].may_have_nan()
        known = getattr(self, "_has_nan", None)
        if known is None:
            data = self.data
            if not self.backend.host_fast_paths:
                return True
            known = bool(np.isnan(data.min())) if len(data) else False
            self._has_nan = known
        return known

    def _nan_free_like(self, out: Column) -> Column:
        """``out`` (rows of this column) marked NaN-free when this column is known to be."""
        if type(out) is NumericColumn and self._pending is None and getattr(self, "_has_nan", None) is False:
            out._has_nan = False
        return out

    def _take_now(self, indices: Any, allow_missing: bool = False, checked: bool = False) -> Column:
        return self._nan_free_like(super()._take_now(indices, allow_missing, checked))

    def filter(self, keep: Any) -> Column:
        return self._nan_free_like(super().filter(keep))

    def slice(self, start: int, stop: int | None, step: int = 1) -> Column:
        return self._nan_free_like(super().slice(start, stop, step))

    def is_missing(self) -> Any:
        if not self.may_have_nan():
            return self.is_null()
        nan = self.xp.isnan(self.data)
        return nan if self.mask is None else nan | ~self.mask

    def missing_mask(self) -> Any:
        if not self.may_have_nan():
            source = deferred.source_of(self)  # a pending gather: no need to gather for the answer
            return self.mask if source is None or source.mask is not None else None
        return ~self.is_missing()

    def fillna(self, value: Any) -> Column:
        from headwater.dataframe.column.cast import fill_value_dtype

        xp = self.xp
        dtype = fill_value_dtype(self, value)
        data = xp.where(self.is_missing(), xp.asarray(value, dtype=dtype), self.data.astype(dtype, copy=False))
        return self._rebuild(data, None)

    def _rebuild(self, data: Any, mask: Any) -> Column:
        from headwater.dataframe.column.dispatch import build_column

        return build_column(data, mask)

    def isin(self, values: list[Any]) -> Any:
        xp = self.xp
        wanted = [v for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))]
        try:
            host = np.asarray(wanted, dtype=np.float64 if self.kind == "float" else None)
        except (TypeError, ValueError):
            host = np.asarray([], dtype=self.dtype)
        if host.dtype.kind not in "iufb":
            host = np.asarray([v for v in wanted if isinstance(v, (int, float, np.number))], dtype=np.float64)
        hit = xp.isin(self.data, self.backend.to_device(host))
        return hit if self.mask is None else hit & self.mask

    # -- operators --------------------------------------------------------------------
    def _binaryop(self, op: str, other: Any, reflect: bool) -> Column:
        from headwater.dataframe.column.dispatch import build_column, full_null

        rhs = operand(self, other, op)
        if rhs.kind in ("timedelta",) and op == "mul":
            return rhs.column.binary_op(op, self, reflect=not reflect)
        if rhs.kind == "decimal":  # exact with integers, float64 with floats: the decimal decides
            return rhs.column.binary_op(op, self, reflect=not reflect)
        if rhs.kind is not None and rhs.kind not in ("int", "uint", "float", "bool"):
            raise UnsupportedOperation(
                f"cannot apply {op!r} to a {self.dtype} column and a {rhs.column.dtype} column; "
                f"cast one with .astype(...) first"
            )
        if rhs.scalar is not None and not isinstance(rhs.scalar, (int, float, bool, np.number)):
            if op in ("eq", "ne"):
                value = op == "ne"
                return build_column(self.xp.full(len(self), value, dtype=bool), self.mask)
            raise UnsupportedOperation(
                f"cannot apply {op!r} to a {self.dtype} column and {type(rhs.scalar).__name__} "
                f"{rhs.scalar!r}"
            )
        if rhs.is_null:
            dtype = bool if op in COMPARISON else (np.float64 if op == "truediv" else self.dtype)
            return full_null(len(self), np.dtype(dtype), self.backend)
        a, b = (rhs.data, self.data) if reflect else (self.data, rhs.data)
        with np.errstate(all="ignore"):
            data = apply_op(self.xp, op, a, b)
        return build_column(data, and_masks(self.mask, rhs.mask))

    # -- reductions -------------------------------------------------------------------
    def _reduce(self, name: str, skipna: bool, **kwargs: Any) -> Any:
        return reduce_values(self, self.data, name, skipna, **kwargs)

    def _cumulative(self, name: str, skipna: bool) -> Column:
        from headwater.dataframe.column.dispatch import build_column

        data, mask = cumulative_values(self, self.data, name, skipna)
        return build_column(data, mask)


def _fill(xp: Any, dtype: np.dtype, which: str) -> Any:
    if which == "zero":
        return 0
    if which == "one":
        return 1
    if dtype.kind == "f":
        return np.inf if which == "high" else -np.inf
    if dtype.kind == "b":
        return which == "high"
    info = np.iinfo(dtype)
    return info.max if which == "high" else info.min


def reduce_values(col: Column, data: Any, name: str, skipna: bool, ddof: int = 1,
                  q: float = 0.5, min_count: int = 0) -> Any:
    """A reduction over ``data`` where ``col`` is valid, returned as a host scalar."""
    xp = col.xp
    valid = col.missing_mask()
    n = len(col)
    if name == "nunique":
        from headwater.dataframe.unique import nunique

        return nunique(col, dropna=skipna)
    if valid is not None and not skipna and name not in ("any", "all", "argmin", "argmax"):
        if int(to_host(xp.count_nonzero(~valid))):
            return np.float64(np.nan)
    if name in ("min", "max", "argmin", "argmax") and valid is not None:
        # value and count in one host read: the count says whether there was a value
        high = name in ("min", "argmin")
        filled = xp.where(valid, data, _fill(xp, data.dtype, "high" if high else "low"))
        func = {"min": xp.min, "max": xp.max, "argmin": xp.argmin, "argmax": xp.argmax}[name]
        value = func(filled) if n else xp.zeros((), dtype=data.dtype)
        pair = _read_pair(xp, value, xp.count_nonzero(valid))
        if pair is not None:
            return np.float64(np.nan) if pair[1] == 0 else pair[0]
    count = n if valid is None else int(to_host(xp.count_nonzero(valid)))
    if name in ("any", "all"):
        truth = data != 0
        if valid is not None:
            truth = xp.where(valid, truth, name == "all" or not skipna)
        out = xp.any(truth) if name == "any" else xp.all(truth)
        return bool(to_host(out))
    if name in ("sum", "prod"):
        if count < min_count:
            return np.float64(np.nan)
        filled = data if valid is None else xp.where(valid, data, _fill(xp, data.dtype, "zero" if name == "sum" else "one"))
        if data.dtype.kind == "b":
            filled = filled.astype(np.int64)
        out = xp.sum(filled) if name == "sum" else xp.prod(filled)
        return to_host(out)[()]
    if count == 0:
        return np.float64(np.nan)
    if name in ("min", "max", "argmin", "argmax"):
        high = name in ("min", "argmin")
        filled = data if valid is None else xp.where(valid, data, _fill(xp, data.dtype, "high" if high else "low"))
        func = {"min": xp.min, "max": xp.max, "argmin": xp.argmin, "argmax": xp.argmax}[name]
        return to_host(func(filled))[()]
    values = data.astype(np.float64) if data.dtype.kind != "f" else data
    if name in ("mean", "var", "std"):
        filled = values if valid is None else xp.where(valid, values, 0)
        total = xp.sum(filled, dtype=np.float64)
        mean = total / count
        if name == "mean":
            return to_host(mean)[()] if values.dtype == np.float64 else to_host(mean.astype(values.dtype))[()]
        if count - ddof <= 0:
            return np.float64(np.nan)
        dev = filled - mean
        if valid is not None:
            dev = xp.where(valid, dev, 0)
        var = xp.sum(dev * dev, dtype=np.float64) / (count - ddof)
        return to_host(xp.sqrt(var) if name == "std" else var)[()]
    if name in ("skew", "kurt"):
        return _shape_moment(xp, values, valid, count, name)
    if name in _ORDER_STATS:
        kept = values if valid is None else values[valid]
        qs = 0.5 if name == "median" else q
        out = xp.quantile(kept.astype(np.float64), xp.asarray(qs, dtype=np.float64))
        return to_host(out)[()]
    raise UnsupportedOperation(name)


def _shape_moment(xp: Any, values: Any, valid: Any, count: int, name: str) -> Any:
    """Sample skewness (adjusted Fisher-Pearson) or excess kurtosis (Fisher, unbiased),
    as pandas: NaN below 3 (skew) or 4 (kurt) values, 0 for constant values."""
    if count < (3 if name == "skew" else 4):
        return np.float64(np.nan)
    filled = values if valid is None else xp.where(valid, values, 0)
    mean = xp.sum(filled, dtype=np.float64) / count
    dev = filled - mean
    if valid is not None:
        dev = xp.where(valid, dev, 0)
    sq = dev * dev
    host = to_host(xp.stack([xp.sum(sq), xp.sum(sq * dev), xp.sum(sq * sq)]).astype(np.float64))
    m2, m3, m4 = (0.0 if abs(float(v)) < 1e-14 else float(v) for v in host)  # rounding noise is 0
    n = float(count)
    if m2 == 0:  # constant values
        return np.float64(0.0)
    if name == "skew":
        return np.float64((n * (n - 1)) ** 0.5 / (n - 2) * ((m3 / n) / (m2 / n) ** 1.5))
    return np.float64(n * (n + 1) * (n - 1) * m4 / ((n - 2) * (n - 3) * m2 * m2)
                      - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3)))


def _read_pair(xp: Any, value: Any, count: Any) -> tuple[Any, int] | None:
    """(value, count) in one host read when the value's dtype holds the count exactly."""
    if value.dtype.kind == "u" and value.dtype.itemsize == 8:
        return None
    dtype = np.float64 if value.dtype.kind == "f" else np.int64
    host = to_host(xp.stack([value.astype(dtype), xp.asarray(count, dtype=dtype)]))
    return host[0].astype(value.dtype)[()], int(host[1])


def cumulative_values(col: Column, data: Any, name: str, skipna: bool) -> tuple[Any, Any]:
    """Running ``cumsum/cumprod/cummax/cummin`` with missing rows kept missing."""
    xp = col.xp
    valid = col.missing_mask()
    which = {"cumsum": "zero", "cumprod": "one", "cummax": "low", "cummin": "high"}[name]
    filled = data if valid is None else xp.where(valid, data, _fill(xp, data.dtype, which))
    if name == "cumsum":
        out = xp.cumsum(filled, dtype=filled.dtype if filled.dtype.kind == "f" else None)
    elif name == "cumprod":
        out = xp.cumprod(filled, dtype=filled.dtype if filled.dtype.kind == "f" else None)
    elif name == "cummax":
        out = xp.maximum.accumulate(filled)
    else:
        out = xp.minimum.accumulate(filled)
    if valid is None:
        return out, None
    if not skipna:
        valid = xp.cumsum(~valid) == 0
    return out, valid
