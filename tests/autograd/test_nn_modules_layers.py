"""EmbeddingBag, Embedding.from_pretrained, Parameter/Module containers, state_dict
round trips, BatchNorm1d(momentum=None), nn.utils and nn.init against torch."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

import headwater as hw
from headwater import nn

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

BAGS = {
    "2d_mean": dict(input=[[1, 2, 4], [4, 3, 2]], mode="mean"),
    "2d_sum_psw": dict(input=[[1, 2, 4], [4, 3, 2]], mode="sum", psw=True),
    "2d_max": dict(input=[[1, 2, 4], [4, 3, 9]], mode="max"),
    "1d_sum": dict(input=[1, 2, 4, 5, 4, 3, 2, 9], offsets=[0, 4], mode="sum"),
    "1d_mean_empty_bag": dict(input=[1, 2, 4, 5, 4, 3], offsets=[0, 2, 2, 5], mode="mean"),
    "1d_max_empty_bag": dict(input=[1, 2, 4, 5, 4, 3], offsets=[0, 3, 3], mode="max"),
    "1d_sum_psw_last_offset": dict(input=[1, 2, 4, 5, 4, 3], offsets=[0, 2, 6], mode="sum", psw=True,
                                   include_last_offset=True),
    "1d_mean_padding": dict(input=[0, 2, 0, 5, 4, 0], offsets=[0, 3, 5], mode="mean", padding_idx=0),
    "2d_sum_padding": dict(input=[[0, 2, 3], [0, 0, 0]], mode="sum", padding_idx=0),
    "1d_max_padding": dict(input=[1, 2, 7, 5, 7, 3], offsets=[0, 3], mode="max", padding_idx=7),
}


@pytest.mark.parametrize("name", sorted(BAGS))
def test_embedding_bag_forward_backward_match_torch(name):
    case = BAGS[name]
    rng = np.random.default_rng(0)
    weight = rng.standard_normal((10, 3))
    idx = np.array(case["input"])
    extra = {k: case[k] for k in ("include_last_offset", "padding_idx") if k in case}
    ours = nn.EmbeddingBag.from_pretrained(hw.as_tensor(weight.copy()), freeze=False, mode=case["mode"], **extra)
    theirs = torch.nn.EmbeddingBag.from_pretrained(torch.tensor(weight.copy()), freeze=False, mode=case["mode"],
                                                   **extra)
    args, targs = [hw.as_tensor(idx)], [torch.tensor(idx)]
    kw, tkw = {}, {}
    if "offsets" in case:
        args.append(hw.as_tensor(case["offsets"]))
        targs.append(torch.tensor(case["offsets"]))
    if case.get("psw"):
        psw = rng.standard_normal(idx.shape)
        kw["per_sample_weights"] = hw.as_tensor(psw, requires_grad=True)
        tkw["per_sample_weights"] = torch.tensor(psw, requires_grad=True)
    out, tout = ours(*args, **kw), theirs(*targs, **tkw)
    np.testing.assert_allclose(out.detach().numpy(), tout.detach().numpy(), rtol=1e-12, atol=1e-15)
    g = rng.standard_normal(tout.shape)
    out.backward(hw.as_tensor(g))
    tout.backward(torch.tensor(g))
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), rtol=1e-12, atol=1e-15)
    if case.get("psw"):
        np.testing.assert_allclose(kw["per_sample_weights"].grad.numpy(),
                                   tkw["per_sample_weights"].grad.numpy(), rtol=1e-12)


def test_embedding_bag_float32_module_and_errors():
    bag = nn.EmbeddingBag(6, 4, mode="sum", padding_idx=1)
    assert bag.weight.dtype == hw.float32 and bag.weight[1].abs().sum().item() == 0
    assert bag(hw.as_tensor([[0, 1], [2, 3]])).dtype == hw.float32
    with pytest.raises(ValueError, match="offsets"):
        bag(hw.as_tensor([0, 1]))
    with pytest.raises(ValueError, match="offsets must be None"):
        bag(hw.as_tensor([[0, 1]]), hw.as_tensor([0]))
    with pytest.raises(NotImplementedError, match="per_sample_weights only works with mode='sum'"):
        nn.functional.embedding_bag(hw.as_tensor([[0, 1]]), bag.weight, mode="mean",
                                    per_sample_weights=hw.ones(1, 2))
    with pytest.raises(NotImplementedError, match="max_norm"):
        nn.EmbeddingBag(3, 2, max_norm=1.0)
    with pytest.raises(ValueError, match="mode must be one of"):
        nn.EmbeddingBag(3, 2, mode="median")


def test_embedding_from_pretrained_matches_torch():
    w = np.arange(12.0).reshape(4, 3)
    for freeze in (True, False):
        ours = nn.Embedding.from_pretrained(hw.as_tensor(w.copy()), freeze=freeze, padding_idx=2)
        theirs = torch.nn.Embedding.from_pretrained(torch.tensor(w.copy()), freeze=freeze, padding_idx=2)
        assert ours.weight.requires_grad == theirs.weight.requires_grad
        idx = [[2, 1], [0, 2]]
        out, tout = ours(hw.as_tensor(idx)), theirs(torch.tensor(idx))
        np.testing.assert_array_equal(out.detach().numpy(), tout.detach().numpy())
        if not freeze:
            out.sum().backward()
            tout.sum().backward()
            np.testing.assert_array_equal(ours.weight.grad.numpy(), theirs.weight.grad.numpy())
    shared = hw.as_tensor(w.copy())
    emb = nn.Embedding.from_pretrained(shared)
    assert emb.weight.array is shared.array
    with pytest.raises(ValueError, match="2-D"):
        nn.Embedding.from_pretrained(hw.ones(3))


def test_parameter_list_and_dict_register_like_torch():
    class Net(nn.Module):
        def __init__(self, lib):
            super().__init__()
            P = lib.nn.Parameter
            self.ws = lib.nn.ParameterList([P(lib.ones(2)), P(lib.zeros(3))])
            self.ws.append(lib.ones(1))
            self.named = lib.nn.ParameterDict({"a": P(lib.ones(1))})
            self.named["b"] = lib.zeros(2)

    class TNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            P = torch.nn.Parameter
            self.ws = torch.nn.ParameterList([P(torch.ones(2)), P(torch.zeros(3))])
            self.ws.append(torch.ones(1))
            self.named = torch.nn.ParameterDict({"a": P(torch.ones(1))})
            self.named["b"] = torch.zeros(2)

    ours, theirs = Net(hw), TNet()
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in ours.parameters())
    assert len(ours.ws) == 3 and ours.ws[-1].shape == (1,)
    assert "b" in ours.named and list(ours.named.keys()) == ["a", "b"]
    popped = ours.named.pop("a")
    assert popped.shape == (1,) and list(ours.named) == ["b"]
    assert len(ours.ws[0:2]) == 2
    with pytest.raises(IndexError):
        ours.ws[5]


def test_module_containers_complete():
    seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
    seq.insert(1, nn.Tanh())
    assert [type(m).__name__ for m in seq] == ["Linear", "Tanh", "ReLU", "Linear"]
    assert seq.pop(2).__class__.__name__ == "ReLU" and [n for n, _ in seq.named_children()] == ["0", "1", "2"]
    del seq[0]
    assert len(seq) == 2 and type(seq[-1]).__name__ == "Linear"
    seq.extend([nn.Identity()])
    assert len(seq + nn.Sequential(nn.ReLU())) == 4
    ml = nn.ModuleList([nn.ReLU()])
    ml += [nn.Tanh()]
    ml.insert(0, nn.Identity())
    assert [type(m).__name__ for m in ml] == ["Identity", "ReLU", "Tanh"]
    del ml[1]
    assert [type(m).__name__ for m in ml] == ["Identity", "Tanh"]
    md = nn.ModuleDict({"a": nn.ReLU()})
    md.update({"b": nn.Tanh()})
    assert list(md) == ["a", "b"] and type(md.pop("a")).__name__ == "ReLU"
    md.clear()
    assert len(md) == 0
    assert nn.Unflatten(1, (2, 3))(hw.zeros(4, 6)).shape == (4, 2, 3)
    assert nn.Unflatten(-1, (2, -1))(hw.zeros(4, 6)).shape == (4, 2, 3)


def test_module_traversal_and_modes_match_torch():
    def build(lib):
        shared = lib.nn.Linear(2, 2)
        return lib.nn.Sequential(shared, lib.nn.Sequential(lib.nn.BatchNorm1d(2), shared))

    ours, theirs = build(hw), build(torch)
    for fn in ("named_modules", "named_parameters", "named_buffers"):
        for kw in ({}, {"remove_duplicate": False}):
            assert [n for n, _ in getattr(ours, fn)(**kw)] == [n for n, _ in getattr(theirs, fn)(**kw)], (fn, kw)
    assert [n for n, _ in ours.named_parameters(prefix="m", recurse=False)] == []
    assert type(ours.get_submodule("1.0")).__name__ == "BatchNorm1d"
    assert ours.get_parameter("1.1.bias").shape == (2,) and ours.get_buffer("1.0.running_var").shape == (2,)
    with pytest.raises(AttributeError, match="no submodule"):
        ours.get_submodule("1.7")
    ours.eval()
    assert not any(m.training for m in ours.modules())
    with pytest.raises(ValueError, match="bool"):
        ours.train("yes")
    ours.requires_grad_(False)
    assert not any(p.requires_grad for p in ours.parameters())
    seen, tseen = [], []
    ours.apply(lambda m: seen.append(type(m).__name__))
    theirs.apply(lambda m: tseen.append(type(m).__name__))
    assert seen == tseen


def test_zero_grad_and_to():
    m = nn.Linear(2, 1)
    m(hw.ones(1, 2)).sum().backward()
    m.zero_grad(set_to_none=False)
    assert m.weight.grad.tolist() == [[0.0, 0.0]]
    m.zero_grad()
    assert m.weight.grad is None
    m.to(hw.float64)
    assert m.weight.dtype == hw.float64 and m(hw.ones(1, 2, dtype=hw.float64)).dtype == hw.float64
    m.to("cpu", dtype=hw.float32)
    assert m.bias.dtype == hw.float32


def test_state_dict_round_trips_and_strict_result_match_torch():
    def build(lib):
        return lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.BatchNorm1d(2))

    ours, theirs = build(hw), build(torch)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    saved = {k: hw.as_tensor(v.numpy()) for k, v in theirs.state_dict().items()}
    assert tuple(ours.load_state_dict(saved)) == tuple(theirs.load_state_dict(theirs.state_dict()))
    for k, v in ours.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), theirs.state_dict()[k].numpy())
    partial = dict(saved)
    partial.pop("0.bias")
    partial["extra"] = hw.zeros(1)
    tpartial = dict(theirs.state_dict())
    tpartial.pop("0.bias")
    tpartial["extra"] = torch.zeros(1)
    with pytest.raises(RuntimeError, match="missing keys"):
        ours.load_state_dict(partial)
    with pytest.raises(RuntimeError):
        theirs.load_state_dict(tpartial)
    got, want = ours.load_state_dict(partial, strict=False), theirs.load_state_dict(tpartial, strict=False)
    assert (got.missing_keys, got.unexpected_keys) == (want.missing_keys, want.unexpected_keys)
    with pytest.raises(RuntimeError, match="size mismatch"):
        ours.load_state_dict({**saved, "0.weight": hw.zeros(5, 5)})
    kept = ours.state_dict(keep_vars=True)
    assert kept["0.weight"] is ours[0].weight
    fresh = build(hw)
    fresh.load_state_dict(copy.deepcopy(ours.state_dict()), assign=True)
    np.testing.assert_array_equal(fresh[0].weight.detach().numpy(), ours[0].weight.detach().numpy())


def test_batchnorm_cumulative_average_matches_torch():
    rng = np.random.default_rng(5)
    ours, theirs = nn.BatchNorm1d(3, momentum=None).double(), torch.nn.BatchNorm1d(3, momentum=None).double()
    for i in range(5):
        x = rng.standard_normal((6, 3, 2)) * (i + 1) + i
        out, tout = ours(hw.as_tensor(x)), theirs(torch.tensor(x))
        np.testing.assert_allclose(out.detach().numpy(), tout.detach().numpy(), rtol=1e-10)
    for name in ("running_mean", "running_var", "num_batches_tracked"):
        np.testing.assert_allclose(getattr(ours, name).numpy(), getattr(theirs, name).numpy(), rtol=1e-12)
    ours.eval()
    theirs.eval()
    x = rng.standard_normal((4, 3))
    np.testing.assert_allclose(ours(hw.as_tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-10)


# -- nn.utils ---------------------------------------------------------------------------------
def _grads(lib, tensor, rng_seed=6):
    rng = np.random.default_rng(rng_seed)
    ps = []
    for shape in ((3, 2), (4,), (2, 2)):
        p = lib.nn.Parameter(tensor(rng.standard_normal(shape)))
        p.grad = tensor(rng.standard_normal(shape) * 3)
        ps.append(p)
    return ps


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.5, math.inf])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    ours, theirs = _grads(hw, hw.as_tensor), _grads(torch, torch.tensor)
    n = nn.utils.clip_grad_norm_(ours, max_norm, norm_type)
    tn = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type, foreach=False)
    assert n.item() == pytest.approx(tn.item(), rel=1e-12)
    for p, tp in zip(ours, theirs):
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-12)


def test_clip_grad_value_nonfinite_and_vectors_match_torch():
    ours, theirs = _grads(hw, hw.as_tensor), _grads(torch, torch.tensor)
    nn.utils.clip_grad_value_(ours, 1.5)
    torch.nn.utils.clip_grad_value_(theirs, 1.5)
    for p, tp in zip(ours, theirs):
        np.testing.assert_array_equal(p.grad.numpy(), tp.grad.numpy())
    ours[0].grad.array[0, 0] = np.inf
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_(ours, 1.0, error_if_nonfinite=True)
    vec, tvec = nn.utils.parameters_to_vector(ours), torch.nn.utils.parameters_to_vector(theirs)
    np.testing.assert_array_equal(vec.detach().numpy(), tvec.detach().numpy())
    (vec * vec).sum().backward()
    assert ours[1].grad is not None
    new = np.arange(vec.shape[0], dtype=np.float64)
    nn.utils.vector_to_parameters(hw.as_tensor(new), ours)
    torch.nn.utils.vector_to_parameters(torch.tensor(new), theirs)
    for p, tp in zip(ours, theirs):
        np.testing.assert_array_equal(p.detach().numpy(), tp.detach().numpy())
    with pytest.raises(ValueError, match="elements"):
        nn.utils.vector_to_parameters(hw.ones(3), ours)


# -- nn.init ----------------------------------------------------------------------------------
GAINS = [("linear", None), ("conv2d", None), ("conv_transpose3d", None), ("sigmoid", None), ("tanh", None),
         ("relu", None), ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", 1), ("selu", None)]


def test_calculate_gain_table_matches_torch():
    for name, param in GAINS:
        assert nn.init.calculate_gain(name, param) == pytest.approx(torch.nn.init.calculate_gain(name, param))
    with pytest.raises(ValueError, match="unsupported nonlinearity"):
        nn.init.calculate_gain("swish")
    with pytest.raises(ValueError, match="negative_slope"):
        nn.init.calculate_gain("leaky_relu", "x")


@pytest.mark.parametrize("shape", [(30, 20), (16, 8, 3), (8, 4, 3, 3)])
def test_fans_match_torch(shape):
    assert nn.init._calculate_fan_in_and_fan_out(hw.empty(*shape)) == \
        torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))


def test_init_statistics():
    hw.manual_seed(0)
    w = nn.init.trunc_normal_(hw.empty(200, 200, dtype=hw.float64), mean=0.5, std=2.0, a=-1.0, b=3.0)
    t = torch.nn.init.trunc_normal_(torch.empty(200, 200, dtype=torch.float64), mean=0.5, std=2.0, a=-1.0, b=3.0)
    data = w.numpy()
    assert data.min() >= -1.0 and data.max() <= 3.0
    assert data.mean() == pytest.approx(t.mean().item(), abs=0.03)
    assert data.std() == pytest.approx(t.std().item(), abs=0.03)
    for shape in ((5, 12), (12, 5), (4, 3, 2)):
        q = nn.init.orthogonal_(hw.empty(*shape, dtype=hw.float64), gain=2.0).numpy().reshape(shape[0], -1)
        small = min(q.shape)
        gram = q @ q.T if q.shape[0] == small else q.T @ q
        np.testing.assert_allclose(gram, 4.0 * np.eye(small), atol=1e-10)
    s = nn.init.sparse_(hw.empty(20, 7), sparsity=0.25, std=0.5).numpy()
    assert ((s == 0).sum(0) == 5).all() and s[s != 0].std() == pytest.approx(0.5, rel=0.3)
    assert (nn.init.eye_(hw.empty(3, 4)).numpy() == torch.nn.init.eye_(torch.empty(3, 4)).numpy()).all()
    for shape, groups in (((4, 2, 3), 2), ((6, 3, 3, 3), 1), ((4, 2, 3, 3, 3), 2)):
        np.testing.assert_array_equal(nn.init.dirac_(hw.empty(*shape), groups).numpy(),
                                      torch.nn.init.dirac_(torch.empty(*shape), groups).numpy())
    u = nn.init.kaiming_uniform_(hw.empty(400, 300), mode="fan_out", nonlinearity="relu").numpy()
    bound = math.sqrt(2.0) * math.sqrt(3.0 / 400)
    assert np.abs(u).max() <= bound and np.abs(u).max() > 0.95 * bound
    assert nn.init.constant_(hw.empty(2, 2), 0.25).tolist() == [[0.25, 0.25], [0.25, 0.25]]
    with pytest.raises(ValueError, match="2-D"):
        nn.init.eye_(hw.empty(2, 2, 2))
    with pytest.raises(ValueError, match="divisible"):
        nn.init.dirac_(hw.empty(3, 2, 3), groups=2)
