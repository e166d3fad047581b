"""Model types that are not networks: ``hw.ml`` estimators, XGBoost and scikit-learn.

``model: {type: ...}`` in a pipeline picks one of :data:`CLASSIC_TYPES`:

- ``linear_regression ridge lasso logistic_regression knn``: the ``hw.ml``
  estimators, fitted on the device; ``params:`` are their constructor arguments.
- ``xgboost``: ``XGBClassifier`` / ``XGBRegressor`` from the optional ``xgboost``
  package, fed the device arrays themselves (CuPy on a GPU, NumPy on the CPU: no
  copy); ``params:`` are passed through; early stopping watches the validation
  split (``early_stopping_rounds`` 10 unless given). Saved as XGBoost's JSON.
- ``sklearn``: ``estimator: module.Class`` names a class of scikit-learn or
  XGBoost that subclasses scikit-learn's ``BaseEstimator`` (never another
  callable), built with ``params:``, fed host arrays (counted crossings) and
  saved with ``skops``; an estimator skops cannot save is refused.

The features are the run's numeric columns followed by the categorical codes (as
numbers). A fitted model is wrapped in :class:`ClassicModel`, which the trainer's
``predict_outputs``, the report and ``headwater predict`` call like the network.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import numpy as np

from headwater.pipelines.errors import ConfigError, ConfigIssue, RunError
from headwater.tensor.devices import backend_of, get_backend
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["CLASSIC_TYPES", "HW_ML_TYPES", "ClassicModel", "fit_classic", "load_classic", "features_of",
           "check_model_section"]

HW_ML_TYPES = ("linear_regression", "ridge", "lasso", "logistic_regression", "knn")
CLASSIC_TYPES = (*HW_ML_TYPES, "xgboost", "sklearn")
_ALLOWED_PACKAGES = ("sklearn", "xgboost")
MODEL_FILES = {"hw": "model.json", "xgboost": "model.xgb.json", "sklearn": "model.skops"}


def _hw_class(kind: str, task: str) -> type:
    import headwater.ml as ml

    if kind == "knn":
        return ml.KNeighborsRegressor if task == "regression" else ml.KNeighborsClassifier
    return {"linear_regression": ml.LinearRegression, "ridge": ml.Ridge, "lasso": ml.Lasso,
            "logistic_regression": ml.LogisticRegression}[kind]


def _sklearn_class(name: str | None) -> type:
    if not name or "." not in name:
        raise ValueError(f"estimator must name a class as module.Class (e.g. sklearn.ensemble."
                         f"RandomForestClassifier), got {name!r}")
    module_name, _, cls_name = name.rpartition(".")
    if module_name.split(".")[0] not in _ALLOWED_PACKAGES:
        raise ValueError(f"estimator {name!r} is outside scikit-learn and XGBoost; only classes of "
                         f"{list(_ALLOWED_PACKAGES)} may be named in a pipeline file")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        extra = "ml" if module_name.startswith("sklearn") else "xgboost"
        raise ValueError(f"cannot import {module_name!r} ({exc}); pip install \"headwater[{extra}]\"") from None
    cls = getattr(module, cls_name, None)
    from sklearn.base import BaseEstimator

    if not (isinstance(cls, type) and issubclass(cls, BaseEstimator)):
        close = [n for n in dir(module) if isinstance(getattr(module, n), type)
                 and issubclass(getattr(module, n), BaseEstimator)]
        import difflib

        hint = difflib.get_close_matches(cls_name, close, n=3)
        raise ValueError(f"{name!r} is not a scikit-learn estimator class (a subclass of BaseEstimator)"
                         + (f"; did you mean {', '.join(module_name + '.' + h for h in hint)}?" if hint else ""))
    return cls


def _unknown_params(params: dict[str, Any], valid: list[str], who: str) -> list[tuple[tuple[Any, ...], str]]:
    import difflib

    out = []
    for key in params:
        if key not in valid:
            hint = difflib.get_close_matches(key, valid, n=1)
            out.append((("model", "params", key), f"unknown parameter {key!r} for {who}"
                        + (f"; did you mean {hint[0]!r}?" if hint else "") + f" valid: {', '.join(valid)}"))
    return out


def check_model_section(section: Any, task: str) -> list[tuple[tuple[Any, ...], str]]:
    """Problems of a classic ``model`` section as ``(path, message)`` pairs (none for networks)."""
    kind = section.type
    issues: list[tuple[tuple[Any, ...], str]] = []
    if kind not in CLASSIC_TYPES:
        if section.params or section.estimator:
            issues.append((("model", "params" if section.params else "estimator"),
                           f"model type {kind!r} is a network and takes no params/estimator; use one of "
                           f"{list(CLASSIC_TYPES)} for those"))
        return issues
    if kind != "sklearn" and section.estimator:
        issues.append((("model", "estimator"), f"estimator is for type: sklearn; type {kind!r} builds its own model"))
    if kind in ("linear_regression", "ridge", "lasso") and task != "regression":
        issues.append((("model", "type"), f"{kind} predicts numbers but target.task is {task!r}; use "
                                          f"logistic_regression, knn or xgboost for classification"))
    if kind == "logistic_regression" and task == "regression":
        issues.append((("model", "type"), "logistic_regression is a classifier but target.task is 'regression'; "
                                          "use linear_regression, ridge, lasso, knn or xgboost"))
    if kind in HW_ML_TYPES:
        issues += _unknown_params(section.params, sorted(set(_hw_class(kind, task)._get_param_names()) - {"output_type"}),
                                  kind)
    if kind == "sklearn":
        try:
            cls = _sklearn_class(section.estimator)
        except ValueError as exc:
            issues.append((("model", "estimator"), str(exc)))
        else:
            issues += _unknown_params(section.params, cls._get_param_names(), section.estimator)
    return issues


def features_of(inputs: Any) -> Any:
    """The features of a split as one float32 device matrix: numeric columns, then codes."""
    parts = []
    if inputs.numeric is not None:
        parts.append(inputs.numeric.array)
    if inputs.codes is not None:
        parts.append(inputs.codes.array.astype(parts[0].dtype if parts else "float32"))
    if len(parts) == 1:
        return parts[0]
    return backend_of(parts[0]).xp.concatenate(parts, axis=1)


class ClassicModel:
    """A fitted classic model behind the network's calling convention.

    ``model(numeric, codes)`` returns log-probabilities (classification: softmax
    gives the probabilities back) or values (regression) as a Tensor, so the code
    that evaluates networks evaluates it unchanged.
    """

    def __init__(self, kind: str, task: str, estimator: Any, n_outputs: int) -> None:
        self.kind, self.task, self.estimator, self.n_outputs = kind, task, estimator, n_outputs

    def eval(self) -> ClassicModel:
        return self

    def __call__(self, numeric: Any = None, codes: Any = None) -> Tensor:
        from headwater.pipelines.trainer import Inputs

        X = features_of(Inputs(numeric, codes, None))
        backend = backend_of(X)
        xp = backend.xp
        if self.kind == "sklearn":
            X = to_host(X)  # scikit-learn computes on the host: one counted crossing
        est = self.estimator
        if self.task == "regression":
            out = est.predict(X)
            if isinstance(out, np.ndarray) and not backend.owns(out):
                out = backend.to_device(out)
            return Tensor(out.astype(xp.float32))
        proba = est.predict_proba(X)
        if isinstance(proba, np.ndarray) and not backend.owns(proba):
            proba = backend.to_device(proba)
        classes = est.classes_
        classes = classes if isinstance(classes, np.ndarray) else to_host(classes)
        full = xp.full((proba.shape[0], self.n_outputs), 1e-12, dtype=xp.float64)
        cols = classes.astype(np.int64)
        full[:, cols if backend.owns(cols) else backend.to_device(cols)] = xp.maximum(proba, 1e-12)
        return Tensor(xp.log(full / full.sum(axis=1, keepdims=True)).astype(xp.float32))

    def save(self, run_dir: Path) -> Path:
        """Write the fitted model into the run directory (never a pickle)."""
        if self.kind in HW_ML_TYPES:
            from headwater.ml.serialization import estimator_to_dict

            path = run_dir / MODEL_FILES["hw"]
            path.write_text(json.dumps({"kind": self.kind, "model": estimator_to_dict(self.estimator)}))
        elif self.kind == "xgboost":
            path = run_dir / MODEL_FILES["xgboost"]
            self.estimator.save_model(str(path))
        else:
            path = run_dir / MODEL_FILES["sklearn"]
            try:
                import skops.io as sio
            except ImportError:
                raise RunError("saving a scikit-learn model needs skops (no pickles in a run directory); "
                               "pip install \"headwater[ml]\"") from None
            try:
                sio.dump(self.estimator, str(path))
            except Exception as exc:
                raise RunError(f"{type(self.estimator).__name__} cannot be saved without pickle ({exc}); "
                               f"choose another estimator, or a model type of hw.ml") from None
        return path


def _xgb_class(task: str) -> type:
    try:
        import xgboost
    except ImportError:
        raise RunError("model type xgboost needs the xgboost package; pip install \"headwater[xgboost]\" "
                       "(or xgboost-cpu)") from None
    return xgboost.XGBRegressor if task == "regression" else xgboost.XGBClassifier


def fit_classic(section: Any, task: str, inputs: list[Any], n_outputs: int, say: Any = None) -> ClassicModel:
    """Fit the classic model of ``section`` on the train split (validation for early stopping)."""
    say = say or (lambda message: None)
    kind = section.type
    X_train, X_val = features_of(inputs[0]), (features_of(inputs[1]) if inputs[1].n else None)
    y_train = inputs[0].target.array
    y_val = inputs[1].target.array if inputs[1].n else None
    params = dict(section.params)
    if kind in HW_ML_TYPES:
        est = _hw_class(kind, task)(**params)
        est.fit(X_train, y_train)
    elif kind == "xgboost":
        if X_val is not None:
            params.setdefault("early_stopping_rounds", 10)
        if backend_of(X_train).name == "cuda":
            params.setdefault("device", "cuda")
        est = _xgb_class(task)(**params)
        fit_kw = {"verbose": False}
        if X_val is not None:
            fit_kw["eval_set"] = [(X_val, y_val)]
        est.fit(X_train, y_train, **fit_kw)  # device arrays go in as they are (CuPy through the CUDA array interface)
        if X_val is not None:
            say(f"xgboost: best iteration {est.best_iteration} (early stopping on the validation split)")
    else:
        cls = _sklearn_class(section.estimator)
        est = cls(**params)
        est.fit(to_host(X_train), to_host(y_train))  # host arrays: counted crossings
    if task != "regression":
        seen = len(est.classes_)
        if seen < 2:
            raise RunError(f"the training split holds only one class; {kind} needs at least two")
    return ClassicModel(kind, task, est, n_outputs)


def load_classic(run_dir: Path, section: Any, task: str, n_outputs: int) -> ClassicModel:
    """The fitted classic model saved in ``run_dir``."""
    kind = section.type
    if kind in HW_ML_TYPES:
        from headwater.ml.serialization import estimator_from_dict

        payload = json.loads((run_dir / MODEL_FILES["hw"]).read_text())
        return ClassicModel(kind, task, estimator_from_dict(payload["model"]), n_outputs)
    if kind == "xgboost":
        est = _xgb_class(task)()
        est.load_model(str(run_dir / MODEL_FILES["xgboost"]))
        if get_backend().name == "cuda":
            est.set_params(device="cuda")
        return ClassicModel(kind, task, est, n_outputs)
    import skops.io as sio

    path = run_dir / MODEL_FILES["sklearn"]
    untrusted = sio.get_untrusted_types(file=str(path))
    foreign = [t for t in untrusted if t.split(".")[0] not in (*_ALLOWED_PACKAGES, "numpy", "scipy", "builtins")]
    if foreign:
        raise ConfigError(ConfigIssue("model", f"{path} holds types outside scikit-learn/XGBoost/NumPy "
                                               f"({foreign}); refusing to load it", None, None, str(path)))
    return ClassicModel(kind, task, sio.load(str(path), trusted=untrusted), n_outputs)
