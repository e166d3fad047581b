"""The aggregations a groupby knows, as data: name -> (families, function).

Each function takes a value column and the :class:`GroupKeys` and returns one
column with a row per group. Numbers go through the backend's segment reductions;
``first``, ``last``, and ``min``/``max`` of non-numeric columns pick a row per
group and gather it, so every dtype (strings, categoricals, datetimes) keeps its
family and dictionary.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

import numpy as np

from headwater.dataframe.column import build_column
from headwater.dataframe.column.base import Column
from headwater.dataframe.groupby.keys import GroupKeys

__all__ = ["AGGREGATIONS", "UnknownAggregationError", "UnsupportedAggregationError", "aggregate",
           "check_aggregation"]

NUMBERS = frozenset({"int", "uint", "float", "bool"})
ORDERED = NUMBERS | {"decimal", "datetime", "timedelta", "time", "string", "categorical"}
_DECIMAL_AS_FLOAT = frozenset({"prod", "var", "std", "median", "quantile", "any", "all"})
EVERY = ORDERED


class UnknownAggregationError(ValueError):
    """An aggregation name that groupby does not know."""


class UnsupportedAggregationError(TypeError):
    """A known aggregation asked of a column whose dtype cannot do it."""


def _reduce_kw(col: Column, keys: GroupKeys) -> tuple[Any, Any, dict]:
    """Values, validity (None when every value is valid) and keywords that skip passes."""
    valid = col.missing_mask()  # None for a float column without NaN or null (found once per column)
    kw = {"ids_checked": not keys.has_dropped}
    if col.kind == "float":
        # ``valid`` already leaves out NaN, so the reductions need no NaN test of their own
        kw["skipna"] = False
        if valid is not None and bool(col.backend.to_host(valid.all())):
            valid = None  # a mask without nulls: one check here saves a routing pass per reduction
    return col.data, valid, kw


def _slot_counts(col: Column, keys: GroupKeys, valid: Any, kw: dict) -> Any:
    """Valid values per slot: the rows per slot when no value is missing."""
    if valid is None and not (col.kind == "float" and kw.get("skipna", True)):
        return keys.sizes
    return col.backend.segment_count(col.data, keys.ids, keys.m, valid, **kw)


def _counts(col: Column, keys: GroupKeys) -> Any:
    data, valid, kw = _reduce_kw(col, keys)
    return _slot_counts(col, keys, valid, kw)


def _numeric(name: str) -> Callable[..., Column]:
    def run(col: Column, keys: GroupKeys, **options: Any) -> Column:
        data, valid, kw = _reduce_kw(col, keys)
        method = getattr(col.backend, f"segment_{name}")
        out = method(data, keys.ids, keys.m, valid, **kw, **options)
        if col.kind == "float" and out.dtype.kind in "iu":
            out = out.astype(col.xp.float64)  # zero rows: the reduction saw no float to keep the dtype
        return build_column(keys.pick(out))
    return run


def _mean(col: Column, keys: GroupKeys) -> Column:
    data, valid, kw = _reduce_kw(col, keys)
    counts = _slot_counts(col, keys, valid, kw)
    return build_column(keys.pick(col.backend.segment_mean(data, keys.ids, keys.m, valid, counts=counts, **kw)))


def _variance(col: Column, keys: GroupKeys, ddof: int = 1) -> Any:
    data, valid, kw = _reduce_kw(col, keys)
    counts = _slot_counts(col, keys, valid, kw)
    return keys.pick(col.backend.segment_var(data, keys.ids, keys.m, valid, ddof=ddof, counts=counts, **kw))


def _var(col: Column, keys: GroupKeys, ddof: int = 1) -> Column:
    return build_column(_variance(col, keys, ddof))


def _std(col: Column, keys: GroupKeys, ddof: int = 1) -> Column:
    return build_column(col.xp.sqrt(_variance(col, keys, ddof)))


def _count(col: Column, keys: GroupKeys) -> Column:
    return build_column(keys.pick(_counts(col, keys)))


def _nunique(col: Column, keys: GroupKeys, dropna: bool = True) -> Column:
    values, valid = col.factorize_key()
    backend = col.backend
    if not dropna and valid is not None:
        # missing values count as one more distinct value: give them a value id of their own
        ids, uniques = backend.factorize(values, valid, sort=False)
        values = col.xp.where(ids < 0, len(uniques), ids)
        valid = None
    kw = {"ids_checked": not keys.has_dropped}
    return build_column(keys.pick(backend.segment_nunique(values, keys.ids, keys.m, valid, **kw)))


def _picked(col: Column, keys: GroupKeys, rows: Any) -> Column:
    """Gather one row per group (``rows`` per slot); -1 (no valid value) gives null."""
    return col.take(keys.pick(rows), allow_missing=True)


def _first_valid_rows(col: Column, keys: GroupKeys, valid: Any, last: bool = False) -> Any:
    xp = col.xp
    if valid is None and not last:
        return keys.first_rows if keys.groups is None else _scatter_groups(xp, keys, keys.first_rows)
    ids = keys.ids if valid is None else xp.where(valid, keys.ids, -1)
    return col.backend.segment_first_index(ids, keys.m, last=last)


def _scatter_groups(xp: Any, keys: GroupKeys, per_group: Any) -> Any:
    """A per-slot array (-1 on empty slots) from one value per group."""
    out = xp.full(keys.m, -1, dtype=per_group.dtype)
    out[keys.groups] = per_group
    return out


def _first(col: Column, keys: GroupKeys) -> Column:
    return _picked(col, keys, _first_valid_rows(col, keys, col.missing_mask()))


def _last(col: Column, keys: GroupKeys) -> Column:
    return _picked(col, keys, _first_valid_rows(col, keys, col.missing_mask(), last=True))


def _extreme(largest: bool) -> Callable[..., Column]:
    def run(col: Column, keys: GroupKeys) -> Column:
        backend, xp = col.backend, col.xp
        valid = col.missing_mask()
        kw = {"ids_checked": not keys.has_dropped}
        reduce = backend.segment_max if largest else backend.segment_min
        if col.kind in NUMBERS:
            best = keys.pick(reduce(col.data, keys.ids, keys.m, valid, **kw))
            if valid is None:
                return build_column(best)
            empty = keys.pick(_counts(col, keys)) == 0
            return build_column(best, ~empty)
        # other families: find a row holding the extreme of the sort key and gather it
        order = col.sort_key()
        best = reduce(order, keys.ids, keys.m, valid, **kw)
        safe = xp.where(keys.ids >= 0, keys.ids, 0)
        hit = (order == best[safe]) & (keys.ids >= 0)
        if valid is not None:
            hit &= valid
        return _picked(col, keys, backend.segment_first_index(xp.where(hit, keys.ids, -1), keys.m))
    return run


def _quantile(col: Column, keys: GroupKeys, q: float = 0.5) -> Column:
    data, valid, kw = _reduce_kw(col, keys)
    return build_column(keys.pick(col.backend.segment_quantile(data, keys.ids, keys.m, valid, q=q, **kw)))


def _as_numbers(run: Callable[..., Column]) -> Callable[..., Column]:
    """Bools reduce as 0/1 integers for arithmetic aggregations."""
    def wrapped(col: Column, keys: GroupKeys, **options: Any) -> Column:
        if col.kind == "bool":
            col = build_column(col.data.astype(np.int64), col.mask)
        return run(col, keys, **options)
    return wrapped


# name -> (families it applies to, function(col, keys, **options) -> Column)
AGGREGATIONS: dict[str, tuple[frozenset[str], Callable[..., Column]]] = {
    "sum": (NUMBERS, _numeric("sum")),
    "prod": (NUMBERS, _as_numbers(_numeric("prod"))),
    "mean": (NUMBERS, _as_numbers(_mean)),
    "var": (NUMBERS, _as_numbers(_var)),
    "std": (NUMBERS, _as_numbers(_std)),
    "median": (NUMBERS, _as_numbers(lambda col, keys: _quantile(col, keys, 0.5))),
    "quantile": (NUMBERS, _as_numbers(_quantile)),
    "min": (ORDERED, _extreme(largest=False)),
    "max": (ORDERED, _extreme(largest=True)),
    "first": (EVERY, _first),
    "last": (EVERY, _last),
    "count": (EVERY, _count),
    "nunique": (EVERY, _nunique),
    "any": (NUMBERS, _numeric("any")),
    "all": (NUMBERS, _numeric("all")),
}
# "size" counts rows, null or not, and needs no column: the groupby handles it.
NAMES = sorted([*AGGREGATIONS, "size"])


def check_aggregation(name: Any) -> str:
    """``name`` if it is a known aggregation, else an error naming the closest one."""
    if not isinstance(name, str):
        raise TypeError(
            f"an aggregation is given by name, such as 'sum' or 'mean'; got {type(name).__name__} "
            f"{name!r}"
        )
    if name in AGGREGATIONS or name == "size":
        return name
    close = difflib.get_close_matches(name, NAMES, n=1, cutoff=0.4)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise UnknownAggregationError(f"unknown aggregation {name!r}; {hint}Known: {', '.join(NAMES)}")


def _decimal_sum(col: Column, keys: GroupKeys) -> Column:
    """Exact per-group sums of a decimal column (Arrow's result scale, 18 digits), checked."""
    from headwater.dataframe.column.decimal_math import checked_total
    from headwater.dataframe.dtypes import MAX_DECIMAL_PRECISION, DecimalDtype

    xp, backend = col.xp, col.backend
    data = col.data if col.mask is None else xp.where(col.mask, col.data, 0)
    kw = {"ids_checked": not keys.has_dropped}
    out = checked_total(xp, data, lambda d: backend.segment_sum(d, keys.ids, keys.m, None, **kw),
                        f"a group's sum of a {col.dtype} column")
    return build_column(keys.pick(out), None, DecimalDtype(MAX_DECIMAL_PRECISION, col.dtype.scale))


def _decimal_mean(col: Column, keys: GroupKeys) -> Column:
    """Per-group exact totals over the counts, in float64 (float means if a total overflows)."""
    from headwater.dataframe.column.decimal_math import DecimalOverflowError

    try:
        totals = _decimal_sum(col, keys).data
    except DecimalOverflowError:
        return _mean(col.as_float(), keys)
    counts = keys.pick(_counts(col, keys))
    xp = col.xp
    with np.errstate(all="ignore"):
        means = totals.astype(xp.float64) / (counts * 10.0**col.dtype.scale)
    return build_column(xp.where(counts > 0, means, 0.0), None if col.mask is None else counts > 0)


def aggregate(name: str, column_name: str, col: Column, keys: GroupKeys, **options: Any) -> Column:
    """Apply aggregation ``name`` to ``col``, one row per group.

    Decimal columns sum exactly (checked for overflow) and keep their type for ``min``,
    ``max``, ``first`` and ``last``; their means, variances and quantiles are float64.
    """
    families, run = AGGREGATIONS[check_aggregation(name)]
    if col.kind == "decimal" and name in _DECIMAL_AS_FLOAT:
        col = col.as_float()
    elif col.kind == "decimal" and name == "mean":
        return _decimal_mean(col, keys)
    elif col.kind == "decimal" and name == "sum":
        from headwater.dataframe.column.decimal_math import DecimalOverflowError

        try:
            return _decimal_sum(col, keys)
        except DecimalOverflowError as exc:
            raise DecimalOverflowError(f"column {column_name!r}: {exc}") from None
    if col.kind not in families:
        allowed = sorted(n for n, (fam, _) in AGGREGATIONS.items() if col.kind in fam)
        raise UnsupportedAggregationError(
            f"cannot take {name!r} of column {column_name!r} ({col.dtype}); for this dtype use "
            f"one of {', '.join(allowed + ['size'])}, or select other columns first"
        )
    return run(col, keys, **options)
