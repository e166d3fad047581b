"""``DataFrame.dtypes``: a Series of the column dtypes, keyed by column name, as pandas.

A column holds one dtype family, and dtype objects are no family, so the values are
stored as the dtypes' names (``"int64"``, ``"str"``, ``"category"``...) and the Series
hands back the dtype objects themselves wherever pandas code reads one: ``s["a"]``,
iteration, ``items()``, ``to_dict()``, ``to_list()``, ``values`` / ``to_numpy()``,
``map``/``apply`` with a function, and ``==`` / ``!=`` against a dtype-like (each dtype
compared as NumPy compares, so ``== "float64"`` and ``== np.float64`` both work).
Everything else (``value_counts``, ``astype(str)``, ``isin``, ``.str``, filters) works
on the names; a filtered or sorted result is an ordinary Series of names.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column import Column, column_from_host
from headwater.dataframe.keys import ORIGINAL, lineage
from headwater.dataframe.series import Series

__all__ = ["DtypeSeries", "frame_dtypes"]


def frame_dtypes(columns: dict[str, Column]) -> DtypeSeries:
    """The dtypes of ``columns`` as a :class:`DtypeSeries`.

    Examples
    --------
    >>> import headwater as hw
    >>> dtypes = hw.DataFrame({"a": [1], "s": ["x"]}).dtypes
    >>> dtypes["a"], dtypes.index.tolist(), (dtypes == "str").to_list()
    (dtype('int64'), ['a', 's'], [False, True])
    """
    dtypes = [col.dtype for col in columns.values()]
    names = column_from_host([str(d) for d in dtypes], dtype="str")
    obj = object.__new__(DtypeSeries)
    obj._column = names
    obj.name = None
    obj._keys = {None: column_from_host(list(columns), dtype="str")}
    obj._rows = ORIGINAL
    obj._dtypes = dtypes
    return obj


class DtypeSeries(Series):
    """The Series ``DataFrame.dtypes`` returns (see the module docstring)."""

    __slots__ = ("_dtypes",)

    @lineage
    def _from_column(cls, like: Any, column: Column, name: str | None = None, **kw: Any) -> Series:
        # derived results (filters, sorts, casts) are ordinary Series of the names
        return Series.__dict__["_from_column"]._fn(Series, like, column, name, **kw)

    def _names(self) -> list[str]:
        return list(self._keys[None].to_arrow().to_pylist())

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            try:
                return self._dtypes[self._names().index(key)]
            except ValueError:
                raise KeyError(f"{key!r}: no such column; the columns are {self._names()}") from None
        if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
            raise KeyError(f"dtypes[{key}]: dtypes are labelled by column name; use dtypes.iloc[{key}] "
                           f"for a position")
        return super().__getitem__(key)

    def __repr__(self) -> str:
        from headwater.dataframe.format import series_repr

        return series_repr(self, dtype="object")  # pandas holds dtype objects: an object Series

    def to_list(self) -> list[Any]:
        """The dtype objects, in column order."""
        return list(self._dtypes)

    tolist = to_list

    def __iter__(self) -> Any:
        return iter(self._dtypes)

    def to_numpy(self, dtype: Any = None, copy: bool = False, na_value: Any = None) -> np.ndarray:
        """The dtype objects as a NumPy object array, as pandas."""
        out = np.empty(len(self._dtypes), dtype=object)
        out[:] = self._dtypes
        return out

    @property
    def values(self) -> np.ndarray:
        """Same as :meth:`to_numpy`."""
        return self.to_numpy()

    def _compare(self, other: Any, equal: bool) -> Series:
        hits = []
        for dtype in self._dtypes:
            try:
                hit = bool(dtype == other)
            except TypeError:  # NumPy refuses some comparisons (a non-dtype object): unequal
                hit = False
            hits.append(hit == equal)
        return Series._from_column(column_from_host(np.array(hits, dtype=bool)), None,
                                   keys=self._keys, rows=self._rows)

    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        if isinstance(other, Series):
            return super().__eq__(other)
        return self._compare(other, True)

    def __ne__(self, other: Any) -> Any:  # type: ignore[override]
        if isinstance(other, Series):
            return super().__ne__(other)
        return self._compare(other, False)

    __hash__ = None  # type: ignore[assignment]

    def map(self, arg: Any, na_action: str | None = None) -> Series:
        """A function gets each dtype object (a dict or Series maps the names)."""
        if callable(arg) and not isinstance(arg, (dict, Series)):
            return Series._from_column(column_from_host([arg(d) for d in self._dtypes]), None,
                                       keys=self._keys, rows=self._rows)
        return super().map(arg, na_action)

    def apply(self, func: Any, convert_dtype: Any = None, args: tuple = (), **kwargs: Any) -> Any:
        """A function gets each dtype object."""
        if callable(func):
            return self.map(lambda d: func(d, *args, **kwargs))
        return super().apply(func, convert_dtype, args, **kwargs)
