"""JSON, nested records, SQL and Excel through pandas' readers: parsed on the host, then one device copy per
column (Arrow's JSON reader takes only line-delimited records of one layout, and
Excel needs openpyxl's parser, so pandas' own readers give pandas' answers for every
``orient`` and sheet option)."""

from __future__ import annotations

from typing import Any

__all__ = ["read_json", "read_excel", "json_normalize", "read_sql", "read_sql_query", "read_sql_table"]


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


def json_normalize(data: Any, *args: Any, device: Any = None, **kwargs: Any) -> Any:
    """Flatten nested JSON records (dicts and lists of dicts) into a frame, as
    ``pandas.json_normalize`` does (``record_path=``, ``meta=``, ``sep=``, ``max_level=``);
    the records are Python objects on the host, so pandas flattens them.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.json_normalize([{"id": 1, "user": {"name": "a"}}, {"id": 2, "user": {"name": "b"}}]).to_dict("list")
    {'id': [1, 2], 'user.name': ['a', 'b']}
    """
    import pandas as pd

    return _frame(pd.json_normalize(data, *args, **kwargs), device)


def read_sql(sql: Any, con: Any, *args: Any, device: Any = None, **kwargs: Any) -> Any:
    """A query's rows (or a table), as ``pandas.read_sql`` reads them (``con``: an
    SQLAlchemy engine or a DB-API connection such as ``sqlite3``), moved to the device.

    Examples
    --------
    >>> import sqlite3
    >>> import headwater as hw
    >>> con = sqlite3.connect(":memory:")
    >>> _ = con.execute("create table t (a int, b text)")
    >>> _ = con.execute("insert into t values (1, 'x'), (2, null)")
    >>> hw.read_sql("select * from t", con).to_dict("list")
    {'a': [1, 2], 'b': ['x', None]}
    """
    import pandas as pd

    return _frame(pd.read_sql(sql, con, *args, **kwargs), device)


def read_sql_query(sql: Any, con: Any, *args: Any, device: Any = None, **kwargs: Any) -> Any:
    """A query's rows, as ``pandas.read_sql_query``, moved to the device (see :func:`read_sql`)."""
    import pandas as pd

    return _frame(pd.read_sql_query(sql, con, *args, **kwargs), device)


def read_sql_table(table_name: str, con: Any, *args: Any, device: Any = None, **kwargs: Any) -> Any:
    """A table's rows, as ``pandas.read_sql_table`` (needs SQLAlchemy), moved to the device."""
    import pandas as pd

    return _frame(pd.read_sql_table(table_name, con, *args, **kwargs), device)
