"""GroupStats: per-group aggregates of columns, joined back onto every row as features."""

from __future__ import annotations

from typing import Any, ClassVar

from headwater.dataframe.features import vocab as _vocab
from headwater.dataframe.features.base import FeatureOp, FeatureOpError
from headwater.dataframe.features.frame import (
    column,
    float_column,
    numeric_values,
    require_columns,
    with_columns,
)
from headwater.dataframe.features.state import on_device

__all__ = ["GroupStats", "group_keys"]

STATS = ("mean", "sum", "count", "min", "max", "std", "var", "median")
_INT64_MAX = (1 << 63) - 1


def group_keys(df: Any, by: list[str], vocabs: list[dict[str, Any]], who: str) -> tuple[Any, Any]:
    """One int64 key per row for the ``by`` columns against fitted vocabularies.

    The key is the mixed-radix number of the per-column ids, so it means the same
    group in every frame; -1 where any key is null or unseen. Returns the key and
    the row validity (``key >= 0``).

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.dataframe.features.group_stats import group_keys
    >>> from headwater.dataframe.features.vocab import fit_vocabulary
    >>> df = hw.DataFrame({"g": ["a", "b"], "h": [1, 1]})
    >>> vocabs = [fit_vocabulary(df._columns[k], k, "doc") for k in ("g", "h")]
    >>> group_keys(df, ["g", "h"], vocabs, "doc")[0].tolist()
    [0, 1]
    """
    key = None
    valid = None
    for name, vocab in zip(by, vocabs):
        col = column(df, name)
        ids = _vocab.lookup(col, vocab, name, who)
        size = max(_vocab.size(vocab), 1)
        valid = ids >= 0 if valid is None else valid & (ids >= 0)
        key = ids if key is None else key * size + ids
    xp = column(df, by[0]).xp
    return xp.where(valid, key, -1), valid


class GroupStats(FeatureOp):
    """Append ``<column>_<stat>_by_<keys>`` with aggregates of the row's group.

    As ``df.groupby(by)[column].transform(stat)`` in pandas, but fitted: the
    aggregates are learned from the training frame and joined onto any frame by
    its key values. Rows whose key is null, or a group never seen in fitting,
    get null. ``std`` and ``var`` use ``ddof=1``, as pandas.

    Parameters
    ----------
    columns : list of str
        Numeric columns to aggregate.
    by : str or list of str
        Key columns.
    stats : list of str
        From ``mean sum count min max std var median``.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"g": ["a", "a", "b"], "x": [1.0, 3.0, 5.0]})
    >>> op = hw.features.GroupStats(columns=["x"], by="g", stats=["mean"]).fit(df)
    >>> op.transform(hw.DataFrame({"g": ["b", "a", "c"], "x": [0.0, 0.0, 0.0]}))["x_mean_by_g"].tolist()
    [5.0, 2.0, None]
    """

    name = "group_stats"
    _OPTIONS: ClassVar[dict[str, Any]] = {"by": None, "stats": ["mean"]}

    def _check_options(self) -> None:
        by = self.options["by"]
        if by is None or by == []:
            raise FeatureOpError("GroupStats needs by=<key column or list of them>")
        self.options["by"] = [by] if isinstance(by, str) else list(by)
        stats = self.options["stats"]
        stats = [stats] if isinstance(stats, str) else list(stats)
        unknown = [s for s in stats if s not in STATS]
        if unknown or not stats:
            raise FeatureOpError(f"GroupStats stats {unknown or stats!r} are not known; choose from {STATS}")
        self.options["stats"] = stats

    def output_name(self, name: str, stat: str) -> str:
        """The column written for ``stat`` of ``name``."""
        return f"{name}_{stat}_by_{'_'.join(self.options['by'])}"

    def _transform_inputs(self) -> list[str]:
        return self.options["by"]  # the aggregates were learned in fit

    def _fit(self, df: Any) -> dict[str, Any]:
        by = self.options["by"]
        require_columns(df, by, "GroupStats")
        vocabs = [_vocab.fit_vocabulary(column(df, k), k, "GroupStats") for k in by]
        total = 1
        for v in vocabs:
            total *= max(_vocab.size(v), 1)
        if total > _INT64_MAX:
            raise FeatureOpError(
                f"GroupStats keys {by} have too many combinations ({total}) for one int64 key; "
                f"group by fewer columns"
            )
        key, valid = group_keys(df, by, vocabs, "GroupStats")
        backend = column(df, by[0]).backend
        xp = backend.xp
        if len(by) == 1:  # the vocabulary ids are the group ids already (no host read)
            n = max(_vocab.size(vocabs[0]), 1)
            ids, uniques = key, xp.arange(n, dtype=xp.int64)
        else:
            ids, uniques = backend.factorize(key, valid, sort=True)
            n = int(uniques.shape[0])
        rows = xp.bincount(xp.where(ids >= 0, ids, n), minlength=n + 1)[:n]
        aggregates: dict[str, Any] = {}
        for name in self.columns:
            values, value_valid = numeric_values(column(df, name), name, "GroupStats")
            per = {}
            for stat in self.options["stats"]:
                per[stat] = _aggregate(backend, stat, values, ids, n, value_valid)
            aggregates[name] = per
        return {"vocabs": vocabs, "groups": uniques, "rows": rows, "aggregates": aggregates}

    def _transform(self, df: Any, state: dict[str, Any]) -> Any:
        by = self.options["by"]
        key, valid = group_keys(df, by, state["vocabs"], "GroupStats")
        col0 = column(df, by[0])
        xp, backend = col0.xp, col0.backend
        groups = on_device(state, "groups", backend)
        n = int(groups.shape[0])
        if n:
            pos = xp.minimum(xp.searchsorted(groups, key), n - 1)
            rows = on_device(state, "rows", backend)
            hit = valid & (xp.take(groups, pos) == key) & (xp.take(rows, pos) > 0)
        else:
            pos = xp.zeros(len(col0), dtype=xp.int64)
            hit = xp.zeros(len(col0), dtype=bool)
        new = {}
        for name in self.columns:
            for stat in self.options["stats"]:
                table = on_device(state["aggregates"][name], stat, backend)
                value = xp.take(table, pos) if n else xp.zeros(len(col0))
                row_valid = hit & ~xp.isnan(value) if value.dtype.kind == "f" else hit
                new[self.output_name(name, stat)] = float_column(value, row_valid)
        return with_columns(df, new)


def _aggregate(backend: Any, stat: str, values: Any, ids: Any, n: int, valid: Any) -> Any:
    xp = backend.xp
    if stat == "mean":
        return backend.segment_mean(values, ids, n, valid)
    if stat == "sum":
        return backend.segment_sum(values, ids, n, valid)
    if stat == "count":
        return backend.segment_count(values, ids, n, valid)
    if stat in ("min", "max"):
        func = backend.segment_min if stat == "min" else backend.segment_max
        counts = backend.segment_count(values, ids, n, valid)
        return xp.where(counts > 0, func(values, ids, n, valid), xp.nan)
    if stat == "std":
        return xp.sqrt(backend.segment_var(values, ids, n, valid, ddof=1))
    if stat == "var":
        return backend.segment_var(values, ids, n, valid, ddof=1)
    return backend.segment_median(values, ids, n, valid)
