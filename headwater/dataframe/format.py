"""Text and HTML display, as pandas prints frames: truncated in the middle, dtypes shown.

Only the rows shown cross to the host (head and tail, counted), never the whole frame.
"""

from __future__ import annotations

from typing import Any

__all__ = ["frame_repr", "frame_html", "series_repr", "MAX_ROWS", "SHOW_ROWS"]

MAX_ROWS = 60  # pandas' display.max_rows
SHOW_ROWS = 10  # pandas' display.min_rows: rows shown when truncating


def _limits() -> tuple[int, int]:
    from headwater.dataframe.options import get_option

    max_rows = get_option("display.max_rows")
    return (MAX_ROWS if max_rows is None else max_rows), get_option("display.min_rows") or SHOW_ROWS


def _visible(frame: Any) -> tuple[Any, bool]:
    """A small pandas frame of the rows shown, indexed by their keys or positions."""
    import pandas as pd

    n = len(frame)
    max_rows, show = _limits()
    if n <= max_rows:
        pdf = frame.to_pandas()
        return pdf, False
    half = show // 2
    top = frame.head(half + 1).to_pandas()
    bottom = frame.tail(half + 1).to_pandas()
    if not frame._keys:
        bottom.index = range(n - half - 1, n)
    return pd.concat([top, bottom]), True


def _dtypes_line(frame: Any) -> str:
    return ", ".join(f"{name}: {col.dtype}" for name, col in frame._columns.items())


def frame_repr(frame: Any) -> str:
    """The text shown for a DataFrame."""
    n, m = frame.shape
    if m == 0:
        return f"Empty DataFrame\nColumns: []\n[{n} rows x 0 columns]"
    pdf, cut = _visible(frame)
    body = pdf.to_string(max_rows=_limits()[1] if cut else None, min_rows=_limits()[1] if cut else None)
    return f"{body}\n\n[{n} rows x {m} columns]\n{_dtypes_line(frame)}"


def frame_html(frame: Any) -> str:
    """The HTML shown for a DataFrame in a notebook."""
    n, m = frame.shape
    if m == 0:
        return f"<p>Empty DataFrame: {n} rows x 0 columns</p>"
    pdf, cut = _visible(frame)
    table = pdf.to_html(max_rows=_limits()[1] if cut else None)
    dtypes = "".join(f"<th>{name}</th>" for name in frame.columns)
    kinds = "".join(f"<td>{col.dtype}</td>" for col in frame._columns.values())
    return (
        f"<div>{table}<p>{n} rows x {m} columns</p>"
        f"<table><tr><th>dtype</th>{dtypes}</tr><tr><td></td>{kinds}</tr></table></div>"
    )


def series_repr(series: Any) -> str:
    """The text shown for a Series."""
    n = len(series)
    frame = series.to_frame(series.name or "0")
    pdf, cut = _visible(frame)
    values = pdf.iloc[:, 0]
    body = values.to_string(max_rows=_limits()[1] if cut else None, min_rows=_limits()[1] if cut else None) if n else "Series([])"
    name = f"Name: {series.name}, " if series.name is not None else ""
    length = f"Length: {n}, " if cut else ""  # as pandas: the length only when rows are cut
    return f"{body}\n{name}{length}dtype: {series.dtype}"
