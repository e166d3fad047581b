"""``DataFrame.columns``: the column names as a list that also answers pandas' Index
methods (``tolist``, ``str.lower``, ``get_loc``, ``difference``...).

It is a ``list`` subclass, so ``df.columns == ["a", "b"]`` compares as a list (one
bool) where pandas compares element-wise; that difference is deliberate (the list
answer is what a test or an ``if`` wants) and listed in the README. Assigning to it
does not rename: set ``df.columns = [...]``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = ["ColumnNames"]


class _NameStrings:
    """``df.columns.str``: Python string methods applied to every name."""

    def __init__(self, names: list[str]) -> None:
        self._names = names

    def __getattr__(self, method: str) -> Any:
        if method.startswith("_") or not hasattr(str, method):
            raise AttributeError(f"columns.str has no method {method!r}; it offers Python's str methods")

        def apply(*args: Any, **kwargs: Any) -> Any:
            out = [getattr(name, method)(*args, **kwargs) for name in self._names]
            if all(isinstance(v, str) for v in out):
                return ColumnNames(out)
            return np.asarray(out)

        return apply

    def contains(self, pat: str, case: bool = True, regex: bool = True) -> np.ndarray:
        """True for names that contain ``pat`` (a regular expression unless ``regex=False``)."""
        import re

        if regex:
            flags = 0 if case else re.IGNORECASE
            return np.asarray([re.search(pat, n, flags) is not None for n in self._names])
        if case:
            return np.asarray([pat in n for n in self._names])
        return np.asarray([pat.lower() in n.lower() for n in self._names])

    def replace(self, pat: str, repl: str, regex: bool = False) -> ColumnNames:
        """Every name with ``pat`` replaced (a regular expression with ``regex=True``)."""
        import re

        if regex:
            return ColumnNames([re.sub(pat, repl, n) for n in self._names])
        return ColumnNames([n.replace(pat, repl) for n in self._names])


class ColumnNames(list):
    """The column names, in order (see the module docstring).

    Examples
    --------
    >>> import headwater as hw
    >>> cols = hw.DataFrame({"A": [1], "b": [2]}).columns
    >>> cols.tolist(), cols.str.lower().tolist(), cols.get_loc("b")
    (['A', 'b'], ['a', 'b'], 1)
    >>> cols == ["A", "b"]
    True
    """

    def tolist(self) -> list[str]:
        """The names as a plain list."""
        return list(self)

    to_list = tolist

    @property
    def values(self) -> np.ndarray:
        """The names as a NumPy array of str objects."""
        return np.asarray(list(self), dtype=object)

    def to_numpy(self) -> np.ndarray:
        """The names as a NumPy array of str objects."""
        return self.values

    @property
    def str(self) -> _NameStrings:
        """String methods over the names (``df.columns.str.lower()``)."""
        return _NameStrings(list(self))

    @property
    def size(self) -> int:
        return len(self)

    @property
    def shape(self) -> tuple[int]:
        return (len(self),)

    @property
    def empty(self) -> bool:
        return not self

    def get_loc(self, name: str) -> int:
        """Position of ``name``; KeyError when it is not a column."""
        try:
            return self.index(name)
        except ValueError:
            raise KeyError(name) from None

    def isin(self, values: Iterable[str]) -> np.ndarray:
        """True for names in ``values``."""
        wanted = set(values)
        return np.asarray([n in wanted for n in self])

    def difference(self, other: Iterable[str], sort: bool | None = None) -> ColumnNames:
        """Names not in ``other`` (sorted, as pandas, unless ``sort=False``)."""
        drop = set(other)
        out = [n for n in self if n not in drop]
        return ColumnNames(out if sort is False else sorted(out))

    def intersection(self, other: Iterable[str], sort: bool | None = False) -> ColumnNames:
        """Names also in ``other``, in this order."""
        keep = set(other)
        out = [n for n in self if n in keep]
        return ColumnNames(sorted(out) if sort else out)

    def union(self, other: Iterable[str], sort: bool | None = None) -> ColumnNames:
        """Names of both, without repeats (sorted unless ``sort=False``)."""
        out = list(dict.fromkeys([*self, *other]))
        return ColumnNames(out if sort is False else sorted(out))

    def drop(self, labels: str | Iterable[str]) -> ColumnNames:
        """The names without ``labels``; KeyError naming those that are not columns."""
        labels = [labels] if isinstance(labels, str) else list(labels)
        missing = [n for n in labels if n not in self]
        if missing:
            raise KeyError(f"{missing} not found in the columns")
        return ColumnNames([n for n in self if n not in set(labels)])

    def map(self, func: Any) -> ColumnNames:
        """``func`` applied to each name (a callable or a mapping)."""
        if callable(func):
            return ColumnNames([func(n) for n in self])
        return ColumnNames([func.get(n, n) for n in self])

    def __getitem__(self, key: Any) -> Any:
        if hasattr(key, "_column") and key._column.kind == "bool":  # a mask Series: df.dtypes == "str"
            key = key.to_numpy()
        if isinstance(key, list) and key and all(isinstance(k, (bool, np.bool_)) for k in key):
            key = np.array(key, dtype=bool)
        if isinstance(key, np.ndarray) and key.dtype == bool:
            if len(key) != len(self):
                raise IndexError(f"a boolean mask of {len(key)} values for {len(self)} columns")
            return ColumnNames([n for n, keep in zip(self, key) if keep])
        if isinstance(key, (list, np.ndarray)):
            return ColumnNames([list.__getitem__(self, int(i)) for i in key])
        out = super().__getitem__(key)
        return ColumnNames(out) if isinstance(key, slice) else out
