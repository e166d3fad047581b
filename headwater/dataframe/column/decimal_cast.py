"""Casts into and out of the decimal dtype, and the common dtype of several decimals.

Exact where Arrow is exact: integers and wider scales convert exactly (checked for
overflow); a cast to a smaller scale refuses to drop digits, as Arrow's safe cast does;
floats round to the nearest step of the scale; strings parse on the host with pyarrow.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from headwater.dataframe.column.base import Column
from headwater.dataframe.column.decimal_math import overflow_error, rescale
from headwater.dataframe.dtypes import MAX_DECIMAL_PRECISION, DecimalDtype, DtypeError, kind_of
from headwater.tensor.transfer import to_host

__all__ = ["cast_decimal", "common_decimals"]


def cast_decimal(col: Column, dtype: Any) -> Column:
    """``col`` cast to ``dtype`` where one side is a decimal (``dtype`` already parsed)."""
    from headwater.dataframe.column.dispatch import build_column, column_from_arrow

    xp = col.xp
    src, dst = col.kind, kind_of(dtype)
    if src == "decimal":
        if dst == "decimal":
            return _rescaled(col, dtype)
        if dst == "float":
            return col.as_float().astype(dtype)
        if dst in ("int", "uint"):
            step = np.int64(10**col.scale)
            whole = xp.where(col.data < 0, -((-col.data) // step), col.data // step)  # toward zero
            return build_column(whole.astype(dtype), col.mask)
        if dst == "bool":
            return build_column(col.data != 0, col.mask)
        if dst in ("string", "categorical"):
            return column_from_arrow(col.to_arrow().cast(pa.string()), device=col.device).astype(dtype)
        raise DtypeError(f"cannot cast a {col.dtype} column to {dtype}; cast it to float first")
    what = f"{col.dtype} cast to {dtype}"
    if src in ("int", "uint", "bool"):
        data = col.data.astype(np.int64)
        limit = 10 ** (dtype.precision - dtype.scale)
        if src == "uint" and col.dtype.itemsize == 8:
            data = _checked_uint(col, data)
        out = rescale(xp, data, dtype.scale, col.mask, what)
        _check_precision(xp, out, col.mask, limit * 10**dtype.scale, what)
        return build_column(out, col.mask, dtype)
    if src == "float":
        scaled = xp.rint(col.data.astype(np.float64) * (10.0**dtype.scale))
        valid = col.missing_mask()
        finite = xp.isfinite(scaled)
        valid = finite if valid is None else valid & finite
        bound = float(10**dtype.precision)
        bad = (xp.abs(xp.where(valid, scaled, 0)) >= bound)
        if bool(to_host(xp.any(bad))):
            raise overflow_error(what)
        return build_column(xp.where(valid, scaled, 0).astype(np.int64),
                            None if bool(to_host(xp.all(valid))) else valid, dtype)
    if src in ("string", "categorical"):
        try:
            parsed = col.to_arrow().cast(pa.string()).cast(dtype.arrow_type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise DtypeError(f"cannot cast str values to {dtype}: {exc}") from None
        return column_from_arrow(parsed, device=col.device)
    raise DtypeError(f"cannot cast a {col.dtype} column to {dtype}")


def _checked_uint(col: Column, data: Any) -> Any:
    if bool(to_host(col.xp.any(data < 0))):
        raise overflow_error(f"a {col.dtype} column cast to a decimal")
    return data


def _check_precision(xp: Any, data: Any, mask: Any, bound: int, what: str) -> None:
    if bound >= 2**63:
        return
    bad = xp.abs(data) >= np.int64(bound)
    if mask is not None:
        bad &= mask
    if bool(to_host(xp.any(bad))):
        raise overflow_error(what)


def _rescaled(col: Column, dtype: DecimalDtype) -> Column:
    from headwater.dataframe.column.dispatch import build_column

    xp = col.xp
    what = f"{col.dtype} cast to {dtype}"
    shift = dtype.scale - col.scale
    if shift >= 0:
        data = rescale(xp, col.data, shift, col.mask, what)
    else:
        step = np.int64(10**-shift)
        lost = (col.data % step) != 0
        if col.mask is not None:
            lost &= col.mask
        if bool(to_host(xp.any(lost))):
            raise DtypeError(f"cannot cast {col.dtype} to {dtype} without losing digits; round first "
                             f"(or cast to float)")
        data = col.data // step
    _check_precision(xp, data, col.mask, 10**dtype.precision, what)
    return build_column(data, col.mask, dtype)


def common_decimals(cols: Sequence[Column]) -> list[Column]:
    """Columns of decimal (and integer) dtypes in one decimal dtype; float64 when any is
    a float column."""
    kinds = {c.kind for c in cols}
    if "float" in kinds:
        return [c.as_float() if c.kind == "decimal" else c.astype(np.dtype(np.float64)) for c in cols]
    if not kinds <= {"decimal", "int", "uint", "bool"}:
        names = ", ".join(str(c.dtype) for c in cols)
        raise DtypeError(f"incompatible dtypes {names}; cast them to one dtype with .astype(...) first")
    dtypes = [c.dtype if c.kind == "decimal" else DecimalDtype(MAX_DECIMAL_PRECISION, 0) for c in cols]
    scale = max(d.scale for d in dtypes)
    whole = max(d.precision - d.scale for d in dtypes)
    target = DecimalDtype(min(MAX_DECIMAL_PRECISION, whole + scale), scale)
    return [c if c.dtype == target else cast_decimal(c, target) for c in cols]
