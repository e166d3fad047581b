"""Random numbers for estimators, on the device: ``random_state`` as scikit-learn takes it.

``random_state`` may be None (fresh entropy), an int (reproducible), or a NumPy
``RandomState`` / ``Generator`` (a seed is drawn from it, so a shared generator
advances between calls as in scikit-learn). The generator lives on the device of
the data; draws never cross to the host.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from headwater.tensor.backend.base import Backend

__all__ = ["rng_for", "permutation"]


def rng_for(backend: Backend, random_state: Any) -> Any:
    """A generator on ``backend`` for ``random_state`` (None, int, RandomState or Generator).

    Examples
    --------
    >>> import headwater as hw
    >>> from headwater.ml.random import rng_for
    >>> a = rng_for(hw.get_backend("cpu"), 0).random(2)
    >>> b = rng_for(hw.get_backend("cpu"), 0).random(2)
    >>> bool((a == b).all())
    True
    """
    if random_state is None or isinstance(random_state, (int, np.integer)):
        return backend.random_state(None if random_state is None else int(random_state))
    if isinstance(random_state, np.random.RandomState):
        return backend.random_state(int(random_state.randint(np.iinfo(np.int32).max)))
    if isinstance(random_state, np.random.Generator):
        return backend.random_state(int(random_state.integers(np.iinfo(np.int32).max)))
    raise ValueError(f"random_state={random_state!r} cannot seed a generator; pass None, an int, or a "
                     f"numpy RandomState / Generator")


def permutation(rng: Any, xp: Any, n: int) -> Any:
    """A random permutation of ``range(n)`` on the device (argsort of uniform draws)."""
    return xp.argsort(rng.random(n))
