"""``kl_divergence(p, q)`` and ``register_kl``: closed forms by pair of families."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from headwater.autograd import ops
from headwater.autograd.distributions.bernoulli import Bernoulli
from headwater.autograd.distributions.categorical import Categorical
from headwater.autograd.distributions.distribution import Distribution
from headwater.autograd.distributions.normal import Normal
from headwater.autograd.distributions.uniform import Uniform
from headwater.autograd.nn import functional as F
from headwater.tensor.tensor import Tensor

__all__ = ["kl_divergence", "register_kl"]

_KL: dict[tuple[type, type], Callable[[Any, Any], Tensor]] = {}


def register_kl(type_p: type, type_q: type) -> Callable:
    """Register ``fn(p, q)`` as the KL divergence of ``type_p`` from ``type_q``.

    Examples
    --------
    >>> import headwater as hw
    >>> @hw.distributions.register_kl(hw.distributions.Uniform, hw.distributions.Normal)
    ... def _kl_uniform_normal(p, q):
    ...     raise NotImplementedError
    """
    def decorate(fn: Callable) -> Callable:
        _KL[(type_p, type_q)] = fn
        return fn

    return decorate


def kl_divergence(p: Distribution, q: Distribution) -> Tensor:
    """``KL(p || q)``, one value per batch element, differentiable in both.

    Raises
    ------
    NotImplementedError
        No closed form is registered for this pair (see :func:`register_kl`).

    Examples
    --------
    >>> import headwater as hw
    >>> D = hw.distributions
    >>> round(D.kl_divergence(D.Normal(0.0, 1.0), D.Normal(1.0, 2.0)).item(), 4)
    0.4431
    """
    for (tp, tq), fn in _KL.items():
        if isinstance(p, tp) and isinstance(q, tq):
            return fn(p, q)
    raise NotImplementedError(
        f"no KL divergence is registered for {type(p).__name__} and {type(q).__name__}; "
        f"register one with @hw.distributions.register_kl({type(p).__name__}, {type(q).__name__})"
    )


@register_kl(Normal, Normal)
def _kl_normal_normal(p: Normal, q: Normal) -> Tensor:
    ratio = (p.scale / q.scale) ** 2
    gap = ((p.loc - q.loc) / q.scale) ** 2
    return 0.5 * (ratio + gap - 1 - ops.log(ratio))


@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(p: Bernoulli, q: Bernoulli) -> Tensor:
    # p log(p/q) + (1-p) log((1-p)/(1-q)), written with logits so 0 and 1 stay finite
    cross = F.binary_cross_entropy_with_logits(q.logits, p.probs, reduction="none")
    own = F.binary_cross_entropy_with_logits(p.logits, p.probs, reduction="none")
    return cross - own


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(p: Categorical, q: Categorical) -> Tensor:
    terms = p.probs * (p.logits - q.logits)
    terms = ops.where(p.probs.detach() == 0, 0.0, terms)  # 0 log 0 = 0
    terms = ops.where((q.probs.detach() == 0) & (p.probs.detach() > 0), float("inf"), terms)
    return terms.sum(-1)


@register_kl(Uniform, Uniform)
def _kl_uniform_uniform(p: Uniform, q: Uniform) -> Tensor:
    out = ops.log((q.high - q.low) / (p.high - p.low))
    outside = (q.low.detach() > p.low.detach()) | (q.high.detach() < p.high.detach())
    return ops.where(outside, float("inf"), out)
