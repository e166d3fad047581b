"""Constant folding of expressions, with limits, so no expression can hang or exhaust memory.

Every subexpression made only of literals (``9 ** 9 ** 9``, ``'ab' * 3``, ``-1.5``)
is computed once, when the expression is compiled, and replaced by its value. Before
each operation the size of its result is bounded from its operands, without
computing it: an integer may have at most :data:`MAX_INT_BITS` bits, a string at
most :data:`MAX_STRING_LENGTH` characters, and a float power must not overflow.
Anything past a limit is refused with the reason, so ``headwater validate`` rejects
it (exit code 2) instead of ``headwater run`` hanging on it. Operations on columns
run element-wise on fixed-width arrays and need no such bound.
"""

from __future__ import annotations

import ast
import copy
import math
import operator
from collections.abc import Callable
from typing import Any

__all__ = ["MAX_INT_BITS", "MAX_STRING_LENGTH", "fold_constants"]

MAX_INT_BITS = 1024  # far past int64/float64, which is what a column can hold
MAX_STRING_LENGTH = 10_000

_OPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.BitAnd: operator.and_,
    ast.BitOr: operator.or_,
    ast.BitXor: operator.xor,
}


class FoldError(ValueError):
    """A constant subexpression is past a limit, or cannot be computed (``1 / 0``)."""


def _bits(value: Any) -> int:
    return abs(value).bit_length() if isinstance(value, int) else 0


def _check_size(op: type, left: Any, right: Any) -> None:
    """Refuse ``left <op> right`` when its result would be past a limit (bounded, not computed)."""
    if isinstance(left, str) or isinstance(right, str):
        if op is ast.Mod and isinstance(left, str):
            raise FoldError("'%' formatting of a string is not allowed")
        if op is ast.Mult:
            text, times = (left, right) if isinstance(left, str) else (right, left)
            if isinstance(times, int) and len(text) * max(times, 0) > MAX_STRING_LENGTH:
                raise FoldError(f"repeating a string of {len(text)} characters {times} times is past the limit of "
                                f"{MAX_STRING_LENGTH} characters")
        if op is ast.Add and isinstance(left, str) and isinstance(right, str) \
                and len(left) + len(right) > MAX_STRING_LENGTH:
            raise FoldError(f"the string would be past the limit of {MAX_STRING_LENGTH} characters")
        return
    if op is ast.Pow and isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
        if (abs(left).bit_length() - 1) * right > MAX_INT_BITS:
            raise FoldError(f"{left} ** {right} has more than {MAX_INT_BITS} bits; an exponent that large "
                            f"overflows any column")
    if op is ast.Mult and _bits(left) + _bits(right) > MAX_INT_BITS:
        raise FoldError(f"the product has more than {MAX_INT_BITS} bits")


def _compute(op: type, left: Any, right: Any) -> Any:
    _check_size(op, left, right)
    try:
        value = _OPS[op](left, right)
    except ZeroDivisionError:
        raise FoldError("division by zero between constants") from None
    except OverflowError:
        raise FoldError("the constant overflows a float") from None
    except TypeError as exc:
        raise FoldError(f"the constants cannot be combined: {exc}") from None
    if isinstance(value, complex):
        raise FoldError("the constant is a complex number (a negative number to a fractional power)")
    if isinstance(value, float) and math.isinf(value) and not (math.isinf(left) or math.isinf(right)):
        raise FoldError("the constant overflows a float")
    if _bits(value) > MAX_INT_BITS:
        raise FoldError(f"the constant has more than {MAX_INT_BITS} bits")
    return value


def _unary(op: ast.unaryop, value: Any) -> Any:
    if isinstance(op, ast.USub):
        return -value
    if isinstance(op, ast.UAdd):
        return +value
    if isinstance(op, ast.Invert) and isinstance(value, int):
        return ~value
    if isinstance(op, ast.Not):
        return not value
    raise FoldError(f"{type(op).__name__} cannot apply to {value!r}")


def _is_literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str, bool))


def fold_constants(tree: ast.Expression) -> ast.Expression:
    """A copy of ``tree`` with its literal-only arithmetic replaced by values, refusing
    results past the limits.

    Raises
    ------
    FoldError
        With the reason.

    Examples
    --------
    >>> import ast
    >>> from headwater.dataframe.expression_folding import fold_constants
    >>> ast.unparse(fold_constants(ast.parse("x * (2 ** 10 + 1)", mode="eval")))
    'x * 1025'
    >>> fold_constants(ast.parse("9 ** 9 ** 9", mode="eval"))
    Traceback (most recent call last):
    ...
    headwater.dataframe.expression_folding.FoldError: 9 ** 387420489 has more than 1024 bits; ...
    """

    class Folder(ast.NodeTransformer):
        def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
            self.generic_visit(node)
            if type(node.op) in _OPS and _is_literal(node.left) and _is_literal(node.right):
                value = _compute(type(node.op), node.left.value, node.right.value)  # type: ignore[attr-defined]
                return ast.copy_location(ast.Constant(value), node)
            return node

        def visit_UnaryOp(self, node: ast.UnaryOp) -> ast.AST:
            self.generic_visit(node)
            if _is_literal(node.operand) and not isinstance(node.op, ast.Not):
                try:
                    value = _unary(node.op, node.operand.value)  # type: ignore[attr-defined]
                except TypeError as exc:
                    raise FoldError(f"the constant cannot be negated: {exc}") from None
                return ast.copy_location(ast.Constant(value), node)
            return node

    return ast.fix_missing_locations(Folder().visit(copy.deepcopy(tree)))
