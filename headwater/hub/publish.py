"""Making hub artifacts: ``headwater publish RUN_DIR --name NAME --out DIR`` and its Python forms.

An artifact records nothing machine-specific (no absolute paths, no times), so the
same run published twice gives byte-identical files. ``out`` is a folder, or a
``.zip`` path for a single-file artifact.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from headwater.hub.artifact import FORMAT, FORMAT_VERSION, META, WEIGHTS, sha256_file
from headwater.hub.errors import HubError

__all__ = ["publish", "publish_model"]


def _prepare_out(out: Path, overwrite: bool) -> None:
    if out.exists() and (out.is_file() or any(out.iterdir())):
        if not overwrite:
            raise HubError(f"{out} already exists and is not empty; choose another --out or pass overwrite=True "
                           f"(--overwrite)")
        if out.is_dir():
            shutil.rmtree(out)
        else:
            out.unlink()


def _finish(folder: Path, meta: dict[str, Any], out: Path) -> Path:
    """Hash every file in ``folder``, write ``meta.json``, and move the artifact to ``out``."""
    from headwater.autograd.serialization import atomic_open
    from headwater.pipelines.info import headwater_version

    files = {p.relative_to(folder).as_posix(): sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()}
    meta = {"format": FORMAT, "format_version": FORMAT_VERSION, **meta, "headwater_version": headwater_version(),
            "files": files}
    (folder / META).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    if out.suffix.lower() == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        with atomic_open(out) as raw, zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(folder.rglob("*")):
                if path.is_file():  # fixed times keep the archive's bytes reproducible
                    info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    zf.writestr(info, path.read_bytes())
    else:
        out.mkdir(parents=True, exist_ok=True)
        for path in folder.iterdir():
            shutil.move(str(path), out / path.name)
    return out


def _inputs_of_run(config: Any, data_dir: Path) -> list[dict[str, str]]:
    from headwater.pipelines.data import load_data
    from headwater.pipelines.errors import DataError

    try:
        df = load_data(config.data, data_dir)
    except DataError as exc:
        raise HubError(f"publish reads the run's data once to record its input columns and dtypes, and could not: "
                       f"{exc}") from None
    return [{"name": name, "dtype": str(dtype)} for name, dtype in df.dtypes.items()]


def publish(run_dir: str | Path, name: str, out: str | Path, *, version: str = "1.0", description: str | None = None,
            metadata: dict[str, Any] | None = None, overwrite: bool = False) -> Path:
    """Make a hub artifact from a finished run directory; returns ``out``.

    The artifact holds the run's resolved config, its fitted preprocessing state, the
    best epoch's model weights as safetensors, and ``meta.json`` (name, version, task,
    target, classes, the input columns and dtypes, the run's metrics, and the sha256
    of every file). Load it with ``hw.hub.load(out)``.

    Parameters
    ----------
    run_dir : path
        Made by ``headwater run``.
    name : str
        The artifact's name.
    out : path
        A folder (created; it must be empty unless ``overwrite``) or a ``.zip`` file.
    version, description : str
        Recorded in ``meta.json`` (the description defaults to the config's).
    metadata : dict, optional
        Extra JSON-able entries for ``meta.json`` (for example how to re-check the metrics).
    overwrite : bool
        Replace what is at ``out``.

    Raises
    ------
    ConfigError
        ``run_dir`` is not a finished run.
    HubError
        ``out`` is taken, or the run joined other sources (an artifact carries no data;
        join first and publish a pipeline that reads one table).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import headwater as hw
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> art = hw.hub.publish(hw.hub.artifact_path("penguins"), "copy", folder / "copy")
    >>> hw.hub.load(art).task
    'classification'
    """
    import yaml

    from headwater.autograd.safetensors_format import save_file
    from headwater.pipelines.predict import load_run
    from headwater.pipelines.runner import PREPROCESSING_FILE

    if not isinstance(name, str) or not name:
        raise ValueError(f"publish: name must be a non-empty string, got {name!r}")
    run_dir, out = Path(run_dir), Path(out)
    if (run_dir / META).exists():  # republishing an artifact: its weights are already safetensors
        from headwater.autograd.serialization import load
        from headwater.hub.artifact import read_meta, verify
        from headwater.pipelines.predict import fitted_model, read_fitted

        verify(run_dir, read_meta(run_dir))
        config, _, encoder, layout = read_fitted(run_dir)
        model = fitted_model(config, layout, encoder, load(run_dir / WEIGHTS))
        source_meta = json.loads((run_dir / META).read_text(encoding="utf-8"))
        metrics, inputs = source_meta.get("metrics", {}), source_meta.get("inputs")
    else:
        config, _, encoder, layout, model = load_run(run_dir)
        metrics_path = run_dir / "metrics.json"
        metrics = json.loads(metrics_path.read_text(encoding="utf-8")) if metrics_path.exists() else {}
        inputs = None
    if config.data.joins:
        raise HubError(f"{run_dir} joins {len(config.data.sources)} sources; an artifact carries no data, so publish "
                       f"a pipeline that reads one table (join the sources first and write them to one file)")
    prep = json.loads((run_dir / PREPROCESSING_FILE).read_text(encoding="utf-8"))
    if inputs is None:
        inputs = _inputs_of_run(config, Path(prep.get("data_dir") or Path.cwd()))
    prep.pop("data_dir", None)  # a path on the publishing machine; the artifact needs no other source
    _prepare_out(out, overwrite)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        resolved = yaml.safe_load((run_dir / "config.yaml").read_text(encoding="utf-8"))
        resolved.setdefault("output", {})["dir"] = None  # where the run wrote, on the publishing machine
        (folder / "config.yaml").write_text(yaml.safe_dump(resolved, sort_keys=False), encoding="utf-8")
        (folder / PREPROCESSING_FILE).write_text(json.dumps(prep, indent=2) + "\n", encoding="utf-8")
        save_file(model.state_dict(), folder / WEIGHTS, metadata={"name": name, "version": str(version)})
        meta = {"name": name, "version": str(version), "kind": "pipeline", "task": config.target.task,
                "description": description if description is not None else (config.description or config.name),
                "target": config.target.column,
                "classes": None if config.target.task == "regression" else list(encoder.classes),
                "inputs": inputs, "metrics": metrics, **(metadata or {})}
        return _finish(folder, meta, out)


def publish_model(model: Any, architecture: str, name: str, out: str | Path, *, kwargs: dict[str, Any] | None = None,
                  task: str, inputs: list[dict[str, Any]], metrics: dict[str, Any], version: str = "1.0",
                  description: str = "", metadata: dict[str, Any] | None = None, overwrite: bool = False) -> Path:
    """Make a bare-model artifact: ``model``'s weights as safetensors, and a ``meta.json``
    naming its architecture (a name in :data:`headwater.hub.architectures.ARCHITECTURES`
    built with ``kwargs``); ``hw.hub.load(out)`` returns the module with its weights.

    Raises
    ------
    HubError
        ``architecture`` is not registered, or does not build a module whose state fits ``model``'s.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import headwater as hw
    >>> from headwater.hub.architectures import digits_cnn
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "cnn.zip"
    >>> _ = hw.hub.publish_model(digits_cnn(), "digits_cnn", "untrained", out, task="classification",
    ...                          inputs=[{"name": "images", "dtype": "float32", "shape": [None, 1, 8, 8]}], metrics={})
    >>> type(hw.hub.load(out)).__name__
    'Sequential'
    """
    from headwater.autograd.safetensors_format import save_file
    from headwater.hub.architectures import build_architecture

    spec = {"name": architecture, "kwargs": dict(kwargs or {})}
    probe = build_architecture(spec, "publish_model")
    ours, theirs = dict(model.state_dict()), dict(probe.state_dict())
    if {k: tuple(v.shape) for k, v in ours.items()} != {k: tuple(v.shape) for k, v in theirs.items()}:
        raise HubError(f"publish_model: {architecture}({spec['kwargs']}) has state {sorted(theirs)} with other keys or "
                       f"shapes than the model given; pass the architecture and kwargs that built it")
    out = Path(out)
    _prepare_out(out, overwrite)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        save_file(ours, folder / WEIGHTS, metadata={"name": name, "version": str(version)})
        meta = {"name": name, "version": str(version), "kind": "model", "task": task, "description": description,
                "architecture": spec, "inputs": inputs, "metrics": metrics, **(metadata or {})}
        return _finish(folder, meta, out)
