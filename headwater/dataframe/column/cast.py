"""Casts between families, and what needs two columns in one dtype (where, concat)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from headwater.dataframe.column.base import Column, is_null_scalar
from headwater.dataframe.dtypes import DtypeError, StringDtype, kind_of, parse_dtype
from headwater.tensor.backend.blend import blend
from headwater.tensor.transfer import to_host

__all__ = ["cast_column", "fill_value_dtype", "where_column", "common_columns", "concat_columns"]

_FIXED = ("int", "uint", "float", "bool")


def fill_value_dtype(col: Column, value: Any) -> np.dtype:
    """The dtype a numeric column needs to hold ``value`` (int + 0.5 -> float64)."""
    if not isinstance(value, (int, float, bool, np.number, np.bool_)):
        raise DtypeError(
            f"cannot fill a {col.dtype} column with {type(value).__name__} {value!r}; "
            f"give a number or cast the column with .astype(...)"
        )
    try:
        return np.result_type(col.dtype, value)
    except (OverflowError, TypeError):
        return np.result_type(col.dtype, np.min_scalar_type(value))


def cast_column(col: Column, dtype: Any) -> Column:
    """``col`` as ``dtype``; raises :class:`DtypeError` naming both dtypes when it cannot."""
    from headwater.dataframe.column.dispatch import build_column

    dtype = parse_dtype(dtype)
    src, dst = col.kind, kind_of(dtype)
    if "decimal" in (src, dst) and col.dtype != dtype:
        from headwater.dataframe.column.decimal_cast import cast_decimal

        return cast_decimal(col, dtype)
    if dst == "string" and src in ("string", "categorical") and getattr(dtype, "layout", None) is not None:
        col = _recode(col, StringDtype()) if src == "categorical" else col
        return col.as_plain() if dtype.layout == "plain" else col.as_dictionary()
    if col.dtype == dtype and not (dst == "categorical" and dtype.categories is not None):
        return col
    if src == dst == "categorical" and dtype.categories is None and dtype.ordered == col.dtype.ordered:
        return col  # "category" keeps the categories a column already has
    xp = col.xp
    if src in _FIXED and dst in _FIXED:
        missing = col.missing_mask()
        data = col.data
        if src == "float" and dst != "float":
            data = xp.where(col.is_missing(), 0, data)
        with np.errstate(all="ignore"):
            out = data != 0 if dst == "bool" else data.astype(dtype)
        return build_column(out, missing)
    if src in ("datetime", "timedelta") and dst in ("int", "uint"):
        return build_column(col.data.astype(dtype), col.mask)
    if src in ("int", "uint") and dst in ("datetime", "timedelta"):
        return build_column(col.data.astype(np.int64), col.mask, dtype)
    if src in ("string", "categorical") and dst in ("string", "categorical"):
        return _recode(col, dtype)
    if dst in ("string", "categorical"):
        return cast_column(_format(col), dtype)
    if src in ("string", "categorical"):
        return col.map_dictionary(lambda d: _parse(d, dtype))
    raise DtypeError(f"cannot cast a {col.dtype} column to {dtype}")


def _parse(dictionary: pa.Array, dtype: Any) -> pa.Array:
    kind = kind_of(dtype)
    try:
        if kind == "datetime":
            import pandas as pd

            return pa.array(pd.to_datetime(dictionary.to_pandas()).astype("datetime64[ns]"))
        if kind == "timedelta":
            import pandas as pd

            return pa.array(pd.to_timedelta(dictionary.to_pandas()).astype("timedelta64[ns]"))
        if kind == "bool":
            low = pc.utf8_lower(dictionary)
            return pc.is_in(low, value_set=pa.array(["true", "1", "yes", "t", "y"]))
        return pc.cast(dictionary, pa.from_numpy_dtype(dtype))
    except (pa.ArrowInvalid, ValueError) as exc:
        raise DtypeError(f"cannot cast str values to {dtype}: {exc}") from None


def _format(col: Column) -> Column:
    """Distinct values formatted as pandas' ``astype(str)`` does, codes mapped back."""
    import pandas as pd

    from headwater.dataframe.column.dispatch import build_column
    from headwater.dataframe.unique import factorize_column

    ids, uniques = factorize_column(col)
    texts = pd.Series(uniques.to_pandas()).astype(str)
    dictionary = pa.array(texts.to_numpy(dtype=object), pa.string())
    valid = ids >= 0
    codes = col.xp.where(valid, ids, 0).astype(np.int32)
    return build_column(codes, None if col.mask is None and col.kind != "float" else valid,
                        StringDtype(), dictionary=dictionary)


def _recode(col: Column, dtype: Any) -> Column:
    from headwater.dataframe.column.dispatch import build_column

    xp = col.xp
    if kind_of(dtype) == "categorical":
        col = col.as_dictionary()  # categories are a dictionary, whatever the layout
    dictionary = col.dictionary
    if kind_of(dtype) == "string":
        return build_column(col.data, col.mask, StringDtype(), dictionary=dictionary)
    categories = dtype.categories
    if categories is None:
        categories = pc.array_sort_indices(dictionary)
        categories = dictionary.take(categories)
        categories = categories.filter(pc.is_valid(categories))
    if not isinstance(categories, (pa.Array, pa.ChunkedArray)):  # a list, as CategoricalDtype(["a", "b"]) holds
        categories = pa.array(list(categories), type=dictionary.type)
    per_value = pc.index_in(dictionary, value_set=categories).fill_null(-1).to_numpy().astype(np.int32)
    if len(per_value) == 0:
        codes = col.data
        valid = col.mask
    else:
        codes = xp.take(col.backend.to_device(per_value), col.data)
        hit = codes >= 0
        valid = hit if col.mask is None else hit & col.mask
        codes = xp.where(hit, codes, 0)
    return build_column(codes, valid, type(dtype)(categories, dtype.ordered), dictionary=categories,
                        ordered=dtype.ordered)


def common_columns(cols: Sequence[Column]) -> list[Column]:
    """The columns cast to one dtype (numbers promoted, dictionaries unified)."""
    from headwater.dataframe.column.dictionary import unify_dictionaries

    kinds = {c.kind for c in cols}
    if "decimal" in kinds and len({c.dtype for c in cols}) > 1:
        from headwater.dataframe.column.decimal_cast import common_decimals

        return common_decimals(cols)
    if kinds <= set(_FIXED):
        dtypes = [c.dtype for c in cols]
        target = np.result_type(*dtypes) if len(kinds) > 1 or len(set(dtypes)) > 1 else dtypes[0]
        return [c.astype(target) for c in cols]
    if kinds <= {"string", "categorical"}:
        if any(c.layout == "plain" for c in cols):  # a mix of layouts becomes plain
            return [c.as_plain() for c in cols]
        if kinds == {"string", "categorical"}:
            cols = [c.astype(StringDtype()) for c in cols]
        codes, dictionary = unify_dictionaries(cols)
        return [c.with_dictionary(k, c.mask, dictionary) for c, k in zip(cols, codes)]
    if len(kinds) == 1:
        return list(cols)
    names = ", ".join(str(c.dtype) for c in cols)
    raise DtypeError(f"incompatible dtypes {names}; cast them to one dtype with .astype(...) first")


def concat_columns(cols: Sequence[Column]) -> Column:
    """Rows of ``cols`` one after another, in one common dtype."""
    cols = common_columns(cols)
    first = cols[0]
    if first.layout == "plain":
        from headwater.dataframe.column.plain_string import concat_plain

        return concat_plain(cols)
    xp = first.xp
    data = xp.concatenate([c.data for c in cols])
    if all(c.mask is None for c in cols):
        mask = None
    else:
        mask = xp.concatenate([c.mask if c.mask is not None else xp.ones(len(c), dtype=bool) for c in cols])
    return first._with(data, mask)


def where_column(col: Column, cond: Any, other: Any) -> Column:
    """Rows of ``col`` where ``cond``, else of ``other`` (a scalar or a column)."""
    from headwater.dataframe.column.dispatch import column_from_scalar

    xp = col.xp
    if not isinstance(other, Column):
        if is_null_scalar(other) or (isinstance(other, float) and np.isnan(other)):
            valid = cond if col.mask is None else cond & col.mask
            return col.with_mask(valid)
        other = column_from_scalar(other, len(col), like=None, device=col.device)
    a, b = common_columns([col, other])
    if a.layout == "plain":  # rows of both, then one gather picks each row's side
        from headwater.dataframe.column.plain_string import concat_plain

        rows = xp.arange(len(a), dtype=xp.int64)
        return concat_plain([a, b]).take(blend(xp, cond, rows, rows + len(a)), checked=True)
    data = blend(xp, cond, a.data, b.data)
    if a.mask is None and b.mask is None:
        mask = None
    else:
        va = a.mask if a.mask is not None else xp.ones(len(a), dtype=bool)
        vb = b.mask if b.mask is not None else xp.ones(len(b), dtype=bool)
        mask = (cond & va) | (~cond & vb)  # where() on bools, without its branches
    return a._with(data, mask)


def host_scalar(array: Any) -> Any:
    """One device value as a host NumPy scalar (a counted crossing)."""
    return to_host(array)[()]
