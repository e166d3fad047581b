"""``hw.optim``: optimizers and learning-rate schedules.

Examples
--------
>>> import headwater as hw
>>> model = hw.nn.Linear(2, 1)
>>> opt = hw.optim.Adam(model.parameters(), lr=1e-2)
>>> loss = model(hw.ones(4, 2)).pow(2).mean()
>>> loss.backward(); _ = opt.step(); opt.zero_grad()
"""

from headwater.autograd.optim import lr_scheduler
from headwater.autograd.optim.adagrad import Adadelta, Adagrad
from headwater.autograd.optim.adam import Adam, AdamW
from headwater.autograd.optim.adamax import Adamax, NAdam, RAdam
from headwater.autograd.optim.lbfgs import LBFGS
from headwater.autograd.optim.optimizer import Optimizer
from headwater.autograd.optim.rmsprop import RMSprop
from headwater.autograd.optim.sgd import SGD

from headwater.tensor.missing import missing_names as _missing_names

__getattr__ = _missing_names(__name__)  # unknown names: an AttributeError naming the closest

__all__ = [
    "LBFGS", "SGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "NAdam", "Optimizer", "RAdam",
    "RMSprop", "lr_scheduler",
]
