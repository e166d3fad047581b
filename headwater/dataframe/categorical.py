"""``hw.Categorical``: a Series of the category dtype built from values and categories."""

from __future__ import annotations

from typing import Any

from headwater.dataframe.series import Series

__all__ = ["Categorical"]


class Categorical(Series):
    """Values of a fixed set of categories, as ``pandas.Categorical`` (a Series here, so
    it goes wherever a column does).

    Values outside ``categories`` become null, as pandas.

    Examples
    --------
    >>> import headwater as hw
    >>> c = hw.Categorical(["lo", "hi", "lo", "mid"], categories=["lo", "mid", "hi"], ordered=True)
    >>> c.categories, c.codes.to_list(), c.ordered
    (['lo', 'mid', 'hi'], [0, 2, 0, 1], True)
    """

    __slots__ = ()

    def __init__(self, values: Any = None, categories: Any = None, ordered: bool = False, dtype: Any = None,
                 name: str | None = None, device: Any = None) -> None:
        import pandas as pd

        if dtype is not None:
            categories = getattr(dtype, "categories", categories)
            ordered = getattr(dtype, "ordered", ordered)
        host = values.to_list() if isinstance(values, Series) else list(values if values is not None else [])
        cats = None if categories is None else (categories.tolist() if hasattr(categories, "tolist") else list(categories))
        super().__init__(pd.Categorical(host, categories=cats, ordered=ordered), name=name, device=device)

    @property
    def categories(self) -> list[Any]:
        """The categories, in order."""
        return self.cat.categories

    @property
    def codes(self) -> Series:
        """The code of each value (-1 for null, as pandas)."""
        return self.cat.codes.fillna(-1)

    @property
    def ordered(self) -> bool:
        """Whether the categories are ordered."""
        return bool(self._column.dtype.ordered)
