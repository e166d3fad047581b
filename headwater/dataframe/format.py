"""Text and HTML display, as pandas prints frames: the same text as pandas' ``repr``
(truncated in the middle, the ``[n rows x m columns]`` footer only when rows or columns
are cut, as ``display.show_dimensions="truncate"``); the HTML view adds a dtype row.

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


_PASSED = ("display.max_columns", "display.width", "display.precision", "display.max_colwidth",
           "display.float_format", "display.show_dimensions")


def _pandas_options(cut: bool) -> list[Any]:
    """pandas' display options for printing the rows shown: the ones set through
    ``hw.set_option`` (the others keep pandas' own defaults, which ours mirror), and, when
    rows are cut, a row limit that cuts the head and tail shown with pandas' ``...``."""
    from headwater.dataframe.options import _DEFAULTS, get_option

    pairs: list[Any] = []
    for key in _PASSED:
        value = get_option(key)
        if value != _DEFAULTS[key]:
            pairs += [key, value]
    if cut:
        show = _limits()[1]
        pairs += ["display.max_rows", show, "display.min_rows", show, "display.show_dimensions", False]
    else:
        pairs += ["display.max_rows", None]
    return pairs


def _footer(frame: Any, cut: bool) -> str:
    from headwater.dataframe.options import get_option

    n, m = frame.shape
    return f"\n\n[{n} rows x {m} columns]" if cut and get_option("display.show_dimensions") else ""


def frame_repr(frame: Any) -> str:
    """The text shown for a DataFrame: pandas' text for the same frame."""
    import pandas as pd

    pdf, cut = _visible(frame)
    with pd.option_context(*_pandas_options(cut)):
        body = repr(pdf)
    return body + _footer(frame, cut)


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


def series_repr(series: Any, dtype: Any = None) -> str:
    """The text shown for a Series (``dtype`` names the dtype in the last line when
    the stored one is not what pandas would show)."""
    import pandas as pd

    n = len(series)
    name = f"Name: {series.name}, " if series.name is not None else ""
    kind = f"dtype: {series.dtype if dtype is None else dtype}"
    if not n:
        return f"Series([], {name}{kind})"
    frame = series.to_frame(series.name or "0")
    pdf, cut = _visible(frame)
    values = pdf.iloc[:, 0]
    with pd.option_context(*_pandas_options(False)):
        body = values.to_string(max_rows=_limits()[1] if cut else None, min_rows=_limits()[1] if cut else None)
    length = f"Length: {n}, " if cut else ""  # as pandas: the length only when rows are cut
    return f"{body}\n{name}{length}{kind}"
