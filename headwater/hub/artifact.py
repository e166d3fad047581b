"""A hub artifact on disk: ``meta.json`` plus the files it lists with their sha256.

A pipeline artifact holds ``config.yaml`` (the resolved config), ``preprocessing.json``
(the fitted state of every step, the target encoding and the input layout) and
``weights.safetensors`` (the model's state dict); a bare-model artifact holds the
weights and names its architecture in ``meta.json``. Every listed file is hashed and
compared before anything is read, and nothing in an artifact is ever executed or
unpickled: weights are safetensors, everything else is JSON or YAML data.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from headwater.hub.errors import HubError, IntegrityError

__all__ = ["META", "WEIGHTS", "FORMAT", "FORMAT_VERSION", "REQUIRED", "sha256_file", "read_meta", "verify",
           "load_artifact"]

META = "meta.json"
WEIGHTS = "weights.safetensors"
FORMAT = "headwater.hub"
FORMAT_VERSION = 1
REQUIRED = {"pipeline": ("config.yaml", "preprocessing.json", WEIGHTS), "model": (WEIGHTS,)}


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file, read in 1 MiB blocks.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from headwater.hub.artifact import sha256_file
    >>> p = pathlib.Path(tempfile.mkdtemp(), "a"); _ = p.write_bytes(b"abc")
    >>> sha256_file(p)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_meta(folder: Path) -> dict[str, Any]:
    """``meta.json`` of an artifact folder, its format and kind checked.

    Raises
    ------
    HubError
        No ``meta.json``, not valid JSON, another format, a newer format version or an unknown kind.
    """
    path = Path(folder) / META
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HubError(f"{folder} has no {META}; it is not a hub artifact") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IntegrityError(f"{path} is not valid JSON ({exc}); the artifact is damaged, refusing to load it") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise HubError(f"{path} is not a Headwater hub manifest (format {meta.get('format') if isinstance(meta, dict) else None!r}, "
                       f"expected {FORMAT!r})")
    if meta.get("format_version", 0) > FORMAT_VERSION:
        raise HubError(f"{path} is hub format version {meta['format_version']}; this Headwater reads up to "
                       f"{FORMAT_VERSION}: upgrade Headwater")
    if meta.get("kind") not in REQUIRED:
        raise HubError(f"{path}: kind {meta.get('kind')!r} is not one of {sorted(REQUIRED)}")
    return meta


def verify(folder: Path, meta: dict[str, Any]) -> None:
    """Check every file ``meta.json`` lists against its sha256, and that the kind's files are listed.

    Raises
    ------
    IntegrityError
        A file is missing, unlisted, or its hash differs (the message names it).
    """
    folder = Path(folder)
    files = meta.get("files")
    if not isinstance(files, dict):
        raise IntegrityError(f"{folder / META} lists no file hashes; refusing to load an unverifiable artifact")
    unlisted = [name for name in REQUIRED[meta["kind"]] if name not in files]
    if unlisted:
        raise IntegrityError(f"{folder / META} lists no hash for {unlisted}; refusing to load the artifact")
    for name, expected in files.items():
        path = folder / name
        if Path(name).is_absolute() or ".." in Path(name).parts or not path.is_file():
            raise IntegrityError(f"{folder}: the file {name!r} that {META} lists is missing; refusing to load")
        actual = sha256_file(path)
        if actual != expected:
            raise IntegrityError(
                f"{path}: sha256 {actual} differs from {expected} recorded in {META}; the file is corrupted or was "
                f"changed after publishing, refusing to load it (publish the artifact again from its run)"
            )


def load_artifact(folder: Path, *, device: Any = None, strict: bool = True) -> Any:
    """The ready object an artifact folder holds: a :class:`HubPipeline`, or an ``hw.nn.Module``.

    ``meta.json`` is checked first, then every file's hash, then the weights are read
    (safetensors) into a model built from code in the package.

    Parameters
    ----------
    device : str or hw.device, optional
        Bare models only: where the weights go (default ``hw.device()``).
    strict : bool
        Bare models only, as ``load_state_dict``'s: False loads the matching keys and
        reports the rest on the module's ``hub_incompatible_keys``.
    """
    from headwater.autograd.serialization import load

    folder = Path(folder)
    meta = read_meta(folder)
    verify(folder, meta)
    if meta["kind"] == "pipeline":
        from headwater.hub.pipeline import HubPipeline
        from headwater.pipelines.predict import fitted_model, read_fitted

        if device is not None or strict is not True:
            raise TypeError("a pipeline loads onto hw.device() with its own weights: device= and strict= apply to "
                            "bare models; call hw.set_device(...) before loading")
        config, steps, encoder, layout = read_fitted(folder)
        model = fitted_model(config, layout, encoder, load(folder / WEIGHTS))
        return HubPipeline(config, steps, encoder, layout, model, meta)
    from headwater.hub.architectures import build_architecture

    model = build_architecture(meta.get("architecture"), str(folder / META))
    if device is not None:
        model = model.to(device)
    result = model.load_state_dict(load(folder / WEIGHTS, map_location=device), strict=strict)
    model.eval()
    model.hub_meta = meta
    model.hub_incompatible_keys = result
    return model
