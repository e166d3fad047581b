"""Where the data layer's random draws come from: a generator, a seed or hw.manual_seed.

Samplers, ``random_split`` and worker seeds draw on the host (indices are host
integers, as in PyTorch). Without a ``generator=`` they draw from the CPU generator
that ``hw.manual_seed`` seeds, so the same seed gives the same shuffles.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.tensor import random as _random
from headwater.tensor.generator import Generator
from headwater.tensor.backend.strict import host_random_generator

__all__ = ["host_generator", "draw_seed"]


def host_generator(generator: Any = None) -> np.random.Generator:
    """The NumPy generator to draw host indices from.

    Parameters
    ----------
    generator : hw.Generator, numpy.random.Generator or None
        None: the CPU generator seeded by ``hw.manual_seed`` (looked up at each
        draw, so a later ``manual_seed`` takes effect).

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.data.generators import host_generator
    >>> hw.manual_seed(0); a = host_generator().permutation(5).tolist()
    >>> hw.manual_seed(0); b = host_generator().permutation(5).tolist()
    >>> g = hw.Generator().manual_seed(1)
    >>> host_generator(g).permutation(5).tolist() == host_generator(g.manual_seed(1)).permutation(5).tolist()
    True
    >>> a == b
    True
    """
    if generator is None:
        return host_random_generator(_random.generator("cpu"))
    if isinstance(generator, np.random.Generator):
        return generator
    if isinstance(generator, Generator):
        if generator.device.type != "cpu":
            raise ValueError(f"generator= draws dataset indices on the host and needs a CPU generator, "
                             f"got one on {generator.device}; use hw.Generator() (device='cpu')")
        return host_random_generator(generator.rng)
    raise TypeError(
        f"generator= takes a hw.Generator or a numpy.random.Generator, got "
        f"{type(generator).__name__}; leave it out to follow hw.manual_seed"
    )


def draw_seed(generator: Any = None) -> int:
    """A fresh 63-bit seed drawn from ``generator`` (see :func:`host_generator`).

    Examples
    --------
    >>> import numpy as np
    >>> from headwater.data.generators import draw_seed
    >>> draw_seed(np.random.default_rng(1)) == draw_seed(np.random.default_rng(1))
    True
    """
    return int(host_generator(generator).integers(0, 2**63 - 1))
