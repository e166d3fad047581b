"""The dataframe layer: Arrow-layout columns on the device, Series, DataFrame and IO.

See ../shared/DESIGN.md ("Columns") and docs/internals.md for the contracts.
"""

from headwater.dataframe.concat import concat
from headwater.dataframe.dtypes import CategoricalDtype, DtypeError, StringDtype
from headwater.dataframe.errors import ColumnNotFoundError, LengthMismatchError
from headwater.dataframe.frame import DataFrame
from headwater.dataframe.interop import from_arrow, from_cudf, from_pandas
from headwater.dataframe.io import ReadError, read_csv, read_parquet
from headwater.dataframe.series import Series

__all__ = [
    "CategoricalDtype",
    "ColumnNotFoundError",
    "DataFrame",
    "DtypeError",
    "LengthMismatchError",
    "ReadError",
    "Series",
    "StringDtype",
    "concat",
    "from_arrow",
    "from_cudf",
    "from_pandas",
    "read_csv",
    "read_parquet",
]
