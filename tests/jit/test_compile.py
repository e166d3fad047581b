"""hw.compile: training steps replayed exactly as eager, signatures, retracing, guards."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw
from tests.jit.jit_helpers import f64


def _mlp(seed=0, dropout=0.0):
    hw.manual_seed(seed)
    layers = [hw.nn.Linear(6, 16), hw.nn.ReLU()]
    if dropout:
        layers.append(hw.nn.Dropout(dropout))
    layers += [hw.nn.Linear(16, 16), hw.nn.Tanh(), hw.nn.Linear(16, 3)]
    return hw.nn.Sequential(*layers).to(hw.float64)


def _batches(n, batch=8, seed=0):
    rng = np.random.default_rng(seed)
    return [(hw.as_tensor(rng.standard_normal((batch, 6)), device=hw.device()),
             hw.as_tensor(rng.integers(0, 3, batch), device=hw.device())) for _ in range(n)]


OPTIMIZERS = {
    "adam": lambda ps: hw.optim.Adam(ps, lr=1e-2),
    "adamw": lambda ps: hw.optim.AdamW(ps, lr=1e-2, weight_decay=0.1),
    "sgd_momentum": lambda ps: hw.optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True),
    "rmsprop": lambda ps: hw.optim.RMSprop(ps, lr=1e-3),
}


def _train(compiled: bool, make_opt, steps=22, dropout=0.0, zero="opt"):
    model = _mlp(dropout=dropout)
    opt = make_opt(model.parameters())
    loss_fn = hw.nn.CrossEntropyLoss()

    def step(x, y):
        (opt if zero == "opt" else model).zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    run = hw.compile(step) if compiled else step
    hw.manual_seed(123)
    losses, weights = [], []
    for x, y in _batches(steps):
        losses.append(run(x, y).detach().numpy().copy())
        weights.append([p.detach().numpy().copy() for p in model.parameters()])
    return losses, weights, run, opt


@pytest.mark.parametrize("opt", sorted(OPTIMIZERS))
def test_training_step_replays_exactly_as_eager(opt):
    eager_l, eager_w, _, eager_opt = _train(False, OPTIMIZERS[opt])
    comp_l, comp_w, run, comp_opt = _train(True, OPTIMIZERS[opt])
    assert run.traces == 1 and len(run.graphs) == 1
    for a, b in zip(eager_l, comp_l):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)
    for wa, wb in zip(eager_w, comp_w):
        for a, b in zip(wa, wb):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)
    # the same kernels in the same order: bit for bit
    assert all(np.array_equal(a, b) for a, b in zip(eager_w[-1], comp_w[-1]))
    sa, sb = eager_opt.state_dict()["state"], comp_opt.state_dict()["state"]
    for i in sa:
        for k, v in sa[i].items():
            if isinstance(v, hw.Tensor):
                assert np.array_equal(v.numpy(), sb[i][k].numpy())
            else:
                assert v == sb[i][k]


def test_training_step_with_dropout_and_module_zero_grad():
    make = OPTIMIZERS["adam"]
    eager_l, eager_w, _, _ = _train(False, make, dropout=0.3, zero="module")
    comp_l, comp_w, run, _ = _train(True, make, dropout=0.3, zero="module")
    assert len(run.graphs) == run.traces == 1
    assert any(n.op == "dropout" for n in run.graphs[-1].nodes)
    for wa, wb in zip(eager_w, comp_w):
        for a, b in zip(wa, wb):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


def test_step_graph_holds_backward_and_update():
    _, _, run, _ = _train(True, OPTIMIZERS["adam"], steps=3)
    ops = [n.op for n in run.graphs[-1].nodes]
    assert ops[0] == "optim.zero_grad" and "autograd.backward" in ops and ops[-1] == "optim.step"
    assert "linear" in ops and "autograd.backward" in str(run.graphs[-1])


def test_retraces_on_new_shapes_and_modes():
    model = _mlp()
    f = hw.compile(model)
    with hw.no_grad():
        a = f(f64(4, 6))
        b = f(f64(4, 6, seed=1))
        assert f.traces == 1
        c = f(f64(5, 6))
        assert f.traces == 2 and c.shape == (5, 3)
        model.eval()
        f(f64(5, 6))
        assert f.traces == 3
        np.testing.assert_allclose(b.numpy(), model(f64(4, 6, seed=1)).numpy(), rtol=1e-6)
        assert a.shape == (4, 3)


def test_forward_replay_keeps_gradients_for_an_eager_backward():
    model = _mlp()
    f = hw.compile(model)
    x = f64(4, 6)
    for _ in range(2):
        model.zero_grad()
        f(x).sum().backward()
    replayed = [p.grad.numpy().copy() for p in model.parameters()]
    model.zero_grad()
    model(x).sum().backward()
    for a, p in zip(replayed, model.parameters()):
        np.testing.assert_allclose(a, p.grad.numpy(), rtol=1e-6)


def test_retrace_limit_then_eager_with_a_warning():
    f = hw.compile(lambda x: x * 2, max_traces=2)
    f(f64(1))
    f(f64(2))
    with pytest.warns(hw.jit.CompileWarning, match="max_traces"):
        out = f(f64(3))
    assert f.traces == 2
    np.testing.assert_allclose(out.numpy(), f64(3).numpy() * 2)


def test_fullgraph_raises_on_item():
    g = hw.compile(lambda x: x * x.sum().item(), fullgraph=True)
    with pytest.raises(hw.jit.TraceError, match=r"test_compile\.py:\d+"):
        g(f64(3))


def test_unknown_option_is_refused():
    with pytest.raises(TypeError, match="backend"):
        hw.compile(lambda x: x, backend="inductor")


def _family_run(name, compiled, steps=20):
    from tests.jit.jit_helpers import families, loss_of

    model, x = families()[name]
    args = x if isinstance(x, tuple) else (x,)
    opt = hw.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)

    def step(*a):
        opt.zero_grad()
        loss = loss_of(model(*a))
        loss.backward()
        opt.step()
        return loss

    run = hw.compile(step, fullgraph=True) if compiled else step
    for k in range(steps):
        new = tuple(f64(*t.shape, seed=k) if t.dtype == hw.float64 else t for t in args)
        if name == "attention":
            new = (new[0], new[0], new[0])
        run(*new)
    return [t.detach().numpy().copy() for t in [*model.parameters(), *model.buffers()]], run


@pytest.mark.parametrize("name", ["mlp", "conv_pool_bn", "norms", "lstm", "gru", "attention", "embedding"])
def test_training_step_of_each_family_replays_exactly(name):
    eager, _ = _family_run(name, False)
    replay, run = _family_run(name, True)
    assert run.traces == 1 and len(run.graphs) == 1
    for a, b in zip(eager, replay):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)
        assert np.array_equal(a, b)


def test_replaced_optimizer_state_retraces():
    model = _mlp()
    opt = hw.optim.Adam(model.parameters(), lr=1e-2)

    @hw.compile
    def step(x, y):
        opt.zero_grad()
        loss = hw.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    (x, y), = _batches(1)
    step(x, y)
    step(x, y)
    assert step.traces == 1
    opt.load_state_dict(opt.state_dict())  # new state buffers
    step(x, y)
    assert step.traces == 2


def test_a_compiled_module_reads_as_the_module():
    model = _mlp()
    f = hw.compile(model)
    assert [id(p) for p in f.parameters()] == [id(p) for p in model.parameters()]
    f.eval()
    assert not model.training


def test_inplace_activations_replay_exactly():
    def run(compiled):
        hw.manual_seed(0)
        model = hw.nn.Sequential(hw.nn.Linear(6, 8), hw.nn.ReLU(inplace=True), hw.nn.Linear(8, 3),
                                 hw.nn.LeakyReLU(0.1, inplace=True)).to(hw.float64)
        opt = hw.optim.SGD(model.parameters(), lr=0.1)

        def step(x):
            opt.zero_grad()
            loss = (model(x) ** 2).sum()
            loss.backward()
            opt.step()
            return loss

        f = hw.compile(step, fullgraph=True) if compiled else step
        for k in range(20):
            f(f64(4, 6, seed=k))
        return [p.detach().numpy() for p in model.parameters()], f

    eager, _ = run(False)
    replay, f = run(True)
    assert f.traces == 1
    assert all(np.array_equal(a, b) for a, b in zip(eager, replay))


def test_inplace_write_to_an_input_runs_eagerly():
    def f(x):
        with hw.no_grad():
            hw.nn.functional.relu(x, inplace=True)
        return x * 2

    g = hw.compile(f)
    with pytest.warns(hw.jit.CompileWarning, match="in place"):
        g(f64(3))
    x = f64(3)
    np.testing.assert_allclose(g(x).numpy(), np.maximum(f64(3).numpy(), 0) * 2)
