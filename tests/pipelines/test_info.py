"""`headwater info`: versions, the device and why, exit 0."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from headwater.tensor.backend.cuda import cuda_status


def _cli(*args: str, device: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("HEADWATER_DEVICE", None)
    if device:
        env["HEADWATER_DEVICE"] = device
    return subprocess.run(
        [sys.executable, "-m", "headwater.pipelines.cli", *args], env=env, capture_output=True, text=True
    )


def test_info_prints_versions_and_device():
    proc = _cli("info")
    assert proc.returncode == 0, proc.stderr
    for word in ("headwater", "numpy", "pyarrow", "pandas", "device"):
        assert word in proc.stdout


def test_info_json_is_machine_readable():
    proc = _cli("info", "--json", device="cpu")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["device"] == "cpu"
    assert "HEADWATER_DEVICE=cpu" in data["device_reason"]
    assert {"numpy", "pyarrow", "pandas"} <= set(data["packages"])
    assert isinstance(data["cuda"]["available"], bool)


def test_info_still_exits_zero_when_cuda_is_missing():
    ok, _ = cuda_status()
    proc = _cli("info", "--json", device="cuda")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    if not ok:
        assert data["device"] == "unavailable"
        assert "HEADWATER_DEVICE=cpu" in data["device_reason"]
