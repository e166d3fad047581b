"""The README's Python quickstart runs as written (from the repository root)."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _quickstart_code() -> str:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert blocks, "the README's Quickstart section has no python block"
    return blocks[0]


def test_readme_quickstart_runs_and_trains():
    proc = subprocess.run(
        [sys.executable, "-c", _quickstart_code()], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert "Gentoo" in proc.stdout
    loss = float(re.search(r"last batch loss ([0-9.]+)", proc.stdout).group(1))
    assert loss < 0.5, proc.stdout
