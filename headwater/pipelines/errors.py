"""The errors of the pipeline runner, and the exit code each one maps to.

A user meets these at the command line, so each one says where (the field path and,
when the value came from the file, its line and column), what was wrong, and what to
do instead. ``ConfigError`` and ``DataError`` exit with code 2 (nothing has run yet);
``RunError`` and its subclasses exit with code 1 (the run started and failed).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ConfigIssue",
    "PipelineError",
    "ConfigError",
    "RunDirectoryError",
    "DeviceError",
    "DataError",
    "RunError",
    "NonFiniteLossError",
    "EXIT_OK",
    "EXIT_RUN_FAILED",
    "EXIT_INVALID",
]

EXIT_OK = 0
EXIT_RUN_FAILED = 1
EXIT_INVALID = 2


@dataclass(frozen=True)
class ConfigIssue:
    """One problem in a pipeline file.

    Attributes
    ----------
    path : str
        The dotted field path, such as ``train.epochs`` or ``features.2.normalize``.
    message : str
        What was wrong and what was expected.
    line, column : int or None
        1-based position in the YAML file, when the value came from the file.
    source : str
        The file name, or ``--set`` for a value given on the command line.

    Examples
    --------
    >>> from headwater.pipelines.errors import ConfigIssue
    >>> str(ConfigIssue("train.epochs", "expected an integer", 4, 11, "p.yaml"))
    'p.yaml:4:11: train.epochs: expected an integer'
    """

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    source: str = "<config>"

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}:{self.column}"
        field = f"{self.path}: " if self.path else ""
        return f"{where}: {field}{self.message}"


class PipelineError(Exception):
    """Base of every error the pipeline runner raises on purpose."""

    exit_code = EXIT_RUN_FAILED


class ConfigError(PipelineError):
    """The pipeline file (or a ``--set`` override) is invalid; nothing ran.

    Carries every issue found, so that one ``headwater validate`` shows them all.

    Examples
    --------
    >>> from headwater.pipelines.errors import ConfigError, ConfigIssue
    >>> err = ConfigError([ConfigIssue("name", "expected a string", 1, 7, "p.yaml")])
    >>> print(err)
    invalid pipeline file (1 problem):
      p.yaml:1:7: name: expected a string
    >>> err.exit_code
    2
    """

    exit_code = EXIT_INVALID
    title = "invalid pipeline file"

    def __init__(self, issues: list[ConfigIssue] | ConfigIssue) -> None:
        self.issues = [issues] if isinstance(issues, ConfigIssue) else list(issues)
        n = len(self.issues)
        lines = "\n".join(f"  {issue}" for issue in self.issues)
        super().__init__(f"{self.title} ({n} problem{'s' if n != 1 else ''}):\n{lines}")


class RunDirectoryError(ConfigError):
    """The run directory cannot be used: it holds another run's outputs, another run is
    writing to it, or ``--resume`` finds no matching checkpoint there (exit code 2).

    Examples
    --------
    >>> from headwater.pipelines.errors import ConfigIssue, RunDirectoryError
    >>> print(RunDirectoryError(ConfigIssue("output.dir", "runs/a is in use", None, None, "--resume")))
    run directory refused (1 problem):
      --resume: output.dir: runs/a is in use
    """

    title = "run directory refused"


class DeviceError(ConfigError):
    """The requested device is not available (exit code 2).

    Examples
    --------
    >>> from headwater.pipelines.errors import ConfigIssue, DeviceError
    >>> str(DeviceError(ConfigIssue("train.device", "no GPU", None, None, "--device"))).splitlines()[0]
    'device unavailable (1 problem):'
    """

    title = "device unavailable"


class DataError(PipelineError):
    """A data file is missing or unreadable, or lacks a column the pipeline names."""

    exit_code = EXIT_INVALID


class RunError(PipelineError):
    """The run started and could not finish (exit code 1)."""

    exit_code = EXIT_RUN_FAILED


class NonFiniteLossError(RunError):
    """The training loss became NaN or infinite; the last good checkpoint is kept.

    Examples
    --------
    >>> from headwater.pipelines.errors import NonFiniteLossError
    >>> str(NonFiniteLossError(epoch=3, batch=7, value=float("nan")))[:40]
    'training loss is nan at epoch 3, batch 7'
    """

    def __init__(self, epoch: int, batch: int, value: float, checkpoint: str | None = None) -> None:
        self.epoch, self.batch, self.value = epoch, batch, value
        kept = f"the last good checkpoint is {checkpoint}" if checkpoint else "no epoch had completed, so there is no checkpoint"
        super().__init__(
            f"training loss is {value} at epoch {epoch}, batch {batch}; {kept}. "
            f"Lower train.lr, add a normalize step for large-valued columns, or check the "
            f"data for inf values"
        )
