"""Run by test_distributed under ``headwater launch``: one rank of a pipeline run.

    distributed_run.py PIPELINE.yaml [--resume] [--hang-at EPOCH] [--set key=value ...]

Every rank records the files it opens for writing (an audit hook) while it runs,
then writes them, with its result, to ``rank<N>.json`` beside the pipeline file. ``--hang-at`` makes rank 1 hang at the start of
that epoch, as a stuck rank would.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main(argv: list[str]) -> int:
    path, rest = argv[0], argv[1:]
    hang_at = None
    resume = rest[:1] == ["--resume"]
    rest = rest[1:] if resume else rest
    if rest[:1] == ["--hang-at"]:
        hang_at, rest = int(rest[1]), rest[2:]
    overrides = [rest[i + 1] for i in range(0, len(rest), 2) if rest[i] == "--set"]
    writes: list[str] = []
    recording = [True]

    def audit(event: str, args: tuple) -> None:
        if recording[0] and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            mode, flags = args[1] or "", args[2] or 0
            if any(c in str(mode) for c in "wax+") or flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                writes.append(os.fsdecode(args[0]))

    from headwater.distributed.group import launched_rank
    from headwater.pipelines.config import load_pipeline
    from headwater.pipelines.errors import PipelineError
    from headwater.pipelines.runner import run_pipeline
    from headwater.pipelines.trainer import Trainer

    rank = launched_rank()
    if hang_at is not None and rank == 1:
        plain = Trainer._run_epoch

        def stuck(self, epoch, loader, train):
            if epoch == hang_at:
                time.sleep(600)
            return plain(self, epoch, loader, train)

        Trainer._run_epoch = stuck
    pipeline = load_pipeline(path, overrides)
    sys.addaudithook(audit)
    try:
        result = run_pipeline(pipeline, resume=resume)
    except PipelineError as exc:
        report = {"rank": rank, "error": type(exc).__name__, "message": str(exc)}
    else:
        files = [w for w in writes if "__pycache__" not in w and not w.startswith("/dev/")]  # imports, MPI's shm
        report = {"rank": rank, "run_dir": str(result.run_dir), "metrics": result.metrics,
                  "epochs": len(result.history), "resumed_from": result.resumed_from, "writes": files}
    recording[0] = False
    with open(os.path.join(os.path.dirname(os.path.abspath(path)), f"rank{rank}.json"), "w") as fh:
        json.dump(report, fh)
    return 1 if "error" in report else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
