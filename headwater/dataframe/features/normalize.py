"""Normalize: standard, min-max or robust scaling with statistics learned in ``fit``."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

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

__all__ = ["Normalize"]

_METHODS = ("standard", "minmax", "robust")
_TINY = 10 * float(np.finfo(np.float64).eps)  # a smaller scale counts as zero (scikit-learn's rule)


class Normalize(FeatureOp):
    """Scale numeric columns as ``(x - center) / scale``, fitted on one frame.

    ``standard`` centres on the mean and divides by the standard deviation
    (``ddof=0``, as scikit-learn's StandardScaler); ``minmax`` maps
    ``[min, max]`` onto ``feature_range``; ``robust`` centres on the median and
    divides by the interquartile range (``quantile_range``, in percent, as
    RobustScaler). A scale below ``10 * eps`` is taken as one, as scikit-learn does. Nulls and NaN stay missing and
    are left out of the statistics. Integer columns come back as float64.

    Parameters
    ----------
    columns : list of str
    method : {"standard", "minmax", "robust"}
    feature_range : (float, float)
        Target range of ``minmax``.
    quantile_range : (float, float)
        Percentiles whose difference is the scale of ``robust``.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"x": [1.0, 2.0, 3.0]})
    >>> hw.features.Normalize(columns=["x"]).fit_transform(df)["x"].round(4).tolist()
    [-1.2247, 0.0, 1.2247]
    """

    name = "normalize"
    _OPTIONS: ClassVar[dict[str, Any]] = {
        "method": "standard",
        "feature_range": (0.0, 1.0),
        "quantile_range": (25.0, 75.0),
    }

    def _check_options(self) -> None:
        if self.options["method"] not in _METHODS:
            raise FeatureOpError(
                f"Normalize method must be one of {_METHODS}, got {self.options['method']!r}"
            )
        low, high = self.options["quantile_range"]
        if not 0 <= low <= high <= 100:
            raise FeatureOpError(
                f"quantile_range must be two percentiles 0 <= low <= high <= 100, got {(low, high)}"
            )

    def _fit(self, df: Any) -> dict[str, Any]:
        state: dict[str, Any] = {}
        for name in self.columns:
            col = column(df, name)
            values, valid = numeric_values(col, name, "Normalize")
            center, scale = self._center_scale(col.backend, values, valid)
            xp = col.xp
            scale = xp.where(xp.abs(scale) < _TINY, 1.0, scale)
            state[name] = {"center": center, "scale": scale}
        return state

    def _center_scale(self, backend: Any, values: Any, valid: Any) -> tuple[Any, Any]:
        method = self.options["method"]
        if method == "standard":
            return stats.mean(backend, values, valid), stats.std(backend, values, valid)
        if method == "minmax":
            low, high = (float(v) for v in self.options["feature_range"])
            lo, hi = stats.minimum(backend, values, valid), stats.maximum(backend, values, valid)
            span = hi - lo
            scale = backend.xp.where(span < _TINY, 1.0, span) / (high - low)  # as MinMaxScaler
            return lo - low * scale, scale
        q_low, q_high = (float(v) / 100.0 for v in self.options["quantile_range"])
        low_mid_high = stats.quantiles(backend, values, valid, [q_low, 0.5, q_high])
        return low_mid_high[1:2], low_mid_high[2:3] - low_mid_high[0:1]

    def _transform(self, df: Any, state: dict[str, Any]) -> Any:
        new = {}
        for name in self.columns:
            col = column(df, name)
            values, _ = numeric_values(col, name, "Normalize")
            center = on_device(state[name], "center", col.backend)
            scale = on_device(state[name], "scale", col.backend)
            new[name] = float_column((values - center) / scale, col.mask, output_dtype(col))
        return with_columns(df, new)
