"""Answers in the type that came in (cuML's ``output_type``).

Every estimator has an ``output_type`` parameter: ``"input"`` (the default, also
``None``) answers a frame with a frame or a Series, a Tensor with a Tensor, a CuPy
array with a CuPy array and anything else with a NumPy array; ``"numpy"``,
``"cupy"``, ``"tensor"`` and ``"dataframe"`` force one type, and ``"array"`` is the
device's own array (NumPy on the CPU, CuPy on a GPU). Only ``"numpy"`` of a device
array crosses to the host (counted). Fitted attributes (``coef_``...) stay arrays of
the device the estimator was fitted on.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column import build_column, column_from_host
from headwater.dataframe.frame import DataFrame
from headwater.dataframe.series import Series
from headwater.ml.errors import InputError
from headwater.ml.validation import Input, input_kind
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["OUTPUT_TYPES", "wrap", "check_output_type"]

OUTPUT_TYPES = ("input", "numpy", "cupy", "array", "tensor", "dataframe")


def check_output_type(est: Any) -> str:
    """The estimator's ``output_type`` (``"input"`` for None), refusing unknown ones."""
    value = getattr(est, "output_type", None)
    value = "input" if value is None else value
    if value not in OUTPUT_TYPES:
        raise ValueError(f"{type(est).__name__}: output_type={value!r} is not one of {list(OUTPUT_TYPES)}; "
                         f"'input' answers in the type of X")
    return value


def _column(array: Any) -> Any:
    if isinstance(array, np.ndarray) and array.dtype.kind in "OUS":
        return column_from_host(array.astype(object))
    return build_column(array)


def wrap(est: Any, array: Any, like: Any, names: list[str] | None = None, prefix: str = "") -> Any:
    """``array`` (a device array, or a host array of text labels) in the type ``est`` answers in.

    Parameters
    ----------
    like : Input or the X that came in
        Decides the type of an ``output_type="input"`` answer.
    names : list of str, optional
        Column names of a 2-d frame answer (default ``prefix + "0"``, ...).

    Examples
    --------
    >>> import headwater as hw
    >>> sc = hw.ml.StandardScaler().fit(hw.DataFrame({"a": [1.0, 3.0]}))
    >>> type(sc.transform(hw.DataFrame({"a": [2.0]}))).__name__
    'DataFrame'
    >>> type(hw.ml.StandardScaler(output_type="tensor").fit_transform([[1.0], [3.0]])).__name__
    'Tensor'
    """
    target = check_output_type(est)
    inp = like if isinstance(like, Input) else Input(None, None, input_kind(like), None,
                                                     like if isinstance(like, DataFrame) else None)
    if target == "input":
        target = inp.kind if inp.kind != "series" else "dataframe"
    text = isinstance(array, np.ndarray) and array.dtype.kind in "OUS"
    if target == "numpy":
        return array if isinstance(array, np.ndarray) else to_host(array)
    if target == "cupy":
        if isinstance(array, np.ndarray):
            raise InputError(f"{type(est).__name__}: output_type='cupy' needs the estimator on a GPU, but it "
                             f"ran on the CPU; use output_type='array' for the device's own array")
        return array
    if target == "array":
        return array
    if target == "tensor":
        return array if text else Tensor(array)
    if array.ndim == 1:
        return Series._from_column(_column(array), None)
    if names is None:
        names = [f"{prefix}{i}" for i in range(array.shape[1])]
    cols = {name: build_column(array[:, j].copy()) for j, name in enumerate(names)}
    if inp.frame is not None and len(inp.frame) == array.shape[0]:
        return inp.frame._from_columns(cols)  # keeps the frame's keys and row order
    return DataFrame._from_columns(cols)
