"""The bridge from a pipeline step to a feature op of ``hw.features``.

Learning steps do not re-implement feature engineering: each one builds the
``hw.features`` op it names, lets it fit on the training split, and saves the op's
own ``to_dict()`` as the step's state. Loading that state with
``FeatureOp.from_dict`` gives back an op that transforms exactly as the fitted one.
"""

from __future__ import annotations

from typing import Any, ClassVar

from headwater.pipelines.steps.base import ColumnSet, Step

__all__ = ["FeatureOpStep"]


def _feature_registry() -> dict[str, Any]:
    import headwater.dataframe.features as features  # registers every op

    return features.base.registry


class FeatureOpStep(Step):
    """A step that wraps the ``hw.features`` op registered as ``op_name``.

    ``adds_columns`` says that the op appends columns whose names the pipeline
    cannot know before seeing the data (one-hot indicators, for example).
    """

    op_name: ClassVar[str] = ""
    adds_columns: ClassVar[bool] = False
    learns = True

    def __init__(self, options: Any) -> None:
        super().__init__(options)
        self.op: Any = None

    def op_options(self) -> dict[str, Any]:
        """Keyword arguments of the op, from the step's options (``columns`` aside)."""
        return self.options.model_dump(exclude={"columns"}, exclude_none=True)

    def make_op(self) -> Any:
        cls = _feature_registry()[self.op_name]
        return cls(list(self.options.columns), **self.op_options())

    def columns_after(self, before: ColumnSet) -> ColumnSet:
        if self.adds_columns:
            return ColumnSet(list(before.names), True, before.protected)
        return before

    def fit(self, df: Any) -> None:
        self.op = self.make_op().fit(df)

    def fit_transform(self, df: Any) -> Any:
        # the op's own fit_transform: TargetEncode, for one, encodes its training
        # frame out of fold, which fit() followed by transform() would not do
        self.op = self.make_op()
        return self.op.fit_transform(df)

    def transform(self, df: Any) -> Any:
        if self.op is None:
            if not self.learns:
                self.op = self.make_op()
            else:
                raise RuntimeError(f"step {self.name} was not fitted; fit it on the training split first")
        return self.op.transform(df)

    def state(self) -> dict[str, Any] | None:
        return None if self.op is None else self.op.to_dict()

    def load_state(self, state: dict[str, Any] | None) -> None:
        if state is None:
            self.op = None
            return
        from headwater.dataframe.features.base import FeatureOp

        self.op = FeatureOp.from_dict(state)
