"""Loss modules: thin wrappers over :mod:`headwater.autograd.nn.loss_functions`,
:mod:`~headwater.autograd.nn.pointwise_losses` and :mod:`~headwater.autograd.nn.margin_losses`."""

from __future__ import annotations

from headwater.autograd.nn import loss_functions as L
from headwater.autograd.nn import margin_losses as M
from headwater.autograd.nn import pointwise_losses as P
from headwater.autograd.nn.module import Module
from headwater.tensor.tensor import Tensor

__all__ = [
    "MSELoss", "L1Loss", "HuberLoss", "CrossEntropyLoss", "NLLLoss", "BCEWithLogitsLoss",
    "SmoothL1Loss", "BCELoss", "KLDivLoss", "PoissonNLLLoss", "GaussianNLLLoss", "SoftMarginLoss",
    "MultiLabelSoftMarginLoss", "HingeEmbeddingLoss", "CosineEmbeddingLoss", "MarginRankingLoss",
    "TripletMarginLoss", "MultiMarginLoss",
]


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


class _TorchLoss(_Loss):
    """A loss taking PyTorch's deprecated ``size_average`` / ``reduce`` too."""

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(P.legacy_reduction(size_average, reduce, reduction, type(self).__name__))


class SmoothL1Loss(_TorchLoss):
    """Squared error (over ``beta``) below ``beta``, absolute error above.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.SmoothL1Loss(beta=0.5)(hw.zeros(1), hw.as_tensor([2.0])).item()
    1.75
    """

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean", beta: float = 1.0) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return P.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class BCELoss(_TorchLoss):
    """Binary cross-entropy of probabilities, with an elementwise ``weight``.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.nn.BCELoss()(hw.as_tensor([0.5]), hw.as_tensor([1.0])).item(), 4)
    0.6931
    """

    def __init__(self, weight: Tensor | None = None, size_average: bool | None = None,
                 reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return P.binary_cross_entropy(input, target, self.weight, reduction=self.reduction)


class KLDivLoss(_Loss):
    """Kullback-Leibler divergence of the target from log-probabilities
    (``reduction="batchmean"`` for the true KL divergence).

    Examples
    --------
    >>> import headwater as hw
    >>> loss = hw.nn.KLDivLoss(reduction="batchmean", log_target=True)
    >>> loss(hw.zeros(2, 3), hw.zeros(2, 3)).item()
    0.0
    """

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean", log_target: bool = False) -> None:
        if reduction == "batchmean" and size_average is None and reduce is None:
            Module.__init__(self)
            self.reduction = reduction
        else:
            super().__init__(P.legacy_reduction(size_average, reduce, reduction, "KLDivLoss"))
        self.log_target = log_target

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return P.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class PoissonNLLLoss(_TorchLoss):
    """Poisson negative log-likelihood (rates as logs with ``log_input``).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.PoissonNLLLoss()(hw.zeros(2), hw.ones(2)).item()
    1.0
    """

    def __init__(self, log_input: bool = True, full: bool = False, size_average: bool | None = None,
                 eps: float = 1e-8, reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def forward(self, log_input: Tensor, target: Tensor) -> Tensor:
        return P.poisson_nll_loss(log_input, target, self.log_input, self.full, eps=self.eps,
                                  reduction=self.reduction)


class GaussianNLLLoss(_Loss):
    """Gaussian negative log-likelihood of the target given a mean and a variance.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.GaussianNLLLoss()(hw.zeros(2), hw.zeros(2), hw.ones(2)).item()
    0.0
    """

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.full, self.eps = full, eps

    def forward(self, input: Tensor, target: Tensor, var: Tensor | float) -> Tensor:
        return P.gaussian_nll_loss(input, target, var, self.full, self.eps, self.reduction)


class SoftMarginLoss(_TorchLoss):
    """Logistic loss ``log(1 + exp(-y x))`` for targets of +-1.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.nn.SoftMarginLoss()(hw.zeros(1), hw.ones(1)).item(), 4)
    0.6931
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return P.soft_margin_loss(input, target, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_TorchLoss):
    """One-vs-all logistic loss over classes, with a per-class ``weight``.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.nn.MultiLabelSoftMarginLoss()(hw.zeros(1, 3), hw.ones(1, 3)).item(), 4)
    0.6931
    """

    def __init__(self, weight: Tensor | None = None, size_average: bool | None = None,
                 reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return P.multilabel_soft_margin_loss(input, target, self.weight, reduction=self.reduction)


class HingeEmbeddingLoss(_TorchLoss):
    """``x`` for targets of 1, ``max(0, margin - x)`` for targets of -1.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.HingeEmbeddingLoss(margin=2.0)(hw.ones(1), -hw.ones(1)).item()
    1.0
    """

    def __init__(self, margin: float = 1.0, size_average: bool | None = None,
                 reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return P.hinge_embedding_loss(input, target, self.margin, reduction=self.reduction)


class CosineEmbeddingLoss(HingeEmbeddingLoss):
    """``1 - cos`` for similar pairs (target 1), ``max(0, cos - margin)`` for
    dissimilar ones (target -1).

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.CosineEmbeddingLoss()(hw.ones(1, 2), hw.ones(1, 2), hw.ones(1)).item()
    0.0
    """

    def __init__(self, margin: float = 0.0, size_average: bool | None = None,
                 reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(margin, size_average, reduce, reduction)

    def forward(self, input1: Tensor, input2: Tensor, target: Tensor) -> Tensor:
        return M.cosine_embedding_loss(input1, input2, target, self.margin, reduction=self.reduction)


class MarginRankingLoss(CosineEmbeddingLoss):
    """``max(0, -y (x1 - x2) + margin)``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.MarginRankingLoss(margin=0.5)(hw.ones(1), hw.ones(1), hw.ones(1)).item()
    0.5
    """

    def forward(self, input1: Tensor, input2: Tensor, target: Tensor) -> Tensor:
        return M.margin_ranking_loss(input1, input2, target, self.margin, reduction=self.reduction)


class TripletMarginLoss(_TorchLoss):
    """``max(d(a, p) - d(a, n) + margin, 0)`` with the pairwise ``p``-norm distance.

    Examples
    --------
    >>> import headwater as hw
    >>> round(hw.nn.TripletMarginLoss()(hw.zeros(1, 2), hw.zeros(1, 2), hw.zeros(1, 2)).item(), 4)
    1.0
    """

    def __init__(self, margin: float = 1.0, p: float = 2.0, eps: float = 1e-6, swap: bool = False,
                 size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        return M.triplet_margin_loss(anchor, positive, negative, self.margin, self.p, self.eps, self.swap,
                                     reduction=self.reduction)


class MultiMarginLoss(_TorchLoss):
    """Multi-class hinge loss (``p`` 1 or 2), with a per-class ``weight``.

    Examples
    --------
    >>> import headwater as hw
    >>> hw.nn.MultiMarginLoss()(hw.zeros(1, 2), hw.as_tensor([0])).item()
    0.5
    """

    def __init__(self, p: int = 1, margin: float = 1.0, weight: Tensor | None = None,
                 size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.p, self.margin = p, margin
        self.register_buffer("weight", weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return M.multi_margin_loss(input, target, self.p, self.margin, self.weight, reduction=self.reduction)
