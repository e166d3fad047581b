"""Dividing rows into train, validation and test, as ``split`` describes.

The split is an int8 label per row (0 train, 1 validation, 2 test), computed on the
device and applied with boolean masks, so each part keeps the original row order.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.pipelines.errors import DataError
from headwater.pipelines.schema import SplitSection
from headwater.tensor.transfer import to_host

__all__ = ["SPLITS", "split_labels", "take_split"]

SPLITS = ("train", "validation", "test")


def _random_labels(backend: Any, n: int, split: SplitSection) -> Any:
    fr = split.fractions
    n_train = int(round(fr.train * n))
    n_val = int(round(fr.validation * n))
    n_val = min(n_val, n - n_train)
    # the permutation is drawn on the host from a seeded NumPy generator, so the same
    # seed gives the same split on every device
    perm = np.random.default_rng(split.seed).permutation(n)
    labels = np.full(n, 2, dtype=np.int8)
    labels[perm[:n_train]] = 0
    labels[perm[n_train:n_train + n_val]] = 1
    return backend.to_device(labels)  # one counted upload


def _column_labels(df: Any, split: SplitSection) -> Any:
    series = df[split.column]
    values = [v for v in series.dropna().unique().to_list()]
    unknown = [v for v in values if v not in SPLITS]
    if unknown or series.null_count:
        bad = unknown[:5] + (["null"] if series.null_count else [])
        raise DataError(f"split column {split.column!r} may hold only {list(SPLITS)}, found {bad}")
    col = series._column
    xp = col.xp
    labels = xp.zeros(len(col), dtype=xp.int8)
    for k, name in enumerate(SPLITS):
        labels = xp.where((series == name).fillna(False)._column.data, k, labels)
    return labels.astype(xp.int8)


def _cutoff(col: Any, value: Any) -> Any:
    if col.kind == "datetime":
        try:
            return np.datetime64(str(value), "ns").astype(np.int64)
        except ValueError:
            raise DataError(f"cannot read {value!r} as a date for the time split; write it as 2024-06-01") from None
    if col.kind in ("int", "uint", "float"):
        return float(value)
    raise DataError(f"the time split needs a datetime or numeric column, got {col.dtype}; "
                    f"parse it with parse_dates in the data source")


def _time_labels(df: Any, split: SplitSection) -> Any:
    spec = split.time
    col = df[spec.column]._column
    xp = col.xp
    values = col.data
    labels = xp.zeros(len(col), dtype=xp.int8)
    labels = xp.where(values >= _cutoff(col, spec.validation_from), 1, labels)
    if spec.test_from is not None:
        labels = xp.where(values >= _cutoff(col, spec.test_from), 2, labels)
    if col.mask is not None:  # rows without a time stamp cannot be placed in time: train
        labels = xp.where(col.mask, labels, 0)
    return labels.astype(xp.int8)


def split_labels(df: Any, split: SplitSection) -> Any:
    """An int8 xp array: 0 train, 1 validation, 2 test, one per row of ``df``.

    Raises
    ------
    DataError
        The training part would be empty, or a split column holds other values.
    """
    n = len(df)
    if split.column is not None:
        labels = _column_labels(df, split)
    elif split.time is not None:
        labels = _time_labels(df, split)
    else:
        labels = _random_labels(df[df.columns[0]]._column.backend, n, split)
    counts = np.bincount(to_host(labels).astype(np.int64), minlength=3)
    if counts[0] == 0:
        raise DataError(f"the training split is empty ({n} rows: {counts.tolist()} train/validation/test); "
                        f"check the split section")
    return labels


def take_split(df: Any, labels: Any, which: int) -> Any:
    """The rows of ``df`` whose label is ``which`` (0, 1 or 2), in their original order."""
    from headwater.dataframe.column import build_column
    from headwater.dataframe.series import Series

    return df[Series._from_column(build_column(labels == which), "split")]
