"""``DataFrame.query`` and ``DataFrame.eval`` through the safe expression parser
(:mod:`headwater.dataframe.expressions`: parsed with ``ast`` and checked against a
whitelist, never passed to Python's ``eval``)."""

from __future__ import annotations

import re
import sys
from typing import Any

from headwater.dataframe.expressions import compile_expression

__all__ = ["QueryMixin"]

_ASSIGN = re.compile(r"^\s*`?([A-Za-z_][A-Za-z0-9_ ]*?)`?\s*=(?!=)(.*)$", re.S)


def _variables(local_dict: dict | None, global_dict: dict | None, level: int) -> dict[str, Any]:
    """``@name`` values: the given dicts, else the caller's locals and globals (as pandas)."""
    if local_dict is not None or global_dict is not None:
        return {**(global_dict or {}), **(local_dict or {})}
    frame = sys._getframe(level + 2)
    return {**frame.f_globals, **frame.f_locals}


def _check_engine(engine: Any, parser: Any, kwargs: dict[str, Any], what: str) -> None:
    if engine not in (None, "python", "numexpr"):
        raise ValueError(f"{what}: engine must be 'python' or 'numexpr', got {engine!r}")
    if parser not in (None, "pandas", "python"):
        raise ValueError(f"{what}: parser must be 'pandas' or 'python', got {parser!r}")
    for name in kwargs:
        if name in ("resolvers", "target"):
            raise NotImplementedError(f"{what}({name}=) is not supported; use @variables or local_dict=")
        raise TypeError(f"{what}() got an unexpected keyword argument {name!r}")


class QueryMixin:
    """``query`` and ``eval`` of a DataFrame."""

    def _expression_view(self) -> Any:
        """The frame with its keys readable by name, as pandas lets expressions read index levels."""
        if not self._keys:
            return self
        extra = {k: v for k, v in self._keys.items() if k is not None and k not in self._columns}
        return self._from_columns({**extra, **self._columns})

    def query(self, expr: str, *, inplace: bool = False, local_dict: dict | None = None,
              global_dict: dict | None = None, engine: str | None = None, parser: str | None = None,
              level: int = 0, **kwargs: Any) -> Any:
        """Rows where the boolean expression holds.

        The expression is parsed by the project's safe parser: column names (backquoted
        when not identifiers), literals, ``@variables``, arithmetic, comparisons (chained
        too), ``and``/``or``/``not``, ``in`` / ``not in`` and the function table
        (``log``, ``isnull``, ``lower``, ...); nothing runs through Python's ``eval``.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"a": [1, 2, 3], "s": ["x", "y", "x"]})
        >>> low = 2
        >>> df.query("a >= @low and s == 'x'")["a"].to_list()
        [3]
        >>> df.query("s in ['y']")["a"].to_list()
        [2]
        """
        _check_engine(engine, parser, kwargs, "query")
        compiled = compile_expression(expr, _variables(local_dict, global_dict, level) if "@" in expr else None)
        mask = compiled.evaluate(self._expression_view())
        if not hasattr(mask, "_column") or mask._column.kind != "bool":
            raise ValueError(f"query({expr!r}) must give a boolean condition, got {getattr(mask, 'dtype', mask)!r}")
        return self._inplace(self[mask], inplace)

    def eval(self, expr: str, *, inplace: bool = False, local_dict: dict | None = None,
             global_dict: dict | None = None, engine: str | None = None, parser: str | None = None,
             level: int = 0, **kwargs: Any) -> Any:
        """Evaluate an expression: its value (a Series or scalar), or, for lines
        ``name = expression``, the frame with those columns added (``inplace=True``: added
        to this frame). Same safe parser as :meth:`query`.

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"a": [1, 2], "b": [10, 20]})
        >>> df.eval("a + b").to_list()
        [11, 22]
        >>> df.eval("c = a * b").columns
        ['a', 'b', 'c']
        """
        _check_engine(engine, parser, kwargs, "eval")
        variables = _variables(local_dict, global_dict, level) if "@" in expr else None
        lines = [line for line in expr.replace(";", "\n").splitlines() if line.strip()]
        assigns = [_ASSIGN.match(line) for line in lines]
        if not any(assigns):
            if len(lines) != 1:
                raise ValueError("eval: several lines must each assign a column (name = expression)")
            return compile_expression(lines[0], variables).evaluate(self._expression_view())
        if not all(assigns):
            raise ValueError("eval: with several lines, every line must be an assignment 'name = expression'")
        out = self if inplace else self._from_columns(self._columns)
        for match in assigns:
            name, body = match.group(1).strip(), match.group(2)
            out[name] = compile_expression(body, variables).evaluate(out._expression_view())
        return None if inplace else out
