"""hwd.read_csv: one partition per CSV file, read by ``hw.read_csv`` in the task."""

from __future__ import annotations

import glob as globbing
import os
from collections.abc import Sequence
from typing import Any

from headwater.dask import collection
from headwater.dask.schema import check_same_columns
from headwater.dataframe.io.csv import read_csv as hw_read_csv

__all__ = ["read_csv"]

_SAMPLE_ROWS = 1000  # rows of the first file read to learn the columns and dtypes


def _read(path: str, reference: str, columns: list[str], kwargs: dict[str, Any]) -> Any:
    frame = hw_read_csv(path, **kwargs)
    check_same_columns(reference, columns, path, list(frame.columns))
    return frame


def read_csv(path: str | os.PathLike | Sequence[str], **kwargs: Any) -> Any:
    """Read CSV files lazily into an hwd.DataFrame, one partition per file.

    ``path`` is a file, a glob or a list of files; keyword arguments go to
    ``hw.read_csv`` for every file. The columns and dtypes are learned from the first
    rows of the first file; a file with other columns raises SchemaMismatchError
    naming the file and the column when its partition is read. Pass ``dtype=`` where
    the first rows do not show a column's type (a column that is null there).

    Examples
    --------
    >>> import headwater as hw, headwater.dask as hwd, tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> for i in range(2):
    ...     with open(os.path.join(folder, f"{i}.csv"), "w") as f:
    ...         _ = f.write(f"a,b\\n{i},x\\n{i + 5},y\\n")
    >>> d = hwd.read_csv(os.path.join(folder, "*.csv"))
    >>> d.npartitions, d.compute().to_dict()
    (2, {'a': [0, 5, 1, 6], 'b': ['x', 'y', 'x', 'y']})
    """
    for name in ("nrows", "index_col", "device"):
        if name in kwargs and kwargs[name] is not None:
            raise NotImplementedError(f"hwd.read_csv does not support {name}=; read with hw.read_csv and "
                                      "hwd.from_headwater, or select rows/keys after reading")
    if isinstance(path, (list, tuple)):
        files = [os.fspath(p) for p in path]
    else:
        path = os.fspath(path)
        files = sorted(globbing.glob(path)) if globbing.has_magic(path) else [path]
    if not files:
        raise FileNotFoundError(f"no CSV files match {path!r}")
    for f in files:
        if not os.path.isfile(f):
            raise FileNotFoundError(f"no such CSV file: {f!r}")
    meta = hw_read_csv(files[0], nrows=_SAMPLE_ROWS, **kwargs).head(0)
    columns = list(meta.columns)
    name = collection.fresh_name("read-csv", [(f, os.path.getmtime(f)) for f in files], kwargs)
    dsk = {(name, i): (_read, f, files[0], columns, kwargs) for i, f in enumerate(files)}
    return collection.new_collection(name, dsk, [], len(files), meta)
