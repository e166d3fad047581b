"""Categorify: dense integer codes for categories, with one bucket for the unknown."""

from __future__ import annotations

from typing import Any, ClassVar

from headwater.dataframe.column import build_column
from headwater.dataframe.features import vocab as _vocab
from headwater.dataframe.features.base import FeatureOp, FeatureOpError
from headwater.dataframe.features.frame import column, with_columns
from headwater.dataframe.features.state import on_device

__all__ = ["Categorify"]


class Categorify(FeatureOp):
    """Encode columns as dense int32 codes, ready for an embedding table.

    Values seen in ``fit`` at least ``min_frequency`` times get codes ``1..K`` in
    sorted order (categorical columns: in category order). Code ``0`` is the
    bucket for everything else: nulls, values rarer than ``min_frequency``, and
    values first seen in a frame transformed later. So an embedding needs
    ``op.cardinality(column)`` = K + 1 rows.

    Parameters
    ----------
    columns : list of str
        Columns of any type (strings, categoricals, integers, ...).
    min_frequency : int or float
        Minimum count to get a code of its own; a float in ``[0, 1)`` is a fraction
        of the non-null rows. A value must occur at least once in any case.

    Examples
    --------
    >>> import headwater as hw
    >>> train = hw.DataFrame({"city": ["b", "a", "b", None]})
    >>> op = hw.features.Categorify(columns=["city"]).fit(train)
    >>> op.transform(hw.DataFrame({"city": ["a", "b", "z"]}))["city"].tolist()
    [1, 2, 0]
    >>> op.cardinality("city")
    3
    """

    name = "categorify"
    _OPTIONS: ClassVar[dict[str, Any]] = {"min_frequency": 1}

    def _check_options(self) -> None:
        m = self.options["min_frequency"]
        if isinstance(m, bool) or not isinstance(m, (int, float)) or (
            isinstance(m, int) and m < 0) or (isinstance(m, float) and not 0 <= m < 1):
            raise FeatureOpError(
                f"min_frequency must be a count >= 0 or a fraction in [0, 1), got {m!r}"
            )

    def _fit(self, df: Any) -> dict[str, Any]:
        state = {}
        for name in self.columns:
            col = column(df, name)
            xp = col.xp
            vocab = _vocab.fit_vocabulary(col, name, "Categorify")
            counts = vocab["counts"]
            m = self.options["min_frequency"]
            if isinstance(m, float):
                threshold = counts.sum() * m
            else:
                threshold = m
            frequent = (counts >= threshold) & (counts > 0)  # dictionary entries no row uses
            # codes 1..K for the frequent values; 0 for the rest
            codes = xp.where(frequent, xp.cumsum(frequent), 0).astype(xp.int32)
            state[name] = {"vocab": vocab, "codes": codes}
        return state

    def _transform(self, df: Any, state: dict[str, Any]) -> Any:
        new = {}
        for name in self.columns:
            col = column(df, name)
            xp = col.xp
            ids = _vocab.lookup(col, state[name]["vocab"], name, "Categorify")
            codes = on_device(state[name], "codes", col.backend)
            table = xp.concatenate([codes, xp.zeros(1, dtype=xp.int32)])  # id -1 -> last slot
            new[name] = build_column(xp.take(table, ids), None)
        return with_columns(df, new)

    def cardinality(self, name: str) -> int:
        """Rows an embedding table for ``name`` needs: frequent categories + 1 (a host read).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"c": ["x", "y", "x"]})
        >>> hw.features.Categorify(columns=["c"], min_frequency=2).fit(df).cardinality("c")
        2
        """
        if self._state is None:
            raise RuntimeError("Categorify.cardinality needs a fitted op; call .fit(df) first")
        codes = self._state[name]["codes"]
        from headwater.dataframe.features.state import host_values

        host = host_values(codes)
        return int(host.max()) + 1 if len(host) else 1
