"""Group keys: the key columns of a frame factorized into one dense group id per row.

Each key column hands over the values that order it (``sort_key``: string codes
become dictionary ranks) or, without sorting, the values that identify it
(``factorize_key``: codes as they are). The backend factorizes each (codes and small
integer ranges need no hashing) and combines several keys into one id. Null keys
get -1 and are skipped by every reduction (``dropna=True``), or form their own
group, last when sorting (``dropna=False``), as in pandas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from headwater.dataframe.column.base import Column

__all__ = ["GroupKeys", "factorize_keys"]


@dataclass(frozen=True)
class GroupKeys:
    """Dense group ids of every row and what the reductions need to use them.

    Attributes
    ----------
    ids : xp int64 array
        Group of each row in ``[0, n)``, or -1 for a row whose key is null (dropped).
    n : int
        Number of groups.
    has_dropped : bool
        Whether any row has id -1 (when False, reductions may skip a routing pass).
    first_rows : xp int64 array
        One row of each group (its first), used to gather the key values.
    """

    ids: Any
    n: int
    has_dropped: bool
    first_rows: Any

    def key_columns(self, columns: dict[str, Column]) -> dict[str, Column]:
        """The key values of each group, gathered from the groups' first rows."""
        return {name: col.take(self.first_rows) for name, col in columns.items()}


def _key_ids(col: Column, sort: bool, dropna: bool, ordered: bool) -> tuple[Any, int, bool]:
    """Ids of one key: ``sort`` gives ids ascending in ``values``, else by first appearance.

    ``ordered`` factorizes the values' order (string ranks) rather than their codes.
    """
    backend = col.backend
    xp = backend.xp
    values = col.sort_key() if ordered else col.factorize_key()[0]
    validity = col.missing_mask()
    ids, uniques = backend.factorize(values, validity, sort=sort)
    n = int(len(uniques))
    has_null = validity is not None and n < len(col) and _any(backend, ids < 0)
    if has_null and not dropna:
        ids = xp.where(ids < 0, n, ids)  # the null group: last in sorted order
        n += 1
        if not sort:  # ... or where it first appears
            ids, uniques = backend.factorize(ids, None, sort=False)
            n = int(len(uniques))
        has_null = False
    return ids, n, has_null


def _any(backend: Any, flags: Any) -> bool:
    return bool(backend.to_host(flags.any()))


def factorize_keys(columns: list[Column], sort: bool = True, dropna: bool = True) -> GroupKeys:
    """Dense group ids for rows keyed by ``columns`` (all of one length and device).

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.dataframe.column import build_column
    >>> keys = factorize_keys([build_column(np.array([7, 3, 7]))])
    >>> keys.ids.tolist(), keys.n
    ([1, 0, 1], 2)
    """
    if not columns:
        raise ValueError("groupby needs at least one key column")
    backend = columns[0].backend
    # several keys are put in first-appearance order once combined, so each key may
    # take the cheaper sorted (dense-range) ids of its codes
    single = len(columns) == 1
    parts = [_key_ids(col, sort=sort or not single, dropna=dropna, ordered=sort) for col in columns]
    dropped = any(p[2] for p in parts)
    if len(parts) == 1:
        ids, n = parts[0][0], parts[0][1]
    else:
        ids, n = backend.combine_ids([p[0] for p in parts], [p[1] for p in parts], sort=sort)
        if dropped:
            dropped = n < len(ids) and _any(backend, ids < 0)
    first_rows = backend.segment_first_index(ids, n, ids_checked=not dropped)
    return GroupKeys(ids=ids, n=n, has_dropped=dropped, first_rows=first_rows)
