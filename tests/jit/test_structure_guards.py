"""hw.compile's module guard: skipped in O(1) while no module changed, and still
retracing on every change of training flag, parameter, buffer or child identity."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest

import headwater as hw
from headwater.autograd.nn import structure_version
from tests.jit.jit_helpers import f64


def _net():
    hw.manual_seed(0)
    return hw.nn.Sequential(hw.nn.Linear(6, 4), hw.nn.Dropout(0.5), hw.nn.Linear(4, 3)).to(hw.float64)


def _check(f, model, x, traces):
    with hw.no_grad():
        hw.manual_seed(1)
        out = f(x)
        hw.manual_seed(1)
        want = model(x)
    assert f.traces == traces
    np.testing.assert_array_equal(out.numpy(), want.numpy())


def test_no_change_no_walk_and_no_retrace():
    model = _net().eval()
    f = hw.compile(model)
    x = f64(2, 6)
    _check(f, model, x, 1)
    v = structure_version.current()
    _check(f, model, x, 1)
    assert structure_version.current() == v and f._version == v


@pytest.mark.parametrize("change", ["eval", "attr", "child_attr"])
def test_training_flag_changes_retrace(change):
    model = _net()
    f = hw.compile(model)
    x = f64(2, 6)
    model.eval()
    _check(f, model, x, 1)
    if change == "eval":
        model.train()
    elif change == "attr":
        model.training = True  # the parent flag alone
    else:
        model[1].training = True  # a child's flag alone: dropout turns on
    _check(f, model, x, 2)


@pytest.mark.parametrize("how", ["setattr", "registry", "register", "delete"])
def test_parameter_identity_changes_retrace(how):
    model = _net().eval()
    f = hw.compile(model)
    x = f64(2, 6)
    _check(f, model, x, 1)
    lin = model[2]
    new = hw.nn.Parameter(hw.as_tensor(np.full((3, 4), 0.5), device=hw.device()))
    if how == "setattr":
        lin.weight = new
    elif how == "registry":
        lin._parameters["weight"] = new
    elif how == "register":
        lin.register_parameter("weight", new)
    else:
        del lin._parameters["bias"]
        lin.register_parameter("bias", None)
    _check(f, model, x, 2)


def test_replaced_child_retraces():
    model = _net().eval()
    f = hw.compile(model)
    x = f64(2, 6)
    _check(f, model, x, 1)
    hw.manual_seed(5)
    model[2] = hw.nn.Linear(4, 3).to(hw.float64)
    _check(f, model, x, 2)


def test_registries_bump_on_every_mutation_and_survive_copies():
    d = structure_version.VersionedDict()
    for op in (lambda: d.__setitem__("a", 1), lambda: d.update(b=2), lambda: d.setdefault("c", 3),
               lambda: d.move_to_end("a"), lambda: d.pop("a"), lambda: d.popitem(),
               lambda: d.__delitem__("b"), lambda: d.__ior__({"e": 5}), d.clear):
        v = structure_version.current()
        op()
        assert structure_version.current() > v
    model = _net()
    for twin in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert type(twin[0]._parameters) is structure_version.VersionedDict
        assert list(twin.state_dict()) == list(model.state_dict())
