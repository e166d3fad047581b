"""NumPy's protocols on Series and DataFrames: ufuncs stay on the device and return
Series; NumPy reductions call the Series' own.

``np.log(s)``, ``np.maximum(s, 0)`` and ``np.add(s, t)`` run the same-named ``xp``
ufunc on the column buffers (nulls stay null) and give a Series (a DataFrame for a
frame), as pandas does. The ufuncs that are Python operators go through the operators,
so they follow the same null and row rules. ``np.sum(s)``, ``np.mean``, ``np.std``
(NumPy's ``ddof=0``)... call the Series' reductions; any other NumPy function
(``np.median`` too, NaN when a value is missing, as for pandas) gets the values as a
host NumPy array (counted), which gives pandas' answer.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column import build_column
from headwater.dataframe.column.base import Column, UnsupportedOperation, and_masks

__all__ = ["series_ufunc", "frame_ufunc", "series_function"]

_OPERATORS = {
    "add": "add", "subtract": "sub", "multiply": "mul", "true_divide": "truediv", "divide": "truediv",
    "floor_divide": "floordiv", "remainder": "mod", "power": "pow", "equal": "eq", "not_equal": "ne",
    "less": "lt", "less_equal": "le", "greater": "gt", "greater_equal": "ge", "bitwise_and": "and",
    "bitwise_or": "or", "bitwise_xor": "xor",
}
_REDUCE = {"add": "sum", "multiply": "prod", "maximum": "max", "minimum": "min", "logical_and": "all",
           "logical_or": "any"}
_ACCUMULATE = {"add": "cumsum", "multiply": "cumprod", "maximum": "cummax", "minimum": "cummin"}


def _series_type() -> type:
    from headwater.dataframe.series import Series

    return Series


def _operand(value: Any, xp: Any) -> tuple[Any, Any]:
    Series = _series_type()
    if isinstance(value, np.ndarray) and value.ndim:
        value = Series(value)  # positional, as a same-length column (one upload)
    if isinstance(value, Series):
        col = value._column
        if col.kind not in ("int", "uint", "float", "bool"):
            raise UnsupportedOperation(f"NumPy ufuncs need numeric columns; {value.name!r} is {col.dtype}")
        return col.data, col.mask
    return value, None


def _check_lengths(inputs: tuple) -> None:
    Series = _series_type()
    lengths = {len(v) for v in inputs if isinstance(v, (Series, np.ndarray)) and np.ndim(v)}
    if len(lengths) > 1:
        raise ValueError(f"the Series given to a ufunc have different lengths: {sorted(lengths)}")


def series_ufunc(series: Any, ufunc: np.ufunc, method: str, inputs: tuple, kwargs: dict) -> Any:
    """``Series.__array_ufunc__``."""
    Series = _series_type()
    if kwargs.get("out") is not None:
        raise TypeError(f"np.{ufunc.__name__}(..., out=) is not supported: columns are immutable; "
                        f"assign the result instead")
    if method == "reduce" and ufunc.__name__ in _REDUCE and len(inputs) == 1:
        return getattr(inputs[0], _REDUCE[ufunc.__name__])()
    if method == "accumulate" and ufunc.__name__ in _ACCUMULATE and len(inputs) == 1:
        return getattr(inputs[0], _ACCUMULATE[ufunc.__name__])()
    if method != "__call__":
        return NotImplemented
    name = ufunc.__name__
    inputs = tuple(Series(v) if isinstance(v, np.ndarray) and v.ndim else v for v in inputs)
    if name in _OPERATORS and len(inputs) == 2 and not kwargs:
        left, right = inputs
        if isinstance(left, Series):
            return left._binary(_OPERATORS[name], right)
        return right._binary(_OPERATORS[name], left, reflect=True)
    if name in ("negative", "positive", "absolute") and len(inputs) == 1 and not kwargs:
        return {"negative": series.__neg__, "positive": series.__pos__, "absolute": series.__abs__}[name]()
    _check_lengths(inputs)
    xp = series._column.xp
    func = getattr(xp, name, None)
    if func is None:
        raise TypeError(f"np.{name} has no device implementation; use np.{name}(s.to_numpy())")
    pairs = [_operand(v, xp) for v in inputs]
    mask = and_masks(*(m for _, m in pairs))
    with np.errstate(all="ignore"):
        out = func(*(d for d, _ in pairs), **kwargs)
    source = next(v for v in inputs if isinstance(v, Series))
    if isinstance(out, tuple):
        return tuple(source._from_column(build_column(o, mask), source.name) for o in out)
    return source._from_column(build_column(out, mask), source.name)


def frame_ufunc(frame: Any, ufunc: np.ufunc, method: str, inputs: tuple, kwargs: dict) -> Any:
    """``DataFrame.__array_ufunc__``: the ufunc over every column (scalars broadcast)."""
    from headwater.dataframe.frame import DataFrame

    Series = _series_type()
    if method != "__call__" or any(isinstance(v, (Series, np.ndarray)) for v in inputs):
        return NotImplemented
    frames = [v for v in inputs if isinstance(v, DataFrame)]
    if len(frames) != 1:
        raise TypeError(f"np.{ufunc.__name__} on several DataFrames is not supported; apply it column by column")
    out: dict[str, Column] = {}
    for name in frame.columns:
        args = tuple(Series._from_column(v._columns[name], name) if isinstance(v, DataFrame) else v
                     for v in inputs)
        result = series_ufunc(args[[isinstance(a, Series) for a in args].index(True)], ufunc, method, args, kwargs)
        if isinstance(result, tuple):
            raise TypeError(f"np.{ufunc.__name__} gives several outputs; apply it to one column at a time")
        out[name] = result._column
    return frame._from_columns(out)


def _std_like(name: str) -> Any:
    def call(s: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: int = 0, **kw: Any) -> Any:
        return getattr(s, name)(ddof=ddof)

    return call


def _plain(name: str) -> Any:
    def call(s: Any, axis: Any = None, *args: Any, **kw: Any) -> Any:
        return getattr(s, name)()

    return call


_FUNCTIONS = {
    np.sum: _plain("sum"), np.prod: _plain("prod"), np.mean: _plain("mean"),
    np.min: _plain("min"), np.max: _plain("max"), np.amin: _plain("min"), np.amax: _plain("max"),
    np.any: _plain("any"), np.all: _plain("all"), np.cumsum: _plain("cumsum"), np.cumprod: _plain("cumprod"),
    np.std: _std_like("std"), np.var: _std_like("var"),
    np.round: lambda s, decimals=0, out=None: s.round(decimals),
    np.clip: lambda s, a_min=None, a_max=None, out=None, **kw: s.clip(a_min, a_max),
    np.ndim: lambda s: 1, np.shape: lambda s: s.shape, np.size: lambda s, axis=None: len(s),
}


def series_function(series: Any, func: Any, types: tuple, args: tuple, kwargs: dict) -> Any:
    """``Series.__array_function__``: the Series' own method where one exists, else NumPy
    on host values."""
    Series = _series_type()
    if func in _FUNCTIONS and args and isinstance(args[0], Series):
        return _FUNCTIONS[func](*args, **kwargs)

    def host(value: Any) -> Any:
        if isinstance(value, Series):
            return value.to_numpy()
        if isinstance(value, (list, tuple)):
            return type(value)(host(v) for v in value)
        return value

    return func(*host(args), **{k: host(v) for k, v in kwargs.items()})
