"""``hw.amp``: automatic mixed precision, as ``torch.amp``.

``autocast("cuda")`` runs matrix products in float16 on CuPy with float32 master
weights; ``GradScaler`` scales the loss and skips steps whose gradients overflow.
On the CPU both are documented no-ops (see :mod:`.autocast_mode` and
:mod:`.grad_scaler`), so a mixed-precision script runs unchanged there.

Examples
--------
>>> import headwater as hw
>>> import warnings
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")  # without a GPU it warns and disables itself
...     scaler = hw.amp.GradScaler()
>>> scaler.is_enabled() == hw.cuda.is_available()
True
"""

from headwater.autograd.amp.autocast_mode import autocast, get_autocast_dtype, is_autocast_enabled
from headwater.autograd.amp.grad_scaler import GradScaler

__all__ = ["GradScaler", "autocast", "get_autocast_dtype", "is_autocast_enabled"]
