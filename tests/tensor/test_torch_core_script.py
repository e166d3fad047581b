"""A plain PyTorch script runs unchanged with `import headwater as torch` and gives
torch's results (tests/tensor/scripts/torch_core_script.py)."""

from __future__ import annotations

import pathlib
import re

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

SCRIPT = pathlib.Path(__file__).with_name("scripts") / "torch_core_script.py"


def _run(headwater: bool) -> dict:
    source = SCRIPT.read_text()
    if headwater:
        source = re.sub(r"^import torch$", "import headwater as torch", source, flags=re.M)
        source = re.sub(r"^import torch\.", "import headwater.", source, flags=re.M)
    namespace: dict = {"__name__": "script"}
    exec(compile(source, str(SCRIPT), "exec"), namespace)
    return namespace["RESULTS"]


@pytest.mark.host_only("NumPy data shares memory with a CPU tensor; a device upload copies")
def test_the_script_gives_torchs_results():
    want, got = _run(False), _run(True)
    assert got.keys() == want.keys()
    for key in want:
        if key == "losses":
            np.testing.assert_allclose(got[key], want[key], rtol=2e-3, atol=2e-4)
        elif key in ("info", "normal", "categorical", "kl", "uniform"):
            assert str(got[key]) == str(want[key]) or _close(got[key], want[key]), (key, got[key], want[key])
        else:
            assert got[key] == want[key], (key, got[key], want[key])


def _close(a, b) -> bool:
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return abs(a - b) <= 1e-4 * max(1.0, abs(b))
    return a == b
