"""Loss modules: thin wrappers over :mod:`headwater.autograd.nn.loss_functions`."""

from __future__ import annotations

from headwater.autograd.nn import loss_functions as L
from headwater.autograd.nn.module import Module
from headwater.tensor.tensor import Tensor

__all__ = ["MSELoss", "L1Loss", "HuberLoss", "CrossEntropyLoss", "NLLLoss", "BCEWithLogitsLoss"]


class _Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        L._reduction(reduction, type(self).__name__)
        self.reduction = reduction

    def extra_repr(self) -> str:
        return "" if self.reduction == "mean" else f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    """Mean squared error.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.MSELoss()(hw.zeros(2), hw.ones(2)).item()
    1.0
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return L.mse_loss(input, target, self.reduction)


class L1Loss(_Loss):
    """Mean absolute error.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.L1Loss(reduction="sum")(hw.zeros(2), hw.ones(2)).item()
    2.0
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return L.l1_loss(input, target, self.reduction)


class HuberLoss(_Loss):
    """Squared error below ``delta``, linear above.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.HuberLoss(delta=1.0)(hw.zeros(1), hw.as_tensor([3.0])).item()
    2.5
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return L.huber_loss(input, target, self.reduction, self.delta)


class CrossEntropyLoss(_Loss):
    """Cross-entropy of logits against class indices or probabilities, with class
    ``weight``, ``ignore_index`` and ``label_smoothing``.

    Examples
    --------
    >>> import headwater as hw
    >>> loss = hw.nn.CrossEntropyLoss(label_smoothing=0.1)
    >>> round(loss(hw.zeros(2, 4), hw.as_tensor([0, 1])).item(), 4)
    1.3863
    """

    def __init__(self, weight: Tensor | None = None, ignore_index: int = -100,
                 reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(reduction)
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing
        self.register_buffer("weight", weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return L.cross_entropy(input, target, self.weight, self.ignore_index, self.reduction,
                               self.label_smoothing)


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities at class indices.

    Examples
    --------
    >>> import headwater as hw
    >>> logp = hw.log_softmax(hw.zeros(1, 2), dim=1)
    >>> round(hw.nn.NLLLoss()(logp, hw.as_tensor([1])).item(), 4)
    0.6931
    """

    def __init__(self, weight: Tensor | None = None, ignore_index: int = -100,
                 reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.ignore_index = ignore_index
        self.register_buffer("weight", weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return L.nll_loss(input, target, self.weight, self.ignore_index, self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of logits, with ``weight`` and ``pos_weight``.

    Examples
    --------
    >>> import headwater as hw
    >>> loss = hw.nn.BCEWithLogitsLoss(pos_weight=hw.as_tensor([2.0]))
    >>> round(loss(hw.zeros(3, 1), hw.ones(3, 1)).item(), 4)
    1.3863
    """

    def __init__(self, weight: Tensor | None = None, reduction: str = "mean",
                 pos_weight: Tensor | None = None) -> None:
        super().__init__(reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return L.binary_cross_entropy_with_logits(input, target, self.weight, self.reduction,
                                                  self.pos_weight)
