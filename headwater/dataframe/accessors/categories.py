"""``Series.cat``: the codes and categories of a categorical column, and pandas' methods
that change the categories (rename, add, remove, set, reorder, order).

Changing categories never touches the rows' bytes: the codes are remapped through a
small host table (old code -> new code) in one device gather."""

from __future__ import annotations

from typing import Any

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pyarrow as pa

from headwater.dataframe.column import build_column
from headwater.dataframe.column.base import UnsupportedOperation
from headwater.dataframe.dtypes import CategoricalDtype
from headwater.tensor.transfer import to_host

__all__ = ["CategoricalAccessor"]


class CategoricalAccessor:
    """Codes (-1 for null, as pandas) and categories."""

    def __init__(self, series: Any) -> None:
        if series._column.kind != "categorical":
            raise UnsupportedOperation(
                f".cat needs a category column, got {series._column.dtype}; convert with "
                f".astype('category') first"
            )
        self._s = series

    @property
    def codes(self) -> Any:
        """int32 codes into the categories; -1 where the value is null.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["b", "a", None], dtype="category").cat.codes.to_list()
        [1, 0, -1]
        """
        col = self._s._column
        codes = col.data if col.mask is None else col.xp.where(col.mask, col.data, np.int32(-1))
        return self._s._from_column(build_column(codes), self._s.name)

    @property
    def categories(self) -> list[str]:
        """The categories, in order.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["b", "a"], dtype="category").cat.categories
        ['a', 'b']
        """
        return self._s._column.dictionary.to_pylist()

    @property
    def ordered(self) -> bool:
        """Whether the categories have an order.

        Examples
        --------
        >>> import pandas as pd, headwater as hw
        >>> hw.Series(pd.Categorical(["lo"], ordered=True)).cat.ordered
        True
        """
        return self._s._column.dtype.ordered

    @property
    def _categories(self) -> list[str]:
        return self._s._column.dictionary.to_pylist()

    def _with(self, categories: Sequence[Any], remap: Sequence[int] | None = None,
              ordered: bool | None = None) -> Any:
        """The Series with ``categories``; ``remap[old code]`` is each value's new code (-1:
        the value becomes null), or None to keep the codes."""
        names = [str(c) for c in categories]
        if len(set(names)) != len(names):
            raise ValueError(f"categories must be unique, got {names}")
        col = self._s._column
        xp = col.xp
        codes, mask = col.data, col.mask
        if remap is not None:
            table = col.backend.to_device(np.asarray(list(remap) or [-1], dtype=np.int32))
            codes = xp.take(table, codes.astype(np.int64)) if len(col) else codes
            hit = codes >= 0
            mask = hit if mask is None else mask & hit
            codes = xp.where(hit, codes, np.int32(0)).astype(np.int32)
        order = self.ordered if ordered is None else bool(ordered)
        dictionary = pa.array(names, type=pa.string())
        out = build_column(codes, mask, CategoricalDtype(dictionary, order), dictionary=dictionary, ordered=order)
        return self._s._from_column(out, self._s.name)

    def rename_categories(self, new_categories: Sequence[Any] | Mapping[Any, Any] | Callable[[Any], Any]) -> Any:
        """The same values under new category names: a list (one per category), a dict
        old -> new (others kept) or a function of each name.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a", "b", "a"], dtype="category").cat.rename_categories({"a": "A"}).to_list()
        ['A', 'b', 'A']
        """
        old = self._categories
        if isinstance(new_categories, Mapping):
            new = [new_categories.get(c, c) for c in old]
        elif callable(new_categories):
            new = [new_categories(c) for c in old]
        else:
            new = list(new_categories)
            if len(new) != len(old):
                raise ValueError(f"rename_categories: {len(new)} new names for {len(old)} categories")
        return self._with(new)

    def add_categories(self, new_categories: Any) -> Any:
        """More (unused) categories after the existing ones.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a"], dtype="category").cat.add_categories(["z"]).cat.categories
        ['a', 'z']
        """
        extra = [new_categories] if isinstance(new_categories, str) else list(new_categories)
        old = self._categories
        clash = [c for c in extra if str(c) in old]
        if clash:
            raise ValueError(f"add_categories: {clash} are already categories")
        return self._with(old + extra)

    def remove_categories(self, removals: Any) -> Any:
        """Without the ``removals`` categories; their values become null.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a", "b"], dtype="category").cat.remove_categories("b").to_list()
        ['a', None]
        """
        drop = {str(removals)} if isinstance(removals, str) else {str(r) for r in removals}
        old = self._categories
        unknown = sorted(drop - set(old))
        if unknown:
            raise ValueError(f"remove_categories: {unknown} are not categories (categories: {old})")
        return self.set_categories([c for c in old if c not in drop])

    def remove_unused_categories(self) -> Any:
        """Only the categories some row uses, in their order.

        Examples
        --------
        >>> import headwater as hw
        >>> s = hw.Series(["b"], dtype="category").cat.add_categories(["c"])
        >>> s.cat.remove_unused_categories().cat.categories
        ['b']
        """
        col = self._s._column
        used = np.zeros(len(self._categories), dtype=bool)
        present = to_host(col.data[~col.is_missing()]) if len(col) else np.zeros(0, dtype=np.int64)
        used[np.unique(present)] = True
        return self.set_categories([c for c, u in zip(self._categories, used) if u])

    def set_categories(self, new_categories: Any, ordered: bool | None = None, rename: bool = False) -> Any:
        """New categories: values not among them become null (or, with ``rename=True``, the
        categories are renamed by position).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.Series(["a", "b"], dtype="category").cat.set_categories(["b", "c"]).to_list()
        [None, 'b']
        """
        new = list(new_categories)
        old = self._categories
        if rename:
            remap = [i if i < len(new) else -1 for i in range(len(old))]
            return self._with(new, remap, ordered)
        position = {str(c): i for i, c in enumerate(new)}
        return self._with(new, [position.get(c, -1) for c in old], ordered)

    def reorder_categories(self, new_categories: Any, ordered: bool | None = None) -> Any:
        """The same categories in a new order (which ``ordered`` comparisons and sorts use).

        Examples
        --------
        >>> import headwater as hw
        >>> s = hw.Series(["lo", "hi"], dtype="category").cat.reorder_categories(["lo", "hi"], ordered=True)
        >>> s.cat.categories, (s > "lo").to_list()
        (['lo', 'hi'], [False, True])
        """
        new = [str(c) for c in new_categories]
        if sorted(new) != sorted(self._categories) or len(new) != len(self._categories):
            raise ValueError(f"reorder_categories: {new} must hold the same categories as {self._categories}")
        return self.set_categories(new, ordered=ordered)

    def as_ordered(self) -> Any:
        """The categories marked ordered (comparisons and min/max follow their order)."""
        return self._with(self._categories, ordered=True)

    def as_unordered(self) -> Any:
        """The categories marked unordered."""
        return self._with(self._categories, ordered=False)
