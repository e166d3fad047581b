"""The target column as the network sees it, and back.

Classification targets become class indices ``0..K-1`` (the classes seen in the
training split, sorted; for ``binary`` the positive class is index 1). Regression
targets are standardised with the training mean and standard deviation, and
predictions are mapped back to the original scale. The fitted state is plain JSON.
"""

from __future__ import annotations

from typing import Any

from headwater.pipelines.errors import DataError
from headwater.tensor.transfer import to_host

__all__ = ["TargetEncoder"]


def _column(series: Any) -> Any:
    return series._column


class TargetEncoder:
    """Encode a target Series for training and decode model outputs.

    Parameters
    ----------
    column : str
        The target column.
    task : {"classification", "binary", "regression"}
    positive : optional
        ``binary``: the value that counts as positive (default: the larger one).

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.pipelines.targets import TargetEncoder
    >>> enc = TargetEncoder("y", "classification").fit(hw.DataFrame({"y": ["b", "a", "b"]}))
    >>> enc.classes, enc.encode(hw.DataFrame({"y": ["a", "b"]})).tolist()
    (['a', 'b'], [0, 1])
    """

    def __init__(self, column: str, task: str, positive: Any = None) -> None:
        self.column, self.task, self.positive = column, task, positive
        self.classes: list[Any] = []
        self.mean = 0.0
        self.std = 1.0

    @property
    def n_outputs(self) -> int:
        """Width of the network's output layer."""
        return 1 if self.task == "regression" else len(self.classes)

    def fit(self, df: Any) -> TargetEncoder:
        """Learn the classes, or the mean and scale, from the training frame."""
        series = df[self.column]
        if self.task == "regression":
            col = _column(series)
            if col.kind not in ("int", "uint", "float", "bool"):
                raise DataError(f"target {self.column!r} is {col.dtype}, but task: regression needs numbers; "
                                f"use task: classification for labels")
            values = to_host(col.data).astype("float64")
            self.mean = float(values.mean())
            std = float(values.std())
            self.std = std if std > 0 else 1.0
            return self
        classes = sorted(series.dropna().unique().to_list(), key=lambda v: (str(type(v)), v))
        if self.task == "binary":
            if len(classes) != 2:
                raise DataError(f"task: binary needs exactly 2 classes in {self.column!r}, the training split has "
                                f"{len(classes)}: {classes[:10]}; use task: classification")
            if self.positive is not None:
                if self.positive not in classes:
                    raise DataError(f"target.positive {self.positive!r} is not a class of {self.column!r}: {classes}")
                classes = [c for c in classes if c != self.positive] + [self.positive]
        elif len(classes) < 2:
            raise DataError(f"classification needs at least 2 classes in {self.column!r}, the training split has {classes}")
        self.classes = classes
        return self

    def encode(self, df: Any) -> Any:
        """The target as an xp array: int64 class indices, or float32 standardised values.

        Raises
        ------
        DataError
            A label that the training split never had.
        """
        series = df[self.column]
        col = _column(series)
        xp = col.xp
        if self.task == "regression":
            return ((col.data.astype(xp.float64) - self.mean) / self.std).astype(xp.float32)
        codes = xp.full(len(col), -1, dtype=xp.int64)
        for k, label in enumerate(self.classes):
            hit = _column((series == label).fillna(False)).data
            codes = xp.where(hit, k, codes)
        unknown = int(to_host(xp.sum(codes < 0)))
        if unknown:
            raise DataError(f"{unknown} rows of {self.column!r} have labels the training split does not have "
                            f"(it has {self.classes}); make sure every class appears in the training rows")
        return codes

    def decode(self, output: Any) -> Any:
        """Host predictions in the target's own terms: labels, or values on the original scale."""
        if self.task == "regression":
            return output.reshape(-1) * self.std + self.mean
        return [self.classes[i] for i in output.argmax(axis=1).tolist()]

    def to_dict(self) -> dict[str, Any]:
        """The fitted state as JSON values."""
        return {"column": self.column, "task": self.task, "positive": self.positive,
                "classes": list(self.classes), "mean": self.mean, "std": self.std}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TargetEncoder:
        """Rebuild from :meth:`to_dict`."""
        enc = cls(d["column"], d["task"], d.get("positive"))
        enc.classes, enc.mean, enc.std = list(d["classes"]), float(d["mean"]), float(d["std"])
        return enc
