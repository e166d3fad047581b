"""From a YAML file to a checked pipeline: schema, steps and cross-field rules.

Every problem found is collected with its field path and its line and column in the
file, so ``headwater validate`` reports them all at once. Pydantic's messages are
reworded into what was expected, and an unknown key or step name comes with the
closest valid one (``difflib``).
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from headwater.pipelines.errors import ConfigError, ConfigIssue
from headwater.pipelines.schema import CLASSIFICATION_METRICS, REGRESSION_METRICS, PipelineConfig
from headwater.pipelines.steps import STEPS, Step
from headwater.pipelines.yamlfile import Marked, apply_override, load_yaml

__all__ = ["Pipeline", "load_pipeline", "validate_document"]


@dataclass
class Pipeline:
    """A validated pipeline: its config, its steps, and where it came from.

    Attributes
    ----------
    config : PipelineConfig
    steps : list of Step
        The ``features`` section as step objects, in order.
    document : Marked
        The YAML values and their positions (for messages).
    base_dir : Path
        The YAML file's folder; data paths resolve against it.
    """

    config: PipelineConfig
    steps: list[Step]
    document: Marked
    base_dir: Path

    def resolved(self) -> dict[str, Any]:
        """The full config with every default filled in (written to ``config.yaml``)."""
        out = self.config.model_dump(mode="json")
        out["features"] = [step.config() for step in self.steps]
        return out


def load_pipeline(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> Pipeline:
    """Read, override and validate a pipeline file.

    Raises
    ------
    ConfigError
        With every problem found, each located in the file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from headwater.pipelines.config import load_pipeline
    >>> text = "name: demo\\ndata: {sources: {t: {path: t.csv}}}\\ntarget: {column: y, task: regression}\\n"
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = pathlib.Path(d, "demo.yaml"); _ = p.write_text(text)
    ...     load_pipeline(p, ["train.epochs=3"]).config.train.epochs
    3
    """
    path = Path(path)
    document = load_yaml(path)
    for assignment in overrides:
        apply_override(document, assignment)
    return validate_document(document, path.resolve().parent)


def validate_document(document: Marked, base_dir: Path) -> Pipeline:
    """Validate parsed YAML; see :func:`load_pipeline`."""
    value = document.value
    if not isinstance(value, dict):
        raise ConfigError(document.issue((), f"a pipeline file is a mapping of sections, got {type(value).__name__}"))
    try:
        config = PipelineConfig.model_validate(value)
    except ValidationError as exc:
        issues = [_issue(document, err) for err in _without_implied_missing(exc.errors())]
        # the features list is checked below even when other sections fail
        issues += _step_issues(document, value.get("features"))[1]
        raise ConfigError(_unique(issues)) from None
    steps, issues = _step_issues(document, value.get("features"))
    issues += _cross_issues(document, config)
    if issues:
        raise ConfigError(_unique(issues))
    for step in steps:
        step.target = config.target.column
    return Pipeline(config=config, steps=steps, document=document, base_dir=base_dir)


def _without_implied_missing(errors: list[Any]) -> list[Any]:
    """Drop "missing key 'path'" where the same mapping has the misspelt key 'pth': the
    unknown-key message already says "did you mean 'path'?"."""
    extra: dict[tuple[Any, ...], list[str]] = {}
    for err in errors:
        if err["type"] == "extra_forbidden":
            extra.setdefault(tuple(err["loc"][:-1]), []).append(str(err["loc"][-1]))
    kept = []
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "missing" and difflib.get_close_matches(str(loc[-1]), extra.get(loc[:-1], []), n=1):
            continue
        kept.append(err)
    return kept


def _unique(issues: list[ConfigIssue]) -> list[ConfigIssue]:
    seen, out = set(), []
    for issue in issues:
        if str(issue) not in seen:
            seen.add(str(issue))
            out.append(issue)
    return sorted(out, key=lambda i: (i.line is None, i.line or 0, i.column or 0))


# -- pydantic errors -> issues -----------------------------------------------------------
def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model that holds the field at ``loc``, walking through containers."""
    current: Any = model
    skip = False
    for part in loc:
        if skip:  # a dict key or list index inside a container field
            skip = False
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current, skip = _unwrap(current.model_fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the model inside ``X | None``, ``list[X]`` or ``dict[str, X]``, whether a container held it)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        return (models[0], False) if models else (annotation, False)
    if origin in (list, dict):
        inner, _ = _unwrap(typing.get_args(annotation)[-1])
        return inner, True
    return annotation, False


def _did_you_mean(name: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(str(name), choices, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}? " if close else ""


def _expected(msg: str) -> str:
    msg = re.sub(r"^Value error, ", "", msg)
    msg = re.sub(r"^Assertion failed, ", "", msg)
    msg = re.sub(r"^String should match pattern ", "expected a string matching the pattern ", msg)
    return re.sub(r"^Input should be ", "expected ", msg)


def _issue(document: Marked, err: dict[str, Any], prefix: tuple[Any, ...] = (),
           model: type[BaseModel] = PipelineConfig) -> ConfigIssue:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    path = prefix + loc
    kind = err["type"]
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        valid = sorted(parent.model_fields) if parent else []
        key = loc[-1]
        hint = _did_you_mean(str(key), valid)
        valid_text = f"valid keys here: {', '.join(valid)}" if valid else ""
        return document.issue(path, f"unknown key {key!r}; {hint}{valid_text}".rstrip("; "), key=True)
    if kind == "missing":
        source, line, col = document.locate(path[:-1])
        return ConfigIssue(_fmt(path), f"missing required key {loc[-1]!r}", line, col, source)
    message = _expected(err["msg"])
    got = err.get("input")
    if kind == "literal_error" and isinstance(got, str):
        options = re.findall(r"'([^']*)'", err.get("ctx", {}).get("expected", ""))
        hint = _did_you_mean(got, options)
        message = f"{message}; got {got!r}" + (f" ({hint.strip()})" if hint else "")
    elif not isinstance(got, (dict, list)) and kind not in ("value_error", "assertion_error"):
        message = f"{message}; got {got!r}"
    return document.issue(path, message)


def _fmt(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)


# -- the features list --------------------------------------------------------------------
def _step_issues(document: Marked, raw: Any) -> tuple[list[Step], list[ConfigIssue]]:
    steps: list[Step] = []
    issues: list[ConfigIssue] = []
    if not isinstance(raw, list):
        return steps, issues  # absent, or reported by the schema
    valid = sorted(STEPS)
    for i, item in enumerate(raw):
        path: tuple[Any, ...] = ("features", i)
        if not isinstance(item, dict) or len(item) != 1:
            got = f"{len(item)} keys ({', '.join(map(str, item))})" if isinstance(item, dict) else repr(item)
            issues.append(document.issue(path, f"each step is one mapping {{step_name: options}}, got {got}; steps are {', '.join(valid)}"))
            continue
        (name, options), = item.items()
        if name not in STEPS:
            hint = _did_you_mean(name, valid)
            issues.append(document.issue((*path, name), f"unknown step {name!r}; {hint}steps are {', '.join(valid)}", key=True))
            continue
        cls = STEPS[name]
        try:
            steps.append(cls.from_config(options))
        except ValidationError as exc:
            shorthand = cls.shorthand is not None and not isinstance(options, dict)
            for err in exc.errors():
                err = dict(err)
                loc = tuple(err["loc"])
                if shorthand and loc[:1] == (cls.shorthand,):
                    loc = loc[1:]  # the YAML has the value directly, not under the option's key
                if loc[:1] == ("root",):
                    loc = loc[1:]
                err["loc"] = loc
                issues.append(_issue(document, err, prefix=(*path, name), model=cls.Options))
    return steps, issues


# -- rules between sections -----------------------------------------------------------------
def _cross_issues(document: Marked, config: PipelineConfig) -> list[ConfigIssue]:
    issues: list[ConfigIssue] = []
    task = config.target.task
    allowed = REGRESSION_METRICS if task == "regression" else CLASSIFICATION_METRICS
    for j, metric in enumerate(config.evaluate.metrics or []):
        if metric not in allowed:
            issues.append(document.issue(("evaluate", "metrics", j),
                                         f"{metric} is not a {task} metric; use one of {', '.join(allowed)}"))
    stop = config.train.early_stopping
    if stop is not None:
        names = ["train.loss", "validation.loss"] + [f"validation.{m}" for m in config.metrics]
        if stop.metric not in names:
            hint = _did_you_mean(stop.metric, names)
            issues.append(document.issue(("train", "early_stopping", "metric"),
                                         f"unknown metric {stop.metric!r}; {hint}choose one of {', '.join(names)} "
                                         f"(metrics come from evaluate.metrics)"))
    if config.target.positive is not None and task != "binary":
        issues.append(document.issue(("target", "positive"), "positive is only used with task: binary"))
    sources = list(config.data.sources)
    for j, join in enumerate(config.data.joins):
        left = join.left or sources[0]
        if join.left is not None and join.left not in sources:
            hint = _did_you_mean(join.left, sources)
            issues.append(document.issue(("data", "joins", j, "left"),
                                         f"{join.left!r} is not a source; {hint}sources are {sources}"))
        if join.right not in sources or join.right == left:
            others = [n for n in sources if n != left]
            hint = _did_you_mean(join.right, others)
            issues.append(document.issue(("data", "joins", j, "right"),
                                         f"{join.right!r} is not a source to join onto {left!r}; {hint}"
                                         f"other sources are {others or 'none: add one under data.sources'}"))
        elif join.right == sources[0]:
            issues.append(document.issue(("data", "joins", j, "right"),
                                         f"the main table {sources[0]!r} cannot be joined onto another source; "
                                         f"join the other source onto it instead"))
    if config.model.norm == "batch" and config.train.batch_size == 1 and config.model.type == "mlp":
        issues.append(document.issue(("train", "batch_size"), "batch normalisation needs batches of at least 2 rows; "
                                                              "raise batch_size or use model.norm: layer"))
    if config.model.type == "linear" and config.model.hidden and "hidden" in (document.value.get("model") or {}):
        issues.append(document.issue(("model", "hidden"), "a linear model has no hidden layers; remove hidden (or set it to []) or use type: mlp"))
    from headwater.pipelines.classic_models import check_model_section
    from headwater.pipelines.distributed import distributed_issues

    issues += [document.issue(path, message) for path, message in distributed_issues(config)]

    issues += [document.issue(path, message) for path, message in check_model_section(config.model, config.target.task)]
    return issues
