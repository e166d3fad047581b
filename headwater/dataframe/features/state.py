"""Fitted state between the device and JSON.

An op keeps its fitted state as a dict whose leaves may be device arrays, so that
``transform`` never crosses to the host. :func:`encode` turns such a dict into JSON
values (each array one counted host copy, tagged with its dtype; NaN becomes
``null``), and :func:`decode` turns it back into host NumPy arrays, which
:func:`on_device` uploads, once, the first time a transform needs them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyarrow as pa

from headwater.tensor.backend.base import Backend
from headwater.tensor.transfer import to_host

__all__ = ["encode", "decode", "on_device", "host_values"]

_ARRAY = "__array__"
_STRINGS = "__strings__"


def _is_array(value: Any) -> bool:
    return hasattr(value, "dtype") and hasattr(value, "shape") and not isinstance(value, np.generic)


def encode(value: Any) -> Any:
    """A JSON-serialisable copy of ``value`` (dicts, lists, scalars, xp and pyarrow arrays).

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.dataframe.features.state import encode, decode
    >>> encode({"mean": np.array([1.5, np.nan])})
    {'mean': {'__array__': [1.5, None], 'dtype': 'float64'}}
    >>> decode(encode({"mean": np.array([1.5, np.nan])}))["mean"]
    array([1.5, nan])
    """
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, (pa.Array, pa.ChunkedArray)):
        return {_STRINGS: value.to_pylist()}
    if _is_array(value):
        host = to_host(value)
        items = host.tolist()
        if host.dtype.kind == "f":
            items = _nan_to_none(items)
        return {_ARRAY: items, "dtype": str(host.dtype)}
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return {"__float__": repr(value)}
    return value


def _nan_to_none(items: Any) -> Any:
    if isinstance(items, list):
        return [_nan_to_none(v) for v in items]
    if isinstance(items, float) and math.isnan(items):
        return None
    if isinstance(items, float) and math.isinf(items):
        return {"__float__": repr(items)}
    return items


def _none_to_nan(items: Any) -> Any:
    if isinstance(items, list):
        return [_none_to_nan(v) for v in items]
    if items is None:
        return math.nan
    if isinstance(items, dict) and "__float__" in items:
        return float(items["__float__"])
    return items


def decode(value: Any) -> Any:
    """The inverse of :func:`encode`; arrays come back as host NumPy arrays."""
    if isinstance(value, dict):
        if _ARRAY in value:
            dtype = np.dtype(value["dtype"])
            items = value[_ARRAY]
            if dtype.kind == "f":
                items = _none_to_nan(items)
            return np.asarray(items, dtype=dtype)
        if _STRINGS in value:
            return pa.array(value[_STRINGS], type=pa.string())
        if "__float__" in value and len(value) == 1:
            return float(value["__float__"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def on_device(state: dict[str, Any], key: str, backend: Backend) -> Any:
    """``state[key]`` as an array of ``backend``, uploading (and caching) a host array once."""
    value = state[key]
    if backend.owns(value):
        return value
    if isinstance(value, (int, float, np.generic)):  # NumPy reductions give scalars
        value = np.asarray(value)
    if not _is_array(value):
        raise TypeError(f"fitted state {key!r} is a {type(value).__name__}, not an array")
    value = backend.to_device(value if isinstance(value, np.ndarray) else to_host(value))
    state[key] = value
    return value


def host_values(value: Any) -> np.ndarray:
    """A state array in host memory (counted when it was on the device)."""
    return value if isinstance(value, np.ndarray) else to_host(value)
