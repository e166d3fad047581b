"""hw.utils.tensorboard.SummaryWriter: torch's scalar API on Headwater's event writer."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw
from headwater.utils.event_file import read_events


def test_add_scalar_writes_readable_events(tmp_path):
    with hw.utils.tensorboard.SummaryWriter(tmp_path / "run", max_queue=2) as w:
        for step in range(5):
            w.add_scalar("loss/train", hw.tensor(1.0 / (step + 1)), step)
        w.add_scalar("lr", 0.5, global_step=7, walltime=123.0)
        w.add_scalar("acc", np.float32(0.75))
        assert w.get_logdir() == str(tmp_path / "run")
    events = [e for e in read_events(w.file_path) if e["scalars"]]
    assert [e["step"] for e in events] == [0, 1, 2, 3, 4, 7, 0]
    assert events[0]["scalars"] == {"loss/train": 1.0}
    assert events[5]["wall_time"] == 123.0 and events[6]["scalars"] == {"acc": 0.75}
    assert read_events(w.file_path)[0]["file_version"] == "brain.Event:2"


def test_add_scalars_puts_each_curve_in_its_own_run(tmp_path):
    w = hw.utils.tensorboard.SummaryWriter(str(tmp_path), filename_suffix=".x")
    w.add_scalars("loss", {"train": 1.0, "val": hw.tensor([2.0])}, 3)
    w.close()
    files = sorted(p.relative_to(tmp_path).parts[0] for p in tmp_path.glob("*/events.out.tfevents.*.x"))
    assert files == ["loss_train", "loss_val"]
    (val,) = (tmp_path / "loss_val").glob("events.*")
    assert [e["scalars"] for e in read_events(val) if e["scalars"]] == [{"loss": 2.0}]


def test_default_log_dir_and_refusals(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    w = hw.utils.tensorboard.SummaryWriter(comment="_exp")
    assert w.get_logdir().startswith("runs") and w.get_logdir().endswith("_exp")
    with pytest.raises(NotImplementedError, match="add_scalar"):
        w.add_histogram("w", hw.zeros(3), 0)
    with pytest.raises(ValueError, match="one value"):
        w.add_scalar("bad", hw.zeros(2))
    with pytest.raises(TypeError, match="number"):
        w.add_scalar("bad", "x")
    w.close()
    with pytest.raises(NotImplementedError, match="purge_step"):
        hw.utils.tensorboard.SummaryWriter(tmp_path / "p", purge_step=3)
    from headwater.utils.tensorboard import SummaryWriter

    assert SummaryWriter is hw.utils.tensorboard.SummaryWriter
