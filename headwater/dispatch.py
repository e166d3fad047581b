"""One function for each name torch and pandas both use: ``concat``, ``unique``, ``where``.

``hw.concat`` is ``torch.concat`` (``hw.cat``) for Tensors and ``pandas.concat`` for
frames and Series; ``hw.unique`` sorts a Tensor's values as ``torch.unique`` does and
keeps the order of appearance for a Series, a list or an array, as ``pandas.unique``;
``hw.where(cond, x, y)`` is ``torch.where`` for Tensors and ``x.where(cond, y)`` when
``x`` is a Series or DataFrame. Each picks by the type of its arguments and hands the
work to the layer that owns it; this module sits above both ``dataframe`` and
``autograd`` and holds no other logic.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from headwater.autograd import ops
from headwater.dataframe.concat import concat as frame_concat
from headwater.dataframe.frame import DataFrame
from headwater.dataframe.series import Series
from headwater.tensor.tensor import Tensor

__all__ = ["concat", "unique", "where"]


def _first(objs: Any) -> Any:
    if isinstance(objs, Mapping):
        objs = list(objs.values())
    if isinstance(objs, (Tensor, Series, DataFrame)) or not hasattr(objs, "__iter__"):
        raise TypeError(
            f"concat expects a sequence of Tensors, Series or DataFrames, got one "
            f"{type(objs).__name__}; wrap it in a list"
        )
    objs = list(objs)
    if not objs:
        raise ValueError("concat needs at least one object to join; got an empty sequence")
    return objs[0]


def concat(objs: Any, *args: Any, **kwargs: Any) -> Any:
    """Join Tensors (as ``torch.concat``/``hw.cat``: ``dim=``, also spelled
    ``axis=``) or DataFrames and Series (as ``pandas.concat``: ``axis``,
    ``ignore_index``).

    Raises
    ------
    TypeError
        The objects mix Tensors with frames, or are neither.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.concat([hw.ones(2), hw.zeros(1)]).tolist()
    [1.0, 1.0, 0.0]
    >>> hw.concat([hw.DataFrame({"a": [1]}), hw.DataFrame({"a": [2]})])["a"].to_list()
    [1, 2]
    """
    first = _first(objs)
    items = list(objs.values()) if isinstance(objs, Mapping) else list(objs)
    if isinstance(first, Tensor):
        if not all(isinstance(x, Tensor) for x in items):
            raise TypeError("concat: mix of Tensors and other objects; convert them all to Tensors first")
        if "axis" in kwargs:
            if "dim" in kwargs:
                raise TypeError("concat: pass dim or axis, not both")
            kwargs["dim"] = kwargs.pop("axis")
        return ops.cat(items, *args, **kwargs)
    if isinstance(first, (Series, DataFrame)):
        if any(isinstance(x, Tensor) for x in items):
            raise TypeError("concat: mix of frames and Tensors; convert the Tensors with "
                            "hw.Series(t) / hw.DataFrame(...) or the frames with .to_tensor()")
        return frame_concat(objs, *args, **kwargs)
    raise TypeError(
        f"concat joins Tensors or DataFrames/Series, got {type(first).__name__}; "
        f"build them with hw.tensor(...) or hw.DataFrame(...) first"
    )


def unique(values: Any, *args: Any, **kwargs: Any) -> Any:
    """The distinct values: sorted for a Tensor (``torch.unique``, with its
    ``sorted return_inverse return_counts dim``); in order of first appearance for a
    Series, list or array (``pandas.unique``; a Series gives a Series).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.unique(hw.tensor([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    >>> hw.unique(hw.Series([3, 1, 3, 2])).to_list()
    [3, 1, 2]
    >>> hw.unique([3, 1, 3]).to_list()
    [3, 1]
    """
    if isinstance(values, Tensor):
        return ops.unique(values, *args, **kwargs)
    if args or kwargs:
        raise TypeError(
            f"unique of a {type(values).__name__} takes no further arguments (pandas.unique "
            f"takes none); got {len(args)} positional and {sorted(kwargs)}"
        )
    if isinstance(values, Series):
        return values.unique()
    if isinstance(values, DataFrame):
        raise TypeError("unique takes one column: hw.unique(df['col']), or df.drop_duplicates() for rows")
    return Series(values).unique()


def where(condition: Any, input: Any = None, other: Any = None) -> Any:
    """``torch.where`` for Tensors (with only ``condition``, its true positions);
    for a Series or DataFrame ``input``, ``input.where(condition, other)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.where(hw.tensor([True, False]), 1.0, -1.0).tolist()
    [1.0, -1.0]
    >>> s = hw.Series([1, 2, 3])
    >>> hw.where(s > 1, s, 0).to_list()
    [0, 2, 3]
    """
    if isinstance(input, (Series, DataFrame)):
        return input.where(condition, other)
    if isinstance(condition, (Series, DataFrame)):
        raise TypeError(
            "where: with a Series/DataFrame condition, pass the Series/DataFrame to choose "
            "from as input (hw.where(cond, s, other) is s.where(cond, other))"
        )
    return ops.where(condition, input, other)
