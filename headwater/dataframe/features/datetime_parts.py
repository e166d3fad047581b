"""DatetimeParts: calendar fields of datetime columns as integer feature columns."""

from __future__ import annotations

from typing import Any, ClassVar

from headwater.dataframe.accessors.datetimes import calendar_fields
from headwater.dataframe.column import build_column
from headwater.dataframe.features.base import FeatureOp, FeatureOpError
from headwater.dataframe.features.frame import column, with_columns

__all__ = ["DatetimeParts"]

PARTS = ("year", "quarter", "month", "day", "dayofweek", "dayofyear", "hour", "minute", "second",
         "is_weekend")
# feature part name -> Series.dt field name (the calendar math lives with .dt)
_DT_FIELD = {"dayofweek": "day_of_week", "dayofyear": "day_of_year"}


class DatetimeParts(FeatureOp):
    """Append ``<column>_<part>`` int32 columns with calendar fields of datetimes.

    Parts: ``year quarter month day dayofweek`` (Monday = 0, as pandas)
    ``dayofyear hour minute second is_weekend``. Fields are those of the stored
    wall-clock time (UTC for time-zone aware columns). Nulls stay null. Needs no
    fit.

    Parameters
    ----------
    columns : list of str
        Datetime columns.
    parts : list of str
        Which fields, default ``["year", "month", "day", "dayofweek", "hour"]``.
    drop : bool
        Drop the datetime column itself after extracting the parts.

    Examples
    --------
    >>> import pandas as pd, headwater as hw
    >>> df = hw.DataFrame({"t": pd.to_datetime(["2024-03-09 13:45"])})
    >>> out = hw.features.DatetimeParts(columns=["t"], parts=["year", "dayofweek", "hour"]).transform(df)
    >>> out["t_year"].tolist(), out["t_dayofweek"].tolist(), out["t_hour"].tolist()
    ([2024], [5], [13])
    """

    name = "datetime_parts"
    stateless = True
    _OPTIONS: ClassVar[dict[str, Any]] = {
        "parts": ["year", "month", "day", "dayofweek", "hour"],
        "drop": False,
    }

    def _check_options(self) -> None:
        parts = self.options["parts"]
        if isinstance(parts, str):
            parts = [parts]
        unknown = [p for p in parts if p not in PARTS]
        if unknown or not parts:
            raise FeatureOpError(f"DatetimeParts parts {unknown or parts!r} are not known; choose from {PARTS}")
        self.options["parts"] = list(parts)

    def _transform(self, df: Any, state: dict[str, Any]) -> Any:
        new = {}
        for name in self.columns:
            col = column(df, name)
            if col.kind != "datetime":
                raise FeatureOpError(
                    f"DatetimeParts needs datetime columns, but {name!r} is {col.dtype}; "
                    f"parse it first (hw.read_csv(..., parse_dates=[{name!r}]), or parse_dates: [{name}] in a "
                    f"pipeline's data source)"
                )
            for part, values in _fields(col.xp, col.data, self.options["parts"]).items():
                new[f"{name}_{part}"] = build_column(values.astype(col.xp.int32), col.mask)
        return with_columns(df, new, drop=self.columns if self.options["drop"] else ())


def _fields(xp: Any, ns: Any, parts: list[str]) -> dict[str, Any]:
    wanted = {_DT_FIELD.get(p, p) for p in parts if p != "is_weekend"}
    if "is_weekend" in parts:
        wanted.add("day_of_week")
    values = calendar_fields(xp, ns, sorted(wanted))  # one pass of the civil-date arithmetic
    out = {}
    for part in parts:
        if part == "is_weekend":
            out[part] = (values["day_of_week"] >= 5).astype(xp.int32)
        else:
            out[part] = values[_DT_FIELD.get(part, part)]
    return out
