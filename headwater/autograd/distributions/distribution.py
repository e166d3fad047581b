"""The base of ``hw.distributions``: shapes, sampling and argument checks.

A distribution holds its parameters as Tensors broadcast to one ``batch_shape``;
``sample(sample_shape)`` and ``rsample`` return ``sample_shape + batch_shape +
event_shape``. Densities, entropies and reparameterised samples are built from
differentiable ops, so gradients reach the parameters.
"""

from __future__ import annotations

from typing import Any

from headwater.autograd import grad_mode, ops
from headwater.tensor.creation import as_tensor
from headwater.tensor.dtypes import get_default_dtype, is_floating
from headwater.tensor.promotion import operand_dtypes
from headwater.tensor.size import Size
from headwater.tensor.tensor import Tensor

__all__ = ["Distribution", "broadcast_params", "broadcast_shape"]

_validate_default = True


def broadcast_params(*values: Any) -> list[Tensor]:
    """The parameters as float Tensors of one dtype and one broadcast shape.

    Python numbers take the dtype of the tensors among them (the default float
    dtype when there are none), as torch's distributions do.
    """
    tensors = [v for v in values if isinstance(v, Tensor)]
    dtype = operand_dtypes(*values) if tensors else get_default_dtype()
    if not is_floating(dtype):
        dtype = get_default_dtype()
    device = tensors[0].device if tensors else None
    out = [ops.to(v, dtype) if isinstance(v, Tensor) else as_tensor(float(v), dtype=dtype, device=device)
           for v in values]
    shape = out[0].shape
    for t in out[1:]:
        shape = broadcast_shape(shape, t.shape)
    return [t if t.shape == shape else ops.expand(t, shape) for t in out]


def broadcast_shape(a: tuple, b: tuple) -> tuple:
    """The shape two parameter (or value) shapes broadcast to."""
    n = max(len(a), len(b))
    a, b = (1,) * (n - len(a)) + tuple(a), (1,) * (n - len(b)) + tuple(b)
    out = []
    for x, y in zip(a, b):
        if x != y and 1 not in (x, y):
            raise ValueError(f"shapes {a} and {b} do not broadcast")
        out.append(max(x, y))
    return tuple(out)


class Distribution:
    """A probability distribution, as ``torch.distributions.Distribution``.

    Subclasses set ``batch_shape``/``event_shape`` through ``__init__`` and define
    ``log_prob``, ``entropy``, ``mean``, ``variance`` and ``rsample`` (with
    ``has_rsample = True``) or ``sample``.
    """

    has_rsample = False
    arg_constraints: dict[str, str] = {}

    def __init__(self, batch_shape: tuple = (), event_shape: tuple = (),
                 validate_args: bool | None = None) -> None:
        self._batch_shape = Size(batch_shape)
        self._event_shape = Size(event_shape)
        self._validate_args = _validate_default if validate_args is None else bool(validate_args)

    @staticmethod
    def set_default_validate_args(value: bool) -> None:
        """Whether new distributions check their arguments and values (default True)."""
        global _validate_default
        _validate_default = bool(value)

    @property
    def batch_shape(self) -> Size:
        """The shape over which parameters are batched."""
        return self._batch_shape

    @property
    def event_shape(self) -> Size:
        """The shape of one sample."""
        return self._event_shape

    def _extended_shape(self, sample_shape: Any = ()) -> tuple:
        if isinstance(sample_shape, int):
            sample_shape = (sample_shape,)
        return tuple(sample_shape) + tuple(self._batch_shape) + tuple(self._event_shape)

    def _check(self, ok: Tensor, what: str) -> None:
        if self._validate_args and not bool(ok.all()):
            raise ValueError(f"{type(self).__name__}: {what} (pass validate_args=False to skip this check)")

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """A sample outside the graph, of shape ``sample_shape + batch_shape + event_shape``."""
        with grad_mode.no_grad():
            return self.rsample(sample_shape).detach()

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """A reparameterised sample, through which gradients reach the parameters."""
        raise NotImplementedError(
            f"{type(self).__name__} has no reparameterised sample (rsample); use sample(), "
            f"or a score-function estimator with log_prob()"
        )

    def sample_n(self, n: int) -> Tensor:
        """``n`` samples (``sample((n,))``)."""
        return self.sample((n,))

    def log_prob(self, value: Tensor) -> Tensor:
        """The log of the density (or mass) at ``value``."""
        raise NotImplementedError(f"{type(self).__name__}.log_prob")

    def entropy(self) -> Tensor:
        """The entropy, one value per batch element."""
        raise NotImplementedError(f"{type(self).__name__}.entropy")

    @property
    def mean(self) -> Tensor:
        """The mean."""
        raise NotImplementedError(f"{type(self).__name__}.mean")

    @property
    def variance(self) -> Tensor:
        """The variance."""
        raise NotImplementedError(f"{type(self).__name__}.variance")

    @property
    def stddev(self) -> Tensor:
        """The standard deviation."""
        return ops.sqrt(self.variance)

    def perplexity(self) -> Tensor:
        """``exp(entropy)``."""
        return ops.exp(self.entropy())

    def _value(self, value: Any) -> Tensor:
        if not isinstance(value, Tensor):
            raise TypeError(f"{type(self).__name__}.log_prob expects a Tensor, got {type(value).__name__}")
        return value

    def __repr__(self) -> str:
        params = ", ".join(f"{name}: {tuple(getattr(self, name).shape)}" for name in self.arg_constraints)
        return f"{type(self).__name__}({params})"
