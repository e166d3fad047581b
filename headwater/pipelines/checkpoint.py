"""Checkpoints of a run: the model, the optimizer and the trainer's own state.

Each epoch writes ``checkpoints/last`` (and ``checkpoints/best`` when the monitored
metric improved) with ``hw.save``, which writes a temporary file and renames it, so
a checkpoint on disk is always complete: a run killed at any moment resumes from
the last epoch that finished. The trainer's bookkeeping (epoch, history, best value)
is stored as one JSON string inside the checkpoint, so the two can never disagree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from headwater.autograd.serialization import load, save

__all__ = ["save_checkpoint", "load_checkpoint", "checkpoint_path", "CHECKPOINT_NAMES"]

CHECKPOINT_NAMES = ("last", "best")
_SUFFIX = ".hwt"


def checkpoint_path(run_dir: Path, which: str) -> Path:
    """``run_dir/checkpoints/<which>.hwt``."""
    return Path(run_dir) / "checkpoints" / f"{which}{_SUFFIX}"


def save_checkpoint(run_dir: Path, which: str, model: Any, optimizer: Any, scheduler: Any,
                    trainer_state: dict[str, Any]) -> Path:
    """Write one checkpoint atomically and return its path."""
    path = checkpoint_path(run_dir, which)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload: dict[str, Any] = {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "trainer": json.dumps(trainer_state),
    }
    if scheduler is not None:
        payload["scheduler"] = scheduler.state_dict()
    save(payload, str(path))
    return path


def load_checkpoint(run_dir: Path, which: str, device: Any = None) -> dict[str, Any] | None:
    """The checkpoint as saved (``trainer`` decoded), or None when there is none."""
    path = checkpoint_path(run_dir, which)
    if not path.exists():
        return None
    payload = dict(load(str(path), device=device))
    payload["trainer"] = json.loads(payload["trainer"])
    return payload
