"""FillMissing: replace nulls (and NaN) by a learned mean or median, or a constant."""

from __future__ import annotations

from typing import Any, ClassVar

from headwater.dataframe.column import build_column
from headwater.dataframe.features import stats
from headwater.dataframe.features.base import FeatureOp, FeatureOpError
from headwater.dataframe.features.frame import (
    column,
    float_column,
    numeric_values,
    output_dtype,
    with_columns,
)
from headwater.dataframe.features.state import on_device

__all__ = ["FillMissing"]

_STRATEGIES = ("mean", "median", "constant")


class FillMissing(FeatureOp):
    """Fill missing values, optionally adding a ``<column>_missing`` indicator.

    ``mean`` and ``median`` are learned from the training frame (as
    scikit-learn's SimpleImputer) and applied to every frame transformed later;
    ``constant`` writes ``fill_value`` and works on any column (strings too).
    Missing means null, and NaN in float columns, as in pandas. With
    ``indicator=True`` a bool column ``<column>_missing`` is appended, True where
    the value was missing. A column with no value at all in the training frame has
    no mean or median: its missing rows stay null (never NaN), as
    ``df.fillna(df.median())`` leaves them in pandas.

    Parameters
    ----------
    columns : list of str
    strategy : {"mean", "median", "constant"}
    fill_value : scalar
        The value of ``constant``.
    indicator : bool

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"x": [1.0, None, 3.0]})
    >>> out = hw.features.FillMissing(columns=["x"], indicator=True).fit_transform(df)
    >>> out["x"].tolist(), out["x_missing"].tolist()
    ([1.0, 2.0, 3.0], [False, True, False])
    """

    name = "fill_missing"
    _OPTIONS: ClassVar[dict[str, Any]] = {"strategy": "mean", "fill_value": None, "indicator": False}

    def _check_options(self) -> None:
        strategy = self.options["strategy"]
        if strategy not in _STRATEGIES:
            raise FeatureOpError(f"FillMissing strategy must be one of {_STRATEGIES}, got {strategy!r}")
        if strategy == "constant" and self.options["fill_value"] is None:
            raise FeatureOpError("FillMissing(strategy='constant') needs fill_value=...")
        if strategy != "constant" and self.options["fill_value"] is not None:
            raise FeatureOpError(
                f"fill_value is only used with strategy='constant', not {strategy!r}; drop it"
            )
        self.stateless = strategy == "constant"  # a constant needs no fit

    def _fit(self, df: Any) -> dict[str, Any]:
        strategy = self.options["strategy"]
        if strategy == "constant":
            return {}
        state = {}
        for name in self.columns:
            col = column(df, name)
            values, valid = numeric_values(col, name, "FillMissing")
            if strategy == "mean":
                state[name] = {"value": stats.mean(col.backend, values, valid)}
            else:
                state[name] = {"value": stats.quantile(col.backend, values, valid, 0.5)}
        return state

    def _transform(self, df: Any, state: dict[str, Any]) -> Any:
        new = {}
        for name in self.columns:
            col = column(df, name)
            missing = col.is_missing()
            if self.options["strategy"] == "constant":
                new[name] = col.fillna(self.options["fill_value"])
            else:
                values, _ = numeric_values(col, name, "FillMissing")
                fill = on_device(state[name], "value", col.backend)
                filled = col.xp.where(missing, fill, values)
                # a column without a value in the training frame has no mean or median
                # (NaN): its missing rows stay null, never NaN, so null checks still see them
                valid = ~(missing & col.xp.isnan(fill))
                new[name] = float_column(filled, valid, output_dtype(col))
            if self.options["indicator"]:
                new[f"{name}_missing"] = build_column(missing, None)
        return with_columns(df, new)
