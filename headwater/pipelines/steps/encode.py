"""Steps that encode, scale, fill or bin columns, each over an ``hw.features`` op."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from headwater.pipelines.steps.base import ColumnSet, StepOptions, register
from headwater.pipelines.steps.feature_op import FeatureOpStep

__all__ = ["FillNA", "Categorify", "OneHot", "Normalize", "TargetEncode", "Bucketize", "DatetimeParts"]

Scalar = str | int | float | bool


class FillOptions(StepOptions):
    columns: list[str] = Field(min_length=1)
    strategy: Literal["mean", "median", "constant"] = Field("mean", description="mean and median are learned on the training split.")
    fill_value: Scalar | None = Field(None, description="The value written by strategy: constant.")
    indicator: bool = Field(False, description="Append a bool column <column>_missing.")

    @model_validator(mode="after")
    def _value(self) -> FillOptions:
        if self.strategy == "constant" and self.fill_value is None:
            raise ValueError("strategy: constant needs fill_value")
        if self.strategy != "constant" and self.fill_value is not None:
            raise ValueError(f"fill_value is used only with strategy: constant, not {self.strategy}")
        return self


@register
class FillNA(FeatureOpStep):
    """Fill missing values (``hw.features.FillMissing``).

    YAML: ``- fillna: {columns: [body_mass_g], strategy: median, indicator: true}``
    """

    name = "fillna"
    op_name = "fill_missing"
    Options = FillOptions

    def columns_after(self, before: ColumnSet) -> ColumnSet:
        if not self.options.indicator:
            return before
        extra = [f"{c}_missing" for c in self.options.columns]
        return ColumnSet(before.names + extra, before.open, before.protected)


class CategorifyOptions(StepOptions):
    columns: list[str] = Field(min_length=1)
    min_frequency: int | float = Field(1, ge=0, description="Rarer values share code 0 with nulls and unseen values; a float < 1 is a fraction.")


@register
class Categorify(FeatureOpStep):
    """Dense int codes, 0 for null/rare/unseen (``hw.features.Categorify``); the model
    embeds these columns.

    YAML: ``- categorify: [island, sex]``
    """

    name = "categorify"
    op_name = "categorify"
    Options = CategorifyOptions

    def categorical(self) -> dict[str, int]:
        if self.op is None:
            return {}
        return {c: self.op.cardinality(c) for c in self.options.columns}


class OneHotOptions(StepOptions):
    columns: list[str] = Field(min_length=1)
    drop_first: bool = False
    prefix_sep: str = "_"


@register
class OneHot(FeatureOpStep):
    """Indicator columns ``<column>_<value>`` (``hw.features.OneHot``).

    YAML: ``- one_hot: [island]``
    """

    name = "one_hot"
    op_name = "onehot"
    Options = OneHotOptions
    adds_columns = True

    def op_options(self) -> dict[str, Any]:
        return {**super().op_options(), "dtype": "float32"}

    def columns_after(self, before: ColumnSet) -> ColumnSet:
        gone = set(self.options.columns)
        return ColumnSet([c for c in before.names if c not in gone], True, before.protected)


class NormalizeOptions(StepOptions):
    columns: list[str] = Field(min_length=1)
    method: Literal["standard", "minmax", "robust"] = "standard"


@register
class Normalize(FeatureOpStep):
    """Scale numeric columns, statistics from the training split (``hw.features.Normalize``).

    YAML: ``- normalize: {columns: [body_mass_g], method: robust}``
    """

    name = "normalize"
    op_name = "normalize"
    Options = NormalizeOptions


class TargetEncodeOptions(StepOptions):
    columns: list[str] = Field(min_length=1)
    target: str | None = Field(None, description="A numeric or bool column; defaults to the pipeline's target.")
    smoothing: float = Field(1.0, ge=0, description="Weight of the overall mean, in rows.")
    folds: int = Field(5, ge=2, description="Folds of the out-of-fold encoding of the training split.")
    shuffle: bool = Field(False, description="Assign training rows to folds at random (seeded) instead of in blocks.")
    seed: int | None = None
    suffix: str | None = Field(None, description="Write to <column><suffix> and keep the column (default: replace it).")


@register
class TargetEncode(FeatureOpStep):
    """Mean of the target per category, out of fold on the training split
    (``hw.features.TargetEncode``).

    YAML: ``- target_encode: {columns: [store_id], smoothing: 20}``
    """

    name = "target_encode"
    op_name = "target_encode"
    Options = TargetEncodeOptions
    fit_differs = True  # the training split is encoded out of fold, other frames are not

    def columns_after(self, before: ColumnSet) -> ColumnSet:
        if self.options.suffix is None:
            return before
        extra = [f"{c}{self.options.suffix}" for c in self.options.columns]
        return ColumnSet(before.names + extra, before.open, before.protected)

    def reads(self) -> list[str]:
        return [*self.options.columns, self.options.target or self.target or ""]

    def op_options(self) -> dict[str, Any]:
        opts = super().op_options()
        opts["target"] = self.options.target or self.target
        return opts


class BucketizeOptions(StepOptions):
    columns: list[str] = Field(min_length=1)
    bins: int | list[float] = Field(5, description="Number of bins, or the bin edges.")
    strategy: Literal["quantile", "uniform"] = "quantile"


@register
class Bucketize(FeatureOpStep):
    """Replace numbers by their bin index (``hw.features.Bucketize``).

    YAML: ``- bucketize: {columns: [age], bins: 10}``
    """

    name = "bucketize"
    op_name = "bucketize"
    Options = BucketizeOptions


DatetimePart = Literal["year", "quarter", "month", "day", "dayofweek", "dayofyear", "hour", "minute", "second",
                      "is_weekend"]


class DatetimeOptions(StepOptions):
    columns: list[str] = Field(min_length=1)
    parts: list[DatetimePart] = Field(default_factory=lambda: ["year", "month", "day", "dayofweek", "hour"])
    drop: bool = Field(True, description="Drop the datetime column itself (the model cannot take it).")


@register
class DatetimeParts(FeatureOpStep):
    """Calendar parts of datetime columns as new ``<column>_<part>`` columns
    (``hw.features.DatetimeParts``).

    YAML: ``- datetime_parts: {columns: [date], parts: [month, dayofweek]}``
    """

    name = "datetime_parts"
    op_name = "datetime_parts"
    Options = DatetimeOptions
    learns = False

    def columns_after(self, before: ColumnSet) -> ColumnSet:
        extra = [f"{c}_{p}" for c in self.options.columns for p in self.options.parts]
        kept = [c for c in before.names if not (self.options.drop and c in self.options.columns)]
        return ColumnSet(kept + [e for e in extra if e not in kept], before.open, before.protected)
