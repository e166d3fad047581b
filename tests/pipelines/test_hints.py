"""The error-message catalogue: every hint in the pipeline runner's and the feature ops'
messages names something that exists (an ``hw.`` name, a step, a CLI option, an
expression function, a step or filter one can paste into a pipeline)."""

from __future__ import annotations

import ast
import builtins
import re
from pathlib import Path

import pytest

import headwater as hw
from headwater.pipelines.expressions import FUNCTIONS, compile_expression
from headwater.pipelines.steps import STEPS

ROOT = Path(__file__).resolve().parents[2] / "headwater"
FILES = sorted([*ROOT.joinpath("pipelines").rglob("*.py"), *ROOT.joinpath("dataframe", "features").glob("*.py"),
                *ROOT.joinpath("dataframe").glob("expression*.py")])


def _texts(path: Path) -> list[str]:
    """Every string literal of a module but the docstrings (their examples run as doctests),
    f-strings as their literal parts joined."""
    tree = ast.parse(path.read_text(), str(path))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    out = []
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        if isinstance(node, ast.JoinedStr):
            out.append("".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append(node.value)
    return out


CATALOGUE = [(path.relative_to(ROOT).as_posix(), text) for path in FILES for text in _texts(path)]


def _resolve(dotted: str) -> bool:
    obj = hw
    for part in dotted.split("."):
        if not hasattr(obj, part):
            return False
        obj = getattr(obj, part)
    return True


def test_the_catalogue_is_walked():
    assert len(CATALOGUE) > 500


def test_every_hw_name_exists():
    refs = {(where, ref) for where, text in CATALOGUE for ref in re.findall(r"\bhw\.([A-Za-z_][\w.]*[A-Za-z_\d])", text)}
    assert ("dataframe/features/datetime_parts.py", "read_csv") in refs
    assert sorted((where, ref) for where, ref in refs if not _resolve(ref)) == []


def test_every_step_named_in_a_hint_exists():
    named = {(where, name) for where, text in CATALOGUE for name in re.findall(r"(?:^|[\s(])- ([a-z_]+): [\[{\"]", text)}
    assert named, "no step hints found"
    assert sorted((w, n) for w, n in named if n not in STEPS) == []


def test_every_cli_option_named_in_a_hint_exists():
    import typer.main

    from headwater.pipelines.cli import app

    group = typer.main.get_command(app)
    options = {"--help", "--version"}
    for command in group.commands.values():
        for param in command.params:
            options.update(o for o in [*param.opts, *getattr(param, "secondary_opts", [])] if o.startswith("--"))
    named = {(where, o) for where, text in CATALOGUE for o in re.findall(r"(?<![\w-])--[a-z][a-z-]+", text)}
    assert sorted((w, o) for w, o in named if o not in options) == []


def test_every_function_a_hint_advises_in_an_expression_exists():
    # "use strlen(), lower()" and the like, in the messages of the expression language
    expression_files = {"pipelines/expressions.py", "pipelines/expression_functions.py",
                        "pipelines/expression_folding.py", "pipelines/pretrain.py", "dataframe/expressions.py",
                        "dataframe/expression_functions.py", "dataframe/expression_folding.py"}
    named = {(where, name) for where, text in CATALOGUE if where in expression_files
             for name in re.findall(r"\b([a-z_][a-z_0-9]*)\(", text)}
    unknown = sorted((w, n) for w, n in named if n not in FUNCTIONS and not hasattr(builtins, n)
                     and n not in {"e", "g", "i"})
    assert unknown == []
    advised_builtins = sorted((w, n) for w, n in named if n in ("str", "int", "float") and "no str()" not in
                              next(t for ww, t in CATALOGUE if ww == w and f"{n}(" in t))
    assert advised_builtins == []  # the whitelist refuses them: no hint may advise them


@pytest.mark.parametrize("where, text", [(w, t) for w, t in CATALOGUE if re.search(r'- (filter|derive): ', t)])
def test_every_filter_or_derive_in_a_hint_compiles(where, text):
    for kind, body in re.findall(r'- (filter|derive): (\{[^}]*\}|"[^"]*")', text):
        if "{}" in body:
            continue  # an f-string hole: checked with a column name below
        if kind == "filter":
            compile_expression(body.strip('"'))
        else:
            for expression in re.findall(r'"([^"]*)"', body):
                compile_expression(expression)


def test_the_filled_in_hints_of_the_feature_checks_compile():
    from headwater.pipelines.pretrain import _fix

    for problem in ("missing", "infinite"):
        hint = _fix([], "amount", problem)
        for expression in re.findall(r'"([^"]*)"', hint):
            compile_expression(expression)
