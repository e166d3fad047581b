"""Clip: bound numeric columns by fixed values or by quantiles learned in ``fit``."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from headwater.dataframe.features import stats
from headwater.dataframe.features.base import FeatureOp, FeatureOpError
from headwater.dataframe.features.frame import column, float_column, numeric_values, with_columns
from headwater.dataframe.features.state import on_device

__all__ = ["Clip"]


class Clip(FeatureOp):
    """Limit numeric columns to ``[lower, upper]`` (as ``Series.clip``).

    Give fixed bounds (``lower``, ``upper``; either may be None), or
    ``quantiles=(low, high)`` to learn the bounds from the training frame (for
    example ``(0.01, 0.99)`` to winsorise). Nulls stay null. The column keeps its
    dtype when the bounds fit it, else it becomes float64.

    Parameters
    ----------
    columns : list of str
    lower, upper : float, optional
    quantiles : (float, float), optional
        Quantiles in ``[0, 1]``; replaces ``lower``/``upper``.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"x": [-5.0, 0.5, 7.0]})
    >>> hw.features.Clip(columns=["x"], lower=0.0, upper=1.0).transform(df)["x"].tolist()
    [0.0, 0.5, 1.0]
    """

    name = "clip"
    _OPTIONS: ClassVar[dict[str, Any]] = {"lower": None, "upper": None, "quantiles": None}

    def _check_options(self) -> None:
        quantiles = self.options["quantiles"]
        lower, upper = self.options["lower"], self.options["upper"]
        if quantiles is None:
            if lower is None and upper is None:
                raise FeatureOpError("Clip needs lower=, upper= or quantiles=(low, high)")
            if lower is not None and upper is not None and lower > upper:
                raise FeatureOpError(f"Clip lower={lower!r} is above upper={upper!r}; swap them")
            self.stateless = True
            return
        if lower is not None or upper is not None:
            raise FeatureOpError("Clip takes either lower=/upper= or quantiles=, not both")
        low, high = quantiles
        if not 0.0 <= low <= high <= 1.0:
            raise FeatureOpError(f"Clip quantiles must satisfy 0 <= low <= high <= 1, got {quantiles!r}")
        self.stateless = False

    def _fit(self, df: Any) -> dict[str, Any]:
        if self.options["quantiles"] is None:
            return {}
        low, high = (float(q) for q in self.options["quantiles"])
        state = {}
        for name in self.columns:
            col = column(df, name)
            values, valid = numeric_values(col, name, "Clip")
            state[name] = {
                "lower": stats.quantile(col.backend, values, valid, low),
                "upper": stats.quantile(col.backend, values, valid, high),
            }
        return state

    def _transform(self, df: Any, state: dict[str, Any]) -> Any:
        new = {}
        for name in self.columns:
            col = column(df, name)
            xp = col.xp
            if self.options["quantiles"] is None:
                lower, upper = self.options["lower"], self.options["upper"]
                values = col.data
                if not _fits(col, lower, upper):
                    values, _ = numeric_values(col, name, "Clip")
                else:
                    numeric_values(col, name, "Clip")  # type check only
                if lower is not None:
                    values = xp.maximum(values, values.dtype.type(lower))
                if upper is not None:
                    values = xp.minimum(values, values.dtype.type(upper))
            else:
                values, _ = numeric_values(col, name, "Clip")
                lower = on_device(state[name], "lower", col.backend)
                upper = on_device(state[name], "upper", col.backend)
                values = xp.minimum(xp.maximum(values, lower), upper)
                if col.kind == "float":
                    values = values.astype(col.data.dtype)
            new[name] = float_column(values, col.mask)
        return with_columns(df, new)


def _fits(col: Any, lower: Any, upper: Any) -> bool:
    """Whether the fixed bounds can be written in the column's own dtype."""
    if col.kind == "float":
        return True
    if col.kind == "bool":
        return False
    info = np.iinfo(col.data.dtype)
    return all(b is None or (float(b).is_integer() and info.min <= b <= info.max) for b in (lower, upper))
