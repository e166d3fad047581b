"""Read a pipeline YAML file and remember where every value came from.

``yaml.safe_load`` forgets positions, so the file is composed into nodes with the
safe loader and built into plain Python values here, recording the line and column of
each value (and of each mapping key) under its field path. Error messages use these
marks to point at the exact spot in the file. ``--set`` overrides are applied on top
and marked as coming from the command line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from headwater.pipelines.errors import ConfigError, ConfigIssue

__all__ = ["Marked", "load_yaml", "parse_yaml", "apply_override", "format_path"]

Path_ = tuple[str | int, ...]


@dataclass
class Marked:
    """Plain values read from YAML plus the position of each one.

    Attributes
    ----------
    value : Any
        The document as dicts, lists and scalars.
    source : str
        The file name used in messages.
    marks : dict
        Field path (a tuple of keys and list indices) -> (line, column) of its value.
    key_marks : dict
        Field path -> (line, column) of the mapping key that names it.
    overridden : set
        Paths set from the command line with ``--set``.
    """

    value: Any
    source: str = "<config>"
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    overridden: set[Path_] = field(default_factory=set)

    def locate(self, path: Path_, key: bool = False) -> tuple[str, int | None, int | None]:
        """Where the value (or, with ``key=True``, its key) at ``path`` came from.

        A path that is not in the file (a missing key) points at the nearest parent
        that is. Returns ``(source, line, column)``.
        """
        path = tuple(path)
        for i in range(len(path), -1, -1):
            head = path[:i]
            if any(head[: j + 1] in self.overridden for j in range(len(head))):
                return "--set", None, None
            table = self.key_marks if (key and i == len(path)) else self.marks
            if head in table:
                line, col = table[head]
                return self.source, line, col
            if head in self.marks:
                line, col = self.marks[head]
                return self.source, line, col
        return self.source, None, None

    def issue(self, path: Path_, message: str, key: bool = False) -> ConfigIssue:
        """A :class:`ConfigIssue` at ``path`` with the position filled in."""
        source, line, col = self.locate(path, key=key)
        return ConfigIssue(format_path(path), message, line, col, source)


def format_path(path: Path_) -> str:
    """``("features", 2, "normalize")`` -> ``"features.2.normalize"``.

    Examples
    --------
    >>> from headwater.pipelines.yamlfile import format_path
    >>> format_path(("features", 2, "normalize"))
    'features.2.normalize'
    """
    return ".".join(str(p) for p in path)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _build(node: yaml.Node, loader: yaml.SafeLoader, path: Path_, out: Marked) -> Any:
    out.marks[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # resolves YAML merge keys (<<: *anchor)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise ConfigError(out.issue(path, "mapping keys must be plain names, not lists or mappings"))
            # keys are names: take the text as written, so that YAML 1.1 does not turn
            # the join key `on:` (or `yes:`, `off:`) into a boolean
            key = str(key_node.value)
            child = (*path, key)
            if key in result:
                line, col = _mark(key_node)
                raise ConfigError(
                    ConfigIssue(format_path(child), "duplicate key; each key may appear once", line, col, out.source)
                )
            out.key_marks[child] = _mark(key_node)
            result[key] = _build(value_node, loader, child, out)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, loader, (*path, i), out) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def parse_yaml(text: str, source: str = "<config>") -> Marked:
    """Parse YAML text into values and marks.

    Raises
    ------
    ConfigError
        The text is not valid YAML (the message gives the line and column).

    Examples
    --------
    >>> from headwater.pipelines.yamlfile import parse_yaml
    >>> doc = parse_yaml("train:\\n  epochs: 3\\n")
    >>> doc.value, doc.marks[("train", "epochs")]
    ({'train': {'epochs': 3}}, (2, 11))
    """
    out = Marked(value=None, source=source)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            out.value = {}
            return out
        out.value = _build(node, loader, (), out)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = exc.problem or exc.context or "malformed YAML"
        raise ConfigError(ConfigIssue("", f"not valid YAML: {problem}", line, col, source)) from None
    except yaml.YAMLError as exc:
        raise ConfigError(ConfigIssue("", f"not valid YAML: {exc}", None, None, source)) from None
    finally:
        loader.dispose()
    return out


def load_yaml(path: str | Path) -> Marked:
    """Read and parse a pipeline file; a missing file is a :class:`ConfigError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(ConfigIssue("", f"pipeline file not found: {path}", None, None, str(path))) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(ConfigIssue("", f"cannot read the pipeline file: {exc}", None, None, str(path))) from None
    return parse_yaml(text, source=str(path))


def apply_override(doc: Marked, assignment: str) -> None:
    """Apply one ``--set key.path=value`` to ``doc`` in place.

    The value is read as YAML (``3`` is an int, ``[64, 32]`` a list, ``cpu`` a
    string). Missing mappings along the path are created; list items are addressed
    by index (``features.0.drop``).

    Examples
    --------
    >>> from headwater.pipelines.yamlfile import parse_yaml, apply_override
    >>> doc = parse_yaml("train:\\n  epochs: 3\\n")
    >>> apply_override(doc, "train.epochs=10"); apply_override(doc, "model.hidden=[8, 4]")
    >>> doc.value
    {'train': {'epochs': 10}, 'model': {'hidden': [8, 4]}}
    """
    key, sep, raw = assignment.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ConfigError(ConfigIssue("", f"--set expects key.path=value, got {assignment!r}", None, None, "--set"))
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError as exc:
        raise ConfigError(ConfigIssue(key, f"--set value {raw!r} is not valid YAML: {exc}", None, None, "--set")) from None
    parts: list[str | int] = key.split(".")
    if not isinstance(doc.value, dict):
        doc.value = {}
    node: Any = doc.value
    path: list[str | int] = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, list):
            if not str(part).lstrip("-").isdigit() or not -len(node) <= int(part) < len(node):
                raise ConfigError(
                    ConfigIssue(format_path((*path, part)), f"--set: no list item {part!r} (the list has {len(node)} items)", None, None, "--set")
                )
            part = int(part) % len(node)
        elif not isinstance(node, dict):
            raise ConfigError(
                ConfigIssue(format_path(path), f"--set: cannot set {part!r} inside a {type(node).__name__} value", None, None, "--set")
            )
        path.append(part)
        if last:
            node[part] = value
        else:
            if isinstance(node, dict) and part not in node:
                node[part] = {}
            node = node[part]
    doc.overridden.add(tuple(path))
