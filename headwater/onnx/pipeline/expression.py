"""A ``derive`` expression as ONNX nodes over float64 columns.

The checked tree of :mod:`headwater.dataframe.expressions` is walked the way its
evaluator walks it. Numbers compute in float64 with NaN for null, which is how
arithmetic and math functions treat nulls (a null in, a null out); comparisons and
logic give bools. String columns can be compared with ``==``/``!=``/``in`` against
literals; other string functions have no ONNX form and are refused by name.
"""

from __future__ import annotations

import ast
from typing import Any

import numpy as np

from headwater.onnx.errors import InexpressibleStepError
from headwater.onnx.pipeline.columns import NUMBER, STRING, ColumnGraph

__all__ = ["expression_to_onnx"]

_BIN = {ast.Add: "Add", ast.Sub: "Sub", ast.Mult: "Mul", ast.Div: "Div", ast.Pow: "Pow"}
_CMP = {ast.Lt: "Less", ast.LtE: "LessOrEqual", ast.Gt: "Greater", ast.GtE: "GreaterOrEqual", ast.Eq: "Equal"}
_UNARY_FN = {"exp": "Exp", "log": "Log", "sqrt": "Sqrt", "floor": "Floor", "ceil": "Ceil", "sign": "Sign",
             "abs": "Abs", "round": "Round"}
_CONSTANTS = {"True": 1.0, "False": 0.0, "nan": float("nan"), "inf": float("inf")}


class _Walker:
    def __init__(self, cols: ColumnGraph, expr: Any) -> None:
        self.cols, self.b, self.expr = cols, cols.b, expr
        self.strings = _string_names(expr.tree.body)

    def fail(self, what: str) -> InexpressibleStepError:
        return InexpressibleStepError(f"derive {self.expr.text!r}: {what} has no ONNX form")

    def num(self, v: Any) -> str:
        """A float64 value: bools become 0/1."""
        value, kind = v
        if kind == "bool":
            return self.b.cast(value, np.float64)
        if kind == STRING:
            raise self.fail("arithmetic on a string column")
        return value

    def boolean(self, v: Any) -> str:
        value, kind = v
        if kind == "bool":
            return value
        return self.b.op("Not", [self.b.op("Equal", [self.num(v), self.b.const(0.0, np.float64)])])

    def column(self, ident: str) -> tuple[str, str]:
        name = self.expr._names.get(ident, ident)
        col = self.cols.read(name, STRING if ident in self.strings else NUMBER)
        return col.value, col.kind

    def visit(self, node: ast.AST) -> tuple[str, str]:
        b = self.b
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                return node.value, "literal"
            if node.value is None:
                return b.const(float("nan"), np.float64), NUMBER
            return b.const(float(node.value), np.float64), NUMBER
        if isinstance(node, ast.Name):
            if node.id in _CONSTANTS and node.id not in self.expr._names:
                return b.const(_CONSTANTS[node.id], np.float64), NUMBER
            return self.column(node.id)
        if isinstance(node, ast.BinOp):
            left, right = self.visit(node.left), self.visit(node.right)
            x, y = self.num(left), self.num(right)
            if type(node.op) in _BIN:
                return b.op(_BIN[type(node.op)], [x, y]), NUMBER
            if isinstance(node.op, ast.FloorDiv):
                return b.op("Floor", [b.op("Div", [x, y])]), NUMBER
            if isinstance(node.op, ast.Mod):  # Python's %: the divisor's sign
                return b.op("Sub", [x, b.op("Mul", [b.op("Floor", [b.op("Div", [x, y])]), y])]), NUMBER
            raise self.fail(f"the operator {type(node.op).__name__}")
        if isinstance(node, ast.UnaryOp):
            operand = self.visit(node.operand)
            if isinstance(node.op, ast.USub):
                return b.op("Neg", [self.num(operand)]), NUMBER
            if isinstance(node.op, ast.UAdd):
                return self.num(operand), NUMBER
            return b.op("Not", [self.boolean(operand)]), "bool"
        if isinstance(node, ast.BoolOp):
            out = self.boolean(self.visit(node.values[0]))
            for v in node.values[1:]:
                out = b.op("And" if isinstance(node.op, ast.And) else "Or", [out, self.boolean(self.visit(v))])
            return out, "bool"
        if isinstance(node, ast.Compare):
            return self.compare(node), "bool"
        if isinstance(node, ast.IfExp):
            return b.op("Where", [self.boolean(self.visit(node.test)), self.num(self.visit(node.body)),
                                  self.num(self.visit(node.orelse))]), NUMBER
        if isinstance(node, ast.Call):
            return self.call(node)
        raise self.fail(type(node).__name__)

    def string_match(self, left: tuple[str, str], values: list[Any]) -> str:
        hit = self.b.op("LabelEncoder", [left[0]], domain="ai.onnx.ml", keys_strings=[str(v) for v in values],
                        values_int64s=[1] * len(values), default_int64=0)
        return self.b.cast(hit, np.bool_)

    def compare(self, node: ast.Compare) -> str:
        b = self.b
        left = self.visit(node.left)
        result = None
        for op, comp in zip(node.ops, node.comparators):
            if isinstance(op, (ast.In, ast.NotIn)):
                if not isinstance(comp, (ast.List, ast.Tuple)):
                    raise self.fail("'in' against a variable")
                values = [-e.operand.value if isinstance(e, ast.UnaryOp) else e.value for e in comp.elts]
                part = self.isin(left, values)
                if isinstance(op, ast.NotIn):
                    part = b.op("Not", [part])
            else:
                right = self.visit(comp)
                if STRING in (left[1], right[1]) or "literal" in (left[1], right[1]):
                    if not isinstance(op, (ast.Eq, ast.NotEq)) or {left[1], right[1]} != {STRING, "literal"}:
                        raise self.fail("comparing strings other than a column ==/!= a literal")
                    col, lit = (left, right) if left[1] == STRING else (right, left)
                    part = self.string_match(col, [lit[0]])
                else:
                    x, y = self.num(left), self.num(right)
                    part = b.op("Not", [b.op("Equal", [x, y])]) if isinstance(op, ast.NotEq) else \
                        b.op(_CMP[type(op)], [x, y])
                left = right
            result = part if result is None else b.op("And", [result, part])
        return result

    def isin(self, left: tuple[str, str], values: list[Any]) -> str:
        b = self.b
        if left[1] == STRING:
            return self.string_match(left, values)
        x = self.num(left)
        table = b.const(np.asarray([float(v) for v in values], dtype=np.float64)[None, :], np.float64)
        hit = b.reduce("ReduceMax", b.cast(b.op("Equal", [b.unsqueeze(x, [1]), table]), np.int32), [1], False)
        return b.cast(hit, np.bool_)

    def call(self, node: ast.Call) -> tuple[str, str]:
        b, fname = self.b, node.func.id
        args = node.args
        if fname in _UNARY_FN and len(args) == 1:
            return b.op(_UNARY_FN[fname], [self.num(self.visit(args[0]))]), NUMBER
        if fname == "log1p" and len(args) == 1:
            return b.op("Log", [b.op("Add", [self.num(self.visit(args[0])), b.const(1.0, np.float64)])]), NUMBER
        if fname in ("maximum", "minimum") and len(args) == 2:
            # NaN-propagating, as the column op (a null on either side gives null)
            x, y = (self.num(self.visit(a)) for a in args)
            nan = b.op("Or", [b.op("IsNaN", [x]), b.op("IsNaN", [y])])
            both = b.op("Max" if fname == "maximum" else "Min", [x, y])
            return b.op("Where", [nan, b.const(float("nan"), np.float64), both]), NUMBER
        if fname in ("isnull", "notnull") and len(args) == 1:
            value = self.visit(args[0])
            miss = b.op("IsNaN", [self.num(value)]) if value[1] != STRING else \
                self.string_match(value, [""])
            return (miss if fname == "isnull" else b.op("Not", [miss])), "bool"
        if fname == "fillna" and len(args) == 2:
            x, y = (self.num(self.visit(a)) for a in args)
            return b.op("Where", [b.op("IsNaN", [x]), y, x]), NUMBER
        if fname == "where" and len(args) == 3:
            return b.op("Where", [self.boolean(self.visit(args[0])), self.num(self.visit(args[1])),
                                  self.num(self.visit(args[2]))]), NUMBER
        if fname == "clip" and len(args) == 3:
            x, lo, hi = (self.num(self.visit(a)) for a in args)
            return b.op("Min", [b.op("Max", [x, lo]), hi]), NUMBER
        if fname == "isin" and len(args) == 2 and isinstance(args[1], (ast.List, ast.Tuple)):
            values = [-e.operand.value if isinstance(e, ast.UnaryOp) else e.value for e in args[1].elts]
            return self.isin(self.visit(args[0]), values), "bool"
        if fname == "between" and len(args) == 3:
            x, lo, hi = (self.num(self.visit(a)) for a in args)
            return b.op("And", [b.op("GreaterOrEqual", [x, lo]), b.op("LessOrEqual", [x, hi])]), "bool"
        raise self.fail(f"the function {fname}() with {len(args)} argument(s)")


def _is_text(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(_is_text(e) for e in node.elts)
    return False


def _string_names(tree: ast.AST) -> set[str]:
    """Names compared with (or looked up in) string literals: raw inputs of string type."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_is_text(s) for s in sides):
                found.update(s.id for s in sides if isinstance(s, ast.Name))
        if isinstance(node, ast.Call) and node.args and any(_is_text(a) for a in node.args[1:]):
            if isinstance(node.args[0], ast.Name):
                found.add(node.args[0].id)
    return found


def expression_to_onnx(cols: ColumnGraph, expr: Any) -> tuple[str, str]:
    """ONNX nodes for ``expr`` (a compiled Expression); returns (value, kind) with kind
    ``"number"`` (float64) or ``"bool"``."""
    value, kind = _Walker(cols, expr).visit(expr.tree.body)
    if kind == "literal":
        raise InexpressibleStepError(f"derive {expr.text!r}: a constant string column is not a feature")
    return value, kind
