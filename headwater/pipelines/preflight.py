"""Check a pipeline against its data before any work starts.

Reads only file headers and footers: every source must exist, every join key and
every column a step, the target or the split names must be there at that point of
the pipeline. Problems are reported with the line and column of the YAML that names
the column, and the closest existing column.

It also refuses target leakage: a step that makes a feature out of the target column
(or out of a column computed from it) hands the model the answer. Lags of at least
one row, windows that leave the row out (``rolling`` with ``closed: left``) and
``target_encode`` (out of fold) are the legitimate ways to use the target.
"""

from __future__ import annotations

import difflib
from typing import Any

from headwater.pipelines.config import Pipeline
from headwater.pipelines.data import joined_columns, source_schema
from headwater.pipelines.errors import ConfigError, ConfigIssue, DataError
from headwater.pipelines.prepare import leading_stateless
from headwater.pipelines.steps import ColumnSet, Step

__all__ = ["check_data", "leakage_issues"]

# steps that read the target without making a feature of the row's own target value
_TARGET_SAFE = {"filter", "select", "drop", "target_encode", "fillna", "normalize", "categorify", "bucketize"}


def _find(document: Any, path: tuple[Any, ...], name: str) -> tuple[Any, ...]:
    """The path of the YAML scalar ``name`` inside ``path`` (to point at it), else ``path``."""
    node: Any = document.value
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return path

    def walk(value: Any, here: tuple[Any, ...]) -> tuple[Any, ...] | None:
        if value == name and isinstance(value, str):
            return here
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, child in items:
            found = walk(child, (*here, key))
            if found is not None:
                return found
        return None

    return walk(node, path) or path


def _missing(document: Any, path: tuple[Any, ...], names: list[str], available: ColumnSet, where: str) -> list[ConfigIssue]:
    issues = []
    for name in names:
        if name and not available.has(name):
            close = difflib.get_close_matches(name, available.names, n=1, cutoff=0.5)
            hint = f"did you mean {close[0]!r}? " if close else ""
            issues.append(document.issue(_find(document, path, name),
                                         f"column {name!r} does not exist {where}; {hint}the columns are {available.names}"))
    return issues


def _split_issues(doc: Any, cfg: Any, available: ColumnSet) -> list[ConfigIssue]:
    where = "when the split is made (after the leading steps that learn nothing)"
    if cfg.split.column:
        return _missing(doc, ("split", "column"), [cfg.split.column], available, where)
    if cfg.split.time:
        return _missing(doc, ("split", "time", "column"), [cfg.split.time.column], available, where)
    return []


def check_data(pipeline: Pipeline) -> list[str]:
    """Check files and column names; return the main table's columns after the joins.

    Raises
    ------
    ConfigError
        A source file is missing or unreadable, or a named column does not exist.
    """
    cfg, doc = pipeline.config, pipeline.document
    schemas: dict[str, list[str]] = {}
    issues: list[ConfigIssue] = []
    for name, source in cfg.data.sources.items():
        try:
            schemas[name] = source_schema(source, pipeline.base_dir)
        except DataError as exc:
            issues.append(doc.issue(("data", "sources", name, "path"), str(exc)))
    if issues:
        raise ConfigError(issues)
    names = list(cfg.data.sources)
    for j, join in enumerate(cfg.data.joins):
        left = join.left or names[0]
        left_keys = join.on or join.left_on or []
        right_keys = join.on or join.right_on or []
        key_path = ("data", "joins", j, "on" if join.on else "left_on")
        where = f"in the main table ({left})" if left == names[0] else f"in source {left!r}"
        issues += _missing(doc, key_path, list(left_keys), ColumnSet(schemas[left]), where)
        issues += _missing(doc, ("data", "joins", j, "on" if join.on else "right_on"), list(right_keys),
                           ColumnSet(schemas[join.right]), f"in source {join.right!r}")
        schemas[left] = joined_columns(schemas[left], schemas[join.right], join)
    columns = list(schemas[names[0]])
    available = ColumnSet(list(columns))
    issues += _missing(doc, ("target", "column"), [cfg.target.column], available, "in the data")
    head = leading_stateless(pipeline.steps)
    for i, step in enumerate(pipeline.steps):
        if i == head:
            issues += _split_issues(doc, cfg, available)
        issues += _missing(doc, ("features", i, step.name), step.reads(), available, f"before step {i} ({step.name})")
        available = step.columns_after(available)
    if head == len(pipeline.steps):
        issues += _split_issues(doc, cfg, available)
    issues += leakage_issues(pipeline)
    if cfg.target.column not in available.names and not available.open and cfg.target.column in columns:
        issues.append(doc.issue(("target", "column"), f"the features steps remove the target {cfg.target.column!r}; "
                                                      f"keep it (select keeps it automatically)"))
    if issues:
        raise ConfigError(issues)
    return columns


def _leak(step: Step, tainted: set[str], target: str) -> tuple[str, list[str]] | None:
    """(why, the columns it makes from the target) when ``step`` leaks, else None."""
    o = step.options
    reads = set(step.reads()) & tainted
    if step.name in _TARGET_SAFE or not reads:
        return None
    if step.name == "lag":
        ahead = [p for p in o.periods if p <= 0]
        if not ahead:
            return None
        return (f"lag periods {ahead} of {sorted(reads)} look at this row's or later rows' target; use periods of "
                f"at least 1", [])
    if step.name == "rolling":
        if o.closed in ("left", "neither"):
            return None
        return (f"a rolling window over {sorted(reads)} includes the current row (closed: {o.closed}), so each row "
                f"sees its own target; use closed: left (the {o.window} rows before it), or roll over a lag "
                f"of at least 1", [])
    if step.name == "derive":
        made = [n for n, text in o.root.items() if n != target and set(_expression_columns(text)) & tainted]
        if not made:
            return None
        return (f"derive makes {made} from {sorted(reads)}, the row's own target; compute features from other "
                f"columns, or from a lag of the target (- lag: {{columns: [{target}], periods: [1]}})", made)
    if step.name == "group_stats":
        return (f"group_stats over {sorted(reads)} averages each training row's own target into its feature; use "
                f"target_encode, which encodes the training rows out of fold", [])
    return (f"{step.name} makes features from {sorted(reads)}, the target", [])


def _expression_columns(text: str) -> tuple[str, ...]:
    from headwater.pipelines.expressions import compile_expression

    return compile_expression(text).columns


def leakage_issues(pipeline: Pipeline) -> list[ConfigIssue]:
    """Steps that would put the target (or a column computed from it) into the features.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from headwater.pipelines.config import load_pipeline
    >>> from headwater.pipelines.preflight import leakage_issues
    >>> text = ("name: t\\ndata: {sources: {t: {path: t.csv}}}\\ntarget: {column: y, task: regression}\\n"
    ...         "features:\\n  - rolling: {columns: [y], window: 3}\\n  - lag: {columns: [y], periods: [1]}\\n")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d, "t.yaml"); _ = p.write_text(text)
    ...     [i.path for i in leakage_issues(load_pipeline(p))]
    ['features.0.rolling']
    """
    target = pipeline.config.target.column
    tainted = {target}
    issues = []
    for i, step in enumerate(pipeline.steps):
        found = _leak(step, tainted, target)
        if found is None:
            continue
        why, made = found
        issues.append(pipeline.document.issue(("features", i, step.name), f"target leakage: {why}"))
        tainted.update(made)
    return issues
