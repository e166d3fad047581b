"""``hw.distributions``: probability distributions, as ``torch.distributions``.

``Normal``, ``Bernoulli``, ``Categorical`` and ``Uniform`` with ``sample``,
``rsample`` (Normal, Uniform), ``log_prob``, ``entropy``, ``mean``, ``variance``,
and ``kl_divergence`` between two of one family; everything but ``sample`` is
differentiable in the parameters.

Examples
--------
>>> import headwater as hw
>>> loc = hw.zeros(3, requires_grad=True)
>>> d = hw.distributions.Normal(loc, 1.0)
>>> d.rsample().sum().backward()
>>> loc.grad.tolist()
[1.0, 1.0, 1.0]
"""

from headwater.autograd.distributions.bernoulli import Bernoulli
from headwater.autograd.distributions.categorical import Categorical
from headwater.autograd.distributions.distribution import Distribution
from headwater.autograd.distributions.kl import kl_divergence, register_kl
from headwater.autograd.distributions.normal import Normal
from headwater.autograd.distributions.uniform import Uniform

__all__ = ["Bernoulli", "Categorical", "Distribution", "Normal", "Uniform", "kl_divergence", "register_kl"]
