"""``Series.cat``: the codes and categories of a categorical column."""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column import build_column
from headwater.dataframe.column.base import UnsupportedOperation

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
