"""An ``hw.ml`` estimator as plain JSON: its parameters and its fitted arrays (no pickle).

``estimator_to_dict`` keeps the constructor parameters (JSON values) and every
fitted attribute (names ending in ``_``): device arrays as ``{"dtype", "shape",
"data"}`` (one counted host copy each), text arrays as lists, scalars as they are.
``estimator_from_dict`` rebuilds the estimator on the default device.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.ml.validation import on_device
from headwater.tensor.devices import get_backend
from headwater.tensor.transfer import to_host

__all__ = ["estimator_to_dict", "estimator_from_dict"]


def _encode(value: Any) -> Any:
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    if isinstance(value, np.ndarray) and value.dtype.kind in "OUS":
        return {"strings": [str(v) for v in value.tolist()]}
    if hasattr(value, "dtype") and hasattr(value, "shape"):
        host = to_host(value)
        return {"dtype": str(host.dtype), "shape": list(host.shape), "data": host.reshape(-1).tolist()}
    if isinstance(value, (list, tuple)) and all(isinstance(v, (bool, int, float, str)) for v in value):
        return list(value)
    raise TypeError(f"cannot save a value of type {type(value).__name__} as JSON")


def _decode(value: Any, backend: Any) -> Any:
    if isinstance(value, dict) and "strings" in value:
        return np.asarray(value["strings"])
    if isinstance(value, dict) and "dtype" in value:
        host = np.asarray(value["data"], dtype=value["dtype"]).reshape(value["shape"])
        return on_device(backend, host)
    return value


def estimator_to_dict(est: Any) -> dict[str, Any]:
    """``{"class", "params", "fitted"}`` of a fitted ``hw.ml`` estimator.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.ml.serialization import estimator_to_dict, estimator_from_dict
    >>> m = hw.ml.Ridge(alpha=0.5).fit([[0.0], [1.0]], [0.0, 1.0])
    >>> again = estimator_from_dict(estimator_to_dict(m))
    >>> again.alpha, again.predict([[2.0]]).round(4).tolist() == m.predict([[2.0]]).round(4).tolist()
    (0.5, True)
    """
    fitted = {k: _encode(v) for k, v in vars(est).items() if k.endswith("_") and not k.startswith("__")}
    return {"class": type(est).__name__, "params": {k: _encode(v) for k, v in est.get_params(deep=False).items()},
            "fitted": fitted}


def estimator_from_dict(d: dict[str, Any]) -> Any:
    """The estimator :func:`estimator_to_dict` described, fitted attributes on the default device."""
    import headwater.ml as ml

    cls = getattr(ml, d["class"], None)
    if cls is None or not isinstance(cls, type):
        raise ValueError(f"{d['class']!r} is not an hw.ml estimator")
    est = cls(**d["params"])
    backend = get_backend()
    for key, value in d["fitted"].items():
        setattr(est, key, _decode(value, backend))
    return est
