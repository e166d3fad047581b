"""Python operators on Series: one table from dunder names to column operations.

Operands are positional where their row labels agree (the same frame, or rows in
their original order); two keyed operands with different keys align on the keys as
pandas does; anything else that pandas would align on labels is refused
(:func:`~headwater.dataframe.keys.check_same_rows`). Nulls propagate; ``&`` and ``|``
on booleans follow Kleene logic, as pandas' nullable ``boolean`` dtype does.
"""

from __future__ import annotations

from typing import Any

from headwater.dataframe.flex_ops import install_flex_methods
from headwater.dataframe.keys import align_pair, check_same_rows

__all__ = ["OperatorsMixin", "FrameOperatorsMixin"]

_BINARY = {
    "add": "add", "sub": "sub", "mul": "mul", "truediv": "truediv", "floordiv": "floordiv",
    "mod": "mod", "pow": "pow", "and": "and", "or": "or", "xor": "xor",
}
_COMPARE = ("eq", "ne", "lt", "le", "gt", "ge")


def _binary(op: str, reflect: bool = False):
    def method(self: Any, other: Any) -> Any:
        return self._binary(op, other, reflect)

    method.__name__ = f"__{'r' if reflect else ''}{op}__"
    method.__doc__ = f"``{'other ' + op + ' self' if reflect else 'self ' + op + ' other'}`` with nulls propagated."
    return method


def _unary(op: str):
    def method(self: Any) -> Any:
        return self._from_column(self._column.unary_op(op), self.name)

    method.__name__ = f"__{op}__"
    return method


class OperatorsMixin:
    """Arithmetic, comparison and logical operators, bound from one table."""

    __array_priority__ = 1000  # NumPy scalars on the left defer to these operators

    def _binary(self, op: str, other: Any, reflect: bool = False) -> Any:
        from headwater.dataframe.series import Series

        if hasattr(other, "_columns"):  # Series op DataFrame: the frame's reflected operator
            return other._binary(op, self, not reflect)
        if isinstance(other, Series) and check_same_rows(self, other, f"Series {op} Series") == "align":
            keys, left, right = align_pair(self._keys, {"v": self._column}, other._keys, {"v": other._column},
                                           f"Series {op} Series")
            out = left["v"].binary_op(op, right["v"], reflect)
            name = self.name if self.name == other.name else None
            return self._from_column(out, name, keys=keys, rows=self._rows)
        rhs = other._column if isinstance(other, Series) else other
        name = self.name if not isinstance(other, Series) or other.name == self.name else None
        try:
            return self._from_column(self._column.binary_op(op, rhs, reflect), name)
        except OverflowError as exc:  # a decimal result past 18 digits: name the operands
            where = f"Series {self.name!r}" + (f" {op} Series {other.name!r}" if isinstance(other, Series) else "")
            raise type(exc)(f"{where}: {exc}") from exc
        except (TypeError, ValueError) as exc:
            if not isinstance(other, Series):
                raise
            left, right = (other, self) if reflect else (self, other)
            raise type(exc)(f"Series {left.name!r} {op} Series {right.name!r}: {exc}") from exc

    def __bool__(self) -> bool:
        raise ValueError(
            "the truth value of a Series is ambiguous; use .any(), .all(), or combine "
            "conditions with & and | (not 'and'/'or')"
        )

    __hash__ = None  # type: ignore[assignment]


class FrameOperatorsMixin:
    """Operators of a DataFrame: column by column with a scalar or a same-named frame."""

    __array_priority__ = 1000

    def _binary(self, op: str, other: Any, reflect: bool = False) -> Any:
        from headwater.dataframe.series import Series

        if isinstance(other, Series):
            per_column = _per_column_values(self, other, op)
            out = self._map_named(lambda name, c: c.binary_op(op, per_column[name], reflect))
            if list(per_column) != list(self._columns):  # pandas' union of two orders is sorted
                out = out[sorted(self._columns)]
            return out
        if hasattr(other, "_columns"):
            if check_same_rows(self, other, f"DataFrame {op} DataFrame") == "align":
                if list(other._columns) != list(self._columns):
                    raise ValueError(f"frames must have the same columns for {op!r}: {self.columns} and "
                                     f"{other.columns}")
                keys, left, right = align_pair(self._keys, self._columns, other._keys, other._columns,
                                               f"DataFrame {op} DataFrame")
                out = {name: left[name].binary_op(op, right[name], reflect) for name in left}
                return self._from_columns(out, keys=keys, rows=self._rows)
            if list(other._columns) != list(self._columns) or len(other) != len(self):
                raise ValueError(
                    f"frames must have the same columns and length for {op!r}: "
                    f"{self.columns} ({len(self)} rows) and {other.columns} ({len(other)} rows)"
                )
            return self._map_named(lambda name, c: c.binary_op(op, other._columns[name], reflect))
        return self._map(lambda c: c.binary_op(op, other, reflect))

    def __bool__(self) -> bool:
        raise ValueError("the truth value of a DataFrame is ambiguous; use .empty or len(df)")

    __hash__ = None  # type: ignore[assignment]


def _per_column_values(frame: Any, s: Any, op: str) -> dict[str, Any]:
    """``s``'s values by column name, for ``DataFrame op Series`` (pandas aligns the
    Series' labels with the columns: ``df - df.mean()``). The labels must be exactly the
    frame's column names; pandas would add all-NaN columns for the others, which here is
    an error that names them."""
    names = list(frame._columns)
    if len(s._keys) != 1 or len(s) > 4 * len(names) + 16:
        raise TypeError(
            f"DataFrame {op} Series lines the Series' labels up with the columns, as pandas does; this "
            f"Series is not keyed by the column names {names}. Apply it per column, e.g. "
            f"df.assign(x=df['x'] {op} s), or use a Series with one value per column (df.mean())")
    labels = next(iter(s._keys.values())).to_arrow().to_pylist()
    if set(labels) != set(names) or len(set(labels)) != len(labels):
        extra = [x for x in labels if x not in names]
        missing = [x for x in names if x not in labels]
        raise ValueError(f"DataFrame {op} Series: the Series' labels must be the column names, each once; "
                         f"missing {missing}, not columns {extra}. Select or reindex the Series first")
    return dict(zip(labels, s._column.to_arrow().to_pylist()))


def _frame_unary(op: str):
    def method(self: Any) -> Any:
        return self._map(lambda c: c.unary_op(op))

    method.__name__ = f"__{op}__"
    return method


for _cls, _unary_factory in ((OperatorsMixin, _unary), (FrameOperatorsMixin, _frame_unary)):
    for _name, _op in _BINARY.items():
        setattr(_cls, f"__{_name}__", _binary(_op))
        setattr(_cls, f"__r{_name}__", _binary(_op, reflect=True))
    for _op in _COMPARE:
        setattr(_cls, f"__{_op}__", _binary(_op))
    for _op in ("neg", "pos", "abs", "invert"):
        setattr(_cls, f"__{_op}__", _unary_factory(_op))

install_flex_methods(OperatorsMixin, FrameOperatorsMixin)
