"""L-BFGS: a quasi-Newton method over all parameters as one flat vector, with an
optional strong-Wolfe line search (cubic interpolation, Nocedal & Wright, ch. 3).

Each iteration reads a few scalars (losses, directional derivatives) on the host,
as every line search must; the vectors stay on the device.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from headwater.autograd import grad_mode
from headwater.autograd.function import xp_of
from headwater.autograd.optim.optimizer import Optimizer
from headwater.tensor.tensor import Tensor
from headwater.tensor.transfer import to_host

__all__ = ["LBFGS"]


def _host(x: Any) -> float:
    """One scalar read on the host (counted)."""
    return float(to_host(x).reshape(()))


def _loss_value(loss: Any) -> float:
    """The closure's loss (a one-element Tensor or a number) as a float."""
    return _host(loss.array) if isinstance(loss, Tensor) else float(loss)


def _cubic_minimum(x1: float, f1: float, g1: float, x2: float, f2: float, g2: float,
                   bounds: tuple[float, float] | None = None) -> float:
    """The minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to
    ``bounds`` (default: the interval between the points); the midpoint when the
    cubic has no real minimiser."""
    lo, hi = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    disc = d1 * d1 - g1 * g2
    if disc < 0:
        return (lo + hi) / 2.0
    d2 = disc**0.5
    if x1 <= x2:
        pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(pos, lo), hi)


def _strong_wolfe(evaluate: Callable[[float], tuple[float, Any]], t: float, d: Any, f: float,
                  g: Any, gtd: float, max_ls: int, c1: float = 1e-4, c2: float = 0.9,
                  tolerance_change: float = 1e-9) -> tuple[float, Any, float, int]:
    """A step ``t`` along ``d`` meeting the strong Wolfe conditions: bracket, then zoom.

    ``evaluate(t)`` returns the loss and flat gradient at ``x + t * d``. Returns
    ``(loss, flat_grad, t, evaluations)``.
    """
    xp = xp_of(d)
    d_norm = _host(xp.max(xp.abs(d)))
    f_new, g_new = evaluate(t)
    evals, ls_iter = 1, 0
    gtd_new = _host(xp.dot(g_new, d))
    prev = (0.0, f, g.copy(), gtd)
    bracket = None  # lists of [t, f, g, gtd] per end of the interval
    done = False
    # phase 1: grow the step until an interval is known to hold an acceptable point
    while ls_iter < max_ls:
        sufficient = not (f_new > f + c1 * t * gtd or (ls_iter > 1 and f_new >= prev[1]))
        if sufficient and abs(gtd_new) <= -c2 * gtd:
            bracket = [[t, f_new, g_new, gtd_new]]
            done = True
            break
        if not sufficient or gtd_new >= 0:
            bracket = [list(prev), [t, f_new, g_new.copy(), gtd_new]]
            break
        t_next = _cubic_minimum(prev[0], prev[1], prev[3], t, f_new, gtd_new,
                                bounds=(t + 0.01 * (t - prev[0]), t * 10))
        prev = (t, f_new, g_new.copy(), gtd_new)
        t = t_next
        f_new, g_new = evaluate(t)
        evals += 1
        gtd_new = _host(xp.dot(g_new, d))
        ls_iter += 1
    if ls_iter == max_ls:
        bracket = [[0.0, f, g, gtd], [t, f_new, g_new, gtd_new]]
    low, high = (0, 1) if bracket[0][1] <= bracket[-1][1] else (1, 0)
    # phase 2: shrink the interval by safeguarded cubic steps
    insufficient = False
    while not done and ls_iter < max_ls:
        a, b = bracket[0][0], bracket[1][0]
        if abs(b - a) * d_norm < tolerance_change:
            break
        t = _cubic_minimum(a, bracket[0][1], bracket[0][3], b, bracket[1][1], bracket[1][3])
        top, bottom = max(a, b), min(a, b)
        margin = 0.1 * (top - bottom)
        if min(top - t, t - bottom) < margin:
            if insufficient or t >= top or t <= bottom:
                t = top - margin if abs(t - top) < abs(t - bottom) else bottom + margin
                insufficient = False
            else:
                insufficient = True
        else:
            insufficient = False
        f_new, g_new = evaluate(t)
        evals += 1
        gtd_new = _host(xp.dot(g_new, d))
        ls_iter += 1
        point = [t, f_new, g_new.copy(), gtd_new]
        if f_new > f + c1 * t * gtd or f_new >= bracket[low][1]:
            bracket[high] = point
            low, high = (0, 1) if bracket[0][1] <= bracket[1][1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high][0] - bracket[low][0]) >= 0:
                bracket[high] = bracket[low]
            bracket[low] = point
    t, f_new, g_new, _ = bracket[low]
    return f_new, g_new, t, evals


class LBFGS(Optimizer):
    """Limited-memory BFGS with PyTorch's algorithm and arguments.

    ``step(closure)`` needs a closure that zeroes the gradients, computes the loss,
    calls ``backward()`` and returns the loss; it runs up to ``max_iter`` iterations
    (and ``max_eval`` closure calls). ``line_search_fn`` is None (fixed step ``lr``)
    or ``"strong_wolfe"``. One parameter group only.

    Examples
    --------
    >>> import headwater as hw
    >>> w = hw.nn.Parameter(hw.as_tensor([3.0, -2.0], dtype="float64"))
    >>> opt = hw.optim.LBFGS([w], line_search_fn="strong_wolfe")
    >>> def closure():
    ...     opt.zero_grad()
    ...     loss = ((w - 1.0) ** 2).sum()
    ...     loss.backward()
    ...     return loss
    >>> _ = opt.step(closure); [round(v, 6) for v in w.tolist()]
    [1.0, 1.0]
    """

    def __init__(self, params: Iterable[Any], lr: float = 1.0, max_iter: int = 20,
                 max_eval: int | None = None, tolerance_grad: float = 1e-7,
                 tolerance_change: float = 1e-9, history_size: int = 100,
                 line_search_fn: str | None = None) -> None:
        if lr < 0:
            raise ValueError(f"LBFGS: invalid learning rate {lr}")
        if line_search_fn not in (None, "strong_wolfe"):
            raise ValueError(
                f"LBFGS: line_search_fn must be None or 'strong_wolfe', got {line_search_fn!r}"
            )
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        super().__init__(params, dict(lr=lr, max_iter=max_iter, max_eval=max_eval,
                                      tolerance_grad=tolerance_grad, tolerance_change=tolerance_change,
                                      history_size=history_size, line_search_fn=line_search_fn))
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups); pass one list")
        self._params = self.param_groups[0]["params"]

    def add_param_group(self, group: dict[str, Any]) -> None:
        if self.param_groups:
            raise ValueError("LBFGS doesn't support more than one parameter group")
        super().add_param_group(group)

    # -- the parameters as one flat vector ---------------------------------------------
    def _flat_grad(self) -> Any:
        xp = xp_of(self._params[0].array)
        parts = [
            xp.zeros(p.array.size, dtype=p.array.dtype) if p.grad is None else p.grad.array.reshape(-1)
            for p in self._params
        ]
        return xp.concatenate(parts)

    def _add_step(self, t: float, d: Any) -> None:
        offset = 0
        for p in self._params:
            n = p.array.size
            p.array += t * d[offset:offset + n].reshape(p.array.shape)
            p._vc[0] += 1
            offset += n

    def _evaluate(self, closure: Callable[[], Any]) -> float:
        with grad_mode.enable_grad():
            return _loss_value(closure())

    def step(self, closure: Callable[[], Any] | None = None) -> Any:  # type: ignore[override]
        """Run up to ``max_iter`` L-BFGS iterations; returns the closure's first loss."""
        if closure is None:
            raise TypeError("LBFGS.step needs a closure that re-evaluates the model and returns the loss")
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tol_grad, tol_change = group["tolerance_grad"], group["tolerance_change"]
        history = group["history_size"]
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        with grad_mode.enable_grad():
            orig_loss = closure()
        loss = _loss_value(orig_loss)
        evals = 1
        state["func_evals"] += 1
        flat_grad = self._flat_grad()
        xp = xp_of(flat_grad)
        if _host(xp.max(xp.abs(flat_grad))) <= tol_grad:
            return orig_loss
        d, t = state.get("d"), state.get("t")
        old_dirs, old_stps, ro = state.get("old_dirs"), state.get("old_stps"), state.get("ro")
        h_diag, prev_flat_grad = state.get("H_diag"), state.get("prev_flat_grad")
        prev_loss = state.get("prev_loss")
        with grad_mode.no_grad():
            n_iter = 0
            while n_iter < max_iter:
                n_iter += 1
                state["n_iter"] += 1
                if state["n_iter"] == 1:
                    d = -flat_grad
                    old_dirs, old_stps, ro, h_diag = [], [], [], 1.0
                else:
                    y = flat_grad - prev_flat_grad
                    s = d * t
                    ys = _host(xp.dot(y, s))
                    if ys > 1e-10:  # keep the curvature pair only when it is positive
                        if len(old_dirs) == history:
                            old_dirs.pop(0), old_stps.pop(0), ro.pop(0)
                        old_dirs.append(y)
                        old_stps.append(s)
                        ro.append(1.0 / ys)
                        h_diag = ys / _host(xp.dot(y, y))
                    # two-loop recursion: d = -H g
                    alphas = [0.0] * len(old_dirs)
                    q = -flat_grad
                    for i in range(len(old_dirs) - 1, -1, -1):
                        alphas[i] = _host(xp.dot(old_stps[i], q)) * ro[i]
                        q -= alphas[i] * old_dirs[i]
                    d = q * h_diag
                    for i in range(len(old_dirs)):
                        beta = _host(xp.dot(old_dirs[i], d)) * ro[i]
                        d += (alphas[i] - beta) * old_stps[i]
                prev_flat_grad = flat_grad.copy()
                prev_loss = loss
                if state["n_iter"] == 1:
                    t = min(1.0, 1.0 / _host(xp.sum(xp.abs(flat_grad)))) * lr
                else:
                    t = lr
                gtd = _host(xp.dot(flat_grad, d))
                if gtd > -tol_change:  # not a descent direction
                    break
                ls_evals = 0
                if group["line_search_fn"] == "strong_wolfe":
                    start = [p.array.copy() for p in self._params]

                    def evaluate(step: float, d: Any = d, start: list = start) -> tuple[float, Any]:
                        self._add_step(step, d)
                        value = self._evaluate(closure)
                        g = self._flat_grad()
                        for p, x0 in zip(self._params, start):
                            p.array[...] = x0
                            p._vc[0] += 1
                        return value, g

                    loss, flat_grad, t, ls_evals = _strong_wolfe(
                        evaluate, t, d, loss, flat_grad, gtd, max_ls=max_eval - evals
                    )
                    self._add_step(t, d)
                    converged = _host(xp.max(xp.abs(flat_grad))) <= tol_grad
                else:
                    self._add_step(t, d)
                    converged = False
                    if n_iter != max_iter:
                        loss = self._evaluate(closure)
                        flat_grad = self._flat_grad()
                        converged = _host(xp.max(xp.abs(flat_grad))) <= tol_grad
                        ls_evals = 1
                evals += ls_evals
                state["func_evals"] += ls_evals
                if n_iter == max_iter or evals >= max_eval or converged:
                    break
                if _host(xp.max(xp.abs(d * t))) <= tol_change or abs(loss - prev_loss) < tol_change:
                    break
        state.update(d=d, t=t, old_dirs=old_dirs, old_stps=old_stps, ro=ro, H_diag=h_diag,
                     prev_flat_grad=prev_flat_grad, prev_loss=prev_loss)
        return orig_loss
