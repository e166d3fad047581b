"""The fixed table of functions that expressions (``query``, ``eval``, pipeline steps) may call.

Each function takes Series (or plain scalars) and returns a Series. Element-wise math
runs on the column's device buffer with the backend's ``xp`` and keeps the column's
validity mask, so a null in gives a null out; out-of-domain values follow NumPy
(``log(0) = -inf``, ``log(-1) = nan``, ``sqrt(-1) = nan``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

__all__ = ["FUNCTIONS", "where", "isin"]


def _is_series(x: Any) -> bool:
    return hasattr(x, "_column") and hasattr(x, "name")


def _column_api():
    from headwater.dataframe.column import build_column

    return build_column


def _xp_of(col: Any) -> Any:
    from headwater.tensor.devices import backend_of

    return backend_of(col.data).xp


def _as_float(col: Any, xp: Any) -> Any:
    if col.kind not in ("int", "uint", "float", "bool"):
        raise TypeError(f"needs a numeric column, got a {col.kind} column; convert it first")
    data = col.data
    return data if data.dtype.kind == "f" else data.astype(xp.float64)


def _math(name: str, scalar_fn: Callable[[float], float], array_fn: Callable[[Any, Any], Any]) -> Callable[[Any], Any]:
    def fn(x: Any) -> Any:
        if not _is_series(x):
            if x is None:
                return None
            try:
                return scalar_fn(float(x))
            except (ValueError, OverflowError):
                return float("nan")
        col = x._column
        xp = _xp_of(col)
        out = array_fn(xp, _as_float(col, xp))
        return x._from_column(_column_api()(out, col.mask), x.name)

    fn.__name__ = name
    fn.__doc__ = f"Element-wise {name}; nulls stay null."
    return fn


def _safe_log(xp: Any, a: Any) -> Any:
    positive = a > 0
    out = xp.log(xp.where(positive, a, 1))
    return xp.where(positive, out, xp.where(a == 0, -xp.inf, xp.nan))


def _safe_log1p(xp: Any, a: Any) -> Any:
    ok = a > -1
    out = xp.log1p(xp.where(ok, a, 0))
    return xp.where(ok, out, xp.where(a == -1, -xp.inf, xp.nan))


def _safe_sqrt(xp: Any, a: Any) -> Any:
    ok = a >= 0
    return xp.where(ok, xp.sqrt(xp.where(ok, a, 0)), xp.nan)


def _safe_exp(xp: Any, a: Any) -> Any:
    limit = 700.0 if a.dtype == xp.float64 else 88.0  # past this exp overflows to inf
    return xp.where(a > limit, xp.inf, xp.exp(xp.minimum(a, limit)))


def _scalar_log(v: float) -> float:
    return -math.inf if v == 0 else math.log(v)


def _values(x: Any, n: int, xp: Any) -> tuple[Any, Any]:
    """(data, mask) of a Series, or a scalar broadcast to length ``n``."""
    if _is_series(x):
        col = x._column
        if col.kind not in ("int", "uint", "float", "bool"):
            raise TypeError(f"where() and maximum()/minimum() need numeric or bool values, got a {col.kind} column")
        return col.data, col.mask
    if x is None:
        return xp.zeros(n, dtype=xp.float64), xp.zeros(n, dtype=bool)
    if isinstance(x, str):
        raise TypeError(f"where() and maximum()/minimum() need numeric values, got the string {x!r}")
    return xp.full(n, x), None


def _and_masks(xp: Any, *masks: Any) -> Any:
    present = [m for m in masks if m is not None]
    if not present:
        return None
    out = present[0]
    for m in present[1:]:
        out = out & m
    return out


def _template(*args: Any) -> Any:
    for a in args:
        if _is_series(a):
            return a
    return None


def where(cond: Any, a: Any, b: Any) -> Any:
    """``a`` where ``cond`` is true, else ``b`` (a null condition gives null)."""
    like = _template(cond, a, b)
    if like is None:
        return a if cond else b
    xp = _xp_of(like._column)
    n = len(like._column)
    cdata, cmask = _values(cond, n, xp)
    adata, amask = _values(a, n, xp)
    bdata, bmask = _values(b, n, xp)
    c = cdata.astype(bool)
    out = xp.where(c, adata, bdata)
    chosen = None
    if amask is not None or bmask is not None:
        ones = xp.ones(n, dtype=bool)
        chosen = xp.where(c, ones if amask is None else amask, ones if bmask is None else bmask)
    mask = _and_masks(xp, cmask, chosen)
    return like._from_column(_column_api()(out, mask), like.name)


def _pairwise(name: str, op: str) -> Callable[[Any, Any], Any]:
    def fn(a: Any, b: Any) -> Any:
        like = _template(a, b)
        if like is None:
            return max(a, b) if op == "maximum" else min(a, b)
        xp = _xp_of(like._column)
        n = len(like._column)
        adata, amask = _values(a, n, xp)
        bdata, bmask = _values(b, n, xp)
        out = getattr(xp, op)(adata, bdata)
        return like._from_column(_column_api()(out, _and_masks(xp, amask, bmask)), like.name)

    fn.__name__ = name
    fn.__doc__ = f"Element-wise {op} of two columns or a column and a number."
    return fn


def isin(x: Any, values: list[Any]) -> Any:
    """True where ``x`` is one of ``values``."""
    if not _is_series(x):
        return x in values
    return x.isin(values if _is_series(values) else list(values))


def _method(name: str, method: str, accessor: str | None = None) -> Callable[..., Any]:
    def fn(x: Any, *args: Any) -> Any:
        if not _is_series(x):
            raise TypeError(f"{name}() needs a column as its first argument, got {x!r}")
        target = getattr(x, accessor) if accessor else x
        return getattr(target, method)(*args)

    fn.__name__ = name
    where_ = f".{accessor}" if accessor else ""
    fn.__doc__ = f"Series{where_}.{method}(...) of the column."
    return fn


def _dt_part(part: str) -> Callable[[Any], Any]:
    def fn(x: Any) -> Any:
        if not _is_series(x):
            raise TypeError(f"{part}() needs a datetime column, got {x!r}")
        return getattr(x.dt, part)

    fn.__name__ = part
    fn.__doc__ = f"The {part} of each datetime (Series.dt.{part})."
    return fn


def _if_null(x: Any, value: Any) -> Any:
    if not _is_series(x):
        return value if x is None else x
    if _is_series(value):  # row by row from another column
        return where(x.isna(), value, x)
    return x.fillna(value)


def _isnull(x: Any) -> Any:
    if not _is_series(x):
        return x is None or (isinstance(x, float) and math.isnan(x))
    return x.isna()


def _notnull(x: Any) -> Any:
    if not _is_series(x):
        return not _isnull(x)
    return x.notna()


FUNCTIONS: dict[str, Callable[..., Any]] = {
    # math
    "log": _math("log", _scalar_log, _safe_log),
    "log1p": _math("log1p", lambda v: -math.inf if v == -1 else math.log1p(v), _safe_log1p),
    "exp": _math("exp", math.exp, _safe_exp),
    "sqrt": _math("sqrt", math.sqrt, _safe_sqrt),
    "floor": _math("floor", math.floor, lambda xp, a: xp.floor(a)),
    "ceil": _math("ceil", math.ceil, lambda xp, a: xp.ceil(a)),
    "sign": _math("sign", lambda v: float((v > 0) - (v < 0)), lambda xp, a: xp.sign(a)),
    "abs": _method("abs", "abs"),
    "round": _method("round", "round"),
    "clip": _method("clip", "clip"),
    "maximum": _pairwise("maximum", "maximum"),
    "minimum": _pairwise("minimum", "minimum"),
    # nulls and membership
    "isnull": _isnull,
    "notnull": _notnull,
    "fillna": _if_null,
    "where": where,
    "isin": isin,
    "between": _method("between", "between"),
    # strings
    "lower": _method("lower", "lower", "str"),
    "upper": _method("upper", "upper", "str"),
    "strip": _method("strip", "strip", "str"),
    "strlen": _method("strlen", "len", "str"),
    "contains": _method("contains", "contains", "str"),
    "startswith": _method("startswith", "startswith", "str"),
    "endswith": _method("endswith", "endswith", "str"),
    # datetimes
    "year": _dt_part("year"),
    "month": _dt_part("month"),
    "day": _dt_part("day"),
    "hour": _dt_part("hour"),
    "day_of_week": _dt_part("day_of_week"),
}
