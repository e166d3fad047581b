"""Plotting through pandas: a host copy of the frame (counted), then pandas' plots.

``df.plot(...)``, ``df.plot.scatter(...)``, ``s.plot.hist()``, ``df.hist()`` and
``df.boxplot()`` are pandas' own, drawn with matplotlib, so their options and return
values (matplotlib ``Axes``) are pandas'.
"""

from __future__ import annotations

from typing import Any

__all__ = ["plot_accessor", "hist", "boxplot"]


def plot_accessor(obj: Any) -> Any:
    """pandas' ``PlotAccessor`` over a host copy of ``obj`` (callable, with ``.line``,
    ``.bar``, ``.scatter``, ``.hist``...)."""
    return obj.to_pandas().plot


def hist(obj: Any, *args: Any, **kwargs: Any) -> Any:
    """pandas' ``hist`` of a host copy of ``obj``."""
    return obj.to_pandas().hist(*args, **kwargs)


def boxplot(obj: Any, *args: Any, **kwargs: Any) -> Any:
    """pandas' ``boxplot`` of a host copy of a frame."""
    return obj.to_pandas().boxplot(*args, **kwargs)
