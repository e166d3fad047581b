"""Looking at a frame as a whole: ``info``, ``memory_usage``, ``select_dtypes``,
``squeeze`` and ``T`` (transpose of a same-dtype frame)."""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from headwater.dataframe.column import Column, build_column, column_from_host

__all__ = ["FrameInspectMixin", "SeriesInspectMixin", "column_nbytes", "dtype_matches"]

_KIND_GROUPS = {
    "number": ("int", "uint", "float"), "numeric": ("int", "uint", "float"), "integer": ("int", "uint"),
    "int": ("int", "uint"), "float": ("float",), "floating": ("float",), "bool": ("bool",),
    "object": ("string",), "string": ("string",), "str": ("string",), "category": ("categorical",),
    "datetime": ("datetime",), "datetime64": ("datetime",), "datetimetz": ("datetime",),
    "timedelta": ("timedelta",), "timedelta64": ("timedelta",),
}


def column_nbytes(col: Column) -> int:
    """Bytes of a column's buffers (data, validity, plain strings' bytes, a dictionary's strings)."""
    total = col.nbytes
    dictionary = getattr(col, "dictionary", None)
    if dictionary is not None:
        total += sum(b.size for b in dictionary.buffers() if b is not None)
    return total


def dtype_matches(col: Column, spec: Any) -> bool:
    """Whether a column's dtype is of ``spec`` (a name such as ``"number"`` or a dtype)."""
    if isinstance(spec, str) and spec.lower() in _KIND_GROUPS:
        return col.kind in _KIND_GROUPS[spec.lower()]
    if spec is object or spec is str:
        return col.kind == "string"
    if spec is bool:
        return col.kind == "bool"
    if spec is int:
        return col.kind in ("int", "uint")
    if spec is float:
        return col.kind == "float"
    if isinstance(spec, type) and issubclass(spec, np.generic) and spec in (np.number, np.integer, np.floating):
        return col.kind in {np.number: ("int", "uint", "float"), np.integer: ("int", "uint"),
                            np.floating: ("float",)}[spec]
    try:
        return col.kind not in ("string", "categorical") and np.dtype(col.dtype) == np.dtype(spec)
    except TypeError:
        raise TypeError(f"select_dtypes: unknown dtype {spec!r}; use names such as 'number', 'bool', "
                        f"'object', 'category', 'datetime' or NumPy dtypes") from None


class SeriesInspectMixin:
    """``memory_usage`` and ``squeeze`` of a Series."""

    def memory_usage(self, index: bool = True, deep: bool = False) -> int:
        """Bytes held by the values (device buffers; the keys too with ``index=True``).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([1, 2, 3]).memory_usage()
        24
        """
        keys = sum(column_nbytes(c) for c in self._keys.values()) if index else 0
        return column_nbytes(self._column) + keys

    def squeeze(self, axis: Any = None) -> Any:
        """The single value of a one-row Series, else the Series.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series([7]).squeeze()
        np.int64(7)
        """
        return self.iloc[0] if len(self) == 1 else self


class FrameInspectMixin:
    """``info``, ``memory_usage``, ``select_dtypes``, ``squeeze`` and ``T`` of a DataFrame."""

    def memory_usage(self, index: bool = True, deep: bool = False) -> Any:
        """Bytes per column (device buffers), a Series keyed by the column names (and
        ``Index`` for the keys with ``index=True``, as pandas).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2], "b": [1.0, None]}).memory_usage(index=False).to_dict()
        {'a': 16, 'b': 18}
        """
        from headwater.dataframe.series import Series

        sizes = {name: column_nbytes(col) for name, col in self._columns.items()}
        if index:
            sizes = {"Index": sum(column_nbytes(c) for c in self._keys.values()), **sizes}
        keys = {None: column_from_host(list(sizes), device=self.device)}
        return Series._from_column(column_from_host(np.asarray(list(sizes.values()), dtype=np.int64),
                                                    device=self.device), None, keys=keys, rows=None)

    def info(self, verbose: bool | None = None, buf: Any = None, max_cols: int | None = None,
             memory_usage: bool | str | None = None, show_counts: bool | None = None) -> None:
        """Print a summary: rows, keys, each column's non-null count and dtype, memory.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": hw.Series([1, None], dtype="int64")}).info()
        <class 'headwater.DataFrame'>
        RangeIndex: 2 entries, 0 to 1
        Data columns (total 1 columns):
         #   Column  Non-Null Count  Dtype
        ---  ------  --------------  -----
         0   a       1 non-null      int64
        dtypes: int64(1)
        memory usage: 18.0 bytes
        """
        out = buf if buf is not None else sys.stdout
        n = len(self)
        lines = ["<class 'headwater.DataFrame'>"]
        if self._keys:
            lines.append(f"Index: {n} entries (keys {list(self._keys)})")
        else:
            lines.append(f"RangeIndex: {n} entries, 0 to {n - 1}" if n else "RangeIndex: 0 entries")
        lines.append(f"Data columns (total {len(self._columns)} columns):")
        width = max([len("Column")] + [len(str(c)) for c in self._columns])
        lines.append(f" #   {'Column':<{width}}  Non-Null Count  Dtype")
        lines.append(f"---  {'-' * width}  --------------  -----")
        counts: dict[str, int] = {}
        for i, (name, col) in enumerate(self._columns.items()):
            present = n - int(col.is_missing().sum())
            dtype = str(col.dtype)
            counts[dtype] = counts.get(dtype, 0) + 1
            lines.append(f" {i:<3} {str(name):<{width}}  {f'{present} non-null':<14}  {dtype}")
        lines.append("dtypes: " + ", ".join(f"{k}({v})" for k, v in counts.items()))
        if memory_usage is not False:
            total = sum(column_nbytes(c) for c in self._columns.values())
            total += sum(column_nbytes(c) for c in self._keys.values())
            lines.append(f"memory usage: {_human(total)}")
        print("\n".join(lines), file=out)

    def select_dtypes(self, include: Any = None, exclude: Any = None) -> Any:
        """The columns whose dtype is in ``include`` and not in ``exclude`` (names such as
        ``"number"``, ``"bool"``, ``"object"``/``"string"``, ``"category"``, ``"datetime"``,
        or NumPy dtypes).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"a": [1], "b": ["x"], "c": [0.5]})
        >>> df.select_dtypes("number").columns, df.select_dtypes(exclude=["object"]).columns
        (['a', 'c'], ['a', 'c'])
        """
        if include is None and exclude is None:
            raise ValueError("select_dtypes needs include= or exclude=")
        inc = [] if include is None else (include if isinstance(include, (list, tuple, set)) else [include])
        exc = [] if exclude is None else (exclude if isinstance(exclude, (list, tuple, set)) else [exclude])
        picked = {
            name: col for name, col in self._columns.items()
            if (not inc or any(dtype_matches(col, s) for s in inc)) and not any(dtype_matches(col, s) for s in exc)
        }
        return self._from_columns(picked)

    def squeeze(self, axis: Any = None) -> Any:
        """A one-column frame as a Series, a 1x1 frame as its value, else the frame.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2]}).squeeze().to_list()
        [1, 2]
        """
        if len(self._columns) == 1 and (len(self) == 1 and axis is None):
            return self.iat[0, 0]
        if len(self._columns) == 1 and axis in (None, 1, "columns"):
            return self[next(iter(self._columns))]
        if len(self) == 1 and axis in (None, 0, "index") and len(self._columns) > 1:
            return self.iloc[0]
        return self

    def transpose(self, *args: Any, copy: bool = False) -> Any:
        """Rows become columns (a frame of one numeric or bool dtype): the columns become
        the keys and the row labels (keys, or positions) the column names.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"a": [1, 2], "b": [3, 4]}).T.to_dict()
        {'0': {'a': 1, 'b': 3}, '1': {'a': 2, 'b': 4}}
        """
        dtypes = {str(c.dtype) for c in self._columns.values()}
        if any(c.kind not in ("int", "uint", "float", "bool") for c in self._columns.values()):
            raise TypeError(
                f"T needs numeric or bool columns (pandas would make an object frame), got {sorted(dtypes)}; "
                f"select them first (df.select_dtypes('number').T)"
            )
        if len(dtypes) > 1:  # one common dtype, as pandas (int and float columns give float64)
            common = np.result_type(*[c.dtype for c in self._columns.values()])
            self = self._from_columns({n: c.astype(common) for n, c in self._columns.items()})
        xp = self._backend().xp
        labels = [str(v) for v in self.index.tolist()]
        if not self._columns:
            return self._from_columns({}, keys={}, rows=None)
        data = xp.stack([c.data for c in self._columns.values()])
        masks = [c.mask for c in self._columns.values()]
        valid = None if all(m is None for m in masks) else xp.stack(
            [xp.ones(len(self), dtype=bool) if m is None else m for m in masks])
        cols = {label: build_column(data[:, i].copy(), None if valid is None else valid[:, i].copy())
                for i, label in enumerate(labels)}
        keys = {None: column_from_host(list(self._columns), device=self.device)}
        return self._from_columns(cols, keys=keys, rows=None)

    @property
    def T(self) -> Any:  # noqa: N802 - pandas' name
        """Same as :meth:`transpose`."""
        return self.transpose()


def _human(nbytes: int) -> str:
    size = float(nbytes)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.1f} {unit}" if unit != "bytes" else f"{size:.1f} bytes"
        size /= 1024
    return f"{size:.1f} TB"
