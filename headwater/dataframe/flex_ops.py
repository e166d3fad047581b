"""pandas' flexible operator methods: ``add radd sub rsub mul rmul truediv div
rtruediv rdiv floordiv rfloordiv mod rmod pow rpow`` and the comparisons ``eq ne lt le
gt ge``, with ``axis=`` and ``fill_value=``, for Series and DataFrame.

Each method is the operator (``s.add(t)`` is ``s + t``) plus two options:

``fill_value``
    a missing value on one side is replaced by ``fill_value`` before the operation;
    where both sides are missing the result stays missing (pandas' rule).
``axis`` (DataFrame only)
    ``"columns"`` (the default) lines a Series' labels up with the column names, as
    ``df - s`` does; ``"index"`` (or 0) applies the Series down every column, row by
    row (``df.sub(df["a"], axis=0)``).

``level=`` exists in pandas for MultiIndex labels, which Headwater does not have: any
value but None raises.
"""

from __future__ import annotations

from typing import Any

__all__ = ["install_flex_methods"]

_ARITHMETIC = {
    "add": ("add", False), "radd": ("add", True), "sub": ("sub", False), "rsub": ("sub", True),
    "mul": ("mul", False), "rmul": ("mul", True), "truediv": ("truediv", False), "div": ("truediv", False),
    "rtruediv": ("truediv", True), "rdiv": ("truediv", True), "floordiv": ("floordiv", False),
    "rfloordiv": ("floordiv", True), "mod": ("mod", False), "rmod": ("mod", True),
    "pow": ("pow", False), "rpow": ("pow", True),
}
_COMPARISON = {name: (name, False) for name in ("eq", "ne", "lt", "le", "gt", "ge")}
_SYMBOL = {"add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "mod": "%", "pow": "**",
           "eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _present(col: Any) -> Any:
    return col.valid() & ~col.is_missing()


def _fill_pair(left: Any, right: Any, fill_value: Any) -> tuple[Any, Any]:
    """The Series (or scalar) operands with ``fill_value`` where exactly one side is missing."""
    from headwater.dataframe.series import Series

    if fill_value is None:
        return left, right
    if not isinstance(right, Series):
        filled = left._from_column(left._column.where(_present(left._column), fill_value), left.name)
        return filled, right
    if len(left) != len(right):
        raise ValueError(f"fill_value= needs operands of one length, got {len(left)} and {len(right)}")
    a, b = left._column, right._column
    pa_, pb = _present(a), _present(b)
    new_a = left._from_column(a.where(pa_ | ~pb, fill_value), left.name)
    new_b = right._from_column(b.where(pb | ~pa_, fill_value), right.name)
    return new_a, new_b


def _series_method(name: str, op: str, reflect: bool):
    def method(self: Any, other: Any, level: Any = None, fill_value: Any = None, axis: Any = 0) -> Any:
        if level is not None:
            raise NotImplementedError(f"Series.{name}(level=) needs MultiIndex labels, which Headwater does "
                                      f"not have; leave level=None")
        if axis not in (0, "index", None):
            raise ValueError(f"Series.{name}: axis must be 0 or 'index', got {axis!r}")
        left, right = _fill_pair(self, other, fill_value)
        return left._binary(op, right, reflect)

    method.__name__ = name
    sym = _SYMBOL[op]
    method.__doc__ = (f"``{'other ' + sym + ' self' if reflect else 'self ' + sym + ' other'}`` as pandas' "
                      f"``Series.{name}``; ``fill_value`` replaces a value missing on one side "
                      f"(see :mod:`headwater.dataframe.flex_ops`).")
    return method


def _frame_method(name: str, op: str, reflect: bool):
    def method(self: Any, other: Any, axis: Any = "columns", level: Any = None, fill_value: Any = None) -> Any:
        from headwater.dataframe.series import Series

        if level is not None:
            raise NotImplementedError(f"DataFrame.{name}(level=) needs MultiIndex labels, which Headwater "
                                      f"does not have; leave level=None")
        if axis not in ("columns", 1, "index", 0):
            raise ValueError(f"DataFrame.{name}: axis must be 'columns' (1) or 'index' (0), got {axis!r}")
        if isinstance(other, Series) and axis in ("index", 0):
            cols = {col: _series_method(name, op, reflect)(self[col], other, fill_value=fill_value)._column
                    for col in self._columns}
            return self._from_columns(cols, keys=self._keys, rows=self._rows)
        if fill_value is None or isinstance(other, Series):
            if fill_value is not None:
                raise NotImplementedError(f"DataFrame.{name}(Series, fill_value=) along the columns is not "
                                          f"supported; fill the frame with fillna(...) first")
            return self._binary(op, other, reflect)
        if hasattr(other, "_columns"):
            if list(other._columns) != list(self._columns) or len(other) != len(self):
                return self._binary(op, other, reflect)  # raises with the frames' shapes
            pairs = {col: _fill_pair(self[col], other[col], fill_value) for col in self._columns}
            cols = {col: a._binary(op, b, reflect)._column for col, (a, b) in pairs.items()}
        else:
            cols = {col: _series_method(name, op, reflect)(self[col], other, fill_value=fill_value)._column
                    for col in self._columns}
        return self._from_columns(cols, keys=self._keys, rows=self._rows)

    method.__name__ = name
    sym = _SYMBOL[op]
    method.__doc__ = (f"``{'other ' + sym + ' self' if reflect else 'self ' + sym + ' other'}`` as pandas' "
                      f"``DataFrame.{name}``, with ``axis=`` and ``fill_value=`` "
                      f"(see :mod:`headwater.dataframe.flex_ops`).")
    return method


def install_flex_methods(series_cls: type, frame_cls: type) -> None:
    """Bind the methods onto the Series and DataFrame operator mixins."""
    for name, (op, reflect) in {**_ARITHMETIC, **_COMPARISON}.items():
        setattr(series_cls, name, _series_method(name, op, reflect))
        setattr(frame_cls, name, _frame_method(name, op, reflect))
