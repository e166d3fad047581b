"""Row operations of a DataFrame: dropna, sample, filtering by a condition."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["RowsMixin"]


class RowsMixin:
    """``dropna``, ``sample`` and ``filter`` (of columns, as pandas)."""

    def dropna(self, *, axis: Any = 0, how: str | None = None, thresh: int | None = None,
               subset: str | list[str] | None = None, inplace: bool = False, ignore_index: bool = False) -> Any:
        """Rows without missing values (``how="all"``: drop rows missing everywhere;
        ``thresh``: keep rows with at least that many present values; ``axis=1``: drop
        columns instead).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"a": [1, None, None], "b": [1, 2, None]})
        >>> len(df.dropna()), len(df.dropna(how="all")), len(df.dropna(subset="b"))
        (1, 2, 2)
        """
        if how is not None and thresh is not None:
            raise TypeError("dropna: give how= or thresh=, not both")
        out = self._dropna(subset, how or "any", thresh, axis)
        if ignore_index:
            out = out.reset_index(drop=True)
        return self._inplace(out, inplace)

    def _dropna(self, subset: Any, how: str, thresh: int | None, axis: Any) -> Any:
        if how not in ("any", "all"):
            raise ValueError(f"how must be 'any' or 'all', got {how!r}")
        if axis in (1, "columns"):
            def drop(c: Any) -> bool:
                missing = int(c.is_missing().sum())
                present = len(c) - missing
                if thresh is not None:
                    return present < thresh
                return missing > 0 if how == "any" else present == 0 and len(c) > 0
            return self._from_columns({n: c for n, c in self._columns.items() if not drop(c)})
        if axis not in (0, "index"):
            raise ValueError(f"axis must be 0/'index' or 1/'columns', got {axis!r}")
        if thresh is not None:
            names = list(self._columns) if subset is None else ([subset] if isinstance(subset, str) else list(subset))
            xp = self._backend().xp
            present = xp.zeros(len(self), dtype=np.int64)
            for name in names:
                present += self._get_column(name).valid().astype(np.int64)
            return self._filter_rows(present >= int(thresh))
        names = list(self._columns) if subset is None else ([subset] if isinstance(subset, str) else list(subset))
        cols = [self._get_column(name) for name in names]
        masks = [c.missing_mask() for c in cols]
        masks = [m for m in masks if m is not None]
        if not masks:
            if how == "all" and not cols:
                return self._filter_rows(self._backend().xp.zeros(len(self), dtype=bool))
            return self._from_columns(self._columns)
        if how == "any":
            keep = masks[0]
            for m in masks[1:]:
                keep = keep & m
        else:
            if len(masks) < len(cols):
                return self._from_columns(self._columns)
            keep = masks[0]
            for m in masks[1:]:
                keep = keep | m
        return self._filter_rows(keep)

    def sample(self, n: int | None = None, frac: float | None = None, replace: bool = False,
               seed: int | None = None, random_state: int | None = None) -> Any:
        """Random rows, drawn on the device (``seed`` makes it repeatable).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"a": range(100)})
        >>> len(df.sample(n=10, seed=0)), len(df.sample(frac=0.5, seed=0))
        (10, 50)
        >>> df.sample(n=5, seed=1)["a"].to_list() == df.sample(n=5, seed=1)["a"].to_list()
        True
        """
        total = len(self)
        seed = random_state if seed is None else seed
        if (n is None) == (frac is None):
            n = 1 if n is None and frac is None else n
            if frac is not None:
                raise ValueError("give either n or frac, not both")
        k = n if n is not None else int(round(frac * total))
        if k > total and not replace:
            raise ValueError(f"cannot take {k} rows from {total} without replace=True")
        backend = self._backend()
        rng = backend.random_state(seed)
        xp = backend.xp
        if replace:
            idx = rng.integers(0, max(total, 1), size=k)
        else:
            idx = xp.argsort(rng.random(total))[:k]
        return self._take_rows(idx.astype(np.int64))

    def filter(self, items: list[str] | None = None, like: str | None = None,
               regex: str | None = None) -> Any:
        """Columns by name, as pandas' ``filter``: listed ``items``, names containing
        ``like``, or names matching ``regex`` (rows are selected with ``df[mask]``).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a1": [1], "a2": [2], "b": [3]}).filter(like="a").columns
        ['a1', 'a2']
        """
        import re

        if sum(x is not None for x in (items, like, regex)) != 1:
            raise TypeError("filter needs exactly one of items=, like= or regex=")
        if items is not None:
            names = [n for n in items if n in self._columns]
        elif like is not None:
            names = [n for n in self._columns if like in n]
        else:
            names = [n for n in self._columns if re.search(regex, n)]
        return self._from_columns({n: self._columns[n] for n in names})
