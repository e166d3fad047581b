"""``BaseEstimator``: scikit-learn's parameter protocol, ``clone`` and the fitted check.

An estimator keeps its constructor arguments as attributes of the same names and
does nothing else in ``__init__``; ``get_params`` reads them back from the
signature, ``set_params`` writes them (``step__param`` reaches into nested
estimators), and :func:`clone` builds an unfitted copy with the same parameters.
What ``fit`` learns ends in an underscore (``coef_``, ``cluster_centers_``), which is
how :func:`check_is_fitted` tells a fitted estimator from a fresh one.
"""

from __future__ import annotations

import copy
import inspect
from typing import Any

from headwater.ml.errors import NotFittedError

__all__ = ["BaseEstimator", "clone", "check_is_fitted", "keep_params"]


def keep_params(est: Any, params: dict[str, Any]) -> None:
    """Store the constructor's arguments as attributes of the same names, and nothing else.

    Called as ``keep_params(self, locals())`` for the body of an ``__init__`` that
    takes many parameters (the names come from the signature, as ``get_params``
    reads them).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.ml.Lasso(alpha=0.3).alpha
    0.3
    """
    for name in type(est)._get_param_names():
        setattr(est, name, params[name])


class BaseEstimator:
    """Base of every ``hw.ml`` estimator: ``get_params``, ``set_params``, a readable repr.

    Examples
    --------
    >>> import headwater as hw
    >>> est = hw.ml.Ridge(alpha=2.0)
    >>> est.get_params()["alpha"]
    2.0
    >>> est.set_params(alpha=0.5).alpha
    0.5
    """

    @classmethod
    def _get_param_names(cls) -> list[str]:
        init = cls.__init__
        if init is object.__init__:
            return []
        params = [p for p in inspect.signature(init).parameters.values()
                  if p.name != "self" and p.kind != p.VAR_KEYWORD]
        for p in params:
            if p.kind == p.VAR_POSITIONAL:
                raise TypeError(f"{cls.__name__}.__init__ takes *{p.name}; estimators name every parameter")
        return sorted(p.name for p in params)

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor parameters by name; with ``deep``, those of nested estimators too.

        Examples
        --------
        >>> import headwater as hw
        >>> sorted(hw.ml.KMeans(n_clusters=3).get_params())[:3]
        ['algorithm', 'copy_x', 'init']
        """
        out: dict[str, Any] = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params: Any) -> BaseEstimator:
        """Set parameters (``name=value``, or ``step__name=value`` for a nested estimator).

        Examples
        --------
        >>> import headwater as hw
        >>> hw.ml.Lasso().set_params(alpha=0.1).alpha
        0.1
        """
        if not params:
            return self
        valid = self.get_params(deep=True)
        nested: dict[str, dict[str, Any]] = {}
        for key, value in params.items():
            name, sep, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}; "
                    f"valid parameters are {sorted(self.get_params(deep=False))}"
                )
            if sep:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
                valid[name] = value
        for name, sub_params in nested.items():
            valid[name].set_params(**sub_params)
        return self

    def __repr__(self) -> str:
        defaults = {p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()}
        shown = []
        for name, value in self.get_params(deep=False).items():
            default = defaults.get(name, inspect.Parameter.empty)
            try:
                same = value is default or (type(value) is type(default) and bool(value == default))
            except Exception:
                same = False
            if not same:
                shown.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(shown)})"

    def __sklearn_is_fitted__(self) -> bool:
        return _is_fitted(self)

    def __sklearn_tags__(self) -> Any:
        from headwater.ml.tags import sklearn_tags

        return sklearn_tags(self)


def _is_fitted(est: Any) -> bool:
    return any(k.endswith("_") and not k.startswith("__") for k in vars(est))


def check_is_fitted(est: Any, method: str = "predict") -> None:
    """Raise :class:`~headwater.ml.errors.NotFittedError` unless ``est`` has been fitted.

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.ml.base import check_is_fitted
    >>> check_is_fitted(hw.ml.StandardScaler().fit([[1.0], [2.0]]))
    """
    fitted = est.__sklearn_is_fitted__() if hasattr(est, "__sklearn_is_fitted__") else _is_fitted(est)
    if not fitted:
        name = type(est).__name__
        raise NotFittedError(
            f"This {name} instance is not fitted yet; call {name}.fit(X, y) before {name}.{method}()"
        )


def clone(estimator: Any, *, safe: bool = True) -> Any:
    """An unfitted estimator with the same parameters (nested estimators cloned too).

    Lists, tuples and sets of estimators are cloned element by element; with
    ``safe=False`` anything else is deep-copied.

    Examples
    --------
    >>> import headwater as hw
    >>> a = hw.ml.Ridge(alpha=3.0).fit([[0.0], [1.0]], [0.0, 1.0])
    >>> b = hw.ml.clone(a)
    >>> b.alpha, hasattr(b, "coef_")
    (3.0, False)
    """
    if isinstance(estimator, (list, tuple, set, frozenset)):
        return type(estimator)(clone(e, safe=safe) for e in estimator)
    if not hasattr(estimator, "get_params") or isinstance(estimator, type):
        if not safe:
            return copy.deepcopy(estimator)
        raise TypeError(
            f"Cannot clone object {estimator!r} (type {type(estimator).__name__}): it has no get_params; "
            f"pass an estimator, or clone(..., safe=False) to deep-copy it"
        )
    params = {k: clone(v, safe=False) for k, v in estimator.get_params(deep=False).items()}
    return type(estimator)(**params)
