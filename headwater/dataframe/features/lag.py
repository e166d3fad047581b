"""Lag: the value of an earlier (or later) row of the same group, on a time-sorted frame."""

from __future__ import annotations

from typing import Any, ClassVar

from headwater.dataframe.features.base import FeatureOp, FeatureOpError
from headwater.dataframe.features.frame import column, require_columns, with_columns
from headwater.dataframe.features.window import group_runs

__all__ = ["Lag"]


class Lag(FeatureOp):
    """Append ``<column>_lag<p>`` (``_lead<p>`` for negative ``p``) per group.

    As ``df.groupby(by)[column].shift(p)`` in pandas: the value ``p`` rows earlier
    within the row's group, in frame order (sort the frame by time first), or
    null when there is none. Works for columns of any type. Needs no fit.

    Parameters
    ----------
    columns : list of str
    periods : int or list of int
    by : str or list of str, optional
        Group keys; the whole frame is one group when omitted. Rows with a null
        key get null.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"g": ["a", "b", "a", "b"], "x": [1, 2, 3, 4]})
    >>> hw.features.Lag(columns=["x"], by="g").transform(df)["x_lag1"].tolist()
    [None, None, 1, 2]
    """

    name = "lag"
    stateless = True
    _OPTIONS: ClassVar[dict[str, Any]] = {"periods": 1, "by": None}

    def _check_options(self) -> None:
        periods = self.options["periods"]
        periods = [periods] if isinstance(periods, int) else list(periods)
        if not periods or any(isinstance(p, bool) or not isinstance(p, int) or p == 0 for p in periods):
            raise FeatureOpError(f"Lag periods must be non-zero ints, got {self.options['periods']!r}")
        self.options["periods"] = periods
        by = self.options["by"]
        self.options["by"] = None if by is None else ([by] if isinstance(by, str) else list(by))

    def output_name(self, name: str, period: int) -> str:
        """The column written for ``period``."""
        return f"{name}_lag{period}" if period > 0 else f"{name}_lead{-period}"

    def _transform(self, df: Any, state: dict[str, Any]) -> Any:
        by = self.options["by"]
        if by:
            require_columns(df, by, "Lag")
        first = column(df, self.columns[0])
        runs = group_runs(df, by, len(first), first.backend)
        xp = first.xp
        new = {}
        for period in self.options["periods"]:
            src, same = runs.source(period)
            rows = xp.where(same, xp.take(runs.order, src), -1)
            indices = runs.scatter(rows)
            for name in self.columns:
                new[self.output_name(name, period)] = column(df, name).take(indices, allow_missing=True)
        return with_columns(df, new)
