"""Targets: ``y`` checked for a regressor (numbers) or encoded for a classifier (labels).

A classifier learns on dense int64 ids ``0..n_classes-1`` on the device and keeps
``classes_``: a device array for numeric labels (the backend's ``factorize``), a
host NumPy array for text (a frame's string column goes through the vocabulary of
``hw.features``, which reads only its dictionary). :func:`decode` maps predicted ids
back to labels.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column.base import Column
from headwater.dataframe.features import vocab as _vocab
from headwater.ml.errors import InputError
from headwater.ml.validation import Input, as_vector, check_lengths, count_bad, on_device
from headwater.tensor.transfer import to_host

__all__ = ["regression_target", "encode_classes", "encode_with", "decode", "resolve_y", "split_target"]


def resolve_y(X: Any, y: Any) -> tuple[Any, tuple[str, ...]]:
    """``fit(df, "target")``: a string ``y`` names a column of the frame ``X``.

    Returns the target and the column names to leave out of the features.
    """
    if isinstance(y, str) and hasattr(X, "_columns"):
        if y not in X._columns:
            raise InputError(f"y={y!r} names no column of X; it has {list(X._columns)}")
        return X[y], (y,)
    return y, ()


def split_target(X: Any, y: Any) -> tuple[Any, Any]:
    """``(X without the column y names, that column)`` when ``y`` is a column name of the frame X.

    For meta-estimators (pipelines, cross-validation), whose steps must not see the
    target among the features. Any other ``y`` is returned as it is.
    """
    if isinstance(y, str) and hasattr(X, "_columns"):
        target, _ = resolve_y(X, y)
        return X[[c for c in X._columns if c != y]], target
    return X, y


def regression_target(est: Any, y: Any, inp: Input, method: str = "fit", multi_output: bool = False) -> Any:
    """``y`` as a float device array of X's rows (1-d, or 2-d when ``multi_output``).

    Examples
    --------
    >>> import numpy as np, headwater as hw
    >>> from headwater.ml.validation import check_X
    >>> from headwater.ml.targets import regression_target
    >>> est = hw.ml.LinearRegression()
    >>> regression_target(est, [1, 2], check_X(est, [[0.0], [1.0]])).dtype
    dtype('float64')
    """
    name = type(est).__name__
    if y is None:
        raise InputError(f"{name}.{method}: requires y to be passed, but the target y is None; "
                         f"pass the target values (or fit(df, y='column'))")
    values = as_vector(est, y, inp.backend, method)
    if isinstance(values, Column) or values.dtype.kind not in "biuf":
        dtype = values.dtype
        raise InputError(
            f"{name}.{method}: y has dtype {dtype}, but a regressor needs numbers; use a classifier "
            f"(hw.ml.LogisticRegression, KNeighborsClassifier) for labels, or convert y (hw.to_numeric)"
        )
    if values.ndim == 2 and not multi_output:
        raise InputError(f"{name}.{method}: y has shape {tuple(values.shape)}, but {name} fits one target; "
                         f"pass a 1-d y (one column)")
    check_lengths(est, inp.array.shape[0], values, method)
    xp = inp.backend.xp
    values = values.astype(inp.array.dtype if values.dtype.kind == "f" else xp.float64)
    if count_bad(xp, values):
        raise InputError(f"{name}.{method}: y contains NaN or infinity; drop those rows "
                         f"(df.dropna(subset=[...])) before fitting")
    return values


def _host_labels(est: Any, y: np.ndarray, method: str) -> np.ndarray:
    if y.dtype.kind == "O":
        try:
            kinds = {type(v) for v in y.tolist()}
        except Exception:
            kinds = set()
        if any(v is None or (isinstance(v, float) and v != v) for v in y.tolist()):
            raise InputError(f"{type(est).__name__}.{method}: y has missing labels (None or NaN); "
                             f"drop those rows before fitting")
        if len(kinds) > 1 and not all(issubclass(k, (int, float, np.number)) for k in kinds):
            raise InputError(f"{type(est).__name__}.{method}: y mixes label types {sorted(k.__name__ for k in kinds)}; "
                             f"use one type for every label")
        if kinds and all(issubclass(k, str) for k in kinds):
            return y.astype(str)
    return y


def encode_classes(est: Any, y: Any, inp: Input | Any, method: str = "fit", min_classes: int = 2) -> Any:
    """Ids ``0..n_classes-1`` for ``y`` on the device; sets ``est.classes_``.

    Float labels must be whole numbers ("Unknown label type: continuous"
    otherwise, as scikit-learn): a classifier is the wrong tool for a continuous y.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.ml.validation import check_X
    >>> from headwater.ml.targets import encode_classes
    >>> est = hw.ml.LogisticRegression()
    >>> ids = encode_classes(est, ["b", "a", "b"], check_X(est, [[0.0], [1.0], [2.0]]))
    >>> ids.tolist(), est.classes_.tolist()
    ([1, 0, 1], ['a', 'b'])
    """
    name = type(est).__name__
    if y is None:
        raise InputError(f"{name}.{method}: requires y to be passed, but the target y is None; "
                         f"pass the class labels (or fit(df, y='column'))")
    backend = inp.backend if isinstance(inp, Input) else inp  # an Input, or just the backend
    xp = backend.xp
    values = as_vector(est, y, backend, method)
    if isinstance(inp, Input):
        check_lengths(est, inp.array.shape[0], values, method)
    if isinstance(values, Column):
        vocab = _vocab.fit_vocabulary(values, "y", name, present_only=True)
        est.classes_ = np.asarray(vocab["values"].to_pylist(), dtype=object).astype(str)
        ids = _vocab.lookup(values, vocab, "y", name)
    elif isinstance(values, np.ndarray) and values.dtype.kind in "OUS":
        host = _host_labels(est, values, method)
        classes, host_ids = np.unique(host, return_inverse=True)
        est.classes_ = classes
        ids = on_device(backend, host_ids.astype(np.int64))
    else:
        if values.ndim != 1:
            raise InputError(f"{name}.{method}: y has shape {tuple(values.shape)}; a classifier needs one label "
                             f"per row (a 1-d y)")
        if values.dtype.kind == "f":
            if count_bad(xp, values):
                raise InputError(f"{name}.{method}: y contains NaN or infinity; drop those rows before fitting")
            if int(to_host(xp.count_nonzero(values != xp.floor(values)))):
                raise InputError(
                    f"{name}.{method}: Unknown label type: continuous. y holds non-integer numbers, which a "
                    f"classifier cannot learn as classes; use a regressor (hw.ml.Ridge, KNeighborsRegressor) "
                    f"or bin y into classes (hw.cut)"
                )
        elif values.dtype.kind not in "biu":
            raise InputError(f"{name}.{method}: Unknown label type: y has dtype {values.dtype}; pass labels")
        ids, est.classes_ = backend.factorize(values, None, sort=True)
    n_classes = len(est.classes_)
    if n_classes < min_classes:
        raise InputError(
            f"{name}.{method}: needs samples of at least {min_classes} classes in the data, but the data "
            f"contains only one class: {est.classes_.tolist()!r}; pass rows of every class"
        )
    return ids


def encode_with(est: Any, y: Any, backend: Any, method: str = "score") -> Any:
    """Ids of ``y`` in the fitted ``est.classes_`` (-1 for labels it never saw)."""
    xp = backend.xp
    values = as_vector(est, y, backend, method)
    classes = est.classes_
    if isinstance(values, Column):
        values = values.to_numpy().astype(str)
    if isinstance(classes, np.ndarray) and classes.dtype.kind in "OUS":
        host = np.asarray(values if isinstance(values, np.ndarray) else to_host(values)).astype(classes.dtype)
        pos = np.clip(np.searchsorted(classes, host), 0, len(classes) - 1)
        ids = np.where(classes[pos] == host, pos, -1).astype(np.int64)
        return on_device(backend, ids)
    if isinstance(values, np.ndarray):
        values = on_device(backend, values)
    pos = xp.clip(xp.searchsorted(classes, values), 0, len(classes) - 1)
    return xp.where(xp.take(classes, pos) == values, pos, -1)


def decode(est: Any, ids: Any) -> Any:
    """Labels of predicted ids: a device array, or a host array for text classes (one counted read)."""
    classes = est.classes_
    if isinstance(classes, np.ndarray) and classes.dtype.kind in "OUS":
        return classes[to_host(ids)]
    return classes.take(ids)
