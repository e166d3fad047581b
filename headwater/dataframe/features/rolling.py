"""Rolling: window aggregates over the previous rows of each group, on a time-sorted frame."""

from __future__ import annotations

from typing import Any, ClassVar

from headwater.dataframe.features.base import FeatureOp, FeatureOpError
from headwater.dataframe.features.frame import (
    column,
    float_column,
    numeric_values,
    require_columns,
    with_columns,
)
from headwater.dataframe.features.window import group_runs

__all__ = ["Rolling"]

STATS = ("mean", "sum", "min", "max", "std")
# which rows before the current one (0 = itself) each kind of window covers, as pandas' closed=
_CLOSED = {"right": (0, 0), "left": (1, 1), "both": (0, 1), "neither": (1, 0)}


class Rolling(FeatureOp):
    """Append ``<column>_rolling_<stat>_<window>``: the stat over the last ``window`` rows.

    As ``df.groupby(by)[column].rolling(window, min_periods).<stat>()`` in pandas,
    aligned back to the frame's rows: each row's window is itself and the
    ``window - 1`` rows before it in its group (sort the frame by time first).
    Nulls and NaN inside a window are skipped; a window with fewer than
    ``min_periods`` values gives null. ``std`` uses ``ddof=1``. Each stat costs
    ``window`` passes over the rows on the device. Needs no fit.

    ``closed`` chooses the rows as pandas' ``rolling(closed=...)`` does: ``"right"``
    (the default) is the row and the ``window - 1`` before it; ``"left"`` the
    ``window`` rows before the row, without it (the one to use on a target column:
    a window holding the row's own target leaks it into the features); ``"both"``
    the row and ``window`` before it; ``"neither"`` the ``window - 1`` before it.
    Other values than ``"right"`` append ``_<closed>`` to the column names.

    Parameters
    ----------
    columns : list of str
        Numeric columns.
    window : int
    stats : list of str
        From ``mean sum min max std``.
    by : str or list of str, optional
        Group keys; the whole frame is one group when omitted.
    min_periods : int, optional
        Defaults to ``window``, as pandas.
    closed : {"right", "left", "both", "neither"}

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]})
    >>> hw.features.Rolling(columns=["x"], window=2, stats=["sum"]).transform(df)["x_rolling_sum_2"].tolist()
    [None, 3.0, 5.0, 7.0]
    >>> hw.features.Rolling(columns=["x"], window=2, stats=["sum"], closed="left").transform(df).columns[-1]
    'x_rolling_sum_2_left'
    """

    name = "rolling"
    stateless = True
    _OPTIONS: ClassVar[dict[str, Any]] = {"window": None, "stats": ["mean"], "by": None, "min_periods": None,
                                          "closed": "right"}

    def _check_options(self) -> None:
        window = self.options["window"]
        if isinstance(window, bool) or not isinstance(window, int) or window < 1:
            raise FeatureOpError(f"Rolling needs window=<positive int>, got {window!r}")
        stats = self.options["stats"]
        stats = [stats] if isinstance(stats, str) else list(stats)
        unknown = [s for s in stats if s not in STATS]
        if unknown or not stats:
            raise FeatureOpError(f"Rolling stats {unknown or stats!r} are not known; choose from {STATS}")
        self.options["stats"] = stats
        min_periods = self.options["min_periods"]
        if min_periods is not None and (not isinstance(min_periods, int) or not 0 <= min_periods <= window):
            raise FeatureOpError(f"min_periods must be an int in [0, window], got {min_periods!r}")
        by = self.options["by"]
        self.options["by"] = None if by is None else ([by] if isinstance(by, str) else list(by))
        if self.options["closed"] not in _CLOSED:
            raise FeatureOpError(f"Rolling closed must be one of {sorted(_CLOSED)}, got {self.options['closed']!r}")

    @property
    def rows_back(self) -> range:
        """How many rows back each row of the window is (0 = the row itself)."""
        skip, extra = _CLOSED[self.options["closed"]]
        return range(skip, self.options["window"] + extra)

    def output_name(self, name: str, stat: str) -> str:
        """The column written for ``stat`` of ``name``."""
        closed = self.options["closed"]
        return f"{name}_rolling_{stat}_{self.options['window']}" + ("" if closed == "right" else f"_{closed}")

    def _transform(self, df: Any, state: dict[str, Any]) -> Any:
        by = self.options["by"]
        if by:
            require_columns(df, by, "Rolling")
        window = self.options["window"]
        min_periods = self.options["min_periods"]
        min_periods = window if min_periods is None else min_periods
        first = column(df, self.columns[0])
        runs = group_runs(df, by, len(first), first.backend)
        xp = first.xp
        sources = [runs.source(k) for k in self.rows_back]
        new = {}
        for name in self.columns:
            values, valid = numeric_values(column(df, name), name, "Rolling")
            v = xp.take(values, runs.order)
            ok = ~xp.isnan(v) if valid is None else xp.take(valid, runs.order) & ~xp.isnan(v)
            windows = [(src, same & xp.take(ok, src)) for src, same in sources]
            results = _window_stats(xp, v, windows, self.options["stats"])
            count = sum(use.astype(xp.int64) for _, use in windows)
            enough = (count >= max(min_periods, 1)) & (runs.run != runs.null_run)
            for stat, out in results.items():
                keep = enough & ~xp.isnan(out)
                new[self.output_name(name, stat)] = float_column(runs.scatter(out), runs.scatter(keep))
        return with_columns(df, new)


def _window_stats(xp: Any, v: Any, windows: list[tuple[Any, Any]], stats: list[str]) -> dict[str, Any]:
    total = xp.zeros(len(v))
    count = xp.zeros(len(v))
    low = xp.full(len(v), xp.inf)
    high = xp.full(len(v), -xp.inf)
    for src, use in windows:
        x = xp.take(v, src)
        total += xp.where(use, x, 0.0)
        count += use
        if "min" in stats:
            low = xp.where(use, xp.minimum(low, x), low)
        if "max" in stats:
            high = xp.where(use, xp.maximum(high, x), high)
    safe = xp.maximum(count, 1.0)
    mean = total / safe
    out: dict[str, Any] = {}
    for stat in stats:
        if stat == "mean":
            out[stat] = mean
        elif stat == "sum":
            out[stat] = total
        elif stat == "min":
            out[stat] = low
        elif stat == "max":
            out[stat] = high
        else:  # two passes: the mean, then the squares around it
            squares = xp.zeros(len(v))
            for src, use in windows:
                d = xp.take(v, src) - mean
                squares += xp.where(use, d * d, 0.0)
            out[stat] = xp.where(count > 1, xp.sqrt(squares / xp.maximum(count - 1, 1.0)), xp.nan)
    return out
