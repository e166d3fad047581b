"""``hw.utils.tensorboard.SummaryWriter``: scalars for TensorBoard, as
``torch.utils.tensorboard``, written by Headwater's own event-file writer (no
TensorFlow or tensorboard package needed to write).

Scalars (``add_scalar``, ``add_scalars``) are supported; the other summaries
(histograms, images, graphs...) raise ``NotImplementedError`` naming the
alternative, so nothing is dropped silently.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime
from pathlib import Path
from typing import Any

from headwater.tensor.tensor import Tensor
from headwater.utils.event_file import EventWriter

__all__ = ["SummaryWriter"]


def _number(value: Any, tag: str) -> float:
    if isinstance(value, Tensor):
        if value.numel() != 1:
            raise ValueError(f"add_scalar({tag!r}): the tensor has {value.numel()} elements; pass one value")
        return float(value.item())
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"add_scalar({tag!r}): expected a number or a one-element Tensor, got "
                        f"{type(value).__name__}") from None


class SummaryWriter:
    """Write scalar summaries to TensorBoard event files under ``log_dir``.

    ``log_dir`` defaults to ``runs/<date>_<host><comment>`` as in torch.

    Examples
    --------
    >>> import tempfile
    >>> import headwater as hw
    >>> from headwater.utils.event_file import read_events
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with hw.utils.tensorboard.SummaryWriter(d) as writer:
    ...         writer.add_scalar("loss", hw.tensor(0.25), global_step=3)
    ...     [(e["step"], e["scalars"]) for e in read_events(writer.file_path) if e["scalars"]]
    [(3, {'loss': 0.25})]
    """

    def __init__(self, log_dir: str | os.PathLike[str] | None = None, comment: str = "",
                 purge_step: int | None = None, max_queue: int = 10, flush_secs: int = 120,
                 filename_suffix: str = "") -> None:
        if purge_step is not None:
            raise NotImplementedError("SummaryWriter(purge_step=...) is not supported; start a new log_dir")
        if log_dir is None:
            stamp = datetime.now().strftime("%b%d_%H-%M-%S")
            log_dir = Path("runs") / f"{stamp}_{socket.gethostname()}{comment}"
        self.log_dir = str(log_dir)
        self._suffix = filename_suffix
        self._max_queue = max(1, int(max_queue))
        self._pending = 0
        self._writer = EventWriter(self.log_dir, filename_suffix)
        self._children: dict[str, EventWriter] = {}

    @property
    def file_path(self) -> Path:
        """The event file this writer appends to."""
        return self._writer.path

    def get_logdir(self) -> str:
        """The directory the event files are written to."""
        return self.log_dir

    def _write(self, writer: EventWriter, tag: str, value: float, step: int | None,
               walltime: float | None) -> None:
        self._pending += 1
        flush = self._pending >= self._max_queue
        writer.add_scalars({tag: value}, 0 if step is None else int(step), walltime, flush=flush)
        if flush:
            self._pending = 0

    def add_scalar(self, tag: str, scalar_value: Any, global_step: int | None = None,
                   walltime: float | None = None, new_style: bool = False,
                   double_precision: bool = False) -> None:
        """Record ``scalar_value`` (a number or a one-element Tensor) under ``tag``."""
        self._write(self._writer, tag, _number(scalar_value, tag), global_step, walltime)

    def add_scalars(self, main_tag: str, tag_scalar_dict: dict[str, Any], global_step: int | None = None,
                    walltime: float | None = None) -> None:
        """Record several scalars as curves of one chart: each goes to its own run
        ``log_dir/<main_tag>_<tag>``, as in torch."""
        for tag, value in tag_scalar_dict.items():
            key = f"{main_tag.replace('/', '_')}_{tag}"
            child = self._children.get(key)
            if child is None:
                child = self._children[key] = EventWriter(Path(self.log_dir) / key, self._suffix)
            self._write(child, main_tag, _number(value, tag), global_step, walltime)

    def _unsupported(self, what: str) -> NotImplementedError:
        return NotImplementedError(
            f"SummaryWriter.{what} is not supported: Headwater's writer records scalars only; "
            f"log a summary number with add_scalar (e.g. the mean or norm), or save arrays with hw.save"
        )

    def add_histogram(self, *args: Any, **kwargs: Any) -> None:
        """Not supported (raises): record summary numbers with :meth:`add_scalar`."""
        raise self._unsupported("add_histogram")

    def add_image(self, *args: Any, **kwargs: Any) -> None:
        """Not supported (raises)."""
        raise self._unsupported("add_image")

    def add_images(self, *args: Any, **kwargs: Any) -> None:
        """Not supported (raises)."""
        raise self._unsupported("add_images")

    def add_figure(self, *args: Any, **kwargs: Any) -> None:
        """Not supported (raises): save the figure with ``figure.savefig``."""
        raise self._unsupported("add_figure")

    def add_text(self, *args: Any, **kwargs: Any) -> None:
        """Not supported (raises)."""
        raise self._unsupported("add_text")

    def add_graph(self, *args: Any, **kwargs: Any) -> None:
        """Not supported (raises)."""
        raise self._unsupported("add_graph")

    def add_hparams(self, *args: Any, **kwargs: Any) -> None:
        """Not supported (raises): record the metrics with :meth:`add_scalar`."""
        raise self._unsupported("add_hparams")

    def add_embedding(self, *args: Any, **kwargs: Any) -> None:
        """Not supported (raises)."""
        raise self._unsupported("add_embedding")

    def flush(self) -> None:
        """Write pending events to disk."""
        self._pending = 0
        self._writer.flush()
        for child in self._children.values():
            child.flush()

    def close(self) -> None:
        """Flush and close every event file."""
        self._writer.close()
        for child in self._children.values():
            child.close()

    def __enter__(self) -> SummaryWriter:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
