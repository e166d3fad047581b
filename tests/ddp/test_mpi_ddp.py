"""Two MPI ranks at batch B train to the same weights as one process at batch 2B (float64)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

HERE = pathlib.Path(__file__).parent


@pytest.mark.slow
def test_two_mpi_ranks_match_one_process(tmp_path):
    pytest.importorskip("mpi4py")
    from headwater.distributed.launch import find_mpiexec

    if find_mpiexec() is None:
        pytest.skip("no mpiexec: pip install mpich")
    done = subprocess.run([sys.executable, "-m", "headwater.pipelines.cli", "launch", "-n", "2", "--timeout", "300",
                           str(HERE / "ddp_script.py"), str(tmp_path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(HERE))
    try:
        import ddp_script as script
    finally:
        sys.path.remove(str(HERE))
    single = script.net(seed=100)  # rank 0's initial weights, broadcast to rank 1 by the wrapper
    order = np.arange(script.N)
    script.train(single, [order[k * 2 * script.BATCH:(k + 1) * 2 * script.BATCH] for k in range(script.STEPS)])
    ranks = [np.load(tmp_path / f"rank{r}.npz") for r in range(2)]
    for i, p in enumerate(single.parameters()):
        a, b = ranks[0][f"arr_{i}"], ranks[1][f"arr_{i}"]
        np.testing.assert_array_equal(a, b)
        np.testing.assert_allclose(a, p.detach().numpy(), rtol=1e-6, atol=1e-9)


def test_launch_refuses_bad_input(tmp_path):
    from headwater.distributed.launch import launch

    with pytest.raises(ValueError, match="-n must be a positive"):
        launch(0, "x.py", [])
    with pytest.raises(FileNotFoundError, match="no script"):
        launch(1, str(tmp_path / "missing.py"), [])


def test_launch_spawns_ranks_with_their_environment(tmp_path):
    from headwater.distributed.launch import launch

    script = tmp_path / "rank.py"
    script.write_text("import os, sys\nopen(os.path.join(sys.argv[1], os.environ['RANK']), 'w')"
                      ".write(os.environ['WORLD_SIZE'])\n")
    assert launch(2, str(script), [str(tmp_path)], use_mpi=False) == 0
    assert (tmp_path / "0").read_text() == "2" and (tmp_path / "1").read_text() == "2"
    failing = tmp_path / "fail.py"
    failing.write_text("import os, sys, time\nif os.environ['RANK'] == '1': sys.exit(3)\ntime.sleep(60)\n")
    assert launch(2, str(failing), [], use_mpi=False, timeout=120) == 3


def test_launch_runs_a_module_and_keeps_a_chosen_master_address(tmp_path, monkeypatch):
    from headwater.distributed.launch import launch

    with pytest.raises(FileNotFoundError, match="no module 'headwater_no_such_module'"):
        launch(1, "headwater_no_such_module", [], module=True)
    module = tmp_path / "rank_module.py"
    module.write_text("import os, sys\nopen(os.path.join(sys.argv[1], os.environ['RANK']), 'w')"
                      ".write(os.environ['MASTER_ADDR'] + ':' + os.environ['MASTER_PORT'])\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", f"{tmp_path}:{os.environ.get('PYTHONPATH', '')}")
    monkeypatch.setenv("MASTER_ADDR", "10.1.2.3")
    monkeypatch.setenv("MASTER_PORT", "29500")
    assert launch(2, "rank_module", [str(tmp_path)], use_mpi=False, module=True) == 0
    assert (tmp_path / "0").read_text() == (tmp_path / "1").read_text() == "10.1.2.3:29500"
