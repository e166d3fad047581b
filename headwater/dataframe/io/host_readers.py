"""JSON and Excel through pandas' readers: parsed on the host, then one device copy per
column (Arrow's JSON reader takes only line-delimited records of one layout, and
Excel needs openpyxl's parser, so pandas' own readers give pandas' answers for every
``orient`` and sheet option)."""

from __future__ import annotations

from typing import Any

__all__ = ["read_json", "read_excel"]


def _frame(pdf: Any, device: Any) -> Any:
    import pandas as pd

    from headwater.dataframe.frame import DataFrame

    if isinstance(pdf, pd.Series):
        from headwater.dataframe.series import Series

        return Series(pdf, device=device)
    return DataFrame(pdf, device=device)


def read_json(path_or_buf: Any, *args: Any, device: Any = None, **kwargs: Any) -> Any:
    """Read JSON as ``pandas.read_json`` does (every ``orient``, ``lines=True``...), then
    move it to the device.

    Examples
    --------
    >>> import headwater as hw, io
    >>> hw.read_json(io.StringIO('[{"a": 1, "b": "x"}, {"a": null, "b": "y"}]')).to_dict()
    {'a': [1.0, None], 'b': ['x', 'y']}
    >>> hw.read_json(io.StringIO('{"a": 1}\\n{"a": 2}\\n'), lines=True)["a"].to_list()
    [1, 2]
    """
    import pandas as pd

    return _frame(pd.read_json(path_or_buf, *args, **kwargs), device)


def read_excel(io: Any, *args: Any, device: Any = None, **kwargs: Any) -> Any:
    """Read an Excel sheet as ``pandas.read_excel`` does (needs openpyxl), then move it
    to the device; ``sheet_name=None`` gives a dict of frames.

    Examples
    --------
    >>> import headwater as hw
    >>> callable(hw.read_excel)
    True
    """
    import pandas as pd

    out = pd.read_excel(io, *args, **kwargs)
    if isinstance(out, dict):
        return {name: _frame(sheet, device) for name, sheet in out.items()}
    return _frame(out, device)
