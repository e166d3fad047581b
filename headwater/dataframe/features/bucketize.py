"""Bucketize: numbers into bins, by quantiles or equal widths learned in ``fit``, or fixed edges."""

from __future__ import annotations

from typing import Any, ClassVar

from headwater.dataframe.column import build_column
from headwater.dataframe.features import stats
from headwater.dataframe.features.base import FeatureOp, FeatureOpError
from headwater.dataframe.features.frame import column, numeric_values, with_columns
from headwater.dataframe.features.state import on_device

__all__ = ["Bucketize"]

_STRATEGIES = ("quantile", "uniform")


class Bucketize(FeatureOp):
    """Replace numeric columns by their bin number (int32), as KBinsDiscretizer.

    With an int ``bins`` the edges are learned in ``fit``: at quantiles
    (``strategy="quantile"``, equal counts, as ``pd.qcut``) or equally spaced
    between the minimum and the maximum (``"uniform"``, as ``pd.cut``). With a
    list of edges they are fixed and ``fit`` learns nothing. Bin ``i`` holds
    ``edges[i] <= x < edges[i + 1]``; values below the first edge fall into bin 0
    and values from the last edge up into the last bin (scikit-learn's
    convention). Nulls and NaN stay null. Tied quantile edges leave empty bins, so
    bin numbers keep their meaning.

    Parameters
    ----------
    columns : list of str
    bins : int or list of float
        Number of bins, or the edges (increasing, at least two).
    strategy : {"quantile", "uniform"}
        How learned edges are placed.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]})
    >>> hw.features.Bucketize(columns=["x"], bins=2).fit_transform(df)["x"].tolist()
    [0, 0, 1, 1]
    >>> hw.features.Bucketize(columns=["x"], bins=[0, 2.5, 10]).transform(df)["x"].tolist()
    [0, 0, 1, 1]
    """

    name = "bucketize"
    _OPTIONS: ClassVar[dict[str, Any]] = {"bins": 5, "strategy": "quantile"}

    def _check_options(self) -> None:
        bins = self.options["bins"]
        if self.options["strategy"] not in _STRATEGIES:
            raise FeatureOpError(
                f"Bucketize strategy must be one of {_STRATEGIES}, got {self.options['strategy']!r}"
            )
        if isinstance(bins, (list, tuple)):
            edges = [float(b) for b in bins]
            if len(edges) < 2 or any(b >= a for a, b in zip(edges[1:], edges[:-1])):
                raise FeatureOpError(
                    f"Bucketize bins as edges must be at least two increasing numbers, got {bins!r}"
                )
            self.options["bins"] = edges
            self.stateless = True
        elif isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
            raise FeatureOpError(f"Bucketize bins must be a positive int or a list of edges, got {bins!r}")
        else:
            self.stateless = False

    def _fit(self, df: Any) -> dict[str, Any]:
        bins = self.options["bins"]
        if isinstance(bins, list):
            return {}
        state = {}
        for name in self.columns:
            col = column(df, name)
            xp = col.xp
            values, valid = numeric_values(col, name, "Bucketize")
            if self.options["strategy"] == "quantile":
                edges = stats.quantiles(col.backend, values, valid, [i / bins for i in range(bins + 1)])
            else:
                low = stats.minimum(col.backend, values, valid)
                high = stats.maximum(col.backend, values, valid)
                # np.linspace(low, high, bins + 1), as scikit-learn's KBinsDiscretizer
                # computes them (i * step + low, the last edge exactly high): a value on an
                # edge falls in the same bin
                edges = xp.arange(bins + 1, dtype=xp.float64) * ((high - low) / bins) + low
                edges[-1:] = high
            state[name] = {"edges": edges}
        return state

    def edges(self, name: str) -> list[float]:
        """The bin edges of column ``name`` (a host read of the fitted state)."""
        from headwater.dataframe.features.state import host_values

        if isinstance(self.options["bins"], list):
            return list(self.options["bins"])
        if self._state is None:
            raise RuntimeError("Bucketize.edges needs a fitted op; call .fit(df) first")
        return host_values(self._state[name]["edges"]).tolist()

    def _transform(self, df: Any, state: dict[str, Any]) -> Any:
        new = {}
        for name in self.columns:
            col = column(df, name)
            xp = col.xp
            values, valid = numeric_values(col, name, "Bucketize")
            if isinstance(self.options["bins"], list):
                edges = col.backend.to_device(self.options["bins"], dtype="float64")
            else:
                edges = on_device(state[name], "edges", col.backend)
            inner = edges[1:-1]
            codes = xp.searchsorted(inner, values, side="right").astype(xp.int32)
            new[name] = build_column(codes, valid)
        return with_columns(df, new)
