"""The right-hand side of a binary operation: another column, a scalar or a null."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from headwater.dataframe.column.base import Column, UnsupportedOperation, is_null_scalar
from headwater.tensor.backend import elementwise

__all__ = ["Operand", "operand", "ARITHMETIC", "COMPARISON", "LOGICAL", "XP_FUNCS", "flip", "apply_op"]

ARITHMETIC = frozenset({"add", "sub", "mul", "truediv", "floordiv", "mod", "pow"})
COMPARISON = frozenset({"eq", "ne", "lt", "le", "gt", "ge"})
LOGICAL = frozenset({"and", "or", "xor"})

XP_FUNCS = {
    "add": "add", "sub": "subtract", "mul": "multiply", "truediv": "true_divide",
    "floordiv": "floor_divide", "mod": "remainder", "pow": "power",
    "eq": "equal", "ne": "not_equal", "lt": "less", "le": "less_equal",
    "gt": "greater", "ge": "greater_equal",
}

def apply_op(xp: Any, op: str, a: Any, b: Any) -> Any:
    """The ufunc of ``op`` (``"mul"``, ``"gt"``, ...) on two operands' buffers; long host
    operands run in row ranges on the worker threads (:mod:`~headwater.tensor.backend.elementwise`)."""
    return elementwise.binary(xp, XP_FUNCS[op], a, b)


_FLIPPED = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le", "eq": "eq", "ne": "ne"}


def flip(op: str) -> str:
    """The comparison that gives the same answer with the operands swapped."""
    return _FLIPPED.get(op, op)


@dataclass
class Operand:
    """What a column operation sees of its other side."""

    column: Column | None  # set when the other side is a column
    scalar: Any  # set when it is a scalar
    is_null: bool  # a null scalar (None, pd.NA, NaT): the result is all null

    @property
    def data(self) -> Any:
        return self.column.data if self.column is not None else self.scalar

    @property
    def mask(self) -> Any:
        return self.column.mask if self.column is not None else None

    @property
    def kind(self) -> str | None:
        return self.column.kind if self.column is not None else None


def operand(col: Column, other: Any, op: str) -> Operand:
    """Classify ``other`` for ``col <op> other``; columns must match in length and device."""
    if isinstance(other, Column):
        if len(other) != len(col):
            raise ValueError(
                f"cannot apply {op!r} to columns of different lengths: "
                f"{len(col)} ({col.dtype}) and {len(other)} ({other.dtype})"
            )
        if other.backend is not col.backend:
            from headwater.tensor.devices import DeviceMismatchError

            raise DeviceMismatchError(
                f"cannot apply {op!r} to a column on {col.device} and one on {other.device}; "
                f"move one with .to('{col.device}') first"
            )
        return Operand(other, None, False)
    if is_null_scalar(other):
        return Operand(None, None, True)
    if isinstance(other, (list, tuple, dict, set)):
        raise UnsupportedOperation(
            f"cannot apply {op!r} between a {col.dtype} column and a {type(other).__name__}; "
            f"wrap it in hw.Series(...) of the same length first"
        )
    return Operand(None, other, False)
