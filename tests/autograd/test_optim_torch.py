"""The optimizers and schedules added for PyTorch parity, 25+ steps against torch's
trajectories from the same weights and data; custom optimizers written the torch
way; schedules resumed from saved state."""

from __future__ import annotations

import copy
import warnings

import numpy as np
import pytest

import headwater as hw
from headwater import nn, optim

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

STEPS = 25


def _data(seed=0):
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal((6, 4)) * 0.5, rng.standard_normal(6) * 0.1,
               rng.standard_normal((3, 6)) * 0.5, rng.standard_normal(3) * 0.1]
    return weights, rng.standard_normal((12, 4)), rng.integers(0, 3, 12)


def _models(weights):
    model = nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 3)).to(hw.float64)
    tmodel = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 3)).double()
    with hw.no_grad(), torch.no_grad():
        for p, tp, w in zip(model.parameters(), tmodel.parameters(), weights):
            p.copy_(hw.as_tensor(w))
            tp.copy_(torch.tensor(w))
    return model, tmodel


def _groups(model, kw_second):
    params = list(model.parameters())
    return [{"params": params[:2]}, {"params": params[2:], **kw_second}]


OPTIMIZERS = {
    "adagrad": ("Adagrad", dict(lr=0.1)),
    "adagrad_decay_wd_init": ("Adagrad", dict(lr=0.2, lr_decay=0.05, weight_decay=0.01,
                                              initial_accumulator_value=0.1, eps=1e-8)),
    "adagrad_maximize": ("Adagrad", dict(lr=0.05, maximize=True)),
    "adamax": ("Adamax", dict(lr=0.02)),
    "adamax_wd_betas": ("Adamax", dict(lr=0.05, betas=(0.8, 0.99), weight_decay=0.05, eps=1e-6)),
    "adamax_maximize": ("Adamax", dict(lr=0.01, maximize=True)),
    "nadam": ("NAdam", dict(lr=0.02)),
    "nadam_wd": ("NAdam", dict(lr=0.02, weight_decay=0.1, momentum_decay=0.01)),
    "nadamw": ("NAdam", dict(lr=0.02, weight_decay=0.1, decoupled_weight_decay=True, betas=(0.85, 0.95))),
    "nadam_maximize": ("NAdam", dict(lr=0.01, maximize=True)),
    "radam": ("RAdam", dict(lr=0.02)),
    "radam_early_rect": ("RAdam", dict(lr=0.02, betas=(0.9, 0.9))),
    "radam_wd": ("RAdam", dict(lr=0.02, weight_decay=0.1, betas=(0.9, 0.8))),
    "radamw": ("RAdam", dict(lr=0.02, weight_decay=0.1, decoupled_weight_decay=True, betas=(0.9, 0.8))),
    "radam_maximize": ("RAdam", dict(lr=0.01, maximize=True)),
    "adadelta": ("Adadelta", dict()),
    "adadelta_wd_rho": ("Adadelta", dict(lr=0.5, rho=0.8, eps=1e-5, weight_decay=0.1)),
    "adadelta_maximize": ("Adadelta", dict(lr=0.5, maximize=True)),
}
GROUPED = {  # a second parameter group with its own hyperparameters
    "adagrad": dict(lr=0.3), "adamax": dict(lr=0.1, betas=(0.5, 0.9)), "nadam": dict(lr=0.05),
    "radam": dict(weight_decay=0.2), "adadelta": dict(rho=0.5),
}


def _train(model, opt, x, y, F, steps=STEPS):
    out = []
    for _ in range(steps):
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
        out.append([p.detach().numpy().copy() for p in model.parameters()])
    return out


def _compare(ours, theirs, rtol, label):
    atol = 1e-12 if rtol < 1e-8 else 1e-9
    for step, (a, b) in enumerate(zip(ours, theirs)):
        for pa, pb in zip(a, b):
            np.testing.assert_allclose(pa, pb, rtol=rtol, atol=atol, err_msg=f"{label} step {step}")


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_trajectory_matches_torch(name):
    cls, kw = OPTIMIZERS[name]
    weights, x, y = _data()
    model, tmodel = _models(weights)
    ours = _train(model, getattr(optim, cls)(model.parameters(), **kw), hw.as_tensor(x), hw.as_tensor(y),
                  nn.functional)
    theirs = _train(tmodel, getattr(torch.optim, cls)(tmodel.parameters(), **kw), torch.tensor(x),
                    torch.tensor(y), torch.nn.functional)
    # NAdam keeps its momentum product as a float32 scalar in torch
    _compare(ours, theirs, 1e-6 if cls == "NAdam" else 1e-9, name)


@pytest.mark.parametrize("name", sorted(GROUPED))
def test_parameter_groups_match_torch(name):
    cls = OPTIMIZERS[name][0]
    weights, x, y = _data(1)
    model, tmodel = _models(weights)
    second = GROUPED[name]
    ours = _train(model, getattr(optim, cls)(_groups(model, second)), hw.as_tensor(x), hw.as_tensor(y),
                  nn.functional)
    theirs = _train(tmodel, getattr(torch.optim, cls)(_groups(tmodel, second)), torch.tensor(x),
                    torch.tensor(y), torch.nn.functional)
    _compare(ours, theirs, 1e-6 if cls == "NAdam" else 1e-9, name)


@pytest.mark.parametrize("name", sorted(GROUPED))
def test_state_dict_round_trip_resumes_exactly(name):
    cls, kw = OPTIMIZERS[name]
    weights, x, y = _data(2)
    hx, hy = hw.as_tensor(x), hw.as_tensor(y)
    straight, _ = _models(weights)
    expected = _train(straight, getattr(optim, cls)(straight.parameters(), **kw), hx, hy, nn.functional, 8)
    first, _ = _models(weights)
    opt = getattr(optim, cls)(first.parameters(), **kw)
    _train(first, opt, hx, hy, nn.functional, 4)
    saved_model, saved_opt = copy.deepcopy(first.state_dict()), opt.state_dict()
    resumed, _ = _models(weights)
    resumed.load_state_dict(saved_model)
    opt2 = getattr(optim, cls)(resumed.parameters(), **kw)
    opt2.load_state_dict(saved_opt)
    got = _train(resumed, opt2, hx, hy, nn.functional, 4)
    for a, b in zip(got[-1], expected[-1]):
        np.testing.assert_array_equal(a, b)


def _rosenbrock(w):
    return (1 - w[0]) ** 2 + 100 * (w[1] - w[0] ** 2) ** 2


def _quartic(w):
    return ((w[0] + 2 * w[1] - 1) ** 2 + (w[0] - w[1]) ** 2 * 3 + w[0] ** 4 * 0.5 + w[1] ** 4) * 0.25


@pytest.mark.parametrize("kw,objective", [
    (dict(), _quartic), (dict(line_search_fn="strong_wolfe"), _rosenbrock),
    (dict(lr=0.5, history_size=3, max_iter=7), _quartic),
    (dict(line_search_fn="strong_wolfe", history_size=2, max_iter=5, max_eval=9), _rosenbrock),
], ids=["plain", "strong_wolfe", "short_history", "wolfe_capped"])
def test_lbfgs_matches_torch(kw, objective):
    start = np.array([-1.5, 2.0])
    w = nn.Parameter(hw.as_tensor(start.copy()))
    tw = torch.nn.Parameter(torch.tensor(start.copy()))
    opt, topt = optim.LBFGS([w], **kw), torch.optim.LBFGS([tw], **kw)

    def closure():
        opt.zero_grad()
        loss = objective(w)
        loss.backward()
        return loss

    def tclosure():
        topt.zero_grad()
        loss = objective(tw)
        loss.backward()
        return loss

    for step in range(4):
        loss, tloss = opt.step(closure), topt.step(tclosure)
        # torch's vectorised add(alpha=) may fuse multiply-adds: Rosenbrock's narrow valley
        # grows those last-bit differences over the 80 iterations
        assert loss.item() == pytest.approx(tloss.item(), rel=1e-6, abs=1e-10)
        np.testing.assert_allclose(w.detach().numpy(), tw.detach().numpy(), rtol=1e-5, atol=1e-8,
                                   err_msg=f"step {step}")
        state, tstate = opt.state[w], topt.state[tw]
        assert (state["func_evals"], state["n_iter"]) == (tstate["func_evals"], tstate["n_iter"])


def test_lbfgs_on_a_network_matches_torch():
    weights, x, y = _data(3)
    model, tmodel = _models(weights)
    hx, hy, tx, ty = hw.as_tensor(x), hw.as_tensor(y), torch.tensor(x), torch.tensor(y)
    opt = optim.LBFGS(model.parameters(), line_search_fn="strong_wolfe", history_size=5, max_iter=5)
    topt = torch.optim.LBFGS(tmodel.parameters(), line_search_fn="strong_wolfe", history_size=5, max_iter=5)

    def closure():
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(hx), hy)
        loss.backward()
        return loss

    def tclosure():
        topt.zero_grad()
        loss = torch.nn.functional.cross_entropy(tmodel(tx), ty)
        loss.backward()
        return loss

    for _ in range(3):
        opt.step(closure)
        topt.step(tclosure)
    for p, tp in zip(model.parameters(), tmodel.parameters()):
        np.testing.assert_allclose(p.detach().numpy(), tp.detach().numpy(), rtol=1e-6, atol=1e-9)


def test_lbfgs_errors():
    w = nn.Parameter(hw.zeros(2))
    with pytest.raises(ValueError, match="strong_wolfe"):
        optim.LBFGS([w], line_search_fn="backtracking")
    with pytest.raises(TypeError, match="closure"):
        optim.LBFGS([w]).step()
    with pytest.raises(ValueError, match="parameter group"):
        optim.LBFGS([{"params": [w]}, {"params": [nn.Parameter(hw.zeros(1))]}])


def _custom_optimizer_class(base):
    """The same source, written against either library's Optimizer."""

    class MomentumSGD(base):
        def __init__(self, params, lr, beta=0.9):
            super().__init__(params, dict(lr=lr, beta=beta))

        def step(self, closure=None):
            loss = None
            if closure is not None:
                loss = closure()
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if len(state) == 0:
                        state["step"] = 0
                        state["buf"] = p.grad.detach().clone()
                    else:
                        state["buf"].mul_(group["beta"]).add_(p.grad, alpha=1 - group["beta"])
                    state["step"] += 1
                    p.data.add_(state["buf"], alpha=-group["lr"])
            return loss

    return MomentumSGD


def test_custom_optimizer_subclass_matches_torch():
    weights, x, y = _data(4)
    model, tmodel = _models(weights)
    ours = _custom_optimizer_class(optim.Optimizer)(model.parameters(), lr=0.1)
    theirs = _custom_optimizer_class(torch.optim.Optimizer)(tmodel.parameters(), lr=0.1)
    a = _train(model, ours, hw.as_tensor(x), hw.as_tensor(y), nn.functional)
    b = _train(tmodel, theirs, torch.tensor(x), torch.tensor(y), torch.nn.functional)
    _compare(a, b, 1e-10, "custom")
    first = next(iter(model.parameters()))
    assert ours.state[first]["step"] == STEPS
    saved = ours.state_dict()
    assert isinstance(saved["state"][0]["buf"], hw.Tensor)
    again = _custom_optimizer_class(optim.Optimizer)(model.parameters(), lr=0.1)
    again.load_state_dict(saved)
    buf = again.state[first]["buf"]
    assert isinstance(buf, hw.Tensor)
    np.testing.assert_array_equal(buf.numpy(), ours.state[first]["buf"].numpy())
    assert buf.array is not ours.state[first]["buf"].array


# -- schedules --------------------------------------------------------------------------------
def _lambda(epoch):
    return 0.95**epoch


def _mult(epoch):
    return 0.9 if epoch % 2 else 1.0


SCHEDULES = {
    "multistep": ("MultiStepLR", dict(milestones=[3, 8, 8, 15], gamma=0.5), "SGD", dict(lr=0.1)),
    "exponential": ("ExponentialLR", dict(gamma=0.9), "SGD", dict(lr=0.1)),
    "lambda": ("LambdaLR", dict(lr_lambda=_lambda), "SGD", dict(lr=0.1)),
    "multiplicative": ("MultiplicativeLR", dict(lr_lambda=_mult), "SGD", dict(lr=0.1)),
    "linear": ("LinearLR", dict(start_factor=0.2, end_factor=0.9, total_iters=10), "SGD", dict(lr=0.1)),
    "constant": ("ConstantLR", dict(factor=0.25, total_iters=6), "SGD", dict(lr=0.1)),
    "polynomial": ("PolynomialLR", dict(total_iters=20, power=2.0), "SGD", dict(lr=0.1)),
    "step": ("StepLR", dict(step_size=4, gamma=0.7), "SGD", dict(lr=0.1)),
    "cosine_past_tmax": ("CosineAnnealingLR", dict(T_max=6, eta_min=0.001), "SGD", dict(lr=0.1)),
    "warm_restarts": ("CosineAnnealingWarmRestarts", dict(T_0=4, T_mult=2, eta_min=0.01), "SGD", dict(lr=0.1)),
    "warm_restarts_flat": ("CosineAnnealingWarmRestarts", dict(T_0=5), "SGD", dict(lr=0.1)),
    "cyclic_triangular": ("CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=4), "SGD",
                          dict(lr=0.1, momentum=0.9)),
    "cyclic_triangular2": ("CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=3, step_size_down=5,
                                            mode="triangular2"), "SGD", dict(lr=0.1, momentum=0.9)),
    "cyclic_exp_range_adam": ("CyclicLR", dict(base_lr=0.001, max_lr=0.01, step_size_up=5, mode="exp_range",
                                               gamma=0.95), "Adam", dict(lr=0.1)),
    "cyclic_no_momentum": ("CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=2, cycle_momentum=False),
                           "Adagrad", dict(lr=0.1)),
    "onecycle": ("OneCycleLR", dict(max_lr=0.5, total_steps=30), "NAdam", dict(lr=0.1)),
    "plateau_missing": ("ReduceLROnPlateau", None, "SGD", dict(lr=0.1)),
}


def _build(sched_cls, skw, opt, lib):
    return getattr(lib.optim.lr_scheduler, sched_cls)(opt, **skw)


@pytest.mark.parametrize("name", sorted(k for k, v in SCHEDULES.items() if v[1] is not None))
def test_schedule_trajectory_matches_torch(name):
    sched_cls, skw, opt_cls, okw = SCHEDULES[name]
    opt = getattr(optim, opt_cls)([nn.Parameter(hw.zeros(1)), ], **okw)
    topt = getattr(torch.optim, opt_cls)([torch.nn.Parameter(torch.zeros(1))], **okw)
    sched, tsched = _build(sched_cls, skw, opt, hw), _build(sched_cls, skw, topt, torch)
    for step in range(30 if sched_cls == "OneCycleLR" else 40):
        assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-12), step
        g, tg = opt.param_groups[0], topt.param_groups[0]
        for key in ("momentum", "betas"):
            if key in tg and key in g:
                assert np.allclose(g[key], tg[key], rtol=1e-12), (step, key)
        opt.step()
        topt.step()
        sched.step()
        tsched.step()


def _two_groups(lib):
    mk = (lambda: nn.Parameter(hw.zeros(1))) if lib is hw else (lambda: torch.nn.Parameter(torch.zeros(1)))
    return lib.optim.SGD([{"params": [mk()]}, {"params": [mk()], "lr": 0.5}], lr=0.1, momentum=0.9)


COMPOSITES = {
    "sequential_warmup_cosine": lambda S, opt: S.SequentialLR(
        opt, [S.LinearLR(opt, start_factor=0.1, total_iters=5), S.CosineAnnealingLR(opt, T_max=10)],
        milestones=[5]),
    "sequential_three": lambda S, opt: S.SequentialLR(
        opt, [S.ConstantLR(opt, factor=0.5, total_iters=3), S.ExponentialLR(opt, gamma=0.9),
              S.StepLR(opt, step_size=3, gamma=0.5)], milestones=[4, 12]),
    "chained": lambda S, opt: S.ChainedScheduler(
        [S.ConstantLR(opt, factor=0.1, total_iters=4), S.ExponentialLR(opt, gamma=0.9),
         S.MultiStepLR(opt, milestones=[10, 20], gamma=0.3)]),
    "lambda_per_group": lambda S, opt: S.LambdaLR(opt, [_lambda, lambda e: 1.0 / (1 + e)]),
}


@pytest.mark.parametrize("name", sorted(COMPOSITES))
def test_composite_schedules_match_torch(name):
    opt, topt = _two_groups(hw), _two_groups(torch)
    sched = COMPOSITES[name](optim.lr_scheduler, opt)
    tsched = COMPOSITES[name](torch.optim.lr_scheduler, topt)
    for step in range(30):
        assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-12), step
        assert [g["lr"] for g in opt.param_groups] == pytest.approx([g["lr"] for g in topt.param_groups])
        opt.step()
        topt.step()
        sched.step()
        tsched.step()


RESUMABLE = {
    "step": lambda S, opt: S.StepLR(opt, step_size=3, gamma=0.5),
    "cosine": lambda S, opt: S.CosineAnnealingLR(opt, T_max=8, eta_min=0.01),
    "multistep": lambda S, opt: S.MultiStepLR(opt, milestones=[2, 6], gamma=0.3),
    "exponential": lambda S, opt: S.ExponentialLR(opt, gamma=0.8),
    "linear": lambda S, opt: S.LinearLR(opt, start_factor=0.25, total_iters=9),
    "constant": lambda S, opt: S.ConstantLR(opt, factor=0.5, total_iters=7),
    "polynomial": lambda S, opt: S.PolynomialLR(opt, total_iters=12),
    "multiplicative": lambda S, opt: S.MultiplicativeLR(opt, _mult),
    "cyclic": lambda S, opt: S.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=3),
    "warm_restarts": lambda S, opt: S.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2),
    "sequential": COMPOSITES["sequential_warmup_cosine"],
    "chained": COMPOSITES["chained"],
}


@pytest.mark.parametrize("name", sorted(RESUMABLE))
def test_schedule_resumes_from_saved_state(name):
    """Optimizer and schedule restored from their state dicts, a fresh schedule
    built on the restored optimizer continues exactly where the first one was."""
    S = optim.lr_scheduler
    opt = _two_groups(hw)
    sched = RESUMABLE[name](S, opt)
    for _ in range(5):
        opt.step()
        sched.step()
    saved_opt, saved = copy.deepcopy(opt.state_dict()), copy.deepcopy(sched.state_dict())
    expected = []
    for _ in range(10):
        opt.step()
        sched.step()
        expected.append(sched.get_last_lr())
    opt2 = _two_groups(hw)
    opt2.load_state_dict(saved_opt)
    sched2 = RESUMABLE[name](S, opt2)
    sched2.load_state_dict(saved)
    assert [g["lr"] for g in opt2.param_groups] == pytest.approx(saved["_last_lr"], rel=1e-12)
    got = []
    for _ in range(10):
        opt2.step()
        sched2.step()
        got.append(sched2.get_last_lr())
    assert got == [pytest.approx(e, rel=1e-12) for e in expected]


def test_step_and_cosine_resume_like_torch():
    """The case that used to reset: StepLR/CosineAnnealingLR built after
    optimizer.load_state_dict keep the saved lr from construction on, as torch."""
    for make in (RESUMABLE["step"], RESUMABLE["cosine"]):
        lrs = []
        for lib, mk in ((hw, _two_groups(hw)), (torch, _two_groups(torch))):
            S = lib.optim.lr_scheduler
            sched = make(S, mk)
            for _ in range(4):
                mk.step()
                sched.step()
            state = mk.state_dict()
            opt2 = _two_groups(lib)
            opt2.load_state_dict(copy.deepcopy(state))
            make(S, opt2)
            lrs.append([g["lr"] for g in opt2.param_groups])
        assert lrs[0] == pytest.approx(lrs[1], rel=1e-12)
        assert lrs[0] != pytest.approx([0.1, 0.5])


def test_lambda_schedule_saves_callable_objects_only():
    class Warm:
        def __init__(self):
            self.factor = 0.5

        def __call__(self, epoch):
            return self.factor

    S = optim.lr_scheduler
    opt = _two_groups(hw)
    warm = Warm()
    sched = S.LambdaLR(opt, [warm, _lambda])
    warm.factor = 0.25
    state = sched.state_dict()
    assert state["lr_lambdas"] == [{"factor": 0.25}, None]
    other_warm = Warm()
    S.LambdaLR(_two_groups(hw), [other_warm, _lambda]).load_state_dict(state)
    assert other_warm.factor == 0.25


def test_closed_form_step_with_epoch_matches_torch():
    for make in (RESUMABLE["step"], RESUMABLE["multistep"], RESUMABLE["linear"], RESUMABLE["polynomial"],
                 RESUMABLE["exponential"], RESUMABLE["constant"], RESUMABLE["warm_restarts"]):
        opt, topt = _two_groups(hw), _two_groups(torch)
        sched, tsched = make(optim.lr_scheduler, opt), make(torch.optim.lr_scheduler, topt)
        for epoch in (3, 7, 2, 11):
            sched.step(epoch)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # torch deprecates step(epoch)
                tsched.step(epoch)
            assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-12)


def test_schedule_errors():
    S = optim.lr_scheduler
    opt = _two_groups(hw)
    with pytest.raises(TypeError, match="needs an Optimizer"):
        S.StepLR("not an optimizer", step_size=1)
    with pytest.raises(KeyError, match="initial_lr"):
        S.ExponentialLR(_two_groups(hw), gamma=0.9, last_epoch=3)
    with pytest.raises(ValueError, match="one milestone fewer"):
        S.SequentialLR(opt, [S.ExponentialLR(opt, 0.9)], milestones=[2])
    with pytest.raises(ValueError, match="ReduceLROnPlateau"):
        S.ChainedScheduler([S.ReduceLROnPlateau(opt)])
    with pytest.raises(ValueError, match="one per parameter group"):
        S.LambdaLR(opt, [_lambda])
    with pytest.raises(ValueError, match="cycle_momentum"):
        S.CyclicLR(optim.Adagrad([nn.Parameter(hw.zeros(1))]), base_lr=0.1, max_lr=1.0)
    with pytest.raises(ValueError, match="start_factor"):
        S.LinearLR(opt, start_factor=0.0)
    with pytest.raises(ValueError, match="T_0"):
        S.CosineAnnealingWarmRestarts(opt, T_0=0)
