"""From a transformed frame to the tensors the model takes, the same way every time.

The run and ``headwater predict`` share this module, so the features a saved model
sees at prediction time are built exactly as in training: the same steps with their
fitted state, the same column order, the same dtypes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from headwater.pipelines.errors import DataError
from headwater.pipelines.steps import Step
from headwater.pipelines.trainer import Inputs

__all__ = ["ROW", "FeatureLayout", "add_row_ids", "leading_stateless", "fit_steps", "apply_steps", "to_inputs"]

ROW = "__row__"  # the row's position in the loaded data; carried through every step
_NUMERIC = ("int", "uint", "float", "bool")


def add_row_ids(df: Any) -> Any:
    """``df`` with an int64 column ``__row__`` = 0..n-1 (its position in the input)."""
    from headwater.dataframe.column import build_column
    from headwater.dataframe.series import Series
    from headwater.tensor.devices import get_backend

    n = len(df)
    first = next(iter(df._columns.values()), None)
    xp = first.xp if first is not None else get_backend().xp
    return df.assign(**{ROW: Series._from_column(build_column(xp.arange(n, dtype=xp.int64)), ROW)})


def _guard(step: Step, index: int, fn: Any, df: Any) -> Any:
    try:
        return fn(df)
    except DataError:
        raise
    except (KeyError, ValueError, TypeError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        raise DataError(f"step {index} ({step.name}) failed: {message}") from None


def leading_stateless(steps: list[Step]) -> int:
    """How many steps at the start learn nothing; those run on the whole table before the split.

    So filters, derived columns, rolling windows and lags see every row (a rolling
    window of a validation row includes the training rows before it), and the split
    may use a derived column. From the first learning step on, steps are fitted on
    the training split only.
    """
    for i, step in enumerate(steps):
        if step.learns:
            return i
    return len(steps)


def fit_steps(steps: list[Step], train: Any, others: list[Any], offset: int = 0) -> tuple[Any, list[Any]]:
    """Fit each step on the training frame and apply it to ``others``, in order."""
    for i, step in enumerate(steps, offset):
        train = _guard(step, i, step.fit_transform if step.learns else step.transform, train)
        others = [_guard(step, i, step.transform, df) for df in others]
    return train, others


def apply_steps(steps: list[Step], df: Any, offset: int = 0) -> Any:
    """Apply fitted steps to a frame (no fitting)."""
    for i, step in enumerate(steps, offset):
        df = _guard(step, i, step.transform, df)
    return df


@dataclass
class FeatureLayout:
    """Which columns feed the model, and how.

    Attributes
    ----------
    numeric : list of str
        Stacked, in this order, into the float32 input matrix.
    categorical : dict
        Column -> cardinality, stacked into the int64 code matrix for embeddings.
    """

    numeric: list[str] = field(default_factory=list)
    categorical: dict[str, int] = field(default_factory=dict)

    @classmethod
    def infer(cls, df: Any, steps: list[Step], target: str, embed: bool) -> FeatureLayout:
        """Every column except the target: codes of categorify steps embedded, the rest numeric.

        Raises
        ------
        DataError
            A column is neither numeric nor encoded.
        """
        coded: dict[str, int] = {}
        for step in steps:
            coded.update(step.categorical())
        layout = cls()
        for name, col in df._columns.items():
            if name in (target, ROW):
                continue
            if embed and name in coded:
                layout.categorical[name] = coded[name]
            elif col.kind in _NUMERIC:
                layout.numeric.append(name)
            else:
                raise DataError(
                    f"column {name!r} is {col.dtype} and cannot feed the model; add a categorify or "
                    f"one_hot step for it (features: - categorify: [{name}]), or drop it"
                )
        if not layout.numeric and not layout.categorical:
            raise DataError("no feature columns are left after the features steps; keep at least one")
        return layout

    def to_dict(self) -> dict[str, Any]:
        return {"numeric": list(self.numeric), "categorical": dict(self.categorical)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> FeatureLayout:
        return cls(list(d["numeric"]), {k: int(v) for k, v in d["categorical"].items()})


def to_inputs(df: Any, layout: FeatureLayout, encode_target: Any = None) -> Inputs:
    """The model's input tensors for a frame (and the encoded target, when asked)."""
    from headwater.tensor.tensor import Tensor

    missing = [c for c in [*layout.numeric, *layout.categorical] if c not in df._columns]
    if missing:
        raise DataError(f"the data lacks feature column(s) {missing} that the model was trained with")
    try:
        numeric = df.to_tensor(columns=layout.numeric, dtype="float32") if layout.numeric else None
        codes = df.to_tensor(columns=list(layout.categorical), dtype="int64") if layout.categorical else None
    except ValueError as exc:
        raise DataError(f"{exc}; add a fillna step for the column, or a filter that drops those rows") from None
    target = Tensor(encode_target(df)) if encode_target is not None else None
    return Inputs(numeric, codes, target)
