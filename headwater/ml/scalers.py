"""Feature scaling: ``StandardScaler`` and ``MinMaxScaler``.

Both are column-wise reductions on the device; NaN (and a frame's nulls) are
left out of the statistics and kept in the output, as scikit-learn does, so a
scaler can sit before an imputer in a pipeline.
"""

from __future__ import annotations

from typing import Any

from headwater.ml.base import BaseEstimator, check_is_fitted
from headwater.ml.mixins import TransformerMixin
from headwater.ml.output import wrap
from headwater.ml.validation import check_X

__all__ = ["StandardScaler", "MinMaxScaler"]


def _names(est: Any) -> list[str] | None:
    names = getattr(est, "feature_names_in_", None)
    return None if names is None else [str(n) for n in names]


class _Scaler(TransformerMixin, BaseEstimator):
    _allow_nan = True

    def get_feature_names_out(self, input_features: Any = None) -> Any:
        """The output column names: the input's (scaling keeps the columns).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.StandardScaler().fit(hw.DataFrame({"a": [1.0, 2.0]})).get_feature_names_out().tolist()
        ['a']
        """
        import numpy as np

        check_is_fitted(self, "get_feature_names_out")
        names = _names(self) if input_features is None else [str(n) for n in input_features]
        return np.asarray(names if names is not None else [f"x{i}" for i in range(self.n_features_in_)], dtype=object)

    def transform(self, X: Any, copy: bool | None = None) -> Any:
        """Scale X with the statistics learned in ``fit``.

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.MinMaxScaler().fit([[0.0], [4.0]]).transform([[1.0]]).tolist()
        [[0.25]]
        """
        check_is_fitted(self, "transform")
        inp = check_X(self, X, "transform")
        return wrap(self, self._apply(inp.backend.xp, inp.array), X, names=_names(self))

    def inverse_transform(self, X: Any, copy: bool | None = None) -> Any:
        """Undo the scaling.

        Examples
        --------
        >>> import headwater as hw
        >>> sc = hw.ml.StandardScaler().fit([[0.0], [2.0]])
        >>> sc.inverse_transform(sc.transform([[3.0]])).tolist()
        [[3.0]]
        """
        check_is_fitted(self, "inverse_transform")
        inp = check_X(self, X, "inverse_transform")
        return wrap(self, self._undo(inp.backend.xp, inp.array), X, names=_names(self))


class StandardScaler(_Scaler):
    """Centre each feature on its mean and divide by its standard deviation (``ddof=0``).

    Parameters
    ----------
    copy : bool
        The output is always a new array.
    with_mean, with_std : bool
    output_type : str, optional

    Attributes
    ----------
    mean_, var_, scale_ (1 where the variance is 0), n_samples_seen_, n_features_in_

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ml.StandardScaler().fit_transform([[1.0], [3.0]]).tolist()
    [[-1.0], [1.0]]
    """

    def __init__(self, *, copy: bool = True, with_mean: bool = True, with_std: bool = True,
                 output_type: str | None = None) -> None:
        self.copy = copy
        self.with_mean = with_mean
        self.with_std = with_std
        self.output_type = output_type

    def fit(self, X: Any, y: Any = None, *, features: Any = None) -> StandardScaler:
        """Learn each feature's mean and standard deviation (NaN left out).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.StandardScaler().fit([[1.0], [3.0]]).scale_.tolist()
        [1.0]
        """
        inp = check_X(self, X, "fit", features=features)
        xp = inp.backend.xp
        A = inp.array
        counts = (~xp.isnan(A)).sum(axis=0)
        self.n_samples_seen_ = counts
        self.mean_ = xp.nanmean(A, axis=0) if self.with_mean else None
        if self.with_std:
            self.var_ = xp.nanvar(A, axis=0)
            scale = xp.sqrt(self.var_)
            tiny = 10 * xp.finfo(A.dtype).eps * xp.maximum(xp.abs(xp.nanmean(A, axis=0)), 1.0)
            self.scale_ = xp.where(scale < tiny, 1.0, scale).astype(A.dtype)
        else:
            self.var_ = self.scale_ = None
        return self

    def _apply(self, xp: Any, A: Any) -> Any:
        out = A - self.mean_ if self.with_mean else A.copy()
        return out / self.scale_ if self.with_std else out

    def _undo(self, xp: Any, A: Any) -> Any:
        out = A * self.scale_ if self.with_std else A.copy()
        return out + self.mean_ if self.with_mean else out


class MinMaxScaler(_Scaler):
    """Map each feature linearly onto ``feature_range`` (its minimum to the low end).

    Parameters
    ----------
    feature_range : (float, float)
    copy : bool
        The output is always a new array.
    clip : bool
        Clip transformed values of new data into ``feature_range``.
    output_type : str, optional

    Attributes
    ----------
    data_min_, data_max_, data_range_, scale_, min_, n_samples_seen_

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ml.MinMaxScaler(feature_range=(-1, 1)).fit_transform([[0.0], [5.0], [10.0]]).tolist()
    [[-1.0], [0.0], [1.0]]
    """

    def __init__(self, feature_range: tuple[float, float] = (0, 1), *, copy: bool = True, clip: bool = False,
                 output_type: str | None = None) -> None:
        self.feature_range = feature_range
        self.copy = copy
        self.clip = clip
        self.output_type = output_type

    def fit(self, X: Any, y: Any = None, *, features: Any = None) -> MinMaxScaler:
        """Learn each feature's minimum and maximum (NaN left out).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.MinMaxScaler().fit([[2.0], [6.0]]).data_range_.tolist()
        [4.0]
        """
        low, high = (float(v) for v in self.feature_range)
        if low >= high:
            raise ValueError(f"MinMaxScaler: Minimum of desired feature range must be smaller than maximum. "
                             f"Got {tuple(self.feature_range)!r}")
        inp = check_X(self, X, "fit", features=features)
        xp = inp.backend.xp
        A = inp.array
        self.n_samples_seen_ = A.shape[0]
        self.data_min_ = xp.nanmin(A, axis=0)
        self.data_max_ = xp.nanmax(A, axis=0)
        self.data_range_ = self.data_max_ - self.data_min_
        span = xp.where(self.data_range_ == 0, 1.0, self.data_range_).astype(A.dtype)
        self.scale_ = ((high - low) / span).astype(A.dtype)
        self.min_ = (low - self.data_min_ * self.scale_).astype(A.dtype)
        return self

    def _apply(self, xp: Any, A: Any) -> Any:
        out = A * self.scale_ + self.min_
        if self.clip:
            out = xp.clip(out, float(self.feature_range[0]), float(self.feature_range[1]))
        return out

    def _undo(self, xp: Any, A: Any) -> Any:
        return (A - self.min_) / self.scale_
