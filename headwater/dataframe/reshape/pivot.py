"""``pivot_table``, ``pivot`` and ``crosstab``: aggregate by (index, columns) keys, then
spread the column keys across.

The aggregation is a groupby over the index and column keys together (sorted, as
pandas); the spread scatters each aggregated value to ``row * n_columns + column`` on
the device and slices one output column per column key. Output columns are named by
pandas' column labels joined with ``"_"`` from the top level down (``"v_x"`` for value
``v`` under key ``x``; just ``"x"`` when one value column was named), sorted as pandas
sorts them; the index keys lead the frame.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column.base import Column
from headwater.dataframe.errors import missing_column
from headwater.dataframe.reshape.margins import Margins

__all__ = ["pivot_table", "pivot", "crosstab", "aggregation_name"]

_CALLABLES: dict[Any, str] = {np.sum: "sum", np.mean: "mean", np.median: "median", np.min: "min",
                              np.max: "max", np.std: "std", np.var: "var", len: "size", sum: "sum",
                              min: "min", max: "max", np.nansum: "sum", np.nanmean: "mean"}


def aggregation_name(func: Any) -> str:
    """The groupby aggregation for ``func`` (a name, or NumPy's/Python's own function)."""
    if isinstance(func, str):
        return func
    try:
        return _CALLABLES[func]
    except (KeyError, TypeError):
        raise NotImplementedError(
            f"aggfunc {func!r} is not supported: pass an aggregation name ('sum', 'mean', 'count', "
            f"'size', 'min', 'max', 'median', 'std', 'var', 'first', 'last', 'nunique')"
        ) from None


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _frame(columns: dict[str, Column]) -> Any:
    from headwater.dataframe.frame import DataFrame

    return DataFrame._from_columns(columns)


def _keyed(columns: dict[str, Column], keys: list[str]) -> Any:
    """A frame keyed by the columns ``keys`` (pandas' row index of the table)."""
    from headwater.dataframe.frame import DataFrame

    values = {name: col for name, col in columns.items() if name not in keys}
    return DataFrame._from_columns(values, keys={name: columns[name] for name in keys})


def _groups(frame: Any, by: list[str], dropna: bool) -> Any:
    from headwater.dataframe.groupby import DataFrameGroupBy

    return DataFrameGroupBy(frame, by, sort=True, dropna=dropna, as_index=False)


def _label(value: Any) -> str:
    return "nan" if value is None else str(value)  # pandas labels a null key NaN


def _spread(long: Any, index: list[str], columns: list[str], outputs: list[tuple[list[str], str]],
            fill_value: Any, drop_empty: bool, margins: Margins | None = None) -> Any:
    """Wide frame from the aggregated ``long`` frame: one output column per
    (output, column key); ``outputs`` pairs each long column with its name prefix.
    With ``margins``, each output is followed by its ``All`` column and the ``All`` row
    is appended."""
    backend = long._backend()
    xp = backend.xp
    rows = _groups(long, index, dropna=False) if index else None
    cols = _groups(long, columns, dropna=False)
    r = rows.keys.group_ids() if rows is not None else xp.zeros(len(long), dtype=xp.int64)
    n_rows = rows.keys.n if rows is not None else (1 if len(long) else 0)
    c = cols.keys.group_ids()
    n_cols = cols.keys.n
    col_keys = cols._key_columns()
    labels = list(zip(*[col.to_arrow().to_pylist() for col in col_keys.values()])) if col_keys else []
    out: dict[str, Column] = dict(rows._key_columns()) if rows is not None else {}
    slot = r * n_cols + c
    source = xp.full(n_rows * n_cols, -1, dtype=xp.int64)  # the long row of each cell, -1: empty
    source[slot] = xp.arange(len(long), dtype=xp.int64)
    made: list[tuple[str, str, Any]] = []
    by_rows = margins.by_rows(out) if margins is not None else {}
    for prefix, name in outputs:
        col = long._columns[name]
        valid = xp.zeros(n_rows * n_cols, dtype=bool)
        present = col.missing_mask()  # NaN counts as missing, as pandas drops all-NaN columns
        valid[slot] = True if present is None else present
        for j, label in enumerate(labels):
            take = xp.arange(n_rows, dtype=xp.int64) * n_cols + j
            piece = col.take(xp.take(source, take), allow_missing=True)  # a gather: every family
            if fill_value is not None:
                piece = piece.fillna(fill_value)
            elif drop_empty and not bool(backend.to_host(xp.any(xp.take(valid, take)))):
                continue
            out_name = "_".join([*prefix, *(_label(v) for v in label)])
            out[out_name] = piece
            made.append((out_name, name, label))
        if margins is not None:
            out[margins.column_name(prefix)] = by_rows[name]
            made.append((margins.column_name(prefix), name, None))
    table = _keyed(out, index)
    return table if margins is None else margins.add_row(table, made, fill_value)


def _drop_empty_rows(long: Any, names: list[str]) -> Any:
    keep = None
    for name in names:
        valid = long._columns[name].valid()
        keep = valid if keep is None else keep | valid
    if keep is None:
        return long
    return _frame({n: c.filter(keep) for n, c in long._columns.items()})


def _plain(result: Any) -> Any:
    """A groupby result with its keys as ordinary columns."""
    return result.reset_index() if getattr(result, "_keys", None) else result


def pivot_table(data: Any, values: Any = None, index: Any = None, columns: Any = None,
                aggfunc: Any = "mean", fill_value: Any = None, margins: bool = False,
                dropna: bool = True, margins_name: str = "All", observed: Any = None,
                sort: bool = True) -> Any:
    """Aggregate ``values`` for every (``index``, ``columns``) key pair and spread the
    column keys across, as ``pandas.pivot_table``.

    Parameters
    ----------
    data : DataFrame
    values : str or list of str, optional
        Columns to aggregate (default: every column not used as a key).
    index, columns : str or list of str
        Row keys and column keys.
    aggfunc : str, list of str, dict or NumPy/Python function (``np.sum``, ``len``...)
    fill_value : scalar, optional
        Replaces missing cells (combinations with no rows).
    dropna : bool
        Drop rows whose keys are null, and columns whose cells are all missing.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"k": ["a", "a", "b"], "c": ["x", "y", "x"], "v": [1, 2, 3]})
    >>> table = hw.pivot_table(df, values="v", index="k", columns="c", aggfunc="sum")
    >>> table.index.tolist(), table.reset_index().to_dict()
    (['a', 'b'], {'k': ['a', 'b'], 'x': [1, 3], 'y': [2, None]})
    """
    if not sort:
        raise NotImplementedError("pivot_table(sort=False) is not supported; keys are sorted")
    rows, cols = _names(index), _names(columns)
    if not rows:
        raise NotImplementedError("pivot_table needs index=; for column keys alone use "
                                  "df.groupby(columns).agg(...)")
    for name in rows + cols:
        if name not in data._columns:
            raise missing_column(name, data._columns)
    named_value = isinstance(values, str)
    value_names = _names(values) or [n for n in data._columns if n not in rows + cols]
    for name in value_names:
        if name not in data._columns:
            raise missing_column(name, data._columns)
    if isinstance(aggfunc, dict):
        plan = [(v, aggregation_name(a)) for v, aggs in aggfunc.items()
                for a in (aggs if isinstance(aggs, list) else [aggs])]
        many_aggs = any(isinstance(a, list) for a in aggfunc.values())
        value_names = list(aggfunc)
    elif isinstance(aggfunc, (list, tuple)):
        plan = [(v, aggregation_name(a)) for a in aggfunc for v in value_names]
        many_aggs = True
    else:
        plan = [(v, aggregation_name(aggfunc)) for v in value_names]
        many_aggs = False
    named = {f"{v}\x00{a}": (v, a) for v, a in plan}
    long = _plain(_groups(data, rows + cols, dropna).agg(**named))
    edges = Margins(data, rows, cols, named, dropna, margins_name) if margins else None
    if not cols:
        out = {name: long._columns[name] for name in rows}
        made = []
        for key, (v, a) in sorted(named.items(), key=lambda kv: kv[1][0]) if not many_aggs else named.items():
            out[f"{a}_{v}" if many_aggs else v] = long._columns[key]
            made.append((f"{a}_{v}" if many_aggs else v, key, None))
        result = _keyed(out, rows)
        result = result if fill_value is None else result.fillna(fill_value)
        return result if edges is None else edges.add_row(result, made, fill_value)
    order = list(named.items())
    if not many_aggs:
        order.sort(key=lambda kv: kv[1][0])  # pandas sorts the value level
    if dropna:  # pandas drops the (index, columns) pairs whose every aggregate is missing
        long = _drop_empty_rows(long, list(named))
    outputs = []
    for key, (v, a) in order:
        prefix = [a] if many_aggs else []
        if not named_value:
            prefix.append(v)
        outputs.append((prefix, key))
    return _spread(long, rows, cols, outputs, fill_value, dropna, edges)


def pivot(data: Any, columns: Any = None, index: Any = None, values: Any = None) -> Any:
    """Spread ``columns`` keys across without aggregating, as ``pandas.pivot``; each
    (``index``, ``columns``) pair must occur once.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"d": [1, 1, 2], "k": ["x", "y", "x"], "v": ["p", "q", "r"]})
    >>> hw.pivot(df, index="d", columns="k", values="v").reset_index().to_dict()
    {'d': [1, 2], 'x': ['p', 'r'], 'y': ['q', None]}
    """
    if columns is None:
        raise TypeError("pivot() missing required argument: 'columns'")
    rows, cols = _names(index), _names(columns)
    if not rows:
        raise NotImplementedError("pivot needs index=: rows are positional; pass the column that "
                                  "identifies each output row")
    sizes = _plain(_groups(data, rows + cols, dropna=False).size())
    if len(sizes) and int(sizes._columns["size"].reduce("max")) > 1:
        raise ValueError("Index contains duplicate entries, cannot reshape")
    named_value = isinstance(values, str)
    value_names = _names(values) or [n for n in data._columns if n not in rows + cols]
    named = {v: (v, "first") for v in value_names}
    long = _plain(_groups(data, rows + cols, dropna=False).agg(**named))
    outputs = [([] if named_value else [v], v) for v in value_names]
    return _spread(long, rows, cols, outputs, None, False)


def crosstab(index: Any, columns: Any, values: Any = None, rownames: Any = None, colnames: Any = None,
             aggfunc: Any = None, margins: bool = False, margins_name: str = "All", dropna: bool = True,
             normalize: Any = False) -> Any:
    """Count (or aggregate ``values``) for every pair of ``index`` and ``columns`` values,
    as ``pandas.crosstab``.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"a": ["x", "x", "y"], "b": [1, 2, 1]})
    >>> hw.crosstab(df["a"], df["b"]).reset_index().to_dict()
    {'a': ['x', 'y'], '1': [1, 1], '2': [1, 0]}
    """
    rows = index if isinstance(index, (list, tuple)) else [index]
    cols = columns if isinstance(columns, (list, tuple)) else [columns]
    row_names = list(rownames) if rownames is not None else [s.name or f"row_{i}" for i, s in enumerate(rows)]
    col_names = list(colnames) if colnames is not None else [s.name or f"col_{i}" for i, s in enumerate(cols)]
    frame = {name: s._column for name, s in zip(row_names, rows)}
    frame.update({name: s._column for name, s in zip(col_names, cols)})
    if (values is None) != (aggfunc is None):
        raise ValueError("values and aggfunc go together: pass both or neither")
    if values is not None:
        frame["__values__"] = values._column
        table = pivot_table(_frame(frame), values="__values__", index=row_names, columns=col_names,
                            aggfunc=aggfunc, dropna=dropna, margins=margins, margins_name=margins_name)
    else:
        frame["__count__"] = _ones(rows[0])
        table = pivot_table(_frame(frame), values="__count__", index=row_names, columns=col_names,
                            aggfunc="size", fill_value=0, dropna=dropna, margins=margins,
                            margins_name=margins_name)
    if normalize is False:
        return table
    if margins:
        return _normalize_margins(table, row_names, normalize)
    return _normalize(table, row_names, normalize)


def _normalize_margins(table: Any, keys: list[str], how: Any) -> Any:
    """Shares of a table with margins (the totals row last, the totals column last), as
    pandas: ``"index"`` divides each row by its total and drops the totals column,
    ``"columns"`` divides each column by its total and drops the totals row, ``True`` /
    ``"all"`` divides everything by the grand total and keeps both."""
    cells = [n for n in table.columns if n not in keys]
    *inner, total_col = cells
    out: dict[str, Column] = {}
    if how in (True, "all"):
        grand = float(table[total_col].iloc[-1])
        return table._from_columns({n: (table[n] / grand)._column for n in cells})
    if how == "index":
        row_total = table[total_col].astype("float64")
        return table._from_columns({n: (table[n] / row_total)._column for n in inner})
    if how == "columns":
        body = table.iloc[:-1]
        for n in cells:
            out[n] = (body[n] / float(table[n].iloc[-1]))._column
        return body._from_columns(out)
    raise ValueError(f"normalize must be True, False, 'all', 'index' or 'columns', got {how!r}")


def _ones(like: Any) -> Column:
    from headwater.dataframe.column import build_column

    col = like._column
    return build_column(col.xp.ones(len(col), dtype=np.int64))


def _normalize(table: Any, keys: list[str], how: Any) -> Any:
    cells = [n for n in table.columns if n not in keys]
    out: dict[str, Column] = {}
    if how in (True, "all"):
        total = sum(float(table[n].sum()) for n in cells)
        for n in cells:
            out[n] = (table[n] / total)._column
    elif how == "index":
        row_total = None
        for n in cells:
            row_total = table[n].astype("float64") if row_total is None else row_total + table[n]
        for n in cells:
            out[n] = (table[n] / row_total)._column
    elif how == "columns":
        for n in cells:
            out[n] = (table[n] / float(table[n].sum()))._column
    else:
        raise ValueError(f"normalize must be True, False, 'all', 'index' or 'columns', got {how!r}")
    return table._from_columns(out)

