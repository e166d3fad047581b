"""The pipeline file, section by section: this schema is its documentation.

A pipeline file has the sections ``data``, ``features``, ``target``, ``split``,
``model``, ``train``, ``evaluate`` and ``output`` (plus a ``name``). Every key is
declared below with its type, default and meaning; an unknown key is an error with
the closest valid name. The ``features`` list is checked against the step registry
(:mod:`headwater.pipelines.steps`), whose steps declare their own options.

Example (``examples/penguins.yaml``)::

    name: penguins
    data:
      sources:
        penguins: {path: data/penguins.csv}
    features:
      - fillna: {columns: [bill_length_mm, body_mass_g], strategy: median}
      - categorify: [island, sex]
      - normalize: [bill_length_mm, body_mass_g]
    target: {column: species, task: classification}
    split: {fractions: {train: 0.7, validation: 0.15, test: 0.15}, seed: 0}
    model: {type: mlp, hidden: [32, 16]}
    train: {epochs: 30, batch_size: 32, lr: 0.01}
    evaluate: {metrics: [accuracy, f1, log_loss]}
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeFloat, PositiveInt, model_validator

__all__ = [
    "PipelineConfig",
    "Source",
    "Join",
    "DataSection",
    "TargetSection",
    "Fractions",
    "TimeSplit",
    "SplitSection",
    "EmbeddingSection",
    "ModelSection",
    "SchedulerSection",
    "EarlyStopping",
    "DistributedSection",
    "TrainSection",
    "EvaluateSection",
    "OutputSection",
    "CLASSIFICATION_METRICS",
    "REGRESSION_METRICS",
    "default_metrics",
]

CLASSIFICATION_METRICS = ("accuracy", "precision", "recall", "f1", "roc_auc", "log_loss")
REGRESSION_METRICS = ("rmse", "mae", "r2")
Task = Literal["classification", "binary", "regression"]
Metric = Literal["accuracy", "precision", "recall", "f1", "roc_auc", "log_loss", "rmse", "mae", "r2"]
Scalar = str | int | float | bool


class Strict(BaseModel):
    """Base of every section: unknown keys are errors, values are not coerced loosely."""

    model_config = ConfigDict(extra="forbid", validate_default=True)


# -- data ------------------------------------------------------------------------------
class Source(Strict):
    """One table: a file, a glob of files, or a directory of Parquet files."""

    path: str = Field(description="File, glob (data/part-*.parquet) or Parquet directory, relative to the YAML file's folder.")
    format: Literal["csv", "parquet"] | None = Field(None, description="Defaults to the file suffix (.csv, .parquet).")
    columns: list[str] | None = Field(None, description="Read only these columns.")
    sep: str = Field(",", description="CSV field separator.")
    na_values: list[str] | None = Field(None, description="CSV strings read as null (default: pyarrow's list, 'NA' included).")
    parse_dates: list[str] = Field(default_factory=list, description="CSV columns parsed as datetimes.")
    dtype: dict[str, str] = Field(default_factory=dict, description="Column -> dtype to read it as (int64, float32, str...).")


class Join(Strict):
    """Join one source onto another, in order; by default onto the main table (the first
    source). Joining two other sources first (``left: customers``, ``right: regions``)
    lets a later join bring both onto the main table."""

    right: str = Field(description="The name of the source to join in.")
    left: str | None = Field(None, description="The source joined onto (default: the main table).")
    on: list[str] | None = Field(None, description="Key columns present in both tables.")
    left_on: list[str] | None = Field(None, description="Keys of the left table, with right_on.")
    right_on: list[str] | None = Field(None, description="Keys of the right table, with left_on.")
    how: Literal["inner", "left"] = Field("left", description="inner or left (the main table's rows are kept).")
    suffixes: tuple[str, str] = Field(("", "_right"), description="Appended to clashing column names.")

    @model_validator(mode="after")
    def _keys(self) -> Join:
        if self.on is None and (self.left_on is None or self.right_on is None):
            raise ValueError("give the join keys as 'on', or as both 'left_on' and 'right_on'")
        if self.on is not None and (self.left_on is not None or self.right_on is not None):
            raise ValueError("give either 'on' or 'left_on'/'right_on', not both")
        if self.left_on is not None and self.right_on is not None and len(self.left_on) != len(self.right_on):
            raise ValueError(f"left_on has {len(self.left_on)} keys but right_on has {len(self.right_on)}")
        return self


class DataSection(Strict):
    """The tables to read. The first source is the main table; joins add columns to it."""

    sources: dict[str, Source] = Field(min_length=1, description="name -> source; the first one is the main table.")
    joins: list[Join] = Field(default_factory=list, description="Joins applied in order (onto the main table unless left names another source).")


# -- target and split --------------------------------------------------------------------
class TargetSection(Strict):
    """What to predict."""

    column: str = Field(description="The target column.")
    task: Task = Field(description="classification (several classes), binary (two) or regression.")
    positive: Scalar | None = Field(None, description="binary: the value counted as positive (default: the larger of the two).")


class Fractions(Strict):
    """Random split fractions; they must add up to 1."""

    train: float = Field(0.7, gt=0, lt=1)
    validation: float = Field(0.15, ge=0, lt=1)
    test: float = Field(0.15, ge=0, lt=1)

    @model_validator(mode="after")
    def _sum(self) -> Fractions:
        total = self.train + self.validation + self.test
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"train + validation + test must add up to 1, got {total:g}")
        return self


class TimeSplit(Strict):
    """A split in time: rows before ``validation_from`` train, then validation, then test."""

    column: str = Field(description="A datetime (or numeric) column.")
    validation_from: datetime | date | float | str = Field(description="First value of the validation period (a date such as 2024-06-01).")
    test_from: datetime | date | float | str | None = Field(None, description="First value of the test period; none means no test rows.")


class SplitSection(Strict):
    """How rows are divided into train, validation and test: one of the three ways."""

    fractions: Fractions | None = Field(None, description="Random split (the default, 0.7/0.15/0.15).")
    seed: int = Field(0, description="Seed of the random split.")
    column: str | None = Field(None, description="A column holding train / validation / test per row.")
    time: TimeSplit | None = Field(None, description="A split at time cut-offs.")

    @model_validator(mode="after")
    def _one_way(self) -> SplitSection:
        ways = [k for k in ("fractions", "column", "time") if getattr(self, k) is not None]
        if len(ways) > 1:
            raise ValueError(f"choose one way to split, got {' and '.join(ways)}")
        if not ways:
            self.fractions = Fractions()
        return self


# -- model --------------------------------------------------------------------------------
class EmbeddingSection(Strict):
    """Embeddings for the columns coded by ``categorify`` steps."""

    enabled: bool = Field(True, description="Embed categorified columns; off feeds their codes as numbers.")
    sizes: dict[str, PositiveInt] = Field(default_factory=dict, description="column -> embedding size, overriding the rule.")
    max_size: PositiveInt = Field(50, description="Default size rule: min(max_size, (cardinality + 1) // 2).")


class ModelSection(Strict):
    """The model: a network (an MLP, or ``linear``: no hidden layers), or a classic model.

    ``linear_regression ridge lasso logistic_regression knn`` are ``hw.ml``
    estimators, ``xgboost`` XGBoost's, ``sklearn`` the scikit-learn class named by
    ``estimator``; ``params`` are their constructor arguments (see
    ``headwater/pipelines/classic_models.py``).
    """

    type: Literal["mlp", "linear", "linear_regression", "ridge", "lasso", "logistic_regression", "knn", "xgboost",
                  "sklearn"] = Field("mlp", description="mlp, linear, or a classic model type.")
    params: dict[str, Any] = Field(default_factory=dict, description="Constructor arguments of a classic model.")
    estimator: str | None = Field(None, description="sklearn: the estimator class, as module.Class.")
    hidden: list[PositiveInt] = Field(default_factory=lambda: [64, 64], description="Hidden layer sizes of the MLP.")
    activation: Literal["relu", "gelu", "tanh", "sigmoid", "silu", "leaky_relu"] = "relu"
    dropout: float = Field(0.0, ge=0, lt=1, description="Dropout after each hidden layer.")
    norm: Literal["none", "batch", "layer"] = Field("none", description="Normalisation after each hidden linear layer.")
    embeddings: EmbeddingSection = Field(default_factory=EmbeddingSection)


# -- training -----------------------------------------------------------------------------
class SchedulerSection(Strict):
    """A learning-rate schedule, stepped once per epoch (onecycle: per batch)."""

    type: Literal["step", "cosine", "onecycle", "plateau"]
    step_size: PositiveInt = Field(10, description="step: epochs between decays.")
    gamma: float = Field(0.1, gt=0, description="step: decay factor.")
    min_lr: NonNegativeFloat = Field(0.0, description="cosine: the final learning rate.")
    max_lr: float | None = Field(None, gt=0, description="onecycle: the peak (default 10 x lr).")
    patience: PositiveInt = Field(3, description="plateau: epochs without improvement before decaying.")
    factor: float = Field(0.1, gt=0, lt=1, description="plateau: decay factor.")


class EarlyStopping(Strict):
    """Stop when a metric stops improving."""

    metric: str = Field("validation.loss", description="validation.loss, or validation.<a metric of evaluate.metrics>.")
    patience: PositiveInt = Field(5, description="Epochs without improvement before stopping.")
    mode: Literal["auto", "min", "max"] = Field("auto", description="auto: max for accuracy-like metrics, min for losses and errors.")
    min_delta: NonNegativeFloat = Field(0.0, description="Smallest change counted as an improvement.")


class DistributedSection(Strict):
    """Data-parallel training over several processes (``hw.distributed``).

    Start the ranks with ``headwater launch -n <world_size> -m headwater run FILE``.
    ``train.batch_size`` stays the global batch: each rank trains on its share of
    every batch, so the weights follow the one-process run (up to rounding; dropout
    draws its own masks per rank, and batch normalisation sees each rank's share).
    Rank 0 writes the run directory; checkpoints hold the unwrapped model, so a run
    resumes on any number of ranks, one included.
    """

    backend: Literal["loopback", "mpi", "nccl"] = Field(description="mpi: CPU processes; nccl: one GPU per rank; loopback: one process (tests).")
    world_size: PositiveInt = Field(description="Number of ranks; must equal the number headwater launch -n started.")
    timeout: float = Field(1800.0, gt=0, description="Seconds a collective waits for the other ranks before the run stops with an error naming the rank.")


class TrainSection(Strict):
    """The training loop.

    Every epoch writes ``checkpoints/last``; ``checkpoints/best`` holds the epoch with
    the best ``early_stopping.metric`` (``validation.loss`` when early stopping is off),
    and the final metrics and predictions come from that epoch.
    """

    epochs: PositiveInt = 20
    batch_size: PositiveInt = 64
    optimizer: Literal["sgd", "adam", "adamw", "rmsprop"] = "adam"
    lr: float = Field(1e-3, gt=0, description="Learning rate.")
    weight_decay: NonNegativeFloat = 0.0
    momentum: NonNegativeFloat | None = Field(None, description="Momentum of sgd (default 0.9) and rmsprop (default 0).")
    scheduler: SchedulerSection | None = None
    early_stopping: EarlyStopping | None = None
    grad_clip: float | None = Field(None, gt=0, description="Clip the gradient norm to this value.")
    seed: int = Field(0, description="Seeds initialisation, shuffling and dropout.")
    device: Literal["auto", "cpu", "cuda"] = Field("auto", description="auto picks CUDA when CuPy can use a GPU.")
    distributed: DistributedSection | None = Field(None, description="Data-parallel training over several ranks: {backend, world_size}.")


class EvaluateSection(Strict):
    """Metrics reported for train, validation and test (default: by task)."""

    metrics: list[Metric] | None = Field(None, description="Default: accuracy, f1, log_loss (+ roc_auc for binary); rmse, mae, r2.")


class OutputSection(Strict):
    """Where the run directory goes and what it holds."""

    dir: str | None = Field(None, description="Default runs/<name>-<timestamp>, under the current directory.")
    plots: bool = Field(True, description="Write PNG plots.")
    tensorboard: bool = Field(True, description="Write TensorBoard event files.")


def default_metrics(task: str) -> list[str]:
    """The metrics reported when ``evaluate.metrics`` is not given.

    Examples
    --------
    >>> from headwater.pipelines.schema import default_metrics
    >>> default_metrics("regression")
    ['rmse', 'mae', 'r2']
    """
    if task == "regression":
        return list(REGRESSION_METRICS)
    if task == "binary":
        return ["accuracy", "f1", "roc_auc", "log_loss"]
    return ["accuracy", "f1", "log_loss"]


class PipelineConfig(Strict):
    """A whole pipeline file.

    Examples
    --------
    >>> from headwater.pipelines.schema import PipelineConfig
    >>> cfg = PipelineConfig.model_validate({
    ...     "name": "demo",
    ...     "data": {"sources": {"t": {"path": "t.csv"}}},
    ...     "target": {"column": "y", "task": "regression"},
    ... })
    >>> cfg.train.epochs, cfg.split.fractions.train, cfg.model.hidden
    (20, 0.7, [64, 64])
    """

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="Names the run directory.")
    description: str = ""
    data: DataSection
    features: list[dict[str, Any]] = Field(default_factory=list, description="Ordered steps, each {step_name: options}.")
    target: TargetSection
    split: SplitSection = Field(default_factory=SplitSection)
    model: ModelSection = Field(default_factory=ModelSection)
    train: TrainSection = Field(default_factory=TrainSection)
    evaluate: EvaluateSection = Field(default_factory=EvaluateSection)
    output: OutputSection = Field(default_factory=OutputSection)

    @property
    def metrics(self) -> list[str]:
        """The metrics to report: ``evaluate.metrics`` or the task's defaults."""
        return list(self.evaluate.metrics) if self.evaluate.metrics else default_metrics(self.target.task)
