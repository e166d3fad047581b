"""Input checks for ``hw.ml``: any X (frame, Tensor, array) becomes one 2-d device array.

Every estimator method starts here. ``check_X`` picks the feature columns of a
frame (``features=``, or every numeric column), refuses what an estimator cannot
use (text, NaN or null without an imputer, a wrong number of features) with a
message naming the estimator, the argument and the fix, and remembers what kind
of object came in, so that :mod:`headwater.ml.output` can answer in the same kind.

Host crossings: a NumPy array or list is uploaded once (counted) when the default
device does not hold NumPy arrays (a GPU, or the strict mode); the NaN check reads one scalar back (``count_nonzero`` of the
non-finite values), the only host read of an input check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from headwater.dataframe.column.base import Column
from headwater.dataframe.frame import DataFrame
from headwater.dataframe.series import Series
from headwater.ml.errors import InputError
from headwater.tensor.backend.base import Backend
from headwater.tensor.devices import array_device, backend_of, get_backend
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["Input", "check_X", "as_vector", "check_lengths", "numeric_columns", "input_kind", "count_bad", "check_finite",
           "on_device", "host_backend"]

_NUMERIC_KINDS = ("int", "uint", "float", "bool")
_IMPUTE = ("impute it first (hw.ml.SimpleImputer in a Pipeline, or DataFrame.fillna), "
           "or drop those rows (DataFrame.dropna)")


@dataclass
class Input:
    """One checked X: the 2-d device array, its backend, and what it came from.

    ``kind`` is ``"numpy"``, ``"cupy"``, ``"tensor"`` or ``"dataframe"``; ``frame``
    is the frame it came from (its keys carry over to frame outputs); ``names`` the
    feature names of a frame.
    """

    array: Any
    backend: Backend
    kind: str
    names: list[str] | None = None
    frame: DataFrame | None = None


def input_kind(X: Any) -> str:
    """``"dataframe"``, ``"series"``, ``"tensor"``, ``"cupy"`` (a device array: CuPy's, or the
    strict mode's) or ``"numpy"`` (anything else)."""
    if isinstance(X, DataFrame):
        return "dataframe"
    if isinstance(X, Series):
        return "series"
    if isinstance(X, Tensor):
        return "tensor"
    if array_device(X) is not None and not isinstance(X, np.ndarray):
        return "cupy"
    return "numpy"


def on_device(backend: Backend, values: Any) -> Any:
    """A host array (NumPy) as an array of ``backend``.

    The array itself where the backend holds NumPy arrays (the CPU); otherwise an
    upload, counted (a GPU, and the strict mode, whose arrays are not NumPy's).

    Examples
    --------
    >>> import numpy as np, headwater as hw
    >>> from headwater.ml.validation import on_device
    >>> on_device(hw.get_backend("cpu"), np.arange(3)).tolist()
    [0, 1, 2]
    """
    return values if backend.owns(values) else backend.to_device(values)


_host: list[Backend] = []


def host_backend() -> Backend:
    """A backend over plain NumPy arrays, for work with no device form (text labels).

    The CPU backend itself, except under the strict mode, whose CPU arrays are not
    NumPy's: there a plain NumPy backend, as on a GPU run such work is host work.

    Examples
    --------
    >>> from headwater.ml.validation import host_backend
    >>> host_backend().xp.__name__
    'numpy'
    """
    cpu = get_backend("cpu")
    if cpu.owns(np.zeros(0)):
        return cpu
    if not _host:
        from headwater.tensor.backend.cpu import NumpyBackend

        _host.append(NumpyBackend())
    return _host[0]


def numeric_columns(frame: DataFrame, exclude: tuple[str, ...] = ()) -> list[str]:
    """The frame's int, float and bool columns, in order (``exclude`` left out)."""
    return [n for n, c in frame._columns.items() if c.kind in _NUMERIC_KINDS and n not in exclude]


def _who(est: Any, method: str) -> str:
    return f"{type(est).__name__}.{method}"


def _frame_array(est: Any, frame: DataFrame, names: list[str], method: str, allow_nan: bool) -> Any:
    from headwater.dataframe.bridge import frame_to_tensor

    cols = []
    for name in names:
        if name not in frame._columns:
            raise InputError(
                f"{_who(est, method)}: X has no column {name!r}; it has {list(frame._columns)}. "
                f"Pass a frame with the columns the estimator was fitted on"
            )
        col = frame._columns[name]
        if col.kind not in _NUMERIC_KINDS:
            raise InputError(
                f"{_who(est, method)}: feature column {name!r} of X is {col.dtype}, not numeric; encode it "
                f"first (hw.ml.OneHotEncoder in a ColumnTransformer, or hw.features.Categorify) "
                f"or leave it out of features="
            )
        if not allow_nan and col.mask is not None and col.null_count:
            raise InputError(
                f"{_who(est, method)}: feature column {name!r} of X has {col.null_count} null value(s); {_IMPUTE}"
            )
        cols.append(col)
    if not allow_nan or all(c.mask is None for c in cols):
        floats = [c.data.dtype for c in cols]
        dtype = "float32" if floats and all(d == np.float32 for d in floats) else "float64"
        return frame_to_tensor(frame._columns, names, dtype).array  # one stacking copy on the device
    xp = frame._backend().xp
    out = xp.empty((len(frame), len(cols)), dtype=xp.float64)
    for j, col in enumerate(cols):  # nulls become NaN whatever the column's dtype
        values = col.data.astype(xp.float64)
        out[:, j] = values if col.mask is None else xp.where(col.mask, values, xp.nan)
    return out


def _host_array(est: Any, X: Any, method: str) -> np.ndarray:
    if hasattr(X, "to_numpy") and not isinstance(X, np.ndarray):  # pandas / polars objects
        X = X.to_numpy()
    try:
        host = np.asarray(X)
    except Exception as exc:
        raise InputError(f"{_who(est, method)}: X of type {type(X).__name__} is not array-like ({exc}); "
                         f"pass a hw.DataFrame, a Tensor or an array") from None
    return host


def _as_float(est: Any, array: Any, xp: Any, method: str, arg: str = "X") -> Any:
    kind = array.dtype.kind
    if kind == "f":
        return array if array.dtype.itemsize >= 4 else array.astype(xp.float32)
    if kind in "iub":
        return array.astype(xp.float64)
    if kind == "c":
        raise InputError(f"{_who(est, method)}: Complex data not supported in {arg}; pass its real part")
    reason = ""
    if kind == "O":
        try:
            return np.asarray(array, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            reason = f" ({exc})"
    raise InputError(
        f"{_who(est, method)}: {arg} has dtype {array.dtype}, not numeric{reason}; encode text first "
        f"(hw.ml.OneHotEncoder or hw.ml.LabelEncoder), or pass only numeric features"
    )


def count_bad(xp: Any, array: Any) -> int:
    """Number of NaN or infinite values (one scalar read from the device).

    A finite sum proves every value finite in one reduction; only a non-finite sum
    (NaN, inf, or an overflow of huge values) pays for the exact count. The sum is
    in the array's own dtype (a float64 sum of float32 data cost 1.6x as much, and an
    overflow only sends it to the exact count).
    """
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf is the signal, not a problem
        total = array.sum()
    head = to_host(xp.stack([total.astype(xp.float64)]))
    if np.isfinite(head[0]):
        return 0
    return int(to_host(xp.count_nonzero(~xp.isfinite(array))))


def check_finite(est: Any, method: str, xp: Any, array: Any) -> None:
    """Raise ``InputError`` naming the count of NaN or infinite values in ``array`` (none: return)."""
    bad = count_bad(xp, array)
    if bad:
        raise InputError(f"{_who(est, method)}: X contains NaN or infinity ({bad} value(s)); {_IMPUTE}")


def check_X(
    est: Any,
    X: Any,
    method: str = "fit",
    *,
    fit: bool | None = None,
    features: list[str] | str | None = None,
    exclude: tuple[str, ...] = (),
    allow_nan: bool | None = None,
    numeric: bool = True,
    finite: bool = True,
) -> Input:
    """Check ``X`` for ``est.method`` and return it as a 2-d float device array.

    Parameters
    ----------
    est : estimator
        Named in errors; on ``fit`` it records ``n_features_in_`` (and
        ``feature_names_in_`` for a frame), later calls check against them.
    X : hw.DataFrame, Tensor, NumPy or CuPy array, list, pandas frame
    method : str
        The method being called, for messages.
    fit : bool
        Whether this call fits (default: ``method`` starts with ``"fit"``).
    features : list of str, optional
        Frame columns to use when fitting (default: every numeric column).
    exclude : tuple of str
        Columns never taken as features (the target named by ``y="column"``).
    allow_nan : bool
        Keep NaN (and nulls, as NaN); default: the estimator's ``_allow_nan``.
    numeric : bool
        Convert to float (False keeps the dtype, for encoders).
    finite : bool
        Check for NaN and infinity here (one pass over the values). False leaves it to
        a caller whose own pass shows it (a non-finite result), which then calls
        :func:`check_finite`; nulls in a frame are refused either way.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.ml.validation import check_X
    >>> est = hw.ml.StandardScaler()
    >>> inp = check_X(est, hw.DataFrame({"a": [1, 2], "s": ["x", "y"], "b": [0.5, 1.5]}))
    >>> inp.array.shape, inp.names, inp.kind
    ((2, 2), ['a', 'b'], 'dataframe')
    """
    fit = method.startswith("fit") if fit is None else fit
    if hasattr(X, "tocsr") or type(X).__module__.startswith(("scipy.sparse", "cupyx.scipy.sparse")):
        raise TypeError(f"{_who(est, method)}: A sparse matrix was passed, but dense data is required; sparse input "
                        f"is not supported. Use X.toarray() to convert to a dense array")
    allow_nan = bool(getattr(est, "_allow_nan", False)) if allow_nan is None else allow_nan
    kind = input_kind(X)
    names = None
    frame = None
    if kind == "series":
        raise InputError(
            f"{_who(est, method)}: Expected 2D array, got a Series instead. Reshape your data: pass a frame "
            f"(series.to_frame()) or reshape your data with array.reshape(-1, 1)"
        )
    if kind == "dataframe":
        frame = X
        if fit:
            if features is not None:
                names = [features] if isinstance(features, str) else [str(f) for f in features]
            else:
                names = numeric_columns(X, exclude)
                if not names:
                    raise InputError(
                        f"{_who(est, method)}: X has no numeric column (it has {list(X._columns)}); "
                        f"encode text columns first (hw.ml.OneHotEncoder) or pass features=[...]"
                    )
        else:
            if features is not None:
                raise TypeError(f"{_who(est, method)}: features= is given to fit only; the fitted "
                                f"estimator uses feature_names_in_")
            fitted = getattr(est, "feature_names_in_", None)
            names = [str(n) for n in fitted] if fitted is not None else numeric_columns(X, exclude)
        if numeric:
            array = _frame_array(est, X, names, method, allow_nan)
        else:
            array = None
        backend = X._backend()
    else:
        if features is not None:
            raise TypeError(f"{_who(est, method)}: features= selects frame columns, but X is a {kind} array; "
                            f"select the columns yourself or pass a hw.DataFrame")
        if kind == "tensor":
            array = X.array
            backend = backend_of(array)
            if not backend.owns(array):  # NumPy memory in a strict-mode Tensor: onto the device
                array = on_device(backend, array)
        elif kind == "cupy":
            array = X
            backend = backend_of(array)
        else:
            if hasattr(X, "columns") and fit:
                cols = list(X.columns)
                if all(isinstance(c, str) for c in cols):
                    names = cols
            host = _host_array(est, X, method)
            if numeric:
                host = _as_float(est, host, np, method)
            backend = get_backend()
            array = on_device(backend, host)
        if numeric:
            array = _as_float(est, array, backend.xp, method)
    if array is not None:
        if array.ndim == 1:
            raise InputError(
                f"{_who(est, method)}: Expected 2D array, got 1D array instead. Reshape your data either "
                f"using array.reshape(-1, 1) if it has a single feature or array.reshape(1, -1) if it "
                f"contains a single sample"
            )
        if array.ndim != 2:
            raise InputError(f"{_who(est, method)}: X must be 2-d (rows, features), got {array.ndim}-d; "
                             f"reshape it to (n_samples, n_features)")
        if array.shape[0] == 0:
            raise InputError(f"{_who(est, method)}: Found array with 0 sample(s) (shape={tuple(array.shape)}) "
                             f"while a minimum of 1 is required; pass at least one row")
        if array.shape[1] == 0:
            raise InputError(f"{_who(est, method)}: Found array with 0 feature(s) (shape={tuple(array.shape)}) "
                             f"while a minimum of 1 is required; pass at least one feature column")
        if numeric and not allow_nan and finite:
            check_finite(est, method, backend.xp, array)
    n_features = len(names) if names is not None else int(array.shape[1])
    if fit:
        est.n_features_in_ = n_features
        if names is not None:
            est.feature_names_in_ = np.asarray(names, dtype=object)
        elif hasattr(est, "feature_names_in_"):
            del est.feature_names_in_
    else:
        expected = getattr(est, "n_features_in_", None)
        if expected is not None and n_features != expected:
            raise InputError(
                f"X has {n_features} features, but {type(est).__name__} is expecting {expected} features "
                f"as input; pass the same feature columns as in fit"
            )
    return Input(array, backend, kind, names, frame)


def as_vector(est: Any, y: Any, backend: Backend, method: str = "fit", arg: str = "y") -> Any:
    """``y`` as a 1-d device array, a Column (frame text), or a host array of labels.

    A Series gives its column (nulls refused); a Tensor or CuPy array its array; a
    NumPy array of numbers is uploaded onto ``backend`` (counted on a GPU); text and
    object labels stay a host NumPy array. A column vector ``(n, 1)`` is flattened.
    """
    if isinstance(y, DataFrame):
        if len(y.columns) != 1:
            raise InputError(f"{_who(est, method)}: {arg} is a frame with {len(y.columns)} columns; "
                             f"pass one column (df['target']) or name it: fit(df, y='target')")
        y = y[list(y.columns)[0]]
    if isinstance(y, Series):
        col: Column = y._column
        if col.mask is not None and col.null_count:
            raise InputError(f"{_who(est, method)}: {arg} has {col.null_count} null value(s); drop those rows "
                             f"(df.dropna(subset=[...])) or fill them before fitting")
        if col.kind in _NUMERIC_KINDS:
            return col.data
        if col.kind in ("string", "categorical"):
            return col
        raise InputError(f"{_who(est, method)}: {arg} has dtype {col.dtype}; pass numbers or labels")
    if isinstance(y, Tensor):
        y = y.array
    if array_device(y) is None:
        if hasattr(y, "to_numpy"):
            y = y.to_numpy()
        y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.reshape(-1)
    if y.ndim == 0:
        raise InputError(f"{_who(est, method)}: {arg} is a scalar; pass one value per row of X")
    if isinstance(y, np.ndarray) and y.dtype.kind in "biufc":
        return on_device(backend, y)
    return y


def check_lengths(est: Any, n_rows: int, y: Any, method: str = "fit", arg: str = "y") -> None:
    """Refuse a ``y`` (or ``sample_weight``) whose length differs from X's rows."""
    n = len(y)
    if n != n_rows:
        raise InputError(
            f"{_who(est, method)}: Found input variables with inconsistent numbers of samples: {arg} has "
            f"{n} rows but X has {n_rows}; pass the target of the same rows as X"
        )
