"""The safe expression language: ``DataFrame.query`` / ``eval`` and the pipelines'
``filter`` and ``derive`` steps (which import it from here).

An expression is parsed with :mod:`ast` and checked against a whitelist before it
touches any data: column names, literals, arithmetic, comparisons (chained ones
included), boolean logic, ``if``-``else``, and calls to the fixed table of
:data:`FUNCTIONS`. Evaluation walks the checked tree and applies each node to
Series, so nothing is ever passed to ``eval`` or ``exec``, and no attribute, import,
subscript, lambda, comprehension or call outside the table can run.

``and``, ``or`` and ``not`` mean element-wise ``&``, ``|`` and ``~`` (with
pandas' Kleene logic for nulls). A column whose name is not a Python identifier is
written in backquotes, as in pandas' ``query``: ```body mass (g)` > 4000``.
"""

from __future__ import annotations

import ast
import difflib
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from headwater.dataframe import expression_functions as _fn
from headwater.dataframe.expression_folding import FoldError, fold_constants

__all__ = ["Expression", "ExpressionError", "compile_expression", "FUNCTIONS"]

FUNCTIONS: dict[str, Callable[..., Any]] = _fn.FUNCTIONS

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
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
_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**",
            ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^"}
_UNARY: dict[type, Callable[[Any], Any]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Not: operator.invert,
    ast.Invert: operator.invert,
}
_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_CONSTANTS = {"True": True, "False": False, "None": None, "nan": float("nan"), "inf": float("inf")}
_BACKQUOTED = re.compile(r"`([^`]*)`")
_VARIABLE = re.compile(r"@([A-Za-z_][A-Za-z0-9_]*)")

# Why each refused construct is refused, in the words a user needs.
_REFUSED = {
    ast.Attribute: "attribute access ('.') is not allowed; use a function from the table, e.g. lower(col) instead of col.lower()",
    ast.Subscript: "subscripts ('[...]') are not allowed; refer to columns by name",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.NamedExpr: "assignment (':=') is not allowed",
    ast.Starred: "'*' unpacking is not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.Await: "await is not allowed",
    ast.Dict: "dict literals are not allowed",
    ast.Set: "set literals are not allowed",
}


class ExpressionError(ValueError):
    """An expression is malformed, uses something outside the whitelist, or names an
    unknown column.

    Attributes
    ----------
    expression : str
        The expression as written.
    """

    def __init__(self, expression: str, problem: str) -> None:
        self.expression = expression
        self.problem = problem
        super().__init__(f"in expression {expression!r}: {problem}")


@dataclass(frozen=True)
class Expression:
    """A checked expression, ready to evaluate against frames.

    Build one with :func:`compile_expression`.

    Attributes
    ----------
    text : str
        The expression as written.
    columns : tuple of str
        The column names it reads, in order of first use.
    """

    text: str
    tree: ast.Expression
    columns: tuple[str, ...]
    _names: dict[str, str]
    _variables: dict[str, Any] = None  # type: ignore[assignment]

    def evaluate(self, df: Any) -> Any:
        """Evaluate against a DataFrame; returns a Series (or a scalar for a constant).

        Raises
        ------
        ExpressionError
            A column is missing from ``df``, or a function got arguments it cannot use.

        Examples
        --------
        >>> import headwater as hw
        >>> from headwater.dataframe.expressions import compile_expression
        >>> df = hw.DataFrame({"a": [1.0, 4.0, None], "b": [2.0, 2.0, 2.0]})
        >>> compile_expression("sqrt(a) * b").evaluate(df).tolist()
        [2.0, 4.0, None]
        """
        missing = [c for c in self.columns if c not in df.columns]
        if missing:
            raise ExpressionError(self.text, _unknown_columns(missing, list(df.columns)))
        return _Evaluator(self, df).visit(self.tree.body)

    def check_columns(self, available: Iterable[str]) -> None:
        """Raise :class:`ExpressionError` if a referenced column is not in ``available``."""
        available = list(available)
        missing = [c for c in self.columns if c not in available]
        if missing:
            raise ExpressionError(self.text, _unknown_columns(missing, available))


def _unknown_columns(missing: list[str], available: list[str]) -> str:
    parts = []
    for name in missing:
        close = difflib.get_close_matches(name, available, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        parts.append(f"{name!r}{hint}")
    return f"unknown column {', '.join(parts)}; the columns are {available}"


def compile_expression(text: str, variables: dict[str, Any] | None = None) -> Expression:
    """Parse and check ``text`` against the whitelist.

    ``@name`` refers to ``variables[name]`` (a scalar, or a list / Series after ``in``),
    as in pandas' ``query``.

    Constant subexpressions are computed here, within limits
    (:mod:`headwater.dataframe.expression_folding`), so an expression that would hang
    or exhaust memory is refused before it meets any data.

    Raises
    ------
    ExpressionError
        Syntax errors, any construct outside the whitelist, and constants past the
        limits, with the reason.

    Examples
    --------
    >>> from headwater.dataframe.expressions import compile_expression
    >>> compile_expression("log(price) > 2 and not isnull(qty)").columns
    ('price', 'qty')
    >>> compile_expression("__import__('os')")
    Traceback (most recent call last):
    ...
    headwater.dataframe.expressions.ExpressionError: in expression "__import__('os')": ...
    """
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError(str(text), "the expression is empty; write e.g. 'price > 0'")
    names: dict[str, str] = {}

    def _quote(match: re.Match[str]) -> str:
        ident = f"__col{len(names)}__"
        names[ident] = match.group(1)
        return ident

    values: dict[str, Any] = {}

    def _variable(match: re.Match[str]) -> str:
        name = match.group(1)
        if variables is None or name not in variables:
            raise ExpressionError(text, f"@{name} names no variable; define {name} before the call "
                                        f"(or pass local_dict={{'{name}': ...}})")
        ident = f"__var{len(values)}__"
        values[ident] = variables[name]
        return ident

    source = _BACKQUOTED.sub(_quote, text.strip())
    source = _VARIABLE.sub(_variable, source)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        if re.match(r"\s*(import|from|def|class|del|exec|global|with|for|while)\b", source):
            raise ExpressionError(text, "statements (import, def, for...) are not allowed; write one expression such as 'price > 0'") from None
        where = f" at column {exc.offset}" if exc.offset else ""
        raise ExpressionError(text, f"not a valid expression{where}: {exc.msg}") from None
    columns: list[str] = []
    _check(tree.body, text, {**names, **{k: None for k in values}}, columns)
    try:
        tree = fold_constants(tree)  # bounded: '9 ** 9 ** 9' or "'ab' * 10**8" are refused here
    except FoldError as exc:
        raise ExpressionError(text, f"{exc}; write a smaller constant") from None
    return Expression(text=text, tree=tree, columns=tuple(columns), _names=names, _variables=values)


def _check(node: ast.AST, text: str, names: dict[str, str], columns: list[str]) -> None:
    """Walk the tree, refusing anything off the whitelist and collecting column names."""
    if isinstance(node, ast.Constant):
        if not isinstance(node.value, (int, float, str, bool)) and node.value is not None:
            raise ExpressionError(text, f"literal {node.value!r} of type {type(node.value).__name__} is not allowed")
        return
    if isinstance(node, ast.Name):
        if node.id in names and names[node.id] is None:
            return  # an @variable
        if node.id in names:
            column = names[node.id]
        elif node.id in _CONSTANTS:
            return
        elif node.id in FUNCTIONS:
            raise ExpressionError(text, f"{node.id!r} is a function; call it, e.g. {node.id}(column)")
        elif node.id.startswith("__"):
            raise ExpressionError(text, f"name {node.id!r} is not allowed")
        else:
            column = node.id
        if column not in columns:
            columns.append(column)
        return
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            raise ExpressionError(text, f"operator {type(node.op).__name__} is not allowed")
        _check(node.left, text, names, columns)
        _check(node.right, text, names, columns)
        return
    if isinstance(node, ast.UnaryOp):
        _check(node.operand, text, names, columns)
        return
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, text, names, columns)
        return
    if isinstance(node, ast.Compare):
        for op in node.ops:
            if type(op) not in _COMPARE and not isinstance(op, (ast.In, ast.NotIn)):
                raise ExpressionError(text, f"comparison {type(op).__name__} is not allowed; use ==, !=, <, <=, >, >=, in")
            if isinstance(op, (ast.In, ast.NotIn)) and len(node.ops) > 1:
                raise ExpressionError(text, "'in' cannot be chained with other comparisons")
        _check(node.left, text, names, columns)
        for comp in node.comparators:
            if isinstance(comp, ast.Name) and names.get(comp.id, "") is None:
                continue
            if isinstance(comp, (ast.List, ast.Tuple)):
                _check_literal_list(comp, text)
            else:
                _check(comp, text, names, columns)
        return
    if isinstance(node, ast.IfExp):
        for part in (node.test, node.body, node.orelse):
            _check(part, text, names, columns)
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise ExpressionError(text, "only functions of the table can be called, by plain name (e.g. log(x))")
        fname = node.func.id
        if fname not in FUNCTIONS:
            close = difflib.get_close_matches(fname, list(FUNCTIONS), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ExpressionError(
                text, f"function {fname!r} is not in the table; {hint}allowed functions are {sorted(FUNCTIONS)}"
            )
        if node.keywords:
            raise ExpressionError(text, f"{fname}() takes positional arguments only")
        for arg in node.args:
            if isinstance(arg, (ast.List, ast.Tuple)):
                _check_literal_list(arg, text)
            else:
                _check(arg, text, names, columns)
        return
    if isinstance(node, (ast.List, ast.Tuple)):
        raise ExpressionError(text, "a list is allowed only after 'in' or as a function argument, e.g. isin(col, ['a', 'b'])")
    reason = _REFUSED.get(type(node), f"{type(node).__name__} is not allowed in expressions")
    raise ExpressionError(text, reason)


def _check_literal_list(node: ast.List | ast.Tuple, text: str) -> None:
    for item in node.elts:
        value = item.operand if isinstance(item, ast.UnaryOp) and isinstance(item.op, ast.USub) else item
        if not isinstance(value, ast.Constant) or not isinstance(value.value, (int, float, str, bool)):
            raise ExpressionError(text, "lists may hold only literal values, e.g. ['a', 'b'] or [1, 2]")


class _Evaluator:
    """Applies a checked tree to a frame, node by node (never ``eval``)."""

    def __init__(self, expression: Expression, df: Any) -> None:
        self.expression = expression
        self.df = df

    def fail(self, problem: str) -> ExpressionError:
        return ExpressionError(self.expression.text, problem)

    def visit(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if self.expression._variables and node.id in self.expression._variables:
                return self.expression._variables[node.id]
            if node.id in _CONSTANTS and node.id not in self.expression._names:
                return _CONSTANTS[node.id]
            return self.df[self.expression._names.get(node.id, node.id)]
        if isinstance(node, ast.BinOp):
            left, right = self.visit(node.left), self.visit(node.right)
            self._check_strings(node.op, left, right)
            return self._apply(_BINARY[type(node.op)], left, right)
        if isinstance(node, ast.UnaryOp):
            operand = self.visit(node.operand)
            if isinstance(node.op, ast.Not) and isinstance(operand, bool):
                return not operand
            return self._apply(_UNARY[type(node.op)], operand)
        if isinstance(node, ast.BoolOp):
            values = [self.visit(v) for v in node.values]
            combine = operator.and_ if isinstance(node.op, ast.And) else operator.or_
            result = values[0]
            for value in values[1:]:
                result = self._apply(combine, result, value)
            return result
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.IfExp):
            return self._apply(_fn.where, self.visit(node.test), self.visit(node.body), self.visit(node.orelse))
        if isinstance(node, ast.Call):
            args = [self._literal_list(a) if isinstance(a, (ast.List, ast.Tuple)) else self.visit(a) for a in node.args]
            return self._apply(FUNCTIONS[node.func.id], *args, name=node.func.id)
        raise self.fail(f"{type(node).__name__} is not allowed")  # unreachable after _check

    def _check_strings(self, op: ast.operator, left: Any, right: Any) -> None:
        """Strings take only ``+`` with strings; say so in the expression language's terms."""
        def is_text(x: Any) -> bool:
            return isinstance(x, str) or (hasattr(x, "_column") and x._column.kind in ("string", "categorical"))

        def show(x: Any) -> str:
            return f"column {x.name!r} ({x._column.kind})" if hasattr(x, "_column") else repr(x)

        texts = [is_text(left), is_text(right)]
        if any(texts) and not (isinstance(op, ast.Add) and all(texts)):
            raise self.fail(f"{_SYMBOLS.get(type(op), type(op).__name__)!r} cannot combine {show(left)} and {show(right)}: strings only join "
                            f"with + to strings, and expressions have no str() or casts; compare strings with == or "
                            f"in [...], or use strlen(), lower(), contains()")

    def _literal_list(self, node: ast.List | ast.Tuple) -> list[Any]:
        return [-v.operand.value if isinstance(v, ast.UnaryOp) else v.value for v in node.elts]  # type: ignore[attr-defined]

    def _compare(self, node: ast.Compare) -> Any:
        left = self.visit(node.left)
        result = None
        for op, comp in zip(node.ops, node.comparators):
            if isinstance(op, (ast.In, ast.NotIn)):
                values = self._literal_list(comp) if isinstance(comp, (ast.List, ast.Tuple)) else None
                if values is None and isinstance(comp, ast.Name) and comp.id in (self.expression._variables or {}):
                    values = self.expression._variables[comp.id]
                    values = [values] if isinstance(values, (str, int, float)) else values
                if values is None:
                    raise self.fail("'in' needs a literal list on its right, e.g. species in ['Adelie', 'Gentoo']")
                part = self._apply(_fn.isin, left, values, name="in")
                if isinstance(op, ast.NotIn):
                    part = self._apply(operator.invert, part)
            else:
                right = self.visit(comp)
                part = self._apply(_COMPARE[type(op)], left, right)
                left = right
            result = part if result is None else self._apply(operator.and_, result, part)
        return result

    def _apply(self, fn: Callable[..., Any], *args: Any, name: str | None = None) -> Any:
        try:
            return fn(*args)
        except ExpressionError:
            raise
        except (TypeError, ValueError, KeyError, ArithmeticError) as exc:
            what = f"{name}()" if name else "an operator"
            raise self.fail(f"{what} failed: {exc}") from None
