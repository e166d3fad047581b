"""``pivot_table(margins=True)``: the ``All`` column and row of totals.

As pandas, the margins are aggregated from the data again, not summed from the table:
the ``All`` column of a value is its aggregate over each row key, the ``All`` row its
aggregate over each column key, and the corner its aggregate over every row. With
``dropna=True`` the margins see only the rows where no key and no value is missing
(pandas' rule, so a row key whose every row has a null holds a missing ``All`` cell).
The ``All`` row's key is ``margins_name`` in the first index key and ``""`` in the
others, so the index keys must be strings; its column is named as the other column
labels (``"All"`` under one column key, ``"v_All"`` / ``"All_"`` where pandas has more
levels, joined with ``"_"``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column import column_from_host, column_from_scalar
from headwater.dataframe.column.base import Column
from headwater.dataframe.column.cast import concat_columns
from headwater.dataframe.dtypes import kind_of

__all__ = ["Margins"]

_GRAND = "__grand__"


class Margins:
    """The data and aggregations behind the margins of one pivot table.

    ``named`` maps each long-table column to its ``(value, aggregation)``.
    """

    def __init__(self, data: Any, rows: list[str], cols: list[str], named: dict[str, tuple[str, str]],
                 dropna: bool, name: Any) -> None:
        from headwater.dataframe.reshape.pivot import _frame

        if not isinstance(name, str):
            raise ValueError(f"margins_name must be a string, got {name!r}")
        for key in rows:
            if kind_of(data._columns[key].dtype) != "string":
                raise TypeError(
                    f"pivot_table(margins=True) labels the total row {name!r} in the index key {key!r}, "
                    f"which holds {data._columns[key].dtype} (a key column has one dtype); cast it first: "
                    f"df.astype({{{key!r}: 'str'}})"
                )
        used = list(dict.fromkeys(rows + cols + [v for v, _ in named.values()]))
        cols_used = {n: data._columns[n] for n in used}
        if dropna:  # pandas: margins only see the rows without any missing key or value
            keep = None
            for col in cols_used.values():
                valid = col.valid()
                keep = valid if keep is None else keep & valid
            if keep is not None:
                cols_used = {n: c.filter(keep) for n, c in cols_used.items()}
        self.data = _frame(cols_used)
        self.rows, self.cols, self.named, self.dropna, self.name = rows, cols, named, dropna, name

    def _aggregate(self, by: list[str]) -> Any:
        from headwater.dataframe.reshape.pivot import _groups, _plain

        return _plain(_groups(self.data, by, self.dropna).agg(**self.named))

    def column_name(self, prefix: list[str]) -> str:
        """The name of the ``All`` column under ``prefix``."""
        return "_".join([*prefix, self.name, *([""] * (len(self.cols) - 1))])

    def by_rows(self, target: dict[str, Column]) -> dict[str, Column]:
        """Each aggregate over every row key, aligned to the table's rows ``target``
        (missing where no margin row has that key)."""
        from headwater.dataframe.join import merge
        from headwater.dataframe.reshape.pivot import _frame

        agg = self._aggregate(self.rows)
        both = merge(_frame(dict(target)), agg, how="left", on=self.rows)
        return {long: both._columns[long] for long in self.named}

    def add_row(self, table: Any, made: list[tuple[str, str, Any]], fill_value: Any) -> Any:
        """``table`` with the ``All`` row appended; ``made`` lists each output column as
        ``(name, long column, column-key label or None for an All column)``."""
        backend = self.data._backend()
        xp = backend.xp
        for key in self.rows:
            eq = table._keys[key].binary_op("eq", self.name)
            hit = eq.data if eq.mask is None else eq.data & eq.mask
            if bool(backend.to_host(xp.any(hit))):
                raise ValueError(f'Conflicting name "{self.name}" in margins: the key {key!r} already holds it; '
                                 f"pass another margins_name=")
        by_cols = self._aggregate(self.cols) if self.cols else None
        grand_data = self.data._from_columns(
            {**self.data._columns, _GRAND: column_from_host(np.zeros(len(self.data), dtype=np.int64))}
        ) if len(self.data) else None
        grand = self._grand(grand_data)
        position: dict[Any, int] = {}
        if by_cols is not None:
            labels = zip(*[by_cols._columns[c].to_arrow().to_pylist() for c in self.cols])
            position = {label: i for i, label in enumerate(labels)}
        row: dict[str, Column] = {}
        for out_name, long, label in made:
            like = table._columns[out_name]
            if label is None:
                cell = grand[long]
            elif label in position:
                cell = by_cols._columns[long].take(xp.asarray([position[label]], dtype=np.int64))
            else:
                cell = column_from_scalar(fill_value, 1, like)  # no margin row: reindexed with fill_value
            row[out_name] = cell
        keys = {}
        for i, key in enumerate(self.rows):
            keys[key] = concat_columns([table._keys[key], column_from_host([self.name if i == 0 else ""])])
        values = {n: concat_columns([c, row[n]]) for n, c in table._columns.items()}
        return table._from_columns(values, keys=keys)

    def _grand(self, grand_data: Any) -> dict[str, Column]:
        from headwater.dataframe.reshape.pivot import _groups, _plain

        if grand_data is None:
            from headwater.dataframe.column import full_null

            backend = self.data._backend()
            return {long: full_null(1, np.float64, backend) for long in self.named}
        agg = _plain(_groups(grand_data, [_GRAND], False).agg(**self.named))
        return {long: agg._columns[long] for long in self.named}
