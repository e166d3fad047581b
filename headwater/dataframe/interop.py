"""Conversions from pandas, Arrow and cuDF.

cuDF support needs ``cudf`` installed; it goes through Arrow (on the host), since cuDF
and Headwater use different device layouts for strings.
"""

from __future__ import annotations

from typing import Any

from headwater.dataframe.frame import DataFrame
from headwater.dataframe.series import Series
from headwater.tensor.devices import Device

__all__ = ["from_pandas", "from_arrow", "from_cudf", "frame_to_cudf", "series_to_cudf"]


def from_pandas(data: Any, device: str | Device | None = None) -> DataFrame | Series:
    """A DataFrame (or Series) from pandas; the index is dropped, NaN becomes null.

    Examples
    --------
    >>> import pandas as pd, headwater as hw
    >>> hw.from_pandas(pd.DataFrame({"a": [1.0, None]})).to_dict()
    {'a': [1.0, None]}
    """
    if hasattr(data, "to_frame") and not hasattr(data, "columns"):
        return Series(data, device=device)
    return DataFrame(data, device=device)


def from_arrow(data: Any, device: str | Device | None = None) -> DataFrame | Series:
    """A DataFrame from a pyarrow Table (a Series from an Array), types kept exactly.

    Examples
    --------
    >>> import pyarrow as pa, headwater as hw
    >>> hw.from_arrow(pa.table({"a": [1, None]})).to_arrow().column("a").to_pylist()
    [1, None]
    """
    import pyarrow as pa

    if isinstance(data, (pa.Array, pa.ChunkedArray)):
        return Series(data, device=device)
    return DataFrame(data, device=device)


def _cudf() -> Any:
    try:
        import cudf
    except ImportError:
        raise ImportError("cudf is not installed; install RAPIDS cudf to convert to and from it") from None
    return cudf


def from_cudf(data: Any, device: str | Device | None = None) -> DataFrame | Series:
    """A DataFrame or Series from cudf (through Arrow)."""
    _cudf()
    return from_arrow(data.to_arrow(), device=device)


def frame_to_cudf(frame: DataFrame) -> Any:
    """A cudf DataFrame with the same columns."""
    return _cudf().DataFrame.from_arrow(frame.to_arrow())


def series_to_cudf(series: Series) -> Any:
    """A cudf Series with the same values."""
    out = _cudf().Series.from_arrow(series.to_arrow())
    out.name = series.name
    return out
