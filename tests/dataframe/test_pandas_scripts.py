"""Plain pandas scripts run twice, with pandas and with `import headwater as pd`; the
printed results must be the same."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

SCRIPTS = sorted((pathlib.Path(__file__).parent / "pandas_scripts").glob("*.py"))


def _run(script: pathlib.Path, library: str) -> str:
    env = dict(os.environ)
    root = str(pathlib.Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run([sys.executable, str(script), library], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, f"{script.name} with {library} failed:\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_script_gives_pandas_answers(script):
    want = _run(script, "pandas").split("\n== ")
    got = _run(script, "headwater").split("\n== ")
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g == w, f"{script.name}: section differs\n--- headwater\n{g}\n--- pandas\n{w}"
