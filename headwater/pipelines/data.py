"""Reading the ``data`` section: sources, joins, and the schema check before the run.

Paths resolve against the folder of the YAML file, so a pipeline runs from any
working directory. :func:`source_schema` reads only the column names and types
(Parquet footers, the first block of a CSV), which lets the runner report a missing
file or column before any real work starts.
"""

from __future__ import annotations

import glob as _glob
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from headwater.pipelines.errors import DataError
from headwater.pipelines.schema import DataSection, Join, Source

__all__ = ["resolve_files", "source_format", "source_schema", "read_source", "load_data", "joined_columns"]


def resolve_files(source: Source, base_dir: Path) -> list[Path]:
    """The files a source names: one file, a glob, or a directory of Parquet files.

    Raises
    ------
    DataError
        Nothing matches.
    """
    pattern = Path(source.path).expanduser()
    if not pattern.is_absolute():
        pattern = base_dir / pattern
    if pattern.is_dir():
        files = sorted(p for p in pattern.iterdir() if p.suffix in (".parquet", ".pq", ".csv"))
    elif any(ch in str(pattern) for ch in "*?["):
        files = sorted(Path(p) for p in _glob.glob(str(pattern)))
    else:
        files = [pattern] if pattern.exists() else []
    if not files:
        raise DataError(f"no file matches {source.path!r} (looked for {pattern})")
    return files


def source_format(source: Source, files: list[Path]) -> str:
    """``csv`` or ``parquet``: the declared format, else the files' suffix."""
    if source.format:
        return source.format
    suffix = files[0].suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    raise DataError(f"cannot tell the format of {files[0].name} from its suffix; add format: csv or format: parquet")


def _csv_options(source: Source) -> tuple[pacsv.ReadOptions, pacsv.ParseOptions, pacsv.ConvertOptions]:
    convert: dict[str, Any] = {}
    if source.na_values is not None:
        convert["null_values"] = list(source.na_values)
        convert["strings_can_be_null"] = True
    else:
        convert["strings_can_be_null"] = True
    return pacsv.ReadOptions(), pacsv.ParseOptions(delimiter=source.sep), pacsv.ConvertOptions(**convert)


def source_schema(source: Source, base_dir: Path) -> list[str]:
    """Column names of a source, read from the first file's header or footer only."""
    files = resolve_files(source, base_dir)
    fmt = source_format(source, files)
    try:
        if fmt == "parquet":
            names = list(pq.read_schema(files[0]).names)
        else:
            read, parse, convert = _csv_options(source)
            with pacsv.open_csv(files[0], read_options=read, parse_options=parse, convert_options=convert) as reader:
                names = list(reader.schema.names)
    except (pa.ArrowInvalid, OSError) as exc:
        raise DataError(f"cannot read {files[0]}: {exc}") from None
    if source.columns is not None:
        missing = [c for c in source.columns if c not in names]
        if missing:
            raise DataError(f"{files[0].name} has no column(s) {missing}; its columns are {names}")
        names = list(source.columns)
    return names


def read_source(source: Source, base_dir: Path, device: Any = None) -> Any:
    """Read a source into a DataFrame (several files are concatenated)."""
    from headwater.dataframe.concat import concat
    from headwater.dataframe.io.csv import read_csv
    from headwater.dataframe.io.parquet import read_parquet

    files = resolve_files(source, base_dir)
    fmt = source_format(source, files)
    try:
        if fmt == "parquet":
            arg = [str(f) for f in files] if len(files) > 1 else str(files[0])
            return read_parquet(arg, columns=source.columns)
        kwargs: dict[str, Any] = {"sep": source.sep}
        if source.columns is not None:
            kwargs["columns"] = source.columns
        if source.na_values is not None:
            kwargs["na_values"] = list(source.na_values)
        if source.parse_dates:
            kwargs["parse_dates"] = list(source.parse_dates)
        if source.dtype:
            kwargs["dtype"] = dict(source.dtype)
        frames = [read_csv(str(f), **kwargs) for f in files]
    except DataError:
        raise
    except (OSError, ValueError, KeyError, pa.ArrowException) as exc:
        raise DataError(f"cannot read {source.path}: {exc}") from None
    return frames[0] if len(frames) == 1 else concat(frames, ignore_index=True)


def _keys(join: Join) -> tuple[list[str], list[str]]:
    if join.on is not None:
        return list(join.on), list(join.on)
    return list(join.left_on or []), list(join.right_on or [])


def joined_columns(left: list[str], right: list[str], join: Join) -> list[str]:
    """The columns after ``join`` (pandas' rule: clashing names get the suffixes).

    Examples
    --------
    >>> from headwater.pipelines.schema import Join
    >>> joined_columns(["id", "x"], ["id", "x", "y"], Join(right="r", on=["id"]))
    ['id', 'x', 'x_right', 'y']
    """
    left_keys, right_keys = _keys(join)
    shared_keys = {r for l_, r in zip(left_keys, right_keys) if l_ == r}
    rest = [c for c in right if c not in shared_keys]
    clash = set(left) & set(rest)
    ls, rs = join.suffixes
    out = [f"{c}{ls}" if c in clash else c for c in left]
    out += [f"{c}{rs}" if c in clash else c for c in rest]
    return out


def load_data(data: DataSection, base_dir: Path) -> Any:
    """Read every source and apply the joins in order; returns the main (first) table."""
    names = list(data.sources)
    frames = {name: read_source(data.sources[name], base_dir) for name in names}
    for join in data.joins:
        left = join.left or names[0]
        left_on, right_on = _keys(join)
        kwargs: dict[str, Any] = {"how": join.how, "suffixes": tuple(join.suffixes)}
        if join.on is not None:
            kwargs["on"] = left_on
        else:
            kwargs["left_on"], kwargs["right_on"] = left_on, right_on
        frames[left] = frames[left].merge(frames[join.right], **kwargs)
    return frames[names[0]]
