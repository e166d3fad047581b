"""The run directory: where it goes, and the small files written into it.

Layout::

    runs/<name>-<timestamp>/
      config.yaml            the resolved config (every default filled in)
      preprocessing.json     fitted state of every step, the target encoding, the inputs
      checkpoints/last.hwt   written atomically every epoch
      checkpoints/best.hwt   the epoch with the best monitored metric
      history.json           per-epoch train loss, validation loss and metrics
      metrics.json           {"train": {...}, "validation": {...}, "test": {...}}
      predictions.parquet    one row per input row, with its split
      plots/*.png            loss and metric curves, confusion matrix
      tensorboard/           event files (tensorboard --logdir runs/)
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from headwater.pipelines.errors import ConfigError, ConfigIssue

__all__ = ["make_run_dir", "find_resumable", "write_json", "write_text", "check_same_config"]


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (a temporary file, then a rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, value: Any) -> None:
    """Write JSON atomically; NaN becomes null so that every JSON reader accepts it.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> from headwater.pipelines.rundir import write_json
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_json(pathlib.Path(d, "m.json"), {"a": float("nan"), "b": 1.5})
    ...     json.loads(pathlib.Path(d, "m.json").read_text())
    {'a': None, 'b': 1.5}
    """
    write_text(Path(path), json.dumps(_clean(value), indent=2) + "\n")


def _clean(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def make_run_dir(name: str, output_dir: str | None, cwd: Path | None = None) -> Path:
    """``output.dir`` (relative to the current directory), or ``runs/<name>-<timestamp>``."""
    cwd = Path(cwd or Path.cwd())
    if output_dir:
        path = Path(output_dir).expanduser()
        return path if path.is_absolute() else cwd / path
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = cwd / "runs" / f"{name}-{stamp}"
    n = 1
    while path.exists():  # two runs in the same second
        n += 1
        path = cwd / "runs" / f"{name}-{stamp}-{n}"
    return path


def find_resumable(name: str, output_dir: str | None, cwd: Path | None = None) -> Path:
    """The run to resume: ``output.dir``, else the newest ``runs/<name>-*`` with a checkpoint.

    Raises
    ------
    ConfigError
        There is no run with a checkpoint to resume.
    """
    cwd = Path(cwd or Path.cwd())
    if output_dir:
        path = make_run_dir(name, output_dir, cwd)
        candidates = [path] if (path / "checkpoints" / "last.hwt").exists() else []
    else:
        runs = cwd / "runs"
        candidates = sorted(
            (p for p in runs.glob(f"{name}-*") if (p / "checkpoints" / "last.hwt").exists()),
            key=lambda p: (p / "checkpoints" / "last.hwt").stat().st_mtime,
        ) if runs.is_dir() else []
    if not candidates:
        where = output_dir or f"runs/{name}-*"
        raise ConfigError(ConfigIssue("", f"--resume: no run with a checkpoint in {where} (under {cwd}); "
                                          f"start it without --resume", None, None, "--resume"))
    return candidates[-1]


def check_same_config(run_dir: Path, resolved: dict[str, Any]) -> None:
    """Refuse to resume a run whose saved config differs (``train.epochs`` may grow)."""
    saved_path = run_dir / "config.yaml"
    if not saved_path.exists():
        return
    saved = yaml.safe_load(saved_path.read_text(encoding="utf-8")) or {}
    a, b = dict(saved), dict(resolved)
    for d in (a, b):
        d["train"] = {k: v for k, v in (d.get("train") or {}).items() if k not in ("epochs", "device")}
        d["output"] = {}
    if a != b:
        changed = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        raise ConfigError(ConfigIssue(", ".join(changed), f"--resume: the config differs from the one {run_dir} was "
                                                         f"started with; resume with the same file, or start a new run",
                                      None, None, "--resume"))
