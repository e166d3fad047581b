"""The small attributes and conveniences pandas code reaches for: ``size ndim axes``,
``item is_unique is_monotonic_increasing hasnans dot autocorr factorize`` on a Series,
``add_prefix add_suffix set_axis`` and the host writers (``to_json to_html
to_markdown to_latex to_excel to_sql to_records``) on a DataFrame, and the
``from_dict``/``from_records`` constructors.

The host writers format through a pandas copy of the frame (one counted crossing per
buffer), so their output is pandas' own; the frame's keys become the pandas index.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from headwater.dataframe.column.cast import concat_columns
from headwater.dataframe.keys import ORIGINAL
from headwater.tensor.transfer import to_host

__all__ = ["SeriesAttributesMixin", "FrameAttributesMixin", "factorize"]


def factorize(values: Any, sort: bool = False, use_na_sentinel: bool = True, size_hint: Any = None) -> tuple[Any, Any]:
    """Integer codes of ``values`` and the distinct values, as ``pd.factorize``.

    Codes number the distinct values in order of first appearance (ascending with
    ``sort=True``); missing values get -1 (``use_na_sentinel=True``) or a code of their
    own after the others. The codes are a NumPy array on the host (as ``.values``); the
    uniques a Series (pandas gives an Index).

    Examples
    --------
    >>> import headwater as hw
    >>> codes, uniques = hw.factorize(hw.Series(["b", "a", None, "b"]))
    >>> codes.tolist(), uniques.to_list()
    ([0, 1, -1, 0], ['b', 'a'])
    """
    from headwater.dataframe.series import Series
    from headwater.dataframe.unique import factorize_column

    if size_hint is not None:
        raise TypeError("factorize(size_hint=) is not supported; it is only a hint in pandas")
    s = values if isinstance(values, Series) else Series(values)
    ids, unique_col = factorize_column(s._column, sort=sort)
    n = len(unique_col)
    xp = s._column.xp
    if not use_na_sentinel and s._column.missing_mask() is not None and bool(to_host((ids < 0).any())):
        # missing is a value of its own: last when sorted, else where it first appears
        first = int(to_host(xp.flatnonzero(ids < 0)[0]))
        if sort:
            code = n
        else:  # the values before the first missing row all have smaller codes
            code = int(to_host(ids[:first].max())) + 1 if first else 0
        ids = xp.where(ids < 0, code, xp.where(ids >= code, ids + 1, ids))
        missing_row = s._column.take(xp.asarray([first], dtype=np.int64))
        unique_col = concat_columns([unique_col.slice(0, code), missing_row, unique_col.slice(code, None)])
    return to_host(ids).astype(np.int64), Series._from_column(unique_col, s.name, rows=ORIGINAL)


class SeriesAttributesMixin:
    """``ndim item is_unique is_monotonic_increasing/decreasing hasnans dot autocorr factorize``."""

    @property
    def ndim(self) -> int:
        """1, as pandas."""
        return 1

    @property
    def axes(self) -> list[Any]:
        """``[index]``, as pandas."""
        return [self.index]

    def item(self) -> Any:
        """The one value of a one-row Series as a host scalar.

        Raises
        ------
        ValueError
            The Series does not have exactly one row.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([4.5]).item()
        4.5
        """
        if len(self) != 1:
            raise ValueError(f"can only convert a Series of length 1 to a scalar, this one has {len(self)} rows")
        value = self.iloc[0]
        return value.item() if isinstance(value, np.generic) else value

    @property
    def hasnans(self) -> bool:
        """True when any value is missing (null or NaN).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, None]).hasnans
        True
        """
        return bool(to_host(self._column.is_missing().any()))

    @property
    def is_unique(self) -> bool:
        """True when no value repeats (missing values count as one value, as pandas).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 2, 2]).is_unique
        False
        """
        return int(self.nunique(dropna=False)) == len(self)

    def _monotonic(self, increasing: bool) -> bool:
        if self.hasnans:
            return False  # as pandas: a missing value breaks monotonicity
        n = len(self)
        if n < 2:
            return True
        xp = self._column.xp
        # a stable sort leaves the rows where they are exactly when they are in order
        # (reversed first for decreasing); works for every sortable dtype
        from headwater.dataframe.sorting import sort_permutation

        col = self._column if increasing else self._column.take(xp.arange(n - 1, -1, -1, dtype=np.int64))
        order = sort_permutation([col], [True], "last")
        return bool(to_host(xp.all(order == xp.arange(n, dtype=order.dtype))))

    @property
    def is_monotonic_increasing(self) -> bool:
        """True when each value is at least the one before it (no missing values).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 2, 2]).is_monotonic_increasing, hw.Series(["b", "a"]).is_monotonic_increasing
        (True, False)
        """
        return self._monotonic(True)

    @property
    def is_monotonic_decreasing(self) -> bool:
        """True when each value is at most the one before it (no missing values).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([3, 2, 2]).is_monotonic_decreasing
        True
        """
        return self._monotonic(False)

    def dot(self, other: Any) -> Any:
        """The inner product with another Series (or a 1-D array) of the same length.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1.0, 2.0]).dot(hw.Series([3.0, 4.0]))
        np.float64(11.0)
        """
        from headwater.dataframe.frame import DataFrame

        if isinstance(other, DataFrame):
            raise NotImplementedError("Series.dot(DataFrame) is not supported; use df.T.dot(s) or "
                                      "(df.mul(s, axis=0)).sum()")
        if len(other) != len(self):
            raise ValueError(f"dot: lengths differ ({len(self)} and {len(other)})")
        return (self * other).sum()

    def autocorr(self, lag: int = 1) -> float:
        """Pearson correlation of the Series with itself shifted by ``lag`` rows.

        Examples
        --------
        >>> import headwater as hw
        >>> round(float(hw.Series([1.0, 2.0, 3.0, 5.0]).autocorr()), 6)
        0.981981
        """
        return self.corr(self.shift(lag))

    def factorize(self, sort: bool = False, use_na_sentinel: bool = True) -> tuple[Any, Any]:
        """Codes and distinct values, as :func:`factorize`.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([3, 1, 3]).factorize(sort=True)[0].tolist()
        [1, 0, 1]
        """
        return factorize(self, sort=sort, use_na_sentinel=use_na_sentinel)


def _rename_all(frame: Any, fn: Callable[[str], str]) -> Any:
    return frame._from_columns({fn(name): col for name, col in frame._columns.items()})


class FrameAttributesMixin:
    """``size ndim axes add_prefix add_suffix set_axis``, host writers and constructors."""

    @property
    def size(self) -> int:
        """Rows times columns, as pandas.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2], "b": [3, 4]}).size
        4
        """
        return len(self) * len(self._columns)

    @property
    def ndim(self) -> int:
        """2, as pandas."""
        return 2

    @property
    def axes(self) -> list[Any]:
        """``[index, columns]``, as pandas."""
        return [self.index, self.columns]

    def _column_axis(self, method: str, axis: Any) -> None:
        if axis not in (None, 1, "columns"):
            raise NotImplementedError(f"{method}(axis={axis!r}) would change row labels, which rows do not have; "
                                      f"it renames columns (axis=1)")

    def add_prefix(self, prefix: str, axis: Any = None) -> Any:
        """Every column name with ``prefix`` in front.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1]}).add_prefix("x_").columns
        ['x_a']
        """
        self._column_axis("add_prefix", axis)
        return _rename_all(self, lambda name: f"{prefix}{name}")

    def add_suffix(self, suffix: str, axis: Any = None) -> Any:
        """Every column name with ``suffix`` after it.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1]}).add_suffix("_y").columns
        ['a_y']
        """
        self._column_axis("add_suffix", axis)
        return _rename_all(self, lambda name: f"{name}{suffix}")

    def set_axis(self, labels: Any, *, axis: Any = 0, copy: Any = None) -> Any:
        """New column names (``axis=1``/``"columns"``), as pandas.

        Row labels (``axis=0``) are refused: rows are positional; ``set_index`` makes keys.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1], "b": [2]}).set_axis(["x", "y"], axis=1).columns
        ['x', 'y']
        """
        if axis not in (1, "columns"):
            raise NotImplementedError("set_axis(axis=0) would set row labels, which rows do not have; "
                                      "use set_index(column) to key the rows, or set_axis(names, axis=1)")
        names = [str(n) for n in labels]
        if len(names) != len(self._columns):
            raise ValueError(f"set_axis: {len(names)} names for {len(self._columns)} columns")
        if len(set(names)) != len(names):
            raise ValueError(f"set_axis: column names must be unique, got {names}")
        return self._from_columns(dict(zip(names, self._columns.values())))

    # -- host writers (pandas' formatting of a host copy) ---------------------------------
    def _host_write(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return getattr(self.to_pandas(), method)(*args, **kwargs)

    def to_json(self, path_or_buf: Any = None, *args: Any, **kwargs: Any) -> str | None:
        """JSON text (or a file) in pandas' formats (``orient=``, ``lines=``, ...), written
        by pandas from a host copy.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, None]}).to_json(orient="records")
        '[{"a":1.0},{"a":null}]'
        """
        return self._host_write("to_json", path_or_buf, *args, **kwargs)

    def to_html(self, *args: Any, **kwargs: Any) -> str | None:
        """An HTML table, written by pandas from a host copy."""
        return self._host_write("to_html", *args, **kwargs)

    def to_markdown(self, *args: Any, **kwargs: Any) -> str | None:
        """A Markdown table, written by pandas from a host copy (needs ``tabulate``)."""
        return self._host_write("to_markdown", *args, **kwargs)

    def to_latex(self, *args: Any, **kwargs: Any) -> str | None:
        """A LaTeX table, written by pandas from a host copy (needs ``jinja2``)."""
        return self._host_write("to_latex", *args, **kwargs)

    def to_excel(self, *args: Any, **kwargs: Any) -> None:
        """An Excel sheet, written by pandas from a host copy (needs ``openpyxl``)."""
        return self._host_write("to_excel", *args, **kwargs)

    def to_sql(self, name: str, con: Any, *args: Any, **kwargs: Any) -> Any:
        """Rows into a SQL table through pandas (``con``: an SQLAlchemy engine or a
        ``sqlite3`` connection).

        Examples
        --------
        >>> import sqlite3
        >>> import headwater as hw
        >>> con = sqlite3.connect(":memory:")
        >>> hw.DataFrame({"a": [1, 2]}).to_sql("t", con, index=False)
        2
        >>> con.execute("select sum(a) from t").fetchone()
        (3,)
        """
        return self._host_write("to_sql", name, con, *args, **kwargs)

    def to_records(self, index: bool = True, column_dtypes: Any = None, index_dtypes: Any = None) -> np.recarray:
        """A NumPy record array on the host (with the keys first when ``index=True`` and
        the frame is keyed; an unkeyed frame's positions under ``index``, as pandas).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2], "b": [0.5, 1.5]}).to_records(index=False).tolist()
        [(1, 0.5), (2, 1.5)]
        """
        frame = self.to_pandas()
        for name in frame.columns:  # nullable dtypes become NumPy ones (NaN / None for nulls)
            dtype = frame[name].dtype
            if getattr(dtype, "numpy_dtype", None) is not None:
                target = dtype.numpy_dtype if not frame[name].isna().any() else (
                    np.float64 if dtype.kind in "iuf" else object)
                frame[name] = frame[name].to_numpy(dtype=target, na_value=np.nan if target is np.float64 else None)
        return frame.to_records(index=index, column_dtypes=column_dtypes, index_dtypes=index_dtypes)

    @classmethod
    def from_dict(cls, data: Mapping[Any, Any], orient: str = "columns", dtype: Any = None,
                  columns: list[str] | None = None) -> Any:
        """A frame from a dict: ``{column: values}`` (``orient="columns"``) or ``{row key:
        values}`` (``orient="index"``, keyed by the row keys as pandas indexes them; give
        ``columns=`` names) or pandas' ``"tight"`` form.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame.from_dict({"r1": [1, 2], "r2": [3, 4]}, orient="index", columns=["a", "b"]).to_dict()
        {'a': {'r1': 1, 'r2': 3}, 'b': {'r1': 2, 'r2': 4}}
        """
        import pandas as pd

        if orient == "columns" and columns is not None:
            raise ValueError("from_dict: columns= is only for orient='index'")
        if orient not in ("columns", "index", "tight"):
            raise ValueError(f"from_dict: orient must be 'columns', 'index' or 'tight', got {orient!r}")
        if orient == "columns":
            return cls(dict(data), dtype=dtype)
        frame = pd.DataFrame.from_dict(data, orient=orient, dtype=dtype, columns=columns)
        return cls(frame, index=frame.index)

    @classmethod
    def from_records(cls, data: Any, index: Any = None, exclude: Any = None, columns: Any = None,
                     coerce_float: bool = False, nrows: int | None = None) -> Any:
        """A frame from a sequence of tuples, dicts or a NumPy record array, as pandas.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame.from_records([(1, "x"), (2, "y")], columns=["n", "s"]).to_dict("list")
        {'n': [1, 2], 's': ['x', 'y']}
        """
        import pandas as pd

        frame = pd.DataFrame.from_records(data, index=index, exclude=exclude, columns=columns,
                                          coerce_float=coerce_float, nrows=nrows)
        return cls(frame, index=frame.index)

