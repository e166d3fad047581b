"""Statistics between and within columns: ``corr``, ``cov``, ``corrwith``, ``mode``,
``argmax``/``argmin`` (positions) and ``idxmax``/``idxmin`` (labels).

Pairs of columns use the rows where both are present (pandas' pairwise deletion);
every sum runs on the device and only the results cross to the host.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column import Column, build_column, column_from_host
from headwater.dataframe.keys import check_same_rows, require_labels
from headwater.dataframe.sorting import sort_permutation
from headwater.tensor.transfer import to_host

__all__ = ["SeriesStatsMixin", "FrameStatsMixin", "pair_statistic"]

_NUMERIC = ("int", "uint", "float", "bool")


def _values(col: Column) -> tuple[Any, Any]:
    xp = col.xp
    valid = col.missing_mask()
    data = col.data.astype(np.float64)
    return data, (xp.ones(len(col), dtype=bool) if valid is None else valid)


def _ranked(col: Column) -> Column:
    from headwater.dataframe.ranking import rank_column

    return rank_column(col, "average", True, False)


def pair_statistic(a: Column, b: Column, what: str, ddof: int = 1, min_periods: int | None = None) -> np.float64:
    """Pearson correlation (``what="corr"``) or covariance of two columns over the rows
    where both are present; NaN with fewer than ``min_periods`` such rows."""
    xp = a.xp
    x, va = _values(a)
    y, vb = _values(b)
    both = va & vb
    n = int(to_host(xp.sum(both)))
    need = max(min_periods or 1, 2 if what == "corr" else ddof + 1)
    if n < need:
        return np.float64("nan")
    x, y = x[both], y[both]
    dx, dy = x - xp.mean(x), y - xp.mean(y)
    sxy = xp.sum(dx * dy)
    if what == "cov":
        return np.float64(to_host(sxy / (n - ddof)))
    out = sxy / xp.sqrt(xp.sum(dx * dx) * xp.sum(dy * dy))
    return np.float64(to_host(xp.clip(out, -1.0, 1.0)))


def _check_method(method: str) -> None:
    if method not in ("pearson", "spearman"):
        raise NotImplementedError(f"corr(method={method!r}) is not supported; use 'pearson' or 'spearman'")


def correlation(a: Column, b: Column, method: str, min_periods: int | None = None) -> float:
    """Pearson, or Spearman (Pearson of the ranks among the rows where both are present)."""
    _check_method(method)
    if method == "spearman":
        both = a.valid() & b.valid() & ~a.is_missing() & ~b.is_missing()
        a, b = _ranked(a.filter(both)), _ranked(b.filter(both))
    return pair_statistic(a, b, "corr", min_periods=min_periods)


def _first_of_order(obj: Any, ascending: bool, skipna: bool, what: str) -> int:
    col = obj._column
    if len(col) == 0:
        raise ValueError(f"{what} of an empty sequence")
    if not skipna and col.null_count + int(to_host(col.xp.sum(col.is_missing()))) > 0:
        raise ValueError(f"{what}(skipna=False) meets a missing value; drop or fill them first")
    pos = int(to_host(sort_permutation([col], [ascending], head=1)[:1])[0])
    if not bool(to_host(col.valid()[pos:pos + 1])[0]) or bool(to_host(col.is_missing()[pos:pos + 1])[0]):
        raise ValueError(f"{what}: every value is missing")
    return pos


class SeriesStatsMixin:
    """``corr``, ``cov``, ``mode``, ``argmax``/``argmin``, ``idxmax``/``idxmin`` of a Series."""

    def _paired(self, other: Any, what: str) -> tuple[Column, Column]:
        if check_same_rows(self, other, f"Series.{what}") == "align":
            from headwater.dataframe.keys import align_pair

            _, left, right = align_pair(self._keys, {"v": self._column}, other._keys, {"v": other._column}, what)
            return left["v"], right["v"]
        if len(self) != len(other):
            raise ValueError(f"{what}: the Series have {len(self)} and {len(other)} rows")
        return self._column, other._column

    def corr(self, other: Any, method: str = "pearson", min_periods: int | None = None) -> np.float64:
        """Correlation with ``other`` over the rows where both are present.

        Examples
        --------
        >>> import headwater as hw
        >>> float(round(hw.Series([1.0, 2.0, 4.0]).corr(hw.Series([2.0, 4.0, 9.0])), 4))
        0.9986
        """
        a, b = self._paired(other, "corr")
        return correlation(a, b, method, min_periods)

    def cov(self, other: Any, min_periods: int | None = None, ddof: int = 1) -> float:
        """Covariance with ``other`` over the rows where both are present.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, 2.0, 3.0]).cov(hw.Series([1.0, 2.0, 3.0]))
        np.float64(1.0)
        """
        a, b = self._paired(other, "cov")
        return pair_statistic(a, b, "cov", ddof=ddof, min_periods=min_periods)

    def mode(self, dropna: bool = True) -> Any:
        """The most frequent value(s), sorted, as a Series.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([3, 1, 3, 1, 2]).mode().to_list()
        [1, 3]
        """
        counts = self.value_counts(dropna=dropna, sort=False)
        if len(counts) == 0:
            return self._from_column(self._column.slice(0, 0), self.name, keys={}, rows=None)
        xp = counts._column.xp
        top = counts._column.data == xp.max(counts._column.data)
        values = next(iter(counts._keys.values())).filter(top)
        values = values.take(sort_permutation([values], [True]))
        return self._from_column(values, self.name, keys={}, rows=None)

    def argmax(self, axis: Any = None, skipna: bool = True) -> int:
        """Position of the (first) largest value.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 5, None, 5]).argmax()
        1
        """
        return _first_of_order(self, False, skipna, "argmax")

    def argmin(self, axis: Any = None, skipna: bool = True) -> int:
        """Position of the (first) smallest value.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([4, 1, 1]).argmin()
        1
        """
        return _first_of_order(self, True, skipna, "argmin")

    def idxmax(self, axis: Any = 0, skipna: bool = True) -> Any:
        """Label of the (first) largest value: its key, or its position while the rows are
        in their original order (after a filter or sort this raises; use ``argmax``).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"k": ["a", "b"], "v": [1, 9]}).set_index("k")["v"].idxmax()
        'b'
        """
        require_labels(self, "idxmax()", "argmax() (a position)")
        return self.index[self.argmax(skipna=skipna)]

    def idxmin(self, axis: Any = 0, skipna: bool = True) -> Any:
        """Label of the (first) smallest value (see :meth:`idxmax`).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([4, 1, 1]).idxmin()
        1
        """
        require_labels(self, "idxmin()", "argmin() (a position)")
        return self.index[self.argmin(skipna=skipna)]


class FrameStatsMixin:
    """``corr``, ``cov``, ``corrwith``, ``mode``, ``idxmax``/``idxmin`` of a DataFrame."""

    def _numeric_columns(self, numeric_only: bool, what: str) -> dict[str, Column]:
        out = {}
        for name, col in self._columns.items():
            if col.kind in _NUMERIC:
                out[name] = col
            elif not numeric_only:
                raise TypeError(f"{what}: column {name!r} ({col.dtype}) is not numeric; pass numeric_only=True "
                                f"or select the numeric columns first")
        return out

    def _square(self, names: list[str], values: dict[str, list[float]]) -> Any:
        keys = {None: column_from_host(names, device=self.device)}
        cols = {name: build_column(self._backend().to_device(np.asarray(values[name], dtype=np.float64)))
                for name in names}
        return self._from_columns(cols, keys=keys, rows=None)

    def corr(self, method: str = "pearson", min_periods: int = 1, numeric_only: bool = False) -> Any:
        """Pairwise correlation of the columns: a frame keyed by the column names.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 2.0, 1.0]})
        >>> df.corr().to_dict()
        {'a': {'a': 1.0, 'b': -1.0}, 'b': {'a': -1.0, 'b': 1.0}}
        """
        _check_method(method)
        cols = self._numeric_columns(numeric_only, "corr")
        names = list(cols)
        out = {b: [correlation(cols[a], cols[b], method, min_periods) for a in names] for b in names}
        return self._square(names, out)

    def cov(self, min_periods: int | None = None, ddof: int = 1, numeric_only: bool = False) -> Any:
        """Pairwise covariance of the columns: a frame keyed by the column names.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1.0, 2.0, 3.0]}).cov().to_dict()
        {'a': {'a': 1.0}}
        """
        cols = self._numeric_columns(numeric_only, "cov")
        names = list(cols)
        out = {b: [pair_statistic(cols[a], cols[b], "cov", ddof, min_periods) for a in names] for b in names}
        return self._square(names, out)

    def corrwith(self, other: Any, axis: Any = 0, drop: bool = False, method: str = "pearson",
                 numeric_only: bool = False) -> Any:
        """Correlation of each column with a Series, or with the same-named column of a frame.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 0.0, 2.0]})
        >>> df.corrwith(hw.Series([1.0, 2.0, 3.0])).to_dict()
        {'a': 1.0, 'b': 0.5}
        """
        from headwater.dataframe.series import Series

        if axis not in (0, "index"):
            raise NotImplementedError("corrwith(axis=1) is not supported; transpose with .T first")
        cols = self._numeric_columns(numeric_only, "corrwith")
        if isinstance(other, Series):
            results = {name: self[name].corr(other, method=method) for name in cols}
        else:
            shared = [n for n in cols if n in other._columns]
            results = {name: self[name].corr(other[name], method=method) for name in shared}
            if not drop:
                results.update({n: float("nan") for n in list(cols) + list(other._columns)
                                if n not in results and (n in cols or other._columns[n].kind in _NUMERIC)})
        keys = {None: column_from_host(list(results), device=self.device)}
        values = column_from_host(list(results.values()), device=self.device) if results else column_from_host(
            np.zeros(0), device=self.device)
        return Series._from_column(values, None, keys=keys, rows=None)

    def mode(self, axis: Any = 0, numeric_only: bool = False, dropna: bool = True) -> Any:
        """The most frequent value(s) of each column, sorted; shorter columns padded with nulls.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2, 2], "b": [3, 3, 4]}).mode().to_dict()
        {'a': [2], 'b': [3]}
        """
        from headwater.dataframe.column import full_null
        from headwater.dataframe.column.cast import concat_columns

        if axis not in (0, "index"):
            raise NotImplementedError("mode(axis=1) is not supported")
        modes = {name: self[name].mode(dropna=dropna)._column for name, col in self._columns.items()
                 if not numeric_only or col.kind in _NUMERIC}
        n = max((len(c) for c in modes.values()), default=0)
        padded = {name: c if len(c) == n else concat_columns([c, full_null(n - len(c), c.dtype, c.backend)])
                  for name, c in modes.items()}
        return self._from_columns(padded, keys={}, rows=None)

    def _label_per_column(self, how: str, skipna: bool, numeric_only: bool) -> Any:
        from headwater.dataframe.series import Series

        require_labels(self, f"{how}()", "the Series' argmax()/argmin() (positions) on each column")
        labels = self.index
        picked = {name: labels[getattr(self[name], "argmax" if how == "idxmax" else "argmin")(skipna=skipna)]
                  for name, col in self._columns.items() if not numeric_only or col.kind in _NUMERIC}
        keys = {None: column_from_host(list(picked), device=self.device)}
        return Series._from_column(column_from_host(list(picked.values()), device=self.device), None,
                                   keys=keys, rows=None)

    def idxmax(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Label of each column's largest value (a Series keyed by the column names).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 3], "b": [5, 2]}).idxmax().to_dict()
        {'a': 1, 'b': 0}
        """
        return self._label_per_column("idxmax", skipna, numeric_only)

    def idxmin(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """Label of each column's smallest value (a Series keyed by the column names).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 3], "b": [5, 2]}).idxmin().to_dict()
        {'a': 0, 'b': 1}
        """
        return self._label_per_column("idxmin", skipna, numeric_only)
