"""scikit-learn's estimator tags for ``hw.ml`` estimators (read by ``sklearn.utils.estimator_checks``).

Built on demand (scikit-learn is imported only when scikit-learn itself asks), from
three class attributes every estimator sets: ``_estimator_type`` (``"classifier"``,
``"regressor"``, ``"clusterer"``, ``"transformer"``), ``_allow_nan`` and
``_requires_y``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["sklearn_tags"]


def sklearn_tags(est: Any) -> Any:
    """The ``sklearn.utils.Tags`` describing ``est``."""
    from sklearn.utils import ClassifierTags, InputTags, RegressorTags, Tags, TargetTags, TransformerTags

    kind = getattr(est, "_estimator_type", None)
    requires_y = bool(getattr(est, "_requires_y", kind in ("classifier", "regressor")))
    tags = Tags(
        estimator_type=kind if kind in ("classifier", "regressor", "clusterer") else None,
        target_tags=TargetTags(required=requires_y),
        input_tags=InputTags(allow_nan=bool(getattr(est, "_allow_nan", False))),
    )
    if kind == "classifier":
        tags.classifier_tags = ClassifierTags()
    if kind == "regressor":
        tags.regressor_tags = RegressorTags()
    if hasattr(est, "transform"):
        tags.transformer_tags = TransformerTags(preserves_dtype=["float64", "float32"])
    return tags
