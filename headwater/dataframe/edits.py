"""``DataFrame.insert``, ``pop`` and ``equals``: pandas' column edits and comparison."""

from __future__ import annotations

from typing import Any

__all__ = ["FrameEditsMixin"]


class FrameEditsMixin:
    """Column edits in place and whole-frame equality."""

    def insert(self, loc: int, column: str, value: Any, allow_duplicates: bool = False) -> None:
        """Put a new column at position ``loc`` (in place, as pandas).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"a": [1, 2], "c": [5, 6]})
        >>> df.insert(1, "b", [3, 4]); df.columns
        ['a', 'b', 'c']
        """
        name = str(column)
        if allow_duplicates:
            raise NotImplementedError("insert(allow_duplicates=True): column names are unique in Headwater")
        if name in self._columns:
            raise ValueError(f"cannot insert {name!r}: the column already exists; assign df[{name!r}] = ... "
                             f"to replace it")
        if isinstance(loc, bool) or not isinstance(loc, int) or not 0 <= loc <= len(self._columns):
            raise IndexError(f"insert: loc must be an int in [0, {len(self._columns)}], got {loc!r}")
        col = self._as_column(name, value)
        items = list(self._columns.items())
        items.insert(loc, (name, col))
        self._columns = dict(items)

    def pop(self, item: str) -> Any:
        """Remove column ``item`` and return it as a Series.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"a": [1, 2], "b": [3, 4]})
        >>> df.pop("a").to_list(), df.columns
        ([1, 2], ['b'])
        """
        out = self[item]
        del self[item]
        return out

    def equals(self, other: Any) -> bool:
        """True when ``other`` is a frame with the same column names, dtypes, keys and
        values, missing values in the same places (pandas' rule: NaN equals NaN).

        Examples
        --------
        >>> import headwater as hw
        >>> a = hw.DataFrame({"x": [1.0, None]})
        >>> a.equals(a.copy()), a.equals(hw.DataFrame({"x": [1.0, 2.0]}))
        (True, False)
        """
        from headwater.dataframe.frame import DataFrame

        if not isinstance(other, DataFrame) or list(self._columns) != list(other._columns):
            return False
        if len(self) != len(other) or list(self._keys) != list(other._keys):
            return False
        pairs = [*zip(self._keys.values(), other._keys.values()),
                 *zip(self._columns.values(), other._columns.values())]
        return all(_same_column(a, b) for a, b in pairs)


def _same_column(a: Any, b: Any) -> bool:
    if a.dtype != b.dtype:
        return False
    return a.to_arrow().equals(b.to_arrow()) or _same_with_nan(a, b)


def _same_with_nan(a: Any, b: Any) -> bool:
    """Float columns whose only differences are NaNs in the same places."""
    import numpy as np

    if a.kind != "float":
        return False
    x, y = a.to_numpy(na_value=np.nan), b.to_numpy(na_value=np.nan)
    return bool(np.array_equal(x, y, equal_nan=True))
