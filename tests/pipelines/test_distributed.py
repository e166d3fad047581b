"""train.distributed: data-parallel pipeline runs, one run directory, resuming on any world size, faults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from headwater.autograd.serialization import load
from headwater.pipelines.config import load_pipeline
from headwater.pipelines.errors import ConfigError, DeviceError
from headwater.pipelines.runner import run_pipeline

from .pipeline_helpers import PIPELINE, make_table, run_cli, write_yaml

HERE = Path(__file__).parent
TRAIN = "train: {epochs: 3, batch_size: 32, lr: 0.01, seed: 0}"


def _project(folder: Path, distributed: str | None, epochs: int = 3, extra: str = "") -> Path:
    make_table().to_csv(folder / "table.csv", index=False)
    section = f", distributed: {distributed}" if distributed else ""
    return write_yaml(folder, PIPELINE.replace(TRAIN, f"train: {{epochs: {epochs}, batch_size: 32, lr: 0.01, "
                                                      f"seed: 0{section}{extra}}}"))


def _run(path: Path, *overrides: str):
    return run_pipeline(load_pipeline(path, list(overrides)), device="cpu", cwd=path.parent)


def _weights(run_dir: Path) -> dict[str, np.ndarray]:
    model = load(str(run_dir / "checkpoints" / "last.hwt"))["model"]
    return {k: np.asarray(v.numpy()) for k, v in model.items()}


def _losses(result) -> list[float]:
    return [r["train"]["loss"] for r in result.history]


def _same_weights(a: dict[str, np.ndarray], b: dict[str, np.ndarray], atol: float) -> None:
    assert a.keys() == b.keys()
    for k in a:
        np.testing.assert_allclose(a[k], b[k], rtol=0, atol=atol, err_msg=k)


# -- one process: the data-parallel path at world size 1 --------------------------------------
def test_a_loopback_run_trains_as_the_plain_run_and_resumes_on_a_plain_process(tmp_path):
    path = _project(tmp_path, "{backend: loopback, world_size: 1}", epochs=2)
    quick = ["output.plots=false", "output.tensorboard=false"]
    first = _run(path, "output.dir=run", *quick)
    assert len(first.history) == 2 and (first.run_dir / "metrics.json").exists()
    whole = _run(path, "output.dir=whole", "train.epochs=4", "train.distributed=null", *quick)
    # the data-parallel path (DistributedDataParallel, shares, summed losses) at world size 1
    # trains as the plain loop: the first two epochs of the 4-epoch run are the same
    np.testing.assert_allclose(_losses(first), _losses(whole)[:2], rtol=1e-6)
    # resume without train.distributed (it may change on resume), with more epochs
    resumed = run_pipeline(load_pipeline(path, ["output.dir=run", "train.epochs=4", "train.distributed=null",
                                                *quick]), device="cpu", resume=True, cwd=tmp_path)
    assert resumed.resumed_from == 2 and [r["epoch"] for r in resumed.history] == [1, 2, 3, 4]
    np.testing.assert_allclose(_losses(resumed), _losses(whole), rtol=1e-5)
    _same_weights(_weights(resumed.run_dir), _weights(whole.run_dir), atol=1e-5)
    assert resumed.metrics["test"]["accuracy"] == whole.metrics["test"]["accuracy"]


# -- the file's errors name the key and the fix --------------------------------------------------
@pytest.mark.parametrize("section, extra, key, message", [
    ("{backend: mpi, world_sise: 2}", "", "train.distributed.world_sise",
     "unknown key 'world_sise'; did you mean 'world_size'? valid keys here: backend, timeout, world_size"),
    ("{backend: gloo, world_size: 2}", "", "train.distributed.backend",
     "expected 'loopback', 'mpi' or 'nccl'; got 'gloo'"),
    ("{backend: mpi}", "", "train.distributed.world_size", "missing required key 'world_size'"),
    ("{backend: mpi, world_size: 0}", "", "train.distributed.world_size", "greater than 0"),
    ("{backend: mpi, world_size: 2, timeout: -1}", "", "train.distributed.timeout", "greater than 0"),
    ("{backend: loopback, world_size: 2}", "", "train.distributed.world_size",
     "the loopback backend is one process; use mpi (CPU) or nccl (GPU) for 2 ranks, or set world_size: 1"),
    ("{backend: mpi, world_size: 2}", ", device: cuda", "train.distributed.backend",
     "the mpi backend reduces CPU tensors but train.device is cuda; use backend: nccl on GPUs"),
    ("{backend: nccl, world_size: 2}", ", device: cpu", "train.distributed.backend",
     "the nccl backend trains on GPUs but train.device is cpu; use backend: mpi for CPU ranks"),
])
def test_bad_sections_are_refused_with_the_fix(tmp_path, section, extra, key, message):
    path = _project(tmp_path, section, extra=extra)
    with pytest.raises(ConfigError) as info:
        load_pipeline(path)
    issue = next(i for i in info.value.issues if i.path == key)
    assert message in issue.message and issue.line is not None


def test_rules_with_the_model_section(tmp_path):
    path = _project(tmp_path, "{backend: mpi, world_size: 2}")
    with pytest.raises(ConfigError, match="applies to networks .model.type mlp or linear., not ridge; remove "
                                          "train.distributed"):
        load_pipeline(path, ["model.type=ridge", "model.hidden=[]"])
    with pytest.raises(ConfigError, match="batch normalisation needs at least 2 rows per rank: raise batch_size to 4"):
        load_pipeline(path, ["model.norm=batch", "train.batch_size=3"])


def test_a_world_size_the_launch_did_not_start_is_refused(tmp_path):
    pytest.importorskip("mpi4py")
    path = _project(tmp_path, "{backend: mpi, world_size: 2}")
    with pytest.raises(ConfigError, match=r"train.distributed.world_size: is 2 but 1 rank\(s\) were started; start "
                                          r"the run with `headwater launch -n 2 -m headwater run FILE`"):
        _run(path)
    assert not (tmp_path / "run").exists()  # refused before the run directory was made


def test_an_mpi_run_refuses_an_explicit_gpu_device(tmp_path, monkeypatch):
    from headwater.pipelines.distributed import start_ranks
    from headwater.pipelines.schema import DistributedSection
    from headwater.tensor import devices

    class Cuda:
        type = "cuda"

    monkeypatch.setattr(devices, "default_device", lambda: Cuda())
    with pytest.raises(DeviceError, match="--device: train.distributed.backend: the mpi backend reduces CPU"):
        start_ranks(DistributedSection(backend="mpi", world_size=1), "cuda", "auto")


# -- two MPI ranks (slow: each launch starts two interpreters) -------------------------------------
def _launch(path: Path, *args: str) -> tuple[subprocess.CompletedProcess, dict[int, dict]]:
    pytest.importorskip("mpi4py")
    from headwater.distributed.launch import find_mpiexec

    if find_mpiexec() is None:
        pytest.skip("no mpiexec: pip install mpich")
    env = dict(os.environ, HEADWATER_DEVICE="cpu")
    done = subprocess.run([sys.executable, "-m", "headwater", "launch", "-n", "2", "--timeout", "300",
                           str(HERE / "distributed_run.py"), str(path), *args],
                          cwd=path.parent, env=env, capture_output=True, text=True, timeout=400)
    reports = [json.loads((path.parent / f"rank{r}.json").read_text()) for r in range(2)
               if (path.parent / f"rank{r}.json").exists()]
    return done, {r["rank"]: r for r in reports}


@pytest.mark.slow
def test_two_mpi_ranks_write_one_run_directory_and_resume_across_world_sizes(tmp_path):
    path = _project(tmp_path, "{backend: mpi, world_size: 2}", epochs=5)
    quick = ["output.plots=false", "output.tensorboard=false"]
    # one process, 2 epochs; then 2 ranks resume it to 3; then one process again to 5
    _run(path, "output.dir=run", "train.epochs=2", "train.distributed=null", *quick)
    done, ranks = _launch(path, "--resume", "--set", "output.dir=run", "--set", "train.epochs=3")
    assert done.returncode == 0, done.stdout + done.stderr
    assert ranks[0]["resumed_from"] == ranks[1]["resumed_from"] == 2 and ranks[0]["epochs"] == 3
    assert ranks[0]["metrics"] == ranks[1]["metrics"]  # every rank returns rank 0's result
    run_dir = tmp_path / "run"
    # rank 0 wrote the run directory; rank 1 opened no file for writing at all
    assert ranks[1]["writes"] == []
    assert any(w.startswith(f"{run_dir}/.metrics.json") for w in ranks[0]["writes"])  # written atomically
    for name in ("config.yaml", "preprocessing.json", "history.json", "metrics.json", "predictions.parquet",
                 "report.html", "checkpoints/last.hwt", "checkpoints/best.hwt"):
        assert (run_dir / name).exists(), name
    # the global batch is train.batch_size: the 2-rank epoch follows the one-process run
    three = _run(path, "output.dir=three", "train.epochs=3", "train.distributed=null", *quick)
    _same_weights(_weights(run_dir), _weights(three.run_dir), atol=1e-5)
    saved = json.loads((run_dir / "history.json").read_text())
    np.testing.assert_allclose([r["train"]["loss"] for r in saved], _losses(three), rtol=1e-5)
    # and the run resumes on one process (train.distributed may change), with more epochs
    resumed = run_pipeline(load_pipeline(path, ["output.dir=run", "train.distributed=null", *quick]),
                           device="cpu", resume=True, cwd=tmp_path)
    assert resumed.resumed_from == 3 and len(resumed.history) == 5
    whole = _run(path, "output.dir=whole", "train.distributed=null", *quick)
    _same_weights(_weights(run_dir), _weights(whole.run_dir), atol=1e-4)


@pytest.mark.slow
def test_a_hung_rank_stops_the_run_with_the_last_checkpoint_intact(tmp_path):
    path = _project(tmp_path, "{backend: mpi, world_size: 2, timeout: 3}", epochs=4)
    done, ranks = _launch(path, "--hang-at", "3", "--set", "output.dir=hung")
    assert done.returncode != 0
    report = ranks[0]
    assert report["error"] == "RankFailedError"
    assert "rank 0 of 2: all_reduce did not complete within 3 s" in report["message"]
    assert "checkpoints/last.hwt (epoch 2), is intact: continue with --resume, on any number of ranks" \
        in report["message"]
    assert 1 not in ranks  # the hung rank was stopped when rank 0's job ended
    run_dir = tmp_path / "hung"
    assert load(str(run_dir / "checkpoints" / "last.hwt"))["trainer"]  # complete and readable
    assert not (run_dir / "metrics.json").exists()
    # resume on one process, without the hung rank
    resumed = run_cli("run", "p.yaml", "--quiet", "--resume", "--set", "output.dir=hung",
                      "--set", "train.distributed=null", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    history = json.loads((run_dir / "history.json").read_text())
    assert [r["epoch"] for r in history] == [1, 2, 3, 4]
