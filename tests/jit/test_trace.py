"""hw.jit.trace: the graph it records and its replays against eager, per op family."""

from __future__ import annotations

import numpy as np
import pytest

import headwater as hw
from tests.jit.jit_helpers import assert_close, f64, families, loss_of

FAMILIES = families()


def _args(x):
    return x if isinstance(x, tuple) else (x,)


def _like(x, seed, grad=False):
    """New arguments like the example ones (one tensor where the example passed one)."""
    made = {}
    out = []
    for a in _args(x):
        if a.dtype != hw.float64:
            out.append(a)
            continue
        if id(a) not in made:
            made[id(a)] = f64(*a.shape, seed=seed + len(made))
            if grad:
                made[id(a)].requires_grad_()
        out.append(made[id(a)])
    return tuple(out)


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_forward_replay_equals_eager(name):
    model, x = FAMILIES[name]
    model.eval()
    traced = hw.jit.trace(model, x)
    assert len(traced.graph.nodes) > 0
    for seed in (1, 2):
        new = _like(x, seed)
        with hw.no_grad():
            assert_close(traced(*new), model(*new))


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_tape_replay_gradients_equal_eager(name):
    model, x = FAMILIES[name]
    model.train() if name != "conv_pool_bn" else model.eval()
    traced = hw.jit.trace(model, x)
    new = _like(x, 3, grad=True)
    params = list(model.parameters()) + list({id(a): a for a in new if a.requires_grad}.values())
    model.zero_grad()
    loss_of(model(*new)).backward()
    eager = [p.grad.numpy().copy() for p in params if p.grad is not None]
    model.zero_grad()
    for a in new:
        a.grad = None
    loss_of(traced(*new)).backward()
    replay = [p.grad.numpy().copy() for p in params if p.grad is not None]
    assert len(eager) == len(replay) > 0
    for a, b in zip(eager, replay):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)


def test_graph_prints_one_op_a_line_with_scopes_and_params():
    hw.manual_seed(0)
    net = hw.nn.Sequential(hw.nn.Linear(3, 4), hw.nn.ReLU(), hw.nn.Linear(4, 2))
    traced = hw.jit.trace(net, hw.ones(2, 3))
    g = traced.graph
    assert [n.op for n in g.nodes] == ["linear", "relu", "linear"]
    assert [n.scope for n in g.nodes] == ["0", "1", "2"]
    assert sorted(g.params) == ["0.bias", "0.weight", "2.bias", "2.weight"]
    assert g.params["0.weight"].tensor is net[0].weight
    assert g.nodes[0].inputs[1] is g.params["0.weight"]
    assert g.nodes[1].inputs[0] is g.nodes[0].outputs[0]
    assert g.nodes[2].outputs[0].shape == (2, 2)
    text = str(g).splitlines()
    assert text[0].startswith("graph(%input0: float32[2, 3])")
    assert sum("= linear(" in line for line in text) == 2
    assert text[-1] == f"  return ({g.outputs[0]!r})"


def test_attributes_are_recorded():
    x = f64(1, 2, 6, 6)
    conv = hw.nn.Conv2d(2, 2, 3, stride=2, padding=1).to(hw.float64)
    g = hw.jit.trace(lambda t: hw.nn.functional.max_pool2d(conv(t), 2) .sum(dim=1), x).graph
    assert g.nodes[0].op == "conv2d" or "conv" in g.nodes[0].op
    assert g.params["conv.weight"].tensor is conv.weight
    reduce = g.nodes[-1]
    assert reduce.attrs or any(not isinstance(a, hw.jit.Value) for a in reduce.args)


def test_replay_reads_parameters_live():
    lin = hw.nn.Linear(2, 1).to(hw.float64)
    traced = hw.jit.trace(lin, f64(3, 2))
    with hw.no_grad():
        lin.weight.mul_(2.0)
        assert_close(traced(f64(3, 2, seed=5)), lin(f64(3, 2, seed=5)))


def test_outputs_are_fresh_tensors():
    traced = hw.jit.trace(lambda x: x * 2, f64(3))
    a, b = traced(f64(3)), traced(f64(3))
    assert a is not b and not np.shares_memory(a.numpy(), b.numpy())


def test_a_trace_never_replays_on_another_signature():
    traced = hw.jit.trace(lambda x: x + 1, f64(3))
    with pytest.raises(hw.jit.TraceError, match="traced for shape"):
        traced(f64(4))
    with pytest.raises(hw.jit.TraceError, match="dtype"):
        traced(f64(3).float())


def test_trace_warns_where_it_sees_a_branch():
    def f(x):
        if x.sum() > 0:  # the branch the example takes is baked in
            return x * 2
        return x * 3

    with pytest.warns(hw.jit.TracerWarning, match=r"test_trace\.py:\d+"):
        traced = hw.jit.trace(f, f64(3, low=0.1))
    neg = -f64(3, low=0.1)
    assert_close(traced(neg), neg * 2)  # documented: the traced branch


def test_dropout_replays_with_the_generator_advancing():
    x = hw.ones(1000, dtype=hw.float64)
    traced = hw.jit.trace(lambda t: hw.nn.functional.dropout(t, 0.5), x)
    hw.manual_seed(7)
    eager = [hw.nn.functional.dropout(x, 0.5) for _ in range(2)]
    hw.manual_seed(7)
    replay = [traced(x) for _ in range(2)]
    assert_close(tuple(eager), tuple(replay))
    assert not bool((replay[0] == replay[1]).all())


def test_unreplayable_calls_raise():
    with pytest.raises(hw.jit.TraceError, match="random draw"):
        hw.jit.trace(lambda t: t + hw.randn(3, dtype=hw.float64), f64(3))


def _chain(x, b):
    return hw.tanh(hw.relu(x * 2.5 + b) - 1.0).exp() / 3


def test_elementwise_chains_fuse_and_equal_eager():
    from headwater.jit.fusion import plan_chains
    from headwater.jit.program import Program

    x, b = f64(4, 5), f64(5, seed=1)
    with hw.no_grad():
        traced = hw.jit.trace(_chain, (x, b))
        chains = plan_chains(traced.graph)
        assert len(chains) == 1 and len(next(iter(chains.values())).nodes) == len(traced.graph.nodes)
        for seed in (2, 3):
            x2 = f64(4, 5, seed=seed)
            fused = traced(x2, b)
            assert np.array_equal(fused.numpy(), _chain(x2, b).numpy())  # the same ufuncs
            unfused = Program(traced.graph, fuse=False).run([x2, b])[0]
            assert np.array_equal(fused.numpy(), unfused.numpy())
        assert not np.shares_memory(traced(x2, b).numpy(), traced(x2, b).numpy())


def test_chain_kernel_source_is_one_expression_per_op():
    from headwater.jit.fusion import plan_chains

    with hw.no_grad():
        traced = hw.jit.trace(_chain, (f64(4, 5), f64(5, seed=1)))
    params, body = next(iter(plan_chains(traced.graph).values())).source()
    assert params == "T x0, T x1"
    assert body.count(";") == len(traced.graph.nodes) + 1 and "tanh(" in body and "exp(" in body


@pytest.mark.gpu
def test_chain_kernel_equals_the_ufunc_path_on_cupy():
    import cupy

    from headwater.jit.fusion import plan_chains

    x = hw.as_tensor(np.random.default_rng(0).standard_normal((64, 33)), device="cuda")
    b = hw.as_tensor(np.random.default_rng(1).standard_normal(33), device="cuda")
    with hw.no_grad():
        traced = hw.jit.trace(_chain, (x, b))
        eager = _chain(x, b).array
    chain = next(iter(plan_chains(traced.graph).values()))
    env = [None] * (1 + max(v.index for n in traced.graph.nodes for v in n.outputs))
    env[traced.graph.inputs[0].index], env[traced.graph.inputs[1].index] = x.array, b.array
    by_kernel = chain.run_kernel(list(env))
    by_ufuncs = chain.run_ufuncs(list(env))
    assert bool(cupy.array_equal(by_kernel, by_ufuncs))
    assert bool(cupy.array_equal(by_kernel, eager))
