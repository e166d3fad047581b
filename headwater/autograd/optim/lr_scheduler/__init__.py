"""``hw.optim.lr_scheduler``: learning-rate schedules, as ``torch.optim.lr_scheduler``.

Examples
--------
>>> import headwater as hw
>>> opt = hw.optim.SGD([hw.nn.Parameter(hw.zeros(1))], lr=1.0)
>>> sched = hw.optim.lr_scheduler.MultiStepLR(opt, milestones=[2], gamma=0.1)
>>> sched.step(); sched.step(); sched.get_last_lr()
[0.1]
"""

from headwater.autograd.optim.lr_scheduler.base import LRScheduler
from headwater.autograd.optim.lr_scheduler.composite import ChainedScheduler, SequentialLR
from headwater.autograd.optim.lr_scheduler.cosine import (
    CosineAnnealingLR,
    CosineAnnealingWarmRestarts,
    CyclicLR,
    OneCycleLR,
)
from headwater.autograd.optim.lr_scheduler.decay import (
    ConstantLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    MultiplicativeLR,
    MultiStepLR,
    PolynomialLR,
    StepLR,
)
from headwater.autograd.optim.lr_scheduler.plateau import ReduceLROnPlateau

_LRScheduler = LRScheduler  # the name older PyTorch scripts subclass

__all__ = [
    "ChainedScheduler", "ConstantLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR",
    "ExponentialLR", "LRScheduler", "LambdaLR", "LinearLR", "MultiStepLR", "MultiplicativeLR",
    "OneCycleLR", "PolynomialLR", "ReduceLROnPlateau", "SequentialLR", "StepLR",
]
