"""hw.compile replays BatchNorm/InstanceNorm training steps: running statistics updated
in the replay exactly as eager (momentum=None too)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import headwater as hw


def _model(kind, momentum, affine=True, track=True):
    hw.manual_seed(0)
    if kind == "bn1d":
        norm = hw.nn.BatchNorm1d(8, momentum=momentum, affine=affine, track_running_stats=track)
        return hw.nn.Sequential(hw.nn.Linear(5, 8), norm, hw.nn.ReLU(), hw.nn.Linear(8, 3)), (6, 5)
    if kind == "bn2d":
        norm = hw.nn.BatchNorm2d(3, momentum=momentum, affine=affine, track_running_stats=track)
        return hw.nn.Sequential(hw.nn.Conv2d(2, 3, 3, padding=1), norm, hw.nn.ReLU(),
                                hw.nn.AdaptiveAvgPool2d(1), hw.nn.Flatten()), (4, 2, 5, 5)
    norm = hw.nn.InstanceNorm1d(4, momentum=momentum, affine=affine, track_running_stats=track)
    return hw.nn.Sequential(hw.nn.Conv1d(2, 4, 3), norm, hw.nn.Flatten(), hw.nn.Linear(16, 2)), (3, 2, 6)


def _train(kind, momentum, compiled, steps=22, dtype=hw.float64, **kw):
    model, shape = _model(kind, momentum, **kw)
    model.to(dtype)
    opt = hw.optim.Adam(model.parameters(), lr=1e-2)

    def step(x):
        opt.zero_grad()
        loss = (model(x) ** 2).mean()
        loss.backward()
        opt.step()
        return loss

    run = hw.compile(step, fullgraph=True) if compiled else step
    rng = np.random.default_rng(1)
    history = []
    for _ in range(steps):
        x = hw.as_tensor((rng.standard_normal(shape) * 2 + 0.5).astype(np.dtype(dtype)), device=hw.device())
        loss = run(x)
        history.append([loss.detach().numpy().copy()]
                       + [t.detach().numpy().copy() for t in [*model.parameters(), *model.buffers()]])
    return history, run, model


@pytest.mark.parametrize("kind", ["bn1d", "bn2d", "in1d"])
@pytest.mark.parametrize("momentum", [0.1, None])
def test_norm_training_step_replays_running_statistics_exactly(kind, momentum):
    if kind == "in1d" and momentum is None:
        pytest.skip("InstanceNorm takes a float momentum")
    eager, _, eager_model = _train(kind, momentum, compiled=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # replays: no eager fallback
        replay, run, model = _train(kind, momentum, compiled=True)
    assert run.traces == 1 and len(run.graphs) == 1
    for step_e, step_r in zip(eager, replay):
        for a, b in zip(step_e, step_r):
            assert a.dtype == b.dtype
            assert np.array_equal(a, b)
    buffers = dict(model.named_buffers())
    if kind != "in1d":
        assert int(buffers["1.num_batches_tracked"].item()) == 22
    # the running statistics moved away from their initial values, step after step
    mean = [h[-3] if kind != "in1d" else h[-2] for h in replay]
    assert not np.array_equal(mean[0], mean[-1])


@pytest.mark.parametrize(("affine", "track"), [(False, True), (True, False)])
def test_batchnorm_variants_replay_exactly(affine, track):
    eager, _, _ = _train("bn1d", 0.3, compiled=False, steps=20, affine=affine, track=track)
    replay, run, _ = _train("bn1d", 0.3, compiled=True, steps=20, affine=affine, track=track)
    assert run.traces == 1 and len(run.graphs) == 1
    for step_e, step_r in zip(eager, replay):
        for a, b in zip(step_e, step_r):
            assert np.array_equal(a, b)


def test_batchnorm_float32_keeps_its_dtype_and_eager_values():
    eager, _, _ = _train("bn2d", None, compiled=False, steps=20, dtype=hw.float32)
    replay, run, model = _train("bn2d", None, compiled=True, steps=20, dtype=hw.float32)
    assert model[1].running_var.dtype == hw.float32
    for step_e, step_r in zip(eager, replay):
        for a, b in zip(step_e, step_r):
            assert np.array_equal(a, b)


def test_eval_mode_retraces_and_leaves_the_statistics_alone():
    model, shape = _model("bn1d", 0.1)
    model.to(hw.float64)
    f = hw.compile(model)
    x = hw.as_tensor(np.random.default_rng(0).standard_normal(shape), device=hw.device())
    with hw.no_grad():
        f(x)
        f(x)
        assert int(model[1].num_batches_tracked.item()) == 2
        version = model[1].running_mean._vc[0]
        model.eval()
        before = model[1].running_mean.numpy().copy()
        out = f(x)
        f(x)
        assert f.traces == 2
        assert np.array_equal(before, model[1].running_mean.numpy())
        assert model[1].running_mean._vc[0] == version
        assert np.array_equal(out.numpy(), model(x).numpy())


def test_replays_advance_the_buffers_versions():
    model, shape = _model("bn1d", 0.1)
    model.to(hw.float64)
    f = hw.compile(model)
    x = hw.as_tensor(np.random.default_rng(0).standard_normal(shape), device=hw.device())
    with hw.no_grad():
        f(x)
        v0 = model[1].running_var._vc[0]
        f(x)
        f(x)
    assert model[1].running_var._vc[0] == v0 + 2


def test_functional_momentum_none_needs_the_counter():
    with pytest.raises(ValueError, match="num_batches_tracked"):
        hw.nn.functional.batch_norm(hw.ones(4, 2), hw.zeros(2), hw.ones(2), training=True, momentum=None)
