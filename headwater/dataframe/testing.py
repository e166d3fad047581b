"""``assert_frame_equal`` / ``assert_series_equal``: pandas.testing's assertions for
Headwater frames and Series (re-exported as ``hw.testing``).

Values are compared column by column on the host: names, row count, where the
missing values are, the values elsewhere (floats within ``atol + rtol * |expected|``),
the dtypes (``check_dtype``) and the keys (``check_index``). Either side may be a
pandas object; it is converted first.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["assert_frame_equal", "assert_series_equal"]


def _headwater(obj: Any, kind: str) -> Any:
    from headwater.dataframe.frame import DataFrame
    from headwater.dataframe.series import Series

    if isinstance(obj, (DataFrame, Series)):
        return obj
    module = type(obj).__module__
    if module.startswith("pandas"):
        import pandas as pd

        if isinstance(obj, pd.DataFrame):
            out = DataFrame(obj.reset_index(drop=True))
            named = [n for n in obj.index.names if n is not None]
            if named and len(named) == obj.index.nlevels:
                keys = DataFrame(obj.index.to_frame(index=False))
                out = DataFrame._from_columns({**keys._columns, **out._columns})._with_keys(named)
            return out
        if isinstance(obj, pd.Series):
            frame = _headwater(obj.to_frame("__v__"), "frame")
            return frame["__v__"].rename(obj.name)
    raise AssertionError(f"expected a {kind}, got {type(obj).__name__}")


def _compare_columns(name: str, got: Any, want: Any, check_dtype: bool, rtol: float, atol: float) -> None:
    if len(got) != len(want):
        raise AssertionError(f"column {name!r}: {len(got)} rows, expected {len(want)}")
    if check_dtype and str(got.dtype) != str(want.dtype):
        raise AssertionError(f"column {name!r}: dtype {got.dtype}, expected {want.dtype}")
    g, w = got.to_arrow().to_pylist(), want.to_arrow().to_pylist()

    def missing(v: Any) -> bool:
        return v is None or (isinstance(v, float) and np.isnan(v))

    for i, (a, b) in enumerate(zip(g, w)):
        if missing(a) or missing(b):
            if missing(a) != missing(b):
                raise AssertionError(f"column {name!r}, row {i}: {a!r}, expected {b!r}")
            continue
        if isinstance(a, float) or isinstance(b, float):
            if not abs(float(a) - float(b)) <= atol + rtol * abs(float(b)):
                raise AssertionError(f"column {name!r}, row {i}: {a!r}, expected {b!r} (rtol={rtol}, atol={atol})")
        elif a != b:
            raise AssertionError(f"column {name!r}, row {i}: {a!r}, expected {b!r}")


def assert_frame_equal(left: Any, right: Any, check_dtype: bool = True, check_index: bool = True,
                       check_column_order: bool = True, check_exact: bool = False, rtol: float = 1e-5,
                       atol: float = 1e-8, check_names: bool = True, **unsupported: Any) -> None:
    """Raise AssertionError, naming the first difference, unless two frames are equal.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.testing.assert_frame_equal(hw.DataFrame({"a": [1.0]}), hw.DataFrame({"a": [1.0 + 1e-9]}))
    >>> hw.testing.assert_frame_equal(hw.DataFrame({"a": [1]}), hw.DataFrame({"a": [2]}))
    Traceback (most recent call last):
    ...
    AssertionError: column 'a', row 0: 1, expected 2
    """
    if unsupported:
        raise TypeError(f"assert_frame_equal: unsupported arguments {sorted(unsupported)}")
    if check_exact:
        rtol = atol = 0.0
    got, want = _headwater(left, "DataFrame"), _headwater(right, "DataFrame")
    gcols, wcols = list(got._columns), list(want._columns)
    if (gcols if check_column_order else sorted(gcols)) != (wcols if check_column_order else sorted(wcols)):
        raise AssertionError(f"columns {gcols}, expected {wcols}")
    if len(got) != len(want):
        raise AssertionError(f"{len(got)} rows, expected {len(want)}")
    if check_index:
        if list(got._keys) != list(want._keys):
            raise AssertionError(f"keys {list(got._keys)}, expected {list(want._keys)}")
        for name in got._keys:
            _compare_columns(f"key {name}", got._keys[name], want._keys[name], check_dtype, rtol, atol)
    for name in wcols:
        _compare_columns(name, got._columns[name], want._columns[name], check_dtype, rtol, atol)


def assert_series_equal(left: Any, right: Any, check_dtype: bool = True, check_index: bool = True,
                        check_names: bool = True, check_exact: bool = False, rtol: float = 1e-5,
                        atol: float = 1e-8, **unsupported: Any) -> None:
    """Raise AssertionError, naming the first difference, unless two Series are equal.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.testing.assert_series_equal(hw.Series([1, None], name="a"), hw.Series([1, None], name="a"))
    """
    if unsupported:
        raise TypeError(f"assert_series_equal: unsupported arguments {sorted(unsupported)}")
    got, want = _headwater(left, "Series"), _headwater(right, "Series")
    if check_names and got.name != want.name:
        raise AssertionError(f"name {got.name!r}, expected {want.name!r}")
    assert_frame_equal(got.to_frame("values"), want.to_frame("values"), check_dtype=check_dtype,
                       check_index=check_index, check_exact=check_exact, rtol=rtol, atol=atol)
