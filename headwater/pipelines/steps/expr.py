"""``filter`` and ``derive``: rows and new columns from whitelisted expressions."""

from __future__ import annotations

from typing import Any

from pydantic import Field, RootModel, field_validator

from headwater.pipelines.expressions import Expression, compile_expression
from headwater.pipelines.steps.base import ColumnSet, Step, StepOptions, register

__all__ = ["Filter", "Derive"]


class FilterOptions(StepOptions):
    expr: str = Field(description="A boolean expression; rows where it is false or null are dropped.")

    @field_validator("expr")
    @classmethod
    def _compiles(cls, text: str) -> str:
        compile_expression(text)  # ExpressionError is a ValueError: pydantic reports it at this field
        return text


@register
class Filter(Step):
    """Keep the rows where an expression is true (null counts as false).

    YAML: ``- filter: "body_mass_g > 0 and notnull(sex)"``

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.pipelines.steps import Filter
    >>> df = hw.DataFrame({"x": [1.0, None, 3.0]})
    >>> Filter.from_config("x > 1").transform(df)["x"].tolist()
    [3.0]
    """

    name = "filter"
    Options = FilterOptions
    shorthand = "expr"

    @property
    def expression(self) -> Expression:
        return compile_expression(self.options.expr)

    def reads(self) -> list[str]:
        return list(self.expression.columns)

    def transform(self, df: Any) -> Any:
        keep = self.expression.evaluate(df)
        if not hasattr(keep, "_column"):
            raise ValueError(f"filter {self.options.expr!r} must compare a column, got the constant {keep!r}")
        return df[keep.fillna(False)]


class DeriveOptions(RootModel[dict[str, str]]):
    """{new_column: expression}, evaluated in order (later ones may use earlier ones)."""

    @field_validator("root")
    @classmethod
    def _compiles(cls, items: dict[str, str]) -> dict[str, str]:
        if not items:
            raise ValueError("derive needs at least one {name: expression}")
        for text in items.values():
            compile_expression(text)
        return items


@register
class Derive(Step):
    """Add (or replace) columns computed from expressions.

    YAML::

        - derive:
            bill_ratio: bill_length_mm / bill_depth_mm
            heavy: where(body_mass_g > 4500, 1, 0)

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.pipelines.steps import Derive
    >>> df = hw.DataFrame({"a": [1.0, 4.0]})
    >>> Derive.from_config({"b": "sqrt(a) + 1"}).transform(df)["b"].tolist()
    [2.0, 3.0]
    """

    name = "derive"
    Options = DeriveOptions
    shorthand = None

    def config(self) -> dict[str, Any]:
        return {self.name: dict(self.options.root)}

    def reads(self) -> list[str]:
        made: set[str] = set()
        needed: list[str] = []
        for name, text in self.options.root.items():
            needed += [c for c in compile_expression(text).columns if c not in made and c not in needed]
            made.add(name)
        return needed

    def columns_after(self, before: ColumnSet) -> ColumnSet:
        names = list(before.names) + [n for n in self.options.root if n not in before.names]
        return ColumnSet(names, before.open, before.protected)

    def transform(self, df: Any) -> Any:
        for name, text in self.options.root.items():
            value = compile_expression(text).evaluate(df)
            if not hasattr(value, "_column"):
                raise ValueError(f"derive {name}: {text!r} does not use any column; a constant column is not a feature")
            df = df.assign(**{name: value})
        return df
