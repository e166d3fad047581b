"""The step protocol and the registry the ``features`` section is checked against.

A step is a small class registered under the name used in the YAML file. It
declares its options as a pydantic model (``Options``), says which columns it reads
and what the column list looks like after it (so that a wrong column name is caught
before any data is read), and transforms a DataFrame. A step that learns from data
(``learns = True``) is fitted on the training split only and saves its fitted state
as JSON, so that ``headwater predict`` applies exactly the same transform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

__all__ = ["Step", "StepOptions", "ColumnSet", "STEPS", "register"]

STEPS: dict[str, type[Step]] = {}


def register(cls: type[Step]) -> type[Step]:
    """Class decorator: add a step class to :data:`STEPS` under ``cls.name``."""
    if not cls.name or cls.name in STEPS:
        raise ValueError(f"step name {cls.name!r} is empty or registered twice")
    STEPS[cls.name] = cls
    return cls


class StepOptions(BaseModel):
    """Base of step options: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


@dataclass
class ColumnSet:
    """The columns a frame will have at some point of the pipeline.

    ``open`` is True once a step has added columns whose names depend on the data
    (one-hot indicators, for example); names that are not listed are then not
    reported as missing before the run, only when the step meets the data.
    """

    names: list[str]
    open: bool = False
    protected: set[str] = field(default_factory=set)

    def has(self, name: str) -> bool:
        return name in self.names or self.open


class Step:
    """Base of the pipeline steps.

    Subclasses set ``name``, ``Options`` and, when a plain value should stand for
    one option (``- drop: [a, b]`` for ``{columns: [a, b]}``), ``shorthand``.
    """

    name: ClassVar[str] = ""
    Options: ClassVar[type[BaseModel]] = StepOptions
    shorthand: ClassVar[str | None] = "columns"
    learns: ClassVar[bool] = False
    # True when fit_transform on the training frame differs from transform (out-of-fold
    # encodings): the run then re-applies the fitted step to report training metrics
    fit_differs: ClassVar[bool] = False

    def __init__(self, options: BaseModel) -> None:
        self.options = options
        self.target: str | None = None  # the pipeline's target column, set by the runner

    @classmethod
    def from_config(cls, raw: Any) -> Step:
        """Build the step from its YAML value; raises pydantic's ``ValidationError``."""
        if not isinstance(raw, dict) and cls.shorthand is not None:
            raw = {cls.shorthand: raw}
        return cls(cls.Options.model_validate(raw))

    def config(self) -> dict[str, Any]:
        """The step as it would be written in a resolved config file."""
        return {self.name: self.options.model_dump(mode="json")}

    # -- before the run -------------------------------------------------------------
    def reads(self) -> list[str]:
        """Columns this step needs in its input frame."""
        return list(getattr(self.options, "columns", []) or [])

    def columns_after(self, before: ColumnSet) -> ColumnSet:
        """The columns of the frame this step returns, given those it receives."""
        return before

    # -- on data --------------------------------------------------------------------
    def fit(self, df: Any) -> None:
        """Learn the step's state from the training frame (learning steps only)."""

    def transform(self, df: Any) -> Any:
        """Apply the step (with its fitted state) to a frame."""
        raise NotImplementedError(f"{type(self).__name__}.transform")

    def fit_transform(self, df: Any) -> Any:
        """Fit on ``df`` and return it transformed."""
        self.fit(df)
        return self.transform(df)

    def state(self) -> dict[str, Any] | None:
        """The fitted state as JSON values (None for steps that learn nothing)."""
        return None

    def load_state(self, state: dict[str, Any] | None) -> None:
        """Restore the state saved by :meth:`state`."""

    def categorical(self) -> dict[str, int]:
        """Columns this step turned into category codes, with their cardinality."""
        return {}

    def __repr__(self) -> str:
        return f"<step {self.name} {self.options.model_dump(mode='json')}>"
