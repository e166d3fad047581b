"""``Pipeline`` and ``make_pipeline``: transformers chained into a final estimator.

Each step hands the next one what it produced: a frame stays a frame (with its
column names), a device array stays on the device, so a pipeline of ``hw.ml``
steps never leaves the device.
"""

from __future__ import annotations

from typing import Any

from headwater.ml.base import BaseEstimator, check_is_fitted
from headwater.ml.targets import split_target

__all__ = ["Pipeline", "make_pipeline"]


def _is_skip(step: Any) -> bool:
    return step is None or (isinstance(step, str) and step == "passthrough")


class Pipeline(BaseEstimator):
    """A sequence of ``(name, transformer)`` steps ending in any estimator.

    ``fit`` fits each transformer on the previous step's output and the final
    estimator on the last; ``predict``, ``predict_proba``, ``transform`` and
    ``score`` pass X through the fitted transformers first. Fit parameters are
    routed as ``step__param=value``; a step may be ``"passthrough"`` or None.

    Examples
    --------
    >>> import headwater as hw
    >>> pipe = hw.ml.Pipeline([("scale", hw.ml.StandardScaler()), ("reg", hw.ml.LinearRegression())])
    >>> pipe.fit([[0.0], [1.0], [2.0]], [1.0, 3.0, 5.0]).predict([[3.0]]).round(6).tolist()
    [7.0]
    >>> pipe.named_steps["scale"].mean_.tolist()
    [1.0]
    """

    def __init__(self, steps: list[tuple[str, Any]]) -> None:
        self.steps = steps

    # -- parameters ----------------------------------------------------------------
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """``steps``, and with ``deep`` each step by name and its parameters as ``name__param``."""
        out: dict[str, Any] = {"steps": self.steps}
        if deep:
            for name, step in self.steps:
                out[name] = step
                if hasattr(step, "get_params"):
                    out.update((f"{name}__{k}", v) for k, v in step.get_params(deep=True).items())
        return out

    def set_params(self, **params: Any) -> Pipeline:
        """Set ``steps``, replace a step by name, or set ``name__param``."""
        if "steps" in params:
            self.steps = params.pop("steps")
        names = [n for n, _ in self.steps]
        for name in [k for k in params if k in names]:
            self.steps[names.index(name)] = (name, params.pop(name))
        return super().set_params(**params) if params else self

    def _validate(self) -> None:
        names = [n for n, _ in self.steps]
        if len(set(names)) != len(names):
            raise ValueError(f"Pipeline: Names provided are not unique: {names}")
        for name, step in self.steps[:-1]:
            if not _is_skip(step) and not (hasattr(step, "fit") and hasattr(step, "transform")):
                raise TypeError(f"Pipeline: All intermediate steps should be transformers and implement fit and "
                                f"transform or be the string 'passthrough'; step {name!r} is {step!r}")

    @property
    def named_steps(self) -> dict[str, Any]:
        """The steps by name."""
        return dict(self.steps)

    @property
    def _final_estimator(self) -> Any:
        return self.steps[-1][1]

    @property
    def _estimator_type(self) -> Any:
        return getattr(self._final_estimator, "_estimator_type", None)

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return Pipeline(self.steps[index])
        if isinstance(index, str):
            return self.named_steps[index]
        return self.steps[index][1]

    # -- fitting -------------------------------------------------------------------
    def _route(self, fit_params: dict[str, Any]) -> dict[str, dict[str, Any]]:
        routed: dict[str, dict[str, Any]] = {name: {} for name, _ in self.steps}
        for key, value in fit_params.items():
            name, sep, param = key.partition("__")
            if not sep or name not in routed:
                raise ValueError(f"Pipeline.fit does not accept the {key!r} parameter. You can pass parameters to "
                                 f"specific steps of your pipeline using the stepname__parameter format, e.g. "
                                 f"`Pipeline.fit(X, y, logisticregression__sample_weight=sample_weight)`")
            routed[name][param] = value
        return routed

    def _fit_transformers(self, X: Any, y: Any, routed: dict[str, dict[str, Any]]) -> Any:
        for name, step in self.steps[:-1]:
            if _is_skip(step):
                continue
            if hasattr(step, "fit_transform"):
                X = step.fit_transform(X, y, **routed[name])
            else:
                X = step.fit(X, y, **routed[name]).transform(X)
        return X

    def fit(self, X: Any, y: Any = None, **fit_params: Any) -> Pipeline:
        """Fit every step in order (``y`` may name a column of a frame X).

        Examples
        --------
        >>> import headwater as hw
        >>> df = hw.DataFrame({"x": [0.0, 1.0, 2.0, 3.0], "t": [0, 0, 1, 1]})
        >>> hw.ml.make_pipeline(hw.ml.StandardScaler(), hw.ml.LogisticRegression()).fit(df, "t").score(df, "t")
        1.0
        """
        self._validate()
        X, y = split_target(X, y)
        routed = self._route(fit_params)
        Xt = self._fit_transformers(X, y, routed)
        final = self._final_estimator
        if not _is_skip(final):
            final.fit(Xt, y, **routed[self.steps[-1][0]])
        return self

    def _transform_through(self, X: Any, method: str) -> Any:
        if isinstance(X, str):
            raise TypeError(f"Pipeline.{method}: X is a string; pass the frame")
        for _, step in self.steps[:-1]:
            if not _is_skip(step):
                check_is_fitted(step, method)
                X = step.transform(X)
        return X

    def predict(self, X: Any, **params: Any) -> Any:
        """Transform X through the steps, then the final estimator's ``predict``."""
        return self._final_estimator.predict(self._transform_through(X, "predict"), **params)

    def _predict_array(self, X: Any) -> Any:
        final = self._final_estimator
        Xt = self._transform_through(X, "predict")
        return final._predict_array(Xt) if hasattr(final, "_predict_array") else final.predict(Xt)

    def predict_proba(self, X: Any) -> Any:
        """Transform X, then the final estimator's ``predict_proba``."""
        return self._final_estimator.predict_proba(self._transform_through(X, "predict_proba"))

    def _predict_proba_array(self, X: Any) -> Any:
        final = self._final_estimator
        Xt = self._transform_through(X, "predict_proba")
        raw = getattr(final, "_predict_proba_array", None)
        return raw(Xt) if raw is not None else final.predict_proba(Xt)

    def predict_log_proba(self, X: Any) -> Any:
        """Transform X, then the final estimator's ``predict_log_proba``."""
        return self._final_estimator.predict_log_proba(self._transform_through(X, "predict_log_proba"))

    def decision_function(self, X: Any) -> Any:
        """Transform X, then the final estimator's ``decision_function``."""
        return self._final_estimator.decision_function(self._transform_through(X, "decision_function"))

    def transform(self, X: Any) -> Any:
        """Transform X through every step (the last one included)."""
        Xt = self._transform_through(X, "transform")
        final = self._final_estimator
        return Xt if _is_skip(final) else final.transform(Xt)

    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> Any:
        """Fit every step and return the training rows transformed by all of them."""
        self._validate()
        X, y = split_target(X, y)
        routed = self._route(fit_params)
        Xt = self._fit_transformers(X, y, routed)
        final = self._final_estimator
        if _is_skip(final):
            return Xt
        params = routed[self.steps[-1][0]]
        if hasattr(final, "fit_transform"):
            return final.fit_transform(Xt, y, **params)
        return final.fit(Xt, y, **params).transform(Xt)

    def fit_predict(self, X: Any, y: Any = None, **fit_params: Any) -> Any:
        """Fit the transformers, then the final estimator's ``fit_predict``."""
        self._validate()
        X, y = split_target(X, y)
        routed = self._route(fit_params)
        Xt = self._fit_transformers(X, y, routed)
        return self._final_estimator.fit_predict(Xt, y, **routed[self.steps[-1][0]])

    def score(self, X: Any, y: Any = None, sample_weight: Any = None) -> float:
        """Transform X, then the final estimator's ``score``."""
        X, y = split_target(X, y)
        Xt = self._transform_through(X, "score")
        if sample_weight is not None:
            return self._final_estimator.score(Xt, y, sample_weight=sample_weight)
        return self._final_estimator.score(Xt, y)

    def get_feature_names_out(self, input_features: Any = None) -> Any:
        """The output names of the last step that names its outputs."""
        for _, step in reversed(self.steps):
            if not _is_skip(step) and hasattr(step, "get_feature_names_out"):
                return step.get_feature_names_out()
        raise AttributeError("Pipeline.get_feature_names_out: no step names its output features")

    @property
    def classes_(self) -> Any:
        """The final estimator's classes."""
        return self._final_estimator.classes_

    def __sklearn_is_fitted__(self) -> bool:
        final = self._final_estimator
        if _is_skip(final):
            return True
        from headwater.ml.base import _is_fitted

        return final.__sklearn_is_fitted__() if hasattr(final, "__sklearn_is_fitted__") else _is_fitted(final)


def make_pipeline(*steps: Any) -> Pipeline:
    """A :class:`Pipeline` whose step names are the lower-cased class names.

    Examples
    --------
    >>> import headwater as hw
    >>> [name for name, _ in hw.ml.make_pipeline(hw.ml.StandardScaler(), hw.ml.PCA()).steps]
    ['standardscaler', 'pca']
    """
    names = [type(s).__name__.lower() if not _is_skip(s) else "passthrough" for s in steps]
    seen: dict[str, int] = {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
    counters: dict[str, int] = {}
    out = []
    for n, s in zip(names, steps):
        if seen[n] > 1:
            counters[n] = counters.get(n, 0) + 1
            n = f"{n}-{counters[n]}"
        out.append((n, s))
    return Pipeline(out)
