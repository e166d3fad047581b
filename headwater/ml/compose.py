"""``ColumnTransformer``: different transformers for different columns, side by side.

Columns are chosen by name (frames) or position (arrays); each transformer's
output becomes a block of columns on the device, and the blocks are concatenated
in the order the transformers are listed (the remainder last).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.dataframe.frame import DataFrame
from headwater.ml.base import BaseEstimator, check_is_fitted, clone
from headwater.ml.errors import InputError
from headwater.ml.mixins import TransformerMixin
from headwater.ml.output import wrap
from headwater.ml.validation import check_X, on_device
from headwater.tensor.devices import array_device, backend_of
from headwater.tensor.tensor import Tensor

__all__ = ["ColumnTransformer", "make_column_transformer"]


def _as_matrix(out: Any) -> Any:
    """A transformer's output as a device array (frames with NaN for nulls)."""
    if isinstance(out, DataFrame):
        from headwater.dataframe.bridge import frame_to_tensor

        return frame_to_tensor(out._columns, list(out._columns), "float64", float("nan")).array
    if isinstance(out, Tensor):
        return out.array
    return out


class ColumnTransformer(TransformerMixin, BaseEstimator):
    """Apply transformers to column subsets and concatenate their outputs.

    Parameters
    ----------
    transformers : list of (name, transformer, columns)
        ``transformer`` is an estimator, ``"drop"`` or ``"passthrough"``;
        ``columns`` a name, a list of names (frames), or int positions.
    remainder : {"drop", "passthrough"} or estimator
        What happens to the columns no transformer names.
    verbose_feature_names_out : bool
        Prefix output names with the transformer's name (``"scale__x"``).
    output_type : str, optional

    Attributes
    ----------
    transformers_, named_transformers_, n_features_in_, feature_names_in_ (frames)

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"x": [1.0, 3.0], "c": ["a", "b"]})
    >>> ct = hw.ml.ColumnTransformer([("num", hw.ml.StandardScaler(), ["x"]),
    ...                               ("cat", hw.ml.OneHotEncoder(), ["c"])])
    >>> out = ct.fit_transform(df)
    >>> list(out.columns), out["num__x"].tolist()
    (['num__x', 'cat__c_a', 'cat__c_b'], [-1.0, 1.0])
    """

    _allow_nan = True

    def __init__(self, transformers: list[tuple[str, Any, Any]], *, remainder: Any = "drop",
                 verbose_feature_names_out: bool = True, output_type: str | None = None) -> None:
        self.transformers = transformers
        self.remainder = remainder
        self.verbose_feature_names_out = verbose_feature_names_out
        self.output_type = output_type

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The parameters, and with ``deep`` each transformer by name and its parameters."""
        out = super().get_params(deep=False)
        if deep:
            for name, trans, _ in self.transformers:
                out[name] = trans
                if hasattr(trans, "get_params"):
                    out.update((f"{name}__{k}", v) for k, v in trans.get_params(deep=True).items())
        return out

    def set_params(self, **params: Any) -> ColumnTransformer:
        """Set parameters; a transformer's name replaces it, ``name__param`` reaches into it."""
        names = [t[0] for t in self.transformers]
        for name in [k for k in params if k in names]:
            i = names.index(name)
            self.transformers[i] = (name, params.pop(name), self.transformers[i][2])
        nested: dict[str, dict[str, Any]] = {}
        for key in list(params):
            name, sep, sub = key.partition("__")
            if sep and name in names:
                nested.setdefault(name, {})[sub] = params.pop(key)
        for name, sub in nested.items():
            self.transformers[names.index(name)][1].set_params(**sub)
        return super().set_params(**params) if params else self

    def _all_columns(self, X: Any) -> list[Any]:
        if isinstance(X, DataFrame):
            return list(X._columns)
        return list(range(int(X.shape[1])))

    def _resolve(self, X: Any, columns: Any) -> list[Any]:
        names = self._all_columns(X)
        if isinstance(columns, (str, int, np.integer)):
            columns = [columns]
        elif isinstance(columns, slice):
            return names[columns]
        elif callable(columns):
            columns = columns(X)
        out = []
        for c in columns:
            if isinstance(c, (int, np.integer)) and isinstance(X, DataFrame):
                out.append(names[int(c)])
            elif c not in names:
                raise InputError(f"ColumnTransformer: column {c!r} is not in X; it has {names}")
            else:
                out.append(c)
        return out

    def _select(self, X: Any, cols: list[Any]) -> Any:
        if isinstance(X, DataFrame):
            return X[cols]
        if isinstance(X, Tensor):
            return Tensor(X.array[:, cols])
        array = X if isinstance(X, np.ndarray) or array_device(X) is not None else np.asarray(X)
        return array[:, cols]

    def _plan(self, X: Any) -> list[tuple[str, Any, list[Any]]]:
        used: list[Any] = []
        plan = []
        for name, trans, columns in self.transformers:
            cols = self._resolve(X, columns)
            used += cols
            plan.append((name, trans, cols))
        rest = [c for c in self._all_columns(X) if c not in used]
        if rest and not (isinstance(self.remainder, str) and self.remainder == "drop"):
            plan.append(("remainder", self.remainder, rest))
        return plan

    def _names_out(self, name: str, trans: Any, cols: list[Any], width: int) -> list[str]:
        if isinstance(trans, str) and trans == "passthrough":
            inner = [str(c) if not isinstance(c, int) else f"x{c}" for c in cols]
        elif hasattr(trans, "get_feature_names_out"):
            inner = [str(n) for n in trans.get_feature_names_out()]
        else:
            inner = [f"{type(trans).__name__.lower()}{i}" for i in range(width)]
        return [f"{name}__{n}" for n in inner] if self.verbose_feature_names_out else inner

    def _run(self, X: Any, y: Any, fit: bool) -> Any:
        blocks, names, fitted = [], [], []
        for name, trans, cols in (self._plan(X) if fit else self.transformers_):
            if isinstance(trans, str) and trans == "drop":
                fitted.append((name, trans, cols))
                continue
            sub = self._select(X, cols)
            if isinstance(trans, str) and trans == "passthrough":
                est = trans
                out = _as_matrix(sub) if isinstance(sub, DataFrame) else \
                    check_X(self, sub, "transform", fit=False, allow_nan=True).array
            else:
                est = clone(trans) if fit else trans
                out = _as_matrix(est.fit_transform(sub, y) if fit else est.transform(sub))
            if out.ndim == 1:
                out = out[:, None]
            blocks.append(out)
            names += self._names_out(name, est, cols, out.shape[1])
            fitted.append((name, est, cols))
        if not blocks:
            raise InputError("ColumnTransformer: no transformer produced columns; name some columns or use "
                             "remainder='passthrough'")
        if fit:
            self.transformers_ = fitted
            self.named_transformers_ = {n: t for n, t, _ in fitted}
            self._names = names
        backend = backend_of(*blocks)  # host blocks next to device ones are uploaded (counted)
        blocks = [on_device(backend, b) if isinstance(b, np.ndarray) else b for b in blocks]
        dtype = np.result_type(*[b.dtype for b in blocks])
        return backend.xp.concatenate([b.astype(dtype) for b in blocks], axis=1), names

    def fit(self, X: Any, y: Any = None) -> ColumnTransformer:
        """Fit each transformer on its columns."""
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X: Any, y: Any = None) -> Any:
        """Fit each transformer on its columns and return the concatenated outputs."""
        self.n_features_in_ = len(self._all_columns(X))
        if isinstance(X, DataFrame):
            self.feature_names_in_ = np.asarray(list(X._columns), dtype=object)
        out, names = self._run(X, y, True)
        return wrap(self, out, X, names=names)

    def transform(self, X: Any) -> Any:
        """Apply the fitted transformers and concatenate their outputs."""
        check_is_fitted(self, "transform")
        out, names = self._run(X, None, False)
        return wrap(self, out, X, names=names)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The output column names (``name__feature`` with ``verbose_feature_names_out``)."""
        check_is_fitted(self, "get_feature_names_out")
        return np.asarray(self._names, dtype=object)


def make_column_transformer(*transformers: tuple[Any, Any], remainder: Any = "drop") -> ColumnTransformer:
    """A :class:`ColumnTransformer` from ``(transformer, columns)`` pairs, named after their classes.

    Examples
    --------
    >>> import headwater as hw
    >>> ct = hw.ml.make_column_transformer((hw.ml.StandardScaler(), ["x"]))
    >>> ct.transformers[0][0]
    'standardscaler'
    """
    named = [(type(t).__name__.lower() if not isinstance(t, str) else t, t, cols) for t, cols in transformers]
    return ColumnTransformer(named, remainder=remainder)
