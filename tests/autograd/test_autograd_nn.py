"""nn.Module registration, traversal, state, modes, layers and initialisation."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

import headwater as hw
from headwater import nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 4)
        self.norm = nn.BatchNorm1d(4)
        self.scale = nn.Parameter(hw.ones(1))
        self.not_a_param = hw.ones(2)

    def forward(self, x):
        return self.norm(self.fc(x)) * self.scale


def test_registration_by_assignment():
    b = Block()
    assert [n for n, _ in b.named_parameters()] == ["scale", "fc.weight", "fc.bias", "norm.weight", "norm.bias"]
    assert [n for n, _ in b.named_buffers()] == ["norm.running_mean", "norm.running_var", "norm.num_batches_tracked"]
    assert [n for n, _ in b.named_children()] == ["fc", "norm"]
    assert len(list(b.modules())) == 3
    assert "not_a_param" not in dict(b.named_parameters())


def test_shared_parameters_are_listed_once():
    shared = nn.Linear(2, 2)
    seq = nn.Sequential(shared, nn.ReLU(), shared)
    assert len(list(seq.parameters())) == 2


def test_assigning_a_computed_tensor_to_a_parameter_is_refused():
    m = nn.Linear(2, 2)
    with pytest.raises(TypeError, match="compute the value in forward"):
        m.weight = m.weight * 2


def test_assigning_before_init_is_explained():
    class Broken(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(2, 2)

    with pytest.raises(AttributeError, match=r"super\(\).__init__\(\)"):
        Broken()


def test_train_eval_propagate():
    b = Block()
    b.eval()
    assert not b.training and not b.fc.training and not b.norm.training
    b.train()
    assert b.norm.training


def test_zero_grad():
    m = nn.Linear(2, 1)
    m(hw.ones(3, 2)).sum().backward()
    assert m.weight.grad is not None
    m.zero_grad()
    assert m.weight.grad is None


def test_state_dict_roundtrip_and_strict_keys():
    a, b = Block(), Block()
    b.load_state_dict(a.state_dict())
    for (k, va), (_, vb) in zip(a.state_dict().items(), b.state_dict().items()):
        np.testing.assert_array_equal(va.numpy(), vb.numpy(), err_msg=k)
    sd = a.state_dict()
    sd.pop("scale")
    sd["extra"] = hw.ones(1)
    with pytest.raises(KeyError, match=r"missing keys \['scale'\], unexpected keys \['extra'\]"):
        b.load_state_dict(sd)
    result = b.load_state_dict(sd, strict=False)
    assert result.missing_keys == ["scale"] and result.unexpected_keys == ["extra"]


def test_load_state_dict_shape_mismatch():
    with pytest.raises(ValueError, match=r"size mismatch for 'weight'.*\(3, 2\).*\(2, 2\)"):
        nn.Linear(2, 2).load_state_dict(nn.Linear(2, 3).state_dict())


def test_load_state_dict_keeps_parameter_objects():
    m = nn.Linear(2, 2)
    w = m.weight
    m.load_state_dict(nn.Linear(2, 2).state_dict())
    assert m.weight is w and w.requires_grad


def test_module_to_dtype_keeps_parameters():
    m = nn.Linear(2, 2)
    w = m.weight
    m.to(hw.float64)
    assert m.weight is w and w.dtype == hw.float64
    assert m(hw.ones(1, 2, dtype=hw.float64)).dtype == hw.float64


def test_repr_like_pytorch():
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.1), nn.Linear(8, 2))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Linear(in_features=4, out_features=8, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Dropout(p=0.1)\n"
        "  (3): Linear(in_features=8, out_features=2, bias=True)\n"
        ")"
    )


def test_deepcopy_of_a_model_is_independent():
    m = nn.Linear(2, 2)
    c = copy.deepcopy(m)
    with hw.no_grad():
        c.weight.add_(1)
    assert not np.allclose(m.weight.detach().numpy(), c.weight.detach().numpy())


def test_containers():
    layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])
    layers.append(nn.ReLU())
    assert len(layers) == 3 and len(list(layers.parameters())) == 4
    heads = nn.ModuleDict({"a": nn.Linear(2, 1)})
    heads["b"] = nn.Linear(2, 3)
    assert [n for n, _ in heads.named_parameters()] == ["a.weight", "a.bias", "b.weight", "b.bias"]
    seq = nn.Sequential(nn.Linear(2, 3), nn.Tanh())
    assert isinstance(seq[0], nn.Linear) and isinstance(seq[-1], nn.Tanh) and len(seq[:1]) == 1


@pytest.mark.parametrize(
    "layer,shape,out",
    [
        (lambda: nn.Linear(5, 3), (4, 5), (4, 3)),
        (lambda: nn.Linear(5, 3, bias=False), (2, 4, 5), (2, 4, 3)),
        (lambda: nn.LayerNorm(5), (4, 5), (4, 5)),
        (lambda: nn.BatchNorm1d(5), (4, 5), (4, 5)),
        (lambda: nn.Flatten(), (2, 3, 4), (2, 12)),
        (lambda: nn.Identity(), (2, 3), (2, 3)),
        (lambda: nn.GELU(), (2, 3), (2, 3)),
        (lambda: nn.SiLU(), (2, 3), (2, 3)),
        (lambda: nn.LeakyReLU(0.2), (2, 3), (2, 3)),
        (lambda: nn.Sigmoid(), (2, 3), (2, 3)),
        (lambda: nn.Softmax(dim=-1), (2, 3), (2, 3)),
    ],
)
def test_layer_shapes_and_gradients(layer, shape, out):
    m = layer()
    x = hw.randn(*shape, requires_grad=True)
    y = m(x)
    assert y.shape == out
    y.sum().backward()
    assert x.grad is not None and x.grad.shape == shape


def test_embedding_layer():
    emb = nn.Embedding(10, 4, padding_idx=-1)
    assert emb.padding_idx == 9
    out = emb(hw.as_tensor([[1, 9], [3, 3]]))
    assert out.shape == (2, 2, 4)
    out.sum().backward()
    assert emb.weight.grad.numpy()[9].tolist() == [0.0] * 4
    assert emb.weight.grad.numpy()[3].tolist() == [2.0] * 4


def test_dropout_train_and_eval():
    hw.manual_seed(0)
    d = nn.Dropout(0.25)
    x = hw.ones(4000)
    y = d(x).numpy()
    np.testing.assert_allclose(np.unique(y), [0.0, 4.0 / 3.0], rtol=1e-6)
    assert abs((y == 0).mean() - 0.25) < 0.03
    d.eval()
    assert d(x) is x


def test_batch_norm_running_statistics_and_eval():
    bn = nn.BatchNorm1d(2, momentum=0.5)
    x = hw.as_tensor([[1.0, 10.0], [3.0, 20.0]])
    bn(x)
    np.testing.assert_allclose(bn.running_mean.numpy(), [1.0, 7.5])
    np.testing.assert_allclose(bn.running_var.numpy(), [0.5 + 0.5 * 2.0, 0.5 + 0.5 * 50.0])
    assert bn.num_batches_tracked.item() == 1
    bn.eval()
    y = bn(x).detach().numpy()
    expected = (x.numpy() - bn.running_mean.numpy()) / np.sqrt(bn.running_var.numpy() + 1e-5)
    np.testing.assert_allclose(y, expected, rtol=1e-5)


def test_default_init_distributions_follow_pytorch():
    hw.manual_seed(0)
    fc = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    w = fc.weight.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.02 * bound
    assert np.abs(fc.bias.detach().numpy()).max() <= bound
    emb = nn.Embedding(300, 100).weight.detach().numpy()
    assert abs(emb.mean()) < 0.02 and abs(emb.std() - 1.0) < 0.02


def test_init_functions():
    hw.manual_seed(1)
    w = hw.empty(200, 300)
    nn.init.xavier_uniform_(w)
    a = math.sqrt(6 / 500)
    assert np.abs(w.numpy()).max() <= a
    nn.init.xavier_normal_(w)
    assert abs(w.numpy().std() - math.sqrt(2 / 500)) < 0.003
    nn.init.kaiming_normal_(w, nonlinearity="relu")
    assert abs(w.numpy().std() - math.sqrt(2 / 300)) < 0.003
    nn.init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu")
    assert np.abs(w.numpy()).max() <= math.sqrt(6 / 200)
    nn.init.normal_(w, 2.0, 0.5)
    assert abs(w.numpy().mean() - 2.0) < 0.01
    nn.init.uniform_(w, -3, -2)
    assert w.numpy().min() >= -3 and w.numpy().max() < -2
    nn.init.zeros_(w)
    assert not w.numpy().any()
    nn.init.ones_(w)
    assert (w.numpy() == 1).all()
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        nn.init.xavier_uniform_(hw.empty(3))


def test_init_is_seeded():
    hw.manual_seed(5)
    a = nn.Linear(3, 3).weight.detach().numpy().copy()
    hw.manual_seed(5)
    b = nn.Linear(3, 3).weight.detach().numpy()
    np.testing.assert_array_equal(a, b)


def test_clip_grad_norm_and_value():
    p = nn.Parameter(hw.zeros(2))
    q = nn.Parameter(hw.zeros(1))
    p.grad = hw.as_tensor([3.0, 0.0])
    q.grad = hw.as_tensor([4.0])
    hw.reset_transfer_stats()
    total = nn.utils.clip_grad_norm_([p, q], max_norm=1.0)
    assert hw.transfer_stats().to_host_calls == 0
    assert abs(total.item() - 5.0) < 1e-6
    np.testing.assert_allclose(np.concatenate([p.grad.numpy(), q.grad.numpy()]), [0.6, 0.0, 0.8], rtol=1e-5)
    p.grad = hw.as_tensor([0.1, -0.2])
    nn.utils.clip_grad_norm_(p, max_norm=1.0)
    np.testing.assert_allclose(p.grad.numpy(), [0.1, -0.2], rtol=1e-5)
    p.grad = hw.as_tensor([3.0, -4.0])
    assert nn.utils.clip_grad_norm_(p, 1.0, norm_type=float("inf")).item() == 4.0
    nn.utils.clip_grad_value_(p, 0.5)
    np.testing.assert_allclose(p.grad.numpy(), [0.5, -0.5], rtol=1e-5)


def test_losses_modules():
    x = hw.as_tensor([[2.0, 0.0], [0.0, 2.0]])
    t = hw.as_tensor([0, 1])
    ce = nn.CrossEntropyLoss()(x, t).item()
    assert abs(ce - math.log(1 + math.exp(-2))) < 1e-6
    assert nn.NLLLoss()(x.log_softmax(dim=1), t).item() == pytest.approx(ce)
    assert nn.MSELoss()(x, hw.zeros(2, 2)).item() == 2.0
    assert nn.L1Loss(reduction="sum")(x, hw.zeros(2, 2)).item() == 4.0
    assert nn.HuberLoss(delta=1.0)(x, hw.zeros(2, 2)).item() == 0.75
    bce = nn.BCEWithLogitsLoss(pos_weight=hw.as_tensor([1.0, 1.0]))(x, hw.ones(2, 2)).item()
    assert bce == pytest.approx(nn.BCEWithLogitsLoss()(x, hw.ones(2, 2)).item())
    with pytest.raises(ValueError, match="reduction must be one of"):
        nn.MSELoss(reduction="avg")
