"""``headwater.optim`` is :mod:`headwater.autograd.optim`, so that
``import headwater.optim`` works as in PyTorch."""

import sys

from headwater.autograd import optim as _optim

sys.modules[__name__] = _optim
