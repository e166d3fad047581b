"""``headwater launch -n N script.py [args]``: start N ranks of a script (or, with ``-m``, a module).

With ``mpiexec`` on the PATH (the mpich wheel installs one next to Python) the
ranks are MPI processes; otherwise N plain processes are spawned with ``RANK``,
``LOCAL_RANK``, ``WORLD_SIZE``, ``MASTER_ADDR`` and ``MASTER_PORT`` set (what the
``nccl`` backend reads; ``MASTER_ADDR``/``MASTER_PORT`` are kept when already set).
If one spawned rank fails, the others are stopped and the launch exits with that
rank's status; under MPI a rank whose collective timed out aborts the job.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["launch", "find_mpiexec"]


def find_mpiexec() -> str | None:
    """The ``mpiexec`` next to this Python, else one on the PATH, else None."""
    beside = Path(sys.executable).with_name("mpiexec")
    if beside.exists():
        return str(beside)
    return shutil.which("mpiexec")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def launch(nprocs: int, script: str, args: list[str], use_mpi: bool | None = None, timeout: float | None = None,
           module: bool = False) -> int:
    """Run ``script`` as ``nprocs`` ranks and wait; returns the exit status (0 when all succeed).

    Parameters
    ----------
    nprocs : int
        Number of ranks (at least 1).
    script : str
        The Python script each rank runs.
    args : list of str
        Its arguments.
    use_mpi : bool, optional
        Force (True) or avoid (False) ``mpiexec``; default: use it when found.
    timeout : float, optional
        Seconds before every rank is stopped (a hung rank then fails the launch).
    module : bool
        ``script`` names a module, run as ``python -m script`` (``headwater`` runs the
        command line: ``launch(2, "headwater", ["run", "p.yaml"], module=True)``).
    """
    if not isinstance(nprocs, int) or nprocs < 1:
        raise ValueError(f"headwater launch: -n must be a positive number of processes, got {nprocs!r}")
    if module:
        import importlib.util

        if importlib.util.find_spec(script) is None:
            raise FileNotFoundError(f"headwater launch -m: no module {script!r} importable by {sys.executable}")
    elif not Path(script).exists():
        raise FileNotFoundError(f"headwater launch: no script {script!r}")
    command = [sys.executable, "-m", script] if module else [sys.executable, script]
    mpiexec = find_mpiexec() if use_mpi in (None, True) else None
    if use_mpi and mpiexec is None:
        raise FileNotFoundError("headwater launch --mpi: no mpiexec found; pip install \"headwater[distributed]\" "
                                "(the mpich wheel) or launch without --mpi")
    # a MASTER_ADDR/MASTER_PORT already set (rank 0's node, chosen by the user) is kept
    base = dict(os.environ, WORLD_SIZE=str(nprocs))
    base.setdefault("MASTER_ADDR", "127.0.0.1")
    base.setdefault("MASTER_PORT", str(_free_port()))
    if mpiexec is not None:
        base.pop("WORLD_SIZE")  # MPI knows the world
        procs = [subprocess.Popen([mpiexec, "-n", str(nprocs), *command, *args], env=base)]
    else:
        procs = [subprocess.Popen([*command, *args],
                                  env=dict(base, RANK=str(r), LOCAL_RANK=str(r))) for r in range(nprocs)]
    return _wait(procs, timeout)


def _wait(procs: list[subprocess.Popen], timeout: float | None) -> int:
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        codes = [p.poll() for p in procs]
        failed = [c for c in codes if c not in (None, 0)]
        if failed or (deadline is not None and time.monotonic() > deadline):
            for p in procs:
                if p.poll() is None:
                    p.terminate()
            for p in procs:
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
            if failed:
                return failed[0]
            print(f"headwater launch: the ranks did not finish within {timeout} s and were stopped", file=sys.stderr)
            return 124
        if all(c == 0 for c in codes):
            return 0
        time.sleep(0.05)
