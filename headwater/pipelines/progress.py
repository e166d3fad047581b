"""What ``headwater run`` shows while it trains: a rich progress bar per epoch and a
line of metrics when each epoch ends."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from headwater.pipelines.trainer import TrainerCallbacks

__all__ = ["RichProgress", "format_record"]


def format_record(record: dict[str, Any]) -> str:
    """One line for an epoch: ``train loss 0.412 | val loss 0.390 accuracy 0.912``.

    Examples
    --------
    >>> from headwater.pipelines.progress import format_record
    >>> format_record({"epoch": 2, "train": {"loss": 0.5}, "validation": {"loss": 0.4, "accuracy": 0.9}})
    'train loss 0.5000 | validation loss 0.4000  accuracy 0.9000'
    """
    parts = [f"train loss {record['train']['loss']:.4f}"]
    val = record.get("validation") or {}
    if val:
        parts.append("validation " + "  ".join(f"{k} {v:.4f}" for k, v in val.items()))
    return " | ".join(parts)


class RichProgress:
    """Trainer callbacks that drive a rich progress bar on ``console``.

    The bar follows the batches of the current epoch; when an epoch ends, a line
    with its metrics is printed above the bar (``*`` marks the best epoch so far).
    """

    def __init__(self, console: Console, epochs: int) -> None:
        self.console = console
        self.epochs = epochs
        self.progress = Progress(
            TextColumn("[bold]epoch {task.fields[epoch]}/{task.fields[epochs]}"),
            BarColumn(bar_width=30),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.task: Any = None

    def __enter__(self) -> RichProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.stop()

    def _epoch_start(self, epoch: int, batches: int) -> None:
        if self.task is None:
            self.task = self.progress.add_task("train", total=batches, epoch=epoch, epochs=self.epochs)
        else:
            self.progress.reset(self.task, total=batches, epoch=epoch, epochs=self.epochs)

    def _batch_end(self, batch: int) -> None:
        self.progress.update(self.task, completed=batch)

    def _epoch_end(self, record: dict[str, Any]) -> None:
        best = " *" if record.get("best_epoch") == record["epoch"] else ""
        width = len(str(self.epochs))
        self.progress.console.print(f"epoch {record['epoch']:>{width}}/{self.epochs}  {format_record(record)}{best}",
                                    highlight=False, soft_wrap=True)

    def callbacks(self) -> TrainerCallbacks:
        return TrainerCallbacks(self._epoch_start, self._batch_end, self._epoch_end)
