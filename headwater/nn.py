"""``headwater.nn`` is :mod:`headwater.autograd.nn`, so that ``import headwater.nn``
and ``from headwater.nn import functional as F`` work as in PyTorch."""

import sys

from headwater.autograd import nn as _nn

sys.modules[__name__] = _nn
