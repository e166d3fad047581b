"""Inside headwater/pipelines, modules import the modules they use, never the headwater face."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PIPELINES = Path(__file__).resolve().parents[2] / "headwater" / "pipelines"


def _face_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names if a.name == "headwater"]
        elif isinstance(node, ast.ImportFrom) and node.module == "headwater" and node.level == 0:
            found.append(f"line {node.lineno}: from headwater import {', '.join(a.name for a in node.names)}")
    return found


@pytest.mark.parametrize("path", sorted(PIPELINES.rglob("*.py")), ids=lambda p: str(p.relative_to(PIPELINES)))
def test_no_module_imports_the_headwater_face(path):
    assert _face_imports(path) == []
