"""The run directory: where it goes, who owns it, and the files written into it.

Layout::

    runs/<name>-<timestamp>/
      config.yaml            the resolved config (every default filled in)
      preprocessing.json     fitted state of every step, the target encoding, the inputs
      checkpoints/last.hwt   written atomically every epoch
      checkpoints/best.hwt   the epoch with the best monitored metric
      history.json           per-epoch train loss, validation loss and metrics
      metrics.json           {"train": {...}, "validation": {...}, "test": {...}}
      predictions.parquet    one row per input row, with its split
      importance.json        permutation feature importance
      plots/*.png            curves, confusion matrix, calibration, importance...
      report.html            one page summarising the run, with the plots
      tensorboard/           event files (tensorboard --logdir runs/)

A directory belongs to one run. A run refuses a directory that holds another run's
outputs unless told to continue it (``--resume``, which also checks that the config is
the same) or to replace it (``--overwrite``). While a run works it holds an advisory
lock on ``.headwater.lock`` (``fcntl.flock``): a second run into the same directory is
refused at once, and the operating system releases the lock when the process ends,
however it ends, so a killed run can still be resumed. Every file is written
atomically with the umask's permissions (:func:`headwater.autograd.serialization.atomic_open`),
except the TensorBoard event files, which are append-only logs by design: each record
carries its own CRC, so a reader skips a torn last record, and TensorBoard follows the
file as it grows (a file replaced by a rename would not be followed).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import yaml

from headwater.autograd.serialization import atomic_open
from headwater.pipelines.errors import ConfigIssue, RunDirectoryError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "OUTPUTS",
    "LOCK_FILE",
    "RESUMABLE_CHANGES",
    "make_run_dir",
    "find_resumable",
    "claim_run_dir",
    "RunLock",
    "run_outputs",
    "write_json",
    "write_text",
    "write_parquet",
    "config_differences",
    "check_same_config",
]

# what a run writes; a directory holding any of these belongs to a run
OUTPUTS = ("config.yaml", "preprocessing.json", "checkpoints", "history.json", "metrics.json",
           "predictions.parquet", "importance.json", "plots", "report.html", "tensorboard")
LOCK_FILE = ".headwater.lock"
# the keys a resumed run may change: how long and where it trains, and where it writes
RESUMABLE_CHANGES = ("train.epochs", "train.device", "train.distributed", "output")


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (temporary file, fsync, rename).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from headwater.pipelines.rundir import write_text
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_text(pathlib.Path(d, "a", "f.txt"), "hello")
    ...     pathlib.Path(d, "a", "f.txt").read_text()
    'hello'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_open(path, "w") as fh:
        fh.write(text)


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


def write_parquet(path: Path, table: Any) -> None:
    """Write an Arrow table as Parquet, atomically.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pyarrow as pa, pyarrow.parquet as pq
    >>> from headwater.pipelines.rundir import write_parquet
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_parquet(pathlib.Path(d, "p.parquet"), pa.table({"x": [1, 2]}))
    ...     pq.read_table(pathlib.Path(d, "p.parquet")).num_rows
    2
    """
    import pyarrow.parquet as pq

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_open(path) as fh:
        pq.write_table(table, fh)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def make_run_dir(name: str, output_dir: str | None, cwd: Path | None = None) -> Path:
    """``output.dir`` (relative to the current directory), or a new ``runs/<name>-<timestamp>``."""
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
    RunDirectoryError
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
        raise RunDirectoryError(ConfigIssue("", f"--resume: no run with a checkpoint in {where} (under {cwd}); "
                                                f"start it without --resume", None, None, "--resume"))
    return candidates[-1]


def run_outputs(run_dir: Path) -> list[str]:
    """The names of the run files already in ``run_dir`` (empty for a new directory)."""
    run_dir = Path(run_dir)
    return [name for name in OUTPUTS if (run_dir / name).exists()]


class RunLock:
    """An exclusive advisory lock on a run directory, held until :meth:`release`.

    The lock is ``fcntl.flock`` on ``.headwater.lock``: the kernel drops it when the
    holding process exits for any reason (even ``kill -9``), so a stale lock file never
    keeps a run out.

    Raises
    ------
    RunDirectoryError
        Another process holds the lock.

    Examples
    --------
    >>> import tempfile
    >>> from headwater.pipelines.rundir import RunLock
    >>> d = tempfile.mkdtemp()
    >>> lock = RunLock(d)
    >>> RunLock(d)
    Traceback (most recent call last):
    ...
    headwater.pipelines.errors.RunDirectoryError: run directory refused (1 problem): ...
    >>> lock.release(); RunLock(d).release()
    """

    def __init__(self, run_dir: str | os.PathLike[str]) -> None:
        self.path = Path(run_dir) / LOCK_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd: int | None = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        if fcntl is None:  # pragma: no cover
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = self._holder()
            os.close(self._fd)
            self._fd = None
            raise RunDirectoryError(ConfigIssue(
                "output.dir", f"another run{holder} is writing to {self.path.parent} right now; wait for it to "
                              f"finish, or give this run another output.dir (--set output.dir=...)",
                None, None, str(self.path.parent))) from None
        os.ftruncate(self._fd, 0)
        os.write(self._fd, f"{os.getpid()}\n".encode())

    def _holder(self) -> str:
        try:
            pid = self.path.read_text(encoding="ascii").strip()
        except OSError:
            return ""
        return f" (process {pid})" if pid.isdigit() else ""

    def release(self) -> None:
        """Unlock (closing the file releases the flock)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release()


def claim_run_dir(run_dir: Path, *, resume: bool = False, overwrite: bool = False) -> RunLock:
    """Lock ``run_dir`` for this run and make sure no other run's outputs are in it.

    A new run refuses a directory that already holds run outputs, unless
    ``overwrite`` (which removes those outputs, and only those). A resumed run keeps
    them. Returns the held lock.

    Raises
    ------
    RunDirectoryError
        Another run is writing there, or it holds another run's outputs.
    """
    if resume and overwrite:
        raise RunDirectoryError(ConfigIssue("", "--resume continues the run in the directory and --overwrite "
                                                "replaces it; give one of them", None, None, "--resume"))
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    lock = RunLock(run_dir)
    try:
        found = run_outputs(run_dir)
        if found and not resume:
            if not overwrite:
                raise RunDirectoryError(ConfigIssue(
                    "output.dir", f"{run_dir} already holds the outputs of another run ({', '.join(found)}); "
                                  f"continue that run with --resume, replace it with --overwrite, or choose "
                                  f"another output.dir", None, None, str(run_dir)))
            for name in found:
                target = run_dir / name
                shutil.rmtree(target) if target.is_dir() else target.unlink()
    except BaseException:
        lock.release()
        raise
    return lock


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": [1]}, "f": [{"c": 2}]}`` -> ``{"a.b": [1], "f.0.c": 2}``: mappings and lists
    of mappings (the steps) are walked, lists of values compared whole."""
    if (isinstance(value, dict) or (isinstance(value, list) and all(isinstance(v, dict) for v in value))) and value:
        items = value.items() if isinstance(value, dict) else enumerate(value)
        out: dict[str, Any] = {}
        for key, child in items:
            out.update(_flatten(child, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def config_differences(saved: dict[str, Any], resolved: dict[str, Any]) -> list[str]:
    """Dotted keys whose values differ, outside :data:`RESUMABLE_CHANGES`.

    Examples
    --------
    >>> from headwater.pipelines.rundir import config_differences
    >>> config_differences({"train": {"epochs": 5, "lr": 0.1}, "output": {"dir": "a"}},
    ...                    {"train": {"epochs": 9, "lr": 0.2}, "output": {"dir": "b"}})
    ['train.lr']
    """
    a, b = _flatten(saved), _flatten(resolved)

    def free(key: str) -> bool:
        return any(key == k or key.startswith(f"{k}.") for k in RESUMABLE_CHANGES)

    return sorted(k for k in set(a) | set(b) if not free(k) and a.get(k, "<absent>") != b.get(k, "<absent>"))


def check_same_config(run_dir: Path, saved: dict[str, Any] | None, resolved: dict[str, Any]) -> None:
    """Refuse to resume a checkpoint made with another config (epochs, device and output may change).

    ``saved`` is the resolved config stored in the checkpoint; checkpoints written
    before it was stored fall back on ``config.yaml``.

    Raises
    ------
    RunDirectoryError
        Naming each differing key with both values.
    """
    if saved is None:
        saved_path = Path(run_dir) / "config.yaml"
        if not saved_path.exists():
            raise RunDirectoryError(ConfigIssue("", f"--resume: {run_dir} has a checkpoint but no config.yaml, so "
                                                    f"its config cannot be checked; start a new run",
                                                None, None, "--resume"))
        saved = yaml.safe_load(saved_path.read_text(encoding="utf-8")) or {}
    changed = config_differences(saved, resolved)
    if changed:
        a, b = _flatten(saved), _flatten(resolved)
        shown = "; ".join(f"{k}: {a.get(k, '<absent>')!r} then, {b.get(k, '<absent>')!r} now" for k in changed[:8])
        more = f" and {len(changed) - 8} more" if len(changed) > 8 else ""
        raise RunDirectoryError(ConfigIssue(
            ", ".join(changed), f"the checkpoint in {run_dir} was made with another config ({shown}{more}); "
                                f"only train.epochs, train.device, train.distributed and output.* may change. Resume "
                                f"with the same file, or start a new run (--overwrite replaces it)",
            None, None, "--resume"))
