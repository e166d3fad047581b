"""``hw.utils``: the ``torch.utils`` names.

``hw.utils.data`` is :mod:`headwater.data` itself (one module object under two
names), so ``import headwater.utils.data`` and ``from headwater.utils.data import
DataLoader`` work as they do with PyTorch.
"""

import sys as _sys

from headwater import data

# `import headwater.utils.data[.dataloader]` finds the same module objects as hw.data.
for _name, _module in list(_sys.modules.items()):
    if _name == "headwater.data" or _name.startswith("headwater.data."):
        _sys.modules["headwater.utils." + _name[len("headwater."):]] = _module

from headwater.utils import tensorboard  # noqa: E402  (hw.utils.tensorboard.SummaryWriter)

__all__ = ["data", "tensorboard"]
