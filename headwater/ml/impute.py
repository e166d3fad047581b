"""``SimpleImputer``: fill missing values (NaN, a frame's nulls, or a marker value) per column."""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.ml.base import BaseEstimator, check_is_fitted
from headwater.ml.mixins import TransformerMixin
from headwater.ml.output import wrap
from headwater.ml.validation import check_X, on_device
from headwater.tensor.transfer import to_host

__all__ = ["SimpleImputer"]

_STRATEGIES = ("mean", "median", "most_frequent", "constant")


def _mode(backend: Any, column: Any) -> Any:
    """The most frequent non-NaN value of one column (the smallest among ties); NaN if none."""
    xp = backend.xp
    ids, uniques = backend.factorize(column, ~xp.isnan(column), sort=True)
    if uniques.shape[0] == 0:
        return xp.full((), xp.nan, dtype=column.dtype)
    counts = xp.bincount(xp.where(ids >= 0, ids, uniques.shape[0]), minlength=uniques.shape[0] + 1)
    return uniques[xp.argmax(counts[:-1])]


class SimpleImputer(TransformerMixin, BaseEstimator):
    """Replace missing values by a per-column statistic, as ``sklearn.impute.SimpleImputer``.

    Parameters
    ----------
    missing_values : float
        The marker of a missing value (NaN by default; a frame's nulls always count).
    strategy : {"mean", "median", "most_frequent", "constant"}
    fill_value : float, optional
        The value of "constant" (0 by default).
    copy : bool
        The output is always a new array.
    add_indicator : bool
        Append one indicator column per feature that had missing values in ``fit``.
    keep_empty_features : bool
        Keep (filled with 0) the features that were all missing in ``fit``; by
        default they are dropped, as scikit-learn.
    output_type : str, optional

    Notes
    -----
    Numeric features only; text columns are filled with ``hw.features.FillMissing``
    or ``DataFrame.fillna``.

    Examples
    --------
    >>> import headwater as hw
    >>> df = hw.DataFrame({"a": [1.0, None, 3.0]})
    >>> hw.ml.SimpleImputer().fit_transform(df)["a"].tolist()
    [1.0, 2.0, 3.0]
    """

    _allow_nan = True

    def __init__(self, *, missing_values: Any = np.nan, strategy: str = "mean", fill_value: Any = None,
                 copy: bool = True, add_indicator: bool = False, keep_empty_features: bool = False,
                 output_type: str | None = None) -> None:
        self.missing_values = missing_values
        self.strategy = strategy
        self.fill_value = fill_value
        self.copy = copy
        self.add_indicator = add_indicator
        self.keep_empty_features = keep_empty_features
        self.output_type = output_type

    def _missing(self, xp: Any, A: Any) -> Any:
        nan = xp.isnan(A)
        mv = self.missing_values
        if mv is None or (isinstance(mv, float) and mv != mv):
            return nan
        return nan | (A == float(mv))

    def fit(self, X: Any, y: Any = None, *, features: Any = None) -> SimpleImputer:
        """Learn each column's fill value.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.SimpleImputer(strategy="median").fit([[1.0], [float("nan")], [5.0], [7.0]]).statistics_.tolist()
        [5.0]
        """
        if self.strategy not in _STRATEGIES:
            raise ValueError(f"SimpleImputer: strategy={self.strategy!r} must be one of {list(_STRATEGIES)}")
        inp = check_X(self, X, "fit", features=features)
        xp = inp.backend.xp
        A = xp.where(self._missing(xp, inp.array), xp.nan, inp.array)
        if self.strategy == "mean":
            counts = (~xp.isnan(A)).sum(axis=0)
            stats = xp.where(counts > 0, xp.nansum(A, axis=0) / xp.maximum(counts, 1), xp.nan)
        elif self.strategy == "median":
            counts = (~xp.isnan(A)).sum(axis=0)
            stats = xp.where(counts > 0, xp.nanmedian(xp.where(counts > 0, A, 0.0), axis=0), xp.nan)
        elif self.strategy == "most_frequent":
            stats = xp.stack([_mode(inp.backend, A[:, j]) for j in range(A.shape[1])])
        else:
            fill = 0.0 if self.fill_value is None else float(self.fill_value)
            stats = xp.full(A.shape[1], fill, dtype=A.dtype)
        self.statistics_ = stats.astype(A.dtype)
        empty = xp.isnan(self.statistics_)
        missing_any = xp.isnan(A).any(axis=0)
        host = to_host(xp.stack([empty, missing_any]))  # which columns to drop / flag: one read of 2p bools
        self._keep = np.flatnonzero(~host[0]) if not self.keep_empty_features else np.arange(A.shape[1])
        self._flag = np.flatnonzero(host[1])
        names = [str(n) for n in self.feature_names_in_] if hasattr(self, "feature_names_in_") else \
            [f"x{i}" for i in range(self.n_features_in_)]
        self._names_out = [names[i] for i in self._keep] + (
            [f"missingindicator_{names[i]}" for i in self._flag] if self.add_indicator else [])
        return self

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The output column names (kept features, then the indicators).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.SimpleImputer().fit(hw.DataFrame({"a": [1.0, None]})).get_feature_names_out().tolist()
        ['a']
        """
        check_is_fitted(self, "get_feature_names_out")
        return np.asarray(self._names_out, dtype=object)

    def transform(self, X: Any) -> Any:
        """Fill the missing values of X with the fitted statistics.

        Examples
        --------
        >>> import headwater as hw
        >>> imp = hw.ml.SimpleImputer(strategy="constant", fill_value=-1).fit([[1.0], [2.0]])
        >>> imp.transform([[float("nan")]]).tolist()
        [[-1.0]]
        """
        check_is_fitted(self, "transform")
        inp = check_X(self, X, "transform")
        xp = inp.backend.xp
        missing = self._missing(xp, inp.array)
        stats = xp.where(xp.isnan(self.statistics_), 0.0, self.statistics_)
        out = xp.where(missing, stats[None, :], inp.array)
        if len(self._keep) < out.shape[1]:
            keep = on_device(inp.backend, self._keep)
            out = out[:, keep]
        if self.add_indicator and len(self._flag):
            flag = on_device(inp.backend, self._flag)
            out = xp.concatenate([out, missing[:, flag].astype(out.dtype)], axis=1)
        return wrap(self, out, X, names=self._names_out)
