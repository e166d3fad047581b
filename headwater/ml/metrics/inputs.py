"""Metric inputs: labels, scores and weights of any kind as arrays of one device.

Metrics compute where their inputs live: NumPy arrays and lists on the CPU
(never uploaded), Tensors, CuPy arrays and frame columns on their device. Text
labels stay host arrays. The scalar a metric returns is one counted host read.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column.base import Column
from headwater.dataframe.frame import DataFrame
from headwater.dataframe.series import Series
from headwater.ml.validation import host_backend, on_device
from headwater.tensor.devices import array_device, backend_of
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["as_arrays", "encode_pair", "to_float", "check_same_length"]


def _one(value: Any, who: str) -> Any:
    if isinstance(value, DataFrame):
        if len(value.columns) == 1:
            value = value[list(value.columns)[0]]
        else:
            return value.to_tensor(dtype="float64").array
    if isinstance(value, Series):
        col: Column = value._column
        if col.mask is not None and col.null_count:
            raise ValueError(f"{who}: input has {col.null_count} null value(s); drop those rows first")
        if col.kind in ("string", "categorical"):
            return col.to_numpy().astype(str)
        return col.data
    if isinstance(value, Tensor):
        return value.array
    if isinstance(value, np.ndarray) or array_device(value) is not None:
        return value
    if hasattr(value, "to_numpy"):
        return np.asarray(value.to_numpy())
    return np.asarray(value)


def as_arrays(*values: Any, who: str = "metric") -> tuple[Any, list[Any]]:
    """The backend and the arrays of ``values`` (None stays None), all on one device.

    A host NumPy array next to a device array is uploaded (counted); text labels stay
    on the host, with numeric partners brought to the host too.
    """
    arrays = [None if v is None else _one(v, who) for v in values]
    text = any(isinstance(a, np.ndarray) and a.dtype.kind in "OUS" for a in arrays if a is not None)
    if text:
        host = [None if a is None else (a if isinstance(a, np.ndarray) else to_host(a)) for a in arrays]
        return host_backend(), host
    device = [a for a in arrays if a is not None and not isinstance(a, np.ndarray)]
    backend = backend_of(*device) if device else host_backend()
    arrays = [on_device(backend, a) if isinstance(a, np.ndarray) else a for a in arrays]
    return backend, arrays


def check_same_length(who: str, **arrays: Any) -> None:
    """Refuse inputs of different lengths, naming them."""
    lengths = {k: len(v) for k, v in arrays.items() if v is not None}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{k} has {n}" for k, n in lengths.items())
        raise ValueError(f"{who}: Found input variables with inconsistent numbers of samples ({detail}); "
                         f"pass one value per row to each")


def encode_pair(backend: Any, y_true: Any, y_pred: Any, labels: Any = None) -> tuple[Any, Any, Any]:
    """Ids of both label arrays in their sorted union (or in ``labels``, -1 outside it).

    Returns ``(true_ids, pred_ids, labels)``.
    """
    xp = backend.xp
    if y_true.ndim != 1 or y_pred.ndim != 1:
        raise ValueError(f"expected 1-d label arrays, got shapes {tuple(y_true.shape)} and {tuple(y_pred.shape)}; "
                         f"multilabel and multioutput targets are not supported: pass one label per row")
    if y_true.dtype.kind in "OUS" or y_pred.dtype.kind in "OUS":
        y_true, y_pred = y_true.astype(str), y_pred.astype(str)
    if labels is None:
        labels = xp.unique(xp.concatenate([y_true, y_pred]))
    else:
        labels = np.asarray(labels)
        if labels.dtype.kind in "OUS" or y_true.dtype.kind in "OUS":
            labels = labels.astype(str)
        else:
            labels = on_device(backend, labels)

    def ids(values: Any) -> Any:
        order = xp.argsort(labels)
        ordered = labels[order]
        pos = xp.clip(xp.searchsorted(ordered, values), 0, len(labels) - 1)
        hit = ordered[pos] == values
        return xp.where(hit, order[pos], -1)

    return ids(y_true), ids(y_pred), labels


def to_float(value: Any) -> float:
    """A device scalar as a Python float (one counted host read)."""
    return float(to_host(value))
