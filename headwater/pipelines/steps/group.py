"""Steps over groups and order: ``group_stats``, ``rolling`` and ``lag``."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from headwater.pipelines.steps.base import ColumnSet, StepOptions, register
from headwater.pipelines.steps.feature_op import FeatureOpStep

__all__ = ["GroupStatsStep", "RollingStep", "LagStep"]


class GroupStatsOptions(StepOptions):
    columns: list[str] = Field(min_length=1, description="Numeric columns to aggregate.")
    by: list[str] = Field(min_length=1, description="Key columns.")
    stats: list[Literal["mean", "sum", "count", "min", "max", "std", "var", "median"]] = Field(
        default_factory=lambda: ["mean"])


@register
class GroupStatsStep(FeatureOpStep):
    """Append ``<column>_<stat>_by_<keys>``: aggregates of each row's group, learned on the
    training split (``hw.features.GroupStats``).

    YAML: ``- group_stats: {columns: [amount], by: [customer_id], stats: [mean, count]}``
    """

    name = "group_stats"
    op_name = "group_stats"
    Options = GroupStatsOptions

    def reads(self) -> list[str]:
        return [*self.options.columns, *self.options.by]

    def columns_after(self, before: ColumnSet) -> ColumnSet:
        keys = "_".join(self.options.by)
        extra = [f"{c}_{s}_by_{keys}" for c in self.options.columns for s in self.options.stats]
        return ColumnSet(before.names + extra, before.open, before.protected)


class OrderedOptions(StepOptions):
    columns: list[str] = Field(min_length=1, description="The columns to compute from.")
    by: list[str] | None = Field(None, description="Group keys; the whole table is one group when omitted.")
    order_by: list[str] | None = Field(None, description="Sort by the keys and these columns first (e.g. a date).")


class _Ordered(FeatureOpStep):
    """A step over the rows before each row in its group: sorts first when asked."""

    learns = False

    def op_options(self) -> dict[str, Any]:
        return self.options.model_dump(exclude={"columns", "order_by"}, exclude_none=True)

    def reads(self) -> list[str]:
        return [*self.options.columns, *(self.options.by or []), *(self.options.order_by or [])]

    def _sorted(self, df: Any) -> Any:
        if not self.options.order_by:
            return df
        return df.sort_values(by=[*(self.options.by or []), *self.options.order_by], kind="stable")

    def transform(self, df: Any) -> Any:
        return super().transform(self._sorted(df))

    def fit_transform(self, df: Any) -> Any:
        return super().fit_transform(self._sorted(df))


class RollingOptions(OrderedOptions):
    window: int = Field(ge=1, description="Rows in the window, the current one included.")
    stats: list[Literal["mean", "sum", "min", "max", "std"]] = Field(default_factory=lambda: ["mean"])
    min_periods: int | None = Field(None, ge=1, description="Fewer values give null (default: window).")
    closed: Literal["right", "left", "both", "neither"] = Field(
        "right", description="right: the row and the window - 1 before it; left: the window rows before it, "
                             "without it (use left on the target column).")


@register
class RollingStep(_Ordered):
    """Append ``<column>_rolling_<stat>_<window>`` over each row and the ones before it in
    its group (``hw.features.Rolling``).

    YAML: ``- rolling: {columns: [amount], by: [customer_id], order_by: [day], window: 7}``

    A window over the target column must leave the row out (``closed: left``):
    one that includes it puts the row's own answer into its features, and is refused.
    """

    name = "rolling"
    op_name = "rolling"
    Options = RollingOptions

    def columns_after(self, before: ColumnSet) -> ColumnSet:
        o = self.options
        tail = "" if o.closed == "right" else f"_{o.closed}"
        extra = [f"{c}_rolling_{s}_{o.window}{tail}" for c in o.columns for s in o.stats]
        return ColumnSet(before.names + extra, before.open, before.protected)


class LagOptions(OrderedOptions):
    periods: list[int] = Field(default_factory=lambda: [1], description="Rows back (negative: ahead).")


@register
class LagStep(_Ordered):
    """Append ``<column>_lag<p>``: the value ``p`` rows earlier in the group (``hw.features.Lag``).

    YAML: ``- lag: {columns: [amount], by: [customer_id], order_by: [day], periods: [1, 7]}``
    """

    name = "lag"
    op_name = "lag"
    Options = LagOptions

    def columns_after(self, before: ColumnSet) -> ColumnSet:
        extra = [f"{c}_{'lag' if p > 0 else 'lead'}{abs(p)}" for c in self.options.columns for p in self.options.periods]
        return ColumnSet(before.names + extra, before.open, before.protected)
