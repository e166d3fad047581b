"""Rows in group order, for the per-group window ops (Lag, Rolling).

The frame is taken to be sorted in time; the rows of one group need not be
adjacent. The key columns are factorized with the backend's ``factorize`` and
``combine_ids`` and the rows stably sorted by group id, so each group becomes one
run in its original order. Rows whose key is null form no group (pandas'
``dropna=True``) and get null results.
"""

from __future__ import annotations

from typing import Any

from headwater.dataframe.features.frame import column

__all__ = ["GroupRuns", "group_runs"]


class GroupRuns:
    """Row ``order`` grouping the frame by key, and the group ``run`` of each sorted row.

    ``run`` holds ``n_groups`` (an id no group has) for rows with a null key.
    """

    def __init__(self, xp: Any, order: Any, run: Any, null_run: int) -> None:
        self.xp = xp
        self.order = order
        self.run = run
        self.null_run = null_run

    def source(self, k: int) -> tuple[Any, Any]:
        """For each sorted position ``s``: position ``s - k`` and whether it is in the same group."""
        xp = self.xp
        n = len(self.order)
        src = xp.arange(n, dtype=xp.int64) - k
        inside = (src >= 0) & (src < n)
        src = xp.clip(src, 0, max(n - 1, 0))
        same = inside & (xp.take(self.run, src) == self.run) & (self.run != self.null_run)
        return src, same

    def scatter(self, sorted_values: Any) -> Any:
        """Values in sorted order back to frame row order."""
        out = self.xp.empty_like(sorted_values)
        out[self.order] = sorted_values
        return out


def group_runs(df: Any, by: list[str] | None, n_rows: int, backend: Any) -> GroupRuns:
    """Group the rows of ``df`` by the ``by`` columns (all rows one group when None).

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.dataframe.features.window import group_runs
    >>> df = hw.DataFrame({"g": ["a", "b", "a"]})
    >>> runs = group_runs(df, ["g"], 3, hw.get_backend("cpu"))
    >>> runs.order.tolist(), runs.run.tolist()
    ([0, 2, 1], [0, 0, 1])
    """
    xp = backend.xp
    if not by:
        return GroupRuns(xp, xp.arange(n_rows, dtype=xp.int64), xp.zeros(n_rows, dtype=xp.int64), -1)
    ids_list, sizes = [], []
    for name in by:
        values, mask = column(df, name).factorize_key()
        ids, uniques = backend.factorize(values, mask, sort=False)
        ids_list.append(ids)
        sizes.append(int(uniques.shape[0]))
    gid, n = backend.combine_ids(ids_list, sizes, sort=False)
    gid = xp.where(gid >= 0, gid, n)
    order = backend.stable_argsort(gid, n + 1)
    return GroupRuns(xp, order, xp.take(gid, order), n)
