"""Log1p: ``log(1 + x)`` of numeric columns, a stateless transform."""

from __future__ import annotations

from typing import Any, ClassVar

from headwater.dataframe.features.base import FeatureOp
from headwater.dataframe.features.frame import (
    column,
    float_column,
    numeric_values,
    output_dtype,
    with_columns,
)

__all__ = ["Log1p"]


class Log1p(FeatureOp):
    """Replace numeric columns by ``log(1 + x)`` (as ``numpy.log1p``).

    Values below -1 give NaN and -1 gives ``-inf``, as in NumPy; with
    ``clip_negative=True`` negative values are first raised to 0. Nulls stay null.
    Needs no fit.

    Parameters
    ----------
    columns : list of str
    clip_negative : bool

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"x": [0.0, 9.0]})
    >>> hw.features.Log1p(columns=["x"]).transform(df)["x"].round(4).tolist()
    [0.0, 2.3026]
    """

    name = "log1p"
    stateless = True
    _OPTIONS: ClassVar[dict[str, Any]] = {"clip_negative": False}

    def _transform(self, df: Any, state: dict[str, Any]) -> Any:
        new = {}
        for name in self.columns:
            col = column(df, name)
            xp = col.xp
            values, _ = numeric_values(col, name, "Log1p")
            if self.options["clip_negative"]:
                values = xp.maximum(values, 0.0)
            with _quiet(xp):
                out = xp.log1p(values)
            new[name] = float_column(out, col.mask, output_dtype(col))
        return with_columns(df, new)


def _quiet(xp: Any) -> Any:
    """Silence NumPy's warnings for log1p of values <= -1 (NaN/-inf are the answer)."""
    import numpy as np

    return np.errstate(invalid="ignore", divide="ignore")
