"""The README's examples run as written: every Python and YAML block, and every shell
line that needs no GPU, network or install.

The blocks run in a fresh folder where ``examples/`` is the repository's, so paths such
as ``examples/data/penguins.csv`` resolve as they do from the repository root, and
whatever the examples write (``runs/``, ``ckpt.hwt``) stays out of the tree.
"""

from __future__ import annotations

import os
import pathlib
import re
import shlex
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
# shell lines that install, reach the network, need a GPU or run the test suite itself
_NOT_HERE = re.compile(r"pip install|pip download|pytest|\.ci/|gpu_check|HEADWATER_DEVICE=cuda|make_synthetic")


def _blocks(language: str) -> list[tuple[str, str]]:
    """(section heading, code) of every fenced block in ``language``."""
    found = []
    section = ""
    for match in re.finditer(r"^(#+ [^\n]*)$|^```(\w+)\n(.*?)^```", README, flags=re.S | re.M):
        if match.group(1):
            section = match.group(1).lstrip("# ").strip()
        elif match.group(2) == language:
            found.append((section, match.group(3)))
    return found


@pytest.fixture
def workdir(tmp_path):
    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    return tmp_path


def _python(code: str, cwd: pathlib.Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_the_readme_has_the_blocks_this_test_runs():
    assert len(_blocks("python")) >= 4 and len(_blocks("yaml")) >= 1 and len(_blocks("bash")) >= 2


@pytest.mark.parametrize("section, code", _blocks("python"), ids=lambda v: v if len(v) < 40 else None)
def test_python_block_runs(section, code, workdir):
    if "onnxruntime" in code:
        pytest.importorskip("onnxruntime")  # the ONNX example needs the optional extra
    proc = _python(code, workdir)
    assert proc.returncode == 0, f"README section {section!r}:\n{proc.stderr}"
    if section.startswith("Quickstart"):
        assert "Gentoo" in proc.stdout
        loss = float(re.search(r"last batch loss ([0-9.]+)", proc.stdout).group(1))
        assert loss < 0.5, proc.stdout


@pytest.mark.parametrize("section, text", _blocks("yaml"), ids=lambda v: v if len(v) < 40 else None)
def test_yaml_block_validates_and_runs(section, text, workdir):
    from headwater.pipelines.config import load_pipeline
    from headwater.pipelines.preflight import check_data
    from headwater.pipelines.pretrain import prepare
    from headwater.pipelines.runner import run_pipeline

    (workdir / "data").symlink_to(ROOT / "examples" / "data", target_is_directory=True)
    path = workdir / "readme.yaml"
    path.write_text(text)
    pipeline = load_pipeline(path)
    check_data(pipeline)
    prepare(pipeline)  # everything validate checks
    result = run_pipeline(load_pipeline(path, ["output.tensorboard=false", "output.plots=false"]), device="cpu",
                          cwd=workdir)  # the shell test below draws the plots
    assert result.metrics["test"]["accuracy"] > 0.9


def _shell_lines() -> list[str]:
    lines = []
    for _, code in _blocks("bash"):
        for line in code.splitlines():
            line = line.split("  #")[0].split(" # ")[0].strip()
            if line and not line.startswith("#") and not _NOT_HERE.search(line):
                lines.append(line)
    return lines


@pytest.mark.slow  # seven runs of the command line, a minute on two cores
def test_shell_lines_run_in_order(workdir):
    """``headwater info``, run, validate, predict, --resume, --overwrite: each exits 0."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), HEADWATER_DEVICE="cpu", COLUMNS="200")
    lines = _shell_lines()
    assert any(line.startswith("headwater run") for line in lines)
    for line in lines:
        words = shlex.split(line)
        assert words[0] == "headwater", line
        runs = sorted((workdir / "runs").glob("penguins-*")) if (workdir / "runs").is_dir() else []
        words = [str(runs[-1]) if w == "runs/penguins-<timestamp>" else w for w in words]
        proc = subprocess.run([sys.executable, "-m", "headwater.pipelines.cli", *words[1:]], cwd=workdir, env=env,
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, f"{line}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    assert (workdir / "preds.parquet").exists()
