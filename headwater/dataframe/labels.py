"""Methods over row labels: ``index``, ``set_index``, ``reset_index``, ``sort_index``,
``loc`` / ``at`` / ``iat`` and label-keyed ``to_dict`` (the model is in :mod:`.keys`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column import Column, build_column
from headwater.dataframe.keys import ORIGINAL, Index, require_labels
from headwater.dataframe.locators import (
    FrameAt,
    FrameIAt,
    FrameLoc,
    SeriesAt,
    SeriesIAt,
    SeriesLoc,
    resolve_rows,
)

__all__ = ["FrameLabelsMixin", "SeriesLabelsMixin", "drop_rows", "key_column_names"]


def key_column_names(keys: dict[str, Column]) -> list[str]:
    """The column names pandas' ``reset_index`` gives keys (``index`` / ``level_i`` when unnamed)."""
    if len(keys) == 1:
        name = next(iter(keys))
        return ["index" if name is None else name]
    return [f"level_{i}" if name is None else name for i, name in enumerate(keys)]


def _positions(n: int, backend: Any) -> Column:
    return build_column(backend.xp.arange(n, dtype=np.int64))


def drop_rows(frame: Any, labels: Any, errors: str = "raise") -> Any:
    """The frame without the rows labelled ``labels`` (keys, or original positions)."""
    items = labels if isinstance(labels, (list, tuple, np.ndarray)) and not (
        frame._keys and len(frame._keys) > 1 and isinstance(labels, tuple)) else [labels]
    xp = frame._backend().xp
    drop = xp.zeros(len(frame), dtype=bool)
    for item in items:
        try:
            how, value, _ = resolve_rows(frame, [item])
        except KeyError:
            if errors == "raise":
                raise
            continue
        drop[value] = True
    return frame._filter_rows(~drop)


def _sort_keys(obj: Any, ascending: bool | list[bool], na_position: str) -> Any:
    from headwater.dataframe.sorting import sort_permutation

    cols = list(obj._keys.values())
    asc = [ascending] * len(cols) if isinstance(ascending, bool) else list(ascending)
    return sort_permutation(cols, asc, na_position)


class _LabelsBase:
    @property
    def index(self) -> Index:
        """The row labels: the keys (a MultiIndex-like Index for several), or the
        positions 0..n-1 while the rows are in their original order.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"k": ["a", "b"], "v": [1, 2]}).set_index("k").index.tolist()
        ['a', 'b']
        """
        return Index(self._keys, len(self), self._rows)

    @property
    def loc(self) -> Any:
        """Rows by label (the keys, or original positions), by a boolean mask or ``:``.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b", "c"], "v": [1, 2, 3]})
        >>> df.loc[df["v"] > 1, "k"].to_list()
        ['b', 'c']
        >>> df.set_index("k").loc["b", "v"]
        np.int64(2)
        """
        return FrameLoc(self) if hasattr(self, "_columns") else SeriesLoc(self)

    @property
    def at(self) -> Any:
        """One value by label: ``df.at[label, column]``, ``s.at[label]``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"v": [1, 2]}).at[1, "v"]
        np.int64(2)
        """
        return FrameAt(self) if hasattr(self, "_columns") else SeriesAt(self)

    @property
    def iat(self) -> Any:
        """One value by position: ``df.iat[i, j]``, ``s.iat[i]``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.DataFrame({"v": [1, 2]}).iat[1, 0]
        np.int64(2)
        """
        return FrameIAt(self) if hasattr(self, "_columns") else SeriesIAt(self)


class FrameLabelsMixin(_LabelsBase):
    """Label methods of a DataFrame."""

    def reindex(self, labels: Any = None, *, index: Any = None, columns: Any = None, axis: Any = None,
                method: Any = None, copy: Any = None, level: Any = None, fill_value: Any = None,
                limit: Any = None, tolerance: Any = None) -> Any:
        """Rows by label (the keys, or positions in original order) and columns by name,
        missing (or ``fill_value``) where absent, as pandas. See
        :mod:`headwater.dataframe.reindex`.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b"], "v": [1, 2]}).set_index("k")
        >>> df.reindex(["b", "c"], columns=["v", "w"]).reset_index().to_dict()
        {'k': ['b', 'c'], 'v': [2, None], 'w': [None, None]}
        """
        from headwater.dataframe.reindex import reindex_frame

        return reindex_frame(self, labels, index, columns, axis, method, copy, level, fill_value, limit,
                             tolerance)

    def _with_keys(self, names: list[str], drop: bool = True, append: bool = False) -> Any:
        """This frame with the columns ``names`` as its keys (the internal API behind
        ``set_index``; pivot_table/crosstab build keyed results through it)."""
        for name in names:
            self._get_column(name)
        keys = dict(self._keys) if append else {}
        keys.update({name: self._columns[name] for name in names})
        cols = {k: v for k, v in self._columns.items() if not (drop and k in names)}
        return self._from_columns(cols, keys=keys, rows=self._rows)

    def set_index(self, keys: str | list[str], *, drop: bool = True, append: bool = False,
                  inplace: bool = False, verify_integrity: bool = False) -> Any:
        """The columns ``keys`` become the frame's keys (its row labels).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["a", "b"], "v": [1, 2]}).set_index("k")
        >>> df.columns, df.loc["b", "v"]
        (['v'], np.int64(2))
        """
        names = [keys] if isinstance(keys, str) else list(keys)
        if not all(isinstance(n, str) for n in names):
            raise NotImplementedError(
                "set_index takes column names; add arrays or Series as columns first "
                "(df['k'] = values), then set_index('k')"
            )
        out = self._with_keys(names, drop=drop, append=append)
        if verify_integrity and not out.index.is_unique:
            raise ValueError(f"set_index(verify_integrity=True): the keys {names} repeat")
        return self._inplace(out, inplace)

    def reset_index(self, level: Any = None, *, drop: bool = False, inplace: bool = False,
                    col_level: int = 0, col_fill: str = "", allow_duplicates: bool = False,
                    names: Any = None) -> Any:
        """The keys back as leading columns (exactly pandas' columns), rows numbered anew.

        Without keys: ``drop=True`` renumbers the rows (no copy); otherwise an ``index``
        column of the labels is added, which needs the rows in their original order
        (after a filter or sort their labels are not kept, and this raises).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["b", "a", "b"], "v": [1, 2, 3]})
        >>> df.groupby("k").sum().reset_index().to_dict()
        {'k': ['a', 'b'], 'v': [2, 4]}
        >>> df[df["v"] > 1].reset_index(drop=True)["v"].to_list()
        [2, 3]
        """
        if col_level != 0 or col_fill != "":
            raise NotImplementedError("reset_index(col_level=, col_fill=) needs column levels, which frames do not have")
        keys = dict(self._keys)
        if level is not None:
            if not keys:
                raise KeyError(f"reset_index(level={level!r}): the frame has no keys")
            levels = level if isinstance(level, (list, tuple)) else [level]
            knames = list(keys)
            chosen = [knames[v] if isinstance(v, int) else v for v in levels]
            for name in chosen:
                if name not in keys:
                    raise KeyError(f"no key {name!r}; keys are {knames}")
            moved = {n: keys[n] for n in knames if n in chosen}
            kept = {n: keys[n] for n in knames if n not in chosen}
        else:
            moved, kept = keys, {}
        if not keys and not drop:
            require_labels(self, "reset_index()", "reset_index(drop=True) (renumbers the rows)")
            moved = {None: _positions(len(self), self._backend())}
        out_cols: dict[str, Column] = {}
        if not drop:
            new_names = key_column_names(moved) if names is None else (
                [names] if isinstance(names, str) else list(names))
            for name, col in zip(new_names, moved.values()):
                if (name in self._columns or name in out_cols) and not allow_duplicates:
                    raise ValueError(f"cannot insert {name!r}: the frame already has a column {name!r}; "
                                     f"use reset_index(drop=True) or rename it first")
                out_cols[name] = col
        out_cols.update(self._columns)
        rows = self._rows if kept else ORIGINAL
        return self._inplace(self._from_columns(out_cols, keys=kept, rows=rows), inplace)

    def sort_index(self, *, axis: int | str = 0, level: Any = None, ascending: bool | list[bool] = True,
                   inplace: bool = False, kind: str = "stable", na_position: str = "last",
                   sort_remaining: bool = True, ignore_index: bool = False, key: Any = None) -> Any:
        """Rows sorted by their keys (stable); ``axis=1`` sorts the columns by name.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["b", "a"], "v": [1, 2]}).set_index("k")
        >>> df.sort_index().index.tolist()
        ['a', 'b']
        """
        if key is not None or level is not None:
            raise NotImplementedError("sort_index(key=, level=) is not supported; use "
                                      "reset_index() and sort_values(...) on the key columns")
        if axis in (1, "columns"):
            names = sorted(self._columns, reverse=not ascending)
            return self._inplace(self._from_columns({n: self._columns[n] for n in names}), inplace)
        if self._keys:
            out = self._take_rows(_sort_keys(self, ascending, na_position))
        else:
            require_labels(self, "sort_index()", "sort_values(...) on a column, or reset_index(drop=True)")
            out = self if ascending else self._take_rows(self._backend().xp.arange(len(self))[::-1].copy())
        if ignore_index:
            out = out.reset_index(drop=True)
        return self._inplace(out, inplace)

    def _keyed_to_dict(self, orient: str) -> Any:
        labels = self.index.tolist()
        data = {name: col.to_arrow().to_pylist() for name, col in self._columns.items()}
        if orient == "dict":
            return {name: dict(zip(labels, values)) for name, values in data.items()}
        if orient == "index":
            return {label: {name: data[name][i] for name in data} for i, label in enumerate(labels)}
        if orient == "series":
            return {name: self[name] for name in data}
        if orient == "split":
            return {"index": labels, "columns": list(data), "data": [list(r) for r in zip(*data.values())]}
        raise ValueError(f"orient must be 'dict', 'list', 'records', 'index', 'series' or 'split', got {orient!r}")

    def items(self) -> Any:
        """``(name, Series)`` pairs, as pandas' ``items``.

        Examples
        --------
        >>> import headwater as hw
        >>> [name for name, _ in hw.DataFrame({"a": [1], "b": [2]}).items()]
        ['a', 'b']
        """
        for name in self._columns:
            yield name, self[name]

    def iterrows(self) -> Any:
        """``(label, row dict)`` pairs, one host crossing for the whole frame.

        Labels are the keys, or the positions while the rows are in their original
        order; after a filter or sort this raises (use ``enumerate(df.itertuples())``
        or ``reset_index(drop=True)`` for positions). Rows are dicts, not Series.

        Examples
        --------
        >>> import headwater as hw
        >>> [(i, r["a"]) for i, r in hw.DataFrame({"a": [5, 6]}).iterrows()]
        [(0, 5), (1, 6)]
        """
        require_labels(self, "iterrows()", "enumerate(df.itertuples(index=False)) or reset_index(drop=True)")
        labels = self.index.tolist()
        yield from zip(labels, self.to_dict("records"))

    def itertuples(self, index: bool = True, name: str | None = "Pandas") -> Any:
        """Rows as named tuples (``index=True`` puts the label first, as pandas).

        Examples
        --------
        >>> import headwater as hw
        >>> [tuple(t) for t in hw.DataFrame({"a": [5, 6]}).itertuples(index=False)]
        [(5,), (6,)]
        """
        import collections

        names = list(self._columns)
        lists = [c.to_arrow().to_pylist() for c in self._columns.values()]
        if index:
            require_labels(self, "itertuples(index=True)", "itertuples(index=False)")
            lists = [self.index.tolist()] + lists
            names = ["Index"] + names
        if name is None:
            yield from zip(*lists)
            return
        cls = collections.namedtuple(name, names, rename=True)
        for values in zip(*lists):
            yield cls(*values)


class SeriesLabelsMixin(_LabelsBase):
    """Label methods of a Series."""

    def reindex(self, index: Any = None, *, axis: Any = None, method: Any = None, copy: Any = None,
                level: Any = None, fill_value: Any = None, limit: Any = None, tolerance: Any = None) -> Any:
        """The values at the labels ``index``, missing (or ``fill_value``) where no row has
        one; keyed by ``index``. See :mod:`headwater.dataframe.reindex`.

        Examples
        --------
        >>> import headwater as hw
        >>> s = hw.DataFrame({"k": ["a", "b"], "v": [1, 2]}).set_index("k")["v"]
        >>> s.reindex(["b", "z"]).to_dict(), s.reindex(["z"], fill_value=0).to_dict()
        ({'b': 2, 'z': None}, {'z': 0})
        """
        from headwater.dataframe.reindex import reindex_series

        return reindex_series(self, index, axis=axis, method=method, copy=copy, level=level,
                              fill_value=fill_value, limit=limit, tolerance=tolerance)

    def reset_index(self, level: Any = None, *, drop: bool = False, name: Any = None,
                    inplace: bool = False, allow_duplicates: bool = False) -> Any:
        """The keys back as columns beside the values (a DataFrame), as pandas.

        ``name`` names the value column (default: the Series' name, else ``"0"``).
        ``drop=True`` gives the values alone, rows numbered anew.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"k": ["b", "a", "b"]})
        >>> df.groupby("k").size().reset_index(name="n").to_dict()
        {'k': ['a', 'b'], 'n': [1, 2]}
        """
        if inplace:
            if not drop:
                raise TypeError("Series.reset_index(inplace=True) needs drop=True (a Series cannot become a frame)")
            self._keys, self._rows = {}, ORIGINAL
            return None
        if level is not None:
            raise NotImplementedError("Series.reset_index(level=) is not supported; reset all keys")
        if drop:
            return self._from_column(self._column, self.name, keys={}, rows=ORIGINAL)
        value_name = name if name is not None else (self.name if self.name is not None else "0")
        frame = self.to_frame(str(value_name))
        return frame.reset_index(allow_duplicates=allow_duplicates)

    def sort_index(self, *, ascending: bool = True, inplace: bool = False, kind: str = "stable",
                   na_position: str = "last", ignore_index: bool = False) -> Any:
        """Values sorted by their keys (stable).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["x", "y"], name="v").to_frame().assign(k=["b", "a"]).set_index("k")["v"].sort_index().to_list()
        ['y', 'x']
        """
        frame = self.to_frame("v").sort_index(ascending=ascending, na_position=na_position,
                                              ignore_index=ignore_index)
        out = frame["v"].rename(self.name)
        if inplace:
            self._column, self._keys, self._rows = out._column, out._keys, out._rows
            return None
        return out

    def keys(self) -> Index:
        """The index (pandas' ``Series.keys``)."""
        return self.index

    def items(self) -> Any:
        """``(label, value)`` pairs.

        Examples
        --------
        >>> import headwater as hw
        >>> list(hw.Series([5, 6]).items())
        [(0, 5), (1, 6)]
        """
        return zip(self.index.tolist(), self.to_list())

    def to_dict(self, into: Any = dict) -> dict[Any, Any]:
        """``{label: value}``: labels are the keys, else the positions while the rows are
        in their original order (after a filter or sort this raises; use
        ``dict(enumerate(s.to_list()))`` for positions).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a", "b"]).to_dict()
        {0: 'a', 1: 'b'}
        >>> hw.Series(["x", "y", "x"]).value_counts().to_dict()
        {'x': 2, 'y': 1}
        """
        require_labels(self, "to_dict()", "dict(enumerate(s.to_list())) or reset_index(drop=True)")
        return into(zip(self.index.tolist(), self.to_list()))

