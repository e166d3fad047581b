"""``melt``: wide to long, one row per (row, value column), as pandas."""

from __future__ import annotations

from typing import Any

from headwater.dataframe.column.cast import concat_columns
from headwater.dataframe.dictionary_codes import codes_column
from headwater.dataframe.errors import missing_column

__all__ = ["melt"]


def _names(value: Any) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def melt(frame: Any, id_vars: Any = None, value_vars: Any = None, var_name: str | None = None,
         value_name: str = "value", col_level: Any = None, ignore_index: bool = True) -> Any:
    """Unpivot a frame: ``id_vars`` repeated for each of ``value_vars``, whose names go in
    ``var_name`` and whose values in ``value_name`` (dtypes promoted as in ``concat``).

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"id": [1, 2], "a": [10, 20], "b": [30, 40]})
    >>> hw.melt(df, id_vars="id").to_dict()
    {'id': [1, 2, 1, 2], 'variable': ['a', 'a', 'b', 'b'], 'value': [10, 20, 30, 40]}
    """
    if col_level is not None:
        raise NotImplementedError("melt(col_level=) is not supported: column names have one level")
    if not ignore_index:
        raise NotImplementedError(
            "melt(ignore_index=False) is not supported: rows are positional; add the row number "
            "as a column first (df.assign(row=range(len(df)))) and pass it in id_vars"
        )
    ids = _names(id_vars) or []
    for name in ids:
        if name not in frame._columns:
            raise missing_column(name, frame._columns)
    values = _names(value_vars)
    if values is None:
        values = [name for name in frame._columns if name not in ids]
    for name in values:
        if name not in frame._columns:
            raise missing_column(name, frame._columns)
    var_name = "variable" if var_name is None else str(var_name)
    if value_name in frame._columns:
        raise ValueError(f"value_name ({value_name}) cannot match an element in the DataFrame columns.")
    backend = frame._backend()
    xp = backend.xp
    n, k = len(frame), len(values)
    rows = xp.tile(xp.arange(n, dtype=xp.int64), k)
    out = {name: frame._columns[name].take(rows, checked=True) for name in ids}
    out[var_name] = codes_column(xp.repeat(xp.arange(k, dtype=xp.int64), n), None, values)
    if k:
        try:
            out[value_name] = concat_columns([frame._columns[name] for name in values])
        except (TypeError, ValueError) as exc:
            dtypes = {name: str(frame._columns[name].dtype) for name in values}
            raise type(exc)(
                f"melt cannot stack value columns of dtypes {dtypes} into one column (pandas would "
                f"make an object column, which Headwater has not); melt columns of one kind at a "
                f"time (value_vars=[...]) or cast them with .astype(...) first"
            ) from None
    else:
        from headwater.dataframe.column import full_null

        out[value_name] = full_null(0, "float64", backend)
    from headwater.dataframe.frame import DataFrame

    return DataFrame._from_columns(out)
