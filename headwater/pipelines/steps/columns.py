"""``select`` and ``drop``: choose the columns that go on."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from headwater.pipelines.steps.base import ColumnSet, Step, StepOptions, register

__all__ = ["Select", "Drop"]


class ColumnsOptions(StepOptions):
    columns: list[str] = Field(min_length=1, description="Column names.")


@register
class Select(Step):
    """Keep only ``columns`` (the target column is always kept).

    YAML: ``- select: [bill_length_mm, island]``

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.pipelines.steps import Select
    >>> step = Select.from_config(["a"]); step.target = "y"
    >>> step.transform(hw.DataFrame({"a": [1], "b": [2], "y": [0]})).columns
    ['a', 'y']
    """

    name = "select"
    Options = ColumnsOptions

    def _keep(self, names: list[str]) -> list[str]:
        keep = list(self.options.columns)
        return keep + [c for c in names if c == self.target and c not in keep]

    def columns_after(self, before: ColumnSet) -> ColumnSet:
        return ColumnSet(self._keep(before.names), open=False, protected=before.protected)

    def transform(self, df: Any) -> Any:
        return df[self._keep(list(df.columns))]


@register
class Drop(Step):
    """Remove ``columns``.

    YAML: ``- drop: [year]``

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.pipelines.steps import Drop
    >>> Drop.from_config(["b"]).transform(hw.DataFrame({"a": [1], "b": [2]})).columns
    ['a']
    """

    name = "drop"
    Options = ColumnsOptions

    def columns_after(self, before: ColumnSet) -> ColumnSet:
        gone = set(self.options.columns)
        return ColumnSet([c for c in before.names if c not in gone], before.open, before.protected)

    def transform(self, df: Any) -> Any:
        return df.drop(columns=list(self.options.columns))
