"""``hw.hub.list`` / ``help`` / ``load``: entries registered in the package, as a ``hubconf.py``'s.

An entry is a function with a docstring, registered with :func:`entrypoint`; the
shipped ones live in :mod:`headwater.hub.hubconf` and their artifacts under
``headwater/hub/artifacts/``. ``load`` also takes a path: a hub artifact (a folder, a
``.zip`` or a ``.tar[.gz]``) or a run directory made by ``headwater run``. Unlike
``torch.hub`` there is no repository argument: nothing is downloaded and no
``hubconf.py`` is ever executed, so loading cannot run code from a file.
"""

from __future__ import annotations

import builtins
import difflib
import inspect
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from headwater.hub.errors import HubError, UnknownEntryError

__all__ = ["entrypoint", "artifact_path", "load_path", "list", "help", "load"]

_ENTRIES: dict[str, Callable[..., Any]] = {}
_ARTIFACT_OF: dict[str, str] = {}
_ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
_TORCH_ONLY = ("github", "repo_or_dir", "source", "trust_repo", "force_reload", "skip_validation", "verbose")


def entrypoint(fn: Callable[..., Any] | None = None, *, artifact: str | None = None) -> Any:
    """Register ``fn`` as a hub entry under its own name (``artifact`` names its shipped files).

    Examples
    --------
    >>> from headwater.hub.registry import entrypoint
    >>> @entrypoint
    ... def _demo_entry():
    ...     '''A demo entry.'''
    ...     return 42
    >>> import headwater as hw
    >>> hw.hub.load("_demo_entry")
    42
    """
    def register(f: Callable[..., Any]) -> Callable[..., Any]:
        if not (f.__doc__ or "").strip():
            raise ValueError(f"hub entry {f.__name__!r} needs a docstring: hw.hub.help shows it")
        _ENTRIES[f.__name__] = f
        if artifact is not None:
            _ARTIFACT_OF[f.__name__] = artifact
        return f

    return register(fn) if fn is not None else register


def artifact_path(name: str) -> Path:
    """The folder of a shipped artifact inside the package.

    Examples
    --------
    >>> import headwater as hw
    >>> (hw.hub.artifact_path("penguins") / "meta.json").exists()
    True
    """
    path = _ARTIFACTS / name
    if not (path / "meta.json").exists():
        raise HubError(f"no shipped artifact {name!r} in {_ARTIFACTS}; rebuild them with scripts/build_hub.py")
    return path


def _refuse_torch_arguments(fn: str, kwargs: dict[str, Any]) -> None:
    given = [k for k in _TORCH_ONLY if k in kwargs]
    if given:
        raise TypeError(f"hw.hub.{fn}: {', '.join(given)} {'is' if len(given) == 1 else 'are'} torch.hub's repository "
                        f"options; Headwater's entries live in the package (hw.hub.list()) and a path is an artifact "
                        f"or run directory, so nothing is fetched and no hubconf.py is run")


def load_path(path: Path, **kwargs: Any) -> Any:
    """What an artifact folder, artifact archive or run directory holds, ready to use."""
    from headwater.hub.archive import extract, is_archive
    from headwater.hub.artifact import META, load_artifact

    path = Path(path)
    if path.is_dir() and (path / META).exists():
        return load_artifact(path, **kwargs)
    if path.is_dir() and (path / "config.yaml").exists() and (path / "preprocessing.json").exists():
        return _load_run_dir(path, **kwargs)
    if is_archive(path):
        with tempfile.TemporaryDirectory() as tmp:
            return load_artifact(extract(path, Path(tmp)), **kwargs)
    if path.is_dir():
        raise HubError(f"{path} is neither a hub artifact (no meta.json) nor a run directory (no config.yaml and "
                       f"preprocessing.json)")
    raise HubError(f"{path} is a file but not an artifact archive (.zip or .tar); a weights file alone names no "
                   f"architecture: read it with hw.load(path) and pass it to model.load_state_dict")


def _load_run_dir(run_dir: Path, **kwargs: Any) -> Any:
    import json

    from headwater.hub.pipeline import HubPipeline
    from headwater.pipelines.predict import load_run

    if kwargs:
        raise TypeError(f"hw.hub.load of a run directory takes no options, got {sorted(kwargs)}; a pipeline loads "
                        f"onto hw.device()")
    config, steps, encoder, layout, model = load_run(run_dir)
    metrics = run_dir / "metrics.json"
    meta = {"name": config.name, "kind": "pipeline", "task": config.target.task,
            "metrics": json.loads(metrics.read_text(encoding="utf-8")) if metrics.exists() else {}}
    return HubPipeline(config, steps, encoder, layout, model, meta)


def _metrics_text(entry: str) -> str:
    from headwater.hub.artifact import read_meta

    if entry not in _ARTIFACT_OF:
        return ""
    meta = read_meta(artifact_path(_ARTIFACT_OF[entry]))
    lines = [f"Metrics (recorded in the artifact's meta.json, version {meta.get('version')}):"]
    for split, values in (meta.get("metrics") or {}).items():
        if isinstance(values, dict):
            lines.append(f"    {split}: " + ", ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}"
                                                    for k, v in values.items()))
        else:
            lines.append(f"    {split}: {values}")
    return "\n\n" + "\n".join(lines)


def _unknown(name: Any) -> UnknownEntryError:
    close = difflib.get_close_matches(str(name), _ENTRIES, n=3, cutoff=0.4)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    if isinstance(name, str) and "/" in name and not close:
        hint = (" (a torch.hub 'owner/repo' is not taken: Headwater never fetches or runs a hubconf.py; bring such "
                "weights in as safetensors with hw.hub.load_state_dict_from_url)")
    return UnknownEntryError(f"{name!r} is not a hub entry nor an existing path{hint} Entries: "
                             f"{', '.join(sorted(_ENTRIES))} (hw.hub.list())")


def list(**kwargs: Any) -> builtins.list[str]:  # noqa: A001  (torch.hub's name)
    """The names of the registered entries, sorted (as ``torch.hub.list``, without a repository).

    Examples
    --------
    >>> import headwater as hw
    >>> {"penguins", "diabetes", "digits_cnn"} <= set(hw.hub.list())
    True
    """
    _refuse_torch_arguments("list", kwargs)
    if kwargs:
        raise TypeError(f"hw.hub.list takes no arguments, got {sorted(kwargs)}")
    return sorted(n for n in _ENTRIES if not n.startswith("_"))


def help(model: str, **kwargs: Any) -> str:  # noqa: A001  (torch.hub's name)
    """The docstring of entry ``model``, followed by the metrics its artifact recorded.

    Raises
    ------
    UnknownEntryError
        No such entry (the closest names are listed).

    Examples
    --------
    >>> import headwater as hw
    >>> "accuracy" in hw.hub.help("penguins")
    True
    """
    _refuse_torch_arguments("help", kwargs)
    if kwargs:
        raise TypeError(f"hw.hub.help takes only the entry name, got {sorted(kwargs)}")
    if model not in _ENTRIES:
        raise _unknown(model)
    return inspect.cleandoc(_ENTRIES[model].__doc__ or "") + _metrics_text(model)


def load(name_or_path: str | Path, *args: Any, **kwargs: Any) -> Any:
    """A ready model: a registered entry by name, or an artifact or run directory by path.

    For a pipeline, the object has ``predict(frame)`` / ``predict_proba(frame)``,
    applying the fitted preprocessing and the model exactly as ``headwater predict``
    does; for a bare model, it is the ``hw.nn.Module`` with its weights (in eval mode).

    Parameters
    ----------
    name_or_path : str or path
        An entry of ``hw.hub.list()``; or a hub artifact (folder, ``.zip``,
        ``.tar[.gz]``) or a ``headwater run`` directory.
    *args, **kwargs
        Passed to the entry (e.g. ``pretrained=False``). For a bare-model path:
        ``device=`` and ``strict=``.

    Raises
    ------
    UnknownEntryError
        Neither an entry nor an existing path (the closest names are listed).
    IntegrityError
        A file of the artifact fails its sha256 check (named).
    TypeError
        A torch.hub repository option (``source=``, ``trust_repo=`` ...).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.hub.load("penguins")
    HubPipeline('penguins' 1.0, task='classification', target='species')
    """
    _refuse_torch_arguments("load", kwargs)
    if isinstance(name_or_path, str) and name_or_path in _ENTRIES:
        return _ENTRIES[name_or_path](*args, **kwargs)
    path = Path(name_or_path)
    if path.exists():
        if args:
            raise TypeError(f"hw.hub.load({str(path)!r}, ...): a path takes no positional arguments (an entry name in "
                            f"a repository, as torch.hub.load(repo, model) takes, does not apply)")
        return load_path(path, **kwargs)
    raise _unknown(name_or_path)
