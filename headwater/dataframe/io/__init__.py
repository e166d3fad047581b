"""Reading and writing CSV and Parquet through pyarrow (JSON and Excel through pandas),
then one device copy per buffer."""

from headwater.dataframe.io.csv import read_csv, write_csv
from headwater.dataframe.io.errors import ReadError
from headwater.dataframe.io.host_readers import read_excel, read_json
from headwater.dataframe.io.parquet import read_parquet, write_parquet

__all__ = ["read_csv", "write_csv", "read_excel", "read_json", "read_parquet", "write_parquet", "ReadError"]
