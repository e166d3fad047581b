"""Categorical encoders: ``OneHotEncoder`` (features) and ``LabelEncoder`` (targets).

``OneHotEncoder`` is built on the vocabularies of ``hw.features`` (the same code
as ``hw.features.OneHot`` and ``hw.get_dummies``): a frame's string column is
encoded from its dictionary codes on the device, numbers by a device
``searchsorted``; an array's columns are wrapped as columns first.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.column import build_column, column_from_host
from headwater.dataframe.features import vocab as _vocab
from headwater.dataframe.frame import DataFrame
from headwater.ml.base import BaseEstimator, check_is_fitted
from headwater.ml.errors import InputError
from headwater.ml.mixins import TransformerMixin
from headwater.ml.output import wrap
from headwater.ml.targets import decode, encode_classes, encode_with
from headwater.ml.validation import as_vector, input_kind
from headwater.tensor.devices import backend_of, get_backend
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["OneHotEncoder", "LabelEncoder"]


def _columns(est: Any, X: Any, method: str, fit: bool, features: Any) -> tuple[list[str] | None, list[Any], Any]:
    """The columns to encode (as Columns), their names (frames) and the backend."""
    if isinstance(X, DataFrame):
        if fit:
            names = list(X._columns) if features is None else ([features] if isinstance(features, str)
                                                               else list(features))
        else:
            names = [str(n) for n in est.feature_names_in_] if hasattr(est, "feature_names_in_") else list(X._columns)
        missing = [n for n in names if n not in X._columns]
        if missing:
            raise InputError(f"{type(est).__name__}.{method}: X has no column(s) {missing}; it has {list(X._columns)}")
        return names, [X._columns[n] for n in names], X._backend()
    if isinstance(X, Tensor):
        X = X.array
    if input_kind(X) == "cupy":  # a device array
        array, backend = X, backend_of(X)
        cols = [build_column(array[:, j].copy()) for j in range(array.shape[1])] if array.ndim == 2 else None
    else:
        array = np.asarray(X.to_numpy() if hasattr(X, "to_numpy") else X)
        backend = get_backend()
        if array.ndim == 2:
            cols = [column_from_host(array[:, j].astype(object) if array.dtype.kind in "OUS" else array[:, j],
                                     device=backend.name) for j in range(array.shape[1])]
        else:
            cols = None
    if cols is None:
        raise InputError(f"{type(est).__name__}.{method}: Expected 2D array, got {array.ndim}D array instead; "
                         f"reshape your data with array.reshape(-1, 1)")
    return None, cols, backend


class OneHotEncoder(TransformerMixin, BaseEstimator):
    """One indicator column per category of each feature, as ``sklearn.preprocessing.OneHotEncoder``.

    Parameters
    ----------
    categories : "auto"
        The categories are the sorted values seen in ``fit``.
    drop : {None, "first", "if_binary"}
    sparse_output : bool
        Must be False: the output is a dense device array. (scikit-learn's default
        is True; a sparse matrix would leave the device array types.)
    dtype : number type
    handle_unknown : {"error", "ignore"}
        "ignore" encodes an unseen category (or a null) as all zeros.
    output_type : str, optional

    Attributes
    ----------
    categories_ : list of host arrays, n_features_in_, feature_names_in_ (frames)

    Examples
    --------
    >>> import headwater as hw
    >>> enc = hw.ml.OneHotEncoder().fit(hw.DataFrame({"c": ["b", "a", "b"]}))
    >>> enc.transform(hw.DataFrame({"c": ["a", "b"]}))["c_a"].tolist()
    [1.0, 0.0]
    """

    _allow_nan = True
    _estimator_type = "transformer"

    def __init__(self, *, categories: Any = "auto", drop: Any = None, sparse_output: bool = False,
                 dtype: Any = np.float64, handle_unknown: str = "error", output_type: str | None = None) -> None:
        self.categories = categories
        self.drop = drop
        self.sparse_output = sparse_output
        self.dtype = dtype
        self.handle_unknown = handle_unknown
        self.output_type = output_type

    def fit(self, X: Any, y: Any = None, *, features: Any = None) -> OneHotEncoder:
        """Learn the categories of each column.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.OneHotEncoder().fit([["x", 1], ["y", 2], ["x", 2]]).categories_[0].tolist()
        ['x', 'y']
        """
        if self.sparse_output:
            raise NotImplementedError("OneHotEncoder: sparse_output=True is not supported (outputs are dense device "
                                      "arrays); pass sparse_output=False")
        if not (isinstance(self.categories, str) and self.categories == "auto"):
            raise NotImplementedError("OneHotEncoder: only categories='auto' is supported; filter the rows or "
                                      "cast to a categorical dtype to fix the categories")
        if self.handle_unknown not in ("error", "ignore"):
            raise ValueError(f"OneHotEncoder: handle_unknown={self.handle_unknown!r} must be 'error' or 'ignore'")
        if self.drop not in (None, "first", "if_binary"):
            raise NotImplementedError(f"OneHotEncoder: drop={self.drop!r} must be None, 'first' or 'if_binary'")
        names, cols, _ = _columns(self, X, "fit", True, features)
        self._vocabs = [_vocab.fit_vocabulary(c, n, "OneHotEncoder", present_only=True)
                        for c, n in zip(cols, names or [f"x{j}" for j in range(len(cols))])]
        self.categories_ = [np.asarray(v["values"].to_pylist(), dtype=object) if v["kind"] == "string"
                            else to_host(v["values"]) for v in self._vocabs]
        self.n_features_in_ = len(cols)
        if names is not None:
            self.feature_names_in_ = np.asarray(names, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        return self

    def _skip(self, j: int) -> int:
        if self.drop == "first" or (self.drop == "if_binary" and len(self.categories_[j]) == 2):
            return 1
        return 0

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """``<feature>_<category>`` for each output column.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.OneHotEncoder().fit([["x"], ["y"]]).get_feature_names_out().tolist()
        ['x0_x', 'x0_y']
        """
        check_is_fitted(self, "get_feature_names_out")
        if input_features is None:
            input_features = getattr(self, "feature_names_in_", [f"x{j}" for j in range(self.n_features_in_)])
        out = [f"{name}_{cat}" for j, name in enumerate(input_features)
               for cat in self.categories_[j].tolist()[self._skip(j):]]
        return np.asarray(out, dtype=object)

    def transform(self, X: Any) -> Any:
        """The indicator matrix ``(n, total categories)`` (a frame for a frame).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.OneHotEncoder().fit([[1], [3]]).transform([[3], [1]]).tolist()
        [[0.0, 1.0], [1.0, 0.0]]
        """
        check_is_fitted(self, "transform")
        names, cols, backend = _columns(self, X, "transform", False, None)
        if len(cols) != self.n_features_in_:
            raise InputError(f"X has {len(cols)} features, but OneHotEncoder is expecting {self.n_features_in_} "
                             f"features as input; pass the columns it was fitted on")
        xp = backend.xp
        dtype = np.dtype(self.dtype)
        blocks = []
        for j, (col, vocab) in enumerate(zip(cols, self._vocabs)):
            label = names[j] if names else f"x{j}"
            ids = _vocab.lookup(col, vocab, label, "OneHotEncoder")
            if self.handle_unknown == "error":
                unknown = int(to_host(xp.count_nonzero(ids < 0)))  # one read per column: the documented check
                if unknown:
                    raise InputError(
                        f"OneHotEncoder.transform: Found {unknown} unknown categor(y/ies) or null(s) in column "
                        f"{label!r} during transform; pass handle_unknown='ignore' to encode them as zeros, or "
                        f"impute nulls first"
                    )
            size = len(self.categories_[j])
            cats = xp.arange(self._skip(j), size)
            blocks.append((ids[:, None] == cats[None, :]).astype(dtype))
        out = xp.concatenate(blocks, axis=1) if blocks else xp.zeros((len(cols[0]), 0), dtype=dtype)
        return wrap(self, out, X, names=[str(n) for n in self.get_feature_names_out()])

    def inverse_transform(self, X: Any) -> Any:
        """Not supported: keep the original columns alongside the encoding instead.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.OneHotEncoder().inverse_transform([[1.0]])
        Traceback (most recent call last):
        ...
        NotImplementedError: OneHotEncoder.inverse_transform is not supported; keep the original columns ...
        """
        raise NotImplementedError("OneHotEncoder.inverse_transform is not supported; keep the original columns "
                                  "(ColumnTransformer(remainder='passthrough')) to read the categories back")


class LabelEncoder(TransformerMixin, BaseEstimator):
    """Encode target labels as ``0..n_classes-1`` (sorted), as ``sklearn.preprocessing.LabelEncoder``.

    Examples
    --------
    >>> import headwater as hw
    >>> le = hw.ml.LabelEncoder().fit(["paris", "tokyo", "paris"])
    >>> le.classes_.tolist(), le.transform(["tokyo"]).tolist()
    (['paris', 'tokyo'], [1])
    >>> le.inverse_transform([0]).tolist()
    ['paris']
    """

    _requires_y = True

    def __init__(self) -> None:
        pass

    def _backend(self, y: Any) -> Any:
        kind = input_kind(y)
        if kind == "series":
            return y._column.backend
        if kind in ("tensor", "cupy"):
            return backend_of(y.array if kind == "tensor" else y)
        return get_backend()

    def fit(self, y: Any) -> LabelEncoder:
        """Learn the sorted distinct labels of ``y``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.LabelEncoder().fit([3, 1, 3]).classes_.tolist()
        [1, 3]
        """
        encode_classes(self, y, self._backend(y), "fit", min_classes=0)
        return self

    def fit_transform(self, y: Any) -> Any:
        """Fit and return the ids of ``y``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.LabelEncoder().fit_transform(["b", "a", "b"]).tolist()
        [1, 0, 1]
        """
        ids = encode_classes(self, y, self._backend(y), "fit_transform", min_classes=0)
        return wrap(self, ids, y)

    def transform(self, y: Any) -> Any:
        """Ids of ``y`` in ``classes_``; a label not seen in ``fit`` is an error.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.LabelEncoder().fit([10, 20]).transform([20, 10]).tolist()
        [1, 0]
        """
        check_is_fitted(self, "transform")
        backend = self._backend(y)
        ids = encode_with(self, y, backend, "transform")
        unseen = int(to_host(backend.xp.count_nonzero(ids < 0)))
        if unseen:
            raise InputError(f"LabelEncoder.transform: y contains {unseen} previously unseen label(s); fit on "
                             f"every label (classes_ is {self.classes_.tolist()!r})")
        return wrap(self, ids, y)

    def inverse_transform(self, y: Any) -> Any:
        """Labels of the ids ``y``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.LabelEncoder().fit(["x", "y"]).inverse_transform([1, 1]).tolist()
        ['y', 'y']
        """
        check_is_fitted(self, "inverse_transform")
        backend = self._backend(y)
        ids = as_vector(self, y, backend, "inverse_transform")
        n = len(self.classes_)
        if int(to_host(backend.xp.count_nonzero((ids < 0) | (ids >= n)))):
            raise InputError(f"LabelEncoder.inverse_transform: y contains ids outside [0, {n}); pass ids "
                             f"from transform")
        return wrap(self, decode(self, ids.astype(backend.xp.int64)), y)
