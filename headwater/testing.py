"""``hw.testing``: assertions for tests, as ``torch.testing`` (and, for frames,
``pandas.testing``).

``assert_close`` compares Tensors, NumPy arrays, numbers and (nested) sequences or
mappings of them with torch's rules: same type, shape, dtype and device, values
within ``atol + rtol * |expected|`` with defaults by dtype.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from headwater.dataframe.testing import assert_frame_equal, assert_series_equal
from headwater.tensor.tensor import Tensor

__all__ = ["assert_close", "assert_frame_equal", "assert_series_equal"]

# torch's default tolerances (rtol, atol) by dtype; exact for integers and bool
_TOLERANCES = {
    np.dtype("float16"): (1e-3, 1e-5),
    np.dtype("float32"): (1.3e-6, 1e-5),
    np.dtype("float64"): (1e-7, 1e-7),
}


def _fail(message: str, msg: Any, where: list) -> AssertionError:
    if msg is not None:
        return AssertionError(msg if isinstance(msg, str) else msg(message))
    if where:
        message += "\n\nThe failure occurred for item " + "".join(f"[{k!r}]" for k in where)
    return AssertionError(message)


def _worst(values: np.ndarray, bad: np.ndarray) -> tuple:
    """The index of the largest mismatch (NaN counting as the largest)."""
    score = np.where(bad, np.nan_to_num(values, nan=np.inf), -np.inf)
    return np.unravel_index(int(np.argmax(score)), bad.shape) if bad.ndim else ()


def _compare_arrays(actual: np.ndarray, expected: np.ndarray, rtol: float | None, atol: float | None,
                    equal_nan: bool, msg: Any, where: list) -> None:
    if actual.shape != expected.shape:
        raise _fail(f"The values for attribute 'shape' do not match: {actual.shape} != {expected.shape}.",
                    msg, where)
    if rtol is None:
        rtol, atol = _TOLERANCES.get(actual.dtype, (0.0, 0.0))
        rtol_e, atol_e = _TOLERANCES.get(expected.dtype, (0.0, 0.0))
        rtol, atol = max(rtol, rtol_e), max(atol, atol_e)
    exact = rtol == 0 and atol == 0
    a = actual.astype(np.float64) if actual.dtype.kind in "biuf" else actual
    e = expected.astype(np.float64) if expected.dtype.kind in "biuf" else expected
    with np.errstate(invalid="ignore", divide="ignore"):
        diff = np.abs(a - e)
        close = diff <= atol + rtol * np.abs(e)
        close |= a == e  # equal infinities
        if equal_nan:
            close |= np.isnan(a) & np.isnan(e)
        if close.all():
            return
        bad = ~close
        rel = diff / np.abs(e)
    n_bad, n = int(bad.sum()), bad.size
    worst_abs, worst_rel = _worst(diff, bad), _worst(rel, bad)
    kind = "equal" if exact else "close"
    lines = [f"Tensor-likes are not {kind}!", "",
             f"Mismatched elements: {n_bad} / {n} ({100.0 * n_bad / n:.1f}%)"]
    abs_v, rel_v = diff[worst_abs], rel[worst_rel]
    if exact:
        lines += [f"Greatest absolute difference: {abs_v} at index {tuple(int(i) for i in worst_abs)}",
                  f"Greatest relative difference: {rel_v} at index {tuple(int(i) for i in worst_rel)}"]
    else:
        lines += [f"Greatest absolute difference: {abs_v} at index {tuple(int(i) for i in worst_abs)} "
                  f"(up to {atol} allowed)",
                  f"Greatest relative difference: {rel_v} at index {tuple(int(i) for i in worst_rel)} "
                  f"(up to {rtol} allowed)"]
    raise _fail("\n".join(lines), msg, where)


def _compare(actual: Any, expected: Any, rtol: float | None, atol: float | None, equal_nan: bool,
             check_device: bool, check_dtype: bool, msg: Any, where: list) -> None:
    if isinstance(actual, Tensor) or isinstance(expected, Tensor):
        if not (isinstance(actual, Tensor) and isinstance(expected, Tensor)):
            raise TypeError(
                f"assert_close compares a Tensor only with a Tensor, got {type(actual).__name__} and "
                f"{type(expected).__name__}; wrap the other side with hw.tensor(...)"
            )
        if check_device and actual.device != expected.device:
            raise _fail(f"The values for attribute 'device' do not match: {actual.device} != "
                        f"{expected.device}.", msg, where)
        if check_dtype and actual.dtype != expected.dtype:
            raise _fail(f"The values for attribute 'dtype' do not match: {actual.dtype} != "
                        f"{expected.dtype}.", msg, where)
        _compare_arrays(actual.detach().cpu().numpy(), expected.detach().cpu().numpy(), rtol, atol,
                        equal_nan, msg, where)
        return
    if isinstance(actual, np.ndarray) or isinstance(expected, np.ndarray):
        if not (isinstance(actual, np.ndarray) and isinstance(expected, np.ndarray)):
            raise TypeError(f"assert_close compares an array only with an array, got "
                            f"{type(actual).__name__} and {type(expected).__name__}")
        if check_dtype and actual.dtype != expected.dtype:
            raise _fail(f"The values for attribute 'dtype' do not match: {actual.dtype} != "
                        f"{expected.dtype}.", msg, where)
        _compare_arrays(actual, expected, rtol, atol, equal_nan, msg, where)
        return
    if isinstance(actual, Mapping) and isinstance(expected, Mapping):
        if set(actual) != set(expected):
            raise _fail(f"The keys of the mappings do not match: {sorted(map(str, actual))} != "
                        f"{sorted(map(str, expected))}.", msg, where)
        for key in actual:
            _compare(actual[key], expected[key], rtol, atol, equal_nan, check_device, check_dtype, msg,
                     [*where, key])
        return
    if (isinstance(actual, Sequence) and isinstance(expected, Sequence)
            and not isinstance(actual, str) and not isinstance(expected, str)):
        if len(actual) != len(expected):
            raise _fail(f"The length of the sequences mismatch: {len(actual)} != {len(expected)}",
                        msg, where)
        for i, (a, e) in enumerate(zip(actual, expected)):
            _compare(a, e, rtol, atol, equal_nan, check_device, check_dtype, msg, [*where, i])
        return
    if isinstance(actual, (bool, int, float)) and isinstance(expected, (bool, int, float)):
        if check_dtype and type(actual) is not type(expected):
            raise _fail(f"The (d)types do not match: {type(actual)} != {type(expected)}.", msg, where)
        dtype = np.float64 if isinstance(actual, float) or isinstance(expected, float) else np.int64
        _compare_arrays(np.asarray(actual, dtype=dtype), np.asarray(expected, dtype=dtype), rtol, atol,
                        equal_nan, msg, where)
        return
    raise TypeError(f"assert_close cannot compare {type(actual).__name__} with {type(expected).__name__}; "
                    f"use Tensors, arrays, numbers, or sequences and mappings of them")


def assert_close(actual: Any, expected: Any, *, rtol: float | None = None, atol: float | None = None,
                 equal_nan: bool = False, check_device: bool = True, check_dtype: bool = True,
                 msg: Any = None) -> None:
    """Raise ``AssertionError`` unless ``actual`` and ``expected`` are close, as
    ``torch.testing.assert_close``.

    Parameters
    ----------
    actual, expected : Tensor, numpy.ndarray, number, or a sequence/mapping of them
        Compared element by element: same type, shape and (unless ``check_dtype=False``)
        dtype; Tensors also on the same device (unless ``check_device=False``).
    rtol, atol : float, optional
        Give both or neither. By default by dtype: float16 (1e-3, 1e-5), float32
        (1.3e-6, 1e-5), float64 (1e-7, 1e-7), exact for integers and bool.
    equal_nan : bool
        NaN equals NaN.
    msg : str or callable, optional
        Replaces the message (a callable gets the default message).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.testing.assert_close(hw.tensor([1.0, 2.0]), hw.tensor([1.0, 2.0 + 1e-7]))
    >>> try:
    ...     hw.testing.assert_close(hw.tensor([1.0]), hw.tensor([1.1]))
    ... except AssertionError as exc:
    ...     print(str(exc).splitlines()[0])
    Tensor-likes are not close!
    """
    if (rtol is None) != (atol is None):
        missing = "atol" if atol is None else "rtol"
        raise ValueError(f"Both 'rtol' and 'atol' must be either specified or omitted, but got no {missing}.")
    _compare(actual, expected, rtol, atol, equal_nan, check_device, check_dtype, msg, [])
